/**
 * Browser test of the web UI against the real server with the demo plan (--demo): a person opens the task list,
 * expands it, looks at an item, goes to 责任单位, opens 市生态环境局, reads its summary table and downloads the Word file.
 * Each test signs in first as the supervisor (督查室), who reads the whole city.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { signIn, SUPERVISOR, useHarness } from './harness.js';

const CHAPTER_9 = '九、加快建设美丽苏州，持之以恒推动绿色低碳转型';
const ITEM_TEXT = '以臭氧和PM2.5协同控制为重点';
const UNIT = '市生态环境局';
/** The beginnings of the four items of task 35 in the demo table. */
const TASK_35_ITEMS = ['认真落实新一轮中央、省生态环保督察', ITEM_TEXT, '创新“河湖长+”机制', '深入开展土壤及地下水环境调查'];

const harness = useHarness();
const shot = (name: string) => harness.shot(name);
const apiJson = <T>(path: string) => harness.apiJson<T>(path);

describe('落实 web UI', () => {
  test('工作任务: the plan, expanded, shows items and their units', async () => {
    const { page, baseUrl } = harness;
    const { plans } = await apiJson<{ plans: { id: number; title: string }[] }>('/api/plans');
    expect(plans.length).toBeGreaterThan(0);
    const title = plans[0]!.title;

    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.title()).toContain('落实');
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByText('6 个章节 · 10 项任务 · 15 个事项').waitFor();

    await page.getByRole('button', { name: /全部展开/ }).click();
    await page.getByText(CHAPTER_9).waitFor();
    await page.getByText(ITEM_TEXT).first().waitFor();
    await page.locator('.plan-table .org-tag', { hasText: UNIT }).first().waitFor();
    await shot('plan');

    // the search box narrows the tree to matching items
    await page.getByPlaceholder('搜索工作内容或单位名称').fill('臭氧');
    await page.getByPlaceholder('搜索工作内容或单位名称').press('Enter');
    await page.getByText('找到 1 个事项').waitFor();
    await page.getByPlaceholder('搜索工作内容或单位名称').fill('');
    await page.getByPlaceholder('搜索工作内容或单位名称').press('Enter');
  });

  test('事项详情: clicking an item opens its page', async () => {
    const { page } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    await page.getByRole('button', { name: /全部展开/ }).click();
    await page
      .getByRole('link', { name: new RegExp(ITEM_TEXT.replace(/[.+]/g, '\\$&')) })
      .first()
      .click();
    await page.waitForURL(/\/items\/\d+$/);
    const itemId = Number(new URL(page.url()).pathname.split('/').pop());
    const detail = await apiJson<{ reports: { text: string }[] }>(`/api/items/${itemId}`);

    await page.locator('.ant-breadcrumb').getByText('35 深入打好污染防治攻坚战').waitFor();
    await page.locator('.ant-breadcrumb').getByText(CHAPTER_9).waitFor();
    await page.locator('.work-text', { hasText: ITEM_TEXT }).waitFor();
    await page.locator('.org-tag', { hasText: UNIT }).first().waitFor();
    const firstReport = detail.reports[0];
    if (firstReport) await page.getByText(firstReport.text.slice(0, 20)).first().waitFor();
    await shot('item');
  });

  test('责任单位 → 市生态环境局: the summary table as printed, and the Word download', async () => {
    const { page, browserErrors } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password, '/items/1');
    await page.locator('.app-user', { hasText: '督查员' }).waitFor();
    await page.locator('.app-menu').getByText('责任单位').click();
    await page.waitForURL(/\/organisations$/);
    await page.getByRole('heading', { name: '责任单位' }).waitFor();
    await shot('organisations');

    await page.getByRole('link', { name: UNIT, exact: true }).first().click();
    await page.waitForURL(/\/organisations\/\d+/);
    await page.getByRole('heading', { name: new RegExp(`^${UNIT}`) }).waitFor();

    const table = page.locator('.summary-table');
    await table.waitFor();
    await table.getByText(CHAPTER_9, { exact: true }).waitFor();
    const chapterCell = table.locator('tr.row-chapter td', { hasText: CHAPTER_9 });
    expect(await chapterCell.getAttribute('colspan')).toBe('6');

    // 序号 35 is merged down its four items, and each item has its own row
    const number35 = table.locator('td.cell-merged', { hasText: /^35$/ });
    await number35.waitFor();
    expect(await number35.getAttribute('rowspan')).toBe('4');
    const task35Row = number35.locator('xpath=..');
    const rows = [task35Row, ...[1, 2, 3].map((n) => task35Row.locator(`xpath=following-sibling::tr[${n}]`))];
    for (const [index, row] of rows.entries()) {
      await expect.poll(() => row.innerText()).toContain(TASK_35_ITEMS[index]!);
    }
    await table.getByRole('columnheader', { name: '全年完成情况' }).waitFor();
    await shot('organisation');

    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('link', { name: /下载 Word/ }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(browserErrors.filter((text) => !/favicon/i.test(text))).toEqual([]);
  });
});
