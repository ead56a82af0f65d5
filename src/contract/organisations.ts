import { Type, type Static } from 'typebox';
import { Id, OrganisationRef, PeriodCode, PeriodRef, PlanRef, summaryItemFields, summaryTableOf, Words } from './common.js';
import { EXPORT_FORMATS, ORGANISATION_KINDS } from './vocabulary.js';

/** The organisation register, one organisation's plans, merging, and a unit's summary table. */
export const OrganisationParams = Type.Object({ orgId: Id });

const NamedRef = Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]);

export const OrganisationRecord = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  kindLabel: Type.String(),
  aliases: Type.Array(Type.String()),
  parent: NamedRef,
  active: Type.Boolean({ description: '已撤销的单位为 false' }),
  mergedInto: NamedRef,
  leadCount: Type.Integer(),
  cooperatingCount: Type.Integer(),
  userCount: Type.Integer(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});

export const ListOrganisationsQuery = Type.Object({
  includeMerged: Type.Optional(Type.Boolean({ description: '同时列出已并入其他单位的记录' })),
});

export const ListOrganisationsResponse = Type.Object({ organisations: Type.Array(OrganisationRecord) });

export const OrganisationDetailResponse = Type.Object({
  organisation: OrganisationRecord,
  plans: Type.Array(Type.Object({ id: Type.Integer(), year: Type.Integer(), title: Type.String(), periods: Type.Array(PeriodRef) })),
});

const Name = Type.String({ minLength: 1, maxLength: 200, description: '规范名称，空格会被去掉' });
const Kind = Words(ORGANISATION_KINDS);

export const NewOrganisationBody = Type.Object(
  {
    name: Name,
    kind: Kind,
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    aliases: Type.Optional(Type.Array(Name, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const UpdateOrganisationBody = Type.Object(
  {
    name: Type.Optional(Name),
    kind: Type.Optional(Kind),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
    aliases: Type.Optional(Type.Array(Name, { maxItems: 50, description: '修改后的全部别名' })),
    keepOldNameAsAlias: Type.Optional(Type.Boolean({ description: '改名时把旧名称留作别名（默认是）' })),
    confirm: Type.Optional(Type.Literal(true, { description: '撤销现行单位（active: false）时必须为 true' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const MergeBody = Type.Object(
  {
    into: Id,
    confirm: Type.Optional(Type.Literal(true, { description: '为 true 时执行合并；不带则只计算将要移动的内容，不作修改' })),
  },
  { additionalProperties: false },
);

export const MergeResponse = Type.Object({
  source: OrganisationRecord,
  target: OrganisationRecord,
  moved: Type.Object({
    leadLinks: Type.Integer(),
    cooperatingLinks: Type.Integer(),
    reports: Type.Integer(),
    users: Type.Integer(),
    tokens: Type.Integer(),
    imports: Type.Integer(),
    children: Type.Integer(),
    aliases: Type.Integer(),
  }),
  dryRun: Type.Boolean(),
});

export const SummaryQuery = Type.Object({
  plan: Type.Optional(Id),
  period: Type.Optional(PeriodCode),
});

export const SummaryExportQuery = Type.Object({
  plan: Type.Optional(Id),
  period: Type.Optional(PeriodCode),
  format: Words(EXPORT_FORMATS),
});

export const SummaryResponse = Type.Object({
  organisation: OrganisationRef,
  plan: PlanRef,
  period: PeriodRef,
  table: summaryTableOf(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      name: Type.String(),
      items: Type.Array(Type.Object({ id: Type.Integer(), ...summaryItemFields })),
    }),
  ),
});

export type OrganisationRecord = Static<typeof OrganisationRecord>;
export type ListOrganisationsQuery = Static<typeof ListOrganisationsQuery>;
export type ListOrganisationsResponse = Static<typeof ListOrganisationsResponse>;
export type OrganisationDetailResponse = Static<typeof OrganisationDetailResponse>;
export type NewOrganisationBody = Static<typeof NewOrganisationBody>;
export type UpdateOrganisationBody = Static<typeof UpdateOrganisationBody>;
export type MergeBody = Static<typeof MergeBody>;
export type MergeResponse = Static<typeof MergeResponse>;
export type SummaryQuery = Static<typeof SummaryQuery>;
export type SummaryExportQuery = Static<typeof SummaryExportQuery>;
export type SummaryResponse = Static<typeof SummaryResponse>;
