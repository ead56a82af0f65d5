import { Type } from 'typebox';
import { EXPORT_FORMATS } from '../../../documents/index.js';
import { Id, OrganisationRef, PeriodRef, SummaryColumns, summaryItemFields } from '../../schemas.js';

export const OrganisationParams = Type.Object({ orgId: Id });

export const ListOrganisationsResponse = Type.Object({
  organisations: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      kind: Type.String(),
      kindLabel: Type.String(),
      aliases: Type.Array(Type.String()),
      leadCount: Type.Integer(),
      cooperatingCount: Type.Integer(),
    }),
  ),
});

export const OrganisationDetailResponse = Type.Object({
  organisation: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    kind: Type.String(),
    kindLabel: Type.String(),
    aliases: Type.Array(Type.String()),
  }),
  plans: Type.Array(Type.Object({ id: Type.Integer(), year: Type.Integer(), title: Type.String(), periods: Type.Array(PeriodRef) })),
});

const PeriodCode = Type.String({ pattern: '^\\d{4}-(Y|H[12]|Q[1-4]|M(0[1-9]|1[0-2]))$', description: '报送周期，如 2022-Y（全年）、2022-H1、2022-Q3、2022-M05' });

export const SummaryQuery = Type.Object({
  plan: Type.Optional(Id),
  period: Type.Optional(PeriodCode),
});

export const ExportQuery = Type.Object({
  plan: Type.Optional(Id),
  period: Type.Optional(PeriodCode),
  format: Type.Union(EXPORT_FORMATS.map((format) => Type.Literal(format))),
});

export const SummaryResponse = Type.Object({
  organisation: OrganisationRef,
  plan: Type.Object({ id: Type.Integer(), year: Type.Integer(), title: Type.String() }),
  period: PeriodRef,
  table: Type.Object({
    title: Type.String(),
    organisation: Type.String(),
    columns: SummaryColumns,
    chapters: Type.Array(
      Type.Object({
        numeral: Type.String(),
        title: Type.String(),
        tasks: Type.Array(
          Type.Object({
            id: Type.Integer(),
            number: Type.String(),
            name: Type.String(),
            items: Type.Array(
              Type.Object({ id: Type.Integer(), ...summaryItemFields }),
            ),
          }),
        ),
      }),
    ),
  }),
});
