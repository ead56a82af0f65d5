import { readFileSync } from 'node:fs';
import { parseInstant } from './config.js';

export interface FileClockOptions {
  /** shortest time between two reads of the file, in milliseconds (default 100) */
  rereadMs?: number;
  /** hears of a read that failed or held no instant; the clock keeps the last good value (default: a line on stderr) */
  onProblem?: (problem: string) => void;
}

/**
 * A clock that reads the time from a file holding an ISO-8601 instant (LUOSHI_CLOCK_FILE): tests and drills move
 * through a reporting period by rewriting the file, and every process given the same file sees the same time. The
 * file is read at most every `rereadMs` (on the wall clock), so a busy process does not read it on every call.
 * Missing or unreadable at creation is an error; later, bad content is reported once per distinct problem and the
 * last good instant stays.
 */
export function fileClock(path: string, options: FileClockOptions = {}): () => Date {
  const rereadMs = options.rereadMs ?? 100;
  const onProblem = options.onProblem ?? ((problem: string) => process.stderr.write(`${problem}\n`));
  const read = (): Date | string => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      return `时钟文件 ${path} 无法读取（${(error as NodeJS.ErrnoException).code ?? String(error)}）`;
    }
    return parseInstant(text) ?? `时钟文件 ${path} 的内容不是 ISO-8601 时刻：${JSON.stringify(text.trim().slice(0, 40))}`;
  };
  const first = read();
  if (typeof first === 'string') throw new Error(first);
  let current = first;
  let readAt = performance.now();
  let lastProblem: string | undefined;
  return () => {
    const at = performance.now();
    if (at - readAt >= rereadMs) {
      readAt = at;
      const value = read();
      if (typeof value === 'string') {
        if (value !== lastProblem) onProblem(`${value}；沿用上次读到的时刻 ${current.toISOString()}`);
        lastProblem = value;
      } else {
        current = value;
        lastProblem = undefined;
      }
    }
    return new Date(current.getTime());
  };
}
