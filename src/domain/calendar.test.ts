import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  DEFAULT_DUE_RULES,
  dueDate,
  dueRuleProblem,
  isIsoDate,
  isWorkingDay,
  onOrNextWorkingDay,
  type WorkCalendar,
} from './calendar.js';
import { periodSpec } from './periods.js';

/** Part of the 2024 holiday notice: 国庆 1–7 October off, Sunday 29 September and Saturday 12 October worked. */
const CALENDAR_2024: WorkCalendar = {
  holidays: new Set(['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-05', '2024-10-06', '2024-10-07']),
  workdays: new Set(['2024-09-29', '2024-10-12']),
};

describe('the working calendar', () => {
  it('knows weekends, holidays and worked weekend days', () => {
    expect(isWorkingDay('2024-10-08', CALENDAR_2024)).toBe(true); // Tuesday
    expect(isWorkingDay('2024-10-01', CALENDAR_2024)).toBe(false); // National Day
    expect(isWorkingDay('2024-10-12', CALENDAR_2024)).toBe(true); // a worked Saturday
    expect(isWorkingDay('2024-10-13', CALENDAR_2024)).toBe(false); // Sunday
    expect(onOrNextWorkingDay('2024-10-01', CALENDAR_2024)).toBe('2024-10-08');
  });

  it('does date arithmetic across months and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(daysBetween('2024-10-01', '2024-10-08')).toBe(7);
    expect(daysBetween('2024-10-08', '2024-10-01')).toBe(-7);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
  });

  it('puts each period’s due date where the rule says, moved off days off', () => {
    // Q3 ends 30 September; the 20th of October 2024 is a Sunday, so the report is due Monday the 21st
    expect(dueDate(periodSpec(2024, 'quarter', 3), DEFAULT_DUE_RULES.quarter, CALENDAR_2024)).toBe('2024-10-21');
    // September's report is due the 10th of October, a Thursday
    expect(dueDate(periodSpec(2024, 'month', 9), DEFAULT_DUE_RULES.month, CALENDAR_2024)).toBe('2024-10-10');
    expect(dueDate(periodSpec(2024, 'month', 9), { kind: 'day_of_next_month', day: 5 }, CALENDAR_2024)).toBe('2024-10-08');
    expect(dueDate(periodSpec(2024, 'month', 9), { kind: 'day_of_next_month', day: 5, moveOffWorkingDays: false }, CALENDAR_2024)).toBe(
      '2024-10-05',
    );
    // five working days after 30 September: 29 Sept doesn't count, the holiday week doesn't, 8–11 and Saturday 12th do
    expect(dueDate(periodSpec(2024, 'month', 9), { kind: 'working_days_after_end', days: 5 }, CALENDAR_2024)).toBe('2024-10-12');
    // the year-end report is due in January of the next year
    expect(dueDate(periodSpec(2024, 'year'), DEFAULT_DUE_RULES.year, CALENDAR_2024)).toBe('2025-01-15');
  });

  it('refuses rules that cannot be kept every month', () => {
    expect(dueRuleProblem({ kind: 'day_of_next_month', day: 31 })).toMatch(/28/);
    expect(dueRuleProblem({ kind: 'working_days_after_end', days: 0 })).toBeDefined();
    expect(dueRuleProblem({ kind: 'day_of_next_month', day: 10 })).toBeUndefined();
  });
});
