import { describe, expect, it } from 'vitest';
import { buildSummaryTable } from '../../test/factories/summary-table.js';
import type { SummaryTable } from '../domain/summary-table.js';
import { readSummaryJson, writeSummaryJson } from './json.js';
import {
  ALL_OPTIONAL_COLUMNS,
  cityTable,
  expectBadInputNow,
  itRoundTripsOptionalColumns,
  sampleTable as sample,
  withOptionalColumns,
} from '../../test/helpers/documents.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

describe('writeSummaryJson → readSummaryJson', () => {
  it('round-trips the factory table and the real sample table', () => {
    for (const table of [buildSummaryTable(), sample()]) expect(readSummaryJson(writeSummaryJson(table))).toEqual(table);
  });

  it('writes pretty UTF-8 JSON with a trailing newline, known fields only', () => {
    const table = { ...buildSummaryTable(), extra: 'dropped' } as SummaryTable;
    const text = writeSummaryJson(table).toString('utf8');
    expect(text.startsWith('{\n  "title": "2030年度市政府工作任务完成情况汇总表",\n  "organisation": "市水务局",')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toContain('extra');
  });

  it('accepts a BOM and drops unknown fields', () => {
    const table = buildSummaryTable();
    const withExtras = { ...table, version: 2, chapters: table.chapters.map((chapter) => ({ ...chapter, note: 'x' })) };
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json(withExtras)]);
    expect(readSummaryJson(bytes)).toEqual(table);
  });
});

describe('writeSummaryJson → readSummaryJson of the optional columns', () => {
  itRoundTripsOptionalColumns(async (table) => ({ table: readSummaryJson(writeSummaryJson(table)), warnings: [] }), { table: false });

  it('keeps the optional fields only where the table has them, and the unknown columns in their order', () => {
    const city = cityTable();
    const text = writeSummaryJson(city).toString('utf8');
    expect(JSON.parse(text).columns).toEqual({ ...buildSummaryTable().columns, status: '完成状态', extra: ['预警'] });
    expect(JSON.parse(text).chapters[0].tasks[0].items[0]).toMatchObject({ status: '已完成', extra: { 预警: '绿灯' } });
    expect(text).not.toContain('deadline');
    const back = readSummaryJson(
      writeSummaryJson(withOptionalColumns(buildSummaryTable(), { ...ALL_OPTIONAL_COLUMNS, extra: ['预警', '备注'] })),
    );
    expect(back.columns.extra).toEqual(['预警', '备注']);
    expect(readSummaryJson(writeSummaryJson(buildSummaryTable()))).toEqual(buildSummaryTable());
  });
});

describe('readSummaryJson validation', () => {
  it('names the path of the first bad field', () => {
    const table = buildSummaryTable();
    const broken = JSON.parse(JSON.stringify(table));
    broken.chapters[0].tasks[0].items[1].lead = 42;
    broken.chapters[1].title = null;
    const error = expectBadInputNow(() => readSummaryJson(json(broken)), 'json_invalid_field');
    expect(error.message).toContain('$.chapters[0].tasks[0].items[1].lead');
    expect(error.details).toEqual({ path: '$.chapters[0].tasks[0].items[1].lead' });
  });

  it.each([
    ['root is an array', [], '$'],
    ['title missing', { organisation: '', columns: {}, chapters: [] }, '$.title'],
    ['columns missing', { title: 't', organisation: '' }, '$.columns'],
    [
      'a column heading missing',
      { title: 't', organisation: '', columns: { ...buildSummaryTable().columns, completion: undefined }, chapters: [] },
      '$.columns.completion',
    ],
    ['chapters not an array', { ...buildSummaryTable(), chapters: {} }, '$.chapters'],
    [
      'a task is not an object',
      { ...buildSummaryTable(), chapters: [{ numeral: '一', title: 't', tasks: ['x'] }] },
      '$.chapters[0].tasks[0]',
    ],
    [
      'task number is a number',
      { ...buildSummaryTable(), chapters: [{ numeral: '一', title: 't', tasks: [{ number: 3, name: 'n', items: [] }] }] },
      '$.chapters[0].tasks[0].number',
    ],
    [
      'an optional heading is not a string',
      { ...buildSummaryTable(), columns: { ...buildSummaryTable().columns, status: 1 } },
      '$.columns.status',
    ],
    [
      'unknown headings are not an array',
      { ...buildSummaryTable(), columns: { ...buildSummaryTable().columns, extra: '预警' } },
      '$.columns.extra',
    ],
    [
      'an unknown heading is not a string',
      { ...buildSummaryTable(), columns: { ...buildSummaryTable().columns, extra: ['预警', null] } },
      '$.columns.extra[1]',
    ],
    [
      'an item’s optional text is not a string',
      {
        ...buildSummaryTable(),
        chapters: [
          {
            numeral: '一',
            title: 't',
            tasks: [{ number: '3', name: 'n', items: [{ work: '', lead: '', cooperating: '', completion: '', deadline: 2030 }] }],
          },
        ],
      },
      '$.chapters[0].tasks[0].items[0].deadline',
    ],
    [
      'an item’s unknown-column text is not a string',
      {
        ...buildSummaryTable(),
        chapters: [
          {
            numeral: '一',
            title: 't',
            tasks: [{ number: '3', name: 'n', items: [{ work: '', lead: '', cooperating: '', completion: '', extra: { 预警: 1 } }] }],
          },
        ],
      },
      '$.chapters[0].tasks[0].items[0].extra.预警',
    ],
  ])('%s', (_, value, path) => {
    const error = expectBadInputNow(() => readSummaryJson(json(value)), 'json_invalid_field');
    expect(error.message).toContain(`JSON 字段 ${path} 无效`);
  });

  it('rejects malformed JSON and non-UTF-8 bytes', () => {
    expectBadInputNow(() => readSummaryJson(Buffer.from('{"title": ', 'utf8')), 'json_syntax');
    expectBadInputNow(() => readSummaryJson(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])), 'bad_encoding');
  });
});
