import { expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/connect.js';
import { createTestDatabase, describeEachDatabase } from '../test/helpers/database.js';
import { createServiceContext } from '../src/services/context.js';
import { CITY_SCALES, generateCity } from './city.js';
import { loadCityInBulk, loadCityThroughServices } from './load-city.js';

it('generates the same city for the same seed, and another for another seed', () => {
  const first = generateCity(CITY_SCALES.smoke);
  expect(generateCity(CITY_SCALES.smoke)).toEqual(first);
  expect(generateCity(CITY_SCALES.smoke, { seed: 7 })).not.toEqual(first);
});

it('makes a city of the scale it is asked for: units, tasks, items, units per item and monthly reports', () => {
  const city = generateCity(CITY_SCALES.city);
  const tasks = city.table.chapters.flatMap((chapter) => chapter.tasks);
  const items = tasks.flatMap((task) => task.items);
  expect(city.units).toHaveLength(80);
  expect(tasks).toHaveLength(300);
  expect(items).toHaveLength(1200);
  const unitsPerItem = items.map((item) => 1 + (item.cooperating === '' ? 0 : item.cooperating.split('、').length));
  expect(Math.min(...unitsPerItem)).toBe(1);
  expect(Math.max(...unitsPerItem)).toBeLessThanOrEqual(14);
  expect(unitsPerItem.reduce((sum, count) => sum + count, 0)).toBe(city.links);
  // the city: about 3,500 links and 42k reports, one per link and month
  expect(city.links).toBeGreaterThan(3000);
  expect(city.links).toBeLessThan(4200);
  expect(city.reports).toHaveLength(city.links * 12);
  // every unit named on an item is one of the city's units, and no item names one twice
  const named = new Set(items.flatMap((item) => [item.lead, ...item.cooperating.split('、').filter(Boolean)]));
  expect([...named].every((unit) => city.units.includes(unit))).toBe(true);
  for (const item of items) expect(new Set([item.lead, ...item.cooperating.split('、').filter(Boolean)]).size).toBe(unitsOfItem(item));
});

const unitsOfItem = (item: { cooperating: string }) => 1 + (item.cooperating === '' ? 0 : item.cooperating.split('、').length);

describeEachDatabase('a generated city loaded through the services', (database) => {
  it('stores the plan, the monthly periods and every report in the state the generator gave it', async () => {
    const ctx = createServiceContext(database().db);
    const city = generateCity(CITY_SCALES.smoke);
    const loaded = await loadCityThroughServices(ctx, city);
    const { db } = database();
    const count = async (table: 'items' | 'item_organisations' | 'reports') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('count'))
            .executeTakeFirstOrThrow()
        ).count,
      );
    expect(await count('items')).toBe(CITY_SCALES.smoke.items);
    expect(await count('item_organisations')).toBe(city.links);
    expect(await count('reports')).toBe(city.reports.length);
    const months = await db.selectFrom('periods').select('code').where('plan_id', '=', loaded.planId).where('kind', '=', 'month').execute();
    expect(months).toHaveLength(12);
    const states = await db
      .selectFrom('reports')
      .select(['state', (eb) => eb.fn.countAll().as('count')])
      .groupBy('state')
      .execute();
    const expected = Object.fromEntries(Object.entries(loaded.states).filter(([, n]) => n > 0));
    expect(Object.fromEntries(states.map((row) => [row.state, Number(row.count)]))).toEqual(expected);
    expect(Object.values(expected).reduce((sum, n) => sum + n, 0)).toBe(city.reports.length);
    // a few hundred service calls, each its own durable transaction: room for a busy machine
  }, 120_000);
});

describeEachDatabase('the bulk path', (database, dialect) => {
  it('gives the same database as the services, row for row, in every table', async () => {
    const city = generateCity(CITY_SCALES.smoke);
    // one clock for both, so that the times written are the same too
    const now = () => new Date('2031-12-20T02:00:00Z');
    const other = await createTestDatabase(dialect);
    try {
      const viaServices = await loadCityThroughServices(createServiceContext(database().db, now), city);
      const inBulk = await loadCityInBulk(createServiceContext(other.db, now), city);
      expect(inBulk).toEqual(viaServices);
      const [left, right] = [await dumpTables(database()), await dumpTables(other)];
      expect(Object.keys(left).length).toBeGreaterThan(10);
      expect(left.reports!.length).toBe(city.reports.length);
      expect(left.audit_events!.length).toBeGreaterThan(city.reports.length);
      expect(right).toEqual(left);
    } finally {
      await other.destroy();
    }
  }, 120_000);
});

/** Every application table's rows, in id order (or every column's, for tables without one). */
async function dumpTables(handle: DatabaseHandle): Promise<Record<string, unknown[]>> {
  const names =
    handle.dialect === 'sqlite'
      ? (
          await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(handle.db)
        ).rows.map((row) => row.name)
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
            handle.db,
          )
        ).rows.map((row) => row.name);
  const tables: Record<string, unknown[]> = {};
  for (const name of names.filter((table) => !table.startsWith('kysely_')).sort()) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(handle.db)).rows;
    tables[name] = rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))))).sort();
  }
  return tables;
}
