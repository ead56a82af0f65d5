import type { Runtime } from '../runtime.js';
import { CONTINUOUS_JOBS, PERIODIC_JOBS } from './catalogue.js';
import { openJobQueue, type JobLogger } from './queue.js';
import { startJobRunner, type JobRunner } from './runner.js';
import { processOwner } from './slot.js';

/**
 * The jobs of the catalogue running in this process, over the runtime's database, with the configured tick: what
 * `luoshi serve` (unless LUOSHI_JOBS=off) and `luoshi worker` start. stop() ends the runner and its queue; the
 * runtime stays open for its owner to close.
 */
export async function startJobs(runtime: Pick<Runtime, 'config' | 'database' | 'ctx'>, log: JobLogger): Promise<JobRunner> {
  const queue = await openJobQueue({
    db: runtime.database.db,
    dialect: runtime.database.dialect,
    config: runtime.config,
    now: runtime.ctx.now,
    log,
  });
  return startJobRunner(runtime.ctx, {
    queue,
    jobs: PERIODIC_JOBS,
    continuous: CONTINUOUS_JOBS,
    tickMs: runtime.config.jobsTickMs,
    owner: processOwner(),
    log,
  });
}
