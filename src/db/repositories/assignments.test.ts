import { beforeAll, expect, it } from 'vitest';
import { buildSummaryTable } from '../../../test/factories/summary-table.js';
import { describeEachDatabase } from '../../../test/helpers/database.js';
import { writeSummaryDocument } from '../../documents/index.js';
import { createServiceContext } from '../../services/context.js';
import { importSummaryTable } from '../../services/import.js';
import type { Db } from '../schema.js';
import {
  deleteLink,
  findLinksOfUnit,
  insertLink,
  listAssignmentsOfItem,
  listStepsOfUnit,
  listUnitsOfItem,
  replaceStepsOfUnit,
  setLinkStateOfUnit,
  unitHasReportsOnItem,
} from './assignments.js';

const AT = '2030-06-01T00:00:00.000Z';

describeEachDatabase('assignments and steps in the database', (database) => {
  const ids = { item: 0, lead: 0, water: 0, industry: 0 };
  let db: Db;

  beforeAll(async () => {
    db = database().db;
    // 实施市级重点项目200个…: 市发改委 leads, 市水务局 and 市工信局 cooperate; 市水务局 has reported on it
    await importSummaryTable(
      createServiceContext(db),
      { id: 'cli', source: 'cli' },
      { bytes: await writeSummaryDocument(buildSummaryTable(), 'json'), fileName: '水务局.json' },
    );
    ids.item = (
      await db.selectFrom('items').select('id').where('work', '=', '实施市级重点项目200个，完成投资800亿元。').executeTakeFirstOrThrow()
    ).id;
    const named = async (name: string) =>
      (await db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    Object.assign(ids, { lead: await named('市发改委'), water: await named('市水务局'), industry: await named('市工信局') });
  });

  it('lists an item’s units leads first, each role in printed order, with their names', async () => {
    expect((await listAssignmentsOfItem(db, ids.item)).map((row) => [row.id, row.name, row.role])).toEqual([
      [ids.lead, '市发改委', 'lead'],
      [ids.water, '市水务局', 'cooperating'],
      [ids.industry, '市工信局', 'cooperating'],
    ]);
    expect(new Set((await listUnitsOfItem(db, ids.item)).map((row) => `${row.organisation_id}:${row.role}`))).toEqual(
      new Set([`${ids.lead}:lead`, `${ids.water}:cooperating`, `${ids.industry}:cooperating`]),
    );
  });

  it('records a unit’s answer on its links only, and knows which units have reported', async () => {
    const waterBefore = await findLinksOfUnit(db, ids.item, ids.water);
    await setLinkStateOfUnit(db, ids.item, ids.industry, { state: 'returned', reason: '不是本单位职责', at: AT, by: 'user:9' });
    expect(await findLinksOfUnit(db, ids.item, ids.industry)).toEqual([
      expect.objectContaining({ role: 'cooperating', state: 'returned', state_reason: '不是本单位职责', state_at: AT, state_by: 'user:9' }),
    ]);
    expect(await findLinksOfUnit(db, ids.item, ids.water)).toEqual(waterBefore);
    expect(await unitHasReportsOnItem(db, ids.item, ids.water)).toBe(true);
    expect(await unitHasReportsOnItem(db, ids.item, ids.industry)).toBe(false);
  });

  it('removes one link in one role and adds one back', async () => {
    const [link] = await findLinksOfUnit(db, ids.item, ids.industry);
    await deleteLink(db, link!);
    expect(await findLinksOfUnit(db, ids.item, ids.industry)).toEqual([]);
    expect(await listUnitsOfItem(db, ids.item)).toHaveLength(2);
    await insertLink(db, link!);
    expect(await findLinksOfUnit(db, ids.item, ids.industry)).toEqual([link]);
  });

  it('replaces a unit’s steps, numbered in the order given, and leaves other units’ steps alone', async () => {
    await replaceStepsOfUnit(db, ids.item, ids.lead, [{ title: '牵头单位的步骤', dueOn: null, doneOn: null }], AT);
    await replaceStepsOfUnit(
      db,
      ids.item,
      ids.water,
      [
        { title: '立项', dueOn: '2030-03-31', doneOn: '2030-03-20' },
        { title: '开工', dueOn: '2030-06-30', doneOn: null },
      ],
      AT,
    );
    await replaceStepsOfUnit(
      db,
      ids.item,
      ids.water,
      [
        { title: '开工', dueOn: '2030-06-30', doneOn: null },
        { title: '立项', dueOn: '2030-03-31', doneOn: '2030-03-20' },
      ],
      AT,
    );
    expect((await listStepsOfUnit(db, ids.item, ids.water)).map((step) => [step.position, step.title, step.due_on, step.done_on])).toEqual([
      [1, '开工', '2030-06-30', null],
      [2, '立项', '2030-03-31', '2030-03-20'],
    ]);
    await replaceStepsOfUnit(db, ids.item, ids.water, [], AT);
    expect(await listStepsOfUnit(db, ids.item, ids.water)).toEqual([]);
    expect((await listStepsOfUnit(db, ids.item, ids.lead)).map((step) => step.title)).toEqual(['牵头单位的步骤']);
  });
});
