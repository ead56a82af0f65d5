/**
 * Browser test of the reporting cycle on the demo plan (2022): the supervision office sets quarterly reporting; the
 * 市生态环境局 reporter writes the first-quarter report of an item the bureau leads on the report page (autosave),
 * and submits it; the bureau's leader finds it in 我的待办 → 待审核 and approves it; the office finds it in its
 * 待审核, reads it beside the cooperating units' reports, and returns it with a comment; the reporter sees the
 * comment on the report page and in 我的待办 → 被退回, meets a colleague's concurrent save (the conflict dialog,
 * both ways out), and resubmits; 历史版本 lists the steps and compares two versions.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LEADER, pageApi, REPORTER, SUPERVISOR, useHarness } from './harness.js';

const harness = useHarness();

/** 市生态环境局 leads it; 市发改委 and 市工信局 cooperate. */
const LED_ITEM = '单位地区生产总值二氧化碳排放量下降完成省下达任务';
const PERIOD = '2022-Q1';
const FIRST_TEXT = '一季度全市单位地区生产总值二氧化碳排放量同比下降4.2%，完成省下达的序时目标。';
const RETURN_COMMENT = '请补充重点行业节能降碳改造的具体项目数量和配合单位市发改委的工作进展。';
const ADDED_TEXT = '完成重点行业节能降碳改造项目23个；市发改委完成能耗双控季度预警分析。';
const COLLEAGUE_TEXT = '（同事补充）一季度召开碳达峰工作推进会1次。';

interface PlanTree {
  chapters: { tasks: { items: { id: number; work: string; lead: { id: number; name: string }[] }[] }[] }[];
}

let planId = 0;
let itemId = 0;
let bureauId = 0;
let reportUrl = '';

const saveState = (page: Page) => page.getByTestId('save-state');
const stateTag = (page: Page) => page.getByTestId('report-state');
const button = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^\\S*\\s*${[...name].join('\\s*')}$`) });

async function openMyWork(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: '我的待办' }).click();
  await page.waitForURL(/\/my-work$/);
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
}

describe('进展报送', () => {
  it('the office sets quarterly and year-end reporting on the demo plan', async () => {
    const { plans } = await harness.apiJson<{ plans: { id: number; year: number }[] }>('/api/plans');
    planId = plans.find((plan) => plan.year === 2022)!.id;
    const tree = await harness.apiJson<PlanTree>(`/api/plans/${planId}`);
    const item = tree.chapters
      .flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))
      .find((candidate) => candidate.work === LED_ITEM)!;
    itemId = item.id;
    bureauId = item.lead.find((organisation) => organisation.name === '市生态环境局')!.id;
    reportUrl = `/items/${itemId}/reports/${bureauId}/${PERIOD}`;

    // the test starts signed in as the supervisor
    const { page } = harness;
    const schedule = await pageApi(page, 'PUT', `/api/plans/${planId}/schedule`, { kinds: [{ kind: 'quarter' }, { kind: 'year' }] });
    expect(schedule.status).toBe(200);
    expect(schedule.body.periods.map((period: any) => period.code)).toEqual(
      expect.arrayContaining(['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4', '2022-Y']),
    );
    await harness.addUser(LEADER);
  });

  it('the reporter writes the first-quarter report; it saves by itself; the reporter submits it', async () => {
    const { page, baseUrl } = harness;
    await harness.signIn(REPORTER.username, REPORTER.password);
    // 我的待办 is the first item of a unit's menu
    await expect.poll(() => page.locator('.app-menu .ant-menu-item').first().innerText()).toMatch(/^我的待办/);
    await page.goto(reportUrl);
    await page.getByRole('heading', { name: /一季度进展报告/ }).waitFor();
    // nothing written yet: the word the item page and 我的待办 use too
    await expect.poll(() => stateTag(page).innerText()).toBe('未填报');
    const facts = await page.locator('.report-facts').innerText();
    expect(facts).toMatch(/市生态环境局\s*牵头/);
    expect(facts).toMatch(/2022-04-20[\s\S]*已逾期 \d+ 天/);
    expect(await page.locator('.report-days').evaluate((element) => getComputedStyle(element).color)).toMatch(
      /rgb\(2\d\d, \d{1,2}, \d{1,2}\)/,
    );
    await expect.poll(() => saveState(page).innerText()).toContain('自动保存已开启');

    // submitting an empty report is stopped here, with the fields marked
    await button(page, '报送').click();
    await page.getByText('报送前请填写进展情况').waitFor();
    await page.getByText('报送前请选择完成状态').waitFor();

    await page.getByLabel('进展情况').fill(FIRST_TEXT);
    await expect.poll(() => saveState(page).innerText()).toContain('有未保存的修改');
    await expect.poll(() => saveState(page).innerText(), { timeout: 10_000 }).toMatch(/已保存 \d{2}:\d{2}:\d{2}/);
    await page.locator('.report-form-status').getByText('序时推进', { exact: true }).click();
    await page.getByLabel('存在问题').fill('部分高耗能企业节能改造资金到位较慢。');
    await page.getByRole('button', { name: /添加指标/ }).click();
    await page.getByLabel('第 1 项指标名称').fill('单位GDP二氧化碳排放量降幅');
    await page.getByLabel('第 1 项指标数值').fill('4.2');
    await page.getByLabel('第 1 项指标单位').fill('%');
    // leaving a field saves at once
    await page.getByLabel('下一步计划').click();
    await expect.poll(() => saveState(page).innerText(), { timeout: 10_000 }).toMatch(/已保存/);
    const saved = await pageApi(page, 'GET', `/api/items/${itemId}/reports/${bureauId}/${PERIOD}`);
    expect(saved.body.content).toEqual({
      progress: FIRST_TEXT,
      problems: '部分高耗能企业节能改造资金到位较慢。',
      nextSteps: '',
      status: '序时推进',
      figures: [{ name: '单位GDP二氧化碳排放量降幅', value: 4.2, unit: '%' }],
    });
    await page.getByLabel('下一步计划').fill('二季度推进重点行业节能降碳改造。');
    await harness.shot('report-edit');

    // 报送 saves what was just typed first
    await button(page, '报送').click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待单位审核');
    await page.getByText('报告已报送，等待单位负责人审核；如需修改，可以撤回。').waitFor();
    expect(await page.locator('.report-content-view').innerText()).toContain('二季度推进重点行业节能降碳改造。');
    expect(await button(page, '撤回').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe(reportUrl);
    expect(baseUrl).toBeTruthy();
  });

  it('the unit leader finds it in 我的待办 → 待审核 and approves it', async () => {
    const { page } = harness;
    await harness.signIn(LEADER.username, LEADER.password);
    await openMyWork(page);
    const review = page.getByTestId('todo-review');
    await review.waitFor();
    const row = review.locator('.ant-table-row', { hasText: LED_ITEM });
    await expect.poll(() => row.innerText()).toMatch(/一季度[\s\S]*待单位审核/);
    await harness.shot('my-work-leader');
    await row.getByRole('link', { name: /审核/ }).first().click();
    await page.waitForURL((url) => url.pathname === reportUrl);
    await expect.poll(() => stateTag(page).innerText()).toBe('待单位审核');
    expect(await page.locator('.report-content-view').innerText()).toContain(FIRST_TEXT);
    await button(page, '审核通过').click();
    const dialog = page.locator('.ant-modal:visible');
    await dialog.getByText('审核通过后，报告将报送督查室审核。').waitFor();
    await dialog.getByLabel('审核意见（可不填）').fill('同意报送。');
    await dialog.getByRole('button', { name: '审核通过' }).click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待审核');
    await page
      .getByText(/已审核通过，报告已报送督查室/)
      .first()
      .waitFor();
  });

  it('the office finds it in 待审核, reads it beside the cooperating units’ reports, and returns it with a comment', async () => {
    const { page } = harness;
    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password);
    await openMyWork(page);
    const row = page.getByTestId('todo-review').locator('.ant-table-row', { hasText: LED_ITEM });
    await expect.poll(() => row.innerText()).toMatch(/市生态环境局[\s\S]*牵头[\s\S]*一季度[\s\S]*待审核/);
    await harness.shot('my-work-supervisor');
    await row.getByRole('link', { name: /审核/ }).first().click();
    await page.waitForURL((url) => url.pathname === reportUrl);
    await expect.poll(() => page.getByTestId('current-report').innerText()).toContain(FIRST_TEXT);
    // the first quarter has no earlier quarter; the cooperating units have not reported
    await page.getByTestId('previous-report').getByText('一季度是本年度该类报送的第一期，没有上期报告').waitFor();
    const cooperating = page.getByTestId('cooperating-reports');
    await expect.poll(() => cooperating.innerText()).toMatch(/市发改委[\s\S]*未报送/);
    await expect.poll(() => cooperating.innerText()).toContain('已报送 0 / 2');
    await harness.shot('report-review');

    await button(page, '退回').click();
    const dialog = page.locator('.ant-modal:visible');
    const ok = dialog.getByRole('button', { name: /退\s*回/ });
    expect(await ok.isDisabled()).toBe(true);
    await dialog.getByLabel('退回意见').fill(RETURN_COMMENT);
    await ok.click();
    await expect.poll(() => stateTag(page).innerText()).toBe('已退回');
    await expect.poll(() => page.getByTestId('report-returned').innerText()).toContain(RETURN_COMMENT);
  });

  it('the reporter sees the comment, meets a colleague’s concurrent save, and resubmits', async () => {
    const { page } = harness;
    await harness.signIn(REPORTER.username, REPORTER.password);
    await openMyWork(page);
    const returned = page.getByTestId('todo-returned');
    await expect.poll(() => returned.innerText()).toContain(RETURN_COMMENT);
    await harness.shot('my-work-reporter');
    await returned.locator('.ant-table-row', { hasText: LED_ITEM }).getByRole('link', { name: /修改/ }).first().click();
    await page.waitForURL((url) => url.pathname === reportUrl);

    const alert = page.getByTestId('report-returned');
    await expect.poll(() => alert.innerText()).toContain(RETURN_COMMENT);
    expect(await alert.innerText()).toMatch(/报告被督查室退回[\s\S]*督查员[\s\S]*\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    const progress = page.getByLabel('进展情况');
    await expect.poll(() => progress.inputValue()).toBe(FIRST_TEXT);

    // a colleague (another tab) saves meanwhile; this page still works on the older revision
    const view = (await pageApi(page, 'GET', `/api/items/${itemId}/reports/${bureauId}/${PERIOD}`)).body;
    const colleague = await pageApi(page, 'PUT', `/api/items/${itemId}/reports/${bureauId}/${PERIOD}`, {
      content: { ...view.content, progress: `${FIRST_TEXT}\n${COLLEAGUE_TEXT}` },
      baseRevision: view.revision,
    });
    expect(colleague.status).toBe(200);

    await progress.fill(`${FIRST_TEXT}\n我的第一次补充。`);
    const dialog = page.locator('.ant-modal:visible', { hasText: '报告已被他人修改' });
    await dialog.waitFor({ timeout: 10_000 });
    await expect.poll(() => dialog.getByTestId('conflict-theirs-progress').innerText()).toContain(COLLEAGUE_TEXT);
    expect(await dialog.getByTestId('conflict-yours-progress').innerText()).toContain('我的第一次补充。');
    await expect.poll(() => saveState(page).innerText()).toContain('冲突');
    await harness.shot('report-conflict');

    // take theirs: their text is loaded, mine stays on the page to copy from
    await dialog.getByRole('button', { name: '以对方版本为准，我再修改' }).click();
    await expect.poll(() => progress.inputValue()).toBe(`${FIRST_TEXT}\n${COLLEAGUE_TEXT}`);
    const kept = page.getByTestId('kept-content');
    await expect.poll(() => kept.innerText()).toContain('我的第一次补充。');

    // a second concurrent save; this time mine goes on top
    const again = (await pageApi(page, 'GET', `/api/items/${itemId}/reports/${bureauId}/${PERIOD}`)).body;
    await pageApi(page, 'PUT', `/api/items/${itemId}/reports/${bureauId}/${PERIOD}`, {
      content: { ...again.content, problems: '同事改过的问题。' },
      baseRevision: again.revision,
    });
    await progress.fill(`${FIRST_TEXT}\n${ADDED_TEXT}`);
    await dialog.waitFor({ timeout: 10_000 });
    await expect.poll(() => dialog.getByTestId('conflict-theirs-problems').innerText()).toContain('同事改过的问题。');
    await dialog.getByRole('button', { name: '用我的内容覆盖' }).click();
    await expect.poll(() => saveState(page).innerText(), { timeout: 10_000 }).toMatch(/已保存/);
    const mine = (await pageApi(page, 'GET', `/api/items/${itemId}/reports/${bureauId}/${PERIOD}`)).body;
    expect(mine.content.progress).toBe(`${FIRST_TEXT}\n${ADDED_TEXT}`);
    expect(mine.content.problems).toBe('部分高耗能企业节能改造资金到位较慢。');
    await harness.shot('report-returned');

    await button(page, '报送').click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待单位审核');
    expect(harness.browserErrors.filter((text) => !/409 \(Conflict\)/.test(text))).toEqual([]);
    harness.browserErrors.splice(0);
  });

  it('历史版本 lists every step and compares two versions', async () => {
    const { page } = harness;
    await page.getByRole('tab', { name: /历史版本/ }).click();
    const rows = page.locator('.versions-table .ant-table-row');
    await expect.poll(() => rows.count()).toBe(4);
    const steps = await rows.evaluateAll((elements) =>
      elements.map((element) => (element.querySelector('td:nth-child(3)') as HTMLElement).innerText.trim()),
    );
    // newest first
    expect(steps).toEqual(['报送', '退回', '单位审核通过', '报送']);
    expect(await rows.nth(1).innerText()).toContain(RETURN_COMMENT);
    expect(await rows.nth(1).innerText()).toContain('督查员');
    expect(await rows.nth(2).innerText()).toContain('同意报送。');

    // by default the last two: the text returned, and the text submitted again
    const diff = page.getByTestId('report-diff');
    await expect
      .poll(() =>
        diff
          .locator('.report-field-body ins.diff-added')
          .allInnerTexts()
          .then((texts) => texts.join('')),
      )
      .toContain('完成重点行业节能降碳改造项目23个');
    expect(await diff.locator('.report-field-body del.diff-removed').count()).toBe(0);
    await harness.shot('report-history');
    expect(harness.browserErrors).toEqual([]);
  });
});

describe('延期申请与采纳', () => {
  const q2Url = () => `/items/${itemId}/reports/${bureauId}/2022-Q2`;

  it('the reporter asks for more time for the second quarter; the leader approves the first', async () => {
    const { page } = harness;
    await page.goto(q2Url());
    await page.getByRole('heading', { name: /二季度进展报告/ }).waitFor();
    await page.getByRole('button', { name: /申请延期/ }).click();
    const dialog = page.locator('.ant-modal:visible', { hasText: '申请延期' });
    await dialog.getByLabel('延期至').click();
    await dialog.getByLabel('延期至').fill('2022-08-31');
    await dialog.getByLabel('延期至').press('Enter');
    await dialog.getByLabel('延期理由').fill('二季度碳排放核算数据须待省统计局反馈后才能确定。');
    await dialog.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('已申请延期至 2022-08-31（周三），等待督查室审批').waitFor();
    expect(await page.getByRole('button', { name: /申请延期/ }).count()).toBe(0);

    await harness.signIn(LEADER.username, LEADER.password, reportUrl);
    await button(page, '审核通过').click();
    await page.locator('.ant-modal:visible').getByRole('button', { name: '审核通过' }).click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待审核');
  });

  it('the office grants the extension from 我的待办 and accepts the first-quarter report, which locks it', async () => {
    const { page } = harness;
    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password);
    await openMyWork(page);
    const extensions = page.getByTestId('todo-extensions');
    await expect.poll(() => extensions.innerText()).toMatch(/市生态环境局[\s\S]*二季度[\s\S]*申请延至 2022-08-31[\s\S]*省统计局反馈/);
    await expect.poll(() => page.getByTestId('todo-review').innerText()).toContain(LED_ITEM);
    await expect.poll(() => page.getByLabel('待办统计').innerText()).toMatch(/1\s*待审核[\s\S]*1\s*延期申请/);
    await harness.shot('my-work-supervisor-extension');

    await extensions
      .getByRole('button', { name: /同\s*意/ })
      .first()
      .click();
    const dialog = page.locator('.ant-modal:visible', { hasText: '同意延期' });
    await dialog.getByLabel('意见（可不填）').fill('同意，请于8月31日前报送。');
    await dialog.getByRole('button', { name: /^同\s*意$/ }).click();
    await page.getByText('已同意延期至 2022-08-31').waitFor();
    await expect.poll(() => extensions.count()).toBe(0);
    const q2 = await harness.apiJson<{ dueOn: string; extension: { state: string } }>(`/api/items/${itemId}/reports/${bureauId}/2022-Q2`);
    expect(q2).toMatchObject({ dueOn: '2022-08-31', extension: { state: 'approved' } });

    await page
      .getByTestId('todo-review')
      .locator('.ant-table-row', { hasText: LED_ITEM })
      .getByRole('link', { name: /审核/ })
      .first()
      .click();
    await page.waitForURL((url) => url.pathname === reportUrl);
    await button(page, '采纳').click();
    await page
      .locator('.ant-modal:visible')
      .getByRole('button', { name: /采\s*纳/ })
      .click();
    await expect.poll(() => stateTag(page).innerText()).toBe('已采纳');
    await page.getByText(/报告已于 .* 被采纳（督查员），已锁定/).waitFor();
    expect(await page.getByTestId('report-actionbar').count()).toBe(0);

    // nothing left to review or decide; what remains is the units' overdue reports of 2022
    await openMyWork(page);
    await page.getByTestId('todo-overdue-units').waitFor();
    expect(await page.getByTestId('todo-review').count()).toBe(0);
    expect(await page.getByTestId('todo-extensions').count()).toBe(0);
    await harness.shot('my-work-office-after');
  });

  it('the second-quarter report is reviewed beside the first (上期报告)', async () => {
    const { page } = harness;
    await harness.signIn(REPORTER.username, REPORTER.password, q2Url());
    const progress = page.getByLabel('进展情况');
    const serverText = async () => (await pageApi(page, 'GET', `/api/items/${itemId}/reports/${bureauId}/2022-Q2`)).body.content.progress;

    // leaving the page before the autosave: the browser asks first; the text typed is kept in this browser and
    // offered back on return
    await progress.click();
    await page.keyboard.type('二季度草稿');
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.type();
      void dialog.accept();
    });
    await page.goto(q2Url());
    expect(asked).toBe('beforeunload');
    const recovered = page.locator('.report-recovered');
    await recovered.getByText(/本机保存有 .* 未能保存到服务器的内容/).waitFor();
    expect(await progress.inputValue()).toBe('');
    await recovered.getByRole('button', { name: /^恢\s*复$/ }).click();
    await expect.poll(() => progress.inputValue()).toBe('二季度草稿');
    await expect.poll(() => saveState(page).innerText(), { timeout: 10_000 }).toMatch(/已保存/);
    expect(await serverText()).toBe('二季度草稿');

    // leaving within the app saves on the way out
    await progress.fill('二季度草稿，离开前的修改');
    await page.getByRole('menuitem', { name: '我的待办' }).click();
    await page.waitForURL(/\/my-work$/);
    await expect.poll(serverText).toBe('二季度草稿，离开前的修改');
    await page.goBack();
    await expect.poll(() => progress.inputValue()).toBe('二季度草稿，离开前的修改');
    expect(await page.locator('.report-recovered').count()).toBe(0);

    await progress.fill('二季度单位地区生产总值二氧化碳排放量同比下降4.5%，累计完成全年目标的六成。');
    await page.locator('.report-form-status').getByText('序时推进', { exact: true }).click();
    await button(page, '报送').click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待单位审核');
    // the reporter's own unit reads its report: the period's dates moved with the extension
    await expect.poll(() => page.getByTestId('report-due').innerText()).toMatch(/2022-08-31[\s\S]*已延期/);

    await harness.signIn(LEADER.username, LEADER.password, q2Url());
    await button(page, '审核通过').click();
    await page.locator('.ant-modal:visible').getByRole('button', { name: '审核通过' }).click();
    await expect.poll(() => stateTag(page).innerText()).toBe('待审核');

    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password, q2Url());
    await expect.poll(() => page.getByTestId('current-report').innerText()).toContain('累计完成全年目标的六成');
    const previous = page.getByTestId('previous-report');
    await expect.poll(() => previous.innerText()).toMatch(/上期报告[\s\S]*一季度[\s\S]*已采纳[\s\S]*完成重点行业节能降碳改造项目23个/);
    await harness.shot('report-review-previous');
    expect(harness.browserErrors).toEqual([]);
  });
});
