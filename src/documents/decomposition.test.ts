import { describe, expect, it } from 'vitest';
import { expectBadInputNow, SAMPLE_BYTES } from '../../test/helpers/documents.js';
import { DEFAULT_COLUMNS, type SummaryItem, type SummaryTable } from '../domain/summary-table.js';
import { interpretDecomposition, looksLikeDecomposition } from './decomposition.js';
import type { GridLine } from './grid.js';
import { readTextGrid } from './text.js';

/** Paragraphs as a reader hands them over: the first line of the template is line 1. */
const paragraphs = (text: string): GridLine[] => text.split('\n').map((line, index) => ({ text: line, line: index + 1 }));

const COLUMNS = { ...DEFAULT_COLUMNS, completion: '' };
const item = (work: string, lead: string, cooperating = ''): SummaryItem => ({ work, lead, cooperating, completion: '' });

describe('interpretDecomposition, one layout at a time', () => {
  it('(a) reads responsibility written inline as （牵头单位：…；责任单位/配合单位：…）', () => {
    const text = `江南市2030年政府工作报告重点任务责任分工方案
一、经济社会发展主要预期目标
1.地区生产总值增长5.5%左右。（牵头单位：市发展改革委；责任单位：市统计局、各区人民政府）
2.城镇调查失业率控制在5%以内。（牵头单位：市人社局；配合单位：市发展改革委）
二、扩大有效需求
3.新建5G基站3000个（牵头单位：市工信局）。
4.社会消费品零售总额增长6%。（牵头单位：市商务局；协办单位：市统计局）`;
    const result = interpretDecomposition(paragraphs(text));
    expect(result.table).toEqual<SummaryTable>({
      title: '江南市2030年政府工作报告重点任务责任分工方案',
      organisation: '',
      columns: COLUMNS,
      chapters: [
        {
          numeral: '一',
          title: '经济社会发展主要预期目标',
          tasks: [
            {
              number: '1',
              name: '地区生产总值增长5.5%左右',
              items: [item('地区生产总值增长5.5%左右。', '市发展改革委', '市统计局、各区人民政府')],
            },
            { number: '2', name: '城镇调查失业率控制在5%以内', items: [item('城镇调查失业率控制在5%以内。', '市人社局', '市发展改革委')] },
          ],
        },
        {
          numeral: '二',
          title: '扩大有效需求',
          tasks: [
            { number: '3', name: '新建5G基站3000个', items: [item('新建5G基站3000个。', '市工信局')] },
            { number: '4', name: '社会消费品零售总额增长6%', items: [item('社会消费品零售总额增长6%。', '市商务局', '市统计局')] },
          ],
        },
      ],
    });
    expect(result.warnings).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, kind: 'chapter', chapter: 0 },
      { line: 3, kind: 'task', chapter: 0, task: 0, item: 0 },
      { line: 4, kind: 'task', chapter: 0, task: 1, item: 0 },
      { line: 5, kind: 'chapter', chapter: 1 },
      { line: 6, kind: 'task', chapter: 1, task: 0, item: 0 },
      { line: 7, kind: 'task', chapter: 1, task: 1, item: 0 },
    ]);
  });

  it('(b) applies 牵头单位：/责任单位： lines to the entry just above them', () => {
    const text = `江南市2030年重点工作任务分解方案

一、稳住经济大盘
1. 实施市级重点项目200个，完成投资1500亿元。
牵头单位：市发展改革委
责任单位：市财政局、市自然资源规划局
2. 新增减税降费100亿元。

　　牵头单位：市财政局　
　　配合单位：市税务局
二、提升城市品质
3. 推进海绵城市建设：
（1）新建海绵城市面积20平方公里；
牵头单位：市住建局
（2）改造易涝点30处。
牵头单位：市水务局
责任单位：各区人民政府`;
    const result = interpretDecomposition(paragraphs(text));
    expect(result.table).toEqual<SummaryTable>({
      title: '江南市2030年重点工作任务分解方案',
      organisation: '',
      columns: COLUMNS,
      chapters: [
        {
          numeral: '一',
          title: '稳住经济大盘',
          tasks: [
            {
              number: '1',
              name: '实施市级重点项目200个',
              items: [item('实施市级重点项目200个，完成投资1500亿元。', '市发展改革委', '市财政局、市自然资源规划局')],
            },
            { number: '2', name: '新增减税降费100亿元', items: [item('新增减税降费100亿元。', '市财政局', '市税务局')] },
          ],
        },
        {
          numeral: '二',
          title: '提升城市品质',
          tasks: [
            {
              // the lead-in ending in ： is not an item; the sub-items are
              number: '3',
              name: '推进海绵城市建设',
              items: [item('新建海绵城市面积20平方公里；', '市住建局'), item('改造易涝点30处。', '市水务局', '各区人民政府')],
            },
          ],
        },
      ],
    });
    expect(result.warnings).toEqual([]);
    expect(result.rows).toEqual([
      { line: 3, kind: 'chapter', chapter: 0 },
      { line: 4, kind: 'task', chapter: 0, task: 0, item: 0 },
      { line: 7, kind: 'task', chapter: 0, task: 1, item: 0 },
      { line: 11, kind: 'chapter', chapter: 1 },
      { line: 12, kind: 'task', chapter: 1, task: 0 },
      { line: 13, kind: 'item', chapter: 1, task: 0, item: 0 },
      { line: 15, kind: 'item', chapter: 1, task: 0, item: 1 },
    ]);
  });

  it('(c) reads X牵头，Y参与 / Y等参与 / 由X牵头 / （X牵头，Y配合）', () => {
    const text = `江南市2030年政府工作报告重点工作分工方案
一、建设现代化产业体系
1、培育规上工业企业300家，市工信局牵头，市科技局、市商务局参与。
2、新增高新技术企业500家。市科技局牵头，市财政局等参与。
3、建设人才公寓5000套（由市住建局牵头）。
4、推进数字政府建设（市大数据局牵头，各区人民政府配合）
5、建立市领导牵头、部门协同的招商机制。由市投资促进局牵头。`;
    const result = interpretDecomposition(paragraphs(text));
    expect(result.table).toEqual<SummaryTable>({
      title: '江南市2030年政府工作报告重点工作分工方案',
      organisation: '',
      columns: COLUMNS,
      chapters: [
        {
          numeral: '一',
          title: '建设现代化产业体系',
          tasks: [
            { number: '1', name: '培育规上工业企业300家', items: [item('培育规上工业企业300家。', '市工信局', '市科技局、市商务局')] },
            { number: '2', name: '新增高新技术企业500家', items: [item('新增高新技术企业500家。', '市科技局', '市财政局')] },
            { number: '3', name: '建设人才公寓5000套', items: [item('建设人才公寓5000套。', '市住建局')] },
            { number: '4', name: '推进数字政府建设', items: [item('推进数字政府建设', '市大数据局', '各区人民政府')] },
            {
              number: '5',
              name: '建立市领导牵头、部门协同的招商机制',
              items: [item('建立市领导牵头、部门协同的招商机制。', '市投资促进局')],
            },
          ],
        },
      ],
    });
    expect(result.warnings).toEqual([]);
  });

  it('(d) lets one trailing （责任单位：…） cover all the sub-items above it', () => {
    const text = `江南市2030年民生实事项目任务分解方案
一、办好民生实事
1. 提升养老服务水平：
（1）新建社区养老服务中心20家；
（2）新增养老床位1000张；
（3）培训养老护理员2000人次。
（责任单位：市民政局、市卫生健康委、各区人民政府）
2. 改善办学条件。
（1）新建中小学10所；
（2）新增幼儿园学位3000个。（责任单位：市教育局、市自然资源规划局）`;
    const result = interpretDecomposition(paragraphs(text));
    const care = (work: string) => item(work, '市民政局', '市卫生健康委、各区人民政府');
    const school = (work: string) => item(work, '市教育局', '市自然资源规划局');
    expect(result.table).toEqual<SummaryTable>({
      title: '江南市2030年民生实事项目任务分解方案',
      organisation: '',
      columns: COLUMNS,
      chapters: [
        {
          numeral: '一',
          title: '办好民生实事',
          tasks: [
            {
              number: '1',
              name: '提升养老服务水平',
              items: [care('新建社区养老服务中心20家；'), care('新增养老床位1000张；'), care('培训养老护理员2000人次。')],
            },
            {
              // written at the end of the last sub-item, it covers the task's own text and the sub-items too
              number: '2',
              name: '改善办学条件',
              items: [school('改善办学条件。'), school('新建中小学10所；'), school('新增幼儿园学位3000个。')],
            },
          ],
        },
      ],
    });
    expect(result.warnings).toEqual([]);
  });

  it('(e) takes the first name of a 责任单位 list as the lead when there is no 牵头单位', () => {
    const text = `江南市2030年城市建设重点任务分工方案
一、推进城市建设
1.实施城市更新项目50个。（责任单位：市住建局、市自然资源规划局、各区人民政府）
2.新建改建公园绿地30个。
责任单位：市园林绿化局
3.新改建农村公路200公里。（责任单位：市交通运输局；配合单位：市财政局、各区人民政府）`;
    const result = interpretDecomposition(paragraphs(text));
    expect(result.table).toEqual<SummaryTable>({
      title: '江南市2030年城市建设重点任务分工方案',
      organisation: '',
      columns: COLUMNS,
      chapters: [
        {
          numeral: '一',
          title: '推进城市建设',
          tasks: [
            {
              number: '1',
              name: '实施城市更新项目50个',
              items: [item('实施城市更新项目50个。', '市住建局', '市自然资源规划局、各区人民政府')],
            },
            { number: '2', name: '新建改建公园绿地30个', items: [item('新建改建公园绿地30个。', '市园林绿化局')] },
            {
              // next to an explicit 配合单位 list, the whole 责任单位 list leads
              number: '3',
              name: '新改建农村公路200公里',
              items: [item('新改建农村公路200公里。', '市交通运输局', '市财政局、各区人民政府')],
            },
          ],
        },
      ],
    });
    expect(result.warnings).toEqual([]);
  });

  it('(f) reads full-width and ASCII punctuation alike, keeping unit lists as written', () => {
    const text = `江南市2030年生态环境重点任务分工方案
一、打好污染防治攻坚战
1．空气质量持续改善，PM2.5平均浓度控制在28微克/立方米以下。(牵头单位:市生态环境局;责任单位:市发展改革委,市工信局)
2. 完成造林1.5万亩。（牵头单位:市园林绿化局；责任单位：各区人民政府）
(一)推进水环境治理
3、新增污水日处理能力14万吨(牵头单位：市水务局)
(1)新建污水管网100公里;
(2)改造雨污混接点位500个。
4. 消除劣V类水体。市生态环境局牵头,市水务局参与.`;
    const result = interpretDecomposition(paragraphs(text));
    const water = (work: string) => item(work, '市水务局');
    expect(result.table).toEqual<SummaryTable>({
      title: '江南市2030年生态环境重点任务分工方案',
      organisation: '',
      columns: COLUMNS,
      chapters: [
        {
          numeral: '一',
          title: '打好污染防治攻坚战',
          tasks: [
            {
              number: '1',
              name: '空气质量持续改善',
              items: [item('空气质量持续改善，PM2.5平均浓度控制在28微克/立方米以下。', '市生态环境局', '市发展改革委,市工信局')],
            },
            { number: '2', name: '完成造林1.5万亩', items: [item('完成造林1.5万亩。', '市园林绿化局', '各区人民政府')] },
            {
              number: '3',
              name: '推进水环境治理',
              items: [water('新增污水日处理能力14万吨'), water('新建污水管网100公里;'), water('改造雨污混接点位500个。')],
            },
            { number: '4', name: '推进水环境治理', items: [item('消除劣V类水体。', '市生态环境局', '市水务局')] },
          ],
        },
      ],
    });
    expect(result.warnings).toEqual([]);
  });

  it('(g) names tasks after their group heading, numbers them across chapters and joins paragraphs', () => {
    const text = `江南市2030年政府工作报告重点任务责任分工方案

　　为抓好《政府工作报告》确定的各项任务落实，现将责任分工如下：

一、推动产业转型升级
（一）加快建设先进制造业基地。全市规上工业增加值增长7%。
1. 实施智能化改造项目300个。（牵头单位：市工信局；责任单位：各区人民政府）
2. 培育专精特新企业100家。（牵头单位：市工信局）
（二）大力发展现代服务业
3. 服务业增加值增长6%。
　　2030年新增省级服务业集聚区3个，
1.2万家企业上云。
（牵头单位：市发展改革委；责任单位：市商务局、市金融局）
二、建设美丽江南
（三）持续改善生态环境质量（牵头单位：市生态环境局；责任单位：各区人民政府）
4. 完成省下达的节能减排任务。
5. 新增造林1.5万亩。（牵头单位：市园林绿化局）
（四）推进绿色低碳发展（牵头单位：市发展改革委）`;
    const result = interpretDecomposition(paragraphs(text));
    expect(result.table).toEqual<SummaryTable>({
      title: '江南市2030年政府工作报告重点任务责任分工方案',
      organisation: '',
      columns: COLUMNS,
      chapters: [
        {
          numeral: '一',
          title: '推动产业转型升级',
          tasks: [
            { number: '1', name: '加快建设先进制造业基地', items: [item('实施智能化改造项目300个。', '市工信局', '各区人民政府')] },
            { number: '2', name: '加快建设先进制造业基地', items: [item('培育专精特新企业100家。', '市工信局')] },
            {
              number: '3',
              name: '大力发展现代服务业',
              items: [
                item('服务业增加值增长6%。\n2030年新增省级服务业集聚区3个，\n1.2万家企业上云。', '市发展改革委', '市商务局、市金融局'),
              ],
            },
          ],
        },
        {
          numeral: '二',
          title: '建设美丽江南',
          tasks: [
            // the group's responsibility goes to the tasks under it that have none of their own
            { number: '4', name: '持续改善生态环境质量', items: [item('完成省下达的节能减排任务。', '市生态环境局', '各区人民政府')] },
            { number: '5', name: '持续改善生态环境质量', items: [item('新增造林1.5万亩。', '市园林绿化局')] },
            // a group with responsibility and no numbered task is a task, numbered after the highest so far
            { number: '6', name: '推进绿色低碳发展', items: [item('推进绿色低碳发展', '市发展改革委')] },
          ],
        },
      ],
    });
    expect(result.warnings).toEqual([
      // the sentence leading into the plan is no task: not imported, and said so
      { line: 3, message: '标题之外的文字“为抓好《政府工作报告》确定的各项任务落实，现将责任分工如下：”不是章节或任务，未导入。' },
      { line: 18, message: '任务未编号，已按顺序编号为 6', column: 'number' },
    ]);
    expect(result.rows).toEqual([
      { line: 5, kind: 'chapter', chapter: 0 },
      { line: 7, kind: 'task', chapter: 0, task: 0, item: 0 },
      { line: 8, kind: 'task', chapter: 0, task: 1, item: 0 },
      { line: 10, kind: 'task', chapter: 0, task: 2, item: 0 },
      { line: 14, kind: 'chapter', chapter: 1 },
      { line: 16, kind: 'task', chapter: 1, task: 0, item: 0 },
      { line: 17, kind: 'task', chapter: 1, task: 1, item: 0 },
      { line: 18, kind: 'task', chapter: 1, task: 2, item: 0 },
    ]);
  });

  it('keeps 完成时限 and 牵头市领导 as optional columns when the document writes them', () => {
    const text = `江南市2030年重点任务分工方案
一、优化营商环境
1. 企业开办时间压缩至1个工作日。（牵头单位：市政务办；完成时限：2030年6月底前）
2. 推行“一件事一次办”：
（1）上线集成服务事项50项；
（2）实现高频事项“跨省通办”。
牵头市领导：李明
牵头单位：市政务办
配合单位：市大数据局
完成时限：2030年12月底前`;
    const result = interpretDecomposition(paragraphs(text));
    const both = (work: string): SummaryItem => ({ ...item(work, '市政务办', '市大数据局'), deadline: '2030年12月底前', leader: '李明' });
    expect(result.table.columns).toEqual({ ...COLUMNS, deadline: '完成时限', leader: '牵头市领导' });
    expect(result.table.chapters[0]!.tasks).toEqual([
      {
        number: '1',
        name: '企业开办时间压缩至1个工作日',
        items: [{ ...item('企业开办时间压缩至1个工作日。', '市政务办'), deadline: '2030年6月底前', leader: '' }],
      },
      { number: '2', name: '推行“一件事一次办”', items: [both('上线集成服务事项50项；'), both('实现高频事项“跨省通办”。')] },
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe('interpretDecomposition warnings', () => {
  it('(h) warns at the right lines about a missing lead, a duplicate number and what it drops', () => {
    const text = [
      /* 1 */ '附件',
      /* 2 */ '江南市2030年对外开放重点任务分工方案',
      /* 3 */ '1. 这一条写在章节之前。（牵头单位：市政府办公室）',
      /* 4 */ '一、扩大高水平对外开放',
      /* 5 */ '（1）没有上级任务的条目。',
      /* 6 */ '1. 实际使用外资30亿美元。（牵头单位：市商务局）',
      /* 7 */ '2. 新增外贸实绩企业500家。',
      /* 8 */ '3. 建设跨境电商产业园2个。（牵头单位：市商务局；责任单位：江南海关）',
      /* 9 */ '3. 举办投资促进活动20场。（市商务局牵头，市外办参与）',
      /* 10 */ '各地各部门要高度重视，确保各项任务落到实处。',
      /* 11 */ '4. 推进重大外资项目实行市领导牵头。',
      /* 12 */ '第二部分 其他事项',
      /* 13 */ '5. 出口总额增长3%。（配合单位：市商务局）',
      /* 14 */ '（1）培育出口品牌20个；',
      /* 15 */ '（2）新增海外仓5个。（牵头单位：市贸促会）',
    ].join('\n');
    const result = interpretDecomposition(paragraphs(text));
    expect(result.warnings).toEqual([
      {
        line: 3,
        column: 'number',
        message: '任务 1“这一条写在章节之前。（牵头单位：市政府办公室）”出现在第一个章节（如“一、……”）之前，已忽略。',
      },
      { line: 5, message: '条目“（1）没有上级任务的条目。”上方没有可归属的任务，已忽略。' },
      { line: 7, column: 'lead', message: '任务 2 未写明牵头单位' },
      { line: 9, column: 'number', message: '序号 3 重复：第 8 行已有序号 3 的任务。' },
      {
        line: 10,
        column: 'lead',
        message: '未编号的段落没有写明牵头单位，无法归入任务，已忽略：“各地各部门要高度重视，确保各项任务落到实处。”',
      },
      { line: 11, column: 'lead', message: '任务 4 未写明牵头单位' },
      { line: 12, message: '无法识别的编号行，已忽略：“第二部分 其他事项”' },
      { line: 13, column: 'lead', message: '任务 5 第 1 项未写明牵头单位' },
      { line: 14, column: 'lead', message: '任务 5 第 2 项未写明牵头单位' },
    ]);
    expect(result.table.title).toBe('江南市2030年对外开放重点任务分工方案');
    const tasks = result.table.chapters[0]!.tasks;
    expect(tasks.map((task) => task.number)).toEqual(['1', '2', '3', '3', '4', '5']);
    // a 市领导牵头 phrase inside the text is not a unit leading
    expect(tasks[4]!.items).toEqual([item('推进重大外资项目实行市领导牵头。', '')]);
    expect(tasks[5]!.items).toEqual([
      item('出口总额增长3%。', '', '市商务局'),
      item('培育出口品牌20个；', '', '市商务局'),
      item('新增海外仓5个。', '市贸促会'),
    ]);
    expect(result.rows.filter((row) => row.kind === 'ignored').map((row) => row.line)).toEqual([3, 5, 10, 12]);
  });

  it('rejects a document with numbered tasks but no chapter', () => {
    const text = `江南市2030年重点任务分工方案
1. 新建5G基站3000个。（牵头单位：市工信局）
2. 新增高新技术企业500家。（牵头单位：市科技局）`;
    expectBadInputNow(() => interpretDecomposition(paragraphs(text)), 'decomposition_no_chapters');
  });
});

describe('looksLikeDecomposition', () => {
  it('(i) accepts numbered paragraphs that name who leads', () => {
    expect(looksLikeDecomposition(paragraphs('方案\n一、章\n1. 甲。（牵头单位：市发改委）\n2. 乙。（牵头单位：市财政局）'))).toBe(true);
    expect(looksLikeDecomposition(paragraphs('一、章\n（一）甲\n（二）乙。市发改委牵头，市财政局参与。'))).toBe(true);
    expect(looksLikeDecomposition(paragraphs('1、甲\n责任单位：市水务局\n2、乙'))).toBe(true);
  });

  it('(i) rejects a summary table exported as text, prose and numbers that are not headings', () => {
    const sample = new TextDecoder().decode(SAMPLE_BYTES);
    expect(looksLikeDecomposition(paragraphs(sample))).toBe(false);
    expect(looksLikeDecomposition(readTextGrid(SAMPLE_BYTES).preamble)).toBe(false);
    expect(looksLikeDecomposition(paragraphs('工作总结\n1. 全年完成投资1500亿元。\n2. 新建学校10所。'))).toBe(false);
    expect(looksLikeDecomposition(paragraphs('1.3万亿元投资已完成。\n2030年目标（牵头单位：市发改委）\n1.5万亩造林'))).toBe(false);
    expect(looksLikeDecomposition(paragraphs('1. 只有一条。（牵头单位：市发改委）'))).toBe(false);
  });
});

describe('numbering that restarts in every chapter', () => {
  it('is numbered through the document in reading order, with one warning', () => {
    const text = [
      '2031年江南市政府工作报告重点任务分工方案',
      '一、稳增长',
      '1. 扩大有效投资。（牵头单位：市发改委）',
      '2. 促进消费。（牵头单位：市商务局）',
      '二、惠民生',
      '1. 稳定就业。（牵头单位：市人社局）',
    ];
    const result = interpretDecomposition(text.map((line, index) => ({ text: line, line: index + 1 })));
    expect(result.table.chapters.flatMap((chapter) => chapter.tasks.map((task) => task.number))).toEqual(['1', '2', '3']);
    expect(result.warnings).toEqual([
      { line: 6, column: 'number', message: '任务编号在各章节内重新从 1 开始，已按全文顺序重新编为连续的序号。' },
    ]);
  });
});

/** Every item of a result as [序号, 名称, work, lead, cooperating], for compact expectations. */
const flat = (table: SummaryTable) =>
  table.chapters.flatMap((chapter) =>
    chapter.tasks.flatMap((task) => task.items.map((entry) => [task.number, task.name, entry.work, entry.lead, entry.cooperating])),
  );

describe('issue 10: sub-items and the responsibility that covers them', () => {
  it('a trailing （责任单位：…） covers every numbered sub-item since the previous responsibility, not only the last', () => {
    const text = `江南市2031年重点任务分工方案
一、办好民生实事
1. 推进老旧小区改造：
（1）改造老旧小区40个；（牵头单位：市住建局）
（2）加装电梯200部；
(3)新增停车泊位3000个。
（责任单位：市城管局、各区人民政府）`;
    const result = interpretDecomposition(paragraphs(text));
    expect(flat(result.table)).toEqual([
      ['1', '推进老旧小区改造', '改造老旧小区40个', '市住建局', ''],
      ['1', '推进老旧小区改造', '加装电梯200部；', '市城管局', '各区人民政府'],
      ['1', '推进老旧小区改造', '新增停车泊位3000个。', '市城管局', '各区人民政府'],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('shape c: 1. 1． 1、 （1） (1) under a （一） task that is followed by its responsibility are items of that task', () => {
    const text = `江南市2031年政府工作报告重点任务分工方案
一、扩大有效需求
（一）扩大有效投资
1. 实施市级重大项目120个；
2．新开工基础设施项目30个；
3、盘活存量资产50亿元。
（牵头单位：市发改委；责任单位：市财政局、各区人民政府）
（二）促进消费扩容
1.举办促消费活动20场;
(1)汽车促销活动8场;
（2）家电促销活动12场。
(牵头单位:市商务局;配合单位:市财政局)
二、保障改善民生
（一）稳定就业（牵头单位：市人社局）
1. 城镇新增就业6万人；
2. 城镇调查失业率控制在5%以内。（牵头单位：市人社局；配合单位：市统计局）`;
    const result = interpretDecomposition(paragraphs(text));
    const invest = ['1', '扩大有效投资'];
    const spend = ['2', '促进消费扩容'];
    expect(flat(result.table)).toEqual([
      [...invest, '实施市级重大项目120个；', '市发改委', '市财政局、各区人民政府'],
      [...invest, '新开工基础设施项目30个；', '市发改委', '市财政局、各区人民政府'],
      [...invest, '盘活存量资产50亿元。', '市发改委', '市财政局、各区人民政府'],
      [...spend, '举办促消费活动20场;', '市商务局', '市财政局'],
      [...spend, '汽车促销活动8场;', '市商务局', '市财政局'],
      [...spend, '家电促销活动12场。', '市商务局', '市财政局'],
      // a task carrying its own responsibility on its heading: its items inherit it unless they name their own
      ['3', '稳定就业', '城镇新增就业6万人；', '市人社局', ''],
      ['3', '稳定就业', '城镇调查失业率控制在5%以内。', '市人社局', '市统计局'],
    ]);
    expect(result.table.chapters.map((chapter) => chapter.tasks.length)).toEqual([2, 1]);
    expect(result.warnings).toEqual([
      { line: 3, column: 'number', message: '任务以“（一）”“（二）”标出，其下“1.”“2.”为该任务的事项；已按全文顺序为任务编排序号。' },
    ]);
    expect(result.rows.filter((row) => row.kind !== 'chapter').map((row) => [row.line, row.kind])).toEqual([
      [3, 'task'],
      [4, 'item'],
      [5, 'item'],
      [6, 'item'],
      [8, 'task'],
      [9, 'item'],
      [10, 'item'],
      [11, 'item'],
      [14, 'task'],
      [15, 'item'],
      [16, 'item'],
    ]);
  });

  it('shape b: a （一） section heading without responsibility over 1. tasks numbered through the document keeps its title', () => {
    const text = `江南市2031年重点任务分工方案
一、推动产业升级
（一）壮大先进制造业
1. 规上工业增加值增长7%。（牵头单位：市工信局）
2. 新增专精特新企业100家。
牵头单位：市工信局
配合单位：市科技局
（二）发展现代服务业
3. 服务业增加值增长6%。（主办单位：市发改委；协办单位：市商务局）
二、建设美丽江南
4. 完成造林1.5万亩。（牵头单位：市园林绿化局）`;
    const result = interpretDecomposition(paragraphs(text));
    expect(flat(result.table)).toEqual([
      ['1', '壮大先进制造业', '规上工业增加值增长7%。', '市工信局', ''],
      ['2', '壮大先进制造业', '新增专精特新企业100家。', '市工信局', '市科技局'],
      ['3', '发展现代服务业', '服务业增加值增长6%。', '市发改委', '市商务局'],
      ['4', '完成造林1.5万亩', '完成造林1.5万亩。', '市园林绿化局', ''],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('shape c is recognised by numbers restarting under the groups of one chapter, each item with its own responsibility', () => {
    const text = `江南市2031年重点任务分工方案
一、优化营商环境
（一）提升政务服务效能
1. 企业开办1个工作日办结。（牵头单位：市政务办）
2. 高频事项全程网办。（牵头单位：市大数据局）
（二）加强要素保障
1. 新增工业用地5000亩。（牵头单位：市自然资源和规划局）`;
    expect(flat(interpretDecomposition(paragraphs(text)).table)).toEqual([
      ['1', '提升政务服务效能', '企业开办1个工作日办结。', '市政务办', ''],
      ['1', '提升政务服务效能', '高频事项全程网办。', '市大数据局', ''],
      ['2', '加强要素保障', '新增工业用地5000亩。', '市自然资源和规划局', ''],
    ]);
  });

  it('a （一） heading that says more than its name keeps that text as the first item', () => {
    const text = `江南市2031年重点任务分工方案
一、推动科技创新
（一）建设创新平台。新建省级以上研发平台20个。
1. 建设江南实验室；
2. 新建企业技术中心10家。
（责任单位：市科技局、市工信局）`;
    expect(flat(interpretDecomposition(paragraphs(text)).table)).toEqual([
      ['1', '建设创新平台', '建设创新平台。新建省级以上研发平台20个。', '市科技局', '市工信局'],
      ['1', '建设创新平台', '建设江南实验室；', '市科技局', '市工信局'],
      ['1', '建设创新平台', '新建企业技术中心10家。', '市科技局', '市工信局'],
    ]);
  });
});

describe('issue 10: punctuation and responsibility labels', () => {
  it('reads full-width and ASCII punctuation alike in numbering and labels', () => {
    const full = `江南市2031年重点任务分工方案
一、稳住经济
（一）扩大投资
1．完成投资850亿元；
2、新开工项目60个。
（牵头单位：市发改委；责任单位：市财政局、市住建局）`;
    const ascii = `江南市2031年重点任务分工方案
一.稳住经济
(一)扩大投资
1.完成投资850亿元；
2.新开工项目60个。
(牵头单位:市发改委;责任单位:市财政局、市住建局)`;
    const fullResult = interpretDecomposition(paragraphs(full));
    expect(flat(fullResult.table)).toEqual([
      ['1', '扩大投资', '完成投资850亿元；', '市发改委', '市财政局、市住建局'],
      ['1', '扩大投资', '新开工项目60个。', '市发改委', '市财政局、市住建局'],
    ]);
    expect(interpretDecomposition(paragraphs(ascii))).toEqual(fullResult);
  });

  it('reads responsibility by its many names, and a list ending in 等 names no unit “等”', () => {
    const text = `江南市2031年重点任务分工方案
一、推进乡村振兴
1. 建设高标准农田5万亩。（主办单位：市农业农村局；参与单位：市财政局、市水务局等）
2. 新改建农村公路200公里。
责任领导：王强
承办单位：市交通运输局
协作单位：各区人民政府等有关部门
3. 农村生活污水治理率达到90%。(主责单位:市生态环境局;配合单位:市水务局、市住建局等单位)
4. 培育家庭农场500家。实施单位：市农业农村局、市供销社等`;
    const result = interpretDecomposition(paragraphs(text));
    expect(flat(result.table)).toEqual([
      ['1', '建设高标准农田5万亩', '建设高标准农田5万亩。', '市农业农村局', '市财政局、市水务局'],
      ['2', '新改建农村公路200公里', '新改建农村公路200公里。', '市交通运输局', '各区人民政府'],
      ['3', '农村生活污水治理率达到90%', '农村生活污水治理率达到90%。', '市生态环境局', '市水务局、市住建局'],
      ['4', '培育家庭农场500家', '培育家庭农场500家。', '市农业农村局', '市供销社'],
    ]);
    expect(result.table.columns.leader).toBe('责任领导');
    expect(result.table.chapters[0]!.tasks[1]!.items[0]!.leader).toBe('王强');
    expect(result.warnings).toEqual([]);
  });
});

describe('issue 10: numbers that run on are 序号 even under a single group with responsibility', () => {
  it('keeps 1. 2. under the one （一） as tasks when 3. follows them under the next chapter', () => {
    const text = `江南市2031年重点任务分工方案
一、扩大有效需求
（一）扩大有效投资（牵头单位：市发改委）
1. 完成投资850亿元。
2. 新开工项目60个。（牵头单位：市住建局）
二、保障改善民生
3. 城镇新增就业6万人。（牵头单位：市人社局）`;
    const result = interpretDecomposition(paragraphs(text));
    expect(flat(result.table)).toEqual([
      ['1', '扩大有效投资', '完成投资850亿元。', '市发改委', ''],
      ['2', '扩大有效投资', '新开工项目60个。', '市住建局', ''],
      ['3', '城镇新增就业6万人', '城镇新增就业6万人。', '市人社局', ''],
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe('issue 10: a （一） task over （1） items, and the 落款 under the text', () => {
  it('a （一） heading that is only a name, over （1） items and with its own responsibility, is the task and no item', () => {
    const text = `江南市2031年营商环境重点任务分工方案
一、营造法治环境
（一）加强知识产权保护（牵头单位：市市场监管局（市知识产权局）；配合单位：市中级人民法院、市公安局）
（1）新增高价值发明专利800件；
（2）办结知识产权纠纷案件300件以上。
（二）规范涉企执法检查。推行“综合查一次”。（牵头单位：市司法局）
（1）跨部门联合检查占比达到30%。`;
    const result = interpretDecomposition(paragraphs(text));
    expect(flat(result.table)).toEqual([
      ['1', '加强知识产权保护', '新增高价值发明专利800件；', '市市场监管局（市知识产权局）', '市中级人民法院、市公安局'],
      ['1', '加强知识产权保护', '办结知识产权纠纷案件300件以上。', '市市场监管局（市知识产权局）', '市中级人民法院、市公安局'],
      // a heading that says more than its name stays the first item
      ['2', '规范涉企执法检查', '规范涉企执法检查。推行“综合查一次”。', '市司法局', ''],
      ['2', '规范涉企执法检查', '跨部门联合检查占比达到30%。', '市司法局', ''],
    ]);
    expect(result.rows.filter((row) => row.kind === 'item').map((row) => row.line)).toEqual([4, 5, 7]);
  });

  it('leaves the issuing office and the date at the end out of the last item, and keeps text that only looks like them', () => {
    const body = `江南市2031年重点任务分工方案
一、降低企业成本
（一）落实减税降费政策（责任单位：市税务局、市财政局）
1．全年为企业减负80亿元以上；
2．规上工业企业用电成本下降3%。`;
    const signed = interpretDecomposition(paragraphs(`${body}\n\n江南市人民政府办公室\n2031年2月20日`));
    expect(flat(signed.table).map((row) => row[2])).toEqual(['全年为企业减负80亿元以上；', '规上工业企业用电成本下降3%。']);
    // the office (line 7) and the date (line 8) are no item's text: left out, and said to be
    expect(signed.rows.filter((row) => row.kind === 'ignored').map((row) => row.line)).toEqual([7, 8]);
    expect(signed.warnings.filter((warning) => warning.line >= 7).map((warning) => warning.message)).toEqual([
      '落款“江南市人民政府办公室”（发文单位或日期）不是任务内容，未导入。',
      '落款“2031年2月20日”（发文单位或日期）不是任务内容，未导入。',
    ]);

    // a date written in Chinese numerals, two offices signing together
    const joint = interpretDecomposition(paragraphs(`${body}\n江南市人民政府办公室\n江南市发展和改革委员会\n二〇三一年二月二十日`));
    expect(flat(joint.table).map((row) => row[2])).toEqual(['全年为企业减负80亿元以上；', '规上工业企业用电成本下降3%。']);

    // without a date at the very end, a last line is the text it continues
    const unsigned = interpretDecomposition(paragraphs(`${body}\n其中制造业企业减负不少于50亿元。`));
    expect(flat(unsigned.table).map((row) => row[2])).toEqual([
      '全年为企业减负80亿元以上；',
      '规上工业企业用电成本下降3%。\n其中制造业企业减负不少于50亿元。',
    ]);
  });
});

describe('nothing of a plan lost without a word', () => {
  it('warns about text above the first heading that is not the title, and about every paragraph of an ignored lead-in', () => {
    const lines: GridLine[] = [
      '附件2',
      '江南市2031年重点工作任务分解方案',
      '根据市委部署，制定本方案。',
      '一、水利建设',
      '为推进水利建设，',
      '重点抓好以下工作。',
      '1.整治河道5条。（牵头单位：市水务局）',
    ].map((text, index) => ({ text, line: index + 1 }));
    const result = interpretDecomposition(lines);
    expect(result.table.title).toBe('江南市2031年重点工作任务分解方案');
    expect(result.warnings).toEqual([
      // 附件2 labels the document and is no content: no warning
      { line: 3, message: '标题之外的文字“根据市委部署，制定本方案。”不是章节或任务，未导入。' },
      { line: 5, message: '章节下的引导语“为推进水利建设，\n重点抓好以下工作。”不是任务，未导入。' },
      { line: 6, message: '段落“重点抓好以下工作。”接续第 5 行，一并忽略。' },
    ]);
    expect(result.table.chapters[0]!.tasks.map((task) => [task.number, task.items.map((item) => [item.work, item.lead])])).toEqual([
      ['1', [['整治河道5条。', '市水务局']]],
    ]);
  });
});
