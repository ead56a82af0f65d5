/**
 * The server runs with the same node flags however it is started: `npm start`, the installed `luoshi` command and
 * the benchmark's server (which measures what production runs). The flags keep the server's memory within the
 * benchmark's M1 target; a launch path without them would quietly use ~50 MB more.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../bench/server.js';

const root = new URL('../', import.meta.url);

it('starts the server with the same node flags from npm start, the luoshi command and the benchmark', () => {
  expect(SERVER_NODE_FLAGS.length).toBeGreaterThan(0);
  const start = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const shebang = readFileSync(new URL('bin/luoshi.js', root), 'utf8').split('\n')[0]!;
  expect(start).toContain(`node ${SERVER_NODE_FLAGS.join(' ')} build/cli/main.js serve`);
  expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
});
