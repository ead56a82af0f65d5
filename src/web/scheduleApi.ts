/**
 * The reporting calendar of a plan (报送安排), the city's working calendar (工作日历) and the assignments of an item
 * (分工与签收): one function per endpoint (shapes from src/contract/schedule.ts and reports.ts), and the date arithmetic the pages need to show a due
 * date with its weekday and to tell a date set by hand from one the rule gives.
 */
import type { AnswerBody, Assignment, AssignmentsResponse } from '../contract/reports.js';
import type { CalendarDay, CalendarResponse, DueRule, PeriodBody, PeriodKind, Schedule, ScheduleBody } from '../contract/schedule.js';
import { requestJson } from './api.js';

export const scheduleApi = {
  get: (planId: number, signal?: AbortSignal) => requestJson<Schedule>(`/api/plans/${planId}/schedule`, { signal }),
  set: (planId: number, kinds: ScheduleBody['kinds']) =>
    requestJson<Schedule>(`/api/plans/${planId}/schedule`, { method: 'PUT', body: { kinds } }),
  updatePeriod: (planId: number, code: string, changes: PeriodBody) =>
    requestJson<Schedule>(`/api/plans/${planId}/periods/${encodeURIComponent(code)}`, { method: 'PATCH', body: changes }),
  calendar: (year: number, signal?: AbortSignal) => requestJson<CalendarResponse>(`/api/calendar/${year}`, { signal }),
  setCalendar: (year: number, days: CalendarDay[]) =>
    requestJson<CalendarResponse>(`/api/calendar/${year}`, { method: 'PUT', body: { days } }),
};

export const assignmentsApi = {
  list: (itemId: number, signal?: AbortSignal) => requestJson<AssignmentsResponse>(`/api/items/${itemId}/assignments`, { signal }),
  /** the signed-in unit's answer for its own part: 签收, or 退回 with a reason */
  answer: (itemId: number, answer: AnswerBody['answer'], reason?: string) =>
    requestJson<AssignmentsResponse>(`/api/items/${itemId}/assignment`, { method: 'POST', body: reason ? { answer, reason } : { answer } }),
  reassign: (itemId: number, lead: number[], cooperating: number[]) =>
    requestJson<AssignmentsResponse>(`/api/items/${itemId}/assignments`, { method: 'PUT', body: { lead, cooperating } }),
};

/** The query keys, so that a page that changes a schedule or the calendar refreshes the others that show them. */
export const scheduleKey = (planId: number) => ['schedule', planId] as const;
export const calendarKey = (year: number) => ['calendar', year] as const;
export const assignmentsKey = (itemId: number) => ['assignments', itemId] as const;

/** The web page of one unit's report on an item for a period (the report editor). */
export function reportPath(itemId: number, organisationId: number, periodCode: string): string {
  return `/items/${itemId}/reports/${organisationId}/${periodCode}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Labels

export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'half', 'year'];

export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = { month: '月报', quarter: '季报', half: '半年报', year: '年报' };

export const PERIOD_KIND_HELP: Record<PeriodKind, string> = {
  month: '每月一期，共 12 期',
  quarter: '每季度一期，共 4 期',
  half: '上半年、下半年各一期',
  year: '全年一期',
};

/** The rules the server applies to a kind when none is given (src/domain/calendar.ts). */
export const DEFAULT_DUE_RULES: Record<PeriodKind, DueRule> = {
  month: { kind: 'day_of_next_month', day: 10 },
  quarter: { kind: 'day_of_next_month', day: 20 },
  half: { kind: 'day_of_next_month', day: 20 },
  year: { kind: 'day_of_next_month', day: 15 },
};

export function describeDueRule(rule: DueRule): string {
  return rule.kind === 'day_of_next_month'
    ? `次月 ${rule.day} 日${rule.moveOffWorkingDays === false ? '' : '（遇节假日顺延）'}`
    : `期末后第 ${rule.days} 个工作日`;
}

export const ASSIGNMENT_ROLE_LABELS: Record<Assignment['role'], string> = { lead: '牵头', cooperating: '配合' };

export const ASSIGNMENT_STATE_COLORS: Record<string, string> = { assigned: 'orange', acknowledged: 'green', returned: 'red' };

// ---------------------------------------------------------------------------------------------------------------
// Dates: ISO strings (YYYY-MM-DD) of China's calendar; the arithmetic is done in UTC so that the browser's own
// time zone never shifts a day.

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

function parts(date: string): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return [year, month, day];
}

export function isIsoDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = new Date(Date.UTC(year, month - 1, day));
  return value.getUTCFullYear() === year && value.getUTCMonth() === month - 1 && value.getUTCDate() === day;
}

/** 0 for Sunday … 6 for Saturday. */
export function weekdayOf(date: string): number {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** 周三 */
export function weekdayLabel(date: string): string {
  return WEEKDAYS[weekdayOf(date)]!;
}

export function isWeekend(date: string): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The days from one date to another, both included; empty when `to` is before `from`. */
export function daysFromTo(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = from; at <= to && days.length < 400; at = addDays(at, 1)) days.push(at);
  return days;
}

/** Today in Beijing, whatever the clock of the machine says its zone is. */
export function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

/** 2022-04-20 → 2022年4月20日 */
export function chineseDate(date: string): string {
  const [year, month, day] = parts(date);
  return `${year}年${month}月${day}日`;
}

export interface WorkCalendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

export function workCalendarOf(days: readonly CalendarDay[]): WorkCalendar {
  return {
    holidays: new Set(days.filter((day) => day.kind === 'holiday').map((day) => day.day)),
    workdays: new Set(days.filter((day) => day.kind === 'workday').map((day) => day.day)),
  };
}

/**
 * Why a date is no working day, for a warning before a date set by hand is saved: the holiday's name, or the weekday
 * of a weekend day not worked; undefined for a working day. The saved row shows the server's answer.
 */
export function dayOffReason(date: string, days: readonly CalendarDay[]): string | undefined {
  const marked = days.find((day) => day.day === date);
  if (marked?.kind === 'workday') return undefined;
  if (marked?.kind === 'holiday') return marked.name || '节假日';
  return isWeekend(date) ? weekdayLabel(date) : undefined;
}

export function isWorkingDay(date: string, calendar: WorkCalendar): boolean {
  if (calendar.holidays.has(date)) return false;
  if (calendar.workdays.has(date)) return true;
  return !isWeekend(date);
}
