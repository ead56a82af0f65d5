/**
 * `luoshi jobs run --now` on SQLite, as an operator runs it: the first run at a moment reminds the units that owe a
 * report (e-mails counted at a local SMTP server), the second at the same moment skips every job and sends nothing.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authConfig } from '../../src/config.js';
import { createUser } from '../../src/services/accounts.js';
import { findOrganisationByName, listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext } from '../../src/services/context.js';
import { loadDemoPlanIfEmpty } from '../../src/services/demo.js';
import { setSchedule } from '../../src/services/schedule.js';
import { TEST_CONFIG } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startCountingSmtp } from '../helpers/smtp.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

describe('luoshi jobs run on SQLite', () => {
  let database: TestDatabase;
  const smtp = startCountingSmtp();
  const accepted = smtp.accepted;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const ctx = createServiceContext(database.db);
    await loadDemoPlanIfEmpty(ctx);
    const [plan] = await listPlanSummaries(ctx);
    await setSchedule(ctx, { id: 'test', source: 'test' }, plan!.id, [{ kind: 'quarter' }]);
    const organisation = await findOrganisationByName(ctx, '市生态环境局');
    await createUser(ctx, { id: 'test', source: 'test' }, authConfig(TEST_CONFIG), {
      username: 'sthjj.reporter',
      role: 'unit_reporter',
      organisationId: organisation.id,
      password: 'Test-Passw0rd!',
      email: 'reporter@sthjj.example.gov.cn',
    });
    await database.close();
    const port = await smtp.listen();
    env = { ...process.env, LUOSHI_SMTP_URL: `smtp://127.0.0.1:${port}`, LUOSHI_MAIL_FROM: 'duchashi@example.gov.cn' };
  }, 60_000);
  afterAll(async () => {
    await smtp.close();
    await database.destroy();
  });

  it('runs what is due at a moment once: the second run at the same moment sends nothing', async () => {
    const jobsRun = () =>
      run(process.execPath, ['--import', 'tsx', CLI, 'jobs', 'run', '--now', '2022-04-17T01:00:00Z', '--db', database.cliLocation], {
        encoding: 'utf8',
        env,
      });
    const first = await jobsRun();
    expect(first.stdout).toMatch(/报送提醒\s+2022-04-17\s+已运行：提醒 \d+ 项/);
    expect(first.stdout).toMatch(/发送邮件和推送.*送达 [1-9]\d* 条/);
    const sent = accepted.length;
    expect(sent).toBeGreaterThan(0);
    expect(new Set(accepted).size).toBe(sent);

    const second = await jobsRun();
    expect(second.stdout).toMatch(/报送提醒\s+2022-04-17\s+已运行过，跳过/);
    expect(second.stdout).toMatch(/发送邮件和推送.*送达 0 条/);
    expect(accepted).toHaveLength(sent);
  }, 60_000);
});
