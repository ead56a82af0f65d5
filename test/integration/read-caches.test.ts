/**
 * The summary tables read only what they show, and the plan's structure is cached per process under the database's
 * structural revision. Checked against the unfiltered computation the tables were made with before (kept here as
 * an oracle), and against structural writes made through a second connection, as another server would.
 */
import { expect, it } from 'vitest';
import { CITY_SCALES, generateCity, type GeneratedCity } from '../../bench/city.js';
import { loadCityThroughServices } from '../../bench/load-city.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { listOrganisations } from '../../src/db/repositories/organisations.js';
import { listChapters, listItemOrganisationsOfPlan, listItemsOfPlan, listPeriods, listTasks } from '../../src/db/repositories/plans.js';
import { latestVersionsByEvent, listReportsOfOrganisationPeriod } from '../../src/db/repositories/reports.js';
import { readStructureRevision } from '../../src/db/repositories/summaries.js';
import type { Db } from '../../src/db/schema.js';
import { writeSummaryDocument } from '../../src/documents/index.js';
import { DELIVERED_EVENTS } from '../../src/domain/reporting.js';
import { answerAssignment, reassignItem } from '../../src/services/assignments.js';
import { readCachesOf } from '../../src/services/cache.js';
import { getPlanTree } from '../../src/services/catalogue.js';
import { buildCitySummary } from '../../src/services/city-summary.js';
import { createServiceContext, type ServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { createOrganisation, mergeOrganisations, updateOrganisationRecord } from '../../src/services/organisations.js';
import { buildOrganisationSummary } from '../../src/services/summary.js';
import { describeEachDatabase } from '../helpers/database.js';

const ACTOR = { id: 'test', source: 'test' };
const NOW = () => new Date('2031-02-20T04:00:00Z');

/** The unit's table as it was computed before the reads were filtered: the whole plan read, filtered in JavaScript. */
async function unfilteredUnitTable(db: Db, planId: number, organisationId: number, periodId: number, own: boolean) {
  const [chapters, tasks, items, links, reports] = await Promise.all([
    listChapters(db, planId),
    listTasks(db, planId),
    listItemsOfPlan(db, planId),
    listItemOrganisationsOfPlan(db, planId),
    listReportsOfOrganisationPeriod(db, organisationId, periodId),
  ]);
  const involved = new Set(links.filter((link) => link.organisation_id === organisationId).map((link) => link.item_id));
  const delivered = own
    ? undefined
    : await latestVersionsByEvent(
        db,
        reports.map((report) => report.id),
        DELIVERED_EVENTS,
      );
  const texts = new Map(
    reports.flatMap((report) => {
      const version = delivered ? delivered.get(report.id) : report;
      return version ? [[report.item_id, version.text] as const] : [];
    }),
  );
  for (const itemId of texts.keys()) involved.add(itemId);
  return chapters
    .map((chapter) => ({
      numeral: chapter.numeral,
      title: chapter.title,
      tasks: tasks
        .filter((task) => task.chapter_id === chapter.id)
        .map((task) => ({
          id: task.id,
          number: task.number,
          name: task.name,
          items: items
            .filter((item) => item.task_id === task.id && involved.has(item.id))
            .map((item) => ({
              id: item.id,
              work: item.work,
              lead: item.lead_text,
              cooperating: item.cooperating_text,
              completion: texts.get(item.id) ?? '',
            })),
        }))
        .filter((task) => task.items.length > 0),
    }))
    .filter((chapter) => chapter.tasks.length > 0);
}

/** The city table's rows as computed before: every delivered version of every report of the period read. */
async function unfilteredCityRows(db: Db, planId: number, periodId: number, organisationId?: number) {
  const [items, links, reports, organisations] = await Promise.all([
    listItemsOfPlan(db, planId),
    listItemOrganisationsOfPlan(db, planId),
    db.selectFrom('reports').select(['id', 'item_id', 'organisation_id']).where('period_id', '=', periodId).execute(),
    listOrganisations(db),
  ]);
  const delivered = await latestVersionsByEvent(
    db,
    reports.map((report) => report.id),
    DELIVERED_EVENTS,
  );
  const names = new Map(organisations.map((row) => [row.id, row.name]));
  return items
    .filter(
      (item) => organisationId === undefined || links.some((link) => link.item_id === item.id && link.organisation_id === organisationId),
    )
    .map((item) => {
      const leads = links.filter((link) => link.item_id === item.id && link.role === 'lead').map((link) => link.organisation_id);
      const versions = leads.flatMap((lead) => {
        const report = reports.find((row) => row.item_id === item.id && row.organisation_id === lead);
        const version = report && delivered.get(report.id);
        return version ? [{ lead, version }] : [];
      });
      const completion =
        versions.length > 1
          ? versions.map(({ lead, version }) => `【${names.get(lead)}】${version.text}`).join('\n')
          : (versions[0]?.version.text ?? '');
      return {
        id: item.id,
        completion,
        status: versions.length > 0 ? ((versions.find(({ version }) => version.status) ?? versions[0])!.version.status ?? '') : '未报送',
      };
    });
}

const cityRows = (summary: Awaited<ReturnType<typeof buildCitySummary>>) =>
  summary.table.chapters.flatMap((chapter) =>
    chapter.tasks.flatMap((task) => task.items.map((item) => ({ id: item.id, completion: item.completion, status: item.status }))),
  );

const treeItems = (tree: Awaited<ReturnType<typeof getPlanTree>>) =>
  tree.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items));

describeEachDatabase('reads that cost what they show', (database) => {
  let city: GeneratedCity;
  let planId: number;
  let second: DatabaseHandle;
  // one "server" reads, the other writes: separate connections, separate caches
  const reader = (): ServiceContext => createServiceContext(database().db, NOW);
  const writer = (): ServiceContext => createServiceContext(second.db, NOW);

  it('loads a generated city', async () => {
    city = generateCity(CITY_SCALES.smoke);
    planId = (await loadCityThroughServices(createServiceContext(database().db), city)).planId;
    second = connectDatabase(database().cliLocation);
  }, 120_000);

  it('gives every unit the same table as the unfiltered computation, in every period, as its own and as others see it', async () => {
    const { db } = database();
    const periods = await listPeriods(db, planId);
    const units = (await listOrganisations(db)).filter((row) => city.units.includes(row.name));
    expect(units).toHaveLength(city.units.length);
    let compared = 0;
    for (const unit of units) {
      for (const period of periods) {
        for (const own of [false, true]) {
          const summary = await buildOrganisationSummary(reader(), {
            organisationId: unit.id,
            planId,
            periodCode: period.code,
            ...(own ? { scope: { organisationId: unit.id } } : {}),
          });
          expect(summary.table.chapters).toEqual(await unfilteredUnitTable(db, planId, unit.id, period.id, own));
          compared += summary.table.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items)).length;
        }
      }
    }
    // the comparison is of real tables, with texts in them
    expect(compared).toBeGreaterThan(city.links * 2);
  });

  it('gives the same city table as the unfiltered computation, for the whole plan and for each unit', async () => {
    const { db } = database();
    const periods = await listPeriods(db, planId);
    const units = (await listOrganisations(db)).filter((row) => city.units.includes(row.name));
    let reported = 0;
    for (const period of periods) {
      const whole = await buildCitySummary(reader(), { planId, periodCode: period.code });
      expect(cityRows(whole)).toEqual(await unfilteredCityRows(db, planId, period.id));
      reported += whole.counts.reported;
      for (const unit of units) {
        const ofUnit = await buildCitySummary(reader(), { planId, periodCode: period.code, organisationId: unit.id });
        expect(cityRows(ofUnit)).toEqual(await unfilteredCityRows(db, planId, period.id, unit.id));
      }
    }
    expect(reported).toBeGreaterThan(0);
  });

  it('serves the plan tree from the cache while nothing changed', async () => {
    const caches = readCachesOf(database().db)!;
    const first = await getPlanTree(reader(), planId);
    const hits = caches.structures.hits;
    const again = await getPlanTree(reader(), planId);
    expect(caches.structures.hits).toBe(hits + 1);
    expect(again.chapters).toBe(first.chapters);
    expect(() => (again.chapters as unknown[]).push({})).toThrow(TypeError);
  });

  it('shows a unit renamed through another server on the next read', async () => {
    const tree = await getPlanTree(reader(), planId);
    const unit = treeItems(tree)[0]!.lead[0]!;
    await updateOrganisationRecord(writer(), ACTOR, unit.id, { name: `${unit.name}（新）` });
    const after = await getPlanTree(reader(), planId);
    expect(treeItems(after)[0]!.lead[0]).toMatchObject({ id: unit.id, name: `${unit.name}（新）` });
    expect(
      treeItems(after)
        .flatMap((item) => [...item.lead, ...item.cooperating])
        .some((ref) => ref.name === unit.name),
    ).toBe(false);
  });

  it('shows an item reassigned through another server on the next read, in the tree and the city table', async () => {
    const before = await getPlanTree(reader(), planId);
    await buildCitySummary(reader(), { planId });
    const item = treeItems(before)[1]!;
    const units = (await listOrganisations(database().db)).filter((row) => row.merged_into_id === null && row.id !== item.lead[0]!.id);
    const newLead = units[0]!;
    await reassignItem(writer(), ACTOR, item.id, { lead: [newLead.id], cooperating: [] });
    const after = treeItems(await getPlanTree(reader(), planId)).find((candidate) => candidate.id === item.id)!;
    expect(after.lead.map((ref) => ref.id)).toEqual([newLead.id]);
    expect(after.cooperating).toEqual([]);
    const cityItem = (await buildCitySummary(reader(), { planId })).table.chapters
      .flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))
      .find((candidate) => candidate.id === item.id)!;
    expect(cityItem.lead).toBe(newLead.name);
    // the unit's own tree and table now hold the item
    const scoped = await getPlanTree(reader(), planId, { organisationId: newLead.id });
    expect(treeItems(scoped).map((candidate) => candidate.id)).toContain(item.id);
  });

  it('shows units merged through another server on the next read', async () => {
    // a duplicate record of a unit, put on an item, with no reports of its own to clash
    const duplicate = await createOrganisation(writer(), ACTOR, { name: '市重复登记的单位', kind: 'city_department' });
    const item = treeItems(await getPlanTree(reader(), planId))[2]!;
    await reassignItem(writer(), ACTOR, item.id, { lead: item.lead.map((ref) => ref.id), cooperating: [duplicate.id] });
    const onItem = treeItems(await getPlanTree(reader(), planId)).find((candidate) => candidate.id === item.id)!;
    expect(onItem.cooperating.map((ref) => ref.name)).toEqual(['市重复登记的单位']);
    const target = (await listOrganisations(database().db)).find(
      (row) => city.units.includes(row.name) && row.merged_into_id === null && !item.lead.some((ref) => ref.id === row.id),
    )!;
    await mergeOrganisations(writer(), ACTOR, { sourceId: duplicate.id, targetId: target.id, confirmed: true });
    const merged = treeItems(await getPlanTree(reader(), planId)).find((candidate) => candidate.id === item.id)!;
    expect(merged.cooperating.map((ref) => ref.id)).toEqual([target.id]);
  });

  it('shows an item imported through another server on the next read, and a unit’s signature changes nothing', async () => {
    const before = await getPlanTree(reader(), planId);
    const table = structuredClone(city.table);
    const task = table.chapters[0]!.tasks[0]!;
    task.items.push({ ...task.items[0]!, work: '新增的一项工作：建成全市统一的监测平台。', completion: '' });
    await importSummaryTable(writer(), ACTOR, { bytes: await writeSummaryDocument(table, 'json'), fileName: `${city.year}-plan.json` });
    const after = await getPlanTree(reader(), planId);
    expect(after.plan.counts.items).toBe(before.plan.counts.items + 1);
    expect(treeItems(after).map((item) => item.work)).toContain('新增的一项工作：建成全市统一的监测平台。');

    // signing for an assignment changes no structure: the revision stays and the cache keeps serving
    const revision = await readStructureRevision(database().db);
    const link = await database()
      .db.selectFrom('item_organisations')
      .select(['item_id', 'organisation_id'])
      .where('state', '=', 'assigned')
      .executeTakeFirstOrThrow();
    const unitReporter = {
      kind: 'user' as const,
      userId: 9,
      username: 'r',
      role: 'unit_reporter' as const,
      organisationId: link.organisation_id,
      mustChangePassword: false,
      sessionId: 's',
    };
    await answerAssignment(writer(), unitReporter, ACTOR, link.item_id, { answer: 'acknowledge' });
    expect(await readStructureRevision(database().db)).toBe(revision);
  });

  it('never keeps what a transaction read: a rolled-back change is not served afterwards', async () => {
    const { db } = database();
    const before = await getPlanTree(reader(), planId);
    const renamed = treeItems(before)[0]!.lead[0]!;
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('organisations').set({ name: '回滚前的名称' }).where('id', '=', renamed.id).execute();
        const inside = await getPlanTree(createServiceContext(trx as unknown as Db, NOW), planId);
        expect(treeItems(inside)[0]!.lead[0]!.name).toBe('回滚前的名称');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(treeItems(await getPlanTree(reader(), planId))[0]!.lead[0]!.name).toBe(renamed.name);
  });

  it('closes the second server', async () => {
    await second.close();
  });
});
