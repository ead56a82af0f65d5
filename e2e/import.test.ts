/**
 * Browser test of 导入 against the real server with the demo plan (--demo): a person picks a CSV file, gives the
 * year and reporting unit it does not say, previews it, checks the warning on its row, says that 发展改革委 is the
 * existing 市发改委, confirms, and finds the new plan; the mapping is remembered as an alias. Each test signs in first
 * as the supervisor (督查室), who may import.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { signIn, SUPERVISOR, useHarness } from './harness.js';

/**
 * A made-up summary table of 市水务局 for 2030. CSV has no title row and its name states no year: the year is given by
 * hand. Its third item has no lead and only 市生态环境局 cooperating, so 市水务局's text there needs a choice.
 */
const CSV = [
  '序号,名称,工作任务,牵头单位,主要配合单位,全年完成情况',
  '一、稳住经济基本盘,,,,,',
  '101,扩大有效水利投资,新开工重大水利项目12个，完成水利投资80亿元,市水务局,发展改革委、市财政局,已完成，新开工重大水利项目13个，完成投资86亿元',
  ',,推进城市排水管网改造200公里,市水务局,市资源规划局,按序时推进，已改造185公里',
  '102,保障城乡供水安全,建成区域供水应急备用水源2处,,市生态环境局,已全部完成',
].join('\r\n');
const FILE = { name: '市水务局完成情况.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${CSV}\r\n`, 'utf8') };
const ITEM_WITHOUT_LEAD = '建成区域供水应急备用水源2处';
const FIRST_ITEM = '新开工重大水利项目12个，完成水利投资80亿元';

interface OrganisationRow {
  id: number;
  name: string;
  aliases: string[];
}

interface PlanTree {
  chapters: {
    numeral: string;
    tasks: { number: string; items: { work: string; lead: { name: string }[]; cooperating: { name: string }[] }[] }[];
  }[];
}

const layoutFile = (name: string, shownAs: string) => ({
  name: shownAs,
  mimeType: 'text/csv',
  buffer: readFileSync(new URL(`../test/fixtures/layouts/${name}`, import.meta.url)),
});
/** 江南市 2031 一季度: 协同推进单位 is not a heading the importer knows; a division of 市发改委 filed the first table, 市住建局 the second. */
const FIRST_TABLE = layoutFile('mapping-first.csv', '2031年一季度重点工作进展（发改委）.csv');
const SECOND_TABLE = layoutFile('mapping-second.csv', '2031年一季度重点工作进展（住建局）.csv');

const harness = useHarness();

describe('导入', () => {
  test('a file of the wrong type is refused before upload; a CSV without a year gets the server message', async () => {
    const { page, baseUrl } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password, '/imports');
    await page.goto(`${baseUrl}/imports`);
    await page.getByRole('heading', { name: '导入', exact: true }).waitFor();
    await page.locator('.app-menu .ant-menu-item-selected', { hasText: '导入' }).waitFor();

    const input = page.locator('.import-select input[type=file]');
    await input.setInputFiles({ name: '报告.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
    await page.locator('.import-file-error', { hasText: '只能导入 .txt、.docx、.xlsx、.csv 或 .json 文件' }).waitFor();
    expect(await page.getByRole('button', { name: '上传并预览' }).isDisabled()).toBe(true);

    // no year given: the server's message asks for it, and the file stays selected for a retry
    await input.setInputFiles(FILE);
    await page.locator('[data-testid=import-file]', { hasText: FILE.name }).waitFor();
    expect(await page.locator('.import-file-error').count()).toBe(0);
    await page.getByRole('button', { name: '上传并预览' }).click();
    const missing = page.locator('.import-missing');
    await missing.waitFor();
    await expect.poll(() => missing.innerText()).toContain('请补充年份');
    await expect.poll(() => missing.innerText()).toContain('无法从标题或文件名中识别年份');
    expect(await page.locator('.import-error').count()).toBe(0);
    await page.locator('[data-testid=import-file]', { hasText: FILE.name }).waitFor();
    // the options where the year is given are opened for the person, the field marked
    await page.getByLabel('年份').waitFor();
    await page.getByText('文件没有写明年份：请填写后重新预览').waitFor();
    await harness.shot('import-error');

    // with a year, the preview; 取消 discards it and nothing is written
    const before = await harness.apiJson<{ plans: unknown[] }>('/api/plans');
    await page.getByLabel('年份').fill('2030');
    await page.getByRole('button', { name: '上传并预览' }).click();
    await page.getByText('1 个章节 · 2 项任务 · 3 个事项').waitFor();
    // antd puts a space between the two characters of a Chinese button label
    await page.getByRole('button', { name: /^取\s*消$/ }).click();
    await page.locator('.import-notice', { hasText: '没有写入任何数据' }).waitFor();
    const after = await harness.apiJson<{ plans: unknown[] }>('/api/plans');
    expect(after.plans.length).toBe(before.plans.length);
    // the refused upload was logged by the browser as a failed request: expected here
    harness.browserErrors.splice(0);
  });

  test('preview, map 发展改革委 to 市发改委, confirm, and find the new plan', async () => {
    const { page, baseUrl, browserErrors } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    await page.goto(`${baseUrl}/`);
    await page.locator('.app-menu').getByText('导入').click();
    await page.waitForURL(/\/imports$/);

    await page.locator('.import-select input[type=file]').setInputFiles(FILE);
    await page.locator('[data-testid=import-file]', { hasText: FILE.name }).waitFor();
    await page.getByText('高级选项').click();
    await page.getByLabel('年份').fill('2030');
    await page.getByLabel('填报单位').fill('市水务局');
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: '导入', exact: true }).click();
    await harness.shot('import-select');

    await page.getByRole('button', { name: '上传并预览' }).click();

    // the summary
    const summary = page.locator('.import-summary');
    await summary.getByText('1 个章节 · 2 项任务 · 3 个事项').waitFor();
    await summary.getByText('2030年度市政府工作任务完成情况汇总表').first().waitFor();
    await expect.poll(() => summary.innerText()).toContain('市水务局');
    await expect.poll(() => summary.locator('[data-testid=import-changes]').innerText()).toMatch(/新增计划\s*1/);

    // the warning about the missing 牵头单位, and its row in the table
    const warnings = page.locator('.import-issues-warning');
    await warnings.waitFor();
    const warning = warnings.locator('.issue-link', { hasText: '牵头单位' }).first();
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(/第 5 行/);
    const table = page.locator('.import-table .summary-table');
    const warnedRow = table.locator('tr.row-warned', { hasText: ITEM_WITHOUT_LEAD });
    await warnedRow.locator('.row-warning-icon').waitFor();
    await warning.click();
    await table.locator('tr.row-active', { hasText: ITEM_WITHOUT_LEAD }).waitFor();
    await warnedRow.locator('.row-warning-icon').hover();
    await page.locator('.ant-tooltip', { hasText: '牵头单位' }).first().waitFor();
    await table.getByRole('columnheader', { name: '全年完成情况' }).waitFor();
    const chapterCell = table.locator('tr.row-chapter td', { hasText: '一、稳住经济基本盘' });
    expect(await chapterCell.getAttribute('colspan')).toBe('6');

    // the organisations panel: 发展改革委 is new; it is really 市发改委
    const panel = page.locator('.import-organisations');
    const newRow = panel.locator('tr', { hasText: '发展改革委' }).filter({ hasText: '新单位' });
    await newRow.waitFor();
    await panel.locator('tr', { hasText: '市水务局' }).filter({ hasText: '已有' }).waitFor();
    const select = page.getByRole('combobox', { name: '发展改革委 的对应单位' });
    await select.click();
    await select.fill('发改');
    await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: '市发改委' }).first().click();
    await newRow.locator('.ant-select', { hasText: '市发改委' }).waitFor();
    await expect.poll(() => summary.locator('[data-testid=import-changes]').innerText()).toMatch(/新增别名\s*1/);
    // 市水务局 reported on an item it has no part in: confirming waits for a choice
    const unlinked = page.locator('.import-unlinked');
    await unlinked.getByText(ITEM_WITHOUT_LEAD).waitFor();
    expect(await page.getByRole('button', { name: /确认导入/ }).isDisabled()).toBe(true);
    await unlinked.getByText('将填报单位加为配合单位').click();
    await harness.shot('import-preview');

    await page.getByRole('button', { name: /确认导入/ }).click();
    const result = page.locator('.import-done');
    await result.getByText('导入完成', { exact: true }).waitFor();
    await expect.poll(() => result.innerText()).toMatch(/新增事项\s*3/);
    await result.getByRole('link', { name: '查看本单位汇总表' }).waitFor();
    await harness.shot('import-result');

    await result.getByRole('link', { name: '查看工作任务' }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    await page.getByText('1 个章节 · 2 项任务 · 3 个事项').waitFor();
    await page.getByRole('button', { name: /全部展开/ }).click();
    await page.getByText(FIRST_ITEM).first().waitFor();
    await page.locator('.plan-table .org-tag', { hasText: '市发改委' }).first().waitFor();
    await harness.shot('import-plan');

    const { organisations } = await harness.apiJson<{ organisations: OrganisationRow[] }>('/api/organisations');
    const ndrc = organisations.find((org) => org.name === '市发改委');
    expect(ndrc?.aliases).toContain('发展改革委');
    expect(organisations.some((org) => org.name === '发展改革委')).toBe(false);
    expect(browserErrors.filter((text) => !/favicon/i.test(text))).toEqual([]);
  });

  test('importing it again with another task name: nothing to change, the conflict listed, the alias known', async () => {
    const { page, baseUrl } = harness;
    const renamed = CSV.replace('102,保障城乡供水安全', '102,保障城乡供水安全和节约用水');
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password, '/imports');
    await page.goto(`${baseUrl}/imports`);
    await page.locator('.import-select input[type=file]').setInputFiles({ ...FILE, buffer: Buffer.from(renamed, 'utf8') });
    await page.getByText('高级选项').click();
    await page.getByLabel('年份').fill('2030');
    await page.getByLabel('填报单位').fill('市水务局');
    await page.getByRole('heading', { name: '导入', exact: true }).click();
    await page.getByRole('button', { name: '上传并预览' }).click();

    await page.getByText('数据库中已有相同内容，确认导入不会做任何更改').waitFor();
    const conflicts = page.locator('.import-issues-conflict');
    await conflicts.getByText('序号 102', { exact: false }).waitFor();
    // 发展改革委 is now an alias of 市发改委: a known unit, shown with the form written in the file
    const panel = page.locator('.import-organisations');
    await panel.locator('tr', { hasText: '市发改委' }).filter({ hasText: '发展改革委' }).filter({ hasText: '已有' }).waitFor();
    expect(await panel.getByText('新单位', { exact: true }).count()).toBe(0);
    await page.mouse.move(0, 0);
    await harness.shot('import-conflict');
    await page.getByRole('button', { name: /^取\s*消$/ }).click();
    await page.locator('.import-notice').waitFor();
  });

  test('识别结果: read a column as 主要配合单位 and correct the filing unit, confirm; the next table with the same headings is read the same way', async () => {
    const { page, baseUrl, browserErrors } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password, '/imports');
    await page.goto(`${baseUrl}/imports`);
    // the session check before signing in answers 401: not this test's concern
    browserErrors.splice(0);
    await page.locator('.import-select input[type=file]').setInputFiles(FIRST_TABLE);
    await page.getByRole('button', { name: '上传并预览' }).click();

    const reading = page.locator('.import-reading');
    await reading.waitFor();
    // as the headings say: 协同推进单位 is kept as an extra column, 责任单位's second unit read as cooperating
    const cooperatingSelect = reading.getByRole('combobox', { name: '“协同推进单位”列识别为' });
    const columnRow = (heading: string) => reading.locator('[data-testid=import-columns] tr', { hasText: heading });
    await columnRow('协同推进单位').locator('.ant-select', { hasText: '保留为其他列' }).waitFor();
    await columnRow('责任单位').locator('.ant-select', { hasText: '责任单位（首个为牵头）' }).waitFor();
    await columnRow('一季度进展情况').locator('.ant-select', { hasText: '完成情况/进展' }).waitFor();
    expect(await reading.getByText('已按上次的选择识别').count()).toBe(0);
    expect(await page.getByLabel('报送周期').count()).toBe(1);
    await reading.locator('.ant-select', { hasText: '一季度' }).first().waitFor();
    await reading.getByText('2031年4月8日').waitFor();
    const table = page.locator('.import-table .summary-table');
    await table.locator('tr', { hasText: '健全政府投资项目储备库' }).waitFor();
    await table.getByRole('columnheader', { name: '协同推进单位' }).waitFor();
    await harness.shot('import-reading-headings');

    // the person reads 协同推进单位 as 主要配合单位: the preview runs again with the choice
    await cooperatingSelect.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '主要配合单位' }).click();
    await columnRow('协同推进单位').getByText('已选择').waitFor();
    await columnRow('责任单位').locator('.ant-select', { hasText: '牵头单位' }).waitFor();
    const task8 = table.locator('tr', { hasText: '健全政府投资项目储备库' });
    await expect.poll(() => task8.innerText()).toContain('市审计局');
    await reading.getByRole('button', { name: '恢复按表头识别' }).waitFor();

    // and corrects the filing unit: the table was filled in by a division of 市发改委, whose reports these are
    const unit = reading.getByLabel('填报单位');
    await unit.fill('市发改委');
    await unit.press('Enter');
    const summary = page.locator('.import-summary');
    await expect.poll(() => summary.locator('.import-facts').innerText()).toMatch(/填报单位\s*：?\s*市发改委/);
    await reading.getByText('文件写的是“市发改委投资处”，按“市发改委”导入').waitFor();
    expect(await page.locator('.import-organisations tr', { hasText: '市发改委投资处' }).count()).toBe(0);
    await page.mouse.move(0, 0);
    await harness.shot('import-reading-chosen');

    await page.getByRole('button', { name: /确认导入/ }).click();
    const result = page.locator('.import-done');
    await result.getByText('导入完成', { exact: true }).waitFor();
    await expect.poll(() => result.innerText()).toMatch(/新增事项\s*4/);
    await result.getByText('已记住本次的列对应关系').waitFor();

    // the stored plan follows the person's reading
    const { plans } = await harness.apiJson<{ plans: { id: number; title: string }[] }>('/api/plans');
    const plan = plans.find((candidate) => candidate.title === '江南市2031年度市政府重点工作');
    expect(plan).toBeDefined();
    const tree = await harness.apiJson<PlanTree>(`/api/plans/${plan!.id}`);
    const items = tree.chapters.flatMap((chapter) =>
      chapter.tasks.flatMap((task) =>
        task.items.map((item) => [task.number, item.lead.map((org) => org.name), item.cooperating.map((org) => org.name)]),
      ),
    );
    expect(items).toEqual([
      ['5', ['市发改委'], ['市财政局', '市自然资源和规划局']],
      ['5', ['市发改委'], ['市住建局', '市交通运输局']],
      ['8', ['市发改委', '市财政局'], ['市审计局']],
      ['14', ['市住建局'], ['市发改委', '市财政局']],
    ]);

    // 市住建局's table has the same headings: read with the remembered choice, and the preview says so
    await result.getByRole('button', { name: '继续导入' }).click();
    await page.locator('.import-select input[type=file]').setInputFiles(SECOND_TABLE);
    await page.getByRole('button', { name: '上传并预览' }).click();
    await reading.getByText('已按上次的选择识别').waitFor();
    await columnRow('协同推进单位').locator('.ant-select', { hasText: '主要配合单位' }).waitFor();
    await columnRow('协同推进单位').getByText('上次的选择').waitFor();
    await expect.poll(() => table.locator('tr', { hasText: '同步实施既有住宅加装电梯200台' }).innerText()).toContain('市市场监管局');
    await table.getByRole('columnheader', { name: '协同推进单位' }).waitFor();
    await page.mouse.move(0, 0);
    await harness.shot('import-reading-remembered');

    // the period chosen by hand replaces the one the heading says
    await reading.getByLabel('报送周期').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '上半年' }).click();
    await expect.poll(() => summary.locator('.import-facts').innerText()).toMatch(/报送期\s*：?\s*上半年/);
    await reading.getByText('已按您的选择').waitFor();

    // back to the headings' reading: previewed again, the tag gone (forgotten only if this were confirmed)
    await reading.getByRole('button', { name: '恢复按表头识别' }).click();
    await columnRow('协同推进单位').locator('.ant-select', { hasText: '保留为其他列' }).waitFor();
    expect(await reading.getByText('已按上次的选择识别').count()).toBe(0);
    expect(await reading.getByRole('button', { name: '恢复按表头识别' }).count()).toBe(0);
    await page.getByRole('button', { name: /^取\s*消$/ }).click();
    await page.locator('.import-notice').waitFor();
    expect(browserErrors.filter((text) => !/favicon/i.test(text))).toEqual([]);
  });

  test('a Word table with a stamped filing line: the preview names the filing unit and date it read', async () => {
    const { page, baseUrl } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password, '/imports');
    await page.goto(`${baseUrl}/imports`);
    const bytes = readFileSync(new URL('../test/fixtures/layouts/filing-seal.docx', import.meta.url));
    await page.locator('.import-select input[type=file]').setInputFiles({
      name: '住建局一季度进展.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: bytes,
    });
    await page.getByRole('button', { name: '上传并预览' }).click();
    const filing = page.locator('[data-testid=import-filing]');
    await filing.waitFor();
    // the unit without its 盖章, the date as a person writes it
    await expect.poll(() => filing.innerText()).toMatch(/填报单位\s*市住房城乡建设局\s*·\s*填报时间\s*2031年4月8日/);
    expect(await filing.innerText()).not.toContain('盖章');
    // 存在问题 and 下步打算 are the report's own fields, shown as columns of the table that will be imported
    const table = page.locator('.import-table .summary-table');
    await table.getByRole('columnheader', { name: '存在问题' }).first().waitFor();
    await table.getByRole('columnheader', { name: '下步打算' }).first().waitFor();
    await table.getByText('部分小区居民意见不统一，加装电梯推进较慢。').first().waitFor();
    await table.getByText('逐小区召开居民议事会，4月底前再开工12个。').first().waitFor();
    await harness.shot('import-filing');
    await page.getByRole('button', { name: /^取\s*消$/ }).click();
    await page.locator('.import-notice').waitFor();
  });
});
