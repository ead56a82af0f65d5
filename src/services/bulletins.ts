import type { Bulletin, BulletinList } from '../contract/supervision.js';
import { NOTICE_STATE_LABELS } from '../contract/supervision.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import {
  findBulletin,
  insertBulletin,
  listBulletins,
  listFirstDeliveries,
  listNotices,
  takeDocumentNumber,
  updateDraftBulletin,
  type BulletinRow,
} from '../db/repositories/supervision.js';
import { findPeriodById } from '../db/repositories/plans.js';
import { conflict } from '../domain/errors.js';
import { DELIVERED_EVENTS } from '../domain/reporting.js';
import {
  NOTICE_COLOUR_LABELS,
  bulletinReferenceText,
  noticeNumberText,
  type BulletinDocument,
  type BulletinItemRow,
  type BulletinNoticeRow,
  type BulletinUnitRow,
} from '../domain/supervision.js';
import { requirePlan } from './catalogue.js';
import { buildCitySummary } from './city-summary.js';
import type { Actor, ServiceContext } from './context.js';
import { loadPlanStructure } from './plan-structure.js';
import { notFoundOf } from './policy.js';
import { shanghaiDate } from './reporting.js';
import { resolvePeriod } from './summary.js';
import { supervisionSettingsOf } from './supervision.js';

/**
 * 通报: the office's periodic bulletin of a period: each lead unit's on-time and completion rates, the overdue and
 * lagging items, the notices issued. A draft shows the figures as they are now and its wording is the office's to
 * edit; issuing numbers it and freezes the figures, so an issued bulletin prints what it said that day.
 */

interface BulletinTables {
  units: BulletinUnitRow[];
  lagging: BulletinItemRow[];
  notices: BulletinNoticeRow[];
}

async function computeTables(ctx: ServiceContext, planId: number, periodId: number, periodCode: string): Promise<BulletinTables> {
  const summary = await buildCitySummary(ctx, { planId, periodCode });
  const structure = await loadPlanStructure(ctx.db, planId);
  const period = await findPeriodById(ctx.db, periodId);
  const first = new Map(
    (await listFirstDeliveries(ctx.db, periodId, [...DELIVERED_EVENTS])).map((row) => [`${row.item_id}:${row.organisation_id}`, row]),
  );
  const itemById = new Map(structure.items.map((item) => [item.id, item]));
  const units = new Map<number, BulletinUnitRow>();
  const lagging: BulletinItemRow[] = [];
  for (const chapter of summary.table.chapters) {
    for (const task of chapter.tasks) {
      for (const item of task.items) {
        const leads = itemById.get(item.id)?.leadIds ?? [];
        for (const organisationId of leads) {
          const name = structure.organisations.get(organisationId)?.name ?? '';
          const row = units.get(organisationId) ?? {
            unit: name,
            items: 0,
            reported: 0,
            onTime: 0,
            completed: 0,
            onTimeRate: null,
            completionRate: null,
          };
          row.items++;
          const delivery = first.get(`${item.id}:${organisationId}`);
          const dueOn = delivery?.due_on ?? period?.due_on ?? null;
          if (delivery) {
            row.reported++;
            if (!dueOn || shanghaiDate(new Date(String(delivery.first_at))) <= dueOn) row.onTime++;
          }
          if (item.closed || item.status === '已完成') row.completed++;
          units.set(organisationId, row);
        }
        if (item.light === 'red' || item.light === 'yellow') {
          lagging.push({
            unit: item.lead,
            taskNumber: task.number,
            work: item.work,
            lightLabel: item.lightLabel,
            reason: item.lightReason,
          });
        }
      }
    }
  }
  for (const row of units.values()) {
    row.onTimeRate = row.items === 0 ? null : row.onTime / row.items;
    row.completionRate = row.items === 0 ? null : row.completed / row.items;
  }
  const notices = (await listNotices(ctx.db, { planId, createdFrom: period ? `${period.starts_on}T00:00:00.000Z` : undefined }))
    .reverse()
    .map((notice) => ({
      number: noticeNumberText(notice.year, notice.number),
      colourLabel: NOTICE_COLOUR_LABELS[notice.colour],
      unit: structure.organisations.get(notice.organisation_id)?.name ?? '',
      work: itemById.get(notice.item_id)?.work ?? '',
      stateLabel: NOTICE_STATE_LABELS[notice.state],
    }));
  // lagging red first, units in the order of their rates (the laggards named first, as 通报 do)
  lagging.sort((a, b) => (a.lightLabel === b.lightLabel ? 0 : a.lightLabel === '红灯' ? -1 : 1));
  return {
    units: [...units.values()].sort((a, b) => (a.onTimeRate ?? 1) - (b.onTimeRate ?? 1) || a.unit.localeCompare(b.unit, 'zh-CN')),
    lagging,
    notices,
  };
}

async function present(ctx: ServiceContext, row: BulletinRow): Promise<Bulletin> {
  const plan = await requirePlan(ctx, row.plan_id);
  const period = await findPeriodById(ctx.db, row.period_id);
  const tables: BulletinTables =
    row.state === 'issued' && row.content
      ? (JSON.parse(row.content) as BulletinTables)
      : await computeTables(ctx, row.plan_id, row.period_id, period?.code ?? '');
  return {
    id: row.id,
    plan: { id: plan.id, title: plan.title },
    period: { code: period?.code ?? '', label: period?.label ?? '' },
    numberText: row.number === null ? null : bulletinReferenceText(row.year, row.number),
    state: row.state,
    title: row.title,
    intro: row.intro,
    closing: row.closing,
    ...tables,
    createdAt: row.created_at,
    issuedAt: row.issued_at,
  };
}

async function requireBulletin(ctx: ServiceContext, id: number): Promise<BulletinRow> {
  const row = await findBulletin(ctx.db, id);
  if (!row) throw notFoundOf('bulletin');
  return row;
}

/** Starts a draft 通报 of a period, with wording the office edits before issuing. */
export async function createBulletin(ctx: ServiceContext, actor: Actor, planId: number, periodCode: string): Promise<Bulletin> {
  const plan = await requirePlan(ctx, planId);
  const period = await resolvePeriod(ctx, plan, periodCode);
  const at = ctx.now().toISOString();
  const year = Number(shanghaiDate(ctx.now()).slice(0, 4));
  const id = await ctx.db.transaction().execute(async (trx) => {
    const id = await insertBulletin(trx, {
      plan_id: planId,
      period_id: period.id,
      year,
      number: null,
      title: `关于${plan.title}${period.label}落实情况的通报`,
      intro: `为推动${plan.title}各项任务落地见效，现将${period.label}各责任单位工作推进和报送情况通报如下。`,
      closing: '请各责任单位对照通报问题，举一反三，抓紧整改；被督办单位须在规定时限内反馈办理情况。督查室将持续跟踪督办。',
      state: 'draft',
      content: null,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'bulletin.create',
        objectType: 'bulletin',
        objectId: id,
        after: { period: period.code },
      },
      at,
    );
    return id;
  });
  return getBulletin(ctx, id);
}

export async function getBulletin(ctx: ServiceContext, id: number): Promise<Bulletin> {
  return present(ctx, await requireBulletin(ctx, id));
}

export async function listBulletinsOfPlan(ctx: ServiceContext, planId: number): Promise<BulletinList> {
  await requirePlan(ctx, planId);
  const rows = await listBulletins(ctx.db, planId);
  const bulletins = [];
  for (const row of rows) {
    const period = await findPeriodById(ctx.db, row.period_id);
    bulletins.push({
      id: row.id,
      title: row.title,
      period: { code: period?.code ?? '', label: period?.label ?? '' },
      state: row.state,
      numberText: row.number === null ? null : bulletinReferenceText(row.year, row.number),
      createdAt: row.created_at,
    });
  }
  return { bulletins };
}

/** Changes a draft's title or wording; an issued bulletin is never changed. */
export async function updateBulletin(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  patch: { title?: string; intro?: string; closing?: string },
): Promise<Bulletin> {
  const before = await requireBulletin(ctx, id);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const values = { ...patch, updated_at: at };
    if (!(await updateDraftBulletin(trx, id, values))) throw conflict('bulletin_issued', '通报已印发，不能再修改。');
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'bulletin.update',
        objectType: 'bulletin',
        objectId: id,
        before: { title: before.title, intro: before.intro, closing: before.closing },
        after: patch,
      },
      at,
    );
  });
  return getBulletin(ctx, id);
}

/** Issues a draft: numbers it within the year and freezes its tables as they are now. */
export async function issueBulletin(ctx: ServiceContext, actor: Actor, id: number): Promise<Bulletin> {
  const row = await requireBulletin(ctx, id);
  if (row.state === 'issued') throw conflict('bulletin_issued', '通报已印发。');
  const period = await findPeriodById(ctx.db, row.period_id);
  const tables = await computeTables(ctx, row.plan_id, row.period_id, period?.code ?? '');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const number = await takeDocumentNumber(trx, 'bulletin', row.year);
    const issued = await updateDraftBulletin(trx, id, {
      state: 'issued',
      number,
      content: JSON.stringify(tables),
      issued_by: actor.id,
      issued_at: at,
      updated_at: at,
    });
    if (!issued) throw conflict('bulletin_issued', '通报已印发。');
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'bulletin.issue',
        objectType: 'bulletin',
        objectId: id,
        after: { number: bulletinReferenceText(row.year, number) },
      },
      at,
    );
  });
  return getBulletin(ctx, id);
}

/** What a bulletin prints, for its DOCX and XLSX. */
export async function bulletinDocumentOf(ctx: ServiceContext, id: number): Promise<BulletinDocument> {
  const bulletin = await getBulletin(ctx, id);
  const row = await requireBulletin(ctx, id);
  const settings = await supervisionSettingsOf(ctx.db, row.plan_id);
  return {
    issuer: settings.issuer,
    year: row.year,
    number: row.number,
    title: bulletin.title,
    plan: bulletin.plan.title,
    periodLabel: bulletin.period.label,
    issuedOn: shanghaiDate(new Date(row.issued_at ?? ctx.now().toISOString())),
    intro: bulletin.intro,
    units: bulletin.units,
    lagging: bulletin.lagging,
    notices: bulletin.notices,
    closing: bulletin.closing,
  };
}
