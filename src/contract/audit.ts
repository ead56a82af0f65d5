import { Type, type Static } from 'typebox';

/** The audit trail: filtered pages, the values seen (for filter choices), and exports. */
const AuditFilters = {
  from: Type.Optional(Type.String({ format: 'date-time', description: '起始时间（含），ISO 8601' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: '截止时间（不含），ISO 8601' })),
  actor: Type.Optional(Type.String({ maxLength: 100, description: '操作者，如 user:17、cli、token:3' })),
  action: Type.Optional(Type.String({ maxLength: 100, description: '操作前缀，如 auth.、import.' })),
  objectType: Type.Optional(Type.String({ maxLength: 50 })),
  objectId: Type.Optional(Type.String({ maxLength: 100, description: '对象编号，与对象类型一起使用，如 user 的 17' })),
  organisationId: Type.Optional(Type.Integer({ minimum: 1 })),
};
export const AuditListQuery = Type.Object({
  ...AuditFilters,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  facets: Type.Optional(Type.Boolean({ description: '同时返回整个日志中出现过的操作、对象类型、操作者和单位（供筛选选项用）' })),
});
export const AuditExportQuery = Type.Object({ ...AuditFilters, format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]) });

export const AuditEvent = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  actorName: Type.String({ description: '操作者名称：用户为“显示名称（用户名）”，令牌为令牌名称，其他同 actor' }),
  organisationId: Type.Union([Type.Integer(), Type.Null()]),
  organisationName: Type.Union([Type.String(), Type.Null()]),
  source: Type.String(),
  action: Type.String(),
  actionLabel: Type.String({ description: '操作的中文名称；未知的操作代码原样返回' }),
  objectType: Type.String(),
  objectTypeLabel: Type.String({ description: '对象类型的中文名称' }),
  objectId: Type.String(),
  objectName: Type.Union([Type.String(), Type.Null()], {
    description: '对象现在的名称：用户为“显示名称（用户名）”，报告为“事项 · 单位 · 报送期”，单位、计划为其名称；找不到时为 null',
  }),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export const AuditFacets = Type.Object({
  actions: Type.Array(Type.String()),
  objectTypes: Type.Array(Type.String()),
  actors: Type.Array(Type.Object({ actor: Type.String(), name: Type.String() })),
  organisations: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
});

export const AuditPage = Type.Object({ total: Type.Integer(), events: Type.Array(AuditEvent), facets: Type.Optional(AuditFacets) });

export type AuditListQuery = Static<typeof AuditListQuery>;
export type AuditExportQuery = Static<typeof AuditExportQuery>;
export type AuditEvent = Static<typeof AuditEvent>;
export type AuditFacets = Static<typeof AuditFacets>;
export type AuditPage = Static<typeof AuditPage>;
/** The filters shared by a page of the trail and its export. */
export type AuditFilters = Omit<AuditExportQuery, 'format'>;
