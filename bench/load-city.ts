import { writeSummaryDocument } from '../src/documents/index.js';
import type { Principal } from '../src/services/accounts.js';
import { findOrganisationByName, getPlanTree } from '../src/services/catalogue.js';
import type { ServiceContext } from '../src/services/context.js';
import { importSummaryTable } from '../src/services/import.js';
import { actOnReport, saveReport } from '../src/services/reporting.js';
import { setSchedule } from '../src/services/schedule.js';
import type { ReportState } from '../src/domain/reporting.js';
import type { GeneratedCity } from './city.js';

export interface LoadedCity {
  planId: number;
  /** reports written, by the state they were left in */
  states: Record<ReportState, number>;
}

const ACTOR = { id: 'bench', source: 'bench' };
const person = (role: 'unit_reporter' | 'unit_leader' | 'supervisor', organisationId: number): Principal => ({
  kind: 'user',
  userId: 1,
  username: 'bench',
  role,
  organisationId,
  mustChangePassword: false,
  sessionId: 'bench',
});

/** The workflow steps that take a fresh draft to each state, with who takes them. */
const STEPS: Record<ReportState, { event: 'submit' | 'approve' | 'accept'; by: 'unit_reporter' | 'unit_leader' | 'supervisor' }[]> = {
  draft: [],
  submitted: [{ event: 'submit', by: 'unit_reporter' }],
  approved: [
    { event: 'submit', by: 'unit_reporter' },
    { event: 'approve', by: 'unit_leader' },
  ],
  accepted: [
    { event: 'submit', by: 'unit_reporter' },
    { event: 'approve', by: 'unit_leader' },
    { event: 'accept', by: 'supervisor' },
  ],
  returned: [],
};

/**
 * Loads a generated city the way people would make it: the plan imported as a file, a monthly schedule set, and
 * every report saved by its unit's reporter and taken through the workflow by the unit's leader and the office, each
 * step a service call in its own transaction with its audit entry. Slow at city scale by design, since it is the
 * reference that any faster loading path must give the same database as.
 */
export async function loadCityThroughServices(
  ctx: ServiceContext,
  city: GeneratedCity,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<LoadedCity> {
  const imported = await importSummaryTable(ctx, ACTOR, { bytes: await writeSummaryDocument(city.table, 'json'), fileName: `${city.year}-plan.json` });
  const planId = imported.planId!;
  await setSchedule(ctx, ACTOR, planId, [{ kind: 'month' }]);

  const tree = await getPlanTree(ctx, planId);
  const itemIds = new Map<string, number>();
  for (const chapter of tree.chapters) {
    for (const task of chapter.tasks) task.items.forEach((item, position) => itemIds.set(`${task.number}/${position}`, item.id));
  }
  const organisationIds = new Map<string, number>();
  const organisationId = async (name: string) => {
    let id = organisationIds.get(name);
    if (id === undefined) organisationIds.set(name, (id = (await findOrganisationByName(ctx, name)).id));
    return id;
  };

  const states: Record<ReportState, number> = { draft: 0, submitted: 0, approved: 0, returned: 0, accepted: 0 };
  let done = 0;
  for (const report of city.reports) {
    const itemId = itemIds.get(`${report.task}/${report.item}`);
    if (itemId === undefined) throw new Error(`task ${report.task} item ${report.item} was not imported`);
    const unit = await organisationId(report.organisation);
    const periodCode = `${city.year}-M${String(report.month).padStart(2, '0')}`;
    const content = { progress: report.progress, problems: '', nextSteps: '', status: report.status, figures: [] };
    let view = await saveReport(ctx, person('unit_reporter', unit), ACTOR, { itemId, organisationId: unit, periodCode }, { content, baseRevision: 0 });
    for (const step of STEPS[report.state]) {
      view = await actOnReport(ctx, person(step.by, unit), ACTOR, view.id!, { event: step.event, baseRevision: view.revision });
    }
    states[report.state]++;
    onProgress(++done, city.reports.length);
  }
  return { planId, states };
}
