import { Command } from 'commander';
import { registerExportCommand } from './export.js';
import { registerImportCommand } from './import.js';
import { registerJobsCommands } from './jobs.js';
import { registerMigrateCommand } from './migrate.js';
import { registerServeCommand } from './serve.js';
import { registerTokenCommands } from './token.js';
import { registerUserCommands } from './user.js';
import { registerWorkerCommand } from './worker.js';

/**
 * The commands of `luoshi`, in the order its help lists them. Registering one loads only its options and messages:
 * each action loads the services, the database drivers or the web server it needs when it runs.
 */
export const COMMANDS: readonly ((program: Command) => void)[] = [
  registerImportCommand,
  registerExportCommand,
  registerServeCommand,
  registerWorkerCommand,
  registerJobsCommands,
  registerMigrateCommand,
  registerUserCommands,
  registerTokenCommands,
];

/** The `luoshi` program with every command of the table registered. */
export function buildProgram(): Command {
  const program = new Command()
    .name('luoshi')
    .description('落实 luoshi：政府工作任务分解、进展报送、督查督办与汇总表')
    .showHelpAfterError('（使用 --help 查看用法）')
    .configureOutput({ outputError: (text, write) => write(text) });
  for (const register of COMMANDS) register(program);
  return program;
}
