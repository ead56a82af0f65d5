import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { listPlans } from '../db/repositories/plans.js';
import type { Actor, ServiceContext } from './context.js';
import { importSummaryTable, type ImportSummary } from './import.js';

/** The public sample table shipped in demo/ (see demo/README.md for its origin). */
export const DEMO_FILE = fileURLToPath(new URL('../../demo/suzhou-sthjj-2022-summary.txt', import.meta.url));

const DEMO_ACTOR: Actor = { id: 'system:demo', source: 'system' };

/** Loads the demo plan into an empty database; a database that already holds a plan is left alone. */
export async function loadDemoPlanIfEmpty(ctx: ServiceContext): Promise<ImportSummary | undefined> {
  if ((await listPlans(ctx.db)).length > 0) return undefined;
  const bytes = await readFile(DEMO_FILE);
  return importSummaryTable(ctx, DEMO_ACTOR, { bytes, fileName: 'suzhou-sthjj-2022-summary.txt' });
}
