/**
 * Many people saving and submitting at once: every write lands exactly once with its version and audit entry, on
 * both databases (on SQLite through group commit), and a client that asks for no full view gets id, revision and
 * state only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/services/accounts.js';
import { listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext, type ServiceContext } from '../../src/services/context.js';
import { loadDemoPlanIfEmpty } from '../../src/services/demo.js';
import { actOnReport, saveReport } from '../../src/services/reporting.js';
import { setSchedule } from '../../src/services/schedule.js';
import { buildTestApp, signInAs } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';

const ACTOR = { id: 'reporter', source: 'web' };
const reporterOf = (organisationId: number): Principal => ({
  kind: 'user',
  userId: 1,
  username: 'reporter',
  role: 'unit_reporter',
  organisationId,
  mustChangePassword: false,
  sessionId: 'concurrent',
});
const content = (progress: string) => ({ progress, problems: '', nextSteps: '', status: '序时推进' as const, figures: [] });

describeEachDatabase('concurrent saves and submits', (database) => {
  let ctx: ServiceContext;
  let year = 0;
  let keys: { itemId: number; organisationId: number; periodCode: string }[] = [];

  beforeAll(async () => {
    const db = database().db;
    ctx = createServiceContext(db, () => new Date('2022-06-30T02:00:00Z'));
    await loadDemoPlanIfEmpty(ctx);
    const [plan] = await listPlanSummaries(ctx);
    year = plan!.year;
    await setSchedule(ctx, ACTOR, plan!.id, [{ kind: 'month' }]);
    const links = await db
      .selectFrom('item_organisations')
      .select(['item_id', 'organisation_id'])
      .distinct()
      .orderBy('item_id')
      .orderBy('organisation_id')
      .execute();
    // the demo brings reports of its own: only reports not yet written start at revision 0
    const written = new Set(
      (
        await db
          .selectFrom('reports')
          .innerJoin('periods', 'periods.id', 'reports.period_id')
          .select(['item_id', 'organisation_id', 'periods.code'])
          .execute()
      ).map((row) => `${row.item_id}/${row.organisation_id}/${row.code}`),
    );
    for (let month = 1; keys.length < 200 && month <= 10; month++) {
      for (const link of links) {
        const periodCode = `${year}-M${String(month).padStart(2, '0')}`;
        if (!written.has(`${link.item_id}/${link.organisation_id}/${periodCode}`))
          keys.push({ itemId: link.item_id, organisationId: link.organisation_id, periodCode });
      }
    }
    keys = keys.slice(0, 200);
    expect(keys).toHaveLength(200);
  });

  it('lands 200 saves and 200 submits made at once exactly once each, with their versions and audit entries', async () => {
    const db = database().db;
    const saved = await Promise.all(
      keys.map((key, index) =>
        saveReport(ctx, reporterOf(key.organisationId), ACTOR, key, { content: content(`第 ${index} 份进展。`), baseRevision: 0 }),
      ),
    );
    expect(new Set(saved.map((view) => view.id)).size).toBe(200);
    expect(saved.every((view) => view.revision === 1 && view.state === 'draft')).toBe(true);
    const submitted = await Promise.all(
      saved.map((view) =>
        actOnReport(ctx, reporterOf(view.organisation.id), ACTOR, view.id!, { event: 'submit', baseRevision: view.revision }),
      ),
    );
    expect(submitted.every((view) => view.revision === 2 && view.state === 'submitted')).toBe(true);
    // the answer is built from what was written: it shows the submitted text, as a fresh read does
    expect(submitted[7]!.content?.progress).toBe('第 7 份进展。');

    const ids = saved.map((view) => view.id!);
    const reports = await db.selectFrom('reports').select(['id', 'revision', 'state', 'text']).where('id', 'in', ids).execute();
    expect(reports).toHaveLength(200);
    expect(reports.every((report) => report.revision === 2 && report.state === 'submitted')).toBe(true);
    const versions = await db
      .selectFrom('report_versions')
      .select(['report_id', 'revision', 'event'])
      .where('report_id', 'in', ids)
      .execute();
    expect(versions).toHaveLength(200);
    expect(versions.every((version) => version.revision === 2 && version.event === 'submit')).toBe(true);
    const audit = await db
      .selectFrom('audit_events')
      .select(['object_id', 'action'])
      .where('object_type', '=', 'report')
      .where('object_id', 'in', ids.map(String))
      .execute();
    for (const action of ['report.save', 'report.submit']) {
      const objects = audit.filter((entry) => entry.action === action).map((entry) => Number(entry.object_id));
      expect(objects.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('lets exactly one of many concurrent saves of the same revision win; the others get 409', async () => {
    const key = { ...keys[0]!, periodCode: `${year}-M12` };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        saveReport(ctx, reporterOf(key.organisationId), ACTOR, key, { content: content(`同时保存 ${index}`), baseRevision: 0 }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refused.every((outcome) => outcome.reason.status === 409 && outcome.reason.code === 'report_changed')).toBe(true);
    const report = await database()
      .db.selectFrom('reports')
      .innerJoin('periods', 'periods.id', 'reports.period_id')
      .select(['reports.id', 'revision'])
      .where('item_id', '=', key.itemId)
      .where('organisation_id', '=', key.organisationId)
      .where('periods.code', '=', key.periodCode)
      .execute();
    expect(report).toEqual([expect.objectContaining({ revision: 1 })]);
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await buildTestApp(database().db, { now: () => new Date('2022-06-30T02:00:00Z') });
    });
    afterAll(async () => {
      await app.close();
    });

    it('answers a save and a submit with id, revision and state only under Prefer: return=minimal, and in full otherwise', async () => {
      const db = database().db;
      const key = { ...keys[1]!, periodCode: `${year}-M11` };
      const organisation = await db
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', key.organisationId)
        .executeTakeFirstOrThrow();
      const reporter = await signInAs(app, db, 'unit_reporter', organisation.name);
      const url = `/api/items/${key.itemId}/reports/${key.organisationId}/${key.periodCode}`;
      const saved = await reporter.inject({
        method: 'PUT',
        url,
        headers: { prefer: 'return=minimal' },
        payload: { content: content('十一月进展。'), baseRevision: 0 },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.headers['preference-applied']).toBe('return=minimal');
      const written = saved.json();
      expect(written).toEqual({ id: expect.any(Number), revision: 1, state: 'draft' });

      const resaved = await reporter.inject({ method: 'PUT', url, payload: { content: content('十一月进展，补充。'), baseRevision: 1 } });
      expect(resaved.statusCode, resaved.body).toBe(200);
      expect(resaved.headers['preference-applied']).toBeUndefined();
      expect(resaved.json()).toMatchObject({
        id: written.id,
        revision: 2,
        state: 'draft',
        content: { progress: '十一月进展，补充。' },
        actions: expect.arrayContaining(['submit']),
      });

      const submitted = await reporter.inject({
        method: 'POST',
        url: `/api/reports/${written.id}/events`,
        headers: { prefer: 'return=minimal' },
        payload: { event: 'submit', baseRevision: 2 },
      });
      expect(submitted.statusCode, submitted.body).toBe(200);
      expect(submitted.json()).toEqual({ id: written.id, revision: 3, state: 'submitted' });
      expect((await reporter.inject({ method: 'GET', url })).json()).toMatchObject({
        revision: 3,
        state: 'submitted',
        content: { progress: '十一月进展，补充。' },
      });
    });
  });
});
