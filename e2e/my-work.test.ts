/**
 * Browser test of 我的待办 when everything is years overdue: the demo plan of 2022 reports quarterly, and today is
 * long after. The 市生态环境局 reporter and leader see every quarterly report owed, the oldest first and marked red,
 * a page at a time, with the count on the menu; the office sees per unit how many reports are overdue and opens a
 * unit. On the way: the report editor counts characters against the limits, an untouched report is 未填报 and a saved
 * one 草稿, the leader's review bar offers only 审核通过 and 退回修改 (each explained), and 版本比较 opens on the
 * previous text against the current one, not on two identical steps.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LEADER, pageApi, REPORTER, SUPERVISOR, useHarness } from './harness.js';

const harness = useHarness();

const LED_ITEM = '单位地区生产总值二氧化碳排放量下降完成省下达任务';
const FIRST_TEXT = '一季度全市单位地区生产总值二氧化碳排放量同比下降4.2%。';
const SECOND_TEXT = '一季度全市单位地区生产总值二氧化碳排放量同比下降4.2%，完成重点行业节能降碳改造项目23个。';

interface PlanTree {
  chapters: {
    tasks: { items: { id: number; work: string; lead: { id: number; name: string }[]; cooperating: { id: number; name: string }[] }[] }[];
  }[];
}

let itemId = 0;
let bureauId = 0;
let owed = 0;

const stateTag = (page: Page) => page.getByTestId('report-state');
const button = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^\\S*\\s*${[...name].join('\\s*')}$`) });

async function openMyWork(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: /我的待办/ }).click();
  await page.waitForURL(/\/my-work$/);
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
}

describe('我的待办 with reports overdue for years', () => {
  it('the office sets quarterly reporting on the demo plan of 2022', async () => {
    const { plans } = await harness.apiJson<{ plans: { id: number; year: number }[] }>('/api/plans');
    const planId = plans.find((plan) => plan.year === 2022)!.id;
    const tree = await harness.apiJson<PlanTree>(`/api/plans/${planId}`);
    const items = tree.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items));
    const item = items.find((candidate) => candidate.work === LED_ITEM)!;
    itemId = item.id;
    bureauId = item.lead.find((organisation) => organisation.name === '市生态环境局')!.id;
    owed =
      items.filter((candidate) => [...candidate.lead, ...candidate.cooperating].some((organisation) => organisation.id === bureauId))
        .length * 4;
    const schedule = await pageApi(harness.page, 'PUT', `/api/plans/${planId}/schedule`, { kinds: [{ kind: 'quarter' }] });
    expect(schedule.status).toBe(200);
    await harness.addUser(LEADER);
  });

  it('the reporter sees every 2022 quarterly report as overdue, the oldest first, in red, with the count on the menu', async () => {
    const { page } = harness;
    await harness.signIn(REPORTER.username, REPORTER.password);
    await openMyWork(page);
    const due = page.getByTestId('todo-due');
    await due.waitFor();
    expect(await page.getByText('暂无待办事项').count()).toBe(0);
    await expect.poll(() => due.locator('.todo-count').innerText()).toBe(String(owed));
    expect(await due.innerText()).toContain(`其中 ${owed} 项已逾期，逾期最久的在前`);
    const rows = due.locator('.ant-table-row');
    await expect.poll(() => rows.count()).toBe(20);
    expect(await rows.first().innerText()).toMatch(/一季度[\s\S]*2022-04-20[\s\S]*已逾期 \d{4} 天[\s\S]*未填报/);
    expect(await due.locator('.ant-table-row.todo-row-overdue').count()).toBe(20);
    const background = await rows
      .first()
      .locator('td')
      .first()
      .evaluate((cell) => getComputedStyle(cell).backgroundColor);
    expect(background).toBe('rgb(255, 246, 245)');
    // the menu counts what waits: every report owed, and the parts of items to sign for
    const badge = page.locator('.app-menu .ant-badge-count');
    const work = (await pageApi(page, 'GET', '/api/my-work')).body;
    expect(work.total).toBeGreaterThanOrEqual(owed);
    await expect.poll(() => badge.getAttribute('title')).toBe(String(work.total));
    await harness.shot('my-work-overdue-reporter');

    // the last page ends with the fourth quarter, due in January 2023
    await due.locator('.ant-pagination-item').last().click();
    await expect.poll(() => rows.last().innerText()).toMatch(/四季度[\s\S]*2023-01-\d\d/);
    expect(await due.locator('.ant-pagination-item-active').innerText()).toBe(String(Math.ceil(owed / 20)));
  });

  it('the report editor counts each text against its limit; an untouched report is 未填报, a saved one 草稿', async () => {
    const { page } = harness;
    await page.goto(`/items/${itemId}/reports/${bureauId}/2022-Q1`);
    await page.getByRole('heading', { name: /一季度进展报告/ }).waitFor();
    await expect.poll(() => stateTag(page).innerText()).toBe('未填报');
    const counter = (label: string) => page.locator('.ant-form-item', { has: page.getByLabel(label) }).locator('.ant-input-data-count');
    expect(await counter('进展情况').innerText()).toBe('0 / 5000');
    expect(await counter('存在问题').innerText()).toBe('0 / 2000');
    expect(await counter('下一步计划').innerText()).toBe('0 / 2000');
    // a pasted 50,000 characters stop at the limit
    await page.getByLabel('存在问题').fill('问'.repeat(50_000));
    await expect.poll(() => counter('存在问题').innerText()).toBe('2000 / 2000');
    await page.getByLabel('存在问题').fill('');
    await page.getByLabel('进展情况').fill(FIRST_TEXT);
    await expect.poll(() => counter('进展情况').innerText()).toBe(`${[...FIRST_TEXT].length} / 5000`);
    await page.locator('.report-form-status').getByText('序时推进', { exact: true }).click();
    await expect.poll(() => page.getByTestId('save-state').innerText(), { timeout: 10_000 }).toMatch(/已保存/);
    await expect.poll(() => stateTag(page).innerText()).toBe('草稿');
    await harness.shot('report-counters');

    // the server holds the same limit, and names the field
    const view = (await pageApi(page, 'GET', `/api/items/${itemId}/reports/${bureauId}/2022-Q1`)).body;
    const tooLong = await pageApi(page, 'PUT', `/api/items/${itemId}/reports/${bureauId}/2022-Q1`, {
      content: { ...view.content, progress: '进'.repeat(5001) },
      baseRevision: view.revision,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/5000/);
    expect(harness.browserErrors.splice(0)).toEqual([expect.stringMatching(/400 \(Bad Request\)/)]);

    await button(page, '报送').click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待单位审核');
  });

  it('the leader sees the same reports owed, and reviews with only 审核通过 and 退回修改, each explained', async () => {
    const { page } = harness;
    await harness.signIn(LEADER.username, LEADER.password);
    await openMyWork(page);
    await expect.poll(() => page.getByTestId('todo-due').locator('.todo-count').innerText()).toBe(String(owed - 1));
    await page
      .getByTestId('todo-review')
      .locator('.ant-table-row', { hasText: LED_ITEM })
      .getByRole('link', { name: /审核/ })
      .first()
      .click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待单位审核');
    const bar = page.locator('.report-action-buttons');
    await expect
      .poll(() =>
        bar
          .getByRole('button')
          .allInnerTexts()
          .then((texts) => texts.map((text) => text.replace(/\s/g, ''))),
      )
      .toEqual(['退回修改', '审核通过']);
    await button(page, '审核通过').hover();
    await page.locator('.ant-tooltip:visible', { hasText: '同意后报送督查室' }).waitFor();
    await button(page, '退回修改').hover();
    await page.locator('.ant-tooltip:visible', { hasText: '退回本单位填报人员修改，须写明意见' }).waitFor();
    await harness.shot('report-leader-bar');

    await button(page, '退回修改').click();
    const dialog = page.locator('.ant-modal:visible');
    await expect.poll(() => dialog.locator('.ant-input-data-count').innerText()).toBe('0 / 2000');
    await dialog.getByLabel('退回意见').fill('请补充节能降碳改造项目数量。');
    await dialog.getByRole('button', { name: /退回修改/ }).click();
    await expect.poll(() => stateTag(page).innerText()).toBe('已退回');
  });

  it('版本比较 opens on the text sent back against the one approved, not on two identical steps', async () => {
    const { page } = harness;
    const url = `/items/${itemId}/reports/${bureauId}/2022-Q1`;
    await harness.signIn(REPORTER.username, REPORTER.password, url);
    await page.getByLabel('进展情况').fill(SECOND_TEXT);
    await expect.poll(() => page.getByTestId('save-state').innerText(), { timeout: 10_000 }).toMatch(/已保存/);
    await button(page, '报送').click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待单位审核');

    await harness.signIn(LEADER.username, LEADER.password, url);
    await button(page, '审核通过').click();
    await page.locator('.ant-modal:visible').getByRole('button', { name: '审核通过' }).click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待审核');

    // versions: 报送, 单位退回修改, 报送 (new text), 单位审核通过 (the same text again)
    await page.getByRole('tab', { name: /历史版本/ }).click();
    await expect.poll(() => page.locator('.versions-table .ant-table-row').count()).toBe(4);
    const diff = page.getByTestId('report-diff');
    await expect
      .poll(() =>
        diff
          .locator('ins.diff-added')
          .allInnerTexts()
          .then((texts) => texts.join('')),
      )
      .toContain('完成重点行业节能降碳改造项目23个');
    expect(await diff.getByText('两个版本的内容相同').count()).toBe(0);
    expect(await page.getByLabel('比较的旧版本').locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText()).toContain(
      '第 2 版',
    );
    expect(await page.getByLabel('比较的新版本').locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText()).toContain(
      '第 4 版',
    );
    await harness.shot('report-history-default');
  });

  it('the office sees per unit how many reports are overdue, and opens one unit’s list', async () => {
    const { page } = harness;
    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password);
    await openMyWork(page);
    const section = page.getByTestId('todo-overdue-units');
    await section.waitFor();
    const bureau = section.locator('.ant-table-row', { hasText: '市生态环境局' });
    await expect
      .poll(() => bureau.innerText())
      .toMatch(new RegExp(`市生态环境局[\\s\\S]*${owed - 1} 份[\\s\\S]*2022-04-20[\\s\\S]*已逾期 \\d{4} 天`));
    await expect.poll(() => page.locator('.app-menu .ant-badge-count').count()).toBe(1);
    await bureau.click();
    const expanded = section.locator('.ant-table-expanded-row');
    await expect.poll(() => expanded.locator('.ant-table-row.todo-row-overdue').count()).toBe(20);
    expect(await expanded.locator('.ant-table-row').first().innerText()).toMatch(/一季度[\s\S]*已逾期/);
    await harness.shot('my-work-overdue-office');
    expect(harness.browserErrors).toEqual([]);
  });
});
