import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const CI_SCRIPT = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** the commands of the script, without comments */
const commands = CI_SCRIPT.split('\n').filter((line) => !line.trimStart().startsWith('#'));

it('CI runs the README’s test command, never the test runner behind its back', () => {
  expect(README).toMatch(/npm test\s/);
  expect(PACKAGE.scripts.test).toBe('vitest run');
  expect(commands.filter((line) => /\bnpx vitest\b|node_modules\/\.bin\/vitest/.test(line))).toEqual([]);
  // the suite once on the machine's Node, once on Node 24 LTS; the browser tests through their npm script
  expect(commands.filter((line) => /(^|&& |PATH=\S+ )npm test -- /.test(line.trim()))).toHaveLength(2);
  expect(commands.some((line) => /^\s*npm run test:e2e\b/.test(line))).toBe(true);
});

it('the Node versions CI runs are the ones package.json promises', () => {
  const node24 = /node24_version=(\d+)\.\d+\.\d+/.exec(CI_SCRIPT)?.[1];
  expect(node24).toBe('24');
  expect(PACKAGE.engines.node.split('||').map((range) => range.trim().replace(/^\^/, '').split('.')[0])).toEqual(['20', '22', '24']);
});
