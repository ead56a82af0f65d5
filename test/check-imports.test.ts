import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without declarations, run by npm run check:imports
import { findViolations } from '../scripts/check-imports.mjs';

const run = promisify(execFile);
const projectRoot = resolve(import.meta.dirname, '..');
const script = join(projectRoot, 'scripts/check-imports.mjs');

interface Violation {
  file: string;
  line: number;
  specifier: string;
  reason: string;
}
const check = findViolations as (root: string) => Violation[];

describe('the web import check', () => {
  it('passes on the real tree: src/web imports no server code', async () => {
    expect(check(projectRoot)).toEqual([]);
    const { stdout } = await run(process.execPath, [script]);
    expect(stdout).toContain('网页引用检查通过');
  });

  const planted = mkdtempSync(join(tmpdir(), 'luoshi-imports-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(planted, path)), { recursive: true });
    writeFileSync(join(planted, path), text);
  };
  write('src/contract/reports.ts', "import { Type } from 'typebox';\nexport const ReportView = Type.Object({});\n");
  write('src/contract/limits.ts', 'export const TEXT_LIMITS = {};\n');
  write('src/contract/roles.ts', "import { ROLES } from '../domain/roles.js';\nimport { z } from 'zod';\nexport const R = ROLES;\n");
  write('src/contract/roles.test.ts', "import { ROLES } from '../domain/roles.js';\n");
  write(
    'src/web/pages/Bad.tsx',
    [
      "import { useState } from 'react';", // 1: a package, allowed
      "import { buildApp } from '../../server/app.js';", // 2: server code
      "import type { Database } from '../../db/schema.js';", // 3: even a type from the database layer
      "import { AppError } from '../../domain/errors.js';", // 4: a value from the domain
      "import type { Role } from '../../domain/roles.js';", // 5: a domain type, allowed
      "import type { ReportView } from '../../contract/reports.js';", // 6: a contract type, allowed
      "import { ReportView as Schema } from '../../contract/reports.js';", // 7: a TypeBox schema's value
      "import { TEXT_LIMITS } from '../../contract/limits.js';", // 8: a plain constant, allowed
      "// import { getReport } from '../../services/reporting.js';", // 9: a comment, ignored
      'import {', // 10: a statement over several lines, reported at its first
      '  getPlanTree,',
      "} from '../../services/catalogue.js';",
      "const main = () => import('../../cli/main.js');", // 13: a dynamic import
      "export * from '../../runtime.js';", // 14: a re-export
      'export { useState, buildApp, main };',
    ].join('\n'),
  );

  it('names each planted violation with its file, line and import, and nothing that is allowed', async () => {
    const found = check(planted).map(({ file, line, specifier }) => `${file}:${line} ${specifier}`);
    expect(found).toEqual([
      'src/contract/roles.ts:1 ../domain/roles.js',
      'src/contract/roles.ts:2 zod',
      'src/web/pages/Bad.tsx:2 ../../server/app.js',
      'src/web/pages/Bad.tsx:3 ../../db/schema.js',
      'src/web/pages/Bad.tsx:4 ../../domain/errors.js',
      'src/web/pages/Bad.tsx:7 ../../contract/reports.js',
      'src/web/pages/Bad.tsx:10 ../../services/catalogue.js',
      'src/web/pages/Bad.tsx:13 ../../cli/main.js',
      'src/web/pages/Bad.tsx:14 ../../runtime.js',
    ]);

    const failure = await run(process.execPath, [script, planted]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("src/web/pages/Bad.tsx:2: import '../../server/app.js' — 网页代码不能引用 src/server");
    expect(failure?.stderr).toContain('9 处违规');
  });
});
