/**
 * Two luoshi servers on one PostgreSQL database move through a reporting period on a shared test clock
 * (LUOSHI_CLOCK_FILE): three days before the first quarter's due date, on it, and three days after. Every reminder
 * e-mail reaches a local SMTP server and every webhook call a local receiver exactly once, although both servers run
 * the jobs; one server is killed with SIGKILL while it holds deliveries it has not finished, and the other takes them
 * over when their lease runs out, so that nothing is lost and nothing arrives twice.
 *
 * "Arrives" is what the receiver acknowledged: the SMTP server accepted the message, the webhook receiver answered
 * 200 on a connection that was still open. A receiver that dies before acknowledging has, as far as the sender can
 * know, not received it; every message carries its delivery id (Message-ID, X-Luoshi-Delivery) for receivers that
 * deduplicate.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authConfig } from '../../src/config.js';
import { verifyGenericSignature } from '../../src/delivery/webhooks.js';
import { createUser } from '../../src/services/accounts.js';
import { findOrganisationByName, listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext } from '../../src/services/context.js';
import { loadDemoPlanIfEmpty } from '../../src/services/demo.js';
import { setSchedule } from '../../src/services/schedule.js';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '../helpers/database.js';
import { TEST_CONFIG } from '../helpers/app.js';
import { startCountingSmtp } from '../helpers/smtp.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ACTOR = { id: 'test', source: 'test' };
const SECRET = 'whsec-luoshi-test';

interface Held {
  release(): void;
}

/** A webhook receiver that verifies each call's signature and counts the ones it acknowledged, by delivery id. */
function startReceiver() {
  const acknowledged: string[] = [];
  const badSignatures: string[] = [];
  const held: Held[] = [];
  const state = { hold: false };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(request.headers['x-luoshi-delivery']);
      const timestamp = String(request.headers['x-luoshi-timestamp']);
      if (!verifyGenericSignature(SECRET, timestamp, body, String(request.headers['x-luoshi-signature']))) badSignatures.push(id);
      const answer = () => {
        // a sender that died meanwhile never learns of it: not delivered
        if (request.socket.destroyed) return;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}', () => acknowledged.push(id));
      };
      if (state.hold) held.push({ release: answer });
      else answer();
    });
  });
  return {
    server,
    acknowledged,
    badSignatures,
    state,
    held,
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    releaseAll() {
      state.hold = false;
      for (const entry of held.splice(0)) entry.release();
    },
  };
}

const duplicates = (values: string[]) => values.filter((value, index) => values.indexOf(value) !== index);

describe.skipIf(!TEST_POSTGRES_URL)('jobs across two servers on one PostgreSQL database', () => {
  let database: TestDatabase;
  let dir: string;
  let clockFile: string;
  let jobsSchema: string;
  const smtp = startCountingSmtp();
  const receiver = startReceiver();
  const servers: { child: ChildProcess; output: string[] }[] = [];
  let env: NodeJS.ProcessEnv;

  const setClock = (iso: string) => writeFileSync(clockFile, iso);
  const start = () => {
    const output: string[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--db', database.cliLocation], { env });
    child.stdout!.on('data', (chunk) => output.push(String(chunk)));
    child.stderr!.on('data', (chunk) => output.push(String(chunk)));
    servers.push({ child, output });
    return { child, output };
  };
  const deliveries = () =>
    database.db
      .selectFrom('deliveries')
      .select(['id', 'channel', 'state', 'lease_owner', 'lease_until', 'next_attempt_at', 'cause', 'attempts', 'last_error'])
      .orderBy('id')
      .execute();
  /** Waits until every delivery made so far is sent, and there is at least `atLeast` of them. */
  const allSent = async (atLeast: number) =>
    vi.waitFor(
      async () => {
        const rows = await deliveries();
        expect(rows.length).toBeGreaterThanOrEqual(atLeast);
        const unsent = rows.filter((row) => row.state !== 'sent');
        expect(
          unsent,
          `${JSON.stringify(unsent.slice(0, 3))}\n${servers.map((server) => server.output.join('').slice(-2000)).join('\n---\n')}`,
        ).toEqual([]);
        return rows;
      },
      { timeout: 60_000, interval: 200 },
    );
  const reminderCount = async (day: string) =>
    Number(
      (
        await database.db
          .selectFrom('reminders')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('day', '=', day)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'luoshi-jobs-'));
    clockFile = join(dir, 'clock');
    jobsSchema = `${new URL(database.cliLocation).searchParams.get('options')!.split('=')[1]}_jobs`;
    const ctx = createServiceContext(database.db);
    await loadDemoPlanIfEmpty(ctx);
    const [plan] = await listPlanSummaries(ctx);
    await setSchedule(ctx, ACTOR, plan!.id, [{ kind: 'quarter' }]);
    // people with e-mail addresses in the lead unit and in two cooperating units
    for (const [unit, username] of [
      ['市生态环境局', 'sthjj'],
      ['市发改委', 'fgw'],
      ['市工信局', 'gxj'],
    ] as const) {
      const organisation = await findOrganisationByName(ctx, unit);
      for (const role of ['unit_reporter', 'unit_leader'] as const) {
        await createUser(ctx, ACTOR, authConfig(TEST_CONFIG), {
          username: `${username}.${role}`,
          role,
          organisationId: organisation.id,
          password: 'Test-Passw0rd!',
          email: `${username}.${role}@example.gov.cn`,
        });
      }
    }
    const smtpPort = await smtp.listen();
    const receiverPort = await receiver.listen();
    await database.db
      .insertInto('webhooks')
      .values({
        organisation_id: null,
        name: '督查室群',
        kind: 'generic',
        url: `http://127.0.0.1:${receiverPort}/hook`,
        secret: SECRET,
        events: '[]',
        active: 1,
        created_by: 'test',
        created_at: new Date().toISOString(),
      })
      .execute();
    setClock('2022-04-17T01:00:00Z');
    env = {
      ...process.env,
      LUOSHI_CLOCK_FILE: clockFile,
      LUOSHI_JOBS_TICK_MS: '200',
      LUOSHI_JOBS_SCHEMA: jobsSchema,
      LUOSHI_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      LUOSHI_MAIL_FROM: '督查室 <duchashi@example.gov.cn>',
      LUOSHI_WEBHOOK_ALLOW: '127.0.0.1',
      LUOSHI_DELIVERY_LEASE_SECONDS: '3',
      LUOSHI_DELIVERY_RETRY_SECONDS: '1',
      LUOSHI_LOG_LEVEL: process.env.LUOSHI_TEST_SERVER_LOG ?? 'warn',
    };
  }, 60_000);

  afterAll(async () => {
    for (const { child } of servers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    smtp.releaseAll();
    receiver.releaseAll();
    await smtp.close();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    await database.destroy();
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${jobsSchema} cascade`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each reminder once through a period, and loses and duplicates nothing when one server is killed', async () => {
    const first = start();
    const second = start();

    // three days before 2022-04-20: both servers run the jobs, each slot once
    await vi.waitFor(async () => expect(await reminderCount('2022-04-17')).toBeGreaterThan(0), { timeout: 30_000, interval: 200 });
    const before = await allSent(1);
    expect(before.some((row) => row.channel === 'email')).toBe(true);

    // the due day: the receivers hold every message, so that the first server is killed with deliveries in hand
    smtp.state.hold = true;
    receiver.state.hold = true;
    const pid = first.child.pid!;
    setClock('2022-04-20T01:00:00Z');
    await vi.waitFor(
      async () => {
        const rows = await deliveries();
        expect(rows.some((row) => row.state === 'sending' && row.lease_owner?.endsWith(`:${pid}`))).toBe(true);
      },
      { timeout: 30_000, interval: 100 },
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    smtp.releaseAll();
    receiver.releaseAll();
    await allSent(before.length + 1);
    expect(await reminderCount('2022-04-20')).toBeGreaterThan(0);

    // three days after, the second server alone
    setClock('2022-04-23T01:00:00Z');
    await vi.waitFor(async () => expect(await reminderCount('2022-04-23')).toBeGreaterThan(0), { timeout: 30_000, interval: 200 });
    const rows = await allSent(1);

    const emails = rows.filter((row) => row.channel === 'email').map((row) => `<d${row.id}@luoshi>`);
    const calls = rows.filter((row) => row.channel === 'webhook').map((row) => `d${row.id}`);
    expect(duplicates(smtp.accepted), 'e-mails accepted twice').toEqual([]);
    expect([...smtp.accepted].sort()).toEqual([...emails].sort());
    expect(duplicates(receiver.acknowledged), 'webhook calls acknowledged twice').toEqual([]);
    expect([...receiver.acknowledged].sort()).toEqual([...calls].sort());
    expect(receiver.badSignatures).toEqual([]);
    // a reminder per item, unit, kind and day, and each person notified once per unit, kind and day
    const reminders = await database.db.selectFrom('reminders').select(['item_id', 'organisation_id', 'kind', 'day']).execute();
    expect(new Set(reminders.map((r) => `${r.item_id}:${r.organisation_id}:${r.kind}:${r.day}`)).size).toBe(reminders.length);
    // the killed server's deliveries were finished by the other one
    expect(rows.some((row) => row.attempts > 1)).toBe(true);
    expect(second.child.exitCode).toBeNull();
  }, 180_000);
});
