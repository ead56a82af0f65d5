import type { Executor, OrganisationRow } from '../schema.js';

/** Every organisation, retired and merged ones included, by id. */
export async function listOrganisations(db: Executor): Promise<OrganisationRow[]> {
  return db.selectFrom('organisations').selectAll().orderBy('id').execute();
}

/** The organisation with this id. */
export async function findOrganisationById(db: Executor, id: number): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every alias (short or old name) with the organisation it names. */
export async function listAliases(db: Executor): Promise<{ alias: string; organisation_id: number }[]> {
  return db.selectFrom('organisation_aliases').select(['alias', 'organisation_id']).orderBy('alias').execute();
}

/** Adds an active organisation; returns its id. */
export async function insertOrganisation(
  db: Executor,
  values: { name: string; kind: string; parentId?: number | null; createdAt: string },
): Promise<number> {
  const row = await db
    .insertInto('organisations')
    .values({
      name: values.name,
      kind: values.kind,
      parent_id: values.parentId ?? null,
      active: 1,
      merged_into_id: null,
      created_at: values.createdAt,
      updated_at: values.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Gives an organisation one more alias. */
export async function insertAlias(db: Executor, values: { organisationId: number; alias: string; createdAt: string }): Promise<void> {
  await db
    .insertInto('organisation_aliases')
    .values({ organisation_id: values.organisationId, alias: values.alias, created_at: values.createdAt })
    .execute();
}

/** How many items each organisation leads and cooperates on, across all plans. */
export async function countItemRoles(db: Executor): Promise<{ organisation_id: number; role: string; count: number }[]> {
  const rows = await db
    .selectFrom('item_organisations')
    .select(['organisation_id', 'role'])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .groupBy(['organisation_id', 'role'])
    .execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

/** Changes an organisation's columns given. */
export async function updateOrganisation(
  db: Executor,
  id: number,
  values: Partial<Pick<OrganisationRow, 'name' | 'kind' | 'parent_id' | 'active' | 'merged_into_id'>> & { updated_at: string },
): Promise<void> {
  await db.updateTable('organisations').set(values).where('id', '=', id).execute();
}

/** Takes these aliases from an organisation. */
export async function deleteAliases(db: Executor, organisationId: number, aliases: string[]): Promise<void> {
  if (aliases.length === 0) return;
  await db.deleteFrom('organisation_aliases').where('organisation_id', '=', organisationId).where('alias', 'in', aliases).execute();
}

/** How many user accounts each organisation has. */
export async function countUsersByOrganisation(db: Executor): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('users')
    .select('organisation_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .groupBy('organisation_id')
    .execute();
  return new Map(rows.map((row) => [row.organisation_id, Number(row.count)]));
}

/** The organisations with these ids, with what decides whether they can still be given work. */
export async function findOrganisationsByIds(
  db: Executor,
  ids: number[],
): Promise<Pick<OrganisationRow, 'id' | 'name' | 'merged_into_id'>[]> {
  return db.selectFrom('organisations').select(['id', 'name', 'merged_into_id']).where('id', 'in', ids).execute();
}

/** The items and periods for which both units have a report: these cannot simply be moved from one to the other. */
export async function findReportClashes(db: Executor, sourceId: number, targetId: number): Promise<{ item_id: number; code: string }[]> {
  return db
    .selectFrom('reports as s')
    .innerJoin('reports as t', (join) => join.onRef('t.item_id', '=', 's.item_id').onRef('t.period_id', '=', 's.period_id'))
    .innerJoin('periods', 'periods.id', 's.period_id')
    .select(['s.item_id', 'periods.code'])
    .where('s.organisation_id', '=', sourceId)
    .where('t.organisation_id', '=', targetId)
    .orderBy('s.item_id')
    .execute();
}

/** Gives a unit's rows in one of the tables that name their unit to another unit; how many moved. */
export async function moveRowsOfOrganisation(
  db: Executor,
  table: 'reports' | 'users' | 'api_tokens' | 'imports',
  sourceId: number,
  targetId: number,
): Promise<number> {
  const result = await db.updateTable(table).set({ organisation_id: targetId }).where('organisation_id', '=', sourceId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Puts a unit's subordinate units under another unit; how many moved. */
export async function moveChildOrganisations(db: Executor, sourceId: number, targetId: number, at: string): Promise<number> {
  const result = await db
    .updateTable('organisations')
    .set({ parent_id: targetId, updated_at: at })
    .where('parent_id', '=', sourceId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives a unit's aliases to another unit; how many moved. */
export async function moveAliases(db: Executor, sourceId: number, targetId: number): Promise<number> {
  const result = await db
    .updateTable('organisation_aliases')
    .set({ organisation_id: targetId })
    .where('organisation_id', '=', sourceId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Points the retired records merged into one unit at the unit it is now merged into. */
export async function repointMergedOrganisations(db: Executor, fromId: number, toId: number, at: string): Promise<void> {
  await db.updateTable('organisations').set({ merged_into_id: toId, updated_at: at }).where('merged_into_id', '=', fromId).execute();
}
