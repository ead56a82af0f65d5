import { Type } from 'typebox';

/** Schemas shared by several modules. */
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const IdParams = (name: string) => Type.Object({ [name]: Id });
export const PeriodCode = Type.String({ pattern: '^\\d{4}-(Y|H[12]|Q[1-4]|M(0[1-9]|1[0-2]))$', description: '报送周期，如 2022-Y（全年）、2022-H1、2022-Q3、2022-M05' });
/** The explicit yes every destructive step needs (merge, retire, disable, revoke, password reset). */
export const ConfirmBody = Type.Object(
  { confirm: Type.Literal(true, { description: '确认执行：不可撤回的操作必须带上 "confirm": true' }) },
  { additionalProperties: false },
);
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '日期 YYYY-MM-DD' });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
  },
  { $id: 'ErrorResponse', description: '错误：code 供程序判断，message 为给人看的中文说明' },
);

export const OrganisationRef = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  kindLabel: Type.String(),
});

export const PeriodRef = Type.Object({ code: Type.String(), label: Type.String() });

export const PlanCounts = Type.Object({ chapters: Type.Integer(), tasks: Type.Integer(), items: Type.Integer() });

export const errorResponses = {
  400: ErrorResponse,
  404: ErrorResponse,
};

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
