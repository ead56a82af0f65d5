/**
 * 我的待办 with debts years old: the demo plan of 2022 reports quarterly and it is 2026 now. Every quarter's report
 * of every item is overdue; the unit's reporter and leader see each of them, the most overdue first and a page at a
 * time, the office sees per unit how many are overdue and opens a unit's list; a draft stays owed, a submitted
 * report leaves the list.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs, type Session } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { findOrganisationByName, getPlanTree, listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext } from '../../src/services/context.js';
import { loadDemoPlanIfEmpty } from '../../src/services/demo.js';

describeEachDatabase('my work with reports overdue for years', (database) => {
  let app: FastifyInstance;
  let office: Session;
  let reporter: Session;
  let leader: Session;
  let other: Session;
  let ecologyId = 0;
  let itemIds: number[] = [];
  const get = async (session: Session, url: string) => {
    const response = await session.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    const db = database().db;
    const ctx = createServiceContext(db);
    await loadDemoPlanIfEmpty(ctx);
    app = await buildTestApp(db, { now: () => new Date('2026-03-02T02:00:00Z') });
    office = await signInAs(app, db, 'supervisor');
    reporter = await signInAs(app, db, 'unit_reporter', '市生态环境局');
    leader = await signInAs(app, db, 'unit_leader', '市生态环境局');
    other = await signInAs(app, db, 'unit_reporter', '市工信局');
    ecologyId = (await findOrganisationByName(ctx, '市生态环境局')).id;
    const [plan] = await listPlanSummaries(ctx);
    const tree = await getPlanTree(ctx, plan!.id);
    itemIds = tree.chapters.flatMap((chapter) =>
      chapter.tasks.flatMap((task) =>
        task.items
          .filter((item) => item.lead.some((org) => org.id === ecologyId) || item.cooperating.some((org) => org.id === ecologyId))
          .map((item) => item.id),
      ),
    );
    const schedule = await office.inject({
      method: 'PUT',
      url: `/api/plans/${plan!.id}/schedule`,
      payload: { kinds: [{ kind: 'quarter' }] },
    });
    expect(schedule.statusCode, schedule.body).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('the reporter and the leader see every 2022 quarterly report as overdue, the oldest first, however old', async () => {
    const expected = itemIds.length * 4;
    expect(itemIds.length).toBeGreaterThan(5);
    for (const session of [reporter, leader]) {
      const work = (await get(session, '/api/my-work')).body;
      expect(work.dueTotal).toBe(expected);
      expect(work.overdueTotal).toBe(expected);
      expect(work.total).toBeGreaterThanOrEqual(expected);
      expect(work.due).toHaveLength(20);
      // 2022-Q1 was due on 20 April 2022 (a Wednesday), 1412 days before 2 March 2026
      expect(work.due[0]).toMatchObject({
        period: { code: '2022-Q1' },
        dueOn: '2022-04-20',
        daysLeft: -1412,
        state: 'draft',
        stateLabel: '未填报',
        reportId: null,
      });
      expect(work.due.every((todo: any) => todo.daysLeft < 0)).toBe(true);
    }
    // all of them, page by page, each item and quarter once
    const seen = new Set<string>();
    for (let page = 1; page <= Math.ceil(expected / 25); page++) {
      const body = (await get(reporter, `/api/my-work/due?page=${page}&pageSize=25`)).body;
      expect(body.total).toBe(expected);
      for (const todo of body.rows) seen.add(`${todo.itemId} ${todo.period.code}`);
    }
    expect(seen.size).toBe(expected);
    expect([...seen].filter((key) => key.endsWith('2022-Q4'))).toHaveLength(itemIds.length);
  });

  it('the office sees per unit how many reports are overdue, and opens one unit’s list', async () => {
    const work = (await get(office, '/api/my-work')).body;
    const ecology = work.overdueUnits.find((unit: any) => unit.organisation.id === ecologyId);
    expect(ecology).toMatchObject({ overdue: itemIds.length * 4, oldestDueOn: '2022-04-20', daysOverdue: 1412 });
    expect(work.overdueTotal).toBe(work.overdueUnits.reduce((sum: number, unit: any) => sum + unit.overdue, 0));
    expect(work.total).toBeGreaterThanOrEqual(work.overdueUnits.length);
    const list = (await get(office, `/api/my-work/due?organisationId=${ecologyId}&overdueOnly=true&pageSize=5`)).body;
    expect(list.total).toBe(itemIds.length * 4);
    expect(list.rows.map((todo: any) => todo.organisation.id)).toEqual([ecologyId, ecologyId, ecologyId, ecologyId, ecologyId]);
  });

  it('another unit may not read this unit’s list, and is answered as for a unit that does not exist', async () => {
    const hidden = await get(other, `/api/my-work/due?organisationId=${ecologyId}`);
    expect(hidden.status).toBe(404);
    // the one body of a missing or hidden unit: no id, nothing that tells the two apart
    expect(hidden.body).toEqual((await get(other, '/api/organisations/999999')).body);
  });

  it('a saved draft is still owed, now as 草稿; a submitted report leaves the list', async () => {
    const itemId = itemIds[0]!;
    const url = `/api/items/${itemId}/reports/${ecologyId}/2022-Q1`;
    const content = { progress: '一季度已完成既定任务。', problems: '', nextSteps: '', status: '已完成', figures: [] };
    const saved = await reporter.inject({ method: 'PUT', url, payload: { content, baseRevision: 0 } });
    expect(saved.statusCode, saved.body).toBe(200);
    const draft = (await get(reporter, '/api/my-work')).body;
    expect(draft.dueTotal).toBe(itemIds.length * 4);
    expect(draft.due.find((todo: any) => todo.itemId === itemId && todo.period.code === '2022-Q1')).toMatchObject({
      state: 'draft',
      stateLabel: '草稿',
    });
    const report = saved.json();
    const submitted = await reporter.inject({
      method: 'POST',
      url: `/api/reports/${report.id}/events`,
      payload: { event: 'submit', baseRevision: report.revision },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const after = (await get(reporter, '/api/my-work')).body;
    expect(after.dueTotal).toBe(itemIds.length * 4 - 1);
    expect(after.due.some((todo: any) => todo.itemId === itemId && todo.period.code === '2022-Q1')).toBe(false);
    expect((await get(office, '/api/my-work')).body.overdueUnits.find((unit: any) => unit.organisation.id === ecologyId).overdue).toBe(
      itemIds.length * 4 - 1,
    );
  });
});
