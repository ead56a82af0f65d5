/**
 * Browser test of the city-wide summary table and of evidence files: the office opens 全市汇总表 from the plan,
 * filters it by chapter and by light, downloads the PDF; a 市生态环境局 reporter attaches a PDF to a first-quarter
 * report, and the unit leader sees it after submission.
 */
import { describe, expect, it } from 'vitest';
import { LEADER, pageApi, REPORTER, SUPERVISOR, useHarness } from './harness.js';

const harness = useHarness();
const EVIDENCE = '%PDF-1.4\n% 佐证材料：验收报告\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n';

describe('全市汇总表 and 佐证材料', () => {
  it('the office reads the city-wide table of the lead units’ reports, filters it and downloads it', async () => {
    const { page, browserErrors } = harness;
    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password);
    await page.getByRole('button', { name: /全市汇总表/ }).click();
    await page.waitForURL(/\/plans\/\d+\/summary$/);
    await page.getByRole('heading', { name: '2022年度市政府工作任务完成情况汇总表' }).waitFor();
    const rows = page.locator('.summary-table .row-item');
    await expect.poll(() => rows.count()).toBe(15);
    // the demo came in as 市生态环境局's year-end table without a status column: reported, status not stated
    await expect.poll(() => page.locator('.light-tag').count()).toBe(15);
    expect(await page.locator('.light-tag', { hasText: '未标明状态' }).count()).toBeGreaterThan(0);
    await harness.shot('city-summary');

    await page.getByLabel('章节').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '九、' }).first().click();
    await expect.poll(() => page.url()).toContain('chapter=');
    await expect.poll(() => page.locator('.summary-table .row-chapter').count()).toBe(1);
    await page.locator('.city-count-grey').click();
    await expect.poll(() => page.url()).toContain('light=grey');
    const grey = await rows.count();
    expect(grey).toBeGreaterThan(0);
    expect(await page.locator('.city-count-grey .ant-statistic-content').innerText()).toBe(String(grey));

    const href = await page.getByRole('link', { name: /PDF/ }).getAttribute('href');
    expect(href).toContain('format=pdf');
    const pdf = await page.evaluate(async (url) => {
      const response = await fetch(url!);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, type: response.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    }, href);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
    expect(browserErrors).toEqual([]);
  });

  it('a reporter attaches evidence to a draft; after submission the leader sees it with the report', async () => {
    const { page } = harness;
    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password);
    const { plans } = await harness.apiJson<{ plans: { id: number; year: number }[] }>('/api/plans');
    const planId = plans.find((plan) => plan.year === 2022)!.id;
    expect((await pageApi(page, 'PUT', `/api/plans/${planId}/schedule`, { kinds: [{ kind: 'quarter' }, { kind: 'year' }] })).status).toBe(
      200,
    );
    const tree = await harness.apiJson<{ chapters: { tasks: { items: { id: number; lead: { id: number; name: string }[] }[] }[] }[] }>(
      `/api/plans/${planId}`,
    );
    const item = tree.chapters
      .flatMap((c) => c.tasks.flatMap((t) => t.items))
      .find((candidate) => candidate.lead.some((unit) => unit.name === '市生态环境局'))!;
    const bureau = item.lead.find((unit) => unit.name === '市生态环境局')!;
    const reportUrl = `/items/${item.id}/reports/${bureau.id}/2022-Q1`;

    await harness.signIn(REPORTER.username, REPORTER.password, reportUrl);
    await page.getByText('填写报告').first().waitFor();
    await page.getByLabel('进展情况').fill('一季度完成重点行业挥发性有机物治理项目12个，验收报告见附件。');
    await page.getByText('已完成', { exact: true }).first().click();
    await expect.poll(() => page.getByTestId('save-state').innerText(), { timeout: 15_000 }).toContain('已保存');

    const attachments = page.getByTestId('attachments');
    await attachments
      .locator('input[type=file]')
      .setInputFiles({ name: '验收报告.pdf', mimeType: 'application/pdf', buffer: Buffer.from(EVIDENCE) });
    await attachments.getByRole('link', { name: '验收报告.pdf' }).waitFor();
    // a file that is not what its name says is refused with the reason
    await attachments.locator('input[type=file]').setInputFiles({ name: '照片.png', mimeType: 'image/png', buffer: Buffer.from(EVIDENCE) });
    await page.getByText(/内容不是PNG 图片/).waitFor();
    // the browser logs the refused upload's 400 as a console error: expected here, so not carried to the next test
    harness.browserErrors.splice(0);
    await harness.shot('report-attachments');

    await page
      .getByTestId('report-actionbar')
      .getByRole('button', { name: /报\s*送/ })
      .click();
    await expect.poll(() => page.getByTestId('report-state').innerText()).toContain('待单位审核');

    await harness.addUser(LEADER);
    await harness.signIn(LEADER.username, LEADER.password, reportUrl);
    const seen = page.getByTestId('attachments');
    await seen.getByRole('link', { name: '验收报告.pdf' }).waitFor();
    expect(await seen.getByRole('button', { name: /删除/ }).count()).toBe(0);
    const download = await page.evaluate(
      async (url) => (await fetch(url!)).text(),
      await seen.getByRole('link', { name: '验收报告.pdf' }).getAttribute('href'),
    );
    expect(download).toBe(EVIDENCE);
  });

  it('a unit breaks its part of an item into steps with milestones; the office reads them on the item page', async () => {
    const { page, browserErrors } = harness;
    const { plans } = await harness.apiJson<{ plans: { id: number; year: number }[] }>('/api/plans');
    const tree = await harness.apiJson<{ chapters: { tasks: { items: { id: number; lead: { name: string }[] }[] }[] }[] }>(
      `/api/plans/${plans[0]!.id}`,
    );
    const item = tree.chapters
      .flatMap((c) => c.tasks.flatMap((t) => t.items))
      .find((candidate) => candidate.lead.some((unit) => unit.name === '市生态环境局'))!;

    await harness.signIn(REPORTER.username, REPORTER.password, `/items/${item.id}`);
    const steps = page.getByTestId('item-steps');
    await steps.getByRole('button', { name: /添加步骤/ }).click();
    await steps.getByLabel('第1步内容').fill('完成重点行业VOCs治理方案编制');
    await steps.getByRole('button', { name: /添加步骤/ }).click();
    await steps.getByLabel('第2步内容').fill('组织项目验收');
    await steps.getByRole('button', { name: /保存工作步骤/ }).click();
    await page.getByText('工作步骤已保存').waitFor();
    await harness.shot('item-steps');

    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password, `/items/${item.id}`);
    await expect
      .poll(() => page.getByTestId('item-steps').innerText())
      .toMatch(/市生态环境局[\s\S]*完成重点行业VOCs治理方案编制[\s\S]*组织项目验收/);
    expect(
      await page
        .getByTestId('item-steps')
        .getByRole('button', { name: /保存工作步骤/ })
        .count(),
    ).toBe(0);
    expect(browserErrors).toEqual([]);
  });
});
