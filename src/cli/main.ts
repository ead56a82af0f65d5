#!/usr/bin/env node
// The command line's entry: compiled to build/cli/main.js, which `luoshi` (bin/luoshi.js) and `npm start` run.
import { buildProgram } from './program.js';
import { runCommand } from './shared.js';

await runCommand(() => buildProgram().parseAsync(process.argv));
