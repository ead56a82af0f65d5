import { expect } from 'vitest';
import type { Db } from '../../src/db/schema.js';
import { getPlanTree, listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext } from '../../src/services/context.js';

/** Everything stored for the one plan, without ids: tree, optional columns, periods, reports and aliases. */
export async function storedPlan(db: Db) {
  const ctx = createServiceContext(db);
  const plans = await listPlanSummaries(ctx);
  expect(plans).toHaveLength(1);
  const tree = await getPlanTree(ctx, plans[0]!.id);
  const withoutIds = JSON.parse(JSON.stringify(tree, (key, value) => (key === 'id' ? undefined : value)));
  const items = await db.selectFrom('items').select(['work', 'lead_text', 'cooperating_text', 'extra']).orderBy('work').execute();
  const periods = await db.selectFrom('periods').select(['code', 'label']).orderBy('code').execute();
  const reports = await db
    .selectFrom('reports')
    .innerJoin('organisations', 'organisations.id', 'reports.organisation_id')
    .innerJoin('items', 'items.id', 'reports.item_id')
    .innerJoin('periods', 'periods.id', 'reports.period_id')
    .select(['organisations.name', 'items.work', 'periods.code', 'reports.text'])
    .orderBy('items.work')
    .orderBy('organisations.name')
    .execute();
  const aliases = await db
    .selectFrom('organisation_aliases')
    .innerJoin('organisations', 'organisations.id', 'organisation_aliases.organisation_id')
    .select(['alias', 'organisations.name'])
    .orderBy('alias')
    .execute();
  return {
    tree: withoutIds,
    items: items.map((item) => ({ ...item, extra: JSON.parse(item.extra) as unknown })),
    periods,
    reports,
    aliases,
  };
}
