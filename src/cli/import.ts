import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { IMPORT_FORMATS, type ImportFormat } from '../documents/index.js';
import { badInput } from '../domain/errors.js';
import { createServiceContext } from '../services/context.js';
import { importSummaryTable, type ImportSummary } from '../services/import.js';
import { configWithDb, DB_OPTION, withDatabase } from './shared.js';

const MAX_FILE_BYTES = 200 * 1024 * 1024;

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('导入汇总表（.txt / .docx / .xlsx / .csv / .json）：计划、章节、任务、事项、单位，以及填报单位的报告')
    .argument('<file>', '要导入的文件')
    .option('--dry-run', '只检查并报告将导入的内容，不写入')
    .option('--json', '以 JSON 输出结果')
    .option('--format <format>', `文件格式（${IMPORT_FORMATS.join('|')}），默认按扩展名和内容判断`)
    .option('--year <year>', '年份（文件标题中没有写明时）')
    .option('--org <name>', '填报单位（文件中没有写明时）')
    .option(...DB_OPTION)
    .action(async (file: string, options: { dryRun?: boolean; json?: boolean; format?: string; year?: string; org?: string; db?: string }) => {
      if (options.format !== undefined && !IMPORT_FORMATS.includes(options.format as ImportFormat)) {
        throw badInput('bad_format', `不支持的格式“${options.format}”，可选：${IMPORT_FORMATS.join('、')}。`);
      }
      const year = options.year === undefined ? undefined : Number(options.year);
      if (year !== undefined && (!Number.isInteger(year) || year < 1990 || year > 2100)) throw badInput('bad_year', `年份“${options.year}”无效。`);
      const size = await stat(file).then((info) => info.size, () => {
        throw badInput('file_not_found', `找不到文件“${file}”。`);
      });
      if (size > MAX_FILE_BYTES) throw badInput('file_too_large', `文件“${file}”有 ${size} 字节，超过上限 ${MAX_FILE_BYTES} 字节。`);
      const bytes = await readFile(file);
      const summary = await withDatabase(configWithDb(options.db), ({ db }) =>
        importSummaryTable(createServiceContext(db), { id: 'cli', source: 'cli' }, {
          bytes,
          fileName: basename(file),
          format: options.format as ImportFormat | undefined,
          dryRun: options.dryRun === true,
          year,
          organisation: options.org,
        }),
      );
      process.stdout.write(options.json ? `${JSON.stringify(cliJson(summary))}\n` : describe(summary));
    });
}

/** The JSON shape promised to scripts: the documented keys first, extra detail after them. */
function cliJson(summary: ImportSummary) {
  return {
    title: summary.title,
    year: summary.year,
    organisation: summary.organisation,
    chapters: summary.chapters,
    tasks: summary.tasks,
    items: summary.items,
    organisations: summary.organisations,
    warnings: summary.warnings,
    period: summary.period,
    format: summary.format,
    resolutions: summary.resolutions,
    dryRun: summary.dryRun,
    changes: summary.changes,
    planId: summary.planId,
  };
}

function describe(summary: ImportSummary): string {
  const lines = [
    `${summary.dryRun ? '试导入（未写入）' : '导入完成'}：${summary.title}`,
    `  年份 ${summary.year} · 周期 ${summary.period.label} · 填报单位 ${summary.organisation || '（无）'}`,
    `  ${summary.chapters} 个章节 · ${summary.tasks} 项任务 · ${summary.items} 个事项 · ${summary.organisations.length} 个单位`,
  ];
  if (!summary.dryRun) {
    const c = summary.changes;
    const total = Object.values(c).reduce((sum, n) => sum + n, 0);
    lines.push(
      total === 0
        ? '  数据库中已有相同内容，未做任何更改。'
        : `  新增：计划 ${c.plans}、单位 ${c.organisations}、别名 ${c.aliases}、章节 ${c.chapters}、任务 ${c.tasks}、事项 ${c.items}、报告 ${c.reports}；更新报告 ${c.revisedReports}`,
    );
  }
  for (const resolution of summary.resolutions) lines.push(`  单位名称：${resolution.written} → ${resolution.canonical}`);
  for (const warning of summary.warnings) lines.push(`  警告（第 ${warning.line} 行）：${warning.message}`);
  return `${lines.join('\n')}\n`;
}
