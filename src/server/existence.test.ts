import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs, TEST_CONFIG, TEST_PASSWORD, type Session } from '../../test/helpers/app.js';
import { describeEachDatabase } from '../../test/helpers/database.js';
import { authConfig } from '../config.js';
import { createUser } from '../services/accounts.js';
import { findOrganisationByName, getPlanTree, listPlanSummaries } from '../services/catalogue.js';
import { createServiceContext } from '../services/context.js';
import { loadDemoPlanIfEmpty } from '../services/demo.js';
import { importSummaryTable } from '../services/import.js';

/**
 * From outside, an object that does not exist, one of another unit and one the unit has no part in look the same:
 * one 404 body per kind of object, with nothing in it that differs.
 */
describeEachDatabase('who exists cannot be told apart', (database) => {
  let app: FastifyInstance;
  let water: Session;
  const ids = { ecology: 0, water: 0, finance: 0, ecologyItem: 0, ecologyReport: 0, plan2022: 0, plan2030: 0 };

  const answer = async (session: Session, url: string) => {
    const response = await session.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    const ctx = createServiceContext(database().db);
    await loadDemoPlanIfEmpty(ctx);
    const other = readFileSync(new URL('../../test/fixtures/merge/shuiwu-2030.txt', import.meta.url));
    await importSummaryTable(ctx, { id: 'test', source: 'test' }, { bytes: other, fileName: 'shuiwu-2030.txt' });
    app = await buildTestApp(database().db);
    ids.ecology = (await findOrganisationByName(ctx, '市生态环境局')).id;
    ids.water = (await findOrganisationByName(ctx, '市水务局')).id;
    const [plan2030, plan2022] = await listPlanSummaries(ctx);
    ids.plan2022 = plan2022!.id;
    ids.plan2030 = plan2030!.id;
    const tree = await getPlanTree(ctx, plan2022!.id);
    // an item of 2022 led by the ecology bureau alone: the water bureau has no part in it
    const items = tree.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items));
    const ecologyOnly = items.find((item) => item.lead.every((unit) => unit.id === ids.ecology) && item.cooperating.length === 0)!;
    ids.ecologyItem = ecologyOnly.id;
    const report = await database()
      .db.selectFrom('reports')
      .select('id')
      .where('item_id', '=', ecologyOnly.id)
      .where('organisation_id', '=', ids.ecology)
      .executeTakeFirstOrThrow();
    ids.ecologyReport = report.id;
    water = await signInAs(app, database().db, 'unit_reporter', '市水务局');
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a hidden report exactly as a missing one', async () => {
    const hidden = await answer(water, `/api/reports/${ids.ecologyReport}`);
    const missing = await answer(water, '/api/reports/999999');
    expect(hidden).toEqual({ status: 404, body: { error: { code: 'report_not_found', message: '找不到该报告，或您无权查看。' } } });
    expect(missing).toEqual(hidden);
    expect(await answer(water, `/api/reports/${ids.ecologyReport}/versions`)).toEqual(hidden);
    expect(await answer(water, '/api/reports/999999/versions')).toEqual(hidden);
  });

  it('answers the item/unit/period route alike whether the item, unit or period is missing, hidden or the unit has no part', async () => {
    const base = `/api/items/${ids.ecologyItem}/reports`;
    const urls = [
      `${base}/${ids.ecology}/2022-Y`, // another unit's report on an item the asking unit has no part in
      `${base}/${ids.water}/2022-Y`, // the asking unit's own "report" on an item it has no part in
      `/api/items/999999/reports/${ids.water}/2022-Y`, // no such item
      `${base}/999999/2022-Y`, // no such unit
      `${base}/${ids.ecology}/2022-Q1`, // no such period
    ];
    const answers = await Promise.all(urls.map((url) => answer(water, url)));
    expect(answers[0]).toEqual({ status: 404, body: { error: { code: 'report_not_found', message: '找不到该报告，或您无权查看。' } } });
    for (const other of answers) expect(other).toEqual(answers[0]);

    // the office sees everything there is, and still gets the same answer for what is not there
    const supervisor = await signInAs(app, database().db, 'supervisor');
    expect(await answer(supervisor, `${base}/${ids.water}/2022-Y`)).toEqual(answers[0]);
    expect(await answer(supervisor, `/api/items/999999/reports/${ids.water}/2022-Y`)).toEqual(answers[0]);
  });

  it('answers hidden items, units, plans and steps exactly as missing ones, each kind with its one body', async () => {
    const pairs: [string, string, string][] = [
      [`/api/items/${ids.ecologyItem}`, '/api/items/999999', 'item_not_found'],
      [`/api/items/${ids.ecologyItem}/assignments`, '/api/items/999999/assignments', 'item_not_found'],
      [`/api/organisations/${ids.ecology}`, '/api/organisations/999999', 'organisation_not_found'],
      [`/api/organisations/${ids.ecology}/summary`, '/api/organisations/999999/summary', 'organisation_not_found'],
      [`/api/items/${ids.ecologyItem}/steps/${ids.ecology}`, `/api/items/999999/steps/${ids.ecology}`, 'steps_not_found'],
    ];
    for (const [hiddenUrl, missingUrl, code] of pairs) {
      const hidden = await answer(water, hiddenUrl);
      expect(hidden, hiddenUrl).toMatchObject({ status: 404, body: { error: { code } } });
      expect(await answer(water, missingUrl), missingUrl).toEqual(hidden);
    }
    // a unit with no part in any plan: every plan is hidden from it
    const outsider = await signInAs(app, database().db, 'unit_reporter', '市档案局');
    const archives = (await findOrganisationByName(createServiceContext(database().db), '市档案局')).id;
    const hiddenPlan = await answer(outsider, `/api/plans/${ids.plan2022}`);
    expect(hiddenPlan).toEqual({ status: 404, body: { error: { code: 'plan_not_found', message: '找不到该工作计划，或您无权查看。' } } });
    expect(await answer(outsider, '/api/plans/999999')).toEqual(hiddenPlan);
    expect(await answer(outsider, `/api/organisations/${archives}/summary?plan=${ids.plan2022}`)).toEqual(hiddenPlan);
    expect(await answer(outsider, `/api/organisations/${archives}/summary?plan=999999`)).toEqual(hiddenPlan);
  });

  it('answers an unknown user, a wrong password, a disabled and a locked account with one body', async () => {
    const ctx = createServiceContext(database().db);
    const unit = await findOrganisationByName(ctx, '市生态环境局');
    for (const username of ['real.person', 'gone.person']) {
      await createUser(ctx, { id: 'test', source: 'test' }, authConfig(TEST_CONFIG), {
        username,
        organisationId: unit.id,
        role: 'unit_reporter',
        password: TEST_PASSWORD,
        mustChangePassword: false,
      });
    }
    await database().db.updateTable('users').set({ active: 0 }).where('username', '=', 'gone.person').execute();
    const login = async (username: string, password: string) => {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      return { status: response.statusCode, body: response.json() };
    };
    const wrong = await login('real.person', 'Wrong-Passw0rd');
    expect(wrong.status).toBe(401);
    expect(await login('nobody.at.all', 'Wrong-Passw0rd')).toEqual(wrong);
    expect(await login('gone.person', TEST_PASSWORD)).toEqual(wrong);
    // the remaining attempts are never told; the account locks after five, and then even the right password answers alike
    for (let attempt = 2; attempt <= 5; attempt++) expect(await login('real.person', 'Wrong-Passw0rd')).toEqual(wrong);
    expect(await login('real.person', TEST_PASSWORD)).toEqual(wrong);
    expect(JSON.stringify(wrong.body)).not.toMatch(/\d/);
  });
});
