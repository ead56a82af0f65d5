import { requestJson, type OrganisationRow } from './api.js';

/** A unit of the register as its keepers see it. */
export interface OrganisationRecord extends OrganisationRow {
  parent: { id: number; name: string } | null;
  active: boolean;
  mergedInto: { id: number; name: string } | null;
  userCount: number;
  updatedAt: string | null;
}

export interface OrganisationChanges {
  name?: string;
  kind?: string;
  parentId?: number | null;
  active?: boolean;
  aliases?: string[];
  keepOldNameAsAlias?: boolean;
  /** the server retires a current unit only with this explicit yes */
  confirm?: true;
}

export interface MergeResult {
  source: OrganisationRecord;
  target: OrganisationRecord;
  moved: { leadLinks: number; cooperatingLinks: number; reports: number; users: number; tokens: number; imports: number; children: number; aliases: number };
  dryRun: boolean;
}

export const ORGANISATION_KIND_OPTIONS = [
  { value: 'city_department', label: '市级部门' },
  { value: 'county_level_government', label: '县级市（区）政府' },
  { value: 'management_committee', label: '管委会' },
  { value: 'state_enterprise', label: '国有企业' },
  { value: 'city_government', label: '市政府' },
  { value: 'collective', label: '统称' },
  { value: 'other', label: '其他单位' },
] as const;

export const organisationsApi = {
  list: (signal?: AbortSignal) => requestJson<{ organisations: OrganisationRecord[] }>('/api/organisations', { signal }),
  create: (input: { name: string; kind: string; parentId?: number | null; aliases?: string[] }) =>
    requestJson<OrganisationRecord>('/api/organisations', { method: 'POST', body: input }),
  update: (id: number, changes: OrganisationChanges) => requestJson<OrganisationRecord>(`/api/organisations/${id}`, { method: 'PATCH', body: changes }),
  /** What merging would move, worked out and rolled back by the server: a merge without `confirm`. */
  previewMerge: (id: number, into: number) => requestJson<MergeResult>(`/api/organisations/${id}/merge`, { method: 'POST', body: { into } }),
  /** The merge itself, once the person has seen the preview and confirmed. */
  merge: (id: number, into: number) => requestJson<MergeResult>(`/api/organisations/${id}/merge`, { method: 'POST', body: { into, confirm: true } }),
};
