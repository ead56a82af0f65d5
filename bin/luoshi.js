#!/usr/bin/env -S node --max-semi-space-size=8
// The installed `luoshi` command: runs the compiled command line in build/ (`npm run build`, which `npm install` runs
// in a checkout), so nothing is transpiled at run time. The young generation is kept small (8 MB semi-spaces instead of
// 16): a server's requests make short-lived garbage fast, and V8 otherwise keeps ~50 MB more resident for no speed.
import { existsSync } from 'node:fs';

const entry = new URL('../build/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('luoshi 尚未构建：找不到 build/cli/main.js。请在 luoshi 目录中运行 npm run build（或 npm install）后重试。\n');
  process.exit(2);
}
await import(entry.href);
