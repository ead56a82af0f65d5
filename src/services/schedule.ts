import type { CalendarDay, PeriodPhase, Schedule } from '../contract/schedule.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import { insertPeriod } from '../db/repositories/catalogue.js';
import { findPeriodByCode, listPeriods } from '../db/repositories/plans.js';
import {
  countReportsByPeriod,
  deleteUnusedPeriods,
  listCalendarDays as listStoredCalendarDays,
  listPlanIdsOfYears,
  listScheduleRules,
  replaceCalendarYear,
  replaceScheduleRules,
  updatePeriodSchedule,
} from '../db/repositories/schedule.js';
import type { Executor } from '../db/schema.js';
import {
  DEFAULT_DUE_RULES,
  describeDueRule,
  dueDate,
  dueRuleProblem,
  isIsoDate,
  isWorkingDay,
  type DueRule,
  type WorkCalendar,
} from '../domain/calendar.js';
import { badInput, notFound } from '../domain/errors.js';
import { periodSpec, type PeriodKind } from '../domain/periods.js';
import { requirePlan } from './catalogue.js';
import type { Actor, ServiceContext } from './context.js';
import type { ReadScope } from './policy.js';
import { shanghaiDate } from './reporting.js';

/**
 * The reporting calendar of a plan: which kinds of period it reports in (any mix of monthly, quarterly, half-year
 * and year-end), when each falls due, and the expected progress (序时进度) at its end; and the city's working
 * calendar of holidays and worked weekend days that due dates move around.
 */

const KIND_ORDER: PeriodKind[] = ['month', 'quarter', 'half', 'year'];
const KIND_COUNT: Record<PeriodKind, number> = { month: 12, quarter: 4, half: 2, year: 1 };
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = { month: '月报', quarter: '季报', half: '半年报', year: '年报' };

async function allCalendarDays(db: Executor): Promise<CalendarDay[]> {
  return listStoredCalendarDays(db);
}

function workCalendarOf(days: readonly CalendarDay[]): WorkCalendar {
  return {
    holidays: new Set(days.filter((day) => day.kind === 'holiday').map((day) => day.day)),
    workdays: new Set(days.filter((day) => day.kind === 'workday').map((day) => day.day)),
  };
}

/** The working calendar (holidays and worked weekend days) that due dates are counted in. */
export async function loadWorkCalendar(db: Executor): Promise<WorkCalendar> {
  return workCalendarOf(await allCalendarDays(db));
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/**
 * Why a date is no working day: the holiday's name (国庆节), or the weekday of a weekend day that is not worked;
 * undefined for a working day. A date set by hand is not moved, so the office is told instead.
 */
export function dayOffReason(date: string, calendar: WorkCalendar, holidayNames: ReadonlyMap<string, string>): string | undefined {
  if (isWorkingDay(date, calendar)) return undefined;
  if (calendar.holidays.has(date)) return holidayNames.get(date) || '节假日';
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
}

export const PERIOD_PHASE_LABELS: Record<PeriodPhase, string> = {
  not_started: '未开始',
  open: '进行中',
  no_due_date: '截止日期未定',
  reporting: '报送中',
  closed: '已截止',
};

/** Where a period stands today. Without a due date nothing has closed: the period waits for one. */
export function periodPhase(period: { startsOn: string; endsOn: string; dueOn: string | null }, today: string): PeriodPhase {
  if (today < period.startsOn) return 'not_started';
  if (today <= period.endsOn) return 'open';
  if (!period.dueOn) return 'no_due_date';
  return today <= period.dueOn ? 'reporting' : 'closed';
}

/** A year's holidays and worked weekend days, in date order. */
export async function listCalendarDays(ctx: ServiceContext, year: number): Promise<CalendarDay[]> {
  return listStoredCalendarDays(ctx.db, year);
}

/** Replaces a year's holidays and worked weekend days, as the year's holiday notice gives them. */
export async function setCalendarDays(ctx: ServiceContext, actor: Actor, year: number, days: CalendarDay[]): Promise<CalendarDay[]> {
  const seen = new Set<string>();
  for (const day of days) {
    if (!isIsoDate(day.day) || !day.day.startsWith(`${year}-`)) throw badInput('invalid_date', `“${day.day}”不是 ${year} 年的有效日期。`);
    if (seen.has(day.day)) throw badInput('duplicate_date', `${day.day} 出现了两次。`);
    seen.add(day.day);
  }
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await listStoredCalendarDays(trx, year);
    await replaceCalendarYear(
      trx,
      year,
      days.map((day) => ({ day: day.day, kind: day.kind, name: day.name.trim() })),
    );
    // due dates computed from the rules move with the calendar
    for (const planId of await listPlanIdsOfYears(trx, [year - 1, year])) await recomputeDueDates(trx, planId);
    await appendAuditEvent(
      trx,
      { actor: actor.id, source: actor.source, action: 'calendar.update', objectType: 'calendar', objectId: year, before, after: days },
      at,
    );
  });
  return listCalendarDays(ctx, year);
}

async function rulesOf(db: Executor, planId: number): Promise<Map<PeriodKind, DueRule>> {
  const rows = await listScheduleRules(db, planId);
  return new Map(rows.map((row) => [row.kind as PeriodKind, JSON.parse(row.due_rule) as DueRule]));
}

/** A plan's reporting schedule: which kinds of period it reports in, each kind's due-date rule and the periods' due dates. */
export async function getSchedule(ctx: ServiceContext, planId: number, scope: ReadScope = null): Promise<Schedule> {
  const plan = await requirePlan(ctx, planId, scope);
  const rules = await rulesOf(ctx.db, planId);
  const periods = await listPeriods(ctx.db, planId);
  const calendarDays = await allCalendarDays(ctx.db);
  const calendar = workCalendarOf(calendarDays);
  const holidayNames = new Map(calendarDays.filter((day) => day.kind === 'holiday').map((day) => [day.day, day.name]));
  const today = shanghaiDate(ctx.now());
  const counts = await countReportsByPeriod(ctx.db, planId);
  return {
    plan: { id: plan.id, year: plan.year, title: plan.title },
    scheduled: rules.size > 0,
    kinds: KIND_ORDER.filter((kind) => rules.has(kind)).map((kind) => ({
      kind,
      label: PERIOD_KIND_LABELS[kind],
      dueRule: rules.get(kind)!,
      description: describeDueRule(rules.get(kind)!),
    })),
    periods: periods.map((period) => {
      const offReason = period.due_on ? dayOffReason(period.due_on, calendar, holidayNames) : undefined;
      const phase = periodPhase({ startsOn: period.starts_on, endsOn: period.ends_on, dueOn: period.due_on }, today);
      return {
        code: period.code,
        kind: period.kind,
        label: period.label,
        startsOn: period.starts_on,
        endsOn: period.ends_on,
        dueOn: period.due_on,
        dueSetByHand: period.due_set_by_hand === 1,
        ruleDueOn: rules.has(period.kind as PeriodKind)
          ? dueDate({ endsOn: period.ends_on }, rules.get(period.kind as PeriodKind)!, calendar)
          : null,
        inSchedule: rules.has(period.kind as PeriodKind),
        dueOnDayOff: offReason !== undefined,
        dueDayOffReason: offReason ?? null,
        phase,
        phaseLabel: PERIOD_PHASE_LABELS[phase],
        expectedProgress: period.expected_progress,
        reports: counts.get(period.id) ?? 0,
      };
    }),
  };
}

/**
 * Sets which kinds of period a plan reports in and their due rules. Periods of a new kind are created for the
 * whole year; a kind dropped loses its periods that have no reports (those with reports stay, their due dates kept).
 */
export async function setSchedule(
  ctx: ServiceContext,
  actor: Actor,
  planId: number,
  kinds: { kind: PeriodKind; dueRule?: DueRule }[],
): Promise<Schedule> {
  const plan = await requirePlan(ctx, planId);
  if (kinds.length === 0) throw badInput('schedule_empty', '至少选择一种报送周期。');
  for (const { dueRule } of kinds) {
    const problem = dueRule && dueRuleProblem(dueRule);
    if (problem) throw badInput('invalid_due_rule', problem);
  }
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = Object.fromEntries(await rulesOf(trx, planId));
    await replaceScheduleRules(
      trx,
      planId,
      kinds.map(({ kind, dueRule }) => ({ kind, dueRule: JSON.stringify(dueRule ?? DEFAULT_DUE_RULES[kind]) })),
    );
    const existing = await listPeriods(trx, planId);
    for (const { kind } of kinds) {
      for (let index = 1; index <= KIND_COUNT[kind]; index++) {
        const spec = periodSpec(plan.year, kind, index);
        if (existing.some((period) => period.code === spec.code)) continue;
        await insertPeriod(trx, {
          plan_id: planId,
          code: spec.code,
          kind,
          label: spec.label,
          starts_on: spec.startsOn,
          ends_on: spec.endsOn,
          due_on: null,
          expected_progress: spec.expectedProgress,
        });
      }
    }
    const wanted = new Set(kinds.map(({ kind }) => kind));
    const dropped = existing.filter((period) => !wanted.has(period.kind as PeriodKind)).map((period) => period.id);
    await deleteUnusedPeriods(trx, dropped);
    await recomputeDueDates(trx, planId);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'plan.schedule',
        objectType: 'plan',
        objectId: planId,
        before,
        after: Object.fromEntries(await rulesOf(trx, planId)),
      },
      at,
    );
  });
  return getSchedule(ctx, planId);
}

/** Due dates of the periods that follow a rule; a period whose date a person set keeps it. */
async function recomputeDueDates(db: Executor, planId: number): Promise<void> {
  const rules = await rulesOf(db, planId);
  if (rules.size === 0) return;
  const calendar = await loadWorkCalendar(db);
  for (const period of await listPeriods(db, planId)) {
    const rule = rules.get(period.kind as PeriodKind);
    if (!rule || period.due_set_by_hand === 1) continue;
    const due = dueDate({ endsOn: period.ends_on }, rule, calendar);
    if (due !== period.due_on) await updatePeriodSchedule(db, period.id, { due_on: due });
  }
}

/** One period's due date or expected progress, set by hand. */
export async function updatePeriod(
  ctx: ServiceContext,
  actor: Actor,
  planId: number,
  code: string,
  changes: { dueOn?: string | null; expectedProgress?: number },
): Promise<Schedule> {
  await requirePlan(ctx, planId);
  if (changes.dueOn && !isIsoDate(changes.dueOn)) throw badInput('invalid_date', `“${changes.dueOn}”不是有效日期。`);
  if (changes.expectedProgress !== undefined && !(changes.expectedProgress >= 0 && changes.expectedProgress <= 100)) {
    throw badInput('invalid_progress', '序时进度须在 0 到 100 之间。');
  }
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const period = await findPeriodByCode(trx, planId, code);
    if (!period) throw notFound('period_not_found', `没有报送周期“${code}”。`);
    const values = {
      due_on: changes.dueOn === undefined ? period.due_on : changes.dueOn,
      // clearing the date hands the period back to the plan's rule
      due_set_by_hand: changes.dueOn === undefined ? period.due_set_by_hand : changes.dueOn === null ? 0 : 1,
      expected_progress: changes.expectedProgress ?? period.expected_progress,
    };
    await updatePeriodSchedule(trx, period.id, values);
    if (values.due_set_by_hand === 0) await recomputeDueDates(trx, planId);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'period.update',
        objectType: 'period',
        objectId: period.id,
        before: { dueOn: period.due_on, expectedProgress: period.expected_progress },
        after: { dueOn: values.due_on, expectedProgress: values.expected_progress },
      },
      at,
    );
  });
  return getSchedule(ctx, planId);
}
