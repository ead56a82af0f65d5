import { describe, expect, it } from 'vitest';
import { unaccountedCells, unaccountedLines } from './accounting.js';
import { interpretDecomposition } from './decomposition.js';
import { interpretGrid, type TableGrid } from './grid.js';

const grid = (preamble: string[], rows: string[][]): TableGrid => ({
  preamble: preamble.map((text, index) => ({ text, line: index + 1 })),
  rows: rows.map((cells, index) => ({ cells, line: preamble.length + index + 1 })),
});

const HEADER = ['序号', '名称', '工作任务', '牵头单位', '主要配合单位', '全年完成情况'];

describe('unaccountedCells', () => {
  const source = grid(
    ['2031年度重点工作完成情况汇总表', '填报单位：市水务局', '（请于1月10日前报送）'],
    [
      ['序号', '名称', '工作任务', '牵头单位', '责任单位', '', '全年完成情况'],
      ['', '', '', '', '配合单位', '', ''],
      ['一、水利'],
      ['1', '河湖治理', '整治河道5条。', '市水务局', '各区人民政府', '已核', '完成6条。'],
      ['一、水利'],
    ],
  );

  it('finds nothing unaccounted in what the reader returns: every text is read or warned about', () => {
    const read = interpretGrid(source);
    expect(read.warnings.map((warning) => warning.message)).toEqual([
      '表格上方的文字“（请于1月10日前报送）”不是标题、填报单位或填报时间，未导入。',
      '第7行第6列没有表头，其内容“已核”未导入。',
    ]);
    expect(unaccountedCells(source, read)).toEqual([]);
  });

  it('recomputes rather than trusts: without the warnings, the note above and the cell without heading are unaccounted', () => {
    const read = interpretGrid(source);
    expect(unaccountedCells(source, { ...read, warnings: [] })).toEqual([
      { line: 3, position: -1, text: '（请于1月10日前报送）' },
      { line: 7, position: 5, text: '已核' },
    ]);
  });

  it('counts a cell lost when its column’s reading is gone, or its row became nothing', () => {
    const read = interpretGrid(source);
    const withoutWork = { ...read, columns: read.columns.filter((column) => column.meaning !== 'work') };
    expect(unaccountedCells(source, withoutWork)).toEqual([
      { line: 4, position: 2, text: '工作任务' },
      { line: 7, position: 2, text: '整治河道5条。' },
    ]);
    const withoutRow = { ...read, rows: read.rows.filter((row) => row.line !== 7) };
    expect(unaccountedCells(source, withoutRow).map((cell) => cell.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('unaccountedLines', () => {
  const lines = [
    '江南市2031年重点工作任务分解方案',
    '为确保年度目标任务落到实处，现将重点工作分解如下：',
    '一、水利建设',
    '（一）河湖治理',
    '1.整治河道5条，',
    '建成生态缓冲带10公里。',
    '（牵头单位：市水务局；配合单位：各区人民政府）',
  ].map((text, index) => ({ text, line: index + 1 }));

  it('accounts for the title, the chapter, the section in the task name, a continued paragraph and a responsibility line', () => {
    const read = interpretDecomposition(lines);
    expect(read.warnings).toEqual([
      { line: 2, message: '标题之外的文字“为确保年度目标任务落到实处，现将重点工作分解如下：”不是章节或任务，未导入。' },
    ]);
    expect(unaccountedLines(lines, read)).toEqual([]);
    expect(unaccountedLines(lines, { ...read, warnings: [] })).toEqual([
      { line: 2, position: -1, text: '为确保年度目标任务落到实处，现将重点工作分解如下：' },
    ]);
  });
});
