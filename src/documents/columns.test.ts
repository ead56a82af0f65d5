import { describe, expect, it } from 'vitest';
import { headingMeaning, printedColumns } from './columns.js';
import type { SummaryTable } from '../domain/summary-table.js';

describe('headingMeaning', () => {
  const cases: [string, ReturnType<typeof headingMeaning>][] = [
    ['重点工作', 'name'],
    ['工作名称', 'name'],
    ['项目名称', 'name'],
    ['重点任务', 'name'],
    ['目标任务', 'work'],
    ['工作内容', 'work'],
    ['年度目标', 'work'],
    ['一季度进展情况', 'completion'],
    ['1-3月进展', 'completion'],
    ['1—6月完成情况', 'completion'],
    ['截至6月底进展', 'completion'],
    ['截至 9 月底进展', 'completion'],
    ['全年完成情况', 'completion'],
    ['存在问题', 'problems'],
    ['存在的主要问题', 'problems'],
    ['存在问题和困难', 'problems'],
    ['下步打算', 'nextSteps'],
    ['下一步打算', 'nextSteps'],
    ['下一步工作计划', 'nextSteps'],
    ['下步工作措施', 'nextSteps'],
    ['责任领导', 'leader'],
    ['完成时限', 'deadline'],
    ['进展状态', 'status'],
    ['备注', undefined],
    ['预警', undefined],
  ];
  for (const [heading, meaning] of cases)
    it(`${heading} → ${meaning ?? '(kept as an extra column)'}`, () => expect(headingMeaning(heading)).toBe(meaning));
});

describe('printedColumns', () => {
  it('prints 存在问题 and 下步打算 after the completion text when the table has them', () => {
    const table: SummaryTable = {
      title: '',
      organisation: '',
      columns: {
        number: '序号',
        name: '名称',
        work: '工作任务',
        lead: '牵头单位',
        cooperating: '主要配合单位',
        completion: '一季度进展情况',
        problems: '存在问题',
        nextSteps: '下步打算',
        extra: ['备注'],
      },
      chapters: [],
    };
    const item = { work: 'w', lead: 'l', cooperating: '', completion: 'c', problems: '问题一', nextSteps: '打算一', extra: { 备注: 'x' } };
    expect(printedColumns(table).map((column) => [column.heading, column.text(item)])).toEqual([
      ['序号', ''],
      ['名称', ''],
      ['工作任务', 'w'],
      ['牵头单位', 'l'],
      ['主要配合单位', ''],
      ['一季度进展情况', 'c'],
      ['存在问题', '问题一'],
      ['下步打算', '打算一'],
      ['备注', 'x'],
    ]);
  });
});
