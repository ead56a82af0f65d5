import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../auth.js';
import type { OrganisationRef as Org } from '../../contract/common.js';

/** Roles that read only their own unit; the server answers 404 for another unit's page. */
const UNIT_ROLES = new Set(['unit_reporter', 'unit_leader']);

/** Whether the signed-in person may open a unit's page: city-wide readers every unit, a unit role only its own. */
export function useMayOpenOrganisation(): (organisationId: number) => boolean {
  const { user } = useAuth();
  return (organisationId) => !!user && (!UNIT_ROLES.has(user.role) || user.organisation.id === organisationId);
}

/** A unit's name linking to its page when the reader may open it, plain text otherwise, so no link leads to 未找到. */
export function OrgLink({ org, children }: { org: Pick<Org, 'id' | 'name'>; children?: ReactNode }) {
  const mayOpen = useMayOpenOrganisation();
  const content = children ?? org.name;
  if (!mayOpen(org.id)) return <>{content}</>;
  return (
    <Link to={`/organisations/${org.id}`} onClick={(event) => event.stopPropagation()}>
      {content}
    </Link>
  );
}

/** Responsible units as tags that link to the unit's page: lead units blue, cooperating units default. */
export function OrgTags({ orgs, lead, empty = '—' }: { orgs: Org[]; lead?: boolean; empty?: string }) {
  if (orgs.length === 0) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <span className="org-tags">
      {orgs.map((org) => (
        <span key={org.id} title={`${org.name}（${org.kindLabel}）`}>
          <OrgLink org={org}>
            <Tag color={lead ? 'blue' : undefined} className="org-tag">
              {org.name}
            </Tag>
          </OrgLink>
        </span>
      ))}
    </span>
  );
}
