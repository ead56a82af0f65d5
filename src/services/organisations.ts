import type { MergeResponse, OrganisationRecord } from '../contract/organisations.js';
import { deleteLink, insertLink, listLinksOfUnits } from '../db/repositories/assignments.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import {
  countItemRoles,
  countUsersByOrganisation,
  deleteAliases,
  findReportClashes,
  insertAlias,
  insertOrganisation,
  listAliases,
  listOrganisations,
  moveAliases,
  moveChildOrganisations,
  moveRowsOfOrganisation,
  repointMergedOrganisations,
  updateOrganisation,
} from '../db/repositories/organisations.js';
import type { Executor, OrganisationRow } from '../db/schema.js';
import { badInput, confirmationRequired, conflict } from '../domain/errors.js';
import {
  canonicalOrganisationName,
  ORGANISATION_KIND_LABELS,
  ORGANISATION_KINDS,
  organisationNameProblem,
  type OrganisationKind,
} from '../domain/organisations.js';
import type { Actor, ServiceContext } from './context.js';
import { notFoundOf, type ReadScope } from './policy.js';

/**
 * The organisation register: the units that lead and cooperate on items, with the names tables write for them.
 * Kept by the system administrator and the supervision office; every change is audited with before and after.
 */

export interface OrganisationInput {
  name: string;
  kind: string;
  parentId?: number | null;
  aliases?: string[];
}

export interface OrganisationChanges {
  name?: string;
  kind?: string;
  parentId?: number | null;
  active?: boolean;
  /** the complete list of aliases after the change */
  aliases?: string[];
  /** a renamed unit keeps its old name as an alias unless told not to, so older tables still import */
  keepOldNameAsAlias?: boolean;
  /** retiring a current unit takes an explicit yes: a stray `active: false` must not retire it */
  confirmed?: boolean;
}

const kindLabel = (kind: string) => ORGANISATION_KIND_LABELS[kind as OrganisationKind] ?? kind;

/**
 * Every unit of the register, merged duplicates left out unless asked for; the most involved first. A unit role or
 * token reads only its own unit: every other unit's page would answer 404 to it, so listing them would only offer
 * links that lead nowhere.
 */
export async function listOrganisationRecords(
  ctx: ServiceContext,
  options: { includeMerged?: boolean; scope?: ReadScope } = {},
): Promise<OrganisationRecord[]> {
  const records = await loadRecords(ctx.db);
  const scope = options.scope ?? null;
  return [...records.values()]
    .filter((record) => !scope || record.id === scope.organisationId)
    .filter((record) => options.includeMerged || record.mergedInto === null)
    .sort(
      (a, b) =>
        Number(b.active) - Number(a.active) ||
        b.leadCount + b.cooperatingCount - (a.leadCount + a.cooperatingCount) ||
        a.name.localeCompare(b.name, 'zh-CN'),
    );
}

/** One organisation with its aliases, parent, merge target and how many items and accounts it has; 404 when there is none. */
export async function getOrganisationRecord(db: Executor, id: number): Promise<OrganisationRecord> {
  const record = (await loadRecords(db)).get(id);
  if (!record) throw notFoundOf('organisation');
  return record;
}

async function loadRecords(db: Executor): Promise<Map<number, OrganisationRecord>> {
  const [rows, aliases, roles, users] = await Promise.all([
    listOrganisations(db),
    listAliases(db),
    countItemRoles(db),
    countUsersByOrganisation(db),
  ]);
  const names = new Map(rows.map((row) => [row.id, row.name]));
  const ref = (id: number | null) => (id === null ? null : { id, name: names.get(id) ?? String(id) });
  const count = (id: number, role: string) => roles.find((row) => row.organisation_id === id && row.role === role)?.count ?? 0;
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        name: row.name,
        kind: row.kind,
        kindLabel: kindLabel(row.kind),
        aliases: aliases.filter((alias) => alias.organisation_id === row.id).map((alias) => alias.alias),
        parent: ref(row.parent_id),
        active: row.active === 1,
        mergedInto: ref(row.merged_into_id),
        leadCount: count(row.id, 'lead'),
        cooperatingCount: count(row.id, 'cooperating'),
        userCount: users.get(row.id) ?? 0,
        updatedAt: row.updated_at,
      },
    ]),
  );
}

/** What the audit trail keeps of a unit: the fields people change. */
function snapshot(record: OrganisationRecord) {
  return {
    name: record.name,
    kind: record.kind,
    parentId: record.parent?.id ?? null,
    active: record.active,
    aliases: record.aliases,
    mergedIntoId: record.mergedInto?.id ?? null,
  };
}

function cleanName(raw: string, what: string): string {
  const name = canonicalOrganisationName(raw);
  const problem = organisationNameProblem(name);
  if (problem) throw badInput('invalid_organisation_name', what === '名称' ? problem : `别名：${problem}`);
  return name;
}

function checkKind(kind: string): void {
  if (!(ORGANISATION_KINDS as readonly string[]).includes(kind)) {
    throw badInput('invalid_organisation_kind', `单位类型“${kind}”不存在，可选：${ORGANISATION_KINDS.map(kindLabel).join('、')}。`);
  }
}

/** Each name and alias names one unit only: a name taken by another unit, as its name or alias, is refused. */
async function checkNamesFree(db: Executor, names: string[], ownId: number | null): Promise<void> {
  const [rows, aliases] = await Promise.all([listOrganisations(db), listAliases(db)]);
  const owner = new Map<string, OrganisationRow>();
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of rows) owner.set(row.name, row);
  for (const alias of aliases) owner.set(alias.alias, byId.get(alias.organisation_id)!);
  for (const name of names) {
    const holder = owner.get(name);
    if (holder && holder.id !== ownId) {
      const merged = holder.merged_into_id !== null ? byId.get(holder.merged_into_id) : undefined;
      throw conflict(
        'organisation_name_taken',
        merged
          ? `“${name}”已并入“${merged.name}”，是它的别名。`
          : holder.name === name
            ? `已有名为“${name}”的单位。`
            : `“${name}”已是“${holder.name}”的别名。`,
      );
    }
  }
}

/** The parent must exist, be current, and not be the unit itself or one of its own descendants. */
async function checkParent(db: Executor, parentId: number | null | undefined, ownId: number | null): Promise<void> {
  if (parentId === null || parentId === undefined) return;
  const rows = new Map((await listOrganisations(db)).map((row) => [row.id, row]));
  const parent = rows.get(parentId);
  if (!parent) throw badInput('parent_not_found', `找不到编号为 ${parentId} 的上级单位。`);
  if (parent.merged_into_id !== null) throw badInput('parent_merged', `上级单位“${parent.name}”已并入其他单位，请改选合并后的单位。`);
  for (let at: OrganisationRow | undefined = parent; at; at = at.parent_id === null ? undefined : rows.get(at.parent_id)) {
    if (at.id === ownId) throw badInput('parent_cycle', '上级单位不能是本单位或其下级单位。');
  }
}

function uniqueAliases(raw: string[] | undefined, name: string): string[] {
  const aliases = [...new Set((raw ?? []).map((alias) => cleanName(alias, '别名')))];
  return aliases.filter((alias) => alias !== name);
}

/** Adds a unit to the register under its canonical name, with its aliases. */
export async function createOrganisation(ctx: ServiceContext, actor: Actor, input: OrganisationInput): Promise<OrganisationRecord> {
  const name = cleanName(input.name, '名称');
  checkKind(input.kind);
  const aliases = uniqueAliases(input.aliases, name);
  const at = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    await checkNamesFree(trx, [name, ...aliases], null);
    await checkParent(trx, input.parentId, null);
    const id = await insertOrganisation(trx, { name, kind: input.kind, parentId: input.parentId ?? null, createdAt: at });
    for (const alias of aliases) await insertAlias(trx, { organisationId: id, alias, createdAt: at });
    const record = await getOrganisationRecord(trx, id);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: id,
        source: actor.source,
        action: 'organisation.create',
        objectType: 'organisation',
        objectId: id,
        after: snapshot(record),
      },
      at,
    );
    return record;
  });
}

/** Changes a unit's name, kind, parent, aliases or whether it is active, with before and after audited. */
export async function updateOrganisationRecord(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  changes: OrganisationChanges,
): Promise<OrganisationRecord> {
  const at = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await getOrganisationRecord(trx, id);
    if (before.mergedInto) {
      throw conflict('organisation_merged', `“${before.name}”已并入“${before.mergedInto.name}”，请修改合并后的单位。`);
    }
    const name = changes.name === undefined ? before.name : cleanName(changes.name, '名称');
    if (changes.kind !== undefined) checkKind(changes.kind);
    let aliases = changes.aliases === undefined ? before.aliases : uniqueAliases(changes.aliases, name);
    if (name !== before.name && changes.keepOldNameAsAlias !== false && !aliases.includes(before.name)) aliases = [...aliases, before.name];
    aliases = aliases.filter((alias) => alias !== name);
    await checkNamesFree(trx, [name, ...aliases], id);
    if (changes.parentId !== undefined) await checkParent(trx, changes.parentId, id);

    const parentBefore = before.parent?.id ?? null;
    const active = changes.active ?? before.active;
    if (before.active && !active && changes.confirmed !== true) throw confirmationRequired(`撤销单位“${before.name}”`);
    const values = {
      name,
      kind: changes.kind ?? before.kind,
      parent_id: changes.parentId === undefined ? parentBefore : changes.parentId,
      active: active ? 1 : 0,
    };
    const removed = before.aliases.filter((alias) => !aliases.includes(alias));
    const added = aliases.filter((alias) => !before.aliases.includes(alias));
    const unchanged =
      values.name === before.name &&
      values.kind === before.kind &&
      values.parent_id === parentBefore &&
      active === before.active &&
      removed.length + added.length === 0;
    if (unchanged) return before;

    // the old aliases go first, so that a rename to one of them does not collide with itself
    await deleteAliases(trx, id, removed);
    await updateOrganisation(trx, id, { ...values, updated_at: at });
    for (const alias of added) await insertAlias(trx, { organisationId: id, alias, createdAt: at });
    const after = await getOrganisationRecord(trx, id);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: id,
        source: actor.source,
        action: 'organisation.update',
        objectType: 'organisation',
        objectId: id,
        before: snapshot(before),
        after: snapshot(after),
      },
      at,
    );
    return after;
  });
}

/** Rolls a dry run back after it has done all its work and counted it. */
class DryRunDone extends Error {
  constructor(readonly result: MergeResponse) {
    super('dry run');
  }
}

/**
 * Two records that turn out to be one unit become one: everything of the source (its item assignments, reports,
 * accounts, tokens, imports, subordinate units and aliases) moves to the target, the source's name becomes one of
 * the target's aliases, and the source stays as a retired record pointing at the target, so that the audit trail
 * and old links still say who it was. A dry run does the same and rolls it back, to show what would move.
 */
export async function mergeOrganisations(
  ctx: ServiceContext,
  actor: Actor,
  /** only an explicit `confirmed: true` merges; anything else is the dry run */
  input: { sourceId: number; targetId: number; confirmed: boolean },
): Promise<MergeResponse> {
  if (input.sourceId === input.targetId) throw badInput('merge_into_itself', '不能把单位合并到它自己。');
  const at = ctx.now().toISOString();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const source = await getOrganisationRecord(trx, input.sourceId);
      const target = await getOrganisationRecord(trx, input.targetId);
      if (source.mergedInto) throw conflict('organisation_merged', `“${source.name}”已并入“${source.mergedInto.name}”。`);
      if (target.mergedInto)
        throw conflict('organisation_merged', `“${target.name}”已并入“${target.mergedInto.name}”，请选择合并后的单位。`);
      if (!target.active) throw conflict('organisation_retired', `“${target.name}”已撤销，不能作为合并目标；请先恢复它。`);
      await checkParent(trx, input.targetId, input.sourceId).catch(() => {
        throw conflict('merge_into_descendant', `“${target.name}”是“${source.name}”的下级单位，不能把上级并入下级；请先调整上级单位。`);
      });

      const clashes = await findReportClashes(trx, input.sourceId, input.targetId);
      if (clashes.length > 0) {
        throw conflict(
          'merge_report_conflict',
          `两个单位对同一事项的同一周期都有报告，无法自动合并（共 ${clashes.length} 处，如 ${clashes
            .slice(0, 3)
            .map((clash) => `事项 ${clash.item_id}（${clash.code}）`)
            .join('、')}）。请先处理重复的报告。`,
          { clashes },
        );
      }

      const moved = await moveEverything(trx, input.sourceId, input.targetId, at);
      await insertAlias(trx, { organisationId: input.targetId, alias: source.name, createdAt: at });
      await updateOrganisation(trx, input.sourceId, { active: 0, merged_into_id: input.targetId, parent_id: null, updated_at: at });
      // earlier duplicates merged into the source now point straight at the target
      await repointMergedOrganisations(trx, input.sourceId, input.targetId, at);

      const result: MergeResponse = {
        source: await getOrganisationRecord(trx, input.sourceId),
        target: await getOrganisationRecord(trx, input.targetId),
        moved,
        dryRun: input.confirmed !== true,
      };
      if (result.dryRun) throw new DryRunDone(result);
      await appendAuditEvent(
        trx,
        {
          actor: actor.id,
          organisationId: input.targetId,
          source: actor.source,
          action: 'organisation.merge',
          objectType: 'organisation',
          objectId: input.sourceId,
          before: { source: snapshot(source), target: snapshot(target) },
          after: { source: snapshot(result.source), target: snapshot(result.target), moved },
        },
        at,
      );
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.result;
    throw error;
  }
}

/**
 * Moves the source's rows to the target. An item both units were assigned keeps one assignment for the target:
 * the lead one when either was lead, since a unit cannot cooperate with itself.
 */
async function moveEverything(trx: Executor, sourceId: number, targetId: number, at: string): Promise<MergeResponse['moved']> {
  const links = await listLinksOfUnits(trx, [sourceId, targetId]);
  const targetRoles = new Map<number, Set<string>>();
  for (const link of links.filter((row) => row.organisation_id === targetId)) {
    targetRoles.set(link.item_id, (targetRoles.get(link.item_id) ?? new Set()).add(link.role));
  }
  const moved = { leadLinks: 0, cooperatingLinks: 0, reports: 0, users: 0, tokens: 0, imports: 0, children: 0, aliases: 0 };
  for (const link of links.filter((row) => row.organisation_id === sourceId)) {
    const roles = targetRoles.get(link.item_id);
    await deleteLink(trx, link);
    if (roles?.has('lead') || roles?.has(link.role)) continue;
    if (link.role === 'lead' && roles?.has('cooperating')) {
      await deleteLink(trx, { item_id: link.item_id, organisation_id: targetId, role: 'cooperating' });
    }
    await insertLink(trx, { ...link, organisation_id: targetId });
    targetRoles.set(link.item_id, new Set([link.role]));
    if (link.role === 'lead') moved.leadLinks += 1;
    else moved.cooperatingLinks += 1;
  }
  moved.reports = await moveRowsOfOrganisation(trx, 'reports', sourceId, targetId);
  moved.users = await moveRowsOfOrganisation(trx, 'users', sourceId, targetId);
  moved.tokens = await moveRowsOfOrganisation(trx, 'api_tokens', sourceId, targetId);
  moved.imports = await moveRowsOfOrganisation(trx, 'imports', sourceId, targetId);
  moved.children = await moveChildOrganisations(trx, sourceId, targetId, at);
  moved.aliases = await moveAliases(trx, sourceId, targetId);
  return moved;
}
