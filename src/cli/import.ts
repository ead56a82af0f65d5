import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { IMPORT_FORMATS, type ImportFormat } from '../documents/formats.js';
import { AppError, badInput } from '../domain/errors.js';
import {
  UNLINKED_CHOICES,
  type ImportProgress,
  type ImportSummary,
  type OrganisationMapping,
  type UnlinkedChoice,
} from '../services/import.js';
import { configWithDb, DB_OPTION, withRuntime } from './shared.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** A progress line on a terminal for files large enough to wait for; nothing when output goes to a file. */
function progressPrinter(): ((progress: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const labels = { parse: '解析文件', resolve: '识别单位', write: '写入数据库' } as const;
  let last = 0;
  return ({ phase, done, total }) => {
    const now = Date.now();
    if (done < total && now - last < 200) return;
    last = now;
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const bar = '█'.repeat(Math.floor(percent / 5)).padEnd(20, '░');
    process.stderr.write(`\r${labels[phase]} ${bar} ${percent}%${phase === 'write' ? ` (${done}/${total})` : ''}   `);
    if (phase === 'write' && done === total) process.stderr.write('\n');
  };
}

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
    .option('--period <code>', '报送周期代码（代替按表头或标题识别的周期），如 2031-Q1、2031-H1、2031-M04、2031-Y')
    .option('--map <新名称=已有单位>', '把文件中的新单位名称对应到已有单位，并记为别名（可重复）', collect, [] as string[])
    .option(
      '--unlinked <cooperate|omit>',
      '填报单位不是某事项的牵头或配合单位时：cooperate 把它加为配合单位并导入文字，omit 不导入这段文字',
    )
    .option(...DB_OPTION)
    .action(
      async (
        file: string,
        options: {
          dryRun?: boolean;
          json?: boolean;
          format?: string;
          year?: string;
          org?: string;
          map: string[];
          unlinked?: string;
          period?: string;
          db?: string;
        },
      ) => {
        if (options.format !== undefined && !IMPORT_FORMATS.includes(options.format as ImportFormat)) {
          throw badInput('bad_format', `不支持的格式“${options.format}”，可选：${IMPORT_FORMATS.join('、')}。`);
        }
        if (options.unlinked !== undefined && !(UNLINKED_CHOICES as readonly string[]).includes(options.unlinked)) {
          throw badInput(
            'bad_unlinked',
            `--unlinked “${options.unlinked}”无效，可选：cooperate（加为配合单位）或 omit（不导入这段文字）。`,
          );
        }
        const year = options.year === undefined ? undefined : Number(options.year);
        if (year !== undefined && (!Number.isInteger(year) || year < 1990 || year > 2100))
          throw badInput('bad_year', `年份“${options.year}”无效。`);
        const size = await stat(file).then(
          (info) => info.size,
          () => {
            throw badInput('file_not_found', `找不到文件“${file}”。`);
          },
        );
        if (size > MAX_FILE_BYTES) throw badInput('file_too_large', `文件“${file}”有 ${size} 字节，超过上限 ${MAX_FILE_BYTES} 字节。`);
        const bytes = await readFile(file);
        const config = configWithDb(options.db);
        // the runtime's services parse in a capped worker thread, as the server does
        const summary = await withRuntime(config, async ({ ctx }) => {
          const [{ importSummaryTable }, { findOrganisationByName }] = await Promise.all([
            import('../services/import.js'),
            import('../services/catalogue.js'),
          ]);
          const mappings: Record<string, OrganisationMapping> = {};
          for (const pair of options.map) {
            const [written, existing] = pair.split('=').map((part) => part.trim());
            if (!written || !existing) throw badInput('bad_mapping', `--map “${pair}”格式有误，应为 新名称=已有单位。`);
            mappings[written] = { organisationId: (await findOrganisationByName(ctx, existing)).id };
          }
          return importSummaryTable(
            ctx,
            { id: 'cli', source: 'cli' },
            {
              bytes,
              fileName: basename(file),
              format: options.format as ImportFormat | undefined,
              dryRun: options.dryRun === true,
              year,
              organisation: options.org,
              mappings,
              ...(options.unlinked ? { unlinked: options.unlinked as UnlinkedChoice } : {}),
              ...(options.period ? { period: options.period } : {}),
              onProgress: progressPrinter(),
            },
          ).catch((error: unknown) => {
            throw withFlag(error);
          });
        });
        process.stdout.write(options.json ? `${JSON.stringify(cliJson(summary))}\n` : describe(summary));
      },
    );
}

/**
 * What the file left unsaid is given on the command line: the message says which option gives it, in place of the
 * service's closing sentence (which speaks of the request in general).
 */
const FLAG_HINTS: Record<string, [closing: string, hint: string]> = {
  year_missing: ['请在标题中写明年份，或导入时指定年份。', `请用 --year ${new Date().getFullYear()} 指定年份（或在标题中写明年份）。`],
  organisation_missing: ['请在文件中写明填报单位，或导入时指定填报单位。', '请用 --org 单位名称 指定填报单位（或在文件中写明填报单位）。'],
  unlinked_choice_required: ['请选择：', '请用 --unlinked cooperate 或 --unlinked omit 选择（可先用 --dry-run 查看是哪些行）：'],
};

function withFlag(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const hint = FLAG_HINTS[error.code];
  if (hint === undefined) return error;
  const [closing, replacement] = hint;
  const message = error.message.includes(closing) ? error.message.replace(closing, replacement) : `${error.message}${replacement}`;
  return new AppError(error.status, error.code, message, error.details);
}

/** The JSON shape promised to scripts: the documented keys first, extra detail after them. */
function cliJson(summary: ImportSummary) {
  return {
    title: summary.title,
    year: summary.year,
    organisation: summary.organisation,
    chapters: summary.counts.chapters,
    tasks: summary.counts.tasks,
    items: summary.counts.items,
    organisations: summary.organisations.map((organisation) => organisation.name),
    warnings: summary.warnings,
    period: summary.period,
    format: summary.format,
    layout: summary.layout,
    newOrganisations: summary.organisations
      .filter((organisation) => organisation.status === 'new')
      .map(({ name, written, kind, suggestions }) => ({
        name,
        written,
        kind,
        suggestions: suggestions.map((suggestion) => suggestion.name),
      })),
    conflicts: summary.conflicts,
    resolutions: summary.resolutions,
    dryRun: summary.dryRun,
    changes: summary.changes,
    planId: summary.planId,
    unlinked: summary.unlinked,
    // every item as it will be stored, in document order; filing stays the last key
    rows: summary.understood,
    ...(summary.filing ? { filing: summary.filing } : {}),
  };
}

/** 填报单位 X · 填报时间 Y · 联系人 Z 电话 W: what the file's filing lines say, as the preview shows it. */
function filingLine(filing: NonNullable<ImportSummary['filing']>): string {
  const contact = [filing.contact ? `联系人 ${filing.contact}` : '', filing.phone ? `电话 ${filing.phone}` : ''].filter(Boolean).join(' ');
  return [filing.organisation ? `填报单位 ${filing.organisation}` : '', filing.date ? `填报时间 ${filing.date}` : '', contact]
    .filter(Boolean)
    .join(' · ');
}

function describe(summary: ImportSummary): string {
  const lines = [
    `${summary.dryRun ? '试导入（未写入）' : '导入完成'}：${summary.title}`,
    `  年份 ${summary.year} · 周期 ${summary.period.label} · 填报单位 ${summary.organisation || '（无）'}`,
    ...(summary.filing ? [`  ${filingLine(summary.filing)}`] : []),
    `  ${summary.counts.chapters} 个章节 · ${summary.counts.tasks} 项任务 · ${summary.counts.items} 个事项 · ${summary.organisations.length} 个单位`,
  ];
  const c = summary.changes;
  const total = Object.values(c).reduce((sum, n) => sum + n, 0);
  lines.push(
    total === 0
      ? `  数据库中已有相同内容，${summary.dryRun ? '导入不会' : '未'}做任何更改。`
      : `  ${summary.dryRun ? '将' : '已'}新增：计划 ${c.plans}、单位 ${c.organisations}、别名 ${c.aliases}、章节 ${c.chapters}、任务 ${c.tasks}、事项 ${c.items}、报告 ${c.reports}；更新报告 ${c.revisedReports}`,
  );
  for (const organisation of summary.organisations.filter((entry) => entry.status === 'new')) {
    const like = organisation.suggestions.map((suggestion) => suggestion.name);
    lines.push(
      `  新单位：${organisation.name}${like.length > 0 ? `（相近的已有单位：${like.join('、')}；如是同一单位，请用 --map "${organisation.name}=${like[0]}"）` : ''}`,
    );
  }
  for (const resolution of summary.resolutions) lines.push(`  单位名称：${resolution.written} → ${resolution.canonical}`);
  for (const warning of summary.warnings) lines.push(`  警告（${warning.location ?? `第 ${warning.line} 行`}）：${warning.message}`);
  if (summary.unlinked.length > 0) {
    const tasks = [...new Set(summary.unlinked.map((row) => row.task))].join('、');
    lines.push(
      `  填报单位不是牵头或配合单位的行：${summary.unlinked.length} 行（序号 ${tasks}）；确认导入时请用 --unlinked cooperate 或 --unlinked omit 选择。`,
    );
  }
  for (const conflict of summary.conflicts) lines.push(`  冲突（${conflict.location ?? `第 ${conflict.line} 行`}）：${conflict.message}`);
  return `${lines.join('\n')}\n`;
}
