import type { Command } from 'commander';
import { authConfig } from '../config.js';
import { badInput } from '../domain/errors.js';
import type { Actor } from '../services/context.js';
import { configWithDb, DB_OPTION, withRuntime } from './shared.js';

const CLI_ACTOR: Actor = { id: 'cli', source: 'cli' };

// the services (and the password hasher) load inside each action: registering the commands loads none of them
const accounts = () => import('../services/accounts.js');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('管理用户账户');

  user
    .command('add')
    .description('新建用户；不给密码时生成随机初始密码并显示一次，首次登录须修改')
    .requiredOption('--username <name>', '用户名（小写字母、数字、. _ @ -）')
    .requiredOption('--org <name>', '所属单位（规范名称或别名）')
    .requiredOption('--role <role>', '角色：admin、supervisor、unit_leader、unit_reporter、viewer、auditor')
    .option('--name <display>', '显示名称')
    .option('--email <address>', '接收通知邮件的地址')
    .option('--password-stdin', '从标准输入读取密码（不会出现在命令历史中）')
    .option('--no-must-change', '不要求首次登录修改密码（仅用于自动化测试账户）')
    .option(...DB_OPTION)
    .action(
      async (options: {
        username: string;
        org: string;
        role: string;
        name?: string;
        email?: string;
        passwordStdin?: boolean;
        mustChange: boolean;
        db?: string;
      }) => {
        const config = configWithDb(options.db);
        const password = options.passwordStdin ? await readStdin() : undefined;
        if (options.passwordStdin && !password) throw badInput('password_missing', '标准输入中没有密码。');
        const result = await withRuntime(config, async ({ ctx }) => {
          const [{ createUser }, { findOrganisationByName }] = await Promise.all([accounts(), import('../services/catalogue.js')]);
          const organisation = await findOrganisationByName(ctx, options.org);
          return createUser(ctx, CLI_ACTOR, authConfig(config), {
            username: options.username,
            displayName: options.name,
            organisationId: organisation.id,
            role: options.role,
            password,
            mustChangePassword: options.mustChange,
            email: options.email,
          });
        });
        process.stdout.write(`已创建用户 ${result.user.username}（${result.user.roleLabel}，${result.user.organisation.name}）\n`);
        if (!password) process.stdout.write(`初始密码：${result.password}（只显示这一次，首次登录须修改）\n`);
      },
    );

  user
    .command('reset-password')
    .description('重置密码：生成新的随机密码并显示一次，解除锁定，结束该用户的所有会话')
    .argument('<username>', '用户名')
    .option(...DB_OPTION)
    .action(async (username: string, options: { db?: string }) => {
      const config = configWithDb(options.db);
      const result = await withRuntime(config, async ({ ctx }) =>
        (await accounts()).resetPassword(ctx, CLI_ACTOR, authConfig(config), username),
      );
      process.stdout.write(`已重置 ${result.user.username} 的密码。新密码：${result.password}（只显示这一次，登录后须修改）\n`);
    });

  user
    .command('list')
    .description('列出用户')
    .option('--json', '以 JSON 输出')
    .option(...DB_OPTION)
    .action(async (options: { json?: boolean; db?: string }) => {
      const users = await withRuntime(configWithDb(options.db), async ({ ctx }) => (await accounts()).listUserViews(ctx));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(users)}\n`);
        return;
      }
      for (const view of users) {
        const flags = [
          view.active ? '' : '已停用',
          view.mustChangePassword ? '待改密码' : '',
          view.lockedUntil ? `锁定至 ${view.lockedUntil}` : '',
        ].filter(Boolean);
        process.stdout.write(
          `${view.username}\t${view.displayName}\t${view.roleLabel}\t${view.organisation.name}${flags.length ? `\t${flags.join('、')}` : ''}\n`,
        );
      }
    });
}
