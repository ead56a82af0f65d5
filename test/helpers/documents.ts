import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { interpretGrid } from '../../src/documents/grid.js';
import { readTextGrid } from '../../src/documents/text.js';
import { AppError } from '../../src/domain/errors.js';
import type { SummaryColumns, SummaryItem, SummaryTable } from '../../src/domain/summary-table.js';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask } from '../factories/summary-table.js';

export const SAMPLE_BYTES = readFileSync(new URL('../../demo/suzhou-sthjj-2022-summary.txt', import.meta.url));

/** The real sample table (demo/), read through the text reader. */
export const sampleTable = (): SummaryTable => interpretGrid(readTextGrid(SAMPLE_BYTES)).table;

function checkBadInput(error: unknown, code: string): AppError {
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status: 400, code });
  expect((error as AppError).message).toMatch(/[\u4e00-\u9fff]/);
  return error as AppError;
}

/** A rejected promise with a 400 AppError of this code and a Chinese message. */
export async function expectBadInput(promise: Promise<unknown>, code: string): Promise<AppError> {
  return checkBadInput(
    await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    ),
    code,
  );
}

/** The same for a synchronous reader. */
export function expectBadInputNow(read: () => unknown, code: string): AppError {
  try {
    read();
  } catch (caught) {
    return checkBadInput(caught, code);
  }
  return checkBadInput(undefined, code);
}

type OptionalColumns = Pick<SummaryColumns, 'deadline' | 'status' | 'leader' | 'extra'>;

const STATUSES = ['已完成', '序时推进', '进度滞后', '', '未报送'];
const LIGHTS = ['绿灯', '黄灯', '红灯', '', '绿灯'];

/**
 * `table` with the optional columns `columns` declares, every item holding a text for each of them (some empty), as
 * the readers give a table whose file has such columns. Texts include a comma, quotes and a line break.
 */
export function withOptionalColumns(table: SummaryTable, columns: OptionalColumns): SummaryTable {
  let index = 0;
  const fill = (item: SummaryItem): SummaryItem => {
    const at = index++;
    const filled: SummaryItem = { ...item };
    if (columns.deadline !== undefined) filled.deadline = at % 3 === 2 ? '长期坚持' : `2030年${(at % 12) + 1}月底`;
    if (columns.status !== undefined) filled.status = STATUSES[at % STATUSES.length]!;
    if (columns.leader !== undefined) filled.leader = at % 2 === 0 ? '李明' : '王芳、张伟';
    if (columns.extra !== undefined) {
      filled.extra = Object.fromEntries(
        columns.extra.map((heading, column) => [
          heading,
          heading === '预警'
            ? LIGHTS[at % LIGHTS.length]!
            : (at + column) % 3 === 0
              ? ''
              : `${heading}：按季度调度, 每月"报送"\n省考核指标`,
        ]),
      );
    }
    return filled;
  };
  return {
    ...table,
    columns: { ...table.columns, ...columns },
    chapters: table.chapters.map((chapter) => ({
      ...chapter,
      tasks: chapter.tasks.map((task) => ({ ...task, items: task.items.map(fill) })),
    })),
  };
}

/** The columns the city-wide summary prints: 完成状态 after the completion text, and 预警 as a column luoshi does not read. */
export const CITY_COLUMNS: OptionalColumns = { status: '完成状态', extra: ['预警'] };

/** Every optional column at once, with two unknown ones whose order must be kept. */
export const ALL_OPTIONAL_COLUMNS: OptionalColumns = {
  leader: '责任领导',
  deadline: '完成时限',
  status: '进展状态',
  extra: ['备注', '预警'],
};

/** The factory table as the city-wide summary: no unit, 完成状态 and 预警. */
export const cityTable = (): SummaryTable => withOptionalColumns(buildSummaryTable({ organisation: '' }), CITY_COLUMNS);

/**
 * The round-trip cases of the optional columns, for every format that reads back what it writes. `expected` is what
 * a table reads back as (CSV has no title or unit); `table` formats (all but JSON) also print empty cells for an
 * item without a text for a declared column, and a row for a task without items, which read back as empty texts.
 */
export function itRoundTripsOptionalColumns(
  roundTrip: RoundTrip,
  { expected = (table) => table, table: isTable = true }: { expected?: (table: SummaryTable) => SummaryTable; table?: boolean } = {},
): void {
  const cases: [string, OptionalColumns][] = [
    ['责任领导', { leader: '责任领导' }],
    ['完成时限', { deadline: '完成时限' }],
    ['完成状态', { status: '完成状态' }],
    ['an unknown column (备注)', { extra: ['备注'] }],
    ['every optional column, two unknown ones in their order', ALL_OPTIONAL_COLUMNS],
    [
      'synonyms as headings (牵头市领导, 时间节点, 推进状态, 预警 before 备注)',
      { leader: '牵头市领导', deadline: '时间节点', status: '推进状态', extra: ['预警', '备注'] },
    ],
  ];
  it.each(cases)('gives back a table with %s', async (_, columns) => {
    const table = withOptionalColumns(buildSummaryTable(), columns);
    const back = await roundTrip(table, '2030年12月31日');
    expect(back.warnings).toEqual([]);
    expect(back.table).toEqual(expected(table));
  });

  it('gives back the city-wide summary (完成状态, 预警, no unit) and the real sample with its columns', async () => {
    const city = cityTable();
    expect((await roundTrip(city, '2030年12月31日')).table).toEqual(expected(city));
    const sample = withOptionalColumns(sampleTable(), { ...CITY_COLUMNS, leader: '责任领导' });
    const back = await roundTrip(sample, '2022年12月31日');
    expect(back.warnings).toEqual([]);
    expect(back.table).toEqual(expected(sample));
  });

  if (!isTable) return;
  it('gives a task without items its row, and an item without a text for a declared column an empty cell', async () => {
    const table = withOptionalColumns(buildSummaryTable(), ALL_OPTIONAL_COLUMNS);
    table.chapters[1]!.tasks.push(buildSummaryTask({ number: '6', name: '空任务', items: [] }));
    table.chapters[0]!.tasks[0]!.items.push(buildSummaryItem({ work: '未填写可选列的事项。' }));
    const empty = { deadline: '', status: '', leader: '', extra: { 备注: '', 预警: '' } };
    const back = await roundTrip(table);
    expect(back.table.chapters[0]!.tasks[0]!.items[2]).toEqual({ ...buildSummaryItem({ work: '未填写可选列的事项。' }), ...empty });
    expect(back.table.chapters[1]!.tasks[1]).toEqual({
      number: '6',
      name: '空任务',
      items: [{ work: '', lead: '', cooperating: '', completion: '', ...empty }],
    });
  });
}

type RoundTrip = (table: SummaryTable, date?: string) => Promise<{ table: SummaryTable; warnings: unknown[] }>;

/** The round-trip cases every document format must pass: the factory table and the real sample. */
export function itRoundTripsTables(roundTrip: RoundTrip): void {
  it('gives back the factory table, with and without a date', async () => {
    const table = buildSummaryTable();
    const back = await roundTrip(table);
    expect(back.table).toEqual(table);
    expect(back.warnings).toEqual([]);
    expect((await roundTrip(table, '2030年12月31日')).table).toEqual(table);
  });

  it('gives back the real sample table (6 chapters, 10 tasks, 15 items)', async () => {
    const table = sampleTable();
    const back = await roundTrip(table, '2022年12月31日');
    expect(back.warnings).toEqual([]);
    expect(back.table).toEqual(table);
  });

  itRoundTripsOptionalColumns(roundTrip);
}
