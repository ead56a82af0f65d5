/**
 * The outbox against real endpoints on 127.0.0.1, through the outbound the runtime builds from the configuration:
 * a failing webhook goes through its retries into the dead-letter list and arrives, signed, once resent; an address
 * the SSRF guard refuses is refused when saved, and a saved address that comes to redirect to a refused one fails
 * at once, without reaching it. Also a unit's preferences, and a 通报 from draft to issued document.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authConfig } from '../../src/config.js';
import { verifyGenericSignature } from '../../src/delivery/webhooks.js';
import { parseAllowList } from '../../src/delivery/ssrf.js';
import { outboundFor } from '../../src/runtime.js';
import { createUser } from '../../src/services/accounts.js';
import { bulletinDocumentOf, createBulletin, issueBulletin, updateBulletin } from '../../src/services/bulletins.js';
import { findOrganisationByName, listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext, type ServiceContext } from '../../src/services/context.js';
import { loadDemoPlanIfEmpty } from '../../src/services/demo.js';
import {
  createWebhook,
  deliverDue,
  listDeliveryViews,
  notifyUnit,
  resendDelivery,
  setUnitPreferences,
} from '../../src/services/notifications.js';
import { setSchedule } from '../../src/services/schedule.js';
import { TEST_CONFIG } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';

const ACTOR = { id: 'test', source: 'test' };
const SECRET = 'outbox-secret';

describeEachDatabase('the outbox against real endpoints', (database) => {
  let ctx: ServiceContext;
  let server: Server;
  let port = 0;
  const received: { id: string; valid: boolean }[] = [];
  const canary: string[] = [];
  const behaviour = { failures: 0, redirectTo: '' };
  let ecologyId = 0;
  let planId = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/canary') {
          canary.push(String(request.headers['x-luoshi-delivery']));
          response.end('{}');
          return;
        }
        if (behaviour.redirectTo) {
          response.writeHead(307, { location: behaviour.redirectTo }).end();
          return;
        }
        if (behaviour.failures > 0) {
          behaviour.failures--;
          response.writeHead(503).end('busy');
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const valid = verifyGenericSignature(
          SECRET,
          String(request.headers['x-luoshi-timestamp']),
          body,
          String(request.headers['x-luoshi-signature']),
        );
        received.push({ id: String(request.headers['x-luoshi-delivery']), valid });
        response.writeHead(200).end('{"ok":true}');
      });
    });
    port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    const config = {
      ...TEST_CONFIG,
      webhookAllow: parseAllowList(`127.0.0.1:${port}`),
      deliveryRetrySeconds: 0,
      deliveryMaxAttempts: 3,
    };
    ctx = createServiceContext(database().db, () => new Date('2022-04-17T01:00:00Z'), { outbound: outboundFor(config) });
    await loadDemoPlanIfEmpty(ctx);
    const [plan] = await listPlanSummaries(ctx);
    planId = plan!.id;
    await setSchedule(ctx, ACTOR, planId, [{ kind: 'quarter' }]);
    ecologyId = (await findOrganisationByName(ctx, '市生态环境局')).id;
    await createUser(ctx, ACTOR, authConfig(TEST_CONFIG), {
      username: 'sthjj.reporter',
      role: 'unit_reporter',
      organisationId: ecologyId,
      password: 'Test-Passw0rd!',
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const notify = (cause: string) =>
    database()
      .db.transaction()
      .execute((trx) => notifyUnit(ctx, trx, ecologyId, { kind: 'urge', title: '催办', body: '请抓紧报送', cause }));

  it('refuses to save an address the SSRF guard refuses, and accepts the allowed one', async () => {
    await expect(
      createWebhook(ctx, ACTOR, { name: 'x', kind: 'generic', url: 'http://169.254.169.254/latest/meta-data' }),
    ).rejects.toMatchObject({
      code: 'webhook_refused',
    });
    await expect(createWebhook(ctx, ACTOR, { name: 'x', kind: 'generic', url: `http://127.0.0.2:${port}/hook` })).rejects.toMatchObject({
      code: 'webhook_refused',
    });
    await expect(
      createWebhook(ctx, ACTOR, { name: 'x', kind: 'wecom', url: `http://127.0.0.1:${port}/cgi-bin/webhook/send` }),
    ).rejects.toMatchObject({
      code: 'webhook_refused',
    });
    const webhook = await createWebhook(ctx, ACTOR, {
      name: '督查室群',
      kind: 'generic',
      url: `http://127.0.0.1:${port}/hook`,
      secret: SECRET,
    });
    expect(webhook).toMatchObject({ hasSecret: true, active: true, kindLabel: '通用 JSON（HMAC-SHA256 签名）' });
  });

  it('retries a failing endpoint, lists it as dead after the last attempt, and delivers it signed once resent', async () => {
    behaviour.failures = 3;
    await notify('urge:outbox-1');
    for (let round = 0; round < 3; round++) await deliverDue(ctx, 'test');
    const dead = await listDeliveryViews(ctx, { state: 'dead' });
    expect(dead.deliveries).toHaveLength(1);
    expect(dead.deliveries[0]).toMatchObject({ attempts: 3, channel: 'webhook' });
    expect(dead.deliveries[0]?.lastError).toMatch(/503/);
    expect(received).toEqual([]);

    await resendDelivery(ctx, ACTOR, dead.deliveries[0]!.id);
    await deliverDue(ctx, 'test');
    expect(received).toEqual([{ id: `d${dead.deliveries[0]!.id}`, valid: true }]);
    expect((await listDeliveryViews(ctx, { state: 'dead' })).total).toBe(0);
    await expect(resendDelivery(ctx, ACTOR, dead.deliveries[0]!.id)).rejects.toMatchObject({ code: 'delivery_not_dead' });
  });

  it('a saved address that redirects to a refused one fails at once, and the refused one is never reached', async () => {
    behaviour.redirectTo = `http://127.0.0.2:${port}/canary`;
    await notify('urge:outbox-2');
    await deliverDue(ctx, 'test');
    behaviour.redirectTo = '';
    const dead = await listDeliveryViews(ctx, { state: 'dead' });
    expect(dead.deliveries.map((delivery) => delivery.attempts)).toEqual([1]);
    expect(canary).toEqual([]);
  });

  it('a unit that turns webhooks off for a kind gets none of that kind', async () => {
    await setUnitPreferences(ctx, ACTOR, ecologyId, [{ kind: 'urge', email: true, webhook: false }]);
    const fanout = await notify('urge:outbox-3');
    expect(fanout).toMatchObject({ people: 1, webhooks: 0 });
  });

  it('drafts a 通报, edits its wording, issues it numbered and writes it as Word and Excel', async () => {
    const draft = await createBulletin(ctx, ACTOR, planId, '2022-Q1');
    expect(draft).toMatchObject({ state: 'draft', numberText: null, period: { code: '2022-Q1' } });
    expect(draft.units.find((unit) => unit.unit === '市生态环境局')).toMatchObject({ reported: 0, onTimeRate: 0 });
    const edited = await updateBulletin(ctx, ACTOR, draft.id, { intro: '现将一季度情况通报如下。' });
    expect(edited.intro).toBe('现将一季度情况通报如下。');
    const issued = await issueBulletin(ctx, ACTOR, draft.id);
    expect(issued).toMatchObject({ state: 'issued', numberText: '督通〔2022〕第1号' });
    await expect(updateBulletin(ctx, ACTOR, draft.id, { title: '改' })).rejects.toMatchObject({ code: 'bulletin_issued' });
    const document = await bulletinDocumentOf(ctx, draft.id);
    for (const format of ['docx', 'xlsx'] as const) {
      const bytes = await ctx.writeSupervision({ kind: 'bulletin', bulletin: document, format });
      expect(bytes.subarray(0, 2).toString()).toBe('PK');
    }
  });
});
