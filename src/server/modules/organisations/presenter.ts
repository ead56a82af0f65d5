import type { Static } from 'typebox';
import type { getOrganisationDetail, listOrganisationSummaries } from '../../../services/catalogue.js';
import type { OrganisationSummary } from '../../../services/summary.js';
import type { ListOrganisationsResponse, OrganisationDetailResponse, SummaryResponse } from './schemas.js';

export function presentOrganisations(
  organisations: Awaited<ReturnType<typeof listOrganisationSummaries>>,
): Static<typeof ListOrganisationsResponse> {
  return { organisations };
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
