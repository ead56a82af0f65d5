import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectDatabase, migrateToLatest } from '../src/db/connect.js';
import { readSummaryDocument, writeSummaryDocument } from '../src/documents/index.js';
import { parseInWorker } from '../src/documents/worker.js';
import { countTable } from '../src/domain/summary-table.js';
import { createServiceContext } from '../src/services/context.js';
import { importSummaryTable } from '../src/services/import.js';
import { generatePlanTable } from './generate.js';

/**
 * `npm run bench`: import time of a generated 1,000-item plan as DOCX and XLSX (issue 3), on SQLite with
 * synchronous=FULL. Reports the median of several runs; parse time is measured inline and in the worker thread the
 * server uses, and the full import includes parsing, name resolution and the durable transaction.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const table = generatePlanTable(ITEMS, { organisation: '市发改委' });
const counts = countTable(table);
console.log(`luoshi bench · ${counts.chapters} chapters, ${counts.tasks} tasks, ${counts.items} items · median of ${RUNS} runs · node ${process.version}`);
console.log('format  bytes      parse inline  parse worker  import (SQLite, fresh db)  import again (no changes)');

for (const format of ['docx', 'xlsx'] as const) {
  const bytes = await writeSummaryDocument(table, format);
  const fileName = `bench.${format}`;
  const inline: number[] = [];
  const worker: number[] = [];
  const fresh: number[] = [];
  const again: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    inline.push(await time(() => readSummaryDocument(bytes, fileName)));
    worker.push(await time(() => parseInWorker({ bytes, fileName })));
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-bench-'));
    const handle = connectDatabase(join(dir, 'bench.db'));
    await migrateToLatest(handle.db);
    const ctx = createServiceContext(handle.db);
    const actor = { id: 'bench', source: 'bench' };
    fresh.push(await time(() => importSummaryTable(ctx, actor, { bytes, fileName })));
    again.push(await time(() => importSummaryTable(ctx, actor, { bytes, fileName })));
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = (value: number) => `${value.toFixed(0)} ms`.padEnd(14);
  console.log(
    `${format.padEnd(8)}${String(bytes.length).padEnd(11)}${ms(median(inline))}${ms(median(worker))}${ms(median(fresh)).padEnd(27)}${ms(median(again))}`,
  );
}
