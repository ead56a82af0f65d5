import { expect, it } from 'vitest';
import { getPlanTree } from '../../src/services/catalogue.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { createOrganisation } from '../../src/services/organisations.js';
import { describeEachDatabase } from '../helpers/database.js';

// Unit names with brackets, as offices write them: a separator inside the brackets, either width, nested, a
// bracketed second name, a list wrapped over two lines inside a bracket, a closing 等, and one bracket left open.

const actor = { id: 'test', source: 'test' };

const TWO_COLUMNS = [
  '序号,名称,工作任务,牵头单位,主要配合单位,全年完成情况',
  '一、宣传文化,,,,,',
  '1,主题宣传,开展主题宣传活动50场以上。,市委宣传部（市新闻办）,"各县（市、区）人民政府，市文明办",全年开展主题宣传活动56场，已完成。',
  '2,知识产权保护,新增高价值发明专利800件。,市市场监管局(市知识产权局),"科技局、市发展改革委（市粮食和储备局）等",',
  '二、粮食安全,,,,,',
  '3,粮食储备,完善地方粮食储备体系。,市发展改革委（市粮食和储备局）,"各县（市、',
  '区）人民政府; 市财政局",',
  '4,网络宣传,加强网上正面宣传。,市委网信办（市网信办,市委宣传部（市新闻办（市政府新闻办））,配合开展网上宣传12次。',
  '',
].join('\r\n');

const ONE_COLUMN = [
  '序号,名称,工作任务,责任单位',
  '一、城乡建设,,,',
  '1,老旧小区改造,改造老旧小区60个。,"各县（市、区）人民政府、市住房城乡建设局（市人防办）、市财政局"',
  '',
].join('\n');

const PARAGRAPHS = [
  '江南市2033年重点工作任务责任分工方案',
  '一、保障和改善民生',
  '（一）办好民生实事',
  '1.新建改建公办幼儿园20所。（牵头单位：市教育局；责任单位：各县（市、区）人民政府、市发展改革委（市粮食和储备局））',
  '2.建设保障性租赁住房5000套，市住房城乡建设局（市人防办）牵头，各县(市、区)人民政府配合。',
  '',
].join('\n');

const bytes = (text: string) => new TextEncoder().encode(text);

async function storedUnits(ctx: ReturnType<typeof createServiceContext>, planId: number) {
  const tree = await getPlanTree(ctx, planId);
  return tree.chapters.flatMap((chapter) =>
    chapter.tasks.flatMap((task) =>
      task.items.map((item) => ({
        task: task.number,
        lead: item.lead.map((unit) => unit.name),
        cooperating: item.cooperating.map((unit) => unit.name),
      })),
    ),
  );
}

describeEachDatabase('importing bracketed unit names', (database) => {
  it('registers a unit whose name has a separator inside its brackets', async () => {
    const ctx = createServiceContext(database().db);
    const unit = await createOrganisation(ctx, actor, { name: '各县（市、区）人民政府', kind: 'collective' });
    expect(unit.name).toBe('各县（市、区）人民政府');
    await expect(createOrganisation(ctx, actor, { name: '市委网信办（市网信办', kind: 'city_department' })).rejects.toThrow(
      '括号“（”不成对',
    );
  });

  it('keeps each bracketed name of the 牵头单位 and 配合单位 columns one unit, in order, and warns of the open bracket at its cell', async () => {
    const ctx = createServiceContext(database().db);
    // task 4 names the filing unit with a further bracketed name, a unit of its own until a person maps it: its
    // text there is the filing unit's on an item it has no part in, and it joins the item as a cooperating unit
    const request = {
      bytes: bytes(TWO_COLUMNS),
      fileName: '宣传文化.csv',
      year: 2031,
      organisation: '市委宣传部（市新闻办）',
      unlinked: 'cooperate' as const,
    };
    const preview = await importSummaryTable(ctx, actor, { ...request, dryRun: true });
    expect(preview.warnings).toEqual([
      {
        line: 8,
        column: 'lead',
        message: '序号 4 的“牵头单位”：“市委网信办（市网信办”中的“（”没有对应的“）”：已按括号外的分隔符拆分单位，请核对。',
      },
      {
        line: 8,
        column: 'lead',
        message:
          '序号 4：填报单位市委宣传部（市新闻办）不是此事项的牵头或配合单位；已按选择把市委宣传部（市新闻办）加为此事项的配合单位，并导入这段文字。',
      },
    ]);
    expect(preview.organisations.find((unit) => unit.name === '各县（市、区）人民政府')).toMatchObject({
      status: 'known',
      written: ['各县（市、区）人民政府'],
    });

    const summary = await importSummaryTable(ctx, actor, request);
    expect(summary.organisation).toBe('市委宣传部（市新闻办）');
    expect(summary.changes).toMatchObject({ items: 4, reports: 2 });
    expect(await storedUnits(ctx, summary.planId!)).toEqual([
      { task: '1', lead: ['市委宣传部（市新闻办）'], cooperating: ['各县（市、区）人民政府', '市文明办'] },
      { task: '2', lead: ['市市场监管局(市知识产权局)'], cooperating: ['科技局', '市发展改革委（市粮食和储备局）'] },
      { task: '3', lead: ['市发展改革委（市粮食和储备局）'], cooperating: ['各县（市、区）人民政府', '市财政局'] },
      { task: '4', lead: ['市委网信办（市网信办'], cooperating: ['市委宣传部（市新闻办（市政府新闻办））', '市委宣传部（市新闻办）'] },
    ]);
  });

  it('takes the first bracketed name of a single 责任单位 column whole as the lead', async () => {
    const ctx = createServiceContext(database().db);
    const summary = await importSummaryTable(ctx, actor, {
      bytes: bytes(ONE_COLUMN),
      fileName: '城乡建设.csv',
      year: 2032,
      organisation: '市财政局',
    });
    expect(await storedUnits(ctx, summary.planId!)).toEqual([
      { task: '1', lead: ['各县（市、区）人民政府'], cooperating: ['市住房城乡建设局（市人防办）', '市财政局'] },
    ]);
  });

  it('reads bracketed names in the responsibility of a decomposition paragraph', async () => {
    const ctx = createServiceContext(database().db);
    const summary = await importSummaryTable(ctx, actor, { bytes: bytes(PARAGRAPHS), fileName: '分工方案.txt' });
    expect(summary.warnings).toEqual([]);
    // the items' units in document order; how the paragraphs number into tasks is the decomposition's own test
    expect((await storedUnits(ctx, summary.planId!)).map(({ lead, cooperating }) => ({ lead, cooperating }))).toEqual([
      { lead: ['市教育局'], cooperating: ['各县（市、区）人民政府', '市发展改革委（市粮食和储备局）'] },
      // typed with half-width brackets, it is the same unit as the full-width name written above
      { lead: ['市住房城乡建设局（市人防办）'], cooperating: ['各县（市、区）人民政府'] },
    ]);
  });
});
