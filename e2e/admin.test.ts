/**
 * Browser test of the two administrative pages: the system administrator creates an integration token (接口令牌),
 * sees it once, finds it in the list and revokes it; the auditor (审计员) signs in, lands on 审计日志, finds that
 * token's creation under the administrator's name, filters, opens the entry's before/after and exports CSV.
 */
import { describe, expect, it } from 'vitest';
import { AUDITOR, pageApi, REPORTER, SUPERVISOR, useHarness, type TestUser } from './harness.js';

const harness = useHarness();

const ADMIN: TestUser = {
  username: 'wang.guanli',
  name: '王管理',
  organisation: '市政府办公室',
  role: 'admin',
  password: 'E2e-Admin-Passw0rd-2030',
};
const TOKEN_NAME = '数据中台对接';
const SECOND_REPORTER: TestUser = {
  username: 'sthj-tianbao2',
  name: '生态环境局填报员二',
  organisation: '市生态环境局',
  role: 'unit_reporter',
  password: 'E2e-Reporter2-2030',
};
/** 市生态环境局 leads it. */
const LED_ITEM = '单位地区生产总值二氧化碳排放量下降完成省下达任务';

describe('接口令牌', () => {
  it('an administrator creates a read token, sees it once, finds it in the list and revokes it', async () => {
    const { page, baseUrl } = harness;
    await harness.addUser(ADMIN);
    await harness.signIn(ADMIN.username, ADMIN.password);
    await page.getByRole('menuitem', { name: '接口令牌' }).click();
    await page.waitForURL(`${baseUrl}/admin/tokens`);
    await page.getByText('还没有接口令牌').waitFor();
    // the page heading of every other page, not a card's title
    await page.locator('.page-head h2', { hasText: '接口令牌' }).waitFor();
    expect(await page.locator('.ant-card-head-title').count()).toBe(0);

    await page.getByRole('button', { name: /新建令牌/ }).click();
    await page.getByLabel('令牌名称').fill(TOKEN_NAME);
    await page.getByLabel('所属单位').click();
    await page.keyboard.type('市生态环境局');
    await page.keyboard.press('Enter');
    expect(await page.getByLabel('只读').isChecked()).toBe(true);
    await harness.shot('admin-token-dialog');
    await page.getByRole('button', { name: /创\s*建/ }).click();

    const token = (await page.getByTestId('one-time-token').innerText()).trim();
    expect(token).toMatch(/^lst_[\w-]{40,}$/);
    await page.getByText('此令牌只显示这一次，关闭后无法再次查看。').waitFor();
    await harness.shot('admin-new-token');
    await page.getByRole('button', { name: '我已复制并妥善保存' }).click();

    const row = page.locator('.ant-table-row', { hasText: TOKEN_NAME });
    await row.waitFor();
    await expect
      .poll(() => row.innerText())
      .toMatch(new RegExp(`${TOKEN_NAME}[\\s\\S]*${token.slice(0, 10)}…[\\s\\S]*市生态环境局[\\s\\S]*只读[\\s\\S]*从未使用[\\s\\S]*有效`));
    // shown once: the page holds no copy of it any more
    await expect.poll(() => page.content()).not.toContain(token);

    // the token works until it is revoked
    const read = () => fetch(`${baseUrl}/api/plans`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.status);
    expect(await read()).toBe(200);
    await page.reload();
    await expect.poll(() => row.innerText()).not.toContain('从未使用');
    await harness.shot('admin-tokens');

    await row.getByRole('button', { name: /撤\s*销/ }).click();
    const confirm = page.locator('.ant-popconfirm:visible');
    await confirm.getByText(`撤销令牌“${TOKEN_NAME}”？`).waitFor();
    await confirm.getByRole('button', { name: /撤\s*销/ }).click();
    await expect.poll(() => row.innerText()).toContain('已撤销');
    // the message appears below the header, not over its menu
    const toast = page.locator('.ant-message-notice', { hasText: `已撤销令牌“${TOKEN_NAME}”` });
    await toast.waitFor();
    const header = (await page.locator('.app-header').boundingBox())!;
    // the notice slides in from above: where it comes to rest is what counts
    await expect.poll(async () => (await toast.boundingBox())?.y ?? 0).toBeGreaterThanOrEqual(header.y + header.height);
    await harness.shot('admin-toast');
    expect(await row.getByRole('button', { name: /撤\s*销/ }).count()).toBe(0);
    expect(await read()).toBe(401);
    await harness.shot('admin-tokens-revoked');

    // a change with a before and an after, for the auditor to compare
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await page
      .locator('.ant-table-row', { hasText: REPORTER.username })
      .getByRole('button', { name: /停\s*用/ })
      .click();
    await page.locator('.ant-table-row', { hasText: REPORTER.username }).getByText('已停用').waitFor();
    expect(harness.browserErrors).toEqual([]);
  });
});

describe('用户管理', () => {
  it('has the page heading of the other pages, and the one-time password dialog follows the theme', async () => {
    const { page, baseUrl } = harness;
    await harness.signIn(ADMIN.username, ADMIN.password);
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await page.waitForURL(`${baseUrl}/admin/users`);
    await page.locator('.page-head h2', { hasText: '用户管理' }).waitFor();
    expect(await page.locator('.ant-card-head-title').count()).toBe(0);
    await page.locator('.ant-table-row', { hasText: ADMIN.username }).waitFor();
    await harness.shot('admin-users');

    await page.getByRole('button', { name: /新建用户/ }).click();
    const dialog = page.getByRole('dialog', { name: '新建用户' });
    await dialog.getByLabel('用户名').fill('zhao.liu');
    await dialog.getByLabel('显示名称').fill('赵六');
    await dialog.getByLabel('所属单位').click();
    await page.keyboard.type('市生态环境局');
    await page.keyboard.press('Enter');
    await dialog.getByLabel('角色').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '领导查阅' }).click();
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await page.getByTestId('one-time-password').waitFor();
    const ok = page.getByRole('button', { name: /知道了/ });
    // the app's primary colour (#1d4e89), not antd's default blue
    await expect.poll(() => ok.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(29, 78, 137)');
    await harness.shot('admin-user-password');
    await ok.click();
    await page.locator('.ant-table-row', { hasText: 'zhao.liu' }).waitFor();
    expect(harness.browserErrors).toEqual([]);
  });
});

describe('审计日志', () => {
  it('the auditor lands on the trail, finds the token’s creation by name, filters, opens it and exports CSV', async () => {
    const { page, baseUrl } = harness;
    await harness.signIn(AUDITOR.username, AUDITOR.password);
    await page.waitForURL(`${baseUrl}/audit`);
    const menu = page.locator('.app-menu');
    await expect.poll(() => menu.innerText()).toBe('审计日志');

    // the administrator by name, not by user:N
    const created = page.locator('.ant-table-row', { hasText: '新建接口令牌' });
    await created.waitFor();
    await expect.poll(() => created.locator('.audit-actor-name').innerText()).toBe(`${ADMIN.name}（${ADMIN.username}）`);
    expect(await created.innerText()).toContain('市生态环境局');
    await page.locator('.ant-table-row', { hasText: '撤销接口令牌' }).waitFor();
    await harness.shot('audit');

    await page.getByLabel('操作', { exact: true }).click();
    await page.keyboard.type('新建接口令牌');
    await page.keyboard.press('Enter');
    await page.getByText('共 1 条记录').waitFor();
    await expect.poll(() => page.locator('.audit-table .ant-table-row').count()).toBe(1);

    // today in Beijing, whatever the clock of the machine: from its midnight (16:00 UTC the day before) to the next
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const midnight = Date.parse(`${today}T00:00:00+08:00`);
    await page.getByPlaceholder('开始日期').click();
    await page.getByPlaceholder('开始日期').fill(today);
    await page.keyboard.press('Enter');
    await page.getByPlaceholder('结束日期').fill(today);
    await page.keyboard.press('Enter');
    const range = { from: new Date(midnight).toISOString(), to: new Date(midnight + 86_400_000).toISOString() };
    const exportHref = `/api/audit/export?${new URLSearchParams({ ...range, action: 'token.create', format: 'csv' })}`;
    await expect.poll(() => page.getByRole('link', { name: /导出 CSV/ }).getAttribute('href')).toBe(exportHref);
    await page.getByText('共 1 条记录').waitFor();

    await created.click();
    const diff = page.locator('.audit-diff');
    await diff.waitFor();
    const name = diff.locator('tr', { hasText: '名称' });
    await expect.poll(() => name.innerText()).toMatch(new RegExp(`名称\\s*name[\\s\\S]*（无）[\\s\\S]*${TOKEN_NAME}`));
    await expect.poll(() => diff.locator('tr', { hasText: '权限范围' }).innerText()).toMatch(/read\s*（?只读/);
    expect(await diff.locator('tr.audit-diff-changed').count()).toBe(2);
    await harness.shot('audit-expanded');

    // a change: the fields that differ are marked, the others shown alike on both sides
    await page.getByLabel('操作', { exact: true }).click();
    await page.keyboard.type('user.update');
    await page.keyboard.press('Enter');
    const update = page.locator('.ant-table-row', { hasText: '修改用户' });
    await update.click();
    const updateDiff = page.locator('.audit-diff').last();
    await expect
      .poll(() => updateDiff.locator('tr.audit-diff-changed').innerText())
      .toMatch(/启用\s*active[\s\S]*已变更[\s\S]*true[\s\S]*false/);
    expect(await updateDiff.locator('tr.audit-diff-changed').count()).toBe(1);
    await expect
      .poll(() => updateDiff.locator('tr', { hasText: '显示名称' }).innerText())
      .toMatch(/生态环境局填报员[\s\S]*生态环境局填报员/);
    await harness.shot('audit-update');
    await page.getByLabel('操作', { exact: true }).click();
    await page.keyboard.type('新建接口令牌');
    await page.keyboard.press('Enter');
    await page.getByText('共 1 条记录').waitFor();

    // the export link carries the filter, and the session
    const csv = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
    }, exportHref);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '编号,时间（UTC）,操作者,操作者名称,单位编号,单位名称,来源,操作,操作代码,对象类型,对象类型代码,对象编号,对象名称,变更前,变更后',
    );
    expect(lines[1]).toContain(`,新建接口令牌,token.create,接口令牌,api_token,`);
    expect(lines[1]).toContain(`,${TOKEN_NAME},`);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${ADMIN.name}（${ADMIN.username}）`);
    expect(harness.browserErrors).toEqual([]);
  });

  it('names the office’s and the units’ work in words: actions, their groups and their objects, not codes', async () => {
    const { page } = harness;
    // the office sets a schedule and one due date; the reporter saves a draft
    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password);
    const plans = (await pageApi(page, 'GET', '/api/plans')).body.plans as { id: number; year: number; title: string }[];
    const plan = plans.find((entry) => entry.year === 2022)!;
    expect((await pageApi(page, 'PUT', `/api/plans/${plan.id}/schedule`, { kinds: [{ kind: 'quarter' }, { kind: 'year' }] })).status).toBe(
      200,
    );
    expect((await pageApi(page, 'PATCH', `/api/plans/${plan.id}/periods/2022-Q1`, { dueOn: '2022-04-22' })).status).toBe(200);
    // the reporter of the first test was disabled there
    await harness.addUser(SECOND_REPORTER);
    await harness.signIn(SECOND_REPORTER.username, SECOND_REPORTER.password);
    const me = (await pageApi(page, 'GET', '/api/auth/me')).body.user as { organisation: { id: number } };
    const tree = (await pageApi(page, 'GET', `/api/plans/${plan.id}`)).body as {
      chapters: { tasks: { number: string; items: { id: number; work: string }[] }[] }[];
    };
    const task = tree.chapters.flatMap((chapter) => chapter.tasks).find((entry) => entry.items.some((item) => item.work === LED_ITEM))!;
    const item = task.items.find((entry) => entry.work === LED_ITEM)!;
    const content = { progress: '一季度完成重点企业碳排放核查。', problems: '', nextSteps: '', status: null, figures: [] };
    expect(
      (await pageApi(page, 'PUT', `/api/items/${item.id}/reports/${me.organisation.id}/2022-Q1`, { content, baseRevision: 0 })).status,
    ).toBe(200);

    await harness.signIn(AUDITOR.username, AUDITOR.password);
    const table = page.locator('.audit-table');
    const row = (label: string) => table.locator('.ant-table-row', { hasText: label }).first();
    await row('设置报送安排').waitFor();
    await expect.poll(() => row('设置报送安排').locator('.audit-object').innerText()).toMatch(new RegExp(`工作计划\\s*${plan.title}`));
    await expect.poll(() => row('修改报送期').locator('.audit-object').innerText()).toMatch(/报送期\s*2022年 一季度/);
    const report = row('保存报告草稿').locator('.audit-object');
    await expect
      .poll(() => report.innerText())
      .toMatch(
        new RegExp(`进展报告\\s*2022年 序号${task.number}：单位地区生产总值二氧化碳排放量下降完成省下达任务 · 市生态环境局 · 一季度`),
      );
    // a user as an object is named, not 用户 5
    await expect
      .poll(() => row('新建用户').locator('.audit-object-name').innerText())
      .toBe(`${SECOND_REPORTER.name}（${SECOND_REPORTER.username}）`);
    const codes = await table.locator('.audit-action').allInnerTexts();
    expect(codes.filter((text) => /^[\s]*[a-z_]+\.[a-z_]+$/.test(text))).toEqual([]);
    await harness.shot('audit-words');

    // the filter: every group in words, every action in words (the list is long: search it by code)
    await page.getByLabel('操作', { exact: true }).click();
    const dropdown = page.locator('.ant-select-dropdown:visible');
    for (const [code, group, action] of [
      ['plan.', '工作计划', '设置报送安排'],
      ['period.', '报送期', '修改报送期'],
      ['report.', '进展报告', '保存报告草稿'],
    ] as const) {
      await page.getByLabel('操作', { exact: true }).fill(code);
      await dropdown.getByText(`全部：${group}`).waitFor();
      await dropdown.locator('.ant-select-item-option', { hasText: action }).first().waitFor();
      const groups = await dropdown.locator('.ant-select-item-group').allInnerTexts();
      expect(groups.filter((text) => /^[a-z_]+\.$/.test(text.trim()))).toEqual([]);
    }
    await harness.shot('audit-filter');
    await page.keyboard.press('Escape');
    expect(harness.browserErrors).toEqual([]);
  });
});
