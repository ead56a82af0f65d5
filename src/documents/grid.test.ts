import { describe, expect, it } from 'vitest';
import { periodFromHeading } from '../domain/periods.js';
import { filingRowText, interpretGrid, isColumnNumberRow, readFilingLine, taskNumber, type TableGrid } from './grid.js';

const grid = (preamble: string[], rows: string[][]): TableGrid => ({
  preamble: preamble.map((text, index) => ({ text, line: index + 1 })),
  rows: rows.map((cells, index) => ({ cells, line: preamble.length + index + 1 })),
});

const HEADER = ['序号', '名称', '工作任务', '牵头单位', '主要配合单位', '一季度进展情况'];

describe('readFilingLine', () => {
  it('takes the unit without 盖章, and the date as yyyy-mm-dd, from a line with both', () => {
    expect(readFilingLine('填报单位：市住房城乡建设局（盖章）          填报时间：2025年4月8日')).toEqual({
      organisation: '市住房城乡建设局',
      date: '2025-04-08',
    });
  });

  it('reads 盖章 beside the label, in either bracket width, and a trailing 盖章 without brackets', () => {
    expect(readFilingLine('填报单位（盖章）：市水务局')).toEqual({ organisation: '市水务局' });
    expect(readFilingLine('填报单位(盖章):市水务局')).toEqual({ organisation: '市水务局' });
    expect(readFilingLine('填报单位：市水务局(盖章)')).toEqual({ organisation: '市水务局' });
    expect(readFilingLine('填报单位：市水务局　盖章')).toEqual({ organisation: '市水务局' });
  });

  it('keeps the brackets that are part of the name', () => {
    expect(readFilingLine('填报单位：市委宣传部（市新闻办）（盖章）　填报日期：2025-4-8')).toEqual({
      organisation: '市委宣传部（市新闻办）',
      date: '2025-04-08',
    });
  });

  it('reads 报送单位, 联系人 and 电话 separated by full-width spaces, ASCII colons and 报送时间', () => {
    expect(readFilingLine('报送单位：市数据局　联系人：周敏　电话：0571-8765 4321')).toEqual({
      organisation: '市数据局',
      contact: '周敏',
      phone: '0571-8765 4321',
    });
    expect(readFilingLine('报送单位:市数据局\t报送时间:2025.07.03\t联系人:周 敏\t联系电话:13800000000')).toEqual({
      organisation: '市数据局',
      date: '2025-07-03',
      contact: '周敏',
      phone: '13800000000',
    });
  });

  it('leaves out a date that is not filled in or not a date', () => {
    expect(readFilingLine('填报单位：市水务局　填报时间：    年  月  日')).toEqual({ organisation: '市水务局' });
    expect(readFilingLine('填报日期：2025年2月30日')).toEqual({ organisation: '' });
  });

  it('is no filing line when the label is not at its start, or there is none', () => {
    expect(readFilingLine('2025年市政府工作任务一季度进展情况汇总表')).toBeUndefined();
    expect(readFilingLine('注：本表由各单位填报单位：略')).toBeUndefined();
    expect(readFilingLine('单位：万元')).toBeUndefined();
  });
});

describe('filing lines above the table', () => {
  it('gives the unit as the table’s organisation and keeps the date and contact, the lines not taken for the title', () => {
    const read = interpretGrid(
      grid(
        ['填报单位：市住房城乡建设局（盖章）          填报时间：2025年4月8日', '2025年市政府工作任务一季度进展情况汇总表'],
        [HEADER, ['一、城市更新'], ['3', '老旧小区改造', '改造老旧小区40个。', '市住房城乡建设局', '各区人民政府', '已开工12个。']],
      ),
    );
    expect(read.table.title).toBe('2025年市政府工作任务一季度进展情况汇总表');
    expect(read.table.organisation).toBe('市住房城乡建设局');
    expect(read.filing).toEqual({ organisation: '市住房城乡建设局', date: '2025-04-08' });
    expect(read.warnings).toEqual([]);
  });

  it('merges filing cells of the rows above the header (a sheet or CSV puts each in its own cell)', () => {
    const read = interpretGrid(
      grid(
        [],
        [
          ['2025年市政府工作任务一季度进展情况汇总表', '', '', '', '', ''],
          ['报送单位：市数据局', '', '联系人：周敏', '', '电话：0571-87654321', ''],
          ['', '', '', '', '报送时间：2025年4月3日', ''],
          HEADER,
          ['一、数字政府'],
          ['1', '一网通办', '政务服务事项网上可办率98%。', '市数据局', '', '网上可办率97.6%。'],
        ],
      ),
    );
    expect(read.table.organisation).toBe('市数据局');
    expect(read.filing).toEqual({ organisation: '市数据局', date: '2025-04-03', contact: '周敏', phone: '0571-87654321' });
  });

  it('does not take 单位：万元 (the unit of the figures) for the filing unit', () => {
    const read = interpretGrid(
      grid(
        ['2025年度投资完成情况汇总表', '单位：万元', '填报单位：　　　　　填报时间：2025年1月6日'],
        [HEADER, ['一、投资'], ['1', '项目', '投资1亿元。', '市发展改革委', '', '完成。']],
      ),
    );
    expect(read.table.organisation).toBe('');
    expect(read.filing).toEqual({ organisation: '', date: '2025-01-06' });
  });

  it('has no filing details for a table without such lines, and reads a bare unit line as before', () => {
    const read = interpretGrid(
      grid(['2025年度汇总表', '市水务局'], [HEADER, ['一、水利'], ['2', '河湖治理', '整治河道5条。', '市水务局', '', '完成2条。']]),
    );
    expect(read.table.organisation).toBe('市水务局');
    expect(read.filing).toBeUndefined();
  });
});

describe('序号 as written', () => {
  it('reads 1、 1. 1． （1） (1) and full-width digits as numbers', () => {
    for (const written of ['1、', '1.', '1．', '（1）', '(1)', '１', '（ 1 ）', '1']) expect(taskNumber(written), written).toBe('1');
    expect(taskNumber('12、')).toBe('12');
    expect(taskNumber('1-2')).toBe('1-2');
    expect(taskNumber('一')).toBe('一');
  });

  it('stores the number, takes 一、 and （一） rows as chapters with their title in the next cell, and warns only about what is still no number', () => {
    const read = interpretGrid(
      grid(
        ['2025年度重点工作完成情况汇总表', '填报单位：市水务局'],
        [
          HEADER,
          ['一、', '水资源保障', '', '', '', ''],
          ['1、', '水源工程', '建成应急水源工程1处。', '市水务局', '市发展改革委', '主体完工。'],
          ['2.', '节水型城市', '创建国家节水型城市。', '市水务局', '', '已通过省级预审。'],
          ['（二）', '', '防汛减灾', '', '', ''],
          ['（3）', '海塘加固', '加固海塘12公里。', '市水务局', '各县（市、区）人民政府', '完成8公里。'],
          ['3-1', '山塘整治', '整治山塘20座。', '市水务局', '', '完成5座。'],
          ['（四）', '水利改革', '深化水价改革。', '市水务局', '', '方案已报批。'],
        ],
      ),
    );
    expect(read.table.chapters.map((chapter) => [chapter.numeral, chapter.title, chapter.tasks.map((task) => task.number)])).toEqual([
      ['一', '水资源保障', ['1', '2']],
      ['二', '防汛减灾', ['3', '3-1', '（四）']],
    ]);
    expect(read.rows.map((row) => row.kind)).toEqual(['header', 'chapter', 'task', 'task', 'chapter', 'task', 'task', 'task']);
    expect(read.warnings).toEqual([
      { line: 9, column: 'number', message: '序号“3-1”不是数字。' },
      { line: 10, column: 'number', message: '序号“（四）”不是数字。' },
    ]);
  });

  it('takes a merged row （一）经济发展 as chapter 一', () => {
    const read = interpretGrid(grid([], [HEADER, ['（一）经济发展'], ['1', '增长', '增长6%。', '市发展改革委', '', '增长6.1%。']]));
    expect(read.table.chapters.map((chapter) => [chapter.numeral, chapter.title])).toEqual([['一', '经济发展']]);
  });
});

describe('headings by meaning', () => {
  it('fills problems and next steps from 存在问题 and 下步打算, and reads 重点工作 / 目标任务 / 1-3月进展', () => {
    const read = interpretGrid(
      grid(
        ['2025年一季度重点工作推进情况表'],
        [
          [
            '序号',
            '重点工作',
            '目标任务',
            '责任领导',
            '牵头单位',
            '配合单位',
            '完成时限',
            '1-3月进展',
            '存在问题',
            '下一步工作计划',
            '备注',
          ],
          ['一、生态环境'],
          [
            '1',
            '大气治理',
            'PM2.5浓度降至28微克。',
            '张华',
            '市生态环境局',
            '市公安局',
            '12月底',
            'PM2.5浓度30微克。',
            '扬尘管控不到位。',
            '开展扬尘专项整治。',
            '省考',
          ],
        ],
      ),
    );
    expect(read.table.columns).toEqual({
      number: '序号',
      name: '重点工作',
      work: '目标任务',
      lead: '牵头单位',
      cooperating: '配合单位',
      completion: '1-3月进展',
      deadline: '完成时限',
      leader: '责任领导',
      problems: '存在问题',
      nextSteps: '下一步工作计划',
      extra: ['备注'],
    });
    expect(read.table.chapters[0]!.tasks[0]!.items).toEqual([
      {
        work: 'PM2.5浓度降至28微克。',
        lead: '市生态环境局',
        cooperating: '市公安局',
        completion: 'PM2.5浓度30微克。',
        deadline: '12月底',
        leader: '张华',
        problems: '扬尘管控不到位。',
        nextSteps: '开展扬尘专项整治。',
        extra: { 备注: '省考' },
      },
    ]);
  });
});

describe('column readings and a person’s overrides', () => {
  const rows = [
    ['序号', '名称', '工作任务', '牵头单位', '备注', '一季度进展情况'],
    ['一、经济'],
    ['1', '增长', '增长6%。', '市发展改革委', '市统计局', '增长6.1%。'],
  ];

  it('says how each heading was read, and a signature that ignores white space', () => {
    const read = interpretGrid(grid(['2025年度汇总表'], rows));
    expect(read.columns.map(({ heading, meaning, source }) => [heading, meaning, source])).toEqual([
      ['序号', 'number', 'heading'],
      ['名称', 'name', 'heading'],
      ['工作任务', 'work', 'heading'],
      ['牵头单位', 'lead', 'heading'],
      ['备注', 'extra', 'heading'],
      ['一季度进展情况', 'completion', 'heading'],
    ]);
    expect(interpretGrid(grid([], [['序 号', ...rows[0]!.slice(1)], ...rows.slice(1)])).headerSignature).toBe(read.headerSignature);
  });

  it('reads a column as a person chose: 备注 as 配合单位, and an ignored column is dropped from the items', () => {
    const read = interpretGrid(grid(['2025年度汇总表'], rows), { columns: { 4: 'cooperating', 5: 'ignore' } });
    const item = read.table.chapters[0]!.tasks[0]!.items[0]!;
    expect(item.cooperating).toBe('市统计局');
    expect(item.completion).toBe('');
    expect(read.columns.filter((column) => column.source === 'chosen').map((column) => column.meaning)).toEqual(['cooperating', 'ignore']);
    expect(read.table.columns.extra).toBeUndefined();
  });

  it('gives a chosen meaning precedence over a heading elsewhere that says the same', () => {
    const read = interpretGrid(grid(['2025年度汇总表'], rows), { columns: { 4: 'lead', 3: 'extra' } });
    const item = read.table.chapters[0]!.tasks[0]!.items[0]!;
    expect(item.lead).toBe('市统计局');
    expect(item.extra).toEqual({ 牵头单位: '市发展改革委' });
  });
});

describe('headers of two and three rows', () => {
  const units = (read: ReturnType<typeof interpretGrid>) =>
    read.table.chapters.flatMap((chapter) =>
      chapter.tasks.flatMap((task) => task.items.map((item) => [task.number, item.lead, item.cooperating])),
    );

  it('reads 责任单位 merged over 牵头单位 | 配合单位, with 序号/名称/工作任务 merged down over both rows', () => {
    const read = interpretGrid(
      grid(
        ['2031年度重点工作完成情况汇总表'],
        [
          ['序号', '名称', '工作任务', '责任单位', '', '全年完成情况'],
          ['', '', '', '牵头单位', '配合单位', ''],
          ['一、城市建设'],
          ['3', '道路建设', '新建道路10公里。', '市住建局、市交通运输局', '市财政局', '建成11公里。'],
        ],
      ),
    );
    expect(read.rows.map((row) => row.kind)).toEqual(['header', 'header', 'chapter', 'task']);
    expect(units(read)).toEqual([['3', '市住建局、市交通运输局', '市财政局']]);
    expect(read.table.columns).toMatchObject({ lead: '牵头单位', cooperating: '配合单位', completion: '全年完成情况' });
    expect(read.columns.map(({ position, heading, meaning }) => [position, heading, meaning])).toEqual([
      [0, '序号', 'number'],
      [1, '名称', 'name'],
      [2, '工作任务', 'work'],
      [3, '责任单位／牵头单位', 'lead'],
      [4, '责任单位／配合单位', 'cooperating'],
      [5, '全年完成情况', 'completion'],
    ]);
    expect(read.warnings).toEqual([]);
  });

  it('reads a header that repeats the group cell (not merged), and the short 牵头 | 配合 under 责任单位', () => {
    const read = interpretGrid(
      grid(
        [],
        [
          ['序号', '名称', '工作任务', '责任单位', '责任单位', '完成情况', '完成情况'],
          ['序号', '名称', '工作任务', '牵头', '配合', '进展', '问题'],
          ['一、城市建设'],
          ['3', '道路建设', '新建道路10公里。', '市住建局', '市财政局', '建成11公里。', '征地较慢。'],
        ],
      ),
    );
    expect(units(read)).toEqual([['3', '市住建局', '市财政局']]);
    const item = read.table.chapters[0]!.tasks[0]!.items[0]!;
    expect([item.completion, item.problems]).toEqual(['建成11公里。', '征地较慢。']);
    expect(read.table.columns).toMatchObject({ lead: '牵头', cooperating: '配合', completion: '进展', problems: '问题' });
  });

  it('writes the period of a group heading into the progress heading, so that the period is still found', () => {
    const read = interpretGrid(
      grid(
        ['2031年一季度重点工作推进情况表'],
        [
          ['序号', '名称', '工作任务', '责任单位', '', '2031年一季度', '', ''],
          ['', '', '', '牵头单位', '配合单位', '完成情况', '', '下步打算'],
          ['', '', '', '', '', '进展情况', '存在问题', ''],
          ['一、生态环境'],
          ['1', '大气治理', 'PM2.5浓度降至28微克。', '市生态环境局', '市公安局', 'PM2.5浓度30微克。', '扬尘管控不到位。', '开展专项整治。'],
        ],
      ),
    );
    expect(read.rows.map((row) => row.kind)).toEqual(['header', 'header', 'header', 'chapter', 'task']);
    expect(read.table.columns).toMatchObject({ completion: '2031年一季度进展情况', problems: '存在问题', nextSteps: '下步打算' });
    expect(periodFromHeading(read.table.columns.completion, 2031)?.code).toBe('2031-Q1');
    expect(read.columns.find((column) => column.meaning === 'completion')?.heading).toBe('2031年一季度／完成情况／进展情况');
    expect(read.columns.find((column) => column.meaning === 'nextSteps')?.heading).toBe('2031年一季度／下步打算');
  });

  it('does not take the first data row or a chapter row for a second header row', () => {
    const header = ['序号', '名称', '工作任务', '牵头单位', '配合单位', '进展情况'];
    const chapterFirst = interpretGrid(grid([], [header, ['一、进展情况'], ['1', '增长', '增长6%。', '市发展改革委', '', '增长6.1%。']]));
    expect(chapterFirst.rows.map((row) => row.kind)).toEqual(['header', 'chapter', 'task']);
    const dataFirst = interpretGrid(
      grid([], [header, ['', '', '', '牵头单位', '', ''], ['一、经济'], ['1', '增长', '增长6%。', '市发展改革委', '', '增长6.1%。']]),
    );
    // a row of headings only is a header row; a row with a task's texts never is
    expect(dataFirst.rows.map((row) => row.kind)).toEqual(['header', 'header', 'chapter', 'task']);
    const title = interpretGrid(
      grid([], [['2031年度完成情况汇总表'], header, ['一、经济'], ['1', '增长', '增长6%。', '市发展改革委', '', '增长6.1%。']]),
    );
    expect(title.table.title).toBe('2031年度完成情况汇总表');
    expect(title.rows.map((row) => row.kind)).toEqual(['header', 'chapter', 'task']);
  });

  it('skips the two-row header repeated in a continuation table, and its signature covers both rows', () => {
    const top = ['序号', '名称', '工作任务', '责任单位', '', '全年完成情况'];
    const sub = ['', '', '', '牵头单位', '配合单位', ''];
    const read = interpretGrid(
      grid(
        [],
        [
          top,
          sub,
          ['一、城市建设'],
          ['3', '道路建设', '新建道路10公里。', '市住建局', '', '建成。'],
          top,
          sub,
          ['', '', '改造桥梁2座。', '市住建局', '市水务局', '完成。'],
        ],
      ),
    );
    expect(read.rows.map((row) => row.kind)).toEqual(['header', 'header', 'chapter', 'task', 'ignored', 'ignored', 'item']);
    expect(read.table.chapters[0]!.tasks[0]!.items).toHaveLength(2);
    expect(read.headerSignature).not.toBe(
      interpretGrid(grid([], [top, ['一、城市建设'], ['3', '道路', '建设。', '市住建局', '', '']])).headerSignature,
    );
    expect(read.warnings).toEqual([]);
  });

  it('keeps a person’s reading of a column by its grid position under a two-row header', () => {
    const read = interpretGrid(
      grid(
        [],
        [
          ['序号', '名称', '工作任务', '责任单位', '', '完成情况'],
          ['', '', '', '牵头单位', '协作单位', ''],
          ['一、经济'],
          ['1', '增长', '增长6%。', '市发展改革委', '市统计局', '增长6.1%。'],
        ],
      ),
      { columns: { 4: 'cooperating' } },
    );
    expect(units(read)).toEqual([['1', '市发展改革委', '市统计局']]);
    expect(read.columns.find((column) => column.position === 4)).toEqual({
      position: 4,
      heading: '责任单位／协作单位',
      meaning: 'cooperating',
      source: 'chosen',
    });
  });
});

describe('nothing lost without a word', () => {
  it('warns about a cell in a column without a heading, beyond the header, and about unused text above the table', () => {
    const read = interpretGrid(
      grid(
        ['2031年度汇总表', '填报单位：市发展改革委', '（此表请于1月10日前报送）'],
        [HEADER, ['一、经济'], ['1', '增长', '增长6%。', '市发展改革委', '', '增长6.1%。', '已核实']],
      ),
    );
    expect(read.warnings).toEqual([
      { line: 3, message: '表格上方的文字“（此表请于1月10日前报送）”不是标题、填报单位或填报时间，未导入。' },
      { line: 6, column: '第7列', message: '第6行第7列没有表头，其内容“已核实”未导入。' },
    ]);
  });
});

describe('a note typed under the table', () => {
  it('is no task with an odd 序号, but a row ignored with a warning that quotes it', () => {
    const read = interpretGrid(
      grid([], [HEADER, ['一、经济'], ['1', '增长', '增长6%。', '市发展改革委', '', '增长6.1%。'], ['注：本表数据截至2031年3月31日。']]),
    );
    expect(read.table.chapters[0]!.tasks.map((task) => task.number)).toEqual(['1']);
    expect(read.rows.at(-1)).toEqual({ line: 4, kind: 'ignored' });
    expect(read.warnings).toEqual([{ line: 4, message: '表格中的整行文字“注：本表数据截至2031年3月31日。”不是章节或任务，已忽略。' }]);
  });
});

describe('a multi-row header copied out of Word as text', () => {
  it('spreads a group written once over the sub-headings under it, in two and three rows', () => {
    const two = interpretGrid(
      grid(
        [],
        [
          ['序号', '名称', '工作任务', '责任单位', '全年完成情况'],
          ['', '', '', '牵头单位', '配合单位', ''],
          ['一、城市建设'],
          ['3', '道路建设', '新建道路10公里。', '市住建局', '市财政局', '建成11公里。'],
        ],
      ),
    );
    expect(two.columns.map((column) => [column.position, column.heading, column.meaning])).toEqual([
      [0, '序号', 'number'],
      [1, '名称', 'name'],
      [2, '工作任务', 'work'],
      [3, '责任单位／牵头单位', 'lead'],
      [4, '责任单位／配合单位', 'cooperating'],
      [5, '全年完成情况', 'completion'],
    ]);
    const three = interpretGrid(
      grid(
        [],
        [
          ['序号', '名称', '工作任务', '责任单位', '一季度'],
          ['', '', '', '牵头单位', '配合单位', '完成情况', '下步打算'],
          ['', '', '', '', '', '进展情况', '存在问题', ''],
          ['一、城市建设'],
          ['3', '道路建设', '新建道路10公里。', '市住建局', '市财政局', '建成3公里。', '拆迁慢。', '加快拆迁。'],
        ],
      ),
    );
    expect(three.table.columns).toMatchObject({
      lead: '牵头单位',
      cooperating: '配合单位',
      completion: '一季度进展情况',
      problems: '存在问题',
      nextSteps: '下步打算',
    });
    expect(three.table.chapters[0]!.tasks[0]!.items[0]).toMatchObject({
      completion: '建成3公里。',
      problems: '拆迁慢。',
      nextSteps: '加快拆迁。',
    });
    expect(three.warnings).toEqual([]);
  });
});

describe('a table read from a multi-row header, written back', () => {
  it('prints one header row that reads back as the same columns, the period kept in the progress heading', async () => {
    const { readSummaryDocument, writeSummaryDocument } = await import('./index.js');
    const read = interpretGrid(
      grid(
        ['江南市2031年重点工作任务推进情况表', '填报单位：市生态环境局'],
        [
          ['序号', '名称', '工作任务', '责任单位', '', '2031年一季度', '', ''],
          ['', '', '', '牵头单位', '配合单位', '完成情况', '', '下步打算'],
          ['', '', '', '', '', '进展情况', '存在问题', ''],
          ['一、生态环境'],
          [
            '21',
            '大气污染防治',
            'PM2.5浓度控制在28微克/立方米以内。',
            '市生态环境局',
            '市公安局、市住建局',
            '一季度31微克/立方米。',
            '扬尘管控压力大。',
            '开展扬尘专项执法。',
          ],
          ['', '', '国控断面水质优良比例达到90%以上。', '市生态环境局、市水利局', '各区人民政府', '一季度91.7%。', '', ''],
        ],
      ),
    );
    for (const format of ['docx', 'xlsx', 'csv', 'json'] as const) {
      const back = await readSummaryDocument(await writeSummaryDocument(read.table, format, { date: '2031年4月8日' }), `back.${format}`);
      expect(back.warnings, format).toEqual([]);
      expect(back.table, format).toEqual(format === 'csv' ? { ...read.table, title: '', organisation: '' } : read.table);
      expect(periodFromHeading(back.table.columns.completion, 2031)?.code, format).toBe('2031-Q1');
    }
  });
});

describe('a filing row whose labels and values stand in cells of their own', () => {
  it('is read as one line when that says more than its cells one by one', () => {
    const cells = ['填报单位（盖章）：', '市文化广电旅游局', '', '', '', '填报时间：', '2031年7月5日'];
    expect(readFilingLine(filingRowText(cells)!)).toEqual({ organisation: '市文化广电旅游局', date: '2031-07-05' });
    // a row whose cells are complete filing lines already, or a title, is read cell by cell
    expect(filingRowText(['填报单位：市水务局', '', '填报日期：2031-4-8'])).toBeUndefined();
    expect(filingRowText(['2031年重点工作进展情况汇总表'])).toBeUndefined();
  });

  it('gives the unit and the date to the table', () => {
    const read = interpretGrid(
      grid(
        [],
        [
          ['2031年上半年重点工作进展情况汇总表'],
          ['填报单位（盖章）：', '市文化广电旅游局', '', '填报时间：', '2031年7月5日'],
          HEADER,
          ['一、文化'],
          ['3', '文化节', '办好文化节。', '市文化广电旅游局', '', '已举办。'],
        ],
      ),
    );
    expect(read.filing).toEqual({ organisation: '市文化广电旅游局', date: '2031-07-05' });
    expect(read.table.organisation).toBe('市文化广电旅游局');
    expect(read.warnings).toEqual([]);
  });
});

describe('a row numbering the columns under the header', () => {
  it('is no task: 1 2 3 … in any of the ways forms write it', () => {
    expect(isColumnNumberRow(['1', '2', '3', '4', '5', '6'])).toBe(true);
    expect(isColumnNumberRow(['１', '２', '３', '４'])).toBe(true);
    expect(isColumnNumberRow(['（1）', '（2）', '（3）'])).toBe(true);
    expect(isColumnNumberRow(['1列', '2列', '3列'])).toBe(true);
    // a task's row, or numbers that do not count from 1, are content
    expect(isColumnNumberRow(['1', '增长', '增长6%。'])).toBe(false);
    expect(isColumnNumberRow(['2', '3', '4'])).toBe(false);
    expect(isColumnNumberRow(['1', '2'])).toBe(false);
  });

  it('is skipped under the header, without a warning, and the first task follows', () => {
    const read = interpretGrid(
      grid(
        ['2025年度汇总表', '市水务局'],
        [HEADER, ['1', '2', '3', '4', '5', '6'], ['一、水利'], ['2', '河湖治理', '整治河道5条。', '市水务局', '', '完成2条。']],
      ),
    );
    expect(read.warnings).toEqual([]);
    expect(read.table.chapters.map((chapter) => chapter.tasks.map((task) => task.number))).toEqual([['2']]);
    expect(read.rows.map((row) => row.kind)).toEqual(['header', 'ignored', 'chapter', 'task']);
  });
});
