/**
 * Browser test of 督查督办 from the office to a unit and back: the office opens an item of the demo plan, urges its
 * lead unit (市生态环境局) with a message and raises a yellow 督办单 to it; the unit's reporter sees the unread count on
 * 消息, finds both the urge and the notice in the inbox, opens the notice and answers it (反馈); the office opens the
 * notice, reads the answer and closes it (办结), and the notice says 已办结.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { REPORTER, SUPERVISOR, useHarness } from './harness.js';

const harness = useHarness();

const LED_ITEM = '单位地区生产总值二氧化碳排放量下降完成省下达任务';
const UNIT = '市生态环境局';
const URGE = '请抓紧报送一季度单位地区生产总值二氧化碳排放量下降的进展情况。';
const REASON = '该事项进度滞后，一季度进展情况未按时报送。';
const ANSWER = '已召开专题会议部署，完成重点行业节能降碳改造项目23个，本周内补报一季度进展情况。';
const CLOSING = '经核实，已按要求反馈并补报，予以办结。';

interface PlanTree {
  chapters: { tasks: { items: { id: number; work: string; lead: { id: number; name: string }[] }[] }[] }[];
}

let itemId = 0;
let noticeId = 0;
let numberText = '';

/** antd puts a space between the two characters of a two-character button label (催 办, 办 结). */
const button = (scope: Page | ReturnType<Page['locator']>, name: string) =>
  scope.getByRole('button', { name: new RegExp(`^\\S*\\s*${[...name].join('\\s*')}$`) });

/** Today in Beijing plus some days, YYYY-MM-DD. */
const beijingDate = (plusDays: number) => new Date(Date.now() + 8 * 3600_000 + plusDays * 86_400_000).toISOString().slice(0, 10);

async function chooseUnit(page: Page, dialog: ReturnType<Page['locator']>, label: string): Promise<void> {
  await dialog.getByLabel(label).click();
  await page.locator('.ant-select-dropdown:visible').getByText(`${UNIT}（牵头）`, { exact: true }).click();
  await expect.poll(() => dialog.innerText()).toContain(`${UNIT}（牵头）`);
}

describe('督查督办: 催办 and a yellow 督办单, answered by the unit and closed by the office', () => {
  it('the office urges the lead unit of an item and raises a yellow 督办单 to it', async () => {
    const { page } = harness;
    const { plans } = await harness.apiJson<{ plans: { id: number; year: number }[] }>('/api/plans');
    const planId = plans.find((plan) => plan.year === 2022)!.id;
    const tree = await harness.apiJson<PlanTree>(`/api/plans/${planId}`);
    const item = tree.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items)).find((each) => each.work === LED_ITEM)!;
    expect(item.lead.map((unit) => unit.name)).toContain(UNIT);
    itemId = item.id;

    await page.goto(`/items/${itemId}`);
    const card = page.getByTestId('item-supervision');
    await card.getByText('督查督办', { exact: true }).waitFor();

    // 催办, with the default message replaced by the office's own
    await button(card, '催办').click();
    const urge = page.getByRole('dialog', { name: '催办' });
    await urge.getByLabel('催办内容').waitFor();
    expect(await urge.getByLabel('催办内容').inputValue()).toBe('请抓紧报送本期进展情况。');
    await chooseUnit(page, urge, '催办单位');
    await urge.getByLabel('催办内容').fill(URGE);
    await urge.getByRole('button', { name: '发送催办' }).click();
    await page.getByText(new RegExp(`已向${UNIT}催办`)).waitFor();
    await card.getByTestId('timeline-event').filter({ hasText: URGE }).waitFor();

    // a yellow 督办单, answer due in five days unless changed
    await button(card, '发督办单').click();
    const raise = page.getByRole('dialog', { name: '发督办单' });
    await raise.getByLabel('督办事由').waitFor();
    expect(await raise.getByLabel('反馈时限').inputValue()).toBe(beijingDate(5));
    await chooseUnit(page, raise, '主送单位');
    await raise.getByText('滞后或质量不高').click();
    await raise.getByLabel('督办事由').fill(REASON);
    await raise.getByRole('button', { name: '发出督办单' }).click();
    const raised = card.getByText(new RegExp(`已向${UNIT}发出黄色督办单 (〔\\d{4}〕第\\d+号)`));
    await raised.waitFor();
    numberText = /(〔\d{4}〕第\d+号)/.exec(await raised.innerText())![1]!;
    const href = await card.getByRole('link', { name: '查看督办单' }).first().getAttribute('href');
    noticeId = Number(/\/notices\/(\d+)$/.exec(href ?? '')?.[1]);
    expect(noticeId).toBeGreaterThan(0);
    await card.getByTestId('timeline-event').filter({ hasText: REASON }).waitFor();
    await harness.shot('supervision-item-office');
  });

  it('the unit’s reporter sees the unread count, finds the urge and the notice in 消息, and answers the notice', async () => {
    const { page } = harness;
    await harness.signIn(REPORTER.username, REPORTER.password);
    const inboxLink = page.getByRole('link', { name: /^消息（\d+ 条未读）$/ });
    await inboxLink.waitFor();
    const unread = Number(/（(\d+) 条未读）/.exec((await inboxLink.getAttribute('aria-label')) ?? '')?.[1]);
    expect(unread).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('inbox-badge').locator('.ant-badge-count').getAttribute('title')).toBe(String(unread));

    await inboxLink.click();
    await page.waitForURL(/\/inbox$/);
    await page.getByRole('heading', { name: '消息' }).waitFor();
    const urgeItem = page.getByTestId('inbox-item').filter({ hasText: URGE });
    const noticeItem = page.getByTestId('inbox-item').filter({ hasText: `黄色督办单 ${numberText}` });
    await urgeItem.waitFor();
    await noticeItem.waitFor();
    expect(await urgeItem.innerText()).toMatch(/催办/);
    expect(await noticeItem.innerText()).toContain(REASON);
    expect(await noticeItem.getByTestId('unread-dot').count()).toBe(1);
    await harness.shot('supervision-inbox');

    // opening it marks it read and follows its link
    await noticeItem.getByRole('button', { name: `黄色督办单 ${numberText}` }).click();
    await page.waitForURL(new RegExp(`/notices/${noticeId}$`));
    await page.getByRole('link', { name: `消息（${unread - 1} 条未读）` }).waitFor();
    const documentCard = page.getByTestId('notice-document');
    await documentCard.getByRole('heading', { name: '黄色督办单' }).waitFor();
    expect(await documentCard.innerText()).toMatch(new RegExp(`${numberText}[\\s\\S]*主送单位\\s*${UNIT}[\\s\\S]*${REASON}`));
    await page.getByLabel('办理情况').fill(ANSWER);
    await page.getByRole('button', { name: '提交反馈' }).click();
    await expect.poll(() => page.getByTestId('notice-state').innerText()).toBe('已反馈');
    await page.getByTestId('notice-replies').getByText(ANSWER).waitFor();
    expect(await page.getByTestId('notice-reply-form').count()).toBe(1);
  });

  it('the office reads the answer and closes the notice, which then says 已办结', async () => {
    const { page } = harness;
    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password, `/notices/${noticeId}`);
    await page.getByTestId('notice-replies').getByText(ANSWER).waitFor();
    expect(await page.getByTestId('notice-reply-form').count()).toBe(0);
    await button(page, '办结').click();
    const dialog = page.getByRole('dialog', { name: '办结督办单' });
    await dialog.getByLabel('办结意见').fill(CLOSING);
    await button(dialog, '办结').click();
    await expect.poll(() => page.getByTestId('notice-state').innerText()).toBe('已办结');
    await dialog.waitFor({ state: 'hidden' });
    const closed = page.getByRole('alert').filter({ hasText: /^已办结（督查员/ });
    await closed.waitFor();
    expect(await closed.innerText()).toContain(CLOSING);
    expect(await button(page, '办结').count()).toBe(0);
    await harness.shot('supervision-notice-closed');

    // the list says so too
    await page.getByRole('menuitem', { name: '督办单' }).click();
    await page.waitForURL(/\/notices$/);
    const row = page.locator('.ant-table-row', { hasText: numberText });
    await expect.poll(() => row.innerText()).toMatch(new RegExp(`黄色督办单[\\s\\S]*${UNIT}[\\s\\S]*已办结`));
    expect(harness.browserErrors).toEqual([]);
  });
});
