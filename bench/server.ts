import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Children started in their own process group (servers, baselines), killed when the bench exits however it exits,
 * so that an interrupted run leaves no server holding a port or a database.
 */
const live = new Set<ChildProcess>();
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}
process.once('exit', () => {
  for (const child of live) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/**
 * The command that starts the server under test, as words with {db} and {port} in them: LUOSHI_BENCH_SERVER_COMMAND
 * when set, else the compiled build when there is one (what production runs), else the TypeScript sources
 * through tsx.
 */
/** the flags production runs node with (package.json's start, bin/luoshi.js); test/launch-flags.test.ts keeps them equal */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8'];

export function serverCommand(): string[] {
  const configured = process.env.LUOSHI_BENCH_SERVER_COMMAND?.trim();
  if (configured) return configured.split(/\s+/);
  if (existsSync(`${ROOT}build/cli/main.js`))
    return ['node', ...SERVER_NODE_FLAGS, 'build/cli/main.js', 'serve', '--db', '{db}', '--port', '{port}'];
  return ['npx', 'tsx', 'src/cli/main.ts', 'serve', '--db', '{db}', '--port', '{port}'];
}

export interface RunningServer {
  url: string;
  pid: number;
  /** milliseconds from spawn to the first 200 on /healthz */
  startMs: number;
  /** the server's process RSS now, MB, found under the npx/tsx wrappers when there are any */
  rssMb(): number;
  /** the peak RSS the kernel recorded for the server process (VmHWM), MB */
  peakMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts luoshi on `db` at 127.0.0.1:`port` as a child process and waits for its first 200 on /healthz. The rate
 * limits are lifted (the load comes from one address), and the log is kept to warnings so that the measurement is
 * of the server, not of a terminal.
 */
export async function startServer(db: string, port: number, options: { timeoutMs?: number } = {}): Promise<RunningServer> {
  const [command, ...args] = serverCommand().map((word) => word.replaceAll('{db}', db).replaceAll('{port}', String(port)));
  const started = performance.now();
  const child = track(
    spawn(command!, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        LUOSHI_LOG_LEVEL: 'warn',
        LUOSHI_RATE_LIMIT_PER_MINUTE: '1000000',
        LUOSHI_LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
        LUOSHI_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering:\n${output}`);
    if (performance.now() > deadline) {
      await stopProcess(child);
      throw new Error(`server did not answer /healthz within ${options.timeoutMs ?? 60_000} ms:\n${output}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const startMs = performance.now() - started;
  const serverPid = listeningProcess(child.pid!);
  return {
    url,
    pid: serverPid,
    startMs,
    rssMb: () => statusFigure(serverPid, 'VmRSS'),
    peakMb: () => statusFigure(serverPid, 'VmHWM'),
    stop: () => stopProcess(child),
  };
}

/** The node process that serves: the deepest descendant of the spawned one (npx → tsx → node). */
function listeningProcess(pid: number): number {
  let current = pid;
  for (;;) {
    const children = childrenOf(current);
    if (children.length === 0) return current;
    current = children[children.length - 1]!;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function statusFigure(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** SIGTERM to the child's process group (the wrappers and the server), SIGKILL if it has not gone in 5 s. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, 5000);
  await gone;
  clearTimeout(timer);
}

/** Samples a figure every `everyMs` until stopped; gives the largest seen. */
export function sampler(read: () => number, everyMs = 50) {
  let peak = read();
  const timer = setInterval(() => (peak = Math.max(peak, read())), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return (peak = Math.max(peak, read()));
    },
  };
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
}

/** Signs in over HTTP as a browser does: the session cookie and the CSRF token writes must carry. */
export async function signInOverHttp(url: string, username: string, password: string): Promise<SignedIn> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('luoshi_session='));
  if (!cookie) throw new Error(`sign-in of ${username} set no session cookie`);
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: cookie.split(';')[0]!, csrfToken: body.csrfToken };
}
