import { Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { Org } from '../api.js';

/** Responsible units as tags that link to the unit's page: lead units blue, cooperating units default. */
export function OrgTags({ orgs, lead, empty = '—' }: { orgs: Org[]; lead?: boolean; empty?: string }) {
  if (orgs.length === 0) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <span className="org-tags">
      {orgs.map((org) => (
        <Link
          key={org.id}
          to={`/organisations/${org.id}`}
          title={`${org.name}（${org.kindLabel}）`}
          onClick={(event) => event.stopPropagation()}
        >
          <Tag color={lead ? 'blue' : undefined} className="org-tag">
            {org.name}
          </Tag>
        </Link>
      ))}
    </span>
  );
}
