import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { LIGHT_RULE_CODES, WarningRulesSchema } from '../contract/warning-rules.js';
import { daysBetween } from './calendar.js';
import {
  DEFAULT_LIGHT_RULES,
  describeLightRules,
  type Light,
  type LightInput,
  type LightRuleCode,
  type LightRulesPatch,
  lightOf,
  mergeLightRules,
  validateLightRules,
} from './lights.js';
import { REPORT_STATUSES, type ReportFigure, type ReportStatus } from './reporting.js';

const input = (overrides: Partial<LightInput> = {}): LightInput => ({
  reported: true,
  status: '序时推进',
  figures: [],
  expectedProgress: 50,
  dueOn: '2030-07-20',
  today: '2030-07-10',
  ...overrides,
});

describe('warning lights', () => {
  it('follows the status words', () => {
    expect(lightOf(input({ status: '已完成' })).light).toBe('green');
    expect(lightOf(input({ status: '序时推进' })).light).toBe('green');
    expect(lightOf(input({ status: '进度滞后' })).light).toBe('yellow');
    expect(lightOf(input({ status: '未完成' })).light).toBe('red');
    expect(lightOf(input({ status: null })).light).toBe('grey');
  });

  it('measures a stated progress against the expected progress, with the thresholds given', () => {
    const progress = (value: number) => [{ name: '完成进度', value, unit: '%' }];
    expect(lightOf(input({ figures: progress(45) }))).toEqual({ light: 'green', reason: '落后序时进度 5 个百分点', rule: 'on_schedule' });
    expect(lightOf(input({ figures: progress(35) }))).toEqual({
      light: 'yellow',
      reason: '落后序时进度 15 个百分点',
      rule: 'behind_yellow',
    });
    expect(lightOf(input({ figures: progress(10) })).light).toBe('red');
    expect(lightOf(input({ figures: progress(10) }), { ...DEFAULT_LIGHT_RULES, yellowBehind: 20, redBehind: 50 }).light).toBe('yellow');
  });

  it('turns a missing report yellow near its due date and red after it', () => {
    expect(lightOf(input({ reported: false, today: '2030-07-01' })).light).toBe('grey');
    expect(lightOf(input({ reported: false, today: '2030-07-16' }))).toEqual({
      light: 'yellow',
      reason: '即将到期（还有4天），尚未报送',
      rule: 'due_soon',
    });
    expect(lightOf(input({ reported: false, today: '2030-07-21' }))).toEqual({
      light: 'red',
      reason: '逾期未报送',
      rule: 'overdue_unreported',
    });
  });
});

const percent = (value: number, name = '完成进度') => [{ name, value, unit: '%' }];

interface RuleCase {
  name: string;
  today?: string;
  dueOn?: string | null;
  reported?: boolean;
  returned?: boolean;
  closed?: boolean;
  status?: ReportStatus | null;
  figures?: ReportFigure[];
  expectedProgress?: number;
  rules?: LightRulesPatch;
  light: Light;
  rule: LightRuleCode;
  reason: string;
}

// Due on 2030-07-20, today 2030-07-10, 序时进度 50 and status 序时推进 unless a row says otherwise.
const cases: RuleCase[] = [
  // closed wins over everything
  { name: 'closed', closed: true, light: 'green', rule: 'closed', reason: '已办结销号' },
  {
    name: 'closed but overdue without a report',
    closed: true,
    reported: false,
    today: '2030-07-25',
    light: 'green',
    rule: 'closed',
    reason: '已办结销号',
  },
  { name: 'closed but 未完成', closed: true, status: '未完成', light: 'green', rule: 'closed', reason: '已办结销号' },
  { name: 'closed but returned', closed: true, returned: true, light: 'green', rule: 'closed', reason: '已办结销号' },
  // not reported: the calendar alone
  {
    name: 'unreported one day overdue',
    reported: false,
    today: '2030-07-21',
    light: 'red',
    rule: 'overdue_unreported',
    reason: '逾期未报送',
  },
  { name: 'unreported, due today', reported: false, today: '2030-07-20', light: 'yellow', rule: 'due_soon', reason: '今天到期，尚未报送' },
  { name: 'unreported, due in 1 day', reported: false, today: '2030-07-19', light: 'yellow', rule: 'due_soon', reason: '还有1天' },
  {
    name: 'unreported, due in dueSoonDays (5)',
    reported: false,
    today: '2030-07-15',
    light: 'yellow',
    rule: 'due_soon',
    reason: '即将到期（还有5天），尚未报送',
  },
  {
    name: 'unreported, due in dueSoonDays + 1 (6)',
    reported: false,
    today: '2030-07-14',
    light: 'grey',
    rule: 'not_reported',
    reason: '尚未报送',
  },
  { name: 'unreported, no due date', reported: false, dueOn: null, light: 'grey', rule: 'not_reported', reason: '尚未报送' },
  {
    name: 'unreported beats returned',
    reported: false,
    returned: true,
    today: '2030-07-01',
    light: 'grey',
    rule: 'not_reported',
    reason: '尚未报送',
  },
  {
    name: 'dueSoonDays 3, due in 3',
    reported: false,
    today: '2030-07-17',
    rules: { dueSoonDays: 3 },
    light: 'yellow',
    rule: 'due_soon',
    reason: '还有3天',
  },
  {
    name: 'dueSoonDays 3, due in 4',
    reported: false,
    today: '2030-07-16',
    rules: { dueSoonDays: 3 },
    light: 'grey',
    rule: 'not_reported',
    reason: '尚未报送',
  },
  {
    name: 'dueSoonDays 0, due today',
    reported: false,
    today: '2030-07-20',
    rules: { dueSoonDays: 0 },
    light: 'yellow',
    rule: 'due_soon',
    reason: '今天到期',
  },
  {
    name: 'dueSoonDays 0, due tomorrow',
    reported: false,
    today: '2030-07-19',
    rules: { dueSoonDays: 0 },
    light: 'grey',
    rule: 'not_reported',
    reason: '尚未报送',
  },
  {
    name: 'overdueUnreported yellow',
    reported: false,
    today: '2030-07-21',
    rules: { overdueUnreported: 'yellow' },
    light: 'yellow',
    rule: 'overdue_unreported',
    reason: '逾期未报送',
  },
  // returned and not resubmitted
  { name: 'returned', returned: true, light: 'yellow', rule: 'returned', reason: '被退回后未重新报送' },
  {
    name: 'returned although it said 已完成',
    returned: true,
    status: '已完成',
    light: 'yellow',
    rule: 'returned',
    reason: '被退回后未重新报送',
  },
  {
    name: 'returned and overdue',
    returned: true,
    today: '2030-07-25',
    rules: { overdueUnfinished: 'red' },
    light: 'yellow',
    rule: 'returned',
    reason: '被退回',
  },
  {
    name: 'returnedLight red',
    returned: true,
    rules: { returnedLight: 'red' },
    light: 'red',
    rule: 'returned',
    reason: '被退回后未重新报送',
  },
  {
    name: 'returnedLight null: the returned report is judged',
    returned: true,
    status: '进度滞后',
    rules: { returnedLight: null },
    light: 'yellow',
    rule: 'status_word',
    reason: '进度滞后',
  },
  {
    name: 'returnedLight null, 已完成',
    returned: true,
    status: '已完成',
    rules: { returnedLight: null },
    light: 'green',
    rule: 'completed',
    reason: '已完成',
  },
  // 已完成
  { name: '已完成', status: '已完成', light: 'green', rule: 'completed', reason: '已完成' },
  {
    name: '已完成 with a low progress figure',
    status: '已完成',
    figures: percent(10),
    light: 'green',
    rule: 'completed',
    reason: '已完成',
  },
  {
    name: '已完成 overdue, overdueUnfinished red',
    status: '已完成',
    today: '2030-07-25',
    rules: { overdueUnfinished: 'red' },
    light: 'green',
    rule: 'completed',
    reason: '已完成',
  },
  // overdue and unfinished
  { name: 'overdue 序时推进, rule off (default)', today: '2030-07-21', light: 'green', rule: 'status_word', reason: '序时推进' },
  {
    name: 'overdue 序时推进, overdueUnfinished red',
    today: '2030-07-21',
    rules: { overdueUnfinished: 'red' },
    light: 'red',
    rule: 'overdue_unfinished',
    reason: '已逾期，尚未完成',
  },
  {
    name: 'overdue but ahead of schedule, overdueUnfinished yellow',
    today: '2030-07-21',
    figures: percent(80),
    rules: { overdueUnfinished: 'yellow' },
    light: 'yellow',
    rule: 'overdue_unfinished',
    reason: '已逾期，尚未完成',
  },
  {
    name: 'overdue 未完成, overdueUnfinished yellow',
    today: '2030-07-21',
    status: '未完成',
    rules: { overdueUnfinished: 'yellow' },
    light: 'yellow',
    rule: 'overdue_unfinished',
    reason: '已逾期',
  },
  {
    name: 'overdue without a status, overdueUnfinished red',
    today: '2030-07-21',
    status: null,
    rules: { overdueUnfinished: 'red' },
    light: 'red',
    rule: 'overdue_unfinished',
    reason: '尚未完成',
  },
  {
    name: 'on the due date is not overdue',
    today: '2030-07-20',
    rules: { overdueUnfinished: 'red' },
    light: 'green',
    rule: 'status_word',
    reason: '序时推进',
  },
  {
    name: 'no due date is never overdue',
    dueOn: null,
    today: '2030-12-31',
    rules: { overdueUnfinished: 'red' },
    light: 'green',
    rule: 'status_word',
    reason: '序时推进',
  },
  // 未完成 stands before the figures
  { name: '未完成', status: '未完成', light: 'red', rule: 'status_word', reason: '未完成' },
  { name: '未完成 though a figure is ahead', status: '未完成', figures: percent(90), light: 'red', rule: 'status_word', reason: '未完成' },
  // progress figures against 序时进度 50
  {
    name: 'exactly yellowBehind (10) behind',
    figures: percent(40),
    light: 'yellow',
    rule: 'behind_yellow',
    reason: '落后序时进度 10 个百分点',
  },
  { name: 'just under yellowBehind', figures: percent(40.1), light: 'green', rule: 'on_schedule', reason: '落后序时进度 9.9 个百分点' },
  {
    name: 'exactly redBehind (30) behind',
    figures: percent(20),
    light: 'yellow',
    rule: 'behind_yellow',
    reason: '落后序时进度 30 个百分点',
  },
  { name: 'just over redBehind', figures: percent(19.5), light: 'red', rule: 'behind_red', reason: '落后序时进度 30.5 个百分点' },
  { name: 'at expected progress', figures: percent(50), light: 'green', rule: 'on_schedule', reason: '达到序时进度' },
  { name: 'ahead of expected progress', figures: percent(70), light: 'green', rule: 'on_schedule', reason: '达到序时进度' },
  {
    name: 'a 完成率 figure counts too',
    figures: percent(15, '完成率'),
    light: 'red',
    rule: 'behind_red',
    reason: '落后序时进度 35 个百分点',
  },
  {
    name: 'a figure outweighs 进度滞后',
    status: '进度滞后',
    figures: percent(50),
    light: 'green',
    rule: 'on_schedule',
    reason: '达到序时进度',
  },
  { name: 'a figure outweighs 序时推进', figures: percent(10), light: 'red', rule: 'behind_red', reason: '落后序时进度 40 个百分点' },
  { name: 'a figure without a status', status: null, figures: percent(35), light: 'yellow', rule: 'behind_yellow', reason: '15 个百分点' },
  {
    name: 'not a percentage: no figure',
    figures: [{ name: '完成进度', value: 10, unit: '万吨' }],
    light: 'green',
    rule: 'status_word',
    reason: '序时推进',
  },
  {
    name: 'custom thresholds 20 / 50',
    figures: percent(10),
    rules: { yellowBehind: 20, redBehind: 50 },
    light: 'yellow',
    rule: 'behind_yellow',
    reason: '40 个百分点',
  },
  {
    name: 'equal thresholds: exactly 20 is yellow',
    figures: percent(30),
    rules: { yellowBehind: 20, redBehind: 20 },
    light: 'yellow',
    rule: 'behind_yellow',
    reason: '20 个百分点',
  },
  {
    name: 'equal thresholds: beyond 20 is red',
    figures: percent(29),
    rules: { yellowBehind: 20, redBehind: 20 },
    light: 'red',
    rule: 'behind_red',
    reason: '21 个百分点',
  },
  {
    name: 'year-end expected progress 100',
    figures: percent(85),
    expectedProgress: 100,
    light: 'yellow',
    rule: 'behind_yellow',
    reason: '15 个百分点',
  },
  // status words
  { name: '序时推进', light: 'green', rule: 'status_word', reason: '序时推进' },
  { name: '持续推进', status: '持续推进', light: 'green', rule: 'status_word', reason: '持续推进' },
  { name: '进度滞后', status: '进度滞后', light: 'yellow', rule: 'status_word', reason: '进度滞后' },
  { name: 'no status', status: null, light: 'grey', rule: 'no_status', reason: '未标明完成状态' },
  {
    name: 'statusLights: 进度滞后 red',
    status: '进度滞后',
    rules: { statusLights: { 进度滞后: 'red' } },
    light: 'red',
    rule: 'status_word',
    reason: '进度滞后',
  },
  {
    name: 'statusLights: 未完成 yellow',
    status: '未完成',
    rules: { statusLights: { 未完成: 'yellow' } },
    light: 'yellow',
    rule: 'status_word',
    reason: '未完成',
  },
  {
    name: 'statusLights: 持续推进 grey',
    status: '持续推进',
    rules: { statusLights: { 持续推进: 'grey' } },
    light: 'grey',
    rule: 'status_word',
    reason: '持续推进',
  },
  {
    name: 'statusLights: 已完成 remapped',
    status: '已完成',
    rules: { statusLights: { 已完成: 'yellow' } },
    light: 'yellow',
    rule: 'completed',
    reason: '已完成',
  },
  {
    name: 'statusLights remapped leaves the others',
    status: '序时推进',
    rules: { statusLights: { 进度滞后: 'red' } },
    light: 'green',
    rule: 'status_word',
    reason: '序时推进',
  },
];

describe('warning rules: table of cases', () => {
  it.each(cases)('$name → $light ($rule)', (row) => {
    const result = lightOf(
      input({
        today: row.today ?? '2030-07-10',
        dueOn: row.dueOn === undefined ? '2030-07-20' : row.dueOn,
        reported: row.reported ?? true,
        returned: row.returned,
        closed: row.closed,
        status: row.status === undefined ? '序时推进' : row.status,
        figures: row.figures ?? [],
        expectedProgress: row.expectedProgress ?? 50,
      }),
      mergeLightRules(row.rules),
    );
    expect(result.light).toBe(row.light);
    expect(result.rule).toBe(row.rule);
    expect(result.reason).toContain(row.reason);
  });

  it('covers every rule code', () => {
    expect(new Set(cases.map((row) => row.rule))).toEqual(new Set(LIGHT_RULE_CODES));
  });
});

/** The rule before rules were configurable, kept here to prove the defaults still give its lights. */
function legacyLightOf(input: LightInput): { light: Light; reason: string } {
  if (!input.reported) {
    if (input.dueOn && input.today > input.dueOn) return { light: 'red', reason: '逾期未报送' };
    if (input.dueOn && daysBetween(input.today, input.dueOn) <= 5) return { light: 'yellow', reason: '即将到期，尚未报送' };
    return { light: 'grey', reason: '尚未报送' };
  }
  if (input.status === '已完成') return { light: 'green', reason: '已完成' };
  if (input.status === '未完成') return { light: 'red', reason: '未完成' };
  const progress = input.figures.find((figure) => /进度|完成率|完成比例/.test(figure.name) && figure.unit.trim() === '%')?.value;
  if (progress !== undefined) {
    const behind = input.expectedProgress - progress;
    const words = `落后序时进度 ${Math.round(behind * 10) / 10} 个百分点`;
    if (behind > 30) return { light: 'red', reason: words };
    if (behind >= 10) return { light: 'yellow', reason: words };
    return { light: 'green', reason: behind > 0 ? words : '达到序时进度' };
  }
  if (input.status === '进度滞后') return { light: 'yellow', reason: '进度滞后' };
  if (input.status === '序时推进' || input.status === '持续推进') return { light: 'green', reason: input.status };
  return { light: 'grey', reason: '未标明完成状态' };
}

describe('the default rules', () => {
  it('give every input without closed or returned the light and reason it always had', () => {
    const days = ['2030-07-01', '2030-07-14', '2030-07-15', '2030-07-19', '2030-07-20', '2030-07-21', '2030-09-01'];
    let compared = 0;
    for (const today of days)
      for (const dueOn of ['2030-07-20', null])
        for (const reported of [true, false])
          for (const status of [...REPORT_STATUSES, null])
            for (const figures of [[], percent(0), percent(19.5), percent(20), percent(40), percent(40.1), percent(50), percent(95)]) {
              const subject = input({ today, dueOn, reported, status, figures });
              const now = lightOf(subject);
              const before = legacyLightOf(subject);
              expect(now.light).toBe(before.light);
              // only the due-soon reason changed: it now says how many days are left
              if (now.rule === 'due_soon') expect(before.reason).toBe('即将到期，尚未报送');
              else expect(now.reason).toBe(before.reason);
              compared++;
            }
    expect(compared).toBe(days.length * 2 * 2 * 6 * 8);
  });

  it('are valid for the contract schema', () => {
    expect(Value.Check(WarningRulesSchema, DEFAULT_LIGHT_RULES)).toBe(true);
    expect(Value.Check(WarningRulesSchema, { ...DEFAULT_LIGHT_RULES, overdueUnfinished: 'red', returnedLight: null })).toBe(true);
    expect(Value.Check(WarningRulesSchema, { ...DEFAULT_LIGHT_RULES, overdueUnfinished: 'grey' })).toBe(false);
  });
});

describe('validateLightRules', () => {
  const errorsOf = (value: unknown) => {
    const result = validateLightRules(value);
    return 'errors' in result ? result.errors : [];
  };

  it('fills what is missing with the defaults', () => {
    expect(validateLightRules({})).toEqual({ rules: DEFAULT_LIGHT_RULES });
    expect(validateLightRules(DEFAULT_LIGHT_RULES)).toEqual({ rules: DEFAULT_LIGHT_RULES });
    expect(
      validateLightRules({ returnedLight: null, overdueUnfinished: 'red', statusLights: { 进度滞后: 'red' }, dueSoonDays: 0 }),
    ).toEqual({
      rules: {
        ...DEFAULT_LIGHT_RULES,
        returnedLight: null,
        overdueUnfinished: 'red',
        dueSoonDays: 0,
        statusLights: { ...DEFAULT_LIGHT_RULES.statusLights, 进度滞后: 'red' },
      },
    });
    expect(validateLightRules({ yellowBehind: 30, redBehind: 30 })).toEqual({
      rules: { ...DEFAULT_LIGHT_RULES, yellowBehind: 30, redBehind: 30 },
    });
    expect(validateLightRules({ yellowBehind: 0, redBehind: 100 })).toEqual({
      rules: { ...DEFAULT_LIGHT_RULES, yellowBehind: 0, redBehind: 100 },
    });
  });

  it.each([
    ['not an object', null, '预警规则应为一个对象'],
    ['an array', [], '预警规则应为一个对象'],
    ['an unknown field', { greenAhead: 5 }, '未知的设置项：greenAhead'],
    ['a field named like a prototype method', { constructor: 5 }, '未知的设置项：constructor'],
    ['yellowBehind below 0', { yellowBehind: -1 }, 'yellowBehind）应为 0 到 100 之间的数'],
    ['redBehind above 100', { redBehind: 101 }, 'redBehind）应为 0 到 100 之间的数'],
    ['a threshold not a number', { redBehind: '30' }, 'redBehind）应为 0 到 100 之间的数'],
    ['a threshold NaN', { yellowBehind: Number.NaN }, 'yellowBehind）应为 0 到 100 之间的数'],
    ['yellowBehind above redBehind', { yellowBehind: 40, redBehind: 20 }, '黄灯的落后点数（40）不能大于红灯的落后点数（20）'],
    ['yellowBehind above the default redBehind', { yellowBehind: 40 }, '黄灯的落后点数（40）不能大于红灯的落后点数（30）'],
    ['dueSoonDays not whole', { dueSoonDays: 2.5 }, 'dueSoonDays）应为 0 到 60 之间的整数'],
    ['dueSoonDays above 60', { dueSoonDays: 61 }, 'dueSoonDays）应为 0 到 60 之间的整数'],
    ['dueSoonDays below 0', { dueSoonDays: -1 }, 'dueSoonDays）应为 0 到 60 之间的整数'],
    [
      'overdueUnreported not a light',
      { overdueUnreported: 'blue' },
      'overdueUnreported）应为 green（绿灯）、yellow（黄灯）、red（红灯）、grey（不亮灯）之一',
    ],
    ['overdueUnreported null', { overdueUnreported: null }, 'overdueUnreported）应为'],
    ['overdueUnfinished green', { overdueUnfinished: 'green' }, 'overdueUnfinished）应为 red（红灯）、yellow（黄灯）或 null（不启用）'],
    ['returnedLight not a light', { returnedLight: 'blue' }, 'returnedLight）应为'],
    ['statusLights not an object', { statusLights: 'green' }, 'statusLights）应为一个对象'],
    ['statusLights with an unknown word', { statusLights: { 基本完成: 'green' } }, '未知的完成状态：基本完成'],
    ['statusLights with a bad light', { statusLights: { 进度滞后: 'orange' } }, '完成状态“进度滞后”的灯色应为'],
  ])('refuses %s', (_name, value, message) => {
    const errors = errorsOf(value);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it('names every bad field at once', () => {
    const errors = errorsOf({
      yellowBehind: 101,
      dueSoonDays: 90,
      overdueUnfinished: 'grey',
      returnedLight: 1,
      statusLights: { 未完成: 'x' },
      other: 1,
    });
    expect(errors).toHaveLength(6);
    expect(errors.join('\n')).toMatch(
      /other[\s\S]*未完成[\s\S]*yellowBehind[\s\S]*dueSoonDays[\s\S]*overdueUnfinished[\s\S]*returnedLight/,
    );
  });

  it('does not compare the thresholds when one of them is bad', () => {
    expect(errorsOf({ yellowBehind: 50, redBehind: -5 })).toEqual(['红灯的落后点数（redBehind）应为 0 到 100 之间的数']);
  });
});

describe('mergeLightRules', () => {
  it('is the defaults for nothing', () => {
    expect(mergeLightRules()).toEqual(DEFAULT_LIGHT_RULES);
    expect(mergeLightRules({})).toEqual(DEFAULT_LIGHT_RULES);
  });

  it('keeps what the plan stored, null included, and fills in the rest', () => {
    const rules = mergeLightRules({ redBehind: 40, returnedLight: null, overdueUnfinished: 'red', statusLights: { 持续推进: 'yellow' } });
    expect(rules).toEqual({
      ...DEFAULT_LIGHT_RULES,
      redBehind: 40,
      returnedLight: null,
      overdueUnfinished: 'red',
      statusLights: { 已完成: 'green', 序时推进: 'green', 持续推进: 'yellow', 进度滞后: 'yellow', 未完成: 'red' },
    });
  });

  it('takes an undefined field as not stored', () => {
    expect(mergeLightRules({ dueSoonDays: undefined, statusLights: { 未完成: undefined } })).toEqual(DEFAULT_LIGHT_RULES);
  });

  it('does not change the defaults', () => {
    mergeLightRules({ statusLights: { 已完成: 'red' } }).statusLights.序时推进 = 'red';
    expect(DEFAULT_LIGHT_RULES.statusLights).toEqual({
      已完成: 'green',
      序时推进: 'green',
      持续推进: 'green',
      进度滞后: 'yellow',
      未完成: 'red',
    });
  });
});

describe('describeLightRules', () => {
  it('says the default rules in the order they apply', () => {
    expect(describeLightRules(DEFAULT_LIGHT_RULES)).toEqual([
      '已办结销号的事项为绿灯，不再预警',
      '过了截止日期仍未报送的为红灯',
      '截止日期前 5 天内（含截止日当天）尚未报送为黄灯，更早的尚未报送不亮灯',
      '报告被退回后未重新报送的为黄灯',
      '完成状态为“已完成”的为绿灯',
      '过了截止日期但未标为“已完成”的，不单独预警',
      '完成状态为“未完成”的为红灯',
      '落后序时进度 10 个百分点及以上为黄灯，30 个百分点以上为红灯，其余为绿灯（按报告中的完成进度、完成率等百分比）',
      '没有进度百分比时按完成状态：序时推进为绿灯，进度滞后为黄灯，持续推进为绿灯',
      '未标明完成状态的不亮灯',
    ]);
  });

  it('follows the settings', () => {
    const lines = describeLightRules(
      mergeLightRules({
        yellowBehind: 15,
        redBehind: 25,
        dueSoonDays: 0,
        overdueUnreported: 'yellow',
        overdueUnfinished: 'red',
        returnedLight: null,
        statusLights: { 持续推进: 'grey' },
      }),
    );
    expect(lines).toContain(
      '落后序时进度 15 个百分点及以上为黄灯，25 个百分点以上为红灯，其余为绿灯（按报告中的完成进度、完成率等百分比）',
    );
    expect(lines).toContain('截止日期当天尚未报送为黄灯，更早的尚未报送不亮灯');
    expect(lines).toContain('过了截止日期仍未报送的为黄灯');
    expect(lines).toContain('过了截止日期、完成状态仍不是“已完成”的为红灯');
    expect(lines).toContain('报告被退回后未重新报送的，不单独预警，按退回的报告判断');
    expect(lines).toContain('没有进度百分比时按完成状态：序时推进为绿灯，进度滞后为黄灯，持续推进，不亮灯');
  });
});
