/**
 * The heavy reads (a unit's summary table, the plan tree, the city-wide table) are answered from finished bytes kept
 * under the database's revisions. Two apps on one database stand for two servers: whatever one writes, the other
 * shows on its next read, and a kept answer always equals the answer built afresh by the services.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { insertPeriod } from '../../src/db/repositories/catalogue.js';
import { readRevisions } from '../../src/db/repositories/summaries.js';
import { findOrganisationByName, getPlanTree, listPlanSummaries } from '../../src/services/catalogue.js';
import { buildCitySummary } from '../../src/services/city-summary.js';
import { createServiceContext } from '../../src/services/context.js';
import { loadDemoPlanIfEmpty } from '../../src/services/demo.js';
import { buildOrganisationSummary } from '../../src/services/summary.js';
import { buildTestApp, signInAs, type Session } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';

describeEachDatabase('kept answers of the heavy reads', (database) => {
  let clock = new Date('2022-12-31T04:00:00Z');
  const now = () => clock;
  let other: DatabaseHandle | undefined;
  let first: FastifyInstance;
  let second: FastifyInstance;
  let office: Session;
  let reporter: Session;
  let stranger: Session;
  let planId: number;
  let ecologyId: number;
  let strangerId: number;

  /** the same request on the other server, with the same session cookie */
  const onSecond = (session: Session, method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, payload?: object) =>
    second.inject({
      method,
      url,
      payload,
      headers: { cookie: session.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken }) },
    });
  const body = (answer: LightMyRequestResponse) => {
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json();
  };
  /** what the services build now, as the JSON the route would send */
  const fresh = (value: unknown) => JSON.parse(JSON.stringify(value));
  const ctx = () => createServiceContext(database().db, now);

  beforeAll(async () => {
    await loadDemoPlanIfEmpty(ctx());
    // the second server has a connection of its own where the database allows it (SQLite: another connection to
    // the file; PostgreSQL: the same pool, as two processes on one database would each have theirs)
    other = database().cliLocation.startsWith('postgres') ? undefined : connectDatabase(database().cliLocation);
    first = await buildTestApp(database().db, { now });
    second = await buildTestApp(other?.db ?? database().db, { now });
    office = await signInAs(first, database().db, 'supervisor');
    reporter = await signInAs(first, database().db, 'unit_reporter', '市生态环境局');
    stranger = await signInAs(first, database().db, 'unit_reporter', '市发展改革委');
    planId = (await listPlanSummaries(ctx()))[0]!.id;
    ecologyId = (await findOrganisationByName(ctx(), '市生态环境局')).id;
    strangerId = (await findOrganisationByName(ctx(), '市发展改革委')).id;
    // a quarter with no reports yet: the year-end reports of the demo are accepted, and so closed to edits
    await insertPeriod(database().db, {
      plan_id: planId,
      code: '2022-Q4',
      kind: 'quarter',
      label: '第四季度',
      starts_on: '2022-10-01',
      ends_on: '2022-12-31',
      due_on: '2023-01-10',
      expected_progress: 100,
    });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await other?.close();
  });

  it('serves the same bytes again without building them, and 304 to a browser that has them', async () => {
    const url = `/api/plans/${planId}/summary?period=2022-Y`;
    const built = await office.inject({ method: 'GET', url });
    const hits = first.answers.hits;
    const again = await office.inject({ method: 'GET', url });
    expect(first.answers.hits).toBe(hits + 1);
    expect(again.body).toBe(built.body);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(body(again)).toEqual(fresh(await buildCitySummary(ctx(), { planId, periodCode: '2022-Y' })));

    const etag = again.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const unchanged = await office.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    const stale = await office.inject({ method: 'GET', url, headers: { 'if-none-match': '"something-else"' } });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toBe(built.body);
  });

  it('shows a report saved and submitted through the other server on the next read of every table', async () => {
    const city = `/api/plans/${planId}/summary?period=2022-Q4`;
    const own = `/api/organisations/${ecologyId}/summary?plan=${planId}&period=2022-Q4`;
    const before = {
      city: body(await office.inject({ method: 'GET', url: city })),
      own: body(await reporter.inject({ method: 'GET', url: own })),
    };
    const asOffice = body(await office.inject({ method: 'GET', url: own }));
    const item = before.city.table.chapters
      .flatMap((chapter: any) => chapter.tasks.flatMap((task: any) => task.items))
      .find((row: any) => row.lead === '市生态环境局');
    expect(item).toBeDefined();

    const reportUrl = `/api/items/${item.id}/reports/${ecologyId}/2022-Q4`;
    const progress = `经另一台服务器保存的进展 ${Date.now()}`;
    const saved = body(
      await onSecond(reporter, 'PUT', reportUrl, {
        content: { progress, problems: '', nextSteps: '', status: '持续推进', figures: [] },
        baseRevision: 0,
      }),
    );

    // the unit reads its own working text at once; the office and the city table still the text that left the unit
    const ownAfterSave = await reporter.inject({ method: 'GET', url: own });
    expect(ownAfterSave.body).toContain(progress);
    expect(body(ownAfterSave)).toEqual(
      fresh(
        await buildOrganisationSummary(ctx(), {
          organisationId: ecologyId,
          planId,
          periodCode: '2022-Q4',
          scope: { organisationId: ecologyId },
        }),
      ),
    );
    expect((await office.inject({ method: 'GET', url: own })).body).not.toContain(progress);
    expect(body(await office.inject({ method: 'GET', url: own }))).toEqual(asOffice);
    expect((await office.inject({ method: 'GET', url: city })).body).not.toContain(progress);

    const submitted = body(
      await onSecond(reporter, 'POST', `/api/reports/${saved.id}/events`, { event: 'submit', baseRevision: saved.revision }),
    );
    // submitted, it is still the unit's: the office reads it once the unit's leader has approved it
    expect((await office.inject({ method: 'GET', url: city })).body).not.toContain(progress);
    const leader = await signInAs(first, database().db, 'unit_leader', '市生态环境局');
    body(await onSecond(leader, 'POST', `/api/reports/${saved.id}/events`, { event: 'approve', baseRevision: submitted.revision }));
    const cityAfter = await office.inject({ method: 'GET', url: city });
    expect(cityAfter.body).toContain(progress);
    expect(body(cityAfter)).toEqual(fresh(await buildCitySummary(ctx(), { planId, periodCode: '2022-Q4' })));
    expect((await office.inject({ method: 'GET', url: own })).body).toContain(progress);
    // the working text is what was submitted: the unit's table is built again, to the same content
    expect(body(await reporter.inject({ method: 'GET', url: own }))).toEqual(body(ownAfterSave));
    expect(body(ownAfterSave)).not.toEqual(before.own);
  });

  it('shows a unit renamed and a period rescheduled through the other server', async () => {
    const tree = `/api/plans/${planId}`;
    const city = `/api/plans/${planId}/summary?period=2022-Y`;
    body(await office.inject({ method: 'GET', url: tree }));
    body(await office.inject({ method: 'GET', url: `/api/organisations/${strangerId}/summary?plan=${planId}&period=2022-Y` }));
    const cityBefore = body(await office.inject({ method: 'GET', url: city }));

    const db = other?.db ?? database().db;
    await db.updateTable('periods').set({ due_on: '2023-01-20' }).where('plan_id', '=', planId).where('code', '=', '2022-Y').execute();
    const cityAfter = body(await office.inject({ method: 'GET', url: city }));
    expect(cityBefore.period.dueOn).not.toBe('2023-01-20');
    expect(cityAfter.period.dueOn).toBe('2023-01-20');

    const admin = await signInAs(first, database().db, 'admin');
    body(await onSecond(admin, 'PATCH', `/api/organisations/${strangerId}`, { name: '市发展和改革委员会', keepOldNameAsAlias: true }));
    expect(body(await office.inject({ method: 'GET', url: tree }))).toEqual(fresh(await getPlanTree(ctx(), planId)));
    const theirs = body(
      await office.inject({ method: 'GET', url: `/api/organisations/${strangerId}/summary?plan=${planId}&period=2022-Y` }),
    );
    expect(theirs.organisation.name).toBe('市发展和改革委员会');
  });

  it('never serves one unit what was kept for another or for the office', async () => {
    const tree = `/api/plans/${planId}`;
    const mine = body(await reporter.inject({ method: 'GET', url: tree }));
    const theirs = await stranger.inject({ method: 'GET', url: tree });
    if (theirs.statusCode === 200) {
      expect(body(theirs)).toEqual(fresh(await getPlanTree(ctx(), planId, { organisationId: strangerId })));
      expect(theirs.body).not.toBe(JSON.stringify(mine));
    } else {
      expect(theirs.statusCode).toBe(404);
    }
    expect(body(await office.inject({ method: 'GET', url: tree }))).toEqual(fresh(await getPlanTree(ctx(), planId)));

    // the unit's own table is kept; another unit asking for it is refused all the same
    const own = `/api/organisations/${ecologyId}/summary?plan=${planId}&period=2022-Y`;
    body(await reporter.inject({ method: 'GET', url: own }));
    body(await reporter.inject({ method: 'GET', url: own }));
    expect((await stranger.inject({ method: 'GET', url: own })).statusCode).toBe(404);
    expect((await onSecond(stranger, 'GET', own)).statusCode).toBe(404);
  });

  it('bumps a unit’s report counter on every write to its reports, and moves it with a report', async () => {
    const db = database().db;
    const of = { planId, organisationId: ecologyId };
    const start = await readRevisions(db, of);
    const report = await db
      .selectFrom('reports')
      .innerJoin('periods', 'periods.id', 'reports.period_id')
      .select(['reports.id', 'reports.organisation_id', 'reports.period_id'])
      .where('periods.plan_id', '=', planId)
      .where('reports.organisation_id', '=', ecologyId)
      .executeTakeFirstOrThrow();
    await db.updateTable('reports').set({ updated_by: 'test' }).where('id', '=', report.id).execute();
    const touched = await readRevisions(db, of);
    expect(touched.reports).toBeGreaterThan(start.reports);
    expect(touched.structure).toBe(start.structure);

    const strangerBefore = await readRevisions(db, { planId, organisationId: strangerId });
    await db.updateTable('reports').set({ organisation_id: strangerId }).where('id', '=', report.id).execute();
    expect((await readRevisions(db, of)).reports).toBeGreaterThan(touched.reports);
    expect((await readRevisions(db, { planId, organisationId: strangerId })).reports).toBeGreaterThan(strangerBefore.reports);
    await db.updateTable('reports').set({ organisation_id: ecologyId }).where('id', '=', report.id).execute();

    const period = await readRevisions(db, { planId, periodCode: '2022-Y' });
    await db
      .insertInto('report_versions')
      .values({
        report_id: report.id,
        revision: 999,
        state: 'draft',
        text: '',
        problems: '',
        next_steps: '',
        status: null,
        figures: '[]',
        source: 'test',
        event: 'save',
        comment: null,
        created_by: 'test',
        created_at: new Date().toISOString(),
      })
      .execute();
    expect((await readRevisions(db, { planId, periodCode: '2022-Y' })).reports).toBeGreaterThan(period.reports);
  });
  it('builds the city table afresh when the date changes, since lights turn with the calendar', async () => {
    const city = `/api/plans/${planId}/summary?period=2022-Y`;
    body(await office.inject({ method: 'GET', url: city }));
    clock = new Date('2023-03-01T04:00:00Z');
    // a session of the new day: the earlier ones have been idle for two months
    const later = await signInAs(first, database().db, 'supervisor');
    const hits = first.answers.hits;
    const answer = body(await later.inject({ method: 'GET', url: city }));
    expect(first.answers.hits).toBe(hits);
    expect(answer).toEqual(fresh(await buildCitySummary(ctx(), { planId, periodCode: '2022-Y' })));
  });
});
