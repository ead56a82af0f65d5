/**
 * The year-end summary table made from reports entered through the workflow is the sample table, when the sample's
 * texts are what the unit entered: the plan comes in without completion texts, 市生态环境局 writes each item's
 * year-end text, submits it, its leader approves and the office accepts; the export is then the sample, and the
 * city-wide table carries the lead units' texts with their lights.
 */
import { expect, it } from 'vitest';
import { sampleTable, SAMPLE_BYTES } from '../helpers/documents.js';
import { describeEachDatabase } from '../helpers/database.js';
import { readSummaryDocument, writeSummaryDocument } from '../../src/documents/index.js';
import { canonicalTable } from '../../src/domain/summary-table.js';
import type { Role } from '../../src/domain/roles.js';
import type { Principal } from '../../src/services/accounts.js';
import { findOrganisationByName, listPlanSummaries } from '../../src/services/catalogue.js';
import { buildCitySummary, exportCitySummary } from '../../src/services/city-summary.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { actOnReport, saveReport } from '../../src/services/reporting.js';
import { exportOrganisationSummary } from '../../src/services/summary.js';

const principal = (role: Role, organisationId: number, userId: number): Principal => ({
  kind: 'user',
  userId,
  username: `${role}${userId}`,
  role,
  organisationId,
  mustChangePassword: false,
  sessionId: `session-${userId}`,
});

describeEachDatabase('the summary table from reports entered through the workflow', (database) => {
  const ctx = () => createServiceContext(database().db, () => new Date('2023-01-05T02:00:00Z'));

  it('equals the sample table when the sample’s texts are entered, submitted, approved and accepted', async () => {
    const sample = sampleTable();
    const blank = structuredClone(sample);
    for (const chapter of blank.chapters) for (const task of chapter.tasks) for (const item of task.items) item.completion = '';
    await importSummaryTable(
      ctx(),
      { id: 'test', source: 'test' },
      { bytes: await writeSummaryDocument(blank, 'json'), fileName: 'plan.json' },
    );

    const ecology = await findOrganisationByName(ctx(), '市生态环境局');
    const office = await findOrganisationByName(ctx(), '市政府办公室').catch(() => undefined);
    const reporter = principal('unit_reporter', ecology.id, 1);
    const leader = principal('unit_leader', ecology.id, 2);
    const supervisor = principal('supervisor', office?.id ?? ecology.id, 3);
    const actor = (who: Principal) => ({ id: `user:${(who as { userId: number }).userId}`, source: 'test' });

    const plan = (await listPlanSummaries(ctx()))[0]!;
    const items = await database()
      .db.selectFrom('items')
      .innerJoin('tasks', 'tasks.id', 'items.task_id')
      .select(['items.id', 'items.work'])
      .where('tasks.plan_id', '=', plan.id)
      .execute();
    let entered = 0;
    for (const chapter of sample.chapters) {
      for (const task of chapter.tasks) {
        for (const item of task.items) {
          const itemId = items.find((row) => row.work === item.work)!.id;
          const key = { itemId, organisationId: ecology.id, periodCode: '2022-Y' };
          const draft = await saveReport(ctx(), reporter, actor(reporter), key, {
            content: { progress: item.completion, problems: '', nextSteps: '', status: '已完成', figures: [] },
            baseRevision: 0,
          });
          const submitted = await actOnReport(ctx(), reporter, actor(reporter), draft.id!, {
            event: 'submit',
            baseRevision: draft.revision,
          });
          const approved = await actOnReport(ctx(), leader, actor(leader), draft.id!, {
            event: 'approve',
            baseRevision: submitted.revision,
          });
          await actOnReport(ctx(), supervisor, actor(supervisor), draft.id!, { event: 'accept', baseRevision: approved.revision });
          entered++;
        }
      }
    }
    expect(entered).toBe(15);

    // as the office reads it (what left the unit), and as the unit reads its own
    for (const scope of [null, { organisationId: ecology.id }]) {
      const json = await exportOrganisationSummary(ctx(), { organisationId: ecology.id, scope, format: 'json' });
      expect((await readSummaryDocument(json.bytes, json.fileName)).table).toEqual(canonicalTable(sample));
    }
    const csv = await exportOrganisationSummary(ctx(), { organisationId: ecology.id, format: 'csv' });
    const direct = await readSummaryDocument(SAMPLE_BYTES, 'sample.txt');
    // CSV carries no title line: every cell below it is the sample's
    expect((await readSummaryDocument(csv.bytes, csv.fileName)).table.chapters).toEqual(direct.table.chapters);

    // the city-wide table: the lead units' texts; 市生态环境局's items are green, the others' not reported (red, due 15 January)
    const city = await buildCitySummary(ctx(), { planId: plan.id, periodCode: '2022-Y' });
    const rows = city.table.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items));
    expect(rows).toHaveLength(15);
    const led = rows.filter((row) => row.lead.includes('生态环境局'));
    expect(led.length).toBeGreaterThan(0);
    for (const row of led) expect(row).toMatchObject({ status: '已完成', light: 'green', lightLabel: '绿灯' });
    for (const row of rows.filter((candidate) => !candidate.lead.includes('生态环境局')))
      expect(row).toMatchObject({ status: '未报送', completion: '' });
    expect(city.counts).toMatchObject({ items: 15, reported: led.length, byStatus: { 已完成: led.length, 未报送: 15 - led.length } });
    const onlyDone = await buildCitySummary(ctx(), { planId: plan.id, periodCode: '2022-Y', status: '已完成' });
    expect(onlyDone.counts.items).toBe(led.length);

    const exported = await exportCitySummary(ctx(), { planId: plan.id, periodCode: '2022-Y', format: 'json' });
    expect(exported.fileName).toBe(`${plan.title}-全年-全市汇总表.json`);
    const back = JSON.parse(exported.bytes.toString('utf8'));
    expect(back.columns).toMatchObject({ status: '完成状态', extra: ['预警'] });
  });
});
