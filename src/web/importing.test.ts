import { describe, expect, test } from 'vitest';
import {
  changeList,
  changesWithMappings,
  checkImportFile,
  COLUMN_MEANING_OPTIONS,
  columnChoiceOf,
  issuesOf,
  mappingsOf,
  missingField,
  periodInYear,
  periodOptions,
  rowMarks,
  whereLabel,
  withColumnMeaning,
} from './importing.js';
import type { ImportColumn as ImportColumnReading, ImportOrganisation, ImportRow } from '../contract/imports.js';

const rows: ImportRow[] = [
  { line: 1, kind: 'header' },
  { line: 2, kind: 'chapter', chapter: 0 },
  { line: 3, kind: 'task', chapter: 0, task: 0, item: 0 },
  { line: 4, kind: 'item', chapter: 0, task: 0, item: 1 },
  { line: 5, kind: 'task', chapter: 0, task: 1, item: 0 },
  { line: 2, location: '表 2 第 2 行', kind: 'item', chapter: 1, task: 0, item: 2 },
];

const newUnit: ImportOrganisation = {
  name: '发展改革委',
  written: ['发展改革委', '发改委'],
  status: 'new',
  organisationId: null,
  kind: 'city_department',
  kindLabel: '市级部门',
  suggestions: [{ id: 2, name: '市发改委', kindLabel: '市级部门' }],
};
const knownUnit: ImportOrganisation = {
  ...newUnit,
  name: '市水务局',
  written: ['市水务局'],
  status: 'known',
  organisationId: 12,
  suggestions: [],
};
const changes = { plans: 1, organisations: 1, aliases: 0, chapters: 1, tasks: 2, items: 3, reports: 3, revisedReports: 0 };

describe('import page helpers', () => {
  test('files are checked for type, size and emptiness before upload', () => {
    expect(checkImportFile({ name: '表.DOCX', size: 10 })).toBeUndefined();
    expect(checkImportFile({ name: '报告.pdf', size: 10 })).toContain('.pdf');
    expect(checkImportFile({ name: 'noextension', size: 10 })).toContain('只能导入');
    expect(checkImportFile({ name: '大.xlsx', size: 25 * 1024 * 1024 })).toContain('超过 20 MB');
    expect(checkImportFile({ name: '空.csv', size: 0 })).toContain('空文件');
  });

  test('warnings and conflicts attach to the preview rows by line and location', () => {
    const issues = issuesOf({
      rows,
      warnings: [
        { line: 5, column: 'lead', message: '缺少牵头单位。' },
        { line: 1, message: '按“全年”处理。' },
        { line: 2, location: '表 2 第 2 行', column: '备注', message: '多余的列。' },
      ],
      conflicts: [{ line: 4, message: '相近但文字不同。' }],
    });
    expect(issues.map((issue) => [issue.where, issue.column, issue.rowKey])).toEqual([
      ['第 5 行', '牵头单位', 'i0/1/0'],
      ['第 1 行', undefined, undefined],
      ['表 2 第 2 行', '备注', 'i1/0/2'],
      ['第 4 行', undefined, 'i0/0/1'],
    ]);
    expect(rowMarks(issues).get('i0/1/0')?.messages).toEqual(['牵头单位：缺少牵头单位。']);
    expect(rowMarks(issues).get('i0/0/1')?.messages).toEqual(['冲突：相近但文字不同。']);
    expect(whereLabel({ line: 7 })).toBe('第 7 行');
  });

  test('mappings: every new unit is sent, created unless mapped; mapped units become aliases, not new units', () => {
    expect(mappingsOf([newUnit, knownUnit], {})).toEqual({ 发展改革委: { create: true } });
    expect(mappingsOf([newUnit, knownUnit], { 发展改革委: 2 })).toEqual({ 发展改革委: { organisationId: 2 } });
    const adjusted = changesWithMappings(changes, [newUnit, knownUnit], { 发展改革委: 2 });
    expect(adjusted).toMatchObject({ organisations: 0, aliases: 2 });
    expect(changesWithMappings(changes, [newUnit], { 发展改革委: 'create' })).toEqual(changes);
    expect(changeList(adjusted).map((change) => change.label)).toEqual([
      '新增计划',
      '新增别名',
      '新增章节',
      '新增任务',
      '新增事项',
      '新增报告',
    ]);
    expect(changeList({ ...changes, plans: 0, organisations: 0, chapters: 0, tasks: 0, items: 0, reports: 0 })).toEqual([]);
  });
});

describe('the reading of the columns and the period', () => {
  const readings: ImportColumnReading[] = [
    { position: 0, heading: '序号', meaning: 'number', source: 'heading' },
    { position: 1, heading: '重点工作', meaning: 'name', source: 'heading' },
    { position: 3, heading: '责任单位', meaning: 'lead', source: 'heading' },
    { position: 4, heading: '协同推进单位', meaning: 'cooperating', source: 'chosen' },
    { position: 6, heading: '备注', meaning: 'extra', source: 'heading' },
  ];

  test('every meaning a person may choose has its Chinese label, in the order of the list', () => {
    expect(COLUMN_MEANING_OPTIONS.map((option) => option.label)).toEqual([
      '序号',
      '名称',
      '工作任务',
      '牵头单位',
      '主要配合单位',
      '责任单位（首个为牵头）',
      '完成情况/进展',
      '存在问题',
      '下步打算',
      '完成时限',
      '责任领导',
      '完成状态',
      '保留为其他列',
      '不导入',
    ]);
  });

  test('a change keeps the columns already chosen (or remembered) and adds the new one', () => {
    expect(columnChoiceOf(readings)).toEqual({ 4: 'cooperating' });
    expect(columnChoiceOf(undefined)).toEqual({});
    expect(withColumnMeaning(readings, 6, 'ignore')).toEqual({ 4: 'cooperating', 6: 'ignore' });
    expect(withColumnMeaning(readings, 4, 'extra')).toEqual({ 4: 'extra' });
  });

  test('the periods of the year, coded as the server codes them', () => {
    const options = periodOptions(2031);
    expect(options).toHaveLength(19);
    expect(options.slice(0, 7)).toEqual([
      { value: '2031-Y', label: '全年' },
      { value: '2031-H1', label: '上半年' },
      { value: '2031-H2', label: '下半年' },
      { value: '2031-Q1', label: '一季度' },
      { value: '2031-Q2', label: '二季度' },
      { value: '2031-Q3', label: '三季度' },
      { value: '2031-Q4', label: '四季度' },
    ]);
    expect(options.at(-1)).toEqual({ value: '2031-M12', label: '12月' });
    expect(periodInYear('2031-Q1', 2030)).toBe('2030-Q1');
    expect(periodInYear('2031-M09', 2032)).toBe('2032-M09');
    expect(periodInYear(undefined, 2030)).toBeUndefined();
    expect(periodInYear('上半年', 2030)).toBeUndefined();
  });

  test('a preview refused for want of the year or the unit asks for that value', () => {
    expect(missingField('year_missing')).toBe('year');
    expect(missingField('organisation_missing')).toBe('organisation');
    expect(missingField('table_empty')).toBeUndefined();
    expect(missingField(undefined)).toBeUndefined();
  });
});
