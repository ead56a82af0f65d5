import type { Executor, OrganisationRow } from '../schema.js';

export async function listOrganisations(db: Executor): Promise<OrganisationRow[]> {
  return db.selectFrom('organisations').selectAll().orderBy('id').execute();
}

export async function findOrganisationById(db: Executor, id: number): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAliases(db: Executor): Promise<{ alias: string; organisation_id: number }[]> {
  return db.selectFrom('organisation_aliases').select(['alias', 'organisation_id']).orderBy('alias').execute();
}

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

export async function updateOrganisation(
  db: Executor,
  id: number,
  values: Partial<Pick<OrganisationRow, 'name' | 'kind' | 'parent_id' | 'active' | 'merged_into_id'>> & { updated_at: string },
): Promise<void> {
  await db.updateTable('organisations').set(values).where('id', '=', id).execute();
}

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
