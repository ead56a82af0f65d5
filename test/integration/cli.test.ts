import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(Object.keys(summary).slice(0, 8)).toEqual([
      'title',
      'year',
      'organisation',
      'chapters',
      'tasks',
      'items',
      'organisations',
      'warnings',
    ]);
    expect(summary).toMatchObject({
      title: '2022年度市政府工作任务完成情况汇总表',
      year: 2022,
      organisation: '市生态环境局',
      chapters: 6,
      tasks: 10,
      items: 15,
      warnings: [],
    });
    expect(summary.organisations).toHaveLength(19);
    const plans = await db.db.selectFrom('plans').select('id').execute();
    expect(plans).toEqual([]);
    // --period reads the table as another period's report; a period of another year is refused
    const chosen = await cli(['import', SAMPLE_PATH, '--dry-run', '--json', '--period', '2022-Q4', '--db', db.cliLocation]);
    expect(JSON.parse(chosen.stdout).period).toEqual({ code: '2022-Q4', label: '四季度' });
    const wrong = await cli(['import', SAMPLE_PATH, '--dry-run', '--period', '2031-Q4', '--db', db.cliLocation]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('2031-Q4');
  });

  processTest(
    'import --dry-run keeps the filing line’s unit, date and contact: as the last key of the JSON, and a line of the text',
    async () => {
      const db = database();
      const file = new URL('../fixtures/layouts/filing-contact.csv', import.meta.url).pathname;
      const json = await cli(['import', file, '--dry-run', '--json', '--db', db.cliLocation]);
      expect(json.code, json.stderr).toBe(0);
      const summary = JSON.parse(json.stdout);
      expect(Object.keys(summary).slice(0, 8)).toEqual([
        'title',
        'year',
        'organisation',
        'chapters',
        'tasks',
        'items',
        'organisations',
        'warnings',
      ]);
      expect(Object.keys(summary).at(-1)).toBe('filing');
      expect(summary).toMatchObject({
        organisation: '市数据局',
        filing: { organisation: '市数据局', contact: '周敏', phone: '0571-87654321' },
      });

      const seal = await cli([
        'import',
        new URL('../fixtures/layouts/filing-seal.docx', import.meta.url).pathname,
        '--dry-run',
        '--db',
        db.cliLocation,
      ]);
      expect(seal.code, seal.stderr).toBe(0);
      expect(seal.stdout.split('\n')[2]).toBe('  填报单位 市住房城乡建设局 · 填报时间 2031-04-08');
    },
  );

  processTest(
    'import --dry-run --json adds the rows as understood: canonical units as stored and the reports filed, before filing',
    async () => {
      const db = database();
      const file = new URL('../fixtures/layouts/unlinked-unit.xlsx', import.meta.url).pathname;
      const json = await cli(['import', file, '--dry-run', '--json', '--unlinked', 'cooperate', '--db', db.cliLocation]);
      expect(json.code, json.stderr).toBe(0);
      const summary = JSON.parse(json.stdout);
      expect(Object.keys(summary).slice(0, 8)).toEqual([
        'title',
        'year',
        'organisation',
        'chapters',
        'tasks',
        'items',
        'organisations',
        'warnings',
      ]);
      expect(Object.keys(summary).slice(-2)).toEqual(['rows', 'filing']);
      // 市水务局 writes what it did for task 8 (led by 住建 and 城管) and for task 15's second item, where the plan
      // does not name it: with cooperate it joins both as their last cooperating unit; 水务局 in task 9 is itself
      const report = [{ organisation: '市水务局', period: '2031-H1' }];
      const ipLead = ['市市场监管局（市知识产权局）'];
      expect(summary.rows).toEqual([
        {
          task: '8',
          name: '城市内涝治理',
          work: '完成易涝点改造40处，新建雨水管网60公里。',
          leads: ['市住房城乡建设局', '市城管局'],
          cooperating: ['市自然资源和规划局', '各区人民政府', '市水务局'],
          reports: report,
        },
        {
          task: '9',
          name: '水环境治理',
          work: '完成12条黑臭河道整治。',
          leads: ['市水务局'],
          cooperating: ['市生态环境局'],
          reports: report,
        },
        {
          task: '15',
          name: '知识产权保护',
          work: '开展水利工程领域专利导航服务。',
          leads: ipLead,
          cooperating: ['市科技局', '市水务局'],
          reports: report,
        },
        {
          task: '15',
          name: '知识产权保护',
          work: '建立重点企业知识产权保护名录。',
          leads: ipLead,
          cooperating: ['市科技局', '市水务局'],
          reports: report,
        },
      ]);
      expect(summary.unlinked.map((row: { task: string }) => row.task)).toEqual(['8', '15']);

      const refused = await cli(['import', file, '--db', db.cliLocation]);
      expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('请用 --unlinked cooperate 或 --unlinked omit 选择') });
      expect(refused.stderr).toContain('有 2 行');
      expect(await db.db.selectFrom('plans').select('id').execute()).toEqual([]);
    },
  );

  processTest('a file that states no year or no filing unit: the message names the option that gives it', async () => {
    const db = database();
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-cli-'));
    const csv =
      '序号,重点工作,工作任务,牵头单位,配合单位,一季度进展情况\r\n一、水利建设,,,,,\r\n3,海塘加固,加固海塘12公里。,市水务局,市财政局,完成加固3.2公里。\r\n';
    const noYear = join(dir, '一季度进展.csv');
    const noUnit = join(dir, '2031年一季度进展.csv');
    writeFileSync(noYear, csv);
    writeFileSync(noUnit, csv);
    expect(await cli(['import', noYear, '--dry-run', '--db', db.cliLocation])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/请用 --year \d{4} 指定年份/),
    });
    expect(await cli(['import', noUnit, '--dry-run', '--db', db.cliLocation])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('请用 --org 单位名称 指定填报单位'),
    });
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
      const result = await cli([
        'export',
        '--year',
        '2022',
        '--org',
        '市生态环境局',
        '--format',
        format,
        '-o',
        output,
        '--db',
        db.cliLocation,
      ]);
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
    const added = await cli([
      'user',
      'add',
      '--username',
      'Zhang.San',
      '--org',
      '市生态环境局',
      '--role',
      'unit_reporter',
      '--name',
      '张三',
      '--db',
      db.cliLocation,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const initial = /初始密码：(\S+)（/.exec(added.stdout)?.[1];
    expect(initial).toMatch(/^.{16}$/);

    const piped = await cli(
      [
        'user',
        'add',
        '--username',
        'li',
        '--org',
        '生态环境局',
        '--role',
        'viewer',
        '--password-stdin',
        '--no-must-change',
        '--db',
        db.cliLocation,
      ],
      'Strong-Passw0rd!\n',
    );
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).not.toContain('初始密码');
    const weak = await cli(
      ['user', 'add', '--username', 'wang', '--org', '市生态环境局', '--role', 'viewer', '--password-stdin', '--db', db.cliLocation],
      'short\n',
    );
    expect(weak).toMatchObject({ code: 2, stderr: expect.stringContaining('密码不符合要求') });

    const reset = await cli(['user', 'reset-password', 'zhang.san', '--db', db.cliLocation]);
    expect(reset.stdout).toMatch(/新密码：\S{16}/);
    const users = JSON.parse((await cli(['user', 'list', '--json', '--db', db.cliLocation])).stdout);
    expect(users.map((user: { username: string; mustChangePassword: boolean }) => [user.username, user.mustChangePassword])).toEqual([
      ['li', false],
      ['zhang.san', true],
    ]);

    const created = await cli([
      'token',
      'create',
      '--name',
      '钉钉同步',
      '--org',
      '市生态环境局',
      '--scope',
      'read',
      '--db',
      db.cliLocation,
    ]);
    const token = /\n(lst_\S+)\n/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    const stored = await db.db.selectFrom('api_tokens').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(token!.slice(4));
    expect((await cli(['token', 'revoke', String(stored[0]!.id), '--db', db.cliLocation])).stdout).toContain('已撤销');
    expect((await cli(['token', 'list', '--db', db.cliLocation])).stdout).toContain('已撤销');
  });
});
