// Loaded with `node --import` before the CLI by test/integration/jobs-cli.test.ts: puts the tally job into the
// catalogue the command reads, so that `luoshi jobs run` and `luoshi worker` have a job with a known effect whatever
// the catalogue holds. With LUOSHI_TEST_JOB_HOLD=1 its run says so on stdout and then never ends, holding its
// transaction open: the moment to kill the process mid-slot.
import { PERIODIC_JOBS } from '../../src/jobs/catalogue.js';
import type { PeriodicJob } from '../../src/jobs/types.js';
import { tallyJob } from './jobs.js';

export const HOLDING_MARK = 'test job holding its slot';

(PERIODIC_JOBS as PeriodicJob[]).push(
  tallyJob({
    before: (slot) => {
      if (process.env.LUOSHI_TEST_JOB_HOLD !== '1') return;
      process.stdout.write(`${HOLDING_MARK} ${slot}\n`);
      return new Promise<void>(() => {});
    },
  }),
);
