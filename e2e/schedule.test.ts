/**
 * Browser test of the reporting calendar and the assignments: the supervision office (督查室) sets quarterly and
 * year-end reporting for the demo plan (2022) on 报送安排, sets one period's due date by hand, enters the National
 * Day holiday of 2022 on 工作日历 and sees the due date of the third quarter move; on an item page it reassigns a
 * cooperating unit. The 市生态环境局 reporter signs for one item and returns another with a reason, which the office
 * then reads on that item's page.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageApi, REPORTER, SUPERVISOR, useHarness } from './harness.js';

const harness = useHarness();

/** 市生态环境局 leads it; 市发改委 and 市工信局 cooperate. */
const LED_ITEM = '单位地区生产总值二氧化碳排放量下降完成省下达任务';
/** 市发改委 leads it; 市生态环境局 is one of the cooperating units. */
const COOPERATED_ITEM = '优化投资结构，全面加强要素支撑和服务保障';
const RETURN_REASON = '该项工作由市发改委牵头推进，本局无具体承担任务，建议调整为市住建局配合。';

interface PlanTree {
  plan: { id: number; year: number };
  chapters: { tasks: { items: { id: number; work: string }[] }[] }[];
}

interface Schedule {
  kinds: { kind: string; description: string }[];
  periods: { code: string; dueOn: string | null; expectedProgress: number }[];
}

let planId = 0;
const itemIds: Record<string, number> = {};

async function demoPlan(): Promise<void> {
  if (planId) return;
  const { plans } = await harness.apiJson<{ plans: { id: number; year: number }[] }>('/api/plans');
  planId = plans.find((plan) => plan.year === 2022)!.id;
  const tree = await harness.apiJson<PlanTree>(`/api/plans/${planId}`);
  const items = tree.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items));
  itemIds.led = items.find((item) => item.work === LED_ITEM)!.id;
  itemIds.cooperated = items.find((item) => item.work.startsWith(COOPERATED_ITEM))!.id;
}

const dueDates = async () => {
  const schedule = await harness.apiJson<Schedule>(`/api/plans/${planId}/schedule`);
  return Object.fromEntries(schedule.periods.map((period) => [period.code, period.dueOn]));
};

/** The row of a period in the schedule table, by its label (一季度, 全年). */
const periodRow = (page: Page, label: string) =>
  page.locator('.schedule-table .ant-table-row', { has: page.locator('.period-label', { hasText: new RegExp(`^${label}$`) }) });

/** A write to the API as the person signed in on the page, which must succeed. */
async function pageWrite(page: Page, method: string, path: string, body: unknown): Promise<void> {
  expect((await pageApi(page, method, path, body)).status, `${method} ${path}`).toBe(200);
}

/**
 * The demo plan came in as a year-end table, so every unit's part counts as signed for. The office assigns the two
 * items afresh (a unit dropped and added again must sign anew), which is how a new plan's parts start.
 */
async function assignAfresh(page: Page, itemId: number): Promise<void> {
  const { assignments } = await harness.apiJson<{ assignments: { organisation: { id: number }; role: string }[] }>(
    `/api/items/${itemId}/assignments`,
  );
  const ids = (role: string) => assignments.filter((entry) => entry.role === role).map((entry) => entry.organisation.id);
  const withoutEcology = (list: number[]) => list.filter((id) => id !== 1);
  const lead = ids('lead');
  const cooperating = ids('cooperating');
  const ecologyLeads = lead.includes(1);
  await pageWrite(page, 'PUT', `/api/items/${itemId}/assignments`, {
    lead: ecologyLeads ? [...withoutEcology(lead), ...withoutEcology(cooperating).slice(0, 1)] : lead,
    cooperating: ecologyLeads ? withoutEcology(cooperating).slice(1) : withoutEcology(cooperating),
  });
  await pageWrite(page, 'PUT', `/api/items/${itemId}/assignments`, { lead, cooperating });
}

/** Picks an option of an antd Select by its text. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

describe('报送安排', () => {
  it('the office sets quarterly reporting due 10 working days after the quarter and year-end reporting, and sees Q1–Q4 with due dates', async () => {
    const { page, baseUrl } = harness;
    await demoPlan();
    await page.goto(`/plans/${planId}`);
    await page.getByRole('link', { name: /报送安排/ }).click();
    await page.waitForURL(`${baseUrl}/plans/${planId}/schedule`);
    await page.getByText(/尚未设置该计划的报送周期和截止规则。目前只有“全年”一期，尚无截止日期/).waitFor();
    // the demo plan arrives with its year-end period, which has the imported reports; without a due date it has not
    // closed, though its year is over
    await expect
      .poll(() => periodRow(page, '全年').innerText())
      .toMatch(/2022-01-01 至 2022-12-31[\s\S]*未设置（尚无报送安排）[\s\S]*100%[\s\S]*15[\s\S]*截止日期未定/);
    expect(await periodRow(page, '全年').innerText()).not.toContain('已截止');
    expect(await periodRow(page, '全年').innerText()).not.toContain('已停用');
    await expect.poll(() => page.locator('.card-title-note').innerText()).toContain('尚未设置报送安排');
    await harness.shot('schedule-empty');

    await page.getByRole('checkbox', { name: '季报', exact: true }).check();
    await choose(page, '季报截止规则', '期末后工作日');
    await page.getByLabel('季报截止工作日数').fill('10');
    await page.getByRole('checkbox', { name: '年报', exact: true }).check();
    await expect.poll(() => page.getByTestId('schedule-kind-quarter').innerText()).toContain('期末后第 10 个工作日');
    await expect.poll(() => page.getByTestId('schedule-kind-year').innerText()).toContain('次月 15 日（遇节假日顺延）');
    await page.getByRole('button', { name: /保存报送安排/ }).click();
    await page.getByText('报送安排已保存').waitFor();

    // no holidays yet: ten working days are two weeks; the year-end report's 15 January 2023 is a Sunday
    const expected: Record<string, RegExp> = {
      一季度: /2022-01-01 至 2022-03-31[\s\S]*2022-04-14\s*周四[\s\S]*25%/,
      二季度: /2022-04-01 至 2022-06-30[\s\S]*2022-07-14\s*周四[\s\S]*50%/,
      三季度: /2022-07-01 至 2022-09-30[\s\S]*2022-10-14\s*周五[\s\S]*75%/,
      四季度: /2022-10-01 至 2022-12-31[\s\S]*2023-01-13\s*周五[\s\S]*100%/,
      全年: /2022-01-01 至 2022-12-31[\s\S]*2023-01-16\s*周一[\s\S]*100%/,
    };
    for (const [label, text] of Object.entries(expected)) await expect.poll(() => periodRow(page, label).innerText()).toMatch(text);
    expect(await page.locator('.schedule-table .ant-table-row').count()).toBe(5);
    expect(await dueDates()).toEqual({
      '2022-Q1': '2022-04-14',
      '2022-Q2': '2022-07-14',
      '2022-Q3': '2022-10-14',
      '2022-Q4': '2023-01-13',
      '2022-Y': '2023-01-16',
    });
    await harness.shot('schedule');

    // one period's due date and expected progress set by hand
    await periodRow(page, '二季度').getByRole('button', { name: /调整/ }).click();
    const picker = page.getByLabel('二季度截止日期');
    await picker.click();
    await picker.fill('2022-07-20');
    await page.keyboard.press('Enter');
    await page.getByLabel('二季度序时进度').fill('48');
    await harness.shot('schedule-editing');
    await periodRow(page, '二季度')
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await expect.poll(() => periodRow(page, '二季度').innerText()).toMatch(/2022-07-20\s*周三[\s\S]*手动设置[\s\S]*48%/);
    expect((await dueDates())['2022-Q2']).toBe('2022-07-20');
    expect(harness.browserErrors).toEqual([]);
  });

  it('a holiday entered on 工作日历 moves the due dates that follow the rule, not the one set by hand; 恢复按规则 brings that back', async () => {
    const { page, baseUrl } = harness;
    await page.getByRole('menuitem', { name: '工作日历' }).click();
    await page.waitForURL(`${baseUrl}/settings/calendar`);
    await choose(page, '年份', '2022年');
    await page.waitForURL(`${baseUrl}/settings/calendar?year=2022`);
    await page.getByText('尚未设置 2022 年的节假日').waitFor();

    // 国庆节: 1–7 October off, the weekend after worked (国办发明电〔2021〕11号)
    await page.getByPlaceholder('开始日期').click();
    await page.getByPlaceholder('开始日期').fill('2022-10-01');
    await page.keyboard.press('Enter');
    await page.getByPlaceholder('结束日期').fill('2022-10-07');
    await page.keyboard.press('Enter');
    await page.getByLabel('名称').fill('国庆节');
    await page.getByRole('button', { name: /添\s*加/ }).click();
    await page.locator('.calendar-table .ant-table-row', { hasText: '国庆节' }).waitFor();

    // checked before it is sent: a day already in the list, a worked day that is no weekend day
    await choose(page, '单日或连续多日', '单日');
    await page.getByLabel('日期', { exact: true }).click();
    await page.getByLabel('日期', { exact: true }).fill('2022-10-07');
    await page.keyboard.press('Enter');
    await page.getByLabel('名称').fill('国庆节');
    await page.getByRole('button', { name: /添\s*加/ }).click();
    await page.getByText('2022-10-07（国庆节）已在列表中').waitFor();
    await harness.shot('calendar-duplicate');
    await page.getByText('调休上班日', { exact: true }).click();
    await page.getByLabel('日期', { exact: true }).click();
    await page.getByLabel('日期', { exact: true }).fill('2022-10-10');
    await page.keyboard.press('Enter');
    await page.getByLabel('名称').fill('国庆节调休');
    await page.getByRole('button', { name: /添\s*加/ }).click();
    await page.getByText('2022-10-10 是周一，本就是工作日').waitFor();
    await choose(page, '单日或连续多日', '连续多日');

    await page.getByPlaceholder('开始日期').click();
    await page.getByPlaceholder('开始日期').fill('2022-10-08');
    await page.keyboard.press('Enter');
    await page.getByPlaceholder('结束日期').fill('2022-10-09');
    await page.keyboard.press('Enter');
    await page.getByLabel('名称').fill('国庆节调休');
    await page.getByRole('button', { name: /添\s*加/ }).click();

    const rows = page.locator('.calendar-table .ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    await expect
      .poll(() => rows.nth(0).innerText())
      .toMatch(/2022-10-01\s*周六\s*至\s*2022-10-07\s*周五[\s\S]*7 天[\s\S]*节假日[\s\S]*国庆节/);
    await expect
      .poll(() => rows.nth(1).innerText())
      .toMatch(/2022-10-08\s*周六\s*至\s*2022-10-09\s*周日[\s\S]*2 天[\s\S]*调休上班[\s\S]*国庆节调休/);
    expect(await page.locator('.year-view .month-view-holiday').count()).toBe(7);
    expect(await page.locator('.year-view .month-view-workday').count()).toBe(2);
    await page.getByRole('button', { name: /保存工作日历/ }).click();
    await page.getByText('已保存 2022 年工作日历').waitFor();
    await harness.shot('calendar');
    const saved = await harness.apiJson<{ days: { day: string; kind: string; name: string }[] }>('/api/calendar/2022');
    expect(saved.days.map((day) => `${day.day} ${day.kind} ${day.name}`)).toEqual([
      ...['01', '02', '03', '04', '05', '06', '07'].map((day) => `2022-10-${day} holiday 国庆节`),
      '2022-10-08 workday 国庆节调休',
      '2022-10-09 workday 国庆节调休',
    ]);

    // the third quarter's ten working days now start on the worked weekend after the holiday
    await page.goto(`/plans/${planId}/schedule`);
    await expect.poll(() => periodRow(page, '三季度').innerText()).toMatch(/2022-10-19\s*周三/);
    await expect.poll(() => periodRow(page, '二季度').innerText()).toMatch(/2022-07-20\s*周三[\s\S]*手动设置/);
    expect(await dueDates()).toMatchObject({ '2022-Q2': '2022-07-20', '2022-Q3': '2022-10-19' });
    await harness.shot('schedule-after-holiday');

    await periodRow(page, '二季度')
      .getByRole('button', { name: /恢复按规则/ })
      .click();
    await page
      .locator('.ant-popconfirm:visible')
      .getByRole('button', { name: /恢\s*复/ })
      .click();
    await expect.poll(() => periodRow(page, '二季度').innerText()).toMatch(/2022-07-14\s*周四/);
    expect(await periodRow(page, '二季度').innerText()).not.toContain('手动设置');
    expect((await dueDates())['2022-Q2']).toBe('2022-07-14');
    expect(harness.browserErrors).toEqual([]);
  });

  it('a due date set by hand on a holiday or on a Sunday not worked is flagged before saving and on the saved row', async () => {
    const { page } = harness;
    await page.goto(`/plans/${planId}/schedule`);
    const pick = async (label: string, date: string) => {
      await periodRow(page, label).getByRole('button', { name: /调整/ }).click();
      const picker = page.getByLabel(`${label}截止日期`);
      await picker.click();
      await picker.fill(date);
      await page.keyboard.press('Enter');
    };

    // 6 October is in the National Day holiday entered above
    await pick('三季度', '2022-10-06');
    await expect.poll(() => periodRow(page, '三季度').getByTestId('due-day-off-draft').innerText()).toBe('国庆节，非工作日');
    await harness.shot('schedule-day-off-draft');
    // a worked Saturday of the 调休 is no day off
    const picker = page.getByLabel('三季度截止日期');
    await picker.click();
    await picker.fill('2022-10-08');
    await page.keyboard.press('Enter');
    await expect.poll(() => periodRow(page, '三季度').getByTestId('due-day-off-draft').count()).toBe(0);
    await picker.click();
    await picker.fill('2022-10-06');
    await page.keyboard.press('Enter');
    await periodRow(page, '三季度')
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await expect.poll(() => periodRow(page, '三季度').innerText()).toMatch(/2022-10-06\s*周四[\s\S]*手动设置[\s\S]*国庆节，非工作日/);

    await pick('一季度', '2022-04-17');
    await expect.poll(() => periodRow(page, '一季度').getByTestId('due-day-off-draft').innerText()).toBe('周日，非工作日');
    await periodRow(page, '一季度')
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await expect.poll(() => periodRow(page, '一季度').getByTestId('due-day-off').innerText()).toBe('周日，非工作日');
    await harness.shot('schedule-day-off');

    // the server marks them, for every reader of the schedule
    const schedule = await harness.apiJson<{ periods: { code: string; dueOnDayOff: boolean; dueDayOffReason: string | null }[] }>(
      `/api/plans/${planId}/schedule`,
    );
    expect(schedule.periods.filter((period) => period.dueOnDayOff).map((period) => `${period.code} ${period.dueDayOffReason}`)).toEqual([
      '2022-Q1 周日',
      '2022-Q3 国庆节',
    ]);

    // the third quarter back to its rule, for the tests below
    await periodRow(page, '三季度')
      .getByRole('button', { name: /恢复按规则/ })
      .click();
    await page
      .locator('.ant-popconfirm:visible')
      .getByRole('button', { name: /恢\s*复/ })
      .click();
    await expect.poll(() => periodRow(page, '三季度').innerText()).toMatch(/2022-10-19\s*周三/);
    expect(await periodRow(page, '三季度').getByTestId('due-day-off').count()).toBe(0);
    expect(harness.browserErrors).toEqual([]);
  });
});

describe('分工与签收', () => {
  it('the office replaces a cooperating unit of an item', async () => {
    const { page } = harness;
    await page.goto(`/items/${itemIds.led}`);
    const rows = page.locator('.assignments-table .ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    // the demo plan came in as a year-end table: every part counts as signed for
    await expect.poll(() => rows.nth(0).innerText()).toMatch(/市生态环境局[\s\S]*牵头[\s\S]*已签收/);
    // the year-end period is shown first for a past plan, with each unit's report
    await expect.poll(() => page.getByLabel('报送周期').locator('..').innerText()).toContain('全年');
    expect(await page.getByRole('link', { name: '查看市生态环境局全年报告' }).getAttribute('href')).toBe(
      `/items/${itemIds.led}/reports/1/2022-Y`,
    );

    await page.getByRole('button', { name: /调整分工/ }).click();
    const dialog = page.locator('.ant-modal:visible');
    await dialog.getByText('调整分工').first().waitFor();
    await dialog.locator('.ant-select-selection-item', { hasText: '市工信局' }).locator('.ant-select-selection-item-remove').click();
    await dialog.getByLabel('配合单位').click();
    await page.keyboard.type('市财政局');
    await page.keyboard.press('Enter');
    // away from the list, to read what will change
    await dialog.getByLabel('配合单位').blur();
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await expect
      .poll(() => dialog.locator('.reassign-changes').innerText())
      .toMatch(/新增（须签收）：\s*市财政局（配合）[\s\S]*移除：\s*市工信局（配合）/);
    await harness.shot('item-reassign');
    await dialog.getByRole('button', { name: /保存分工/ }).click();
    await page.getByText('分工已调整').waitFor();

    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => page.locator('.assignments-table').innerText()).not.toContain('市工信局');
    await expect.poll(() => rows.nth(2).innerText()).toMatch(/市财政局[\s\S]*配合[\s\S]*待签收/);
    // the item's units follow
    await expect
      .poll(() => page.locator('.ant-descriptions-row', { hasText: '主要配合单位' }).innerText())
      .toMatch(/市发改委[\s\S]*市财政局/);
    const { assignments } = await harness.apiJson<{ assignments: { organisation: { name: string }; role: string; state: string }[] }>(
      `/api/items/${itemIds.led}/assignments`,
    );
    expect(assignments.map((entry) => `${entry.organisation.name} ${entry.role} ${entry.state}`)).toEqual([
      '市生态环境局 lead acknowledged',
      '市发改委 cooperating acknowledged',
      '市财政局 cooperating assigned',
    ]);
    await harness.shot('item-assignments');
    await assignAfresh(page, itemIds.led!);
    await assignAfresh(page, itemIds.cooperated!);
    expect(harness.browserErrors).toEqual([]);
  });

  it('the 市生态环境局 reporter signs for the item it leads and returns one it was wrongly given, with a reason the office reads', async () => {
    const { page } = harness;
    await harness.signIn(REPORTER.username, REPORTER.password, `/items/${itemIds.led}`);
    const ask = page.locator('.assignment-ask');
    await expect.poll(() => ask.innerText()).toContain('本单位（市生态环境局）对该事项的分工（牵头）待签收');
    // the unit's own reports: the accepted year-end one to read, the first quarter's to fill in
    expect(await page.getByRole('link', { name: '查看市生态环境局全年报告' }).getAttribute('href')).toBe(
      `/items/${itemIds.led}/reports/1/2022-Y`,
    );
    await choose(page, '报送周期', '一季度');
    expect(await page.getByRole('link', { name: '填报市生态环境局一季度报告' }).getAttribute('href')).toBe(
      `/items/${itemIds.led}/reports/1/2022-Q1`,
    );
    await expect
      .poll(() => page.locator('.assignments-table .ant-table-row', { hasText: '市生态环境局' }).innerText())
      .toMatch(/未填报\s*填报/);
    await harness.shot('item-to-sign');
    await ask.getByRole('button', { name: /签\s*收/ }).click();
    await page.getByText('已签收', { exact: true }).first().waitFor();
    await expect
      .poll(() => page.locator('.assignments-table .ant-table-row', { hasText: '市生态环境局' }).innerText())
      .toMatch(/牵头[\s\S]*已签收/);
    expect(await ask.count()).toBe(0);

    await page.goto(`/items/${itemIds.cooperated}`);
    await expect.poll(() => ask.innerText()).toContain('（配合）待签收');
    await ask.getByRole('button', { name: /退\s*回/ }).click();
    const dialog = page.locator('.ant-modal:visible');
    // a reason is required
    expect(await dialog.getByRole('button', { name: /退\s*回/ }).isDisabled()).toBe(true);
    await dialog.getByLabel('退回理由').fill(RETURN_REASON);
    await harness.shot('item-return-dialog');
    await dialog.getByRole('button', { name: /退\s*回/ }).click();
    await page.getByText('已退回，督查室将重新分配').waitFor();
    await expect
      .poll(() => page.locator('.assignments-table .ant-table-row', { hasText: '市生态环境局' }).innerText())
      .toMatch(/配合[\s\S]*已退回[\s\S]*退回理由/);
    await page.getByText('等待督查室重新分配').waitFor();
    await harness.shot('item-returned-reporter');

    // the unit reads the schedule; only the office sets it
    await page.goto(`/plans/${planId}`);
    await page.getByRole('link', { name: /报送安排/ }).click();
    await expect.poll(() => periodRow(page, '三季度').innerText()).toMatch(/2022-10-19\s*周三/);
    await expect.poll(() => periodRow(page, '一季度').getByTestId('due-day-off').innerText()).toBe('周日，非工作日');
    await page.getByText('期末后第 10 个工作日').waitFor();
    expect(await page.getByRole('button', { name: /保存报送安排/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /调整/ }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '工作日历' }).count()).toBe(0);
    await harness.shot('schedule-readonly');
    expect(harness.browserErrors).toEqual([]);

    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password, `/items/${itemIds.cooperated}`);
    const returned = page.locator('.assignments-table .ant-table-row', { hasText: '市生态环境局' });
    await expect.poll(() => returned.innerText()).toMatch(/配合[\s\S]*已退回/);
    await expect.poll(() => returned.getByTestId('assignment-reason').innerText()).toBe(`退回理由：${RETURN_REASON}`);
    await page.getByText('市生态环境局已退回分工，请核实后调整分工。').waitFor();
    await harness.shot('item-returned-office');
    expect(harness.browserErrors).toEqual([]);
  });
});
