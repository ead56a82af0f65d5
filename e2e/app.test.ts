/**
 * Browser test of the web UI against the real server with the demo plan (--demo): a person opens the task list,
 * expands it, looks at an item, goes to 责任单位, opens 市生态环境局, reads its summary table and downloads the Word file.
 */
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const RESULTS = join(ROOT, 'test-results');
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

const CHAPTER_9 = '九、加快建设美丽苏州，持之以恒推动绿色低碳转型';
const ITEM_TEXT = '以臭氧和PM2.5协同控制为重点';
const UNIT = '市生态环境局';
/** The beginnings of the four items of task 35 in the demo table. */
const TASK_35_ITEMS = ['认真落实新一轮中央、省生态环保督察', ITEM_TEXT, '创新“河湖长+”机制', '深入开展土壤及地下水环境调查'];

let server: ChildProcess | undefined;
let serverLog = '';
let baseUrl = '';
let workDir = '';
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const browserErrors: string[] = [];

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
  if (browserErrors.length) console.error(`----- browser console errors -----\n${browserErrors.join('\n')}`);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(RESULTS, `e2e-${name}.png`), fullPage: true, animations: 'disabled' });
}

async function apiJson<T>(path: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`);
  expect(response.status, `GET ${path}`).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  if (!existsSync(join(ROOT, 'dist/web/index.html'))) {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }

  workDir = mkdtempSync(join(tmpdir(), 'luoshi-e2e-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(
    'npx',
    ['tsx', 'src/cli/main.ts', 'serve', '--db', join(workDir, 'e2e.db'), '--demo', '--host', '127.0.0.1', '--port', String(port)],
    // its own process group, so that afterAll can end npx, tsx and node together
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } },
  );
  server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  try {
    await waitForHealth(baseUrl, 60_000);
  } catch (error) {
    printServerLog('server did not start');
    throw error;
  }

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (message) => {
    if (message.type() === 'error') browserErrors.push(message.text());
  });
  page.on('pageerror', (error) => browserErrors.push(String(error)));
});

afterEach(({ task }) => {
  if (task.result?.state === 'fail') printServerLog(`test failed: ${task.name}`);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
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

describe('落实 web UI', () => {
  test('工作任务: the plan, expanded, shows items and their units', async () => {
    const { plans } = await apiJson<{ plans: { id: number; title: string }[] }>('/api/plans');
    expect(plans.length).toBeGreaterThan(0);
    const title = plans[0]!.title;

    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.title()).toContain('落实');
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByText('6 个章节 · 10 项任务 · 15 个事项').waitFor();

    await page.getByRole('button', { name: /全部展开/ }).click();
    await page.getByText(CHAPTER_9).waitFor();
    await page.getByText(ITEM_TEXT).first().waitFor();
    await page.locator('.plan-table .org-tag', { hasText: UNIT }).first().waitFor();
    await shot('plan');

    // the search box narrows the tree to matching items
    await page.getByPlaceholder('搜索工作内容或单位名称').fill('臭氧');
    await page.getByPlaceholder('搜索工作内容或单位名称').press('Enter');
    await page.getByText('找到 1 个事项').waitFor();
    await page.getByPlaceholder('搜索工作内容或单位名称').fill('');
    await page.getByPlaceholder('搜索工作内容或单位名称').press('Enter');
  });

  test('事项详情: clicking an item opens its page', async () => {
    await page.getByRole('button', { name: /全部展开/ }).click();
    await page.getByRole('link', { name: new RegExp(ITEM_TEXT.replace(/[.+]/g, '\\$&')) }).first().click();
    await page.waitForURL(/\/items\/\d+$/);
    const itemId = Number(new URL(page.url()).pathname.split('/').pop());
    const detail = await apiJson<{ reports: { text: string }[] }>(`/api/items/${itemId}`);

    await page.locator('.ant-breadcrumb').getByText('35 深入打好污染防治攻坚战').waitFor();
    await page.locator('.ant-breadcrumb').getByText(CHAPTER_9).waitFor();
    await page.locator('.work-text', { hasText: ITEM_TEXT }).waitFor();
    await page.locator('.org-tag', { hasText: UNIT }).first().waitFor();
    const firstReport = detail.reports[0];
    if (firstReport) await page.getByText(firstReport.text.slice(0, 20)).first().waitFor();
    await shot('item');
  });

  test('责任单位 → 市生态环境局: the summary table as printed, and the Word download', async () => {
    await page.locator('.app-menu').getByText('责任单位').click();
    await page.waitForURL(/\/organisations$/);
    await page.getByRole('heading', { name: '责任单位' }).waitFor();
    await shot('organisations');

    await page.getByRole('link', { name: UNIT, exact: true }).first().click();
    await page.waitForURL(/\/organisations\/\d+/);
    await page.getByRole('heading', { name: new RegExp(`^${UNIT}`) }).waitFor();

    const table = page.locator('.summary-table');
    await table.waitFor();
    await table.getByText(CHAPTER_9, { exact: true }).waitFor();
    const chapterCell = table.locator('tr.row-chapter td', { hasText: CHAPTER_9 });
    expect(await chapterCell.getAttribute('colspan')).toBe('6');

    // 序号 35 is merged down its four items, and each item has its own row
    const number35 = table.locator('td.cell-merged', { hasText: /^35$/ });
    await number35.waitFor();
    expect(await number35.getAttribute('rowspan')).toBe('4');
    const task35Row = number35.locator('xpath=..');
    const rows = [task35Row, ...[1, 2, 3].map((n) => task35Row.locator(`xpath=following-sibling::tr[${n}]`))];
    for (const [index, row] of rows.entries()) {
      await expect.poll(() => row.innerText()).toContain(TASK_35_ITEMS[index]!);
    }
    await table.getByRole('columnheader', { name: '全年完成情况' }).waitFor();
    await shot('organisation');

    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('link', { name: /下载 Word/ }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(browserErrors.filter((text) => !/favicon/i.test(text))).toEqual([]);
  });
});
