/**
 * One item through the whole reporting cycle, over HTTP as the web app drives it, for its lead unit (市水务局) and a
 * cooperating unit (市住建局), across two quarters: assignment and signing, drafts, submission, the leaders'
 * approval, the lead unit taking in the cooperator's report, a return by the supervision office with a comment, the
 * resubmission, an extension, acceptance and the lock; with the to-do lists, versions, diff and audit trail checked
 * on the way.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSummaryTable } from '../factories/summary-table.js';
import { auditedWrite, buildTestApp, signInAs, type Session } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { writeSummaryDocument } from '../../src/documents/index.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';

const WORK = '推进城区雨污分流改造，新建管网12公里。';

describeEachDatabase('the reporting cycle', (database) => {
  let clock = new Date('2030-03-20T02:00:00Z');
  let app: FastifyInstance;
  let office: Session;
  let water: { reporter: Session; leader: Session; id: number };
  let housing: { reporter: Session; leader: Session; id: number };
  let outsider: Session;
  let itemId = 0;
  let planId = 0;
  const audited = (write: () => Promise<LightMyRequestResponse>, status = 200) => auditedWrite(database().db, write, status);
  const url = (organisationId: number, period: string) => `/api/items/${itemId}/reports/${organisationId}/${period}`;
  const get = async (session: Session, path: string) => {
    const response = await session.inject({ method: 'GET', url: path });
    return { status: response.statusCode, body: response.json() };
  };
  const content = (progress: string, status: string | null = '序时推进') => ({
    progress,
    problems: '',
    nextSteps: '',
    status,
    figures: [] as unknown[],
  });
  const save = (session: Session, organisationId: number, period: string, progress: string, baseRevision: number, status = 200) =>
    audited(
      () => session.inject({ method: 'PUT', url: url(organisationId, period), payload: { content: content(progress), baseRevision } }),
      status,
    );
  const act = (session: Session, reportId: number, event: string, baseRevision: number, comment?: string, status = 200) =>
    audited(
      () =>
        session.inject({
          method: 'POST',
          url: `/api/reports/${reportId}/events`,
          payload: { event, baseRevision, ...(comment ? { comment } : {}) },
        }),
      status,
    );

  /** Fresh sessions for everyone: moving the clock by months ends the old ones. */
  async function signInEveryone(): Promise<void> {
    const db = database().db;
    office = await signInAs(app, db, 'supervisor');
    const unit = async (name: string) => ({
      reporter: await signInAs(app, db, 'unit_reporter', name),
      leader: await signInAs(app, db, 'unit_leader', name),
      id: (await db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id,
    });
    water = await unit('市水务局');
    housing = await unit('市住建局');
    outsider = await signInAs(app, db, 'unit_reporter', '市工信局');
  }

  beforeAll(async () => {
    const db = database().db;
    // 市水务局's table of 2030 without completion texts: the plan, its items and units, and no reports yet
    const table = buildSummaryTable();
    for (const chapter of table.chapters) for (const task of chapter.tasks) for (const item of task.items) item.completion = '';
    await importSummaryTable(
      createServiceContext(db),
      { id: 'test', source: 'test' },
      { bytes: await writeSummaryDocument(table, 'json'), fileName: 'plan.json' },
    );
    app = await buildTestApp(db, { now: () => clock });
    await signInEveryone();
    const plans = (await get(office, '/api/plans')).body.plans as { id: number; year: number }[];
    planId = plans.find((plan) => plan.year === 2030)!.id;
    const tree = (await get(office, `/api/plans/${planId}`)).body;
    itemId = tree.chapters.flatMap((c: any) => c.tasks.flatMap((t: any) => t.items)).find((item: any) => item.work === WORK).id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('the office sets quarterly and year-end reporting; due dates follow the rules and the holidays', async () => {
    await audited(() =>
      office.inject({
        method: 'PUT',
        url: '/api/calendar/2030',
        payload: { days: [{ day: '2030-04-22', kind: 'holiday', name: '测试假日' }] },
      }),
    );
    const { response, entries } = await audited(() =>
      office.inject({
        method: 'PUT',
        url: `/api/plans/${planId}/schedule`,
        payload: { kinds: [{ kind: 'quarter' }, { kind: 'year', dueRule: { kind: 'day_of_next_month', day: 10 } }] },
      }),
    );
    expect(entries).toHaveLength(1);
    expect(response.kinds.map((kind: any) => kind.description)).toEqual(['次月 20 日（遇节假日顺延）', '次月 10 日（遇节假日顺延）']);
    const due = Object.fromEntries(response.periods.map((period: any) => [period.code, period.dueOn]));
    // 20 April 2030 is a Saturday; Monday the 22nd is the made-up holiday: the Q1 report is due Tuesday the 23rd
    expect(due).toMatchObject({ '2030-Q1': '2030-04-23', '2030-Q2': '2030-07-22', '2030-Y': '2031-01-10' });
    const q2 = await audited(() =>
      office.inject({ method: 'PATCH', url: `/api/plans/${planId}/periods/2030-Q2`, payload: { dueOn: '2030-07-25' } }),
    );
    expect(q2.response.periods.find((period: any) => period.code === '2030-Q2')).toMatchObject({
      dueOn: '2030-07-25',
      dueSetByHand: true,
      ruleDueOn: '2030-07-22',
    });
    const back = await audited(() =>
      office.inject({ method: 'PATCH', url: `/api/plans/${planId}/periods/2030-Q2`, payload: { dueOn: null } }),
    );
    expect(back.response.periods.find((period: any) => period.code === '2030-Q2')).toMatchObject({
      dueOn: '2030-07-22',
      dueSetByHand: false,
    });
  });

  it('units sign for their parts; a unit that is not concerned may not', async () => {
    const assignments = await audited(() =>
      housing.reporter.inject({ method: 'POST', url: `/api/items/${itemId}/assignment`, payload: { answer: 'acknowledge' } }),
    );
    expect(assignments.response.assignments.find((a: any) => a.organisation.name === '市住建局')).toMatchObject({
      role: 'cooperating',
      state: 'acknowledged',
      stateLabel: '已签收',
      by: expect.any(String),
    });
    expect(assignments.entries).toEqual([
      expect.objectContaining({
        action: 'assignment.acknowledge',
        before: { state: 'assigned' },
        after: { state: 'acknowledged', reason: null },
      }),
    ]);
    expect(
      (await outsider.inject({ method: 'POST', url: `/api/items/${itemId}/assignment`, payload: { answer: 'acknowledge' } })).statusCode,
    ).toBe(404);
  });

  it('a unit breaks its part into its own steps with milestones; the lead unit reads them', async () => {
    const steps = [
      { title: '完成道路开挖审批', dueOn: '2030-04-30' },
      { title: '配合管网验收', dueOn: '2030-11-30', doneOn: null },
    ];
    const set = await audited(() =>
      housing.reporter.inject({ method: 'PUT', url: `/api/items/${itemId}/steps/${housing.id}`, payload: { steps } }),
    );
    expect(set.response.steps.map((step: any) => `${step.position} ${step.title} ${step.dueOn}`)).toEqual([
      '1 完成道路开挖审批 2030-04-30',
      '2 配合管网验收 2030-11-30',
    ]);
    expect(set.entries).toEqual([expect.objectContaining({ action: 'item.steps', before: [], organisation_id: housing.id })]);
    expect((await get(water.reporter, `/api/items/${itemId}/steps/${housing.id}`)).body.steps).toHaveLength(2);
    expect(
      (await water.reporter.inject({ method: 'PUT', url: `/api/items/${itemId}/steps/${housing.id}`, payload: { steps: [] } })).statusCode,
    ).toBe(403);
    expect((await get(outsider, `/api/items/${itemId}/steps/${housing.id}`)).status).toBe(404);
  });

  it('Q1: the cooperating unit drafts, submits and its leader approves; the lead unit sees it only then, and takes it in', async () => {
    const todo = (await get(housing.reporter, '/api/my-work')).body;
    expect(todo.due.map((entry: any) => `${entry.itemId} ${entry.period.code} ${entry.daysLeft}`)).toContain(`${itemId} 2030-Q1 34`);

    const draft = await save(housing.reporter, housing.id, '2030-Q1', '配合完成道路开挖审批3项。', 0);
    expect(draft.response).toMatchObject({
      state: 'draft',
      revision: 1,
      relation: 'cooperating',
      actions: expect.arrayContaining(['edit', 'submit']),
    });
    expect(draft.entries).toEqual([expect.objectContaining({ action: 'report.save', before: null })]);
    const reportId = draft.response.id;
    // the lead unit does not see another unit's draft
    expect((await get(water.reporter, url(housing.id, '2030-Q1'))).body).toMatchObject({ state: 'draft', content: null });
    expect((await get(outsider, url(housing.id, '2030-Q1'))).status).toBe(404);

    const submitted = await act(housing.reporter, reportId, 'submit', 1);
    expect(submitted.response).toMatchObject({ state: 'submitted', revision: 2 });
    const toApprove = (await get(housing.leader, '/api/my-work')).body.toApprove;
    expect(toApprove.map((entry: any) => entry.reportId)).toEqual([reportId]);
    expect(toApprove[0]).toMatchObject({ updatedAt: clock.toISOString(), updatedBy: expect.any(String) });
    // the reporter cannot approve their own unit's report, the leader can
    expect((await act(housing.reporter, reportId, 'approve', 2, undefined, 403)).entries).toEqual([]);
    await act(housing.leader, reportId, 'approve', 2);

    const seenByLead = (await get(water.reporter, url(housing.id, '2030-Q1'))).body;
    expect(seenByLead).toMatchObject({
      state: 'approved',
      content: { progress: '配合完成道路开挖审批3项。' },
      actions: ['accept', 'return'],
    });
    expect((await get(water.reporter, '/api/my-work')).body.toReview.map((entry: any) => entry.reportId)).toEqual([reportId]);
    const accepted = await act(water.reporter, reportId, 'accept', 3);
    expect(accepted.response).toMatchObject({ state: 'accepted', stateLabel: '已采纳', actions: [] });
  });

  it('Q1: the lead unit consolidates; the office returns it with a comment; the unit sees the comment, resubmits, and it is accepted and locked', async () => {
    const first = await save(water.reporter, water.id, '2030-Q1', '一季度新建管网3公里。', 0);
    const reportId = first.response.id;
    expect(first.response.relation).toBe('lead');
    await act(water.reporter, reportId, 'submit', 1);
    await act(water.leader, reportId, 'approve', 2);
    expect((await get(office, '/api/my-work')).body.toReview.map((entry: any) => entry.reportId)).toEqual([reportId]);

    expect((await act(office, reportId, 'return', 3, undefined, 400)).response.error.code).toBe('comment_required');
    const returned = await act(office, reportId, 'return', 3, '请补充配合单位住建局的审批进展和具体数据。');
    expect(returned.entries).toEqual([
      expect.objectContaining({
        action: 'report.return',
        before: { state: 'approved', revision: 3 },
        after: { state: 'returned', revision: 4, comment: '请补充配合单位住建局的审批进展和具体数据。' },
      }),
    ]);

    const seen = (await get(water.reporter, url(water.id, '2030-Q1'))).body;
    expect(seen).toMatchObject({
      state: 'returned',
      stateLabel: '已退回',
      lastReview: { event: 'return', eventLabel: '退回', comment: '请补充配合单位住建局的审批进展和具体数据。' },
    });
    const returnedTodo = (await get(water.reporter, '/api/my-work')).body.returned;
    expect(returnedTodo).toEqual([expect.objectContaining({ reportId, comment: '请补充配合单位住建局的审批进展和具体数据。' })]);

    await save(water.reporter, water.id, '2030-Q1', '一季度新建管网3.2公里；住建局完成道路开挖审批3项。', 4);
    await act(water.reporter, reportId, 'submit', 5);
    await act(water.leader, reportId, 'approve', 6);
    const accepted = await act(office, reportId, 'accept', 7);
    expect(accepted.response).toMatchObject({ state: 'accepted', actions: [] });

    // locked: no change, no step, nothing written
    const locked = await save(water.reporter, water.id, '2030-Q1', '改一下', 8, 409);
    expect(locked.response.error.code).toBe('report_locked');
    expect(locked.entries).toEqual([]);

    const versions = (await get(water.reporter, `/api/reports/${reportId}/versions`)).body.versions;
    expect(versions.map((version: any) => `${version.revision} ${version.event} ${version.state}`)).toEqual([
      '2 submit submitted',
      '3 approve approved',
      '4 return returned',
      '6 submit submitted',
      '7 approve approved',
      '8 accept accepted',
    ]);
    // the office sees only what left the unit
    expect((await get(office, `/api/reports/${reportId}/versions`)).body.versions.map((version: any) => version.event)).toEqual([
      'approve',
      'return',
      'approve',
      'accept',
    ]);
    const diff = (await get(office, `/api/reports/${reportId}/diff?from=4&to=8`)).body;
    expect(
      diff.progress
        .filter((line: any) => line.kind === 'added')
        .map((line: any) => line.text)
        .join(''),
    ).toContain('住建局完成道路开挖审批3项');
    expect(
      diff.progress
        .filter((line: any) => line.kind === 'added')
        .map((line: any) => line.text)
        .join(''),
    ).toContain('.2');
  });

  it('Q2: the lead unit asks for more time; the office grants it and the due date moves', async () => {
    clock = new Date('2030-07-15T02:00:00Z');
    await signInEveryone();
    const refused = await audited(
      () =>
        water.reporter.inject({
          method: 'POST',
          url: `${url(water.id, '2030-Q2')}/extension`,
          payload: { dueOn: '2030-07-01', reason: '等待审计结果' },
        }),
      400,
    );
    expect(refused.response.error.code).toBe('extension_not_later');
    const requested = await audited(() =>
      water.reporter.inject({
        method: 'POST',
        url: `${url(water.id, '2030-Q2')}/extension`,
        payload: { dueOn: '2030-08-05', reason: '二季度管网工程结算需等待审计结果。' },
      }),
    );
    expect(requested.response).toMatchObject({ dueOn: '2030-07-22', extension: { state: 'pending', requestedDueOn: '2030-08-05' } });
    expect(requested.entries).toEqual([expect.objectContaining({ action: 'report.extension_request' })]);

    const pending = (await get(office, '/api/my-work')).body.extensions;
    expect(pending).toEqual([
      expect.objectContaining({ itemId, requestedDueOn: '2030-08-05', reason: '二季度管网工程结算需等待审计结果。' }),
    ]);
    expect(
      (await water.leader.inject({ method: 'POST', url: `/api/extensions/${pending[0].extensionId}/decision`, payload: { approve: true } }))
        .statusCode,
    ).toBe(403);
    const granted = await audited(() =>
      office.inject({
        method: 'POST',
        url: `/api/extensions/${pending[0].extensionId}/decision`,
        payload: { approve: true, comment: '同意' },
      }),
    );
    expect(granted.response).toMatchObject({ dueOn: '2030-08-05', daysLeft: 21, extension: { state: 'approved' } });
    // decided once: a second decision (another tab, a colleague at the same moment) changes nothing
    const again = await office.inject({
      method: 'POST',
      url: `/api/extensions/${pending[0].extensionId}/decision`,
      payload: { approve: false, comment: '不同意' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('extension_decided');

    const report = granted.response;
    await save(water.reporter, water.id, '2030-Q2', '二季度新建管网4公里，累计7.2公里。', report.revision);
    await act(water.reporter, report.id, 'submit', report.revision + 1);
    await act(water.leader, report.id, 'approve', report.revision + 2);
    expect((await act(office, report.id, 'accept', report.revision + 3)).response.state).toBe('accepted');
  });

  it('keeps every write: two people saving one draft at once — one wins, the other gets 409 with its text kept', async () => {
    const second = await signInAs(app, database().db, 'unit_reporter', '市住建局');
    const base = (await save(housing.reporter, housing.id, '2030-Q2', '配合推进。', 0)).response.revision;
    const [a, b] = await Promise.all([
      housing.reporter.inject({
        method: 'PUT',
        url: url(housing.id, '2030-Q2'),
        payload: { content: content('甲的文字'), baseRevision: base },
      }),
      second.inject({ method: 'PUT', url: url(housing.id, '2030-Q2'), payload: { content: content('乙的文字'), baseRevision: base } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const [won, lost] = a.statusCode === 200 ? [a, b] : [b, a];
    const conflict = lost.json().error;
    expect(conflict.code).toBe('report_changed');
    expect(conflict.details.current.content.progress).toBe(won.json().content.progress);
    expect(conflict.details.yours.progress).toBe(lost === a ? '甲的文字' : '乙的文字');
    // the loser merges and saves on top of the winner's revision: both texts are there
    const merged = `${won.json().content.progress}\n${conflict.details.yours.progress}`;
    const saved = await save(lost === a ? housing.reporter : second, housing.id, '2030-Q2', merged, conflict.details.current.revision);
    expect(saved.response.content.progress).toBe(merged);
  });
});
