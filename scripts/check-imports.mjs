#!/usr/bin/env node
// The web talks to the server only over HTTP: it may import the shared contract (src/contract) and types from the
// domain, nothing of the server's own code. This check reads every file under src/web and refuses
//   - any import (value or type) from src/server, src/services, src/db, src/documents, src/delivery, src/jobs, src/cli or src/runtime;
//   - a value import from src/domain (only `import type` / `export type`, which leave nothing in the bundle);
//   - a value import from a contract file that itself imports typebox, which would put TypeBox in the bundle.
// and, so that the web can rely on it, refuses any import in src/contract other than typebox and its own files.
// Usage: node scripts/check-imports.mjs [project root]   (exit 1 and one line per violation when any is found)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = /\.(ts|tsx|mts|js|jsx|mjs)$/;
const SERVER_SIDE = ['src/server', 'src/services', 'src/db', 'src/documents', 'src/delivery', 'src/jobs', 'src/cli', 'src/runtime'];

/** Every source file below a folder, in a stable order. */
function sourceFiles(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return SOURCE.test(name) ? [path] : [];
    });
}

/** Comments blanked out (same length, newlines kept) so that line numbers stay right and no commented import counts. */
function withoutComments(text) {
  return text.replace(
    /\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g,
    (match, before = '') => before + match.slice(before.length).replace(/[^\n]/g, ' '),
  );
}

/** The import and re-export statements of a file: specifier, whether type-only, and the line it starts on. */
export function importsOf(text) {
  const code = withoutComments(text);
  const found = [];
  const lineAt = (index) => code.slice(0, index).split('\n').length;
  const statement = /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?((?:[\w$*{}\s,]|\btype\b)*?)\s*from\s*(['"])([^'"\n]+)\4/g;
  for (const match of code.matchAll(statement)) {
    const clause = match[3] ?? '';
    // `export const x = …` has no `from`; a clause must be a binding list, a namespace or a default name
    if (match[1] === 'export' && !/^(\*|\{)/.test(clause.trim())) continue;
    found.push({ specifier: match[5], typeOnly: Boolean(match[2]), line: lineAt(match.index + match[0].indexOf(match[1])) });
  }
  for (const match of code.matchAll(/(?:^|[;\n])\s*import\s*(['"])([^'"\n]+)\1/g)) {
    found.push({ specifier: match[2], typeOnly: false, line: lineAt(match.index + match[0].indexOf('import')) });
  }
  for (const match of code.matchAll(/\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g)) {
    found.push({ specifier: match[2], typeOnly: false, line: lineAt(match.index) });
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The project-relative path an import points at (without extension), or undefined for a package. */
function target(root, file, specifier) {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return undefined;
  const absolute = specifier.startsWith('/') ? join(root, 'src/web', specifier) : resolve(dirname(file), specifier);
  return relative(root, absolute)
    .split(sep)
    .join('/')
    .replace(/\.(ts|tsx|js|jsx|mjs|mts)$/, '');
}

const inside = (path, folder) => path === folder || path.startsWith(`${folder}/`);

/** Whether a contract file pulls in TypeBox (then only its types may reach the web). */
function contractLoadsTypebox(root, path) {
  for (const extension of ['.ts', '.tsx', '.js', '/index.ts']) {
    const file = join(root, path + extension);
    if (existsSync(file))
      return importsOf(readFileSync(file, 'utf8')).some((entry) => !entry.typeOnly && /^typebox(\/|$)/.test(entry.specifier));
  }
  return false;
}

/** Every forbidden import under <root>/src/web and <root>/src/contract, as { file, line, specifier, reason }. */
export function findViolations(root) {
  const violations = [];
  for (const file of sourceFiles(join(root, 'src/contract')).filter((path) => !/\.test\.tsx?$/.test(path))) {
    const name = relative(root, file).split(sep).join('/');
    for (const entry of importsOf(readFileSync(file, 'utf8'))) {
      const path = target(root, file, entry.specifier);
      const allowed = path === undefined ? /^typebox(\/|$)/.test(entry.specifier) : inside(path, 'src/contract');
      if (!allowed)
        violations.push({
          file: name,
          line: entry.line,
          specifier: entry.specifier,
          reason: '共享契约只能引用 typebox 和 src/contract 自己的文件',
        });
    }
  }
  for (const file of sourceFiles(join(root, 'src/web'))) {
    const name = relative(root, file).split(sep).join('/');
    for (const entry of importsOf(readFileSync(file, 'utf8'))) {
      const path = target(root, file, entry.specifier);
      if (path === undefined) continue;
      const serverSide = SERVER_SIDE.find((folder) => inside(path, folder));
      let reason;
      if (serverSide) reason = `网页代码不能引用 ${serverSide}（服务端代码）：接口类型请从 src/contract 引入`;
      else if (inside(path, 'src/domain') && !entry.typeOnly) reason = '网页代码只能从 src/domain 引入类型：请写 import type';
      else if (inside(path, 'src/contract') && !entry.typeOnly && contractLoadsTypebox(root, path)) {
        reason = `${path} 含 TypeBox 模式，网页只能引入其类型（import type），否则 TypeBox 会被打进网页包`;
      }
      if (reason) violations.push({ file: name, line: entry.line, specifier: entry.specifier, reason });
    }
  }
  return violations;
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = findViolations(root);
  if (violations.length === 0) {
    console.log(
      `网页引用检查通过：src/web 没有引用服务端代码，src/contract 只引用 typebox 和自身（${sourceFiles(join(root, 'src/web')).length + sourceFiles(join(root, 'src/contract')).length} 个文件）。`,
    );
  } else {
    for (const violation of violations)
      console.error(`${violation.file}:${violation.line}: import '${violation.specifier}' — ${violation.reason}`);
    console.error(`网页引用检查未通过：${violations.length} 处违规。`);
    process.exitCode = 1;
  }
}
