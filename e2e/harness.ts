/**
 * The browser-test harness: builds the web app and the compiled server (build/, `npm run build`) when they are missing
 * or older than their sources, starts the compiled server as production runs it (`node build/cli/main.js serve`, no
 * tsx) on a fresh demo database (--demo) on a free port, and launches Debian's chromium through playwright-core.
 * `useHarness()` registers the vitest hooks of one test file and returns an object filled in by beforeAll.
 *
 * Every page needs a signed-in user: beforeAll creates the test accounts through the command line, as an
 * administrator would (`luoshi user add ... --password-stdin --no-must-change`), and each test signs in with
 * `signIn(page, username, password)` through the sign-in form.
 */
import { spawn, execFile, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const RESULTS = join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  page: Page;
  context: BrowserContext;
  /** console errors and uncaught exceptions of the page */
  browserErrors: string[];
  /** a full-page screenshot to test-results/e2e-{name}.png */
  shot(name: string): Promise<void>;
  /** GET a JSON endpoint of the server as the signed-in supervisor, expecting 200 */
  apiJson<T>(path: string): Promise<T>;
  /** creates an account through the command line, as an administrator would; it must change its password at first
   * sign-in only with `mustChange: true` */
  addUser(user: TestUser & { mustChange?: boolean }): Promise<void>;
  /** signIn(harness.page, ...) */
  signIn(username: string, password: string, next?: string): Promise<void>;
  /** the database file of the running server */
  dbPath: string;
}

export interface TestUser {
  username: string;
  /** shown in the header; the user name when not given */
  name?: string;
  /** canonical name or alias of an organisation of the demo data */
  organisation: string;
  role: 'admin' | 'supervisor' | 'unit_leader' | 'unit_reporter' | 'viewer' | 'auditor';
  password: string;
}

/** 督查室: reads the whole city and may import. Created by beforeAll in every test file. */
export const SUPERVISOR: TestUser = {
  username: 'duchashi',
  name: '督查员',
  organisation: '市政府办公室',
  role: 'supervisor',
  password: 'E2e-Supervisor-2030',
};

/** 单位填报员 of 市生态环境局: reads its own unit's part only. Created by beforeAll in every test file. */
export const REPORTER: TestUser = {
  username: 'sthj-tianbao',
  name: '生态环境局填报员',
  organisation: '市生态环境局',
  role: 'unit_reporter',
  password: 'E2e-Reporter-2030',
};

/** 单位负责人 of 市生态环境局: approves its unit's reports before they go on. Created by the tests that need it. */
export const LEADER: TestUser = {
  username: 'sthj-fuzeren',
  name: '生态环境局负责人',
  organisation: '市生态环境局',
  role: 'unit_leader',
  password: 'E2e-Leader-2030',
};

/** 审计员: reads the audit trail and nothing else. Created by beforeAll in every test file. */
export const AUDITOR: TestUser = {
  username: 'shenji',
  name: '审计员',
  organisation: '市政府办公室',
  role: 'auditor',
  password: 'E2e-Auditor-2030',
};

const execFileAsync = promisify(execFile);

/**
 * Signs the page in through the sign-in form, as a person would, and waits until the app has left the sign-in
 * page (for the page in `next`, or 修改密码 when the account must change its password first). Cookies are cleared
 * first, so that it starts from the sign-in form whoever was signed in before.
 */
export async function signIn(page: Page, username: string, password: string, next = '/'): Promise<void> {
  await page.context().clearCookies();
  await page.goto(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  const quiet = watchRequests(page);
  try {
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    // the page signed in to loads its data (the header's counts, the page's own); a sign-in that follows at once
    // would clear the cookies under those requests, and their 401s would count as the next test's console errors
    await quiet();
  } finally {
    quiet.stop();
  }
}

/**
 * Counts the page's requests in flight from now on; the function returned resolves once none has been in flight
 * for 300 ms (a query that follows another starts a moment after the first ends), or after 5 s in any case.
 */
function watchRequests(page: Page): (() => Promise<void>) & { stop(): void } {
  let inFlight = 0;
  let lastChange = Date.now();
  const started = () => {
    inFlight += 1;
    lastChange = Date.now();
  };
  const ended = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastChange = Date.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  const wait = async () => {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastChange < 300)) {
      await new Promise((wake) => setTimeout(wake, 50));
    }
  };
  return Object.assign(wait, {
    stop() {
      page.off('request', started);
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
    },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** The newest modification time of the files under a directory, leaving out the subdirectories named in `except`. */
function newest(dir: string, except: string[] = []): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (except.includes(path)) continue;
    latest = Math.max(latest, entry.isDirectory() ? newest(path, except) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The compiled command line, as `luoshi` and `npm start` run it. */
const CLI = join(ROOT, 'build/cli/main.js');

/** Builds build/ (`npm run build`) unless it is there and newer than every source file of the server and the CLI. */
function buildServerIfStale(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newest(join(ROOT, 'src'), [join(ROOT, 'src/web')])) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

/** Builds dist/web unless it is there and newer than every file in src/web and src/contract, which the web imports. */
function buildWebIfStale(): void {
  const index = join(ROOT, 'dist/web/index.html');
  const sources = Math.max(newest(join(ROOT, 'src/web')), newest(join(ROOT, 'src/contract')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  // vitest sets NODE_ENV=test, which would give a development build of React and antd
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export function useHarness(): Harness {
  let server: ChildProcess | undefined;
  let serverLog = '';
  let workDir = '';
  let browser: Browser | undefined;
  const harness = {
    baseUrl: '',
    browserErrors: [] as string[],
    async shot(name: string) {
      // a viewport as tall as the page, so that sticky bars (the header, the import action bar) sit where they belong
      const { page } = harness;
      const viewport = page.viewportSize();
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
      try {
        await page.screenshot({ path: join(RESULTS, `e2e-${name}.png`), fullPage: true, animations: 'disabled' });
      } finally {
        if (viewport && height > viewport.height) await page.setViewportSize(viewport);
      }
    },
    async apiJson<T>(path: string): Promise<T> {
      const response = await fetch(`${harness.baseUrl}${path}`, { headers: { cookie: apiCookie } });
      expect(response.status, `GET ${path}`).toBe(200);
      return (await response.json()) as T;
    },
    async addUser(user) {
      const args = [
        CLI,
        'user',
        'add',
        '--db',
        harness.dbPath,
        '--username',
        user.username,
        '--org',
        user.organisation,
        '--role',
        user.role,
        '--password-stdin',
      ];
      if (user.name) args.push('--name', user.name);
      if (!user.mustChange) args.push('--no-must-change');
      const child = execFileAsync(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
      child.child.stdin?.end(`${user.password}\n`);
      try {
        await child;
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`luoshi user add ${user.username} failed: ${String(error)}\n${stdout ?? ''}${stderr ?? ''}`);
      }
    },
    signIn(username: string, password: string, next?: string) {
      return signIn(harness.page, username, password, next);
    },
  } as Harness;
  let apiCookie = '';

  async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (server?.exitCode !== null && server?.exitCode !== undefined) {
        throw new Error(`server exited with code ${server.exitCode} before answering /healthz`);
      }
      try {
        const response = await fetch(`${url}/healthz`);
        if (response.status === 200) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = String(error);
      }
      await new Promise((wake) => setTimeout(wake, 500));
    }
    throw new Error(`server did not answer /healthz with 200 within ${timeoutMs / 1000} s (last: ${last})`);
  }

  function printServerLog(why: string): void {
    console.error(`----- server output (${why}) -----\n${serverLog || '(no output)'}\n----- end of server output -----`);
    if (harness.browserErrors.length) {
      console.error(`----- browser console errors -----\n${harness.browserErrors.join('\n')}`);
    }
  }

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    buildWebIfStale();
    buildServerIfStale();

    workDir = mkdtempSync(join(tmpdir(), 'luoshi-e2e-'));
    harness.dbPath = join(workDir, 'e2e.db');
    const port = await freePort();
    harness.baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(
      process.execPath,
      [CLI, 'serve', '--db', harness.dbPath, '--demo', '--host', '127.0.0.1', '--port', String(port)],
      // its own process group, so that afterAll ends the server and anything it started together
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } },
    );
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    try {
      await waitForHealth(harness.baseUrl, 60_000);
    } catch (error) {
      printServerLog('server did not start');
      throw error;
    }

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    harness.context = await browser.newContext({
      acceptDownloads: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
      // page.goto('/login') in signIn
      baseURL: harness.baseUrl,
    });
    harness.page = await harness.context.newPage();
    harness.page.setDefaultTimeout(15_000);
    harness.page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // the app asks who is signed in on every load; before signing in the answer is 401, as it should be
      if (/^Failed to load resource/.test(message.text()) && message.location().url.endsWith('/api/auth/me')) return;
      harness.browserErrors.push(message.text());
    });
    harness.page.on('pageerror', (error) => harness.browserErrors.push(String(error)));

    // every page needs a signed-in user: the supervisor reads the whole city and may import; a unit reporter
    // reads its own unit's part
    await harness.addUser(SUPERVISOR);
    await harness.addUser(REPORTER);
    await harness.addUser(AUDITOR);
    const login = await fetch(`${harness.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: SUPERVISOR.username, password: SUPERVISOR.password }),
    });
    expect(login.status, 'API sign-in of the test supervisor').toBe(200);
    apiCookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0]!;
    await harness.signIn(SUPERVISOR.username, SUPERVISOR.password);
    // before signing in, the app's session check was answered 401, as it should be
    harness.browserErrors.splice(0);
  });

  afterEach(({ task }) => {
    if (task.result?.state === 'fail') printServerLog(`test failed: ${task.name}`);
  });

  afterAll(async () => {
    await harness.context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (server?.pid !== undefined && server.exitCode === null) {
      const exited = new Promise((done) => server?.once('exit', done));
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        server.kill('SIGTERM');
      }
      await Promise.race([exited, new Promise((wake) => setTimeout(wake, 5_000))]);
      if (server.exitCode === null) {
        try {
          process.kill(-server.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  return harness;
}

/** A JSON request from the page, as the signed-in user, with the session's CSRF token. */
export async function pageApi(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/auth/me')).json();
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    { method, path, body },
  );
}
