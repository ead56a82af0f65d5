import { describe, expect, it } from 'vitest';
import { parsePeriodCode, periodFromHeading, periodSpec, yearFromText } from './periods.js';

describe('periods', () => {
  it('describes the year-end period', () => {
    expect(periodSpec(2022, 'year')).toMatchObject({
      code: '2022-Y',
      label: '全年',
      startsOn: '2022-01-01',
      endsOn: '2022-12-31',
      expectedProgress: 100,
    });
  });

  it('gives expected progress by elapsed months', () => {
    expect(periodSpec(2022, 'month', 11).expectedProgress).toBe(91.7);
    expect(periodSpec(2022, 'half', 1)).toMatchObject({ code: '2022-H1', label: '上半年', endsOn: '2022-06-30', expectedProgress: 50 });
    expect(periodSpec(2024, 'month', 2).endsOn).toBe('2024-02-29');
  });

  it('round-trips codes', () => {
    for (const code of ['2022-Y', '2022-H2', '2022-Q3', '2022-M05', '2022-M12']) expect(parsePeriodCode(code)?.code).toBe(code);
    expect(parsePeriodCode('2022-M13')).toBeUndefined();
    expect(parsePeriodCode('2022')).toBeUndefined();
  });

  it.each([
    ['全年完成情况', '2022-Y'],
    ['上半年进展情况', '2022-H1'],
    ['1-6月工作进展', '2022-H1'],
    ['三季度落实情况', '2022-Q3'],
    ['1-9月完成情况', '2022-Q3'],
    ['截至3月底进展', '2022-Q1'],
    ['截至6月底工作进展', '2022-H1'],
    ['截止5月末进展', '2022-M05'],
    ['10月份进展情况', '2022-M10'],
    ['十一月进展', '2022-M11'],
  ])('reads the period of %s', (heading, code) => {
    expect(periodFromHeading(heading, 2022)?.code).toBe(code);
  });

  it('finds no period in a plain heading', () => {
    expect(periodFromHeading('进展情况', 2022)).toBeUndefined();
  });

  it('reads the year of a title', () => {
    expect(yearFromText('2022年度市政府工作任务完成情况汇总表')).toBe(2022);
    expect(yearFromText('市政府工作任务')).toBeUndefined();
  });
});
