import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { authConfig, loadConfig } from '../src/config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle, type DialectName } from '../src/db/connect.js';
import { createUser } from '../src/services/accounts.js';
import { createServiceContext } from '../src/services/context.js';
import { createOrganisation } from '../src/services/organisations.js';
import { setSchedule } from '../src/services/schedule.js';
import { CITY_SCALES, generateCity } from './city.js';
import { loadCityInBulk, saveDraftsInBulk } from './load-city.js';
import { ROOT } from './server.js';

/**
 * The databases the benchmark measures, built once by the bulk path (bench/load-city.ts) and cached: a SQLite file
 * under the cache directory, copied for every run since W1 writes into it; on PostgreSQL a fresh schema per run.
 * The key holds the scale, the seed and a hash of the generator, the loader and the migrations, so a change to
 * any of them builds afresh.
 */
export type ScaleName = 'smoke' | 'city' | 'ten' | 'province';

/** How many cities' plans of how many years: ten cities of one year is G1's 400k, over five years the province's 2M. */
export const SCALES: Record<ScaleName, { cities: number; years: number; city: keyof typeof CITY_SCALES }> = {
  smoke: { cities: 1, years: 1, city: 'smoke' },
  city: { cities: 1, years: 1, city: 'city' },
  ten: { cities: 10, years: 1, city: 'city' },
  province: { cities: 10, years: 5, city: 'city' },
};

const CITY_NAMES = ['', '江州市', '临川市', '清河市', '云台市', '白沙市', '青石市', '龙泉市', '松阳市', '东阳市'];
export const PASSWORD = 'Bench-Passw0rd!';
export const BASE_YEAR = 2031;
/** the month the read scenarios ask for: mid-year, every report accepted (the smoke scale has two months) */
export const readPeriodOf = (scale: ScaleName) => (scale === 'smoke' ? `${BASE_YEAR}-M01` : `${BASE_YEAR}-M06`);
/** periods of the measured plan that W1's drafts are written in */
const DRAFT_PERIODS = [`${BASE_YEAR}-Y`, `${BASE_YEAR}-Q1`, `${BASE_YEAR}-Q2`, `${BASE_YEAR}-Q3`, `${BASE_YEAR}-Q4`];

export interface DatasetMeta {
  scale: ScaleName;
  seed: number;
  plans: number;
  reports: number;
  /** the plan every scenario reads: the first city's first year */
  planId: number;
  office: string;
  /** the unit R1 reads: the one whose share of the plan is nearest the 55 items */
  unit: { id: number; name: string; items: number; reporter: string };
  /** W1's drafts with the username of a reporter of their unit */
  drafts: { reportId: number; organisationId: number }[];
  reporters: Record<string, string>;
  buildSeconds: number;
}

export interface Dataset {
  dialect: DialectName;
  /** what the server is given as --db */
  location: string;
  meta: DatasetMeta;
  /** a handle of our own on the same database */
  open(): DatabaseHandle;
  /** removes this run's copy */
  discard(): Promise<void>;
}

export function cacheDirectory(): string {
  return process.env.LUOSHI_BENCH_CACHE || join(tmpdir(), 'luoshi-bench-cache');
}

function buildKey(scale: ScaleName, seed: number): string {
  const hash = createHash('sha256');
  for (const file of ['bench/city.ts', 'bench/load-city.ts', 'bench/datasets.ts']) hash.update(readFileSync(join(ROOT, file)));
  for (const file of readdirSync(join(ROOT, 'src/db/migrations')).sort())
    hash.update(file).update(readFileSync(join(ROOT, 'src/db/migrations', file)));
  return `${scale}-s${seed}-${hash.digest('hex').slice(0, 12)}`;
}

/** Fills a migrated, empty database: the plans, the users, W1's drafts. */
async function fill(
  handle: DatabaseHandle,
  scale: ScaleName,
  seed: number,
  log: (line: string) => void,
): Promise<Omit<DatasetMeta, 'buildSeconds'>> {
  const started = performance.now();
  const ctx = createServiceContext(handle.db);
  const actor = { id: 'bench', source: 'bench' };
  const shape = SCALES[scale];
  let planId = 0;
  let reports = 0;
  for (let year = 0; year < shape.years; year++) {
    for (let city = 0; city < shape.cities; city++) {
      const generated = generateCity(CITY_SCALES[shape.city], {
        seed: seed + city * 101 + year * 7,
        year: BASE_YEAR + year,
        title: `${CITY_NAMES[city]}${BASE_YEAR + year}年度市政府工作任务`,
      });
      const loaded = await loadCityInBulk(ctx, generated);
      if (planId === 0) planId = loaded.planId;
      reports += generated.reports.length;
      log(
        `  plan ${year * shape.cities + city + 1}/${shape.cities * shape.years}: ${reports} reports, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
  }
  const auth = authConfig(loadConfig({}));
  const office = await createOrganisation(ctx, actor, { name: '市政府办公室', kind: 'city_department' });
  await createUser(ctx, actor, auth, {
    username: 'bench-office',
    organisationId: office.id,
    role: 'supervisor',
    password: PASSWORD,
    mustChangePassword: false,
  });

  // W1 submits into quarters and the year, beside the monthly reports the reads look at
  await setSchedule(ctx, actor, planId, [{ kind: 'month' }, { kind: 'quarter' }]);
  const drafts = await saveDraftsInBulk(ctx, planId, DRAFT_PERIODS);
  const shares = await handle.db
    .selectFrom('item_organisations')
    .innerJoin('items', 'items.id', 'item_organisations.item_id')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .innerJoin('organisations', 'organisations.id', 'item_organisations.organisation_id')
    .select(['organisations.id', 'organisations.name', (eb) => eb.fn.countAll<number>().as('items')])
    .where('tasks.plan_id', '=', planId)
    .groupBy(['organisations.id', 'organisations.name'])
    .orderBy('organisations.id')
    .execute();
  const reporters: Record<string, string> = {};
  for (const share of shares) {
    const username = `bench-r${share.id}`;
    await createUser(ctx, actor, auth, {
      username,
      organisationId: share.id,
      role: 'unit_reporter',
      password: PASSWORD,
      mustChangePassword: false,
    });
    reporters[share.id] = username;
  }
  const unit = [...shares].sort((a, b) => Math.abs(Number(a.items) - 55) - Math.abs(Number(b.items) - 55) || a.id - b.id)[0]!;
  return {
    scale,
    seed,
    plans: shape.cities * shape.years,
    reports,
    planId,
    office: 'bench-office',
    unit: { id: unit.id, name: unit.name, items: Number(unit.items), reporter: reporters[unit.id]! },
    drafts,
    reporters,
  };
}

/**
 * This run's database of a scale: on SQLite a copy of the cached file (built first when missing); on PostgreSQL
 * (`postgresUrl`) a new schema filled now and dropped by discard().
 */
export async function prepareDataset(
  scale: ScaleName,
  seed: number,
  postgresUrl: string | undefined,
  log: (line: string) => void,
): Promise<Dataset> {
  if (postgresUrl) return preparePostgres(scale, seed, postgresUrl, log);
  const directory = cacheDirectory();
  mkdirSync(directory, { recursive: true });
  const key = buildKey(scale, seed);
  const cached = join(directory, `${key}.db`);
  const metaFile = join(directory, `${key}.json`);
  if (!existsSync(cached) || !existsSync(metaFile)) {
    log(`building the ${scale} database (seed ${seed}) into ${directory}, once for this generator and schema…`);
    const started = performance.now();
    const building = join(directory, `${key}.building-${process.pid}.db`);
    const handle = connectDatabase(building);
    await migrateToLatest(handle.db);
    const meta = await fill(handle, scale, seed, log);
    await handle.close();
    const buildSeconds = (performance.now() - started) / 1000;
    renameSync(building, cached);
    writeFileSync(metaFile, JSON.stringify({ ...meta, buildSeconds }));
    log(`  built in ${buildSeconds.toFixed(0)} s`);
  }
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as DatasetMeta;
  const runDirectory = join(directory, `run-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(runDirectory);
  const location = join(runDirectory, 'luoshi.db');
  copyFileSync(cached, location);
  return {
    dialect: 'sqlite',
    location,
    meta,
    open: () => connectDatabase(location),
    discard: async () => rmSync(runDirectory, { recursive: true, force: true }),
  };
}

async function preparePostgres(scale: ScaleName, seed: number, url: string, log: (line: string) => void): Promise<Dataset> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  log(`building the ${scale} database (seed ${seed}) in PostgreSQL schema ${schema}…`);
  const started = performance.now();
  const handle = connectDatabase(url, { schema, poolSize: 4 });
  await migrateToLatest(handle.db);
  const meta = await fill(handle, scale, seed, log);
  await handle.close();
  const buildSeconds = (performance.now() - started) / 1000;
  log(`  built in ${buildSeconds.toFixed(0)} s`);
  const location = new URL(url);
  location.searchParams.set('options', `-c search_path=${schema}`);
  return {
    dialect: 'postgres',
    location: location.toString(),
    meta: { ...meta, buildSeconds },
    open: () => connectDatabase(url, { schema, poolSize: 4 }),
    discard: async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}
