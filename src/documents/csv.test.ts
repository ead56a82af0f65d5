import { describe, expect, it } from 'vitest';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask } from '../../test/factories/summary-table.js';
import type { SummaryTable } from '../domain/summary-table.js';
import { csvCell, readCsvGrid, uncsvCell, writeCsv, writeSummaryCsv } from './csv.js';
import { interpretGrid } from './grid.js';
import {
  ALL_OPTIONAL_COLUMNS,
  CITY_COLUMNS,
  cityTable,
  expectBadInputNow,
  itRoundTripsOptionalColumns,
  sampleTable as sample,
  withOptionalColumns,
} from '../../test/helpers/documents.js';

/** CSV is a plain table: title and unit are not part of it. */
const withoutPreamble = (table: SummaryTable): SummaryTable => ({ ...table, title: '', organisation: '' });

describe('writeSummaryCsv → readCsvGrid round trip', () => {
  it('gives back the factory table and the real sample table', () => {
    for (const table of [buildSummaryTable(), sample()]) {
      const back = interpretGrid(readCsvGrid(writeSummaryCsv(table)));
      expect(back.warnings).toEqual([]);
      expect(back.table).toEqual(withoutPreamble(table));
    }
  });

  it('keeps commas, quotes, line breaks and formula-like text exactly', () => {
    const table = buildSummaryTable({
      chapters: [
        {
          numeral: '一',
          title: '标题,含"逗号"',
          tasks: [
            buildSummaryTask({
              number: '08',
              name: '=HYPERLINK("x")',
              items: [buildSummaryItem({ work: 'a,b', lead: '"甲"', cooperating: '+86', completion: '第一行\n第二行，"引号"\n-5%' })],
            }),
          ],
        },
      ],
    });
    expect(interpretGrid(readCsvGrid(writeSummaryCsv(table))).table).toEqual(withoutPreamble(table));
  });
});

/** Fields of every record exactly as written: quotes taken off, nothing else (no apostrophe removed). */
function rawRecords(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8').replace(/^\ufeff/, '');
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '"' && field === '') {
      let at = index + 1;
      for (;;) {
        const close = text.indexOf('"', at);
        expect(close).toBeGreaterThan(index);
        field += text.slice(at, close);
        if (text[close + 1] !== '"') {
          at = close + 1;
          break;
        }
        field += '"';
        at = close + 2;
      }
      index = at - 1;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index++;
    } else {
      field += char;
    }
  }
  expect(record).toEqual([]);
  return records;
}

/** Texts a spreadsheet would run, or that look like the escape itself. */
const HOSTILE_TEXTS = [
  '=HYPERLINK("http://example.invalid","点击")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
  "'=已有撇号的公式",
  "''+两个撇号",
  "'普通撇号开头",
  '-5%',
];

describe('csvCell and the CSV reader: formulas neutralised, round trips exact', () => {
  it('prefixes an apostrophe to a formula start, and one more to a text that already starts with apostrophes before one', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+86')).toBe("'+86");
    expect(csvCell('-5%')).toBe("'-5%");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('\t1')).toBe(`"'\t1"`);
    expect(csvCell("'=x")).toBe("''=x");
    expect(csvCell("'abc")).toBe("'abc");
    expect(csvCell('5-3')).toBe('5-3');
    expect(csvCell(-1)).toBe("'-1");
    expect(csvCell('=A1,"b"')).toBe(`"'=A1,""b"""`);
    for (const text of [...HOSTILE_TEXTS, "'", "''", '', 'a']) expect(uncsvCell(rawRecords(writeCsv([[text]]))[0]![0]!)).toBe(text);
    // the reader gives back every cell exactly, leading tab and CR included
    expect(readCsvGrid(writeCsv([['表头', ...HOSTILE_TEXTS]])).rows[0]!.cells).toEqual(['表头', ...HOSTILE_TEXTS]);
  });

  it('writes no field of a summary table that begins with a formula character, and reads the table back exactly', () => {
    const table = withOptionalColumns(
      buildSummaryTable({
        chapters: [
          {
            numeral: '一',
            title: '=章节',
            // the import trims the whitespace around every cell, in every format, so a leading tab or CR is not kept
            tasks: HOSTILE_TEXTS.filter((text) => !/^\s/.test(text)).map((text, index) =>
              buildSummaryTask({
                number: `${index + 1}`,
                name: text,
                items: [
                  buildSummaryItem({
                    work: text,
                    lead: index % 2 ? text : '市发改委',
                    cooperating: text,
                    completion: `${text}\n第二行=不是开头`,
                  }),
                ],
              }),
            ),
          },
        ],
      }),
      CITY_COLUMNS,
    );
    for (const task of table.chapters[0]!.tasks)
      for (const item of task.items) Object.assign(item, { status: '=1', extra: { 预警: '@红灯' } });
    const bytes = writeSummaryCsv(table);
    const records = rawRecords(bytes);
    expect(new Set(records.map((record) => record.length))).toEqual(new Set([8]));
    for (const field of records.flat()) expect(field).not.toMatch(/^[=+\-@\t\r]/);
    expect(interpretGrid(readCsvGrid(bytes)).table).toEqual(withoutPreamble(table));
  });

  it('gives every record the same number of fields', () => {
    for (const table of [buildSummaryTable(), sample(), cityTable(), withOptionalColumns(buildSummaryTable(), ALL_OPTIONAL_COLUMNS)]) {
      const records = rawRecords(writeSummaryCsv(table));
      expect(new Set(records.map((record) => record.length)).size, table.title).toBe(1);
    }
  });
});

describe('writeSummaryCsv → readCsvGrid round trip of the optional columns', () => {
  itRoundTripsOptionalColumns(async (table) => interpretGrid(readCsvGrid(writeSummaryCsv(table))), { expected: withoutPreamble });
});

describe('writeSummaryCsv optional columns', () => {
  it('prints the city-wide 完成状态 and 预警 after the completion text; a chapter is as wide as the other records', () => {
    const records = writeSummaryCsv(cityTable()).toString('utf8').slice(1).split('\r\n');
    expect(records[0]).toBe('序号,名称,工作任务,牵头单位,主要配合单位,全年完成情况,完成状态,预警');
    expect(records[1]).toBe('一、稳住经济基本盘,,,,,,,');
    expect(records[2]).toBe(
      '3,扩大有效投资,实施市级重点项目200个，完成投资800亿元。,市发改委,市水务局、市工信局,已完成管网建设12.4公里，超额完成年度任务。,已完成,绿灯',
    );
    expect(records[5]).toMatch(/,进度滞后,红灯$/);
  });

  it('orders every optional column as the other formats do, quoting where needed', () => {
    const table = withOptionalColumns(buildSummaryTable(), ALL_OPTIONAL_COLUMNS);
    const records = writeSummaryCsv(table).toString('utf8').slice(1).split('\r\n');
    expect(records[0]).toBe('序号,名称,工作任务,责任领导,牵头单位,主要配合单位,完成时限,全年完成情况,进展状态,备注,预警');
    expect(records[2]).toBe(
      '3,扩大有效投资,实施市级重点项目200个，完成投资800亿元。,李明,市发改委,市水务局、市工信局,2030年1月底,已完成管网建设12.4公里，超额完成年度任务。,已完成,,绿灯',
    );
    // line breaks inside a quoted field are LF, record ends CRLF
    expect(records[3]).toBe(
      '3,扩大有效投资,新开工水利项目15个。,王芳、张伟,市水务局,,2030年2月底,"新开工水利项目16个。\n其中防洪工程9个。",序时推进,"备注：按季度调度, 每月""报送""\n省考核指标",黄灯',
    );
  });
});

describe('writeSummaryCsv format', () => {
  const bytes = writeSummaryCsv(buildSummaryTable());
  const text = bytes.toString('utf8');

  it('starts with a UTF-8 BOM and the header, and ends records with CRLF', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.slice(1).split('\r\n')[0]).toBe('序号,名称,工作任务,牵头单位,主要配合单位,全年完成情况');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\r/);
  });

  it('writes a chapter as its heading and empty fields, and repeats 序号 and 名称 on every item', () => {
    const records = text.slice(1).split('\r\n');
    expect(records[1]).toBe('一、稳住经济基本盘,,,,,');
    expect(records[2]).toMatch(/^3,扩大有效投资,实施市级重点项目200个/);
    expect(records[3]).toMatch(/^3,扩大有效投资,新开工水利项目15个。,市水务局,,"新开工水利项目16个。\n其中防洪工程9个。"$/);
  });

  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    const table = buildSummaryTable({
      chapters: [
        {
          numeral: '一',
          title: '章',
          tasks: [
            buildSummaryTask({
              number: '1',
              name: 'a,b',
              items: [buildSummaryItem({ work: '说"好"', lead: 'x\ny', cooperating: '', completion: 'plain' })],
            }),
          ],
        },
      ],
    });
    const records = writeSummaryCsv(table).toString('utf8').slice(1).split('\r\n');
    expect(records[2]).toBe('1,"a,b","说""好""","x\ny",,plain');
  });
});

describe('readCsvGrid', () => {
  it('records the line each record starts on, across quoted line breaks and blank lines', () => {
    const grid = readCsvGrid(Buffer.from('序号,名称\r\n\r\n1,"跨\r\n两行"\n2,"x"\n', 'utf8'));
    expect(grid).toEqual({
      preamble: [],
      rows: [
        { cells: ['序号', '名称'], line: 1 },
        { cells: ['1', '跨\r\n两行'], line: 3 },
        { cells: ['2', 'x'], line: 5 },
      ],
    });
  });

  it('reads a file without a final line break, empty fields and a quoted empty field', () => {
    expect(readCsvGrid(Buffer.from('a,,""\nb,c', 'utf8')).rows).toEqual([
      { cells: ['a', '', ''], line: 1 },
      { cells: ['b', 'c'], line: 2 },
    ]);
  });

  it('decodes GBK files', () => {
    // 序号,名称 in GBK
    const gbk = Uint8Array.from([0xd0, 0xf2, 0xba, 0xc5, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0d, 0x0a]);
    expect(readCsvGrid(gbk).rows).toEqual([{ cells: ['序号', '名称'], line: 1 }]);
  });

  it("reads Excel's tab-separated Unicode text", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('序号\t名称\r\n1\t"a\tb"\r\n', 'utf16le')]);
    expect(readCsvGrid(utf16).rows).toEqual([
      { cells: ['序号', '名称'], line: 1 },
      { cells: ['1', 'a\tb'], line: 2 },
    ]);
  });

  it('decodes UTF-16 BE with a BOM, and GB18030 without one, four-byte characters included', () => {
    const utf16be = Buffer.from([0xfe, 0xff, ...Buffer.from('序号,名称\r\n1,甲\r\n', 'utf16le').swap16()]);
    expect(readCsvGrid(utf16be).rows).toEqual([
      { cells: ['序号', '名称'], line: 1 },
      { cells: ['1', '甲'], line: 2 },
    ]);
    // 序号,名称\n1,𠮷野家·鿏 in GB18030: 𠮷 and 鿏 are four-byte sequences that GBK does not have
    const gb18030 = Uint8Array.from([
      208, 242, 186, 197, 44, 195, 251, 179, 198, 10, 49, 44, 149, 52, 178, 53, 210, 176, 188, 210, 161, 164, 130, 53, 147, 52,
    ]);
    expect(readCsvGrid(gb18030).rows).toEqual([
      { cells: ['序号', '名称'], line: 1 },
      { cells: ['1', '𠮷野家·鿏'], line: 2 },
    ]);
  });

  it('leaves location unset: a CSV line is where a person finds the row', () => {
    expect(readCsvGrid(Buffer.from('序号,名称\n1,甲\n')).rows.every((row) => !('location' in row))).toBe(true);
  });

  it('caps the records, naming the line and record where the cap was passed', () => {
    const bytes = Buffer.from('序号,名称\n\n1,"甲\n乙"\n2,丙\n3,丁\n', 'utf8');
    expect(readCsvGrid(bytes, { maxRows: 4 }).rows).toHaveLength(4);
    const error = expectBadInputNow(() => readCsvGrid(bytes, { maxRows: 3 }), 'too_many_rows');
    expect(error.message).toContain('3 行');
    expect(error.message).toContain('第 6 行的第 4 条记录');
  });

  it('caps the length of a field, naming its line and column', () => {
    const bytes = Buffer.from(`序号,名称,工作任务\n1,甲,"${'长'.repeat(30)}\n${'长'.repeat(30)}"\n`, 'utf8');
    expect(readCsvGrid(bytes, { maxCellChars: 61 }).rows[1]!.cells[2]).toHaveLength(61);
    const error = expectBadInputNow(() => readCsvGrid(bytes, { maxCellChars: 60 }), 'cell_too_long');
    expect(error.message).toContain('第 2 行开始的记录的第 3 列');
    expect(error.message).toContain('61 个字符');
  });

  it('rejects an unterminated quote, naming the line it starts on', () => {
    const error = expectBadInputNow(() => readCsvGrid(Buffer.from('序号,名称\n1,"没有闭合\n2,x\n', 'utf8')), 'csv_unterminated_quote');
    expect(error.message).toContain('第 2 行');
  });

  it('rejects binary content', () => {
    expectBadInputNow(() => readCsvGrid(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0])), 'binary_file');
  });
});
