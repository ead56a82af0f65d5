import type { Assignment } from '../contract/reports.js';
import {
  deleteLinksOfItem,
  findLinksOfUnit,
  insertLink,
  listAssignmentsOfItem,
  setLinkStateOfUnit,
  unitHasReportsOnItem,
  updatePrintedUnits,
} from '../db/repositories/assignments.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import { findOrganisationsByIds } from '../db/repositories/organisations.js';
import { findItemById } from '../db/repositories/plans.js';
import type { Executor } from '../db/schema.js';
import { badInput, conflict } from '../domain/errors.js';
import type { Principal } from './accounts.js';
import { lookUpActors } from './actors.js';
import type { Actor, ServiceContext } from './context.js';
import { forbidden, notFoundOf, readScopeOf, reportingActorOf } from './policy.js';

/**
 * Who does an item: the supervision office assigns lead and cooperating units; each unit signs for its part
 * (签收) or returns it with a reason (退回) when it is not theirs, and the office then reassigns it.
 */

export const ASSIGNMENT_STATE_LABELS: Record<string, string> = { assigned: '待签收', acknowledged: '已签收', returned: '已退回' };

/** An item's assignments with their state in words and who last set it, leads first. */
export async function listAssignments(db: Executor, itemId: number): Promise<Assignment[]> {
  const rows = await listAssignmentsOfItem(db, itemId);
  const names = await lookUpActors(
    db,
    rows.flatMap((row) => (row.state_by ? [row.state_by] : [])),
  );
  return rows.map((row) => ({
    organisation: { id: row.id, name: row.name },
    role: row.role,
    state: row.state,
    stateLabel: ASSIGNMENT_STATE_LABELS[row.state] ?? row.state,
    reason: row.state_reason,
    at: row.state_at,
    by: row.state_by === null ? null : names.short(row.state_by),
  }));
}

/** The assignments of an item a principal may see: a unit sees its item's assignments only when it has a part. */
export async function getAssignments(ctx: ServiceContext, principal: Principal, itemId: number): Promise<Assignment[]> {
  const item = await findItemById(ctx.db, itemId);
  const assignments = item ? await listAssignments(ctx.db, itemId) : [];
  const scope = readScopeOf(principal);
  if (!item || (scope && !assignments.some((assignment) => assignment.organisation.id === scope.organisationId))) {
    throw notFoundOf('item');
  }
  return assignments;
}

/** Signs for (acknowledge) or returns the acting unit's part of an item. */
export async function answerAssignment(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  itemId: number,
  input: { answer: 'acknowledge' | 'return'; reason?: string },
): Promise<Assignment[]> {
  const unit = reportingActorOf(principal);
  if (!unit || (unit.role !== 'unit_leader' && unit.role !== 'unit_reporter')) throw forbidden();
  const reason = input.reason?.trim() || null;
  if (input.answer === 'return' && !reason) throw badInput('reason_required', '退回分工时请写明理由，如“该项工作由某单位负责”。');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const links = await findLinksOfUnit(trx, itemId, unit.organisationId);
    if (links.length === 0) throw notFoundOf('item');
    const state = input.answer === 'acknowledge' ? 'acknowledged' : 'returned';
    if (links.every((link) => link.state === state)) return;
    if (input.answer === 'return' && links.some((link) => link.state === 'acknowledged')) {
      // a part once signed for is returned only through the office, which may have planned around it
      if (await unitHasReportsOnItem(trx, itemId, unit.organisationId))
        throw conflict('assignment_has_reports', '本单位已就该事项填报过报告，不能退回分工；如分工有误，请联系督查室调整。');
    }
    await setLinkStateOfUnit(trx, itemId, unit.organisationId, { state, reason, at, by: actor.id });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: unit.organisationId,
        source: actor.source,
        action: `assignment.${input.answer}`,
        objectType: 'item',
        objectId: itemId,
        before: { state: links[0]!.state },
        after: { state, reason },
      },
      at,
    );
  });
  return listAssignments(ctx.db, itemId);
}

/**
 * The office sets an item's units. Units kept keep what they signed; new ones must sign; the printed 牵头单位 and
 * 配合单位 cells follow the new assignment.
 */
export async function reassignItem(
  ctx: ServiceContext,
  actor: Actor,
  itemId: number,
  input: { lead: number[]; cooperating: number[] },
): Promise<Assignment[]> {
  const lead = [...new Set(input.lead)];
  const cooperating = [...new Set(input.cooperating)].filter((id) => !lead.includes(id));
  if (lead.length === 0) throw badInput('lead_required', '每个事项至少要有一个牵头单位。');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const item = await findItemById(trx, itemId);
    if (!item) throw notFoundOf('item');
    const organisations = await findOrganisationsByIds(trx, [...lead, ...cooperating]);
    for (const id of [...lead, ...cooperating]) {
      const organisation = organisations.find((row) => row.id === id);
      if (!organisation) throw badInput('organisation_not_found', `找不到编号为 ${id} 的单位。`);
      if (organisation.merged_into_id !== null)
        throw badInput('organisation_merged', `“${organisation.name}”已并入其他单位，请选择合并后的单位。`);
    }
    const before = await listAssignments(trx, itemId);
    const wanted = [
      ...lead.map((id) => ({ id, role: 'lead' as const })),
      ...cooperating.map((id) => ({ id, role: 'cooperating' as const })),
    ];
    await deleteLinksOfItem(trx, itemId);
    const positions = { lead: 0, cooperating: 0 };
    for (const { id, role } of wanted) {
      const previous = before.find((assignment) => assignment.organisation.id === id && assignment.role === role);
      await insertLink(trx, {
        item_id: itemId,
        organisation_id: id,
        role,
        position: ++positions[role],
        state: previous && previous.state !== 'returned' ? previous.state : 'assigned',
        state_reason: previous && previous.state !== 'returned' ? previous.reason : null,
        state_at: previous && previous.state !== 'returned' ? previous.at : at,
        state_by: previous && previous.state !== 'returned' ? null : actor.id,
      });
    }
    const names = (ids: number[]) => ids.map((id) => organisations.find((row) => row.id === id)!.name).join('、');
    const sameAs = (role: 'lead' | 'cooperating', ids: number[]) => {
      const had = before.filter((assignment) => assignment.role === role).map((assignment) => assignment.organisation.id);
      return had.length === ids.length && had.every((id, index) => id === ids[index]);
    };
    // the cells as written stay as they were when the units did not change, so that tables print back cell for cell
    const printed = {
      lead_text: sameAs('lead', lead) ? item.lead_text : names(lead),
      cooperating_text: sameAs('cooperating', cooperating) ? item.cooperating_text : names(cooperating),
    };
    await updatePrintedUnits(trx, itemId, printed);
    const summary = (assignments: { organisation: { id: number }; role: string; state?: string }[]) =>
      assignments.map((assignment) => ({ organisationId: assignment.organisation.id, role: assignment.role, state: assignment.state }));
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: null,
        source: actor.source,
        action: 'item.assign',
        objectType: 'item',
        objectId: itemId,
        before: { assignments: summary(before), leadText: item.lead_text, cooperatingText: item.cooperating_text },
        after: {
          assignments: summary(await listAssignments(trx, itemId)),
          leadText: printed.lead_text,
          cooperatingText: printed.cooperating_text,
        },
      },
      at,
    );
  });
  return listAssignments(ctx.db, itemId);
}
