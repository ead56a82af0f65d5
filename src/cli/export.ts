import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../documents/formats.js';
import { badInput } from '../domain/errors.js';
import { parsePeriodCode } from '../domain/periods.js';
import { REPORT_STATUSES } from '../domain/reporting.js';
import { NOT_REPORTED, type CitySummaryRequest } from '../services/city-summary.js';
import { configWithDb, DB_OPTION, withRuntime } from './shared.js';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('导出汇总表：指定 --org 时为单位汇总表，否则为全市汇总表')
    .option('--org <name>', '单位名称（规范名称或别名）；不指定则导出全市汇总表')
    .option('--year <year>', '年份（默认最新的计划）')
    .option('--period <code>', '报送周期，如 2022-Y（全年）、2022-H1、2022-Q3、2022-M05（默认全年）')
    .option('--format <format>', `格式（${EXPORT_FORMATS.join('|')}）`, 'docx')
    .option('--chapter <numeral>', '全市汇总表：只导出某一章，如 九')
    .option('--status <status>', `全市汇总表：只导出某一完成状态（${[...REPORT_STATUSES, NOT_REPORTED].join('|')}）`)
    .option('-o, --output <file>', '输出文件（默认写到标准输出）')
    .option(...DB_OPTION)
    .action(
      async (options: {
        org?: string;
        year?: string;
        period?: string;
        chapter?: string;
        status?: string;
        format: string;
        output?: string;
        db?: string;
      }) => {
        if (!EXPORT_FORMATS.includes(options.format as ExportFormat)) {
          throw badInput('bad_format', `不支持的导出格式“${options.format}”，可选：${EXPORT_FORMATS.join('、')}。`);
        }
        const period = options.period === undefined ? undefined : parsePeriodCode(options.period);
        if (options.period !== undefined && !period)
          throw badInput('bad_period', `报送周期“${options.period}”无效，应形如 2022-Y、2022-H1、2022-Q3、2022-M05。`);
        const year = options.year !== undefined ? Number(options.year) : period?.year;
        if (options.year !== undefined && !Number.isInteger(year)) throw badInput('bad_year', `年份“${options.year}”无效。`);
        if (period && year !== undefined && period.year !== year)
          throw badInput('period_year_mismatch', `周期 ${period.code} 不属于 ${year} 年。`);
        const statuses: string[] = [...REPORT_STATUSES, NOT_REPORTED];
        if (options.status !== undefined && !statuses.includes(options.status))
          throw badInput('bad_status', `完成状态“${options.status}”无效，可选：${statuses.join('、')}。`);
        if (options.org !== undefined && (options.chapter !== undefined || options.status !== undefined)) {
          throw badInput('filters_need_city_table', '--chapter 和 --status 只用于全市汇总表，不能与 --org 同用。');
        }

        const file = await withRuntime(configWithDb(options.db), async ({ ctx }) => {
          const [{ exportCitySummary }, { findOrganisationByName, findPlanByYear, listPlanSummaries }, { exportOrganisationSummary }] =
            await Promise.all([
              import('../services/city-summary.js'),
              import('../services/catalogue.js'),
              import('../services/summary.js'),
            ]);
          const plan = year === undefined ? undefined : await findPlanByYear(ctx, year);
          if (options.org === undefined) {
            const planId = plan?.id ?? (await listPlanSummaries(ctx))[0]?.id;
            if (planId === undefined) throw badInput('no_plan', '数据库中还没有工作计划，请先导入。');
            return exportCitySummary(ctx, {
              planId,
              periodCode: period?.code,
              chapter: options.chapter,
              status: options.status as CitySummaryRequest['status'],
              format: options.format as ExportFormat,
            });
          }
          const organisation = await findOrganisationByName(ctx, options.org);
          return exportOrganisationSummary(ctx, {
            organisationId: organisation.id,
            planId: plan?.id,
            periodCode: period?.code,
            format: options.format as ExportFormat,
          });
        });
        if (options.output) {
          await writeFile(options.output, file.bytes).catch((error: NodeJS.ErrnoException) => {
            throw badInput(
              'output_not_writable',
              `无法写入“${options.output}”：${error.code === 'ENOENT' ? '目录不存在' : error.code === 'EACCES' ? '没有写权限' : error.message}。`,
            );
          });
          process.stderr.write(`已导出：${options.output}（${file.bytes.length} 字节）\n`);
        } else {
          process.stdout.write(file.bytes);
        }
      },
    );
}
