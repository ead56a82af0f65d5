import { Type, type Static } from 'typebox';
import { Words } from './common.js';
import { LIGHTS, type ReportStatus } from './vocabulary.js';

/**
 * A plan's warning rules (预警规则), as the supervision office sets them on the settings page: which light each status
 * word gives, how far behind 序时进度 turns an item yellow or red, how close to the due date a missing report turns
 * yellow, and the lights of the special cases (overdue without a report, overdue and not completed, returned and not
 * resubmitted). A plan stores only what the office changed; the rest are the defaults (src/domain/lights.ts).
 */

const LightWord = Words(LIGHTS, { description: '灯色：green 绿灯、yellow 黄灯、red 红灯、grey 不亮灯' });

/** One light per status word; `satisfies` keeps the keys exactly the words of REPORT_STATUSES. */
const statusLightProperties = {
  已完成: LightWord,
  序时推进: LightWord,
  进度滞后: LightWord,
  未完成: LightWord,
  持续推进: LightWord,
} satisfies Record<ReportStatus, unknown>;

export const StatusLights = Type.Object(statusLightProperties, {
  additionalProperties: false,
  description: '各完成状态对应的灯色',
});

const ruleProperties = {
  statusLights: StatusLights,
  yellowBehind: Type.Number({ minimum: 0, maximum: 100, description: '落后序时进度达到该点数（含）为黄灯' }),
  redBehind: Type.Number({ minimum: 0, maximum: 100, description: '落后序时进度超过该点数为红灯；不小于 yellowBehind' }),
  dueSoonDays: Type.Integer({ minimum: 0, maximum: 60, description: '截止日期前该天数内（含当天）尚未报送为黄灯' }),
  overdueUnreported: Words(LIGHTS, { description: '逾期未报送的灯色' }),
  overdueUnfinished: Type.Union([Type.Literal('red'), Type.Literal('yellow'), Type.Null()], {
    description: '已过截止日期、完成状态不是“已完成”时的灯色；null 为不启用',
  }),
  returnedLight: Type.Union([LightWord, Type.Null()], { description: '报告被退回后未重新报送时的灯色；null 为不启用' }),
};

export const WarningRulesSchema = Type.Object(ruleProperties, { additionalProperties: false });

/** What the office sends: only the fields it changes, each status word on its own. */
export const WarningRulesUpdate = Type.Object(
  {
    statusLights: Type.Optional(Type.Partial(StatusLights, { additionalProperties: false })),
    yellowBehind: Type.Optional(ruleProperties.yellowBehind),
    redBehind: Type.Optional(ruleProperties.redBehind),
    dueSoonDays: Type.Optional(ruleProperties.dueSoonDays),
    overdueUnreported: Type.Optional(ruleProperties.overdueUnreported),
    overdueUnfinished: Type.Optional(ruleProperties.overdueUnfinished),
    returnedLight: Type.Optional(ruleProperties.returnedLight),
  },
  { additionalProperties: false },
);

export const WarningRulesResponse = Type.Object({
  rules: WarningRulesSchema,
  defaults: WarningRulesSchema,
  description: Type.Array(Type.String(), { description: '按当前设置逐条说明的预警规则' }),
});

/**
 * Which rule gave an item its light, a stable code the pages and exports may key on (the reason beside it is the
 * words for people).
 */
export const LIGHT_RULE_CODES = [
  'closed',
  'overdue_unreported',
  'due_soon',
  'not_reported',
  'returned',
  'completed',
  'overdue_unfinished',
  'behind_red',
  'behind_yellow',
  'on_schedule',
  'status_word',
  'no_status',
] as const;
export type LightRuleCode = (typeof LIGHT_RULE_CODES)[number];

export type StatusLights = Static<typeof StatusLights>;
export type WarningRules = Static<typeof WarningRulesSchema>;
export type WarningRulesUpdate = Static<typeof WarningRulesUpdate>;
export type WarningRulesResponse = Static<typeof WarningRulesResponse>;
