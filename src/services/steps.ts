import type { Step } from '../contract/reports.js';
import { listStepsOfUnit, listUnitsOfItem, replaceStepsOfUnit } from '../db/repositories/assignments.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import { findItemById } from '../db/repositories/plans.js';
import { isIsoDate } from '../domain/calendar.js';
import { badInput } from '../domain/errors.js';
import type { Principal } from './accounts.js';
import type { Actor, ServiceContext } from './context.js';
import { forbidden, notFoundOf, readScopeOf, reportingActorOf } from './policy.js';

/**
 * A unit's own breakdown of its part of an item into steps with milestones (再分解): its members keep the list;
 * the lead unit and the city-wide roles read it.
 */

export interface StepInput {
  title: string;
  dueOn?: string | null;
  doneOn?: string | null;
}

export const MAX_STEPS = 50;

async function links(ctx: ServiceContext, itemId: number) {
  if (!(await findItemById(ctx.db, itemId))) throw notFoundOf('steps');
  return listUnitsOfItem(ctx.db, itemId);
}

/** A unit's steps of an item, for its members, the item's lead units and the city-wide roles. */
export async function listSteps(ctx: ServiceContext, principal: Principal, itemId: number, organisationId: number): Promise<Step[]> {
  const itemLinks = await links(ctx, itemId);
  const scope = readScopeOf(principal);
  const leads = itemLinks.filter((link) => link.role === 'lead').map((link) => link.organisation_id);
  const visible = !scope || scope.organisationId === organisationId || leads.includes(scope.organisationId);
  if (!visible) throw notFoundOf('steps');
  // a unit that no longer has a part (reassigned a moment ago) simply has no steps here
  const rows = await listStepsOfUnit(ctx.db, itemId, organisationId);
  return rows.map((row) => ({ id: row.id, position: row.position, title: row.title, dueOn: row.due_on, doneOn: row.done_on }));
}

/** Replaces the unit's steps of an item with the list given, in its order. */
export async function setSteps(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  itemId: number,
  organisationId: number,
  steps: StepInput[],
): Promise<Step[]> {
  const unit = reportingActorOf(principal);
  if (!unit || (unit.role !== 'unit_leader' && unit.role !== 'unit_reporter') || unit.organisationId !== organisationId) throw forbidden();
  if (!(await links(ctx, itemId)).some((link) => link.organisation_id === organisationId)) throw notFoundOf('steps');
  if (steps.length > MAX_STEPS) throw badInput('too_many_steps', `每个事项最多分解为 ${MAX_STEPS} 个步骤。`);
  const cleaned = steps.map((step, index) => {
    const title = step.title.trim();
    if (!title) throw badInput('step_title_required', `第 ${index + 1} 个步骤缺少内容。`);
    for (const date of [step.dueOn, step.doneOn])
      if (date && !isIsoDate(date)) throw badInput('invalid_date', `第 ${index + 1} 个步骤的日期“${date}”无效。`);
    return { title, dueOn: step.dueOn || null, doneOn: step.doneOn || null };
  });
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await listStepsOfUnit(trx, itemId, organisationId);
    await replaceStepsOfUnit(trx, itemId, organisationId, cleaned, at);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId,
        source: actor.source,
        action: 'item.steps',
        objectType: 'item',
        objectId: itemId,
        before: before.map((step) => ({ title: step.title, dueOn: step.due_on, doneOn: step.done_on })),
        after: cleaned,
      },
      at,
    );
  });
  return listSteps(ctx, principal, itemId, organisationId);
}
