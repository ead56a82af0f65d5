#!/usr/bin/env node
import { Command } from 'commander';
import { registerExportCommand } from './export.js';
import { registerImportCommand } from './import.js';
import { registerMigrateCommand } from './migrate.js';
import { registerServeCommand } from './serve.js';
import { registerTokenCommands } from './token.js';
import { registerUserCommands } from './user.js';
import { runCommand } from './shared.js';

const program = new Command()
  .name('luoshi')
  .description('落实 luoshi：政府工作任务分解、进展报送、督查督办与汇总表')
  .showHelpAfterError('（使用 --help 查看用法）')
  .configureOutput({ outputError: (text, write) => write(text) });

registerImportCommand(program);
registerExportCommand(program);
registerServeCommand(program);
registerMigrateCommand(program);
registerUserCommands(program);
registerTokenCommands(program);

await runCommand(() => program.parseAsync(process.argv));
