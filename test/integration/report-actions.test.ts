/**
 * What the report answer offers each person (`actions`, from the domain's rules) at each state, the words for the
 * states, and the length limits of src/contract/limits.ts as the server enforces them.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEXT_LIMITS } from '../../src/contract/limits.js';
import { buildTestApp, signInAs, type Session } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { findOrganisationByName, getPlanTree, listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext } from '../../src/services/context.js';
import { loadDemoPlanIfEmpty } from '../../src/services/demo.js';

const LED_ITEM = '单位地区生产总值二氧化碳排放量下降完成省下达任务';

describeEachDatabase('report actions, state words and text limits', (database) => {
  let app: FastifyInstance;
  let office: Session;
  let reporter: Session;
  let leader: Session;
  let url = '';
  const content = (progress: string) => ({ progress, problems: '', nextSteps: '', status: '序时推进', figures: [] });
  const view = async (session: Session) => (await session.inject({ method: 'GET', url })).json();

  beforeAll(async () => {
    const db = database().db;
    const ctx = createServiceContext(db);
    await loadDemoPlanIfEmpty(ctx);
    app = await buildTestApp(db, { now: () => new Date('2022-04-10T02:00:00Z') });
    office = await signInAs(app, db, 'supervisor');
    reporter = await signInAs(app, db, 'unit_reporter', '市生态环境局');
    leader = await signInAs(app, db, 'unit_leader', '市生态环境局');
    const [plan] = await listPlanSummaries(ctx);
    const item = (await getPlanTree(ctx, plan!.id)).chapters
      .flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))
      .find((candidate) => candidate.work === LED_ITEM)!;
    url = `/api/items/${item.id}/reports/${(await findOrganisationByName(ctx, '市生态环境局')).id}/2022-Q1`;
    expect(
      (await office.inject({ method: 'PUT', url: `/api/plans/${plan!.id}/schedule`, payload: { kinds: [{ kind: 'quarter' }] } }))
        .statusCode,
    ).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('an untouched report is 未填报, a saved one 草稿', async () => {
    expect(await view(reporter)).toMatchObject({ id: null, state: 'draft', stateLabel: '未填报' });
    const saved = await reporter.inject({ method: 'PUT', url, payload: { content: content('一季度进展。'), baseRevision: 0 } });
    expect(saved.json()).toMatchObject({ state: 'draft', stateLabel: '草稿' });
  });

  it('holds each text to its limit, in the request schema and with the field named', async () => {
    const current = await view(reporter);
    const tooLong = await reporter.inject({
      method: 'PUT',
      url,
      payload: { content: content('进'.repeat(TEXT_LIMITS.progress.max + 1)), baseRevision: current.revision },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toContain(String(TEXT_LIMITS.progress.max));
    expect(tooLong.json().error.message).toContain(`（${TEXT_LIMITS.progress.label}）`);
    const fits = await reporter.inject({
      method: 'PUT',
      url,
      payload: { content: content('进'.repeat(TEXT_LIMITS.progress.max)), baseRevision: current.revision },
    });
    expect(fits.statusCode, fits.body).toBe(200);
    const problems = await reporter.inject({
      method: 'PUT',
      url,
      payload: {
        content: { ...content('一季度进展。'), problems: '问'.repeat(TEXT_LIMITS.problems.max + 1) },
        baseRevision: fits.json().revision,
      },
    });
    expect(problems.statusCode).toBe(400);
    expect(problems.json().error.message).toContain(String(TEXT_LIMITS.problems.max));
    expect(problems.json().error.message).toContain(`（${TEXT_LIMITS.problems.label}）`);
    const back = await reporter.inject({
      method: 'PUT',
      url,
      payload: { content: content('一季度进展。'), baseRevision: fits.json().revision },
    });
    expect(back.statusCode).toBe(200);
  });

  it('offers each person only the steps their role may take in this state', async () => {
    expect((await view(reporter)).actions).toEqual(['edit', 'submit', 'request_extension']);
    const draft = await view(reporter);
    const submitted = (
      await reporter.inject({
        method: 'POST',
        url: `/api/reports/${draft.id}/events`,
        payload: { event: 'submit', baseRevision: draft.revision },
      })
    ).json();
    expect(submitted).toMatchObject({ state: 'submitted', stateLabel: '待单位审核', actions: ['withdraw'] });
    // the leader answers the submission; taking it back is the reporter's
    expect((await view(leader)).actions).toEqual(['approve', 'reject']);
    const refused = await leader.inject({
      method: 'POST',
      url: `/api/reports/${draft.id}/events`,
      payload: { event: 'withdraw', baseRevision: submitted.revision },
    });
    expect(refused.statusCode).toBe(403);
    const tooLong = await leader.inject({
      method: 'POST',
      url: `/api/reports/${draft.id}/events`,
      payload: { event: 'reject', baseRevision: submitted.revision, comment: '意'.repeat(TEXT_LIMITS.comment.max + 1) },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toContain(String(TEXT_LIMITS.comment.max));
    const approved = (
      await leader.inject({
        method: 'POST',
        url: `/api/reports/${draft.id}/events`,
        payload: { event: 'approve', baseRevision: submitted.revision },
      })
    ).json();
    expect(approved).toMatchObject({ state: 'approved', stateLabel: '待审核', actions: [] });
    expect((await view(reporter)).actions).toEqual([]);
    expect((await view(office)).actions).toEqual(['accept', 'return']);
  });
});
