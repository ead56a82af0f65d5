import { LIGHTS, REPORT_STATUSES, type Light, type ReportStatus } from '../contract/vocabulary.js';
import type { LightRuleCode, WarningRules, WarningRulesUpdate } from '../contract/warning-rules.js';
import { daysBetween } from './calendar.js';
import type { ReportFigure } from './reporting.js';

export { LIGHTS, type Light, type LightRuleCode };

/**
 * Warning lights (预警) of an item for a period. DOMAIN.md's common rule: green at or ahead of expected progress;
 * yellow 10–30 points behind or a deadline close; red more than 30 points behind, or overdue and not done. Cities
 * differ, so every threshold and light is a rule the supervision office may set per plan (src/contract/warning-rules.ts
 * is its shape); DEFAULT_LIGHT_RULES are the rules the city table has always used.
 */

export const LIGHT_LABELS: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯', grey: '—' };

/**
 * A plan's warning rules, the contract's WarningRules:
 * - statusLights: the light of each status word (已完成 also decides the `completed` rule, the rest `status_word`);
 * - yellowBehind / redBehind: points behind 序时进度, from a stated progress figure, from which (inclusive) the light
 *   is yellow, and beyond which (exclusive) it is red;
 * - dueSoonDays: a missing report this many days or fewer before its due date (0: on the day) is yellow;
 * - overdueUnreported: the light of a missing report after its due date;
 * - overdueUnfinished: the light after the due date of a report whose status is not 已完成; null, off;
 * - returnedLight: the light of a report the reviewer returned and the unit has not resubmitted; null, off.
 */
export type LightRules = WarningRules;

/** What the office may store for a plan: only what it changed, each status word on its own. */
export type LightRulesPatch = WarningRulesUpdate;

/** Today's rules: every input without the new fields (closed, returned) gets the light it always got. */
export const DEFAULT_LIGHT_RULES: LightRules = {
  statusLights: { 已完成: 'green', 序时推进: 'green', 持续推进: 'green', 进度滞后: 'yellow', 未完成: 'red' },
  yellowBehind: 10,
  redBehind: 30,
  dueSoonDays: 5,
  overdueUnreported: 'red',
  overdueUnfinished: null,
  returnedLight: 'yellow',
};

export interface LightInput {
  /** whether a report of the item has left the unit (approved, returned, accepted or imported) */
  reported: boolean;
  /** the status of that report; null when it names none */
  status: ReportStatus | null;
  figures: ReportFigure[];
  /** 序时进度 at the end of the period, in percent */
  expectedProgress: number;
  dueOn: string | null;
  today: string;
  /** the unit's current copy is in state returned: the reviewer sent it back and it has not been resubmitted */
  returned?: boolean;
  /** the item was closed by 办结销号 */
  closed?: boolean;
}

export interface LightResult {
  light: Light;
  /** why, in words for the table: 逾期未报送, 落后序时进度 12 个百分点 */
  reason: string;
  /** which rule decided, a stable code */
  rule: LightRuleCode;
}

/** A figure that states the item's own progress in percent: 完成进度 62%, 完成率 80%. */
function progressFigure(figures: ReportFigure[]): number | undefined {
  return figures.find((figure) => /进度|完成率|完成比例/.test(figure.name) && figure.unit.trim() === '%')?.value;
}

/**
 * The light of an item, the first rule that applies deciding, in this order:
 * 1. closed (已办结销号): the office's own final word after review; no date or old report reopens it.
 * 2. not reported: without a delivered report there is no status or figure to judge, only the calendar:
 *    overdue → overdueUnreported, within dueSoonDays → yellow, else grey.
 * 3. returned and not resubmitted: the reviewer refused what the report says, so its status and figures cannot earn a
 *    light — not even 已完成, which may be exactly the claim that was returned.
 * 4. status 已完成: a completed item is neither unfinished nor behind; a figure such as 完成率 98% must not pull it back.
 * 5. overdue and unfinished (when set): once the due date has passed, being on or ahead of schedule no longer counts;
 *    only being done does. This rule stands before 未完成 too: the office's light for overdue work is the one it chose.
 * 6. status 未完成: the unit's own statement of the outcome, which a progress figure refines no more than 已完成's
 *    (so it stands before the figures, as it always has).
 * 7. a stated progress figure against 序时进度: behind more than redBehind red, at least yellowBehind yellow, else green.
 * 8. the other status words (序时推进, 持续推进, 进度滞后): their light, when no figure says more.
 * 9. grey: a report that states neither.
 */
export function lightOf(input: LightInput, rules: LightRules = DEFAULT_LIGHT_RULES): LightResult {
  const overdue = input.dueOn !== null && input.today > input.dueOn;
  if (input.closed) return { light: 'green', reason: '已办结销号', rule: 'closed' };
  if (!input.reported) {
    if (overdue) return { light: rules.overdueUnreported, reason: '逾期未报送', rule: 'overdue_unreported' };
    const daysLeft = input.dueOn === null ? undefined : daysBetween(input.today, input.dueOn);
    if (daysLeft !== undefined && daysLeft <= rules.dueSoonDays) {
      const reason = daysLeft === 0 ? '今天到期，尚未报送' : `即将到期（还有${daysLeft}天），尚未报送`;
      return { light: 'yellow', reason, rule: 'due_soon' };
    }
    return { light: 'grey', reason: '尚未报送', rule: 'not_reported' };
  }
  if (input.returned && rules.returnedLight !== null) {
    return { light: rules.returnedLight, reason: '被退回后未重新报送', rule: 'returned' };
  }
  if (input.status === '已完成') return { light: rules.statusLights.已完成, reason: '已完成', rule: 'completed' };
  // 持续推进 is work that spans years by design: its due date closes a period, not the work
  if (overdue && rules.overdueUnfinished !== null && input.status !== '持续推进') {
    return { light: rules.overdueUnfinished, reason: '已逾期，尚未完成', rule: 'overdue_unfinished' };
  }
  if (input.status === '未完成') return { light: rules.statusLights.未完成, reason: '未完成', rule: 'status_word' };
  const progress = progressFigure(input.figures);
  if (progress !== undefined) {
    const behind = input.expectedProgress - progress;
    const words = `落后序时进度 ${round(behind)} 个百分点`;
    if (behind > rules.redBehind) return { light: 'red', reason: words, rule: 'behind_red' };
    if (behind >= rules.yellowBehind) return { light: 'yellow', reason: words, rule: 'behind_yellow' };
    return { light: 'green', reason: behind > 0 ? words : '达到序时进度', rule: 'on_schedule' };
  }
  if (input.status !== null) return { light: rules.statusLights[input.status], reason: input.status, rule: 'status_word' };
  return { light: 'grey', reason: '未标明完成状态', rule: 'no_status' };
}

const round = (value: number) => Math.round(value * 10) / 10;

/** The rules with the defaults filled in for every field the patch leaves out (null is a value: the rule is off). */
export function mergeLightRules(patch: LightRulesPatch = {}, defaults: LightRules = DEFAULT_LIGHT_RULES): LightRules {
  const pick = <Key extends Exclude<keyof LightRules, 'statusLights'>>(key: Key): LightRules[Key] =>
    patch[key] === undefined ? defaults[key] : (patch[key] as LightRules[Key]);
  return {
    statusLights: { ...defaults.statusLights, ...definedEntries(patch.statusLights ?? {}) },
    yellowBehind: pick('yellowBehind'),
    redBehind: pick('redBehind'),
    dueSoonDays: pick('dueSoonDays'),
    overdueUnreported: pick('overdueUnreported'),
    overdueUnfinished: pick('overdueUnfinished'),
    returnedLight: pick('returnedLight'),
  };
}

function definedEntries<Value>(record: Partial<Record<ReportStatus, Value>>): Partial<Record<ReportStatus, Value>> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<Record<ReportStatus, Value>>;
}

/** The fields' names for people, in the order the settings page shows them. */
const FIELD_LABELS: Record<keyof LightRules, string> = {
  statusLights: '各完成状态的灯色（statusLights）',
  yellowBehind: '黄灯的落后点数（yellowBehind）',
  redBehind: '红灯的落后点数（redBehind）',
  dueSoonDays: '临期提醒天数（dueSoonDays）',
  overdueUnreported: '逾期未报送的灯色（overdueUnreported）',
  overdueUnfinished: '逾期未完成的灯色（overdueUnfinished）',
  returnedLight: '退回未重报的灯色（returnedLight）',
};

/** A light as the settings page says it: 为红灯, or 不亮灯 for grey. */
const LIGHT_WORDS: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯', grey: '不亮灯' };
const gives = (light: Light) => (light === 'grey' ? '，不亮灯' : `为${LIGHT_WORDS[light]}`);

const LIGHT_CHOICES = LIGHTS.map((light) => `${light}（${LIGHT_WORDS[light]}）`).join('、');

const isLight = (value: unknown): value is Light => typeof value === 'string' && (LIGHTS as readonly string[]).includes(value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks rules as the office sent or a plan stored them: any field may be missing (the default stands), none may be
 * unknown, and every bad field is named, in Chinese. Returns the complete rules, or every error.
 */
export function validateLightRules(value: unknown): { rules: LightRules } | { errors: string[] } {
  if (!isRecord(value)) return { errors: ['预警规则应为一个对象'] };
  const errors: string[] = [];
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(FIELD_LABELS, key)) errors.push(`未知的设置项：${key}`);
  }
  const patch: LightRulesPatch = {};
  const statusLights = value.statusLights;
  if (statusLights !== undefined) {
    if (!isRecord(statusLights)) errors.push(`${FIELD_LABELS.statusLights}应为一个对象，按完成状态给出灯色`);
    else {
      patch.statusLights = {};
      for (const [word, light] of Object.entries(statusLights)) {
        if (!(REPORT_STATUSES as readonly string[]).includes(word))
          errors.push(`未知的完成状态：${word}，应为 ${REPORT_STATUSES.join('、')}之一`);
        else if (!isLight(light)) errors.push(`完成状态“${word}”的灯色应为 ${LIGHT_CHOICES}之一`);
        else patch.statusLights[word as ReportStatus] = light;
      }
    }
  }
  let thresholdsValid = true;
  for (const key of ['yellowBehind', 'redBehind'] as const) {
    const points = value[key];
    if (points === undefined) continue;
    if (typeof points !== 'number' || !Number.isFinite(points) || points < 0 || points > 100) {
      errors.push(`${FIELD_LABELS[key]}应为 0 到 100 之间的数`);
      thresholdsValid = false;
    } else patch[key] = points;
  }
  const days = value.dueSoonDays;
  if (days !== undefined) {
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 60)
      errors.push(`${FIELD_LABELS.dueSoonDays}应为 0 到 60 之间的整数`);
    else patch.dueSoonDays = days;
  }
  if (value.overdueUnreported !== undefined) {
    if (!isLight(value.overdueUnreported)) errors.push(`${FIELD_LABELS.overdueUnreported}应为 ${LIGHT_CHOICES}之一`);
    else patch.overdueUnreported = value.overdueUnreported;
  }
  const unfinished = value.overdueUnfinished;
  if (unfinished !== undefined) {
    if (unfinished !== null && unfinished !== 'red' && unfinished !== 'yellow') {
      errors.push(`${FIELD_LABELS.overdueUnfinished}应为 red（红灯）、yellow（黄灯）或 null（不启用）`);
    } else patch.overdueUnfinished = unfinished;
  }
  const returned = value.returnedLight;
  if (returned !== undefined) {
    if (returned !== null && !isLight(returned)) errors.push(`${FIELD_LABELS.returnedLight}应为 ${LIGHT_CHOICES}之一，或 null（不启用）`);
    else patch.returnedLight = returned;
  }
  const rules = mergeLightRules(patch);
  // compared only when both thresholds are good; a missing one is its default
  if (thresholdsValid && rules.yellowBehind > rules.redBehind) {
    errors.push(`黄灯的落后点数（${rules.yellowBehind}）不能大于红灯的落后点数（${rules.redBehind}）`);
  }
  return errors.length > 0 ? { errors } : { rules };
}

/** The rules as configured, one line each in the order lightOf applies them, for the settings page. */
export function describeLightRules(rules: LightRules): string[] {
  const soon =
    rules.dueSoonDays === 0
      ? '截止日期当天尚未报送为黄灯，更早的尚未报送不亮灯'
      : `截止日期前 ${rules.dueSoonDays} 天内（含截止日当天）尚未报送为黄灯，更早的尚未报送不亮灯`;
  const otherWords = REPORT_STATUSES.filter((word) => word !== '已完成' && word !== '未完成')
    .map((word) => `${word}${gives(rules.statusLights[word])}`)
    .join('，');
  return [
    '已办结销号的事项为绿灯，不再预警',
    `过了截止日期仍未报送的${gives(rules.overdueUnreported)}`,
    soon,
    rules.returnedLight === null
      ? '报告被退回后未重新报送的，不单独预警，按退回的报告判断'
      : `报告被退回后未重新报送的${gives(rules.returnedLight)}`,
    `完成状态为“已完成”的${gives(rules.statusLights.已完成)}`,
    rules.overdueUnfinished === null
      ? '过了截止日期但未标为“已完成”的，不单独预警'
      : `过了截止日期、完成状态仍不是“已完成”的${gives(rules.overdueUnfinished)}`,
    `完成状态为“未完成”的${gives(rules.statusLights.未完成)}`,
    `落后序时进度 ${rules.yellowBehind} 个百分点及以上为黄灯，${rules.redBehind} 个百分点以上为红灯，其余为绿灯（按报告中的完成进度、完成率等百分比）`,
    `没有进度百分比时按完成状态：${otherWords}`,
    '未标明完成状态的不亮灯',
  ];
}
