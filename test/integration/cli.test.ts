import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { readSummaryDocument } from '../../src/documents/index.js';
import { describeEachDatabase } from '../helpers/database.js';

const run = promisify(execFile);
const SAMPLE_PATH = new URL('../../demo/suzhou-sthjj-2022-summary.txt', import.meta.url).pathname;
const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;
/**
 * Each command is a real process, as a person runs it. Starting one costs seconds of module loading on a busy
 * two-core machine, so the tests here get a budget for many starts instead of the suite's 30 s, and the CLI runs in
 * one Node process with tsx as a loader rather than behind tsx's own launcher, which would start a second one.
 */
const PROCESS_TESTS_TIMEOUT_MS = 240_000;
const processTest = (name: string, test: () => Promise<void>) => it(name, test, PROCESS_TESTS_TIMEOUT_MS);

async function cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const child = run(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', maxBuffer: 20 * 1024 * 1024 });
    if (stdin !== undefined) child.child.stdin!.end(stdin);
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describeEachDatabase('the command line', (database) => {
  processTest('import --dry-run --json prints the documented object and writes nothing', async () => {
    const db = database();
    const { code, stdout } = await cli(['import', SAMPLE_PATH, '--dry-run', '--json', '--db', db.cliLocation]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary).slice(0, 8)).toEqual(['title', 'year', 'organisation', 'chapters', 'tasks', 'items', 'organisations', 'warnings']);
    expect(summary).toMatchObject({ title: '2022年度市政府工作任务完成情况汇总表', year: 2022, organisation: '市生态环境局', chapters: 6, tasks: 10, items: 15, warnings: [] });
    expect(summary.organisations).toHaveLength(19);
    const plans = await db.db.selectFrom('plans').select('id').execute();
    expect(plans).toEqual([]);
  });

  processTest('import --dry-run keeps the filing line’s unit, date and contact: as the last key of the JSON, and a line of the text', async () => {
    const db = database();
    const file = new URL('../fixtures/layouts/filing-contact.csv', import.meta.url).pathname;
    const json = await cli(['import', file, '--dry-run', '--json', '--db', db.cliLocation]);
    expect(json.code, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout);
    expect(Object.keys(summary).slice(0, 8)).toEqual(['title', 'year', 'organisation', 'chapters', 'tasks', 'items', 'organisations', 'warnings']);
    expect(Object.keys(summary).at(-1)).toBe('filing');
    expect(summary).toMatchObject({ organisation: '市数据局', filing: { organisation: '市数据局', contact: '周敏', phone: '0571-87654321' } });

    const seal = await cli(['import', new URL('../fixtures/layouts/filing-seal.docx', import.meta.url).pathname, '--dry-run', '--db', db.cliLocation]);
    expect(seal.code, seal.stderr).toBe(0);
    expect(seal.stdout.split('\n')[2]).toBe('  填报单位 市住房城乡建设局 · 填报时间 2031-04-08');
  });

  processTest('imports, then exports every format; a second import changes nothing', async () => {
    const db = database();
    expect((await cli(['import', SAMPLE_PATH, '--db', db.cliLocation])).code).toBe(0);
    // the CLI wrote to this test's own database (on PostgreSQL: its own schema)
    expect(await db.db.selectFrom('items').select('id').execute()).toHaveLength(15);
    const again = await cli(['import', SAMPLE_PATH, '--json', '--db', db.cliLocation]);
    expect(Object.values(JSON.parse(again.stdout).changes).every((n) => n === 0)).toBe(true);

    const original = (await readSummaryDocument(readFileSync(SAMPLE_PATH), 'sample.txt')).table;
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-cli-'));
    for (const format of ['docx', 'xlsx', 'json']) {
      const output = join(dir, `out.${format}`);
      const result = await cli(['export', '--year', '2022', '--org', '市生态环境局', '--format', format, '-o', output, '--db', db.cliLocation]);
      expect(result.code, result.stderr).toBe(0);
      expect((await readSummaryDocument(readFileSync(output), output)).table).toEqual(original);
    }
    const csv = await cli(['export', '--year', '2022', '--org', '生态环境局', '--format', 'csv', '--db', db.cliLocation]);
    expect(csv.stdout.startsWith('\ufeff序号,名称,工作任务,牵头单位,主要配合单位,全年完成情况\r\n')).toBe(true);

    // without --org: the city-wide table of the lead units' texts, filtered by chapter
    const city = await cli(['export', '--period', '2022-Y', '--chapter', '九', '--format', 'json', '--db', db.cliLocation]);
    expect(city.code, city.stderr).toBe(0);
    const table = JSON.parse(city.stdout);
    expect(table.columns).toMatchObject({ status: '完成状态', extra: ['预警'] });
    expect(table.chapters.map((chapter: { numeral: string }) => chapter.numeral)).toEqual(['九']);
    const wrongFilter = await cli(['export', '--org', '市生态环境局', '--status', '已完成', '--db', db.cliLocation]);
    expect(wrongFilter).toMatchObject({ code: 2, stderr: expect.stringContaining('只用于全市汇总表') });
  });

  processTest('fails with a clear message and exit code for bad input', async () => {
    const db = database();
    const missing = await cli(['import', '/nonexistent/file.txt', '--db', db.cliLocation]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('找不到文件') });
    const unknown = await cli(['export', '--org', '不存在的局', '--format', 'csv', '--db', db.cliLocation]);
    expect(unknown).toMatchObject({ code: 3, stderr: expect.stringContaining('找不到单位“不存在的局”') });
    const badPeriod = await cli(['export', '--org', '市生态环境局', '--period', '2022-13', '--db', db.cliLocation]);
    expect(badPeriod).toMatchObject({ code: 2, stderr: expect.stringContaining('报送周期“2022-13”无效') });
  });

  processTest('manages users and API tokens', async () => {
    const db = database();
    const added = await cli(['user', 'add', '--username', 'Zhang.San', '--org', '市生态环境局', '--role', 'unit_reporter', '--name', '张三', '--db', db.cliLocation]);
    expect(added.code, added.stderr).toBe(0);
    const initial = /初始密码：(\S+)（/.exec(added.stdout)?.[1];
    expect(initial).toMatch(/^.{16}$/);

    const piped = await cli(['user', 'add', '--username', 'li', '--org', '生态环境局', '--role', 'viewer', '--password-stdin', '--no-must-change', '--db', db.cliLocation], 'Strong-Passw0rd!\n');
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).not.toContain('初始密码');
    const weak = await cli(['user', 'add', '--username', 'wang', '--org', '市生态环境局', '--role', 'viewer', '--password-stdin', '--db', db.cliLocation], 'short\n');
    expect(weak).toMatchObject({ code: 2, stderr: expect.stringContaining('密码不符合要求') });

    const reset = await cli(['user', 'reset-password', 'zhang.san', '--db', db.cliLocation]);
    expect(reset.stdout).toMatch(/新密码：\S{16}/);
    const users = JSON.parse((await cli(['user', 'list', '--json', '--db', db.cliLocation])).stdout);
    expect(users.map((user: { username: string; mustChangePassword: boolean }) => [user.username, user.mustChangePassword])).toEqual([
      ['li', false],
      ['zhang.san', true],
    ]);

    const created = await cli(['token', 'create', '--name', '钉钉同步', '--org', '市生态环境局', '--scope', 'read', '--db', db.cliLocation]);
    const token = /\n(lst_\S+)\n/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    const stored = await db.db.selectFrom('api_tokens').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(token!.slice(4));
    expect((await cli(['token', 'revoke', String(stored[0]!.id), '--db', db.cliLocation])).stdout).toContain('已撤销');
    expect((await cli(['token', 'list', '--db', db.cliLocation])).stdout).toContain('已撤销');
  });
});
