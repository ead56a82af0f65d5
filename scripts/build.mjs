#!/usr/bin/env node
// `npm run build`: compiles the server, the command line and their workers (src/ without src/web) into build/, so that
// `npm start` and the installed `luoshi` command run plain JavaScript and nothing transpiles at run time.
// `--prepare` is the `npm install` hook: it builds a newcomer's checkout, and stays out of the way where a build is
// not wanted (CI installs with CI=true and builds where it needs to; a production install without dev dependencies
// has no TypeScript and ships a build made beforehand).
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'src');
const output = join(root, 'build');

if (process.argv.includes('--prepare')) {
  if (process.env.CI) process.exit(0);
  try {
    createRequire(import.meta.url).resolve('typescript');
  } catch {
    process.stderr.write('未安装 TypeScript（未安装开发依赖），跳过构建 build/。\n');
    process.exit(0);
  }
}

// a file removed from src/ must not live on in build/
rmSync(output, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  process.stderr.write('构建失败：TypeScript 编译出错（见上）。\n');
  process.exit(compiled.status ?? 1);
}
// worker bootstraps are plain JavaScript that tsc does not emit: they go beside the compiled modules they load
cpSync(source, output, {
  recursive: true,
  filter: (path) => {
    const inside = relative(source, path);
    if (inside === 'web' || inside.startsWith(`web${sep}`)) return false;
    return statSync(path).isDirectory() || path.endsWith('.mjs');
  },
});
