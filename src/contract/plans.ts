import { Type, type Static } from 'typebox';
import { Id, OrganisationRef, PeriodCode, PlanCounts, PlanRef, summaryTableOf, Words } from './common.js';
import { EXPORT_FORMATS, LIGHTS, NOT_REPORTED, REPORT_STATUSES } from './vocabulary.js';
import { LIGHT_RULE_CODES } from './warning-rules.js';

/** Plans: the list, one plan's chapter–task–item tree, and the city-wide summary table of a period. */
export const PlanSummary = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  title: Type.String(),
  issuer: Type.String(),
  counts: PlanCounts,
});

export const ListPlansResponse = Type.Object({ plans: Type.Array(PlanSummary) });

export const PlanParams = Type.Object({ planId: Id });

export const PlanTreeResponse = Type.Object({
  plan: PlanSummary,
  chapters: Type.Array(
    Type.Object({
      id: Type.Integer(),
      numeral: Type.String(),
      title: Type.String(),
      tasks: Type.Array(
        Type.Object({
          id: Type.Integer(),
          number: Type.String(),
          name: Type.String(),
          items: Type.Array(
            Type.Object({
              id: Type.Integer(),
              position: Type.Integer(),
              work: Type.String(),
              lead: Type.Array(OrganisationRef),
              cooperating: Type.Array(OrganisationRef),
              closed: Type.Boolean({ description: '已办结销号' }),
            }),
          ),
        }),
      ),
    }),
  ),
});

const CityFilters = {
  period: Type.Optional(PeriodCode),
  chapter: Type.Optional(Type.String({ maxLength: 4, description: '章节序号，如 九' })),
  organisation: Type.Optional(Id),
  status: Type.Optional(Type.String({ enum: [...REPORT_STATUSES, NOT_REPORTED], description: '完成状态或“未报送”' })),
  light: Type.Optional(Words(LIGHTS)),
};
export const CitySummaryQuery = Type.Object(CityFilters);
export const CitySummaryExportQuery = Type.Object({ ...CityFilters, format: Words(EXPORT_FORMATS) });

export const CityItem = Type.Object({
  id: Type.Integer(),
  work: Type.String(),
  lead: Type.String(),
  cooperating: Type.String(),
  completion: Type.String(),
  status: Type.String(),
  light: Words(LIGHTS),
  lightLabel: Type.String(),
  lightReason: Type.String(),
  lightRule: Words(LIGHT_RULE_CODES, { description: '决定灯色的规则' }),
  closed: Type.Boolean({ description: '已办结销号' }),
  dueOn: Type.Union([Type.String(), Type.Null()]),
});
export const CitySummaryResponse = Type.Object({
  plan: PlanRef,
  period: Type.Object({
    code: Type.String(),
    label: Type.String(),
    dueOn: Type.Union([Type.String(), Type.Null()]),
    expectedProgress: Type.Number(),
  }),
  counts: Type.Object({
    items: Type.Integer(),
    reported: Type.Integer(),
    byStatus: Type.Record(Type.String(), Type.Integer()),
    byLight: Type.Record(Type.String(), Type.Integer()),
  }),
  table: summaryTableOf(Type.Object({ id: Type.Integer(), number: Type.String(), name: Type.String(), items: Type.Array(CityItem) })),
});

export type PlanSummary = Static<typeof PlanSummary>;
export type ListPlansResponse = Static<typeof ListPlansResponse>;
export type PlanTreeResponse = Static<typeof PlanTreeResponse>;
export type CitySummaryQuery = Static<typeof CitySummaryQuery>;
export type CitySummaryExportQuery = Static<typeof CitySummaryExportQuery>;
export type CityItem = Static<typeof CityItem>;
export type CitySummaryResponse = Static<typeof CitySummaryResponse>;
export type PlanChapter = PlanTreeResponse['chapters'][number];
export type PlanTask = PlanChapter['tasks'][number];
export type PlanItem = PlanTask['items'][number];
