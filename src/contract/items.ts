import { Type, type Static } from 'typebox';
import { Id, OrganisationRef, PeriodRef, PlanRef } from './common.js';

/** One item with its units and every report written on it. */
export const ItemParams = Type.Object({ itemId: Id });

export const ItemDetailResponse = Type.Object({
  item: Type.Object({
    id: Type.Integer(),
    position: Type.Integer(),
    work: Type.String(),
    leadText: Type.String(),
    cooperatingText: Type.String(),
    lead: Type.Array(OrganisationRef),
    cooperating: Type.Array(OrganisationRef),
  }),
  task: Type.Object({ id: Type.Integer(), number: Type.String(), name: Type.String() }),
  chapter: Type.Object({ id: Type.Integer(), numeral: Type.String(), title: Type.String() }),
  plan: PlanRef,
  reports: Type.Array(
    Type.Object({
      id: Type.Integer(),
      organisation: OrganisationRef,
      period: PeriodRef,
      text: Type.String(),
      state: Type.String(),
      stateLabel: Type.String(),
      revision: Type.Integer(),
      updatedAt: Type.String(),
    }),
  ),
});
export type ItemDetailResponse = Static<typeof ItemDetailResponse>;
export type ItemReportRow = ItemDetailResponse['reports'][number];
