import type { Insertable, Selectable } from 'kysely';
import type { Executor, ItemOrganisationTable, ItemStepRow } from '../schema.js';

/**
 * Who does an item (the `item_organisations` links with their 签收 state) and each unit's own steps of its part
 * (`item_steps`). The caller owns the transaction.
 */

export type ItemLinkRow = Selectable<ItemOrganisationTable>;

/** An item's assignments with their units' names, leads first, each role in its printed order. */
export async function listAssignmentsOfItem(db: Executor, itemId: number) {
  return db
    .selectFrom('item_organisations')
    .innerJoin('organisations', 'organisations.id', 'item_organisations.organisation_id')
    .select([
      'organisations.id',
      'organisations.name',
      'item_organisations.role',
      'item_organisations.state',
      'item_organisations.state_reason',
      'item_organisations.state_at',
      'item_organisations.state_by',
    ])
    .where('item_organisations.item_id', '=', itemId)
    .orderBy('item_organisations.role', 'desc')
    .orderBy('item_organisations.position')
    .execute();
}

/** Which units have a part in an item, and in which role. */
export async function listUnitsOfItem(db: Executor, itemId: number): Promise<Pick<ItemLinkRow, 'organisation_id' | 'role'>[]> {
  return db.selectFrom('item_organisations').select(['organisation_id', 'role']).where('item_id', '=', itemId).execute();
}

/** A unit's links to an item: one, or two when it both leads and cooperates. */
export async function findLinksOfUnit(db: Executor, itemId: number, organisationId: number): Promise<ItemLinkRow[]> {
  return db
    .selectFrom('item_organisations')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('organisation_id', '=', organisationId)
    .execute();
}

/** Every link of any of these units, for moving one unit's parts to another. */
export async function listLinksOfUnits(db: Executor, organisationIds: number[]): Promise<ItemLinkRow[]> {
  return db.selectFrom('item_organisations').selectAll().where('organisation_id', 'in', organisationIds).execute();
}

/** Whether the unit has any report (of any period) on the item. */
export async function unitHasReportsOnItem(db: Executor, itemId: number, organisationId: number): Promise<boolean> {
  const row = await db
    .selectFrom('reports')
    .select('id')
    .where('item_id', '=', itemId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a unit's answer (signed for or returned) on all its links to the item. */
export async function setLinkStateOfUnit(
  db: Executor,
  itemId: number,
  organisationId: number,
  state: { state: string; reason: string | null; at: string; by: string },
): Promise<void> {
  await db
    .updateTable('item_organisations')
    .set({ state: state.state, state_reason: state.reason, state_at: state.at, state_by: state.by })
    .where('item_id', '=', itemId)
    .where('organisation_id', '=', organisationId)
    .execute();
}

/** Removes every unit's link to the item, before the office's new assignment is written. */
export async function deleteLinksOfItem(db: Executor, itemId: number): Promise<void> {
  await db.deleteFrom('item_organisations').where('item_id', '=', itemId).execute();
}

/** Removes one unit's link to an item in one role. */
export async function deleteLink(db: Executor, link: Pick<ItemLinkRow, 'item_id' | 'organisation_id' | 'role'>): Promise<void> {
  await db
    .deleteFrom('item_organisations')
    .where('item_id', '=', link.item_id)
    .where('organisation_id', '=', link.organisation_id)
    .where('role', '=', link.role)
    .execute();
}

/** Gives a unit a part in an item. */
export async function insertLink(db: Executor, link: Insertable<ItemOrganisationTable>): Promise<void> {
  await db.insertInto('item_organisations').values(link).execute();
}

/** The 牵头单位 and 配合单位 cells of an item as printed in tables. */
export async function updatePrintedUnits(
  db: Executor,
  itemId: number,
  printed: { lead_text: string; cooperating_text: string },
): Promise<void> {
  await db.updateTable('items').set(printed).where('id', '=', itemId).execute();
}

/** A unit's steps of an item, in its order. */
export async function listStepsOfUnit(db: Executor, itemId: number, organisationId: number): Promise<ItemStepRow[]> {
  return db
    .selectFrom('item_steps')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('organisation_id', '=', organisationId)
    .orderBy('position')
    .execute();
}

/** Replaces a unit's steps of an item with these, numbered in the order given. */
export async function replaceStepsOfUnit(
  db: Executor,
  itemId: number,
  organisationId: number,
  steps: { title: string; dueOn: string | null; doneOn: string | null }[],
  at: string,
): Promise<void> {
  await db.deleteFrom('item_steps').where('item_id', '=', itemId).where('organisation_id', '=', organisationId).execute();
  if (steps.length === 0) return;
  await db
    .insertInto('item_steps')
    .values(
      steps.map((step, index) => ({
        item_id: itemId,
        organisation_id: organisationId,
        position: index + 1,
        title: step.title,
        due_on: step.dueOn,
        done_on: step.doneOn,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}
