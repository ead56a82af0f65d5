import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../documents/index.js';
import { badInput } from '../domain/errors.js';
import { parsePeriodCode } from '../domain/periods.js';
import { findOrganisationByName, findPlanByYear } from '../services/catalogue.js';
import { createServiceContext } from '../services/context.js';
import { exportOrganisationSummary } from '../services/summary.js';
import { configWithDb, DB_OPTION, withDatabase } from './shared.js';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('导出单位汇总表')
    .requiredOption('--org <name>', '单位名称（规范名称或别名）')
    .option('--year <year>', '年份（默认最新的计划）')
    .option('--period <code>', '报送周期，如 2022-Y（全年）、2022-H1、2022-Q3、2022-M05（默认全年）')
    .option('--format <format>', `格式（${EXPORT_FORMATS.join('|')}）`, 'docx')
    .option('-o, --output <file>', '输出文件（默认写到标准输出）')
    .option(...DB_OPTION)
    .action(async (options: { org: string; year?: string; period?: string; format: string; output?: string; db?: string }) => {
      if (!EXPORT_FORMATS.includes(options.format as ExportFormat)) {
        throw badInput('bad_format', `不支持的导出格式“${options.format}”，可选：${EXPORT_FORMATS.join('、')}。`);
      }
      const period = options.period === undefined ? undefined : parsePeriodCode(options.period);
      if (options.period !== undefined && !period) throw badInput('bad_period', `报送周期“${options.period}”无效，应形如 2022-Y、2022-H1、2022-Q3、2022-M05。`);
      const year = options.year !== undefined ? Number(options.year) : period?.year;
      if (options.year !== undefined && !Number.isInteger(year)) throw badInput('bad_year', `年份“${options.year}”无效。`);
      if (period && year !== undefined && period.year !== year) throw badInput('period_year_mismatch', `周期 ${period.code} 不属于 ${year} 年。`);

      const file = await withDatabase(configWithDb(options.db), async ({ db }) => {
        const ctx = createServiceContext(db);
        const organisation = await findOrganisationByName(ctx, options.org);
        const plan = year === undefined ? undefined : await findPlanByYear(ctx, year);
        return exportOrganisationSummary(ctx, { organisationId: organisation.id, planId: plan?.id, periodCode: period?.code, format: options.format as ExportFormat });
      });
      if (options.output) {
        await writeFile(options.output, file.bytes).catch((error: NodeJS.ErrnoException) => {
          throw badInput('output_not_writable', `无法写入“${options.output}”：${error.code === 'ENOENT' ? '目录不存在' : error.code === 'EACCES' ? '没有写权限' : error.message}。`);
        });
        process.stderr.write(`已导出：${options.output}（${file.bytes.length} 字节）\n`);
      } else {
        process.stdout.write(file.bytes);
      }
    });
}
