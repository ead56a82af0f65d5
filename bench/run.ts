import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CITY_SCALES } from './city.js';
import { BASE_YEAR, SCALES, PASSWORD, prepareDataset, readPeriodOf, type Dataset, type ScaleName } from './datasets.js';
import { measureHostileFiles, measureImports, measureReporting } from './imports.js';
import { bareCommits, runLoad, startLoad, withBareServer, type LoadResult } from './load.js';
import { ROOT, sampler, serverCommand, signInOverHttp, startServer, type RunningServer, type SignedIn } from './server.js';

/**
 * `npm run bench`: the benchmark instrument of issue 11. Each scenario prints one line (id, scenario, figure, ratio
 * to a baseline measured in the same run, target, PASS or FAIL); the server under test is a child process reached
 * over HTTP on 127.0.0.1 only, the load comes from autocannon in another process, every run is bounded in time.
 * See bench/README.md.
 */
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scale: { type: 'string', default: 'city' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    seed: { type: 'string', default: '2031' },
  },
});
const QUICK = flags.quick!;
const SCALE = flags.scale as ScaleName;
if (!['city', 'province', 'smoke'].includes(SCALE)) throw new Error(`--scale 应为 city 或 province，收到 ${SCALE}`);
const SEED = Number(flags.seed);
const ONLY = flags.only ? new Set(flags.only.split(',').map((id) => id.trim().toUpperCase())) : undefined;
const wanted = (id: string) => !ONLY || ONLY.has(id);
/** seconds of load per measurement, and of warm-up before it */
const SECONDS = QUICK ? 3 : 10;
const WARM_UP = QUICK ? 1 : 3;
const READ_CONNECTIONS = 16;
/** W1's runs: short enough that the ≈ 8,500 drafts of each outlast the target rate (0.2 of a quiet disk's 7.3k/s) */
const WRITE_SECONDS = QUICK ? 3 : 5;
const started = performance.now();
const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);

interface Line {
  id: string;
  database: string;
  scenario: string;
  figure: string;
  ratio: string;
  target: string;
  pass: boolean;
  values: Record<string, unknown>;
}
const lines: Line[] = [];
const extras: string[] = [];

function report(line: Omit<Line, 'ratio'> & { ratio?: string }) {
  const full: Line = { ratio: '—', ...line };
  lines.push(full);
  say(
    `${full.id.padEnd(3)}| ${full.database.padEnd(8)}| ${full.scenario} | ${full.figure} | ratio ${full.ratio} | target ${full.target} | ${full.pass ? 'PASS' : 'FAIL'}`,
  );
}

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
const perSecond = (value: number) => `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}/s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

let nextPort = 3500;
/** luoshi servers take 3500–3549, bare baselines 3550–3599, each a fresh port so that no run meets another's sockets */
const luoshiPort = () => 3500 + (nextPort++ % 50);
let nextBarePort = 0;
const barePort = () => 3550 + (nextBarePort++ % 50);

const scratch = mkdtempSync(join(tmpdir(), 'luoshi-bench-run-'));

async function getBytes(url: string, session: SignedIn): Promise<{ body: Buffer; contentType: string }> {
  const response = await fetch(url, { headers: { cookie: session.cookie } });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? 'application/json' };
}

/** Warm-up, then the measured load; the same for luoshi and for its baseline. */
async function measured(
  url: string,
  headers: Record<string, string>,
  connections = READ_CONNECTIONS,
  seconds = SECONDS,
): Promise<LoadResult> {
  await runLoad({ url, connections, durationSeconds: WARM_UP, headers });
  return runLoad({ url, connections, durationSeconds: seconds, headers });
}

interface ReadFigures {
  luoshi: LoadResult;
  bare: LoadResult;
  bytes: number;
}

/** A read scenario: the bytes fetched once, bare Fastify serving them loaded like luoshi, then luoshi itself. */
async function readScenario(server: RunningServer, path: string, session: SignedIn): Promise<ReadFigures> {
  const url = `${server.url}${path}`;
  const { body, contentType } = await getBytes(url, session);
  const bare = await withBareServer(scratch, body, contentType, barePort(), (bareUrl) => measured(`${bareUrl}${path}`, {}));
  const luoshi = await judged(url, { cookie: session.cookie });
  return { luoshi, bare, bytes: body.length };
}

/** luoshi's side of a read: an answer slower than the window leaves too few to judge, so once more, four times as long. */
async function judged(url: string, headers: Record<string, string>): Promise<LoadResult> {
  const first = await measured(url, headers);
  if (first.ok >= 2 * READ_CONNECTIONS) return first;
  return runLoad({ url, connections: READ_CONNECTIONS, durationSeconds: 4 * SECONDS, headers });
}

/** Runs a scenario; if it throws, its line says FAIL with the error, and the others still run. */
async function guarded(id: string, database: string, scenario: string, run: () => Promise<unknown>, when = wanted(id)): Promise<void> {
  if (!when) return;
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    report({
      id,
      database,
      scenario,
      figure: `could not be measured: ${message.split('\n')[0]!.slice(0, 300)}`,
      target: '—',
      pass: false,
      values: { error: message.slice(0, 2000) },
    });
  }
}

const errorsOf = (result: LoadResult) => result.non2xx + result.errors + result.timeouts;
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(0)} KB`);

function readLine(
  id: string,
  database: string,
  scenario: string,
  figures: ReadFigures,
  minimumRatio: number | undefined,
  p99Limit: number,
) {
  const ratio = figures.luoshi.rate / figures.bare.rate;
  const errors = errorsOf(figures.luoshi);
  // requests still unanswered when the time ran out are not in autocannon's latencies: too few answers, no verdict
  const enough = figures.luoshi.ok >= 2 * READ_CONNECTIONS;
  const pass = enough && (minimumRatio === undefined || ratio >= minimumRatio) && figures.luoshi.latency.p99 < p99Limit && errors === 0;
  report({
    id,
    database,
    scenario: `${scenario} (${size(figures.bytes)})`,
    figure: `${perSecond(figures.luoshi.rate)}, p99 ${ms(figures.luoshi.latency.p99)}, ${figures.luoshi.ok} answered${enough ? '' : ` (fewer than ${2 * READ_CONNECTIONS}: p99 not measurable)`}${errors ? `, ${errors} errors` : ''}; bare ${perSecond(figures.bare.rate)}, p99 ${ms(figures.bare.latency.p99)}`,
    ratio: ratio.toFixed(3),
    target: `${minimumRatio === undefined ? '' : `≥ ${minimumRatio} of baseline; `}p99 < ${p99Limit} ms`,
    pass,
    values: {
      rate: figures.luoshi.rate,
      answered: figures.luoshi.ok,
      p99Ms: figures.luoshi.latency.p99,
      meanMs: figures.luoshi.latency.mean,
      errors,
      bareRate: figures.bare.rate,
      bareP99Ms: figures.bare.latency.p99,
      bytes: figures.bytes,
      ratio,
    },
  });
}

const paths = (dataset: Dataset, READ_PERIOD = readPeriodOf(dataset.meta.scale)) => ({
  r1: `/api/organisations/${dataset.meta.unit.id}/summary?plan=${dataset.meta.planId}&period=${READ_PERIOD}`,
  r2: `/api/plans/${dataset.meta.planId}`,
  r3: `/api/plans/${dataset.meta.planId}/summary?period=${READ_PERIOD}`,
  export: (format: string) => `/api/plans/${dataset.meta.planId}/summary/export?period=${READ_PERIOD}&format=${format}`,
});

/** Signs in a handful at a time: each sign-in verifies an Argon2 hash, on purpose slow. */
async function signInMany(url: string, usernames: string[]): Promise<Map<string, SignedIn>> {
  const sessions = new Map<string, SignedIn>();
  for (let start = 0; start < usernames.length; start += 4) {
    const batch = usernames.slice(start, start + 4);
    const signed = await Promise.all(batch.map((username) => signInOverHttp(url, username, PASSWORD)));
    batch.forEach((username, index) => {
      sessions.set(username, signed[index]!);
    });
  }
  return sessions;
}

interface MemoryPeaks {
  readsAndWrites: number;
  exports: number;
}

/** Everything measured against one database. */
async function runOn(database: string, postgresUrl: string | undefined): Promise<void> {
  const dataset = await prepareDataset(SCALE, SEED, postgresUrl, note);
  const label = (scenario: string) => `${scenario}`;
  const peaks: Partial<MemoryPeaks> = {};
  try {
    note(
      `${database}: ${dataset.meta.plans} plan(s), ${dataset.meta.reports} reports; R1 reads ${dataset.meta.unit.name} (${dataset.meta.unit.items} items)`,
    );
    const server = await startServer(dataset.location, luoshiPort());
    try {
      const office = await signInOverHttp(server.url, dataset.meta.office, PASSWORD);
      const reporter = await signInOverHttp(server.url, dataset.meta.unit.reporter, PASSWORD);
      const path = paths(dataset);
      let readsAndWrites = 0;
      const r1Label = label("one unit's summary table for a period");
      await guarded(
        'R1',
        database,
        r1Label,
        async () => {
          const memory = sampler(() => server.rssMb());
          const r1 = await readScenario(server, path.r1, reporter).finally(() => (readsAndWrites = memory.stop()));
          if (wanted('R1')) readLine('R1', database, r1Label, r1, 0.5, 30);
        },
        wanted('R1') || wanted('M1'),
      );
      const r2Label = label(`plan tree of a year (${CITY_SCALES[SCALES[dataset.meta.scale].city].items} items)`);
      await guarded('R2', database, r2Label, async () =>
        readLine('R2', database, r2Label, await readScenario(server, path.r2, office), 0.3, 80),
      );
      const r3Label = label('city-wide table for a period with lights');
      await guarded('R3', database, r3Label, async () =>
        readLine('R3', database, r3Label, await readScenario(server, path.r3, office), undefined, 100),
      );
      await guarded(
        'W1',
        database,
        'submit a report (validate, version, audit), 16 and 400 clients',
        async () => {
          const memory = sampler(() => server.rssMb());
          await writeScenario(database, dataset, server).finally(() => (readsAndWrites = Math.max(readsAndWrites, memory.stop())));
        },
        wanted('W1') || wanted('M1'),
      );
      peaks.readsAndWrites = readsAndWrites;
      await guarded(
        'X1',
        database,
        'city-wide export, DOCX / XLSX / PDF',
        async () => {
          peaks.exports = await exportScenario(database, dataset, server, office);
        },
        wanted('X1') || wanted('M1'),
      );
      if (wanted('M1')) {
        const hwm = server.peakMb();
        const pass = (peaks.readsAndWrites ?? 0) < 250 && (peaks.exports ?? 0) < 400;
        report({
          id: 'M1',
          database,
          scenario: 'server RSS during R1 and W1 / during X1',
          figure: `${peaks.readsAndWrites?.toFixed(0)} MB / ${peaks.exports?.toFixed(0)} MB (VmHWM ${hwm.toFixed(0)} MB)`,
          target: '< 250 MB / < 400 MB',
          pass,
          values: { readsAndWritesMb: peaks.readsAndWrites, exportsMb: peaks.exports, hwmMb: hwm },
        });
      }
    } finally {
      await server.stop();
    }
    await guarded('S1', database, 'cold start to first 200', () => startScenario(database, dataset));
    await guarded('G1', database, 'R1 and R3 at 40k, 400k and 2M reports', () => growthScenario(database, postgresUrl));
  } finally {
    await dataset.discard();
  }
}

/** W1: drafts prepared in the dataset are submitted over HTTP by their units' reporters, 16 then 400 at a time. */
async function writeScenario(database: string, dataset: Dataset, server: RunningServer) {
  const drafts = dataset.meta.drafts;
  const usernames = [...new Set(drafts.map((draft) => dataset.meta.reporters[draft.organisationId]!))];
  const sessions = await signInMany(server.url, usernames);
  const requestOf = (draft: (typeof drafts)[number]) => {
    const session = sessions.get(dataset.meta.reporters[draft.organisationId]!)!;
    return {
      method: 'POST',
      path: `/api/reports/${draft.reportId}/events`,
      body: JSON.stringify({ event: 'submit', baseRevision: 1 }),
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json', prefer: 'return=minimal' },
    };
  };
  // interleaved so that both runs submit across every unit and period
  const first = drafts.filter((_, index) => index % 2 === 0).map(requestOf);
  const second = drafts.filter((_, index) => index % 2 === 1).map(requestOf);
  const bareLocation = dataset.dialect === 'sqlite' ? join(dirname(dataset.location), 'bare-commits.db') : dataset.location;
  const figures: Record<number, { luoshi: LoadResult; bare: number }> = {};
  for (const [connections, requests] of [
    [16, first],
    [400, second],
  ] as const) {
    const bare = await bareCommits(dataset.dialect, bareLocation, connections, WRITE_SECONDS);
    const luoshi = await runLoad({ url: server.url, connections, durationSeconds: WRITE_SECONDS, requests: [...requests] });
    figures[connections] = { luoshi, bare: bare.rate };
  }
  const at16 = figures[16]!;
  const at400 = figures[400]!;
  const errors = errorsOf(at16.luoshi) + errorsOf(at400.luoshi);
  const ratio16 = at16.luoshi.rate / at16.bare;
  const ratio400 = at400.luoshi.rate / at400.bare;
  const pass = ratio16 >= 0.2 && ratio400 >= 0.2 && errors === 0 && at16.luoshi.latency.p99 < 200;
  const describe = (figure: { luoshi: LoadResult; bare: number }, connections: number) =>
    `${connections}: ${perSecond(figure.luoshi.rate)} p99 ${ms(figure.luoshi.latency.p99)}${errorsOf(figure.luoshi) ? ` ${errorsOf(figure.luoshi)} errors` : ''}${figure.luoshi.exhausted ? ' (drafts used up)' : ''} (bare ${perSecond(figure.bare)})`;
  report({
    id: 'W1',
    database,
    scenario: 'submit a report (validate, version, audit), 16 and 400 clients',
    figure: `${describe(at16, 16)}; ${describe(at400, 400)}`,
    ratio: `${ratio16.toFixed(3)} / ${ratio400.toFixed(3)}`,
    target: '≥ 0.2 of bare durable commits; 0 errors; p99 < 200 ms at 16',
    pass,
    values: {
      at16: {
        rate: at16.luoshi.rate,
        p99Ms: at16.luoshi.latency.p99,
        errors: errorsOf(at16.luoshi),
        submitted: at16.luoshi.ok,
        bareRate: at16.bare,
        statusCodes: at16.luoshi.statusCodes,
      },
      at400: {
        rate: at400.luoshi.rate,
        p99Ms: at400.luoshi.latency.p99,
        errors: errorsOf(at400.luoshi),
        submitted: at400.luoshi.ok,
        bareRate: at400.bare,
        statusCodes: at400.luoshi.statusCodes,
      },
    },
  });
}

/** X1: each city-wide export fetched while autocannon keeps asking /healthz; the server's RSS peak is returned for M1. */
async function exportScenario(database: string, dataset: Dataset, server: RunningServer, office: SignedIn): Promise<number> {
  const runs = QUICK ? 1 : 3;
  const limits = { docx: 1500, xlsx: 1500, pdf: 3000 } as const;
  const times: Record<string, number> = {};
  const sizes: Record<string, number> = {};
  const memory = sampler(() => server.rssMb(), 20);
  const health = startLoad({ url: `${server.url}/healthz`, connections: 4, durationSeconds: 600 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    for (const format of ['docx', 'xlsx', 'pdf'] as const) {
      const each: number[] = [];
      for (let run = 0; run < runs; run++) {
        const begun = performance.now();
        const { body } = await getBytes(`${server.url}${paths(dataset).export(format)}`, office);
        each.push(performance.now() - begun);
        sizes[format] = body.length;
      }
      times[format] = median(each);
    }
  } finally {
    health.stop();
  }
  const healthz = await health.done;
  const peak = memory.stop();
  const pass =
    times.docx! < limits.docx &&
    times.xlsx! < limits.xlsx &&
    times.pdf! < limits.pdf &&
    healthz.latency.p99 < 50 &&
    errorsOf(healthz) === 0 &&
    healthz.ok > 0;
  if (wanted('X1')) {
    report({
      id: 'X1',
      database,
      scenario: 'city-wide export, DOCX / XLSX / PDF',
      figure: `${ms(times.docx!)} / ${ms(times.xlsx!)} / ${ms(times.pdf!)}; ${healthz.ok > 0 ? `/healthz p99 ${ms(healthz.latency.p99)} (max ${ms(healthz.latency.max)}, ${healthz.ok} answered)` : `no /healthz answered during the exports (${healthz.requests} sent, ${errorsOf(healthz)} errors)`}`,
      target: '< 1.5 s / < 1.5 s / < 3 s; /healthz p99 < 50 ms',
      pass,
      values: {
        ms: times,
        bytes: sizes,
        healthzP99Ms: healthz.latency.p99,
        healthzMaxMs: healthz.latency.max,
        healthzRequests: healthz.requests,
        healthzErrors: errorsOf(healthz),
        runs,
      },
    });
  }
  return peak;
}

/** S1: the server started on the already migrated database five times, the time to its first 200 on /healthz. */
async function startScenario(database: string, dataset: Dataset) {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const server = await startServer(dataset.location, luoshiPort());
    times.push(server.startMs);
    await server.stop();
  }
  const figure = median(times);
  report({
    id: 'S1',
    database,
    scenario: 'cold start to first 200',
    figure: `${ms(figure)} (median of 5: ${times.map((time) => time.toFixed(0)).join(', ')} ms; ${serverCommand().slice(0, 2).join(' ')})`,
    target: '< 1.5 s',
    pass: figure < 1500,
    values: { medianMs: figure, runsMs: times, command: serverCommand().join(' ') },
  });
}

/**
 * G1: R1 and R3 against databases of 40k, 400k and (without --quick) 2M reports, the same unit and plan in each.
 * Growing no faster than log(data) means each step's mean latency grows by at most the ratio of the logarithms
 * of the report counts, with 10 % for the machine's noise.
 */
async function growthScenario(database: string, postgresUrl: string | undefined) {
  const scales: ScaleName[] = SCALE === 'smoke' ? ['smoke'] : QUICK ? ['city', 'ten'] : ['city', 'ten', 'province'];
  if (postgresUrl && QUICK) {
    report({
      id: 'G1',
      database,
      scenario: 'R1 and R3 at 40k, 400k and 2M reports',
      figure: 'not measured on PostgreSQL with --quick: building 400k there takes longer than the whole budget',
      target: 'grows no faster than log(data)',
      pass: false,
      values: {},
    });
    return;
  }
  // every point measured here, one after another, rather than reusing R1 and R3 from minutes earlier: the
  // machine's load changes faster than the data
  const points: { reports: number; r1: LoadResult; r3: LoadResult }[] = [];
  for (const scale of scales) {
    const dataset = await prepareDataset(scale, SEED, postgresUrl, note);
    try {
      const server = await startServer(dataset.location, luoshiPort());
      try {
        const reporter = await signInOverHttp(server.url, dataset.meta.unit.reporter, PASSWORD);
        const office = await signInOverHttp(server.url, dataset.meta.office, PASSWORD);
        const path = paths(dataset);
        const r1 = await judged(`${server.url}${path.r1}`, { cookie: reporter.cookie });
        const r3 = await judged(`${server.url}${path.r3}`, { cookie: office.cookie });
        points.push({ reports: dataset.meta.reports, r1, r3 });
      } finally {
        await server.stop();
      }
    } finally {
      await dataset.discard();
    }
  }
  points.sort((a, b) => a.reports - b.reports);
  const steps = points.slice(1).map((point, index) => {
    const before = points[index]!;
    const allowed = (Math.log(point.reports) / Math.log(before.reports)) * 1.1;
    return {
      from: before.reports,
      to: point.reports,
      r1: point.r1.latency.mean / before.r1.latency.mean,
      r3: point.r3.latency.mean / before.r3.latency.mean,
      allowed,
    };
  });
  const faster = steps.filter((step) => !(step.r1 <= step.allowed && step.r3 <= step.allowed));
  const unmeasured = points.some((point) => point.r1.ok < READ_CONNECTIONS || point.r3.ok < READ_CONNECTIONS);
  const thousands = (count: number) => (count >= 1_000_000 ? `${(count / 1_000_000).toFixed(1)}M` : `${Math.round(count / 1000)}k`);
  report({
    id: 'G1',
    database,
    scenario: `R1 and R3 at ${points.map((point) => thousands(point.reports)).join(', ')} reports${QUICK ? ' (--quick: 2M not measured)' : ''}`,
    figure: `mean R1 ${points.map((point) => ms(point.r1.latency.mean)).join(' → ')}, R3 ${points.map((point) => ms(point.r3.latency.mean)).join(' → ')}${unmeasured ? ' (too few answers at some point)' : ''}${
      faster.length ? `; faster than log from ${faster.map((step) => `${thousands(step.from)} to ${thousands(step.to)}`).join(', ')}` : ''
    }`,
    ratio: steps.map((step) => `${step.r1.toFixed(2)}/${step.r3.toFixed(2)} (≤ ${step.allowed.toFixed(2)})`).join(', ') || '—',
    target: 'grows no faster than log(data)',
    pass: steps.length > 0 && faster.length === 0 && !unmeasured,
    values: {
      points: points.map((point) => ({
        reports: point.reports,
        r1MeanMs: point.r1.latency.mean,
        r1P99Ms: point.r1.latency.p99,
        r3MeanMs: point.r3.latency.mean,
        r3P99Ms: point.r3.latency.p99,
      })),
      steps,
    },
  });
}

/** I1 and the in-process extras, on SQLite in this process as before the server existed in the bench. */
async function importScenario() {
  const runs = QUICK ? 3 : 5;
  const figures = await measureImports(runs);
  extras.push(...figures.lines);
  report({
    id: 'I1',
    database: 'sqlite',
    scenario: 'import a generated 1,000-item DOCX and XLSX',
    figure: `${ms(figures.importMs.docx)} / ${ms(figures.importMs.xlsx)} (median of ${runs}, services, fresh database)`,
    target: '< 1 s each',
    pass: figures.importMs.docx < 1000 && figures.importMs.xlsx < 1000,
    values: figures.importMs,
  });
  if (!QUICK) {
    extras.push(await measureReporting());
    extras.push(...(await measureHostileFiles(runs)));
  }
}

function commitOf(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

const databases: [string, string | undefined][] = [['sqlite', undefined]];
if (process.env.LUOSHI_BENCH_DATABASE_URL) databases.push(['postgres', process.env.LUOSHI_BENCH_DATABASE_URL]);
note(
  `luoshi bench${QUICK ? ' --quick' : ''} · scale ${SCALE} · seed ${SEED} · ${SECONDS} s a measurement after ${WARM_UP} s warm-up · server: ${serverCommand().join(' ')}`,
);
say(`id | database| scenario | figure | ratio | target | result`);
try {
  for (const [name, url] of databases) await runOn(name, url);
  await guarded('I1', 'sqlite', 'import a generated 1,000-item DOCX and XLSX', importScenario);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
for (const line of extras) say(`   ${line}`);

const seconds = (performance.now() - started) / 1000;
const cpu = cpus();
const result = {
  startedAt: new Date(Date.now() - seconds * 1000).toISOString(),
  seconds,
  flags: { quick: QUICK, scale: SCALE, seed: SEED, only: ONLY ? [...ONLY] : null },
  commit: commitOf(),
  node: process.version,
  machine: {
    cpus: cpu.length,
    model: cpu[0]?.model ?? 'unknown',
    memoryGb: totalmem() / 1024 ** 3,
    freeGb: freemem() / 1024 ** 3,
    os: `${platform()} ${release()}`,
  },
  serverCommand: serverCommand().join(' '),
  measurement: {
    seconds: SECONDS,
    warmUpSeconds: WARM_UP,
    readConnections: READ_CONNECTIONS,
    period: readPeriodOf(SCALE),
    year: BASE_YEAR,
  },
  lines,
  extras,
};
const results = join(ROOT, 'bench/results');
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
const cell = (text: string) => text.replaceAll('|', '\\|');
writeFileSync(
  join(results, 'latest.md'),
  [
    `# luoshi bench${QUICK ? ' --quick' : ''}, scale ${SCALE}`,
    '',
    `${result.startedAt} · commit ${result.commit} · node ${result.node} · ${result.machine.cpus} × ${result.machine.model} · ${result.seconds.toFixed(0)} s · server \`${result.serverCommand}\``,
    '',
    '| id | database | scenario | figure | ratio | target | result |',
    '|---|---|---|---|---|---|---|',
    ...lines.map(
      (line) =>
        `| ${line.id} | ${line.database} | ${cell(line.scenario)} | ${cell(line.figure)} | ${cell(line.ratio)} | ${cell(line.target)} | ${line.pass ? 'PASS' : 'FAIL'} |`,
    ),
    '',
    ...(extras.length ? ['```', ...extras, '```', ''] : []),
  ].join('\n'),
);
if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
note(
  `${lines.filter((line) => line.pass).length} PASS, ${lines.filter((line) => !line.pass).length} FAIL · ${seconds.toFixed(0)} s · bench/results/latest.json, latest.md`,
);
