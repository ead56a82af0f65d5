import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectDatabase, migrateToLatest } from '../src/db/connect.js';
import { readSummaryDocument, writeSummaryDocument } from '../src/documents/index.js';
import { parseInWorker } from '../src/documents/worker.js';
import { verifyZipContainer } from '../src/documents/zip-guard.js';
import { countTable } from '../src/domain/summary-table.js';
import { loadConfig } from '../src/config.js';
import { createServiceContext, importOptions } from '../src/services/context.js';
import { importSummaryTable } from '../src/services/import.js';
import { actOnReport, saveReport } from '../src/services/reporting.js';
import { hundredThousandRows, MB, underDeclared, withZeros } from '../test/helpers/hostile-files.js';
import { generatePlanTable } from './generate.js';

/**
 * Imports and the in-process extras of `npm run bench`: I1, the import time of a generated 1,000-item plan as DOCX
 * and XLSX into a fresh SQLite database (synchronous=FULL), parse, name resolution and the durable transaction
 * included; the parse alone inline and in the worker thread the server uses; the rate of report saves and
 * submissions through the services; and the cost of refusing hostile files. Medians of `runs` runs.
 */
const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

export interface ImportFigures {
  /** median full import into a fresh database, ms */
  importMs: Record<'docx' | 'xlsx', number>;
  lines: string[];
}

/** I1 and its detail lines. */
export async function measureImports(RUNS: number): Promise<ImportFigures> {
  const table = generatePlanTable(ITEMS, { organisation: '市发改委' });
  const counts = countTable(table);
  const lines: string[] = [];
  const importMs = { docx: 0, xlsx: 0 };
  lines.push(`imports · ${counts.chapters} chapters, ${counts.tasks} tasks, ${counts.items} items · median of ${RUNS} runs`);
  lines.push('format  bytes      parse inline  parse worker  import (SQLite, fresh db)  import again (no changes)');

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
      // the filing unit's texts on rows it is not named on are filed as a cooperating unit's: every text is written
      fresh.push(await time(() => importSummaryTable(ctx, actor, { bytes, fileName, unlinked: 'cooperate' })));
      again.push(await time(() => importSummaryTable(ctx, actor, { bytes, fileName, unlinked: 'cooperate' })));
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const ms = (value: number) => `${value.toFixed(0)} ms`.padEnd(14);
    importMs[format] = median(fresh);
    lines.push(
      `${format.padEnd(8)}${String(bytes.length).padEnd(11)}${ms(median(inline))}${ms(median(worker))}${ms(median(fresh)).padEnd(27)}${ms(median(again))}`,
    );
  }

  return { importMs, lines };
}

/**
 * Reporting: drafts saved and reports submitted one after another through the services, each in its own durable
 * transaction with its audit entry (the HTTP layer is not included). The target of later issues is 1,500
 * submissions a second; this is where it starts from.
 */
export async function measureReporting(): Promise<string> {
  const table = generatePlanTable(ITEMS, { organisation: '市发改委' });
  const REPORTS = Number(process.env.BENCH_REPORTS ?? 500);
  const blank = structuredClone(table);
  for (const chapter of blank.chapters) for (const task of chapter.tasks) for (const item of task.items) item.completion = '';
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-bench-'));
  const handle = connectDatabase(join(dir, 'bench.db'));
  await migrateToLatest(handle.db);
  const ctx = createServiceContext(handle.db);
  await importSummaryTable(
    ctx,
    { id: 'bench', source: 'bench' },
    { bytes: await writeSummaryDocument(blank, 'json'), fileName: 'plan.json' },
  );
  const links = await handle.db
    .selectFrom('item_organisations')
    .select(['item_id', 'organisation_id'])
    .where('role', '=', 'lead')
    .orderBy('item_id')
    .limit(REPORTS)
    .execute();
  const year = (await handle.db.selectFrom('plans').select('year').executeTakeFirstOrThrow()).year;
  const reporter = (organisationId: number) =>
    ({
      kind: 'user',
      userId: 1,
      username: 'bench',
      role: 'unit_reporter',
      organisationId,
      mustChangePassword: false,
      sessionId: 'bench',
    }) as const;
  const actor = { id: 'user:1', source: 'bench' };
  const content = {
    progress: '已完成年度目标任务，新建管网12.4公里。',
    problems: '',
    nextSteps: '',
    status: '已完成' as const,
    figures: [],
  };
  const saved: { id: number; revision: number; organisationId: number }[] = [];
  const saving = await time(async () => {
    for (const link of links) {
      const view = await saveReport(
        ctx,
        reporter(link.organisation_id),
        actor,
        { itemId: link.item_id, organisationId: link.organisation_id, periodCode: `${year}-Y` },
        { content, baseRevision: 0 },
      );
      saved.push({ id: view.id!, revision: view.revision, organisationId: link.organisation_id });
    }
  });
  const submitting = await time(async () => {
    for (const report of saved)
      await actOnReport(ctx, reporter(report.organisationId), actor, report.id, { event: 'submit', baseRevision: report.revision });
  });
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
  const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000)}/s`;
  return `reporting (SQLite, synchronous=FULL, services, one after another): ${links.length} drafts saved ${rate(links.length, saving)}, submitted ${rate(saved.length, submitting)}`;
}

/**
 * Hostile files, measured here rather than asserted in the tests, where a slow or busy machine would fail them: the
 * time to refuse a zip bomb against a same-run baseline of parsing a normal file of the same kind (a refusal by the
 * declared size should cost a fraction of a normal parse; one stopped by the running inflate cap, the time to
 * inflate up to the cap), and how much the process grows while the 100,000-row workbook is refused by the row cap.
 */
export async function measureHostileFiles(RUNS: number): Promise<string[]> {
  const lines: string[] = [];
  const small = generatePlanTable(50, { organisation: '市发改委' });
  const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;
  lines.push('hostile  import: normal parse  bomb refused (declared size)  evidence check: normal file  bomb refused (inflate cap)');
  for (const format of ['docx', 'xlsx'] as const) {
    const normal = await writeSummaryDocument(small, format);
    const fileName = `normal.${format}`;
    const bomb = await withZeros(normal, 200);
    // the import reads only the parts it needs; the evidence check inflates every part, so it meets the lie
    const liar = underDeclared(bomb, 'docProps/thumbnail.jpeg');
    const refused = async (run: () => Promise<unknown>) => {
      const outcome = await run().then(
        () => 'accepted',
        () => 'refused',
      );
      if (outcome !== 'refused') throw new Error(`a ${format} bomb was accepted`);
    };
    const parse: number[] = [];
    const declared: number[] = [];
    const check: number[] = [];
    const inflated: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      parse.push(await time(() => readSummaryDocument(normal, fileName)));
      declared.push(await time(() => refused(() => readSummaryDocument(bomb, fileName))));
      check.push(await time(() => verifyZipContainer(normal, format)));
      inflated.push(await time(() => refused(() => verifyZipContainer(liar, format))));
    }
    const [p, d, c, i] = [median(parse), median(declared), median(check), median(inflated)];
    lines.push(
      `${format.padEnd(9)}${`${p.toFixed(1)} ms`.padEnd(21)}${`${d.toFixed(1)} ms (${ratio(d, p)} of a parse)`.padEnd(32)}${`${c.toFixed(1)} ms`.padEnd(29)}${i.toFixed(1)} ms (${ratio(i, c)} of a check)`,
    );
  }

  const rows = await hundredThousandRows();
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-bench-'));
  const handle = connectDatabase(join(dir, 'bench.db'));
  await migrateToLatest(handle.db);
  // parsed in the capped worker, as the server does
  const ctx = createServiceContext(handle.db, undefined, importOptions(loadConfig({})));
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const refused = await time(() =>
    importSummaryTable(ctx, { id: 'bench', source: 'bench' }, { bytes: rows, fileName: 'rows.xlsx' }).then(
      () => {
        throw new Error('the 100,000-row workbook was not refused');
      },
      () => undefined,
    ),
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
  const grown = peak - before;
  lines.push(
    `100,000-row workbook (${(rows.length / MB).toFixed(1)} MB) refused by the row cap in ${refused.toFixed(0)} ms; RSS grew ${(grown / MB).toFixed(0)} MB at its peak, ${(grown / rows.length).toFixed(1)}× the file`,
  );
  return lines;
}
