import type { Command } from 'commander';
import { badInput } from '../domain/errors.js';
import type { Actor } from '../services/context.js';
import { configWithDb, DB_OPTION, withRuntime } from './shared.js';

const CLI_ACTOR: Actor = { id: 'cli', source: 'cli' };

// the services load inside each action: registering the commands (and `--help`) loads none of them
const accounts = () => import('../services/accounts.js');

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('管理系统对接用的访问令牌（Authorization: Bearer …）');

  token
    .command('create')
    .description('新建令牌：限定一个单位、只读或读写；令牌只显示这一次，只保存其摘要')
    .requiredOption('--name <name>', '用途说明，如“钉钉待办同步”')
    .requiredOption('--org <name>', '令牌所属单位')
    .option('--scope <scope>', 'read（只读）或 write（读写）', 'read')
    .option(...DB_OPTION)
    .action(async (options: { name: string; org: string; scope: string; db?: string }) => {
      const result = await withRuntime(configWithDb(options.db), async ({ ctx }) => {
        const [{ createApiToken }, { findOrganisationByName }] = await Promise.all([accounts(), import('../services/catalogue.js')]);
        const organisation = await findOrganisationByName(ctx, options.org);
        return createApiToken(ctx, CLI_ACTOR, { name: options.name, organisationId: organisation.id, scope: options.scope });
      });
      process.stdout.write(
        `已创建令牌 #${result.view.id}（${result.view.scope === 'read' ? '只读' : '读写'}）：\n${result.token}\n（只显示这一次，请妥善保存）\n`,
      );
    });

  token
    .command('revoke')
    .description('撤销令牌')
    .argument('<id>', '令牌编号')
    .option(...DB_OPTION)
    .action(async (id: string, options: { db?: string }) => {
      const tokenId = Number(id);
      if (!Number.isInteger(tokenId) || tokenId < 1) throw badInput('bad_token_id', `令牌编号“${id}”无效。`);
      const view = await withRuntime(configWithDb(options.db), async ({ ctx }) =>
        (await accounts()).revokeApiToken(ctx, CLI_ACTOR, tokenId),
      );
      process.stdout.write(`已撤销令牌 #${view.id}（${view.name}）\n`);
    });

  token
    .command('list')
    .description('列出令牌（不含令牌本身）')
    .option(...DB_OPTION)
    .action(async (options: { db?: string }) => {
      const tokens = await withRuntime(configWithDb(options.db), async ({ ctx }) => (await accounts()).listApiTokenViews(ctx));
      for (const view of tokens) {
        process.stdout.write(
          `#${view.id}\t${view.prefix}…\t${view.name}\t${view.scope}\t最近使用 ${view.lastUsedAt ?? '从未'}${view.revokedAt ? `\t已撤销 ${view.revokedAt}` : ''}\n`,
        );
      }
    });
}
