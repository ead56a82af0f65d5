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

export async function insertOrganisation(db: Executor, values: { name: string; kind: string; createdAt: string }): Promise<number> {
  const row = await db
    .insertInto('organisations')
    .values({ name: values.name, kind: values.kind, parent_id: null, active: 1, created_at: values.createdAt })
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
