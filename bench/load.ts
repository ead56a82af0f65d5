import { fork, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopProcess, track } from './server.js';

export interface LoadJob {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  method?: string;
  body?: string;
  /** distinct requests, one each, on the url's origin: the run ends when they are used up or the time is */
  requests?: { method: string; path: string; body: string; headers: Record<string, string> }[];
}

export interface LoadResult {
  elapsedSeconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx answers a second */
  rate: number;
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, { count: number }>;
  /** the distinct requests ran out before the time did */
  exhausted: boolean;
}

const CHILD = new URL('./children/load.mjs', import.meta.url);

/**
 * autocannon in a process of its own (plain node: the tsx loader is not inherited), with `job`; the returned
 * promise settles with its figures. The child is killed if it outlives its duration by half a minute.
 */
export function startLoad(job: LoadJob): { done: Promise<LoadResult>; stop(): void } {
  const child = track(fork(CHILD, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true }));
  const guard = setTimeout(() => void stopProcess(child), (job.durationSeconds + 30) * 1000);
  let started: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (message: unknown) => {
      if (message === 'started') return started();
      clearTimeout(guard);
      const answer = message as LoadResult & { error?: string };
      if (answer.error) reject(new Error(`load generator: ${answer.error}`));
      else resolve(answer);
    });
    child.on('exit', (code) => {
      clearTimeout(guard);
      reject(new Error(`load generator exited with ${code} before reporting`));
    });
  });
  child.send(job);
  return {
    done,
    stop: () => void ready.then(() => child.connected && child.send('stop')),
  };
}

export const runLoad = (job: LoadJob) => startLoad(job).done;

/** Starts bare Fastify answering with `body` on `port`, for as long as `work` runs. */
export async function withBareServer<T>(
  directory: string,
  body: Buffer,
  contentType: string,
  port: number,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const file = join(directory, `bare-${port}.body`);
  writeFileSync(file, body);
  const child = track(
    spawn(process.execPath, [new URL('./children/bare-server.mjs', import.meta.url).pathname, file, contentType, String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  try {
    return await work(`http://127.0.0.1:${port}`);
  } finally {
    await stopProcess(child);
  }
}

export interface CommitFigures {
  commits: number;
  seconds: number;
  rate: number;
  p99Ms: number;
}

/** Bare durable single-row commits for `seconds`: SQLite on a file at `location`, or PostgreSQL at a URL. */
export async function bareCommits(
  kind: 'sqlite' | 'postgres',
  location: string,
  connections: number,
  seconds: number,
): Promise<CommitFigures> {
  const child = spawn(
    process.execPath,
    [new URL('./children/bare-commits.mjs', import.meta.url).pathname, kind, location, String(connections), String(seconds)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bare commits exited with ${code}`);
  return JSON.parse(output) as CommitFigures;
}
