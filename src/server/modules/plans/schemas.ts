import { Type } from 'typebox';
import { Id, OrganisationRef, PlanCounts } from '../../schemas.js';

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
            }),
          ),
        }),
      ),
    }),
  ),
});
