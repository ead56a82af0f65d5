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

/** RFC 6266/5987: an ASCII fallback plus the UTF-8 name, so Chinese file names survive every browser. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
