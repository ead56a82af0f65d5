import { Type, type Static, type TSchema } from 'typebox';

/**
 * Schemas several features share: identifiers, period codes, dates, the references every answer uses for an
 * organisation, a period or a plan, and the columns of a summary table.
 */
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const PeriodCode = Type.String({
  pattern: '^\\d{4}-(Y|H[12]|Q[1-4]|M(0[1-9]|1[0-2]))$',
  description: '报送周期，如 2022-Y（全年）、2022-H1、2022-Q3、2022-M05',
});
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '日期 YYYY-MM-DD' });

/** The explicit yes every destructive step needs (merge, retire, disable, revoke, password reset). */
export const ConfirmBody = Type.Object(
  { confirm: Type.Literal(true, { description: '确认执行：不可撤回的操作必须带上 "confirm": true' }) },
  { additionalProperties: false },
);
export type ConfirmBody = Static<typeof ConfirmBody>;

export const Named = Type.Object({ id: Type.Integer(), name: Type.String() });
export type Named = Static<typeof Named>;

export const OrganisationRef = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  kindLabel: Type.String(),
});
export type OrganisationRef = Static<typeof OrganisationRef>;

export const PeriodRef = Type.Object({ code: Type.String(), label: Type.String() });
export type PeriodRef = Static<typeof PeriodRef>;

export const PlanRef = Type.Object({ id: Type.Integer(), year: Type.Integer(), title: Type.String() });
export type PlanRef = Static<typeof PlanRef>;

export const PlanCounts = Type.Object({ chapters: Type.Integer(), tasks: Type.Integer(), items: Type.Integer() });
export type PlanCounts = Static<typeof PlanCounts>;

/** The column headings of a summary table; the optional ones appear only when the table has them. */
export const SummaryColumns = Type.Object({
  number: Type.String(),
  name: Type.String(),
  work: Type.String(),
  lead: Type.String(),
  cooperating: Type.String(),
  completion: Type.String(),
  deadline: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  leader: Type.Optional(Type.String()),
  problems: Type.Optional(Type.String()),
  nextSteps: Type.Optional(Type.String()),
  extra: Type.Optional(Type.Array(Type.String())),
});
export type SummaryColumns = Static<typeof SummaryColumns>;

/** A summary table as the answers carry it: title, unit and headings, and chapters of tasks of the kind given. */
export function summaryTableOf<Task extends TSchema>(task: Task) {
  return Type.Object({
    title: Type.String(),
    organisation: Type.String(),
    columns: SummaryColumns,
    chapters: Type.Array(Type.Object({ numeral: Type.String(), title: Type.String(), tasks: Type.Array(task) })),
  });
}

/** One row of a summary table: the texts as written, and the optional columns when present. */
export const summaryItemFields = {
  work: Type.String(),
  lead: Type.String(),
  cooperating: Type.String(),
  completion: Type.String(),
  deadline: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  leader: Type.Optional(Type.String()),
  problems: Type.Optional(Type.String({ description: '存在问题' })),
  nextSteps: Type.Optional(Type.String({ description: '下步打算' })),
  extra: Type.Optional(Type.Record(Type.String(), Type.String())),
};
export const SummaryItem = Type.Object(summaryItemFields);
export type SummaryItem = Static<typeof SummaryItem>;

export const HealthResponse = Type.Object({ status: Type.Literal('ok') });
export const HealthUnavailable = Type.Object({ status: Type.Literal('unavailable') });

/**
 * One of a closed list of words: a string schema with the list as its enum, typed as the list's union, so the
 * document says "string", the serialiser writes a plain string and the validator names the allowed values.
 */
export const Words = <const Values extends readonly string[]>(values: Values, options: { description?: string } = {}) =>
  Type.Unsafe<Values[number]>({ type: 'string', enum: [...values], ...options });
