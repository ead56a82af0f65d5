import type { Static } from 'typebox';
import type { getOrganisationDetail } from '../../../services/catalogue.js';
import type { MergeResult, OrganisationRecord } from '../../../services/organisations.js';
import type { OrganisationSummary } from '../../../services/summary.js';
import type { ListOrganisationsResponse, MergeResponse, OrganisationDetailResponse, SummaryResponse } from './schemas.js';

export function presentOrganisations(organisations: OrganisationRecord[]): Static<typeof ListOrganisationsResponse> {
  return { organisations };
}

export function presentMerge(result: MergeResult): Static<typeof MergeResponse> {
  return result;
}

export function presentOrganisation(detail: Awaited<ReturnType<typeof getOrganisationDetail>>): Static<typeof OrganisationDetailResponse> {
  return detail;
}

export function presentSummary(summary: OrganisationSummary): Static<typeof SummaryResponse> {
  return summary;
}
