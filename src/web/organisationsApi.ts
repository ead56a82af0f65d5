/** The organisation register's API: shapes from src/contract/organisations.ts. */
import type {
  ListOrganisationsResponse,
  MergeResponse,
  NewOrganisationBody,
  OrganisationRecord,
  UpdateOrganisationBody,
} from '../contract/organisations.js';
import type { OrganisationKind } from '../contract/vocabulary.js';
import { requestJson } from './api.js';

export const ORGANISATION_KIND_OPTIONS = [
  { value: 'city_department', label: '市级部门' },
  { value: 'county_level_government', label: '县级市（区）政府' },
  { value: 'management_committee', label: '管委会' },
  { value: 'state_enterprise', label: '国有企业' },
  { value: 'city_government', label: '市政府' },
  { value: 'collective', label: '统称' },
  { value: 'other', label: '其他单位' },
] as const satisfies readonly { value: OrganisationKind; label: string }[];

export const organisationsApi = {
  list: (signal?: AbortSignal) => requestJson<ListOrganisationsResponse>('/api/organisations', { signal }),
  create: (input: NewOrganisationBody) => requestJson<OrganisationRecord>('/api/organisations', { method: 'POST', body: input }),
  update: (id: number, changes: UpdateOrganisationBody) =>
    requestJson<OrganisationRecord>(`/api/organisations/${id}`, { method: 'PATCH', body: changes }),
  /** What merging would move, worked out and rolled back by the server: a merge without `confirm`. */
  previewMerge: (id: number, into: number) =>
    requestJson<MergeResponse>(`/api/organisations/${id}/merge`, { method: 'POST', body: { into } }),
  /** The merge itself, once the person has seen the preview and confirmed. */
  merge: (id: number, into: number) =>
    requestJson<MergeResponse>(`/api/organisations/${id}/merge`, { method: 'POST', body: { into, confirm: true } }),
};
