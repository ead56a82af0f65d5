import type { Static } from 'typebox';
import type { getPlanTree, PlanSummary as PlanSummaryModel } from '../../../services/catalogue.js';
import type { ListPlansResponse, PlanTreeResponse } from './schemas.js';

export function presentPlans(plans: PlanSummaryModel[]): Static<typeof ListPlansResponse> {
  return { plans: plans.map(({ id, year, title, issuer, counts }) => ({ id, year, title, issuer, counts })) };
}

export function presentPlanTree(tree: Awaited<ReturnType<typeof getPlanTree>>): Static<typeof PlanTreeResponse> {
  return tree;
}
