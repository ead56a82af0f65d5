import type { Config } from '../config.js';
import type { JobLogger } from './queue.js';

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY } as const;

/**
 * A logger of JSON lines in pino's shape (level, time, msg and the fields), for `luoshi worker`, which has no Fastify
 * and so no pino of its own; the server hands the runner its app.log instead.
 */
export function lineLogger(level: Config['logLevel'], write: (line: string) => void = (line) => process.stdout.write(line)): JobLogger {
  const threshold = LEVELS[level];
  const at =
    (name: 'info' | 'warn' | 'error') =>
    (object: object, message?: string): void => {
      if (LEVELS[name] < threshold) return;
      const fields = Object.fromEntries(
        Object.entries(object).map(([key, value]) => [key, value instanceof Error ? errorFields(value) : value]),
      );
      write(`${JSON.stringify({ level: LEVELS[name], time: Date.now(), pid: process.pid, ...fields, msg: message })}\n`);
    };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

function errorFields(error: Error): Record<string, unknown> {
  return { type: error.name, message: error.message, stack: error.stack };
}
