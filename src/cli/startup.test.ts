// What production runs is what the sources say it runs: `luoshi` and `npm start` start the compiled counterpart of
// src/cli/main.ts, every file located at run time is there in build/, the worker bootstraps load their compiled job
// without tsx, and starting a command or the server loads none of the heavy libraries it does not use. All of it is
// read from the sources and the build configuration: the test builds nothing.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const SRC = join(ROOT, 'src');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const buildConfig = ts.getParsedCommandLineOfConfigFile(
  join(ROOT, 'tsconfig.build.json'),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
)!;
const OUT_DIR = buildConfig.options.outDir!;
const ROOT_DIR = buildConfig.options.rootDir!;
/** the sources tsc compiles into build/ */
const COMPILED = new Set(buildConfig.fileNames.map((file) => resolve(file)));

/** Where the build puts a source file: .ts compiled to .js, worker bootstraps (.mjs) copied as they are. */
function builtPath(source: string): string {
  return join(OUT_DIR, relative(ROOT_DIR, source)).replace(/\.ts$/, '.js');
}

function sourceFiles(dir: string, extension: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(SRC, 'web') ? [] : sourceFiles(path, extension);
    return entry.name.endsWith(extension) && !entry.name.endsWith(`.test${extension}`) ? [path] : [];
  });
}

interface Imports {
  /** modules loaded when this one loads: value imports and re-exports (type-only ones are erased) */
  static: string[];
  /** modules loaded by `import('…')` when the code runs */
  dynamic: string[];
}

function importsOf(file: string): Imports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Imports = { static: [], dynamic: [] };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      found.static.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.static.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (specifier && ts.isStringLiteral(specifier)) found.dynamic.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A relative specifier as the source file it names (`./x.js` is x.ts under NodeNext); a package as its name. */
function target(from: string, specifier: string): { file: string } | { packageName: string } | undefined {
  if (specifier.startsWith('node:')) return undefined;
  if (!specifier.startsWith('.')) {
    const parts = specifier.split('/');
    return { packageName: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]! };
  }
  const path = resolve(dirname(from), specifier);
  const typescript = path.replace(/\.js$/, '.ts');
  return { file: existsSync(typescript) ? typescript : path };
}

/** Every module reached from an entry, and every package, following static imports and, if asked, dynamic ones. */
function reach(entry: string, { dynamic }: { dynamic: boolean }): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set([entry]);
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (!file.endsWith('.ts')) continue;
    const imports = importsOf(file);
    for (const specifier of [...imports.static, ...(dynamic ? imports.dynamic : [])]) {
      const found = target(file, specifier);
      if (!found) continue;
      if ('packageName' in found) {
        if (!packages.has(found.packageName)) packages.set(found.packageName, relative(ROOT, file));
      } else if (!files.has(found.file)) {
        files.add(found.file);
        queue.push(found.file);
      }
    }
  }
  return { files, packages };
}

describe('the compiled entry', () => {
  it('is what `luoshi` and `npm start` run, and the build compiles the server and the CLI without the web app or tests', () => {
    const entry = builtPath(join(SRC, 'cli/main.ts'));
    expect(relative(ROOT, entry)).toBe(join('build', 'cli', 'main.js'));
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; scripts: Record<string, string> };
    const bin = join(ROOT, pkg.bin.luoshi!);
    const located = /new URL\('([^']+)', import\.meta\.url\)/.exec(readFileSync(bin, 'utf8'))?.[1];
    expect(located && resolve(dirname(bin), located)).toBe(entry);
    // with the node flags every launch path shares (test/launch-flags.test.ts)
    expect(pkg.scripts.start).toMatch(new RegExp(`node (--[\\w=-]+ )*${relative(ROOT, entry)} serve --demo$`));
    // development stays on the sources
    expect(pkg.scripts.dev).toContain('tsx watch src/cli/main.ts');
    expect(pkg.scripts.cli).toBe('tsx src/cli/main.ts');

    expect(COMPILED).toContain(join(SRC, 'cli/main.ts'));
    expect(COMPILED).toContain(join(SRC, 'server/app.ts'));
    const unwanted = [...COMPILED].filter(
      (file) => file.startsWith(join(SRC, 'web') + sep) || file.endsWith('.test.ts') || !file.startsWith(SRC + sep),
    );
    expect(unwanted).toEqual([]);
  });

  it('compiles every module the command line and the server can load, statically or on first use', () => {
    const { files } = reach(join(SRC, 'cli/main.ts'), { dynamic: true });
    expect(files).toContain(join(SRC, 'server/app.ts'));
    const missing = [...files].filter((file) => (file.endsWith('.ts') ? !COMPILED.has(file) : !file.endsWith('.mjs') || !existsSync(file)));
    expect(missing.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('finds, from build/, every file it locates by import.meta.url: the web app, the demo, the worker bootstraps', () => {
    const located: string[] = [];
    for (const file of sourceFiles(SRC, '.ts')) {
      for (const match of readFileSync(file, 'utf8').matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)) {
        const wanted = resolve(dirname(file), match[1]!);
        const fromBuild = resolve(dirname(builtPath(file)), match[1]!);
        // outside src/ the compiled module must find the very same file; inside it, the file's compiled counterpart
        const expected = wanted.startsWith(SRC + sep) ? builtPath(wanted) : wanted;
        expect(fromBuild, `${relative(ROOT, file)}: ${match[1]}`).toBe(expected);
        if (wanted.startsWith(SRC + sep)) expect(existsSync(wanted), `${relative(ROOT, file)}: ${match[1]}`).toBe(true);
        located.push(relative(ROOT, wanted));
      }
    }
    expect(located).toEqual(expect.arrayContaining(['dist/web', 'src/documents/parse-worker.mjs']));
  });

  it('has worker bootstraps that load their compiled job module when it is there, and tsx only when it is not', () => {
    const bootstraps = sourceFiles(SRC, '.mjs');
    expect(bootstraps.map((file) => relative(SRC, file))).toContain(join('documents', 'parse-worker.mjs'));
    for (const file of bootstraps) {
      const text = readFileSync(file, 'utf8');
      const name = relative(ROOT, file);
      const compiled = /new URL\('\.\/([\w-]+)\.js', import\.meta\.url\)/.exec(text)?.[1];
      expect(compiled, `${name} looks for its compiled job module beside it`).toBeDefined();
      expect(text, `${name} falls back to the TypeScript of the same module`).toContain(`: './${compiled}.ts')`);
      expect(COMPILED, `${name}: ${compiled}.ts is compiled`).toContain(join(dirname(file), `${compiled}.ts`));
      // tsx is a development tool: a static import would load it in production too
      expect(text, name).not.toMatch(/^import .*['"]tsx/m);
      expect(text, name).toContain("(await import('tsx/esm/api')).register()");
    }
  });
});

describe('starting up', () => {
  it('a command loads its services, the database drivers, the web server and the document libraries only when it runs', () => {
    const { files, packages } = reach(join(SRC, 'cli/main.ts'), { dynamic: false });
    const heavy = [...packages].filter(([name]) =>
      /^(fastify|@fastify\/|typebox|docx|exceljs|pdfkit|jszip|@node-rs\/argon2|piscina)/.test(name),
    );
    expect(heavy.map(([name, from]) => `${name} (from ${from})`)).toEqual([]);
    const eager = [...files].map((file) => relative(SRC, file)).filter((file) => /^(server\/|runtime\.ts|documents\/index\.ts)/.test(file));
    expect(eager).toEqual([]);
  });

  it('the server loads the document readers and writers on the first import or export, not at start', () => {
    const { files, packages } = reach(join(SRC, 'server/app.ts'), { dynamic: false });
    const documents = [...packages].filter(([name]) => /^(docx|exceljs|pdfkit)$/.test(name));
    expect(documents.map(([name, from]) => `${name} (from ${from})`)).toEqual([]);
    expect([...files].map((file) => relative(SRC, file))).not.toContain(join('documents', 'index.ts'));
  });
});

describe('the command table', () => {
  const paths = (command: ReturnType<typeof buildProgram>, prefix = ''): string[] =>
    command.commands.flatMap((sub) => {
      const path = `${prefix}${sub.name()}`;
      return sub.commands.length > 0 ? paths(sub, `${path} `) : [path];
    });

  it('is what the entry runs, and the README documents every command in it', async () => {
    const table = paths(buildProgram());
    expect(table).toEqual(expect.arrayContaining(['import', 'export', 'serve', 'migrate', 'user add', 'token create']));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(SRC, 'cli/main.ts'), '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const listed = [...stdout.split('Commands:')[1]!.matchAll(/^ {2}(\w[\w-]*)/gm)]
      .map((match) => match[1])
      .filter((name) => name !== 'help');
    expect(listed).toEqual([...new Set(table.map((path) => path.split(' ')[0]))]);

    const readme = read('README.md');
    for (const path of table) expect(readme, `README: ${path}`).toContain(`\`${path}`);
  }, 60_000);
});
