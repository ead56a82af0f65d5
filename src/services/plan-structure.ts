import type { PlanChapter } from '../contract/plans.js';
import { listOrganisations } from '../db/repositories/organisations.js';
import { listChapters, listItemOrganisationsOfPlan, listItemsOfPlan, listTasks } from '../db/repositories/plans.js';
import { listVersionContents, readStructureRevision, type VersionContentRow } from '../db/repositories/summaries.js';
import type { ChapterRow, Executor, TaskRow } from '../db/schema.js';
import { ORGANISATION_KIND_LABELS, type OrganisationKind } from '../domain/organisations.js';
import { deepFreeze, estimateBytes, readCachesOf } from './cache.js';

/**
 * A plan's structure as the plan tree and the city-wide table show it, read whole once per structural revision
 * and kept per process. Every read first reads the current revision (one row), so a write on any server is seen by
 * the next read on every server.
 */

export interface StructureOrganisation {
  id: number;
  name: string;
  kind: string;
  kindLabel: string;
}

export interface StructureItem {
  id: number;
  taskId: number;
  position: number;
  work: string;
  leadText: string;
  cooperatingText: string;
  /** ids in the order of the item's units, lead first as written */
  leadIds: number[];
  /** closed by 办结销号: needs no further reports */
  closed: boolean;
  cooperatingIds: number[];
}

export interface PlanStructure {
  planId: number;
  revision: number;
  chapters: ChapterRow[];
  /** in city-wide order */
  tasks: TaskRow[];
  items: StructureItem[];
  /** items by task, in position order */
  itemsOfTask: Map<number, StructureItem[]>;
  /** tasks by chapter, in city-wide order */
  tasksOfChapter: Map<number, TaskRow[]>;
  /** every unit of the plan's items, lead or cooperating */
  unitsOfItem: Map<number, Set<number>>;
  /** the items each unit leads or cooperates on */
  itemsOfUnit: Map<number, Set<number>>;
  organisations: Map<number, StructureOrganisation>;
  counts: { chapters: number; tasks: number; items: number };
  /** the whole tree as GET of the plan answers it; frozen, shared by every reader */
  tree: PlanChapter[];
}

/**
 * The plan's structure at the database's current revision: from this process's cache when it was read at that
 * revision, otherwise read now. Inside a transaction it is always read, and never kept.
 */
export async function loadPlanStructure(db: Executor, planId: number): Promise<PlanStructure> {
  const caches = readCachesOf(db);
  // the revision is read before the structure: what is read after it is at least as new, so keeping it under this
  // revision can only make a later read miss, never serve an older structure as current
  const revision = await readStructureRevision(db);
  const cached = caches?.structures.get(planId) as PlanStructure | undefined;
  if (cached && cached.revision === revision) return cached;
  const structure = await readPlanStructure(db, planId, revision);
  if (caches) caches.structures.set(planId, deepFreeze(structure), estimateBytes(structure));
  return structure;
}

async function readPlanStructure(db: Executor, planId: number, revision: number): Promise<PlanStructure> {
  const [chapters, tasks, itemRows, links, organisationRows] = await Promise.all([
    listChapters(db, planId),
    listTasks(db, planId),
    listItemsOfPlan(db, planId),
    listItemOrganisationsOfPlan(db, planId),
    listOrganisations(db),
  ]);
  const organisations = new Map<number, StructureOrganisation>();
  const allOrganisations = new Map(organisationRows.map((row) => [row.id, row]));
  const items = itemRows.map(
    (row): StructureItem => ({
      id: row.id,
      taskId: row.task_id,
      position: row.position,
      work: row.work,
      leadText: row.lead_text,
      cooperatingText: row.cooperating_text,
      closed: (row as { closed_at?: string | null }).closed_at != null,
      leadIds: [],
      cooperatingIds: [],
    }),
  );
  const itemById = new Map(items.map((item) => [item.id, item]));
  const unitsOfItem = new Map<number, Set<number>>();
  const itemsOfUnit = new Map<number, Set<number>>();
  // links come ordered by item, role and position, so each item's lists keep the order the tree prints
  for (const link of links) {
    const item = itemById.get(link.item_id);
    if (!item) continue;
    (link.role === 'lead' ? item.leadIds : item.cooperatingIds).push(link.organisation_id);
    addTo(unitsOfItem, link.item_id, link.organisation_id);
    addTo(itemsOfUnit, link.organisation_id, link.item_id);
    if (!organisations.has(link.organisation_id)) {
      const row = allOrganisations.get(link.organisation_id)!;
      organisations.set(row.id, {
        id: row.id,
        name: row.name,
        kind: row.kind,
        kindLabel: ORGANISATION_KIND_LABELS[row.kind as OrganisationKind] ?? row.kind,
      });
    }
  }
  const itemsOfTask = groupBy(items, (item) => item.taskId);
  const tasksOfChapter = groupBy(tasks, (task) => task.chapter_id);
  const tree = chapters.map((chapter) => ({
    id: chapter.id,
    numeral: chapter.numeral,
    title: chapter.title,
    tasks: (tasksOfChapter.get(chapter.id) ?? []).map((task) => ({
      id: task.id,
      number: task.number,
      name: task.name,
      items: (itemsOfTask.get(task.id) ?? []).map((item) => ({
        id: item.id,
        position: item.position,
        work: item.work,
        lead: item.leadIds.map((id) => organisations.get(id)!),
        cooperating: item.cooperatingIds.map((id) => organisations.get(id)!),
        closed: item.closed,
      })),
    })),
  }));
  return {
    planId,
    revision,
    chapters,
    tasks,
    items,
    itemsOfTask,
    tasksOfChapter,
    unitsOfItem,
    itemsOfUnit,
    organisations,
    counts: { chapters: chapters.length, tasks: tasks.length, items: items.length },
    tree,
  };
}

/** The parts of a report version that the summary tables print. */
export interface VersionContent {
  text: string;
  problems: string;
  nextSteps: string;
  status: string | null;
  figures: string;
}

/**
 * The printed parts of report versions by id. A version is never rewritten once made (a change is a new
 * revision), so its parts are kept by id; which version is the one to show is read each time.
 */
export async function versionContents(db: Executor, versionIds: Iterable<number>): Promise<Map<number, VersionContent>> {
  const caches = readCachesOf(db);
  const contents = new Map<number, VersionContent>();
  const missing: number[] = [];
  for (const versionId of versionIds) {
    if (contents.has(versionId)) continue;
    const cached = caches?.versions.get(versionId) as VersionContent | undefined;
    if (cached) contents.set(versionId, cached);
    else missing.push(versionId);
  }
  for (const row of await listVersionContents(db, missing)) {
    const content = versionContent(row);
    contents.set(row.id, content);
    caches?.versions.set(row.id, content, estimateBytes(content));
  }
  return contents;
}

function versionContent(row: VersionContentRow): VersionContent {
  return Object.freeze({ text: row.text, problems: row.problems, nextSteps: row.next_steps, status: row.status, figures: row.figures });
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function groupBy<T, K>(values: T[], key: (value: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}
