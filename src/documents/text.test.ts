import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countTable } from '../domain/summary-table.js';
import { expectBadInputNow } from '../../test/helpers/documents.js';
import { interpretGrid } from './grid.js';
import { readTextGrid } from './text.js';

const SAMPLE = readFileSync(new URL('../../demo/suzhou-sthjj-2022-summary.txt', import.meta.url));
const encode = (text: string) => new TextEncoder().encode(text);

describe('reading the text form of a summary table', () => {
  const { table, warnings } = interpretGrid(readTextGrid(SAMPLE));

  it('reads the title, the reporting unit and the columns of the sample', () => {
    expect(table.title).toBe('2022年度市政府工作任务完成情况汇总表');
    expect(table.organisation).toBe('市生态环境局');
    expect(table.columns.completion).toBe('全年完成情况');
    expect(warnings).toEqual([]);
  });

  it('finds 6 chapters, 10 tasks and 15 items, continuation rows being further items', () => {
    expect(countTable(table)).toEqual({ chapters: 6, tasks: 10, items: 15 });
    expect(table.chapters.map((chapter) => chapter.numeral)).toEqual(['一', '四', '六', '七', '八', '九']);
    const itemsPerTask = Object.fromEntries(table.chapters.flatMap((c) => c.tasks).map((task) => [task.number, task.items.length]));
    expect(itemsPerTask).toEqual({ 8: 2, 16: 1, 23: 1, 24: 1, 26: 1, 27: 1, 31: 1, 34: 1, 35: 4, 36: 2 });
  });

  it('keeps the cells as written, without trailing spaces', () => {
    const task24 = table.chapters[2]!.tasks[1]!;
    expect(task24.items[0]!.cooperating).toBe('市交通局、科技局、生态环境局');
    const task35 = table.chapters[5]!.tasks[1]!;
    expect(task35.items[1]!.work).toBe('以臭氧和PM2.5协同控制为重点，全面开展源头治理，持续提高空气质量。');
    expect(task35.items[1]!.cooperating).toBe('');
  });

  it('decodes a GB18030 file the same as UTF-8', () => {
    const gbk = Buffer.from([0xd0, 0xf2, 0xba, 0xc5]); // 序号 in GBK
    expect(readTextGrid(new Uint8Array([...Buffer.from('\t'), ...gbk])).rows[0]!.cells[0]).toBe('序号');
  });

  it('decodes UTF-16 LE and BE with a BOM, and GB18030 four-byte characters without one', () => {
    const text = '标题\n\t序号\n\t名称\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from([0xfe, 0xff, ...Buffer.from(text, 'utf16le').swap16()]);
    for (const bytes of [le, be]) {
      expect(readTextGrid(bytes)).toEqual({ preamble: [{ text: '标题', line: 1 }], rows: [{ cells: ['序号', '名称'], line: 2 }] });
    }
    // \t序号\n\t𠮷\n in GB18030
    const gb18030 = Uint8Array.from([9, 208, 242, 186, 197, 10, 9, 149, 52, 178, 53, 10]);
    expect(readTextGrid(gb18030).rows[0]!.cells).toEqual(['序号', '𠮷']);
  });

  it('caps the lines of the file, a final line break not counting as a line', () => {
    const bytes = encode('标题\n\t序号\n\t名称\n\n\t1\n');
    expect(readTextGrid(bytes, { maxRows: 5 }).rows).toHaveLength(2);
    const error = expectBadInputNow(() => readTextGrid(bytes, { maxRows: 4 }), 'too_many_rows');
    expect(error.message).toContain('4 行');
    expect(error.message).toContain('第 5 行');
  });

  it('caps the length of a cell, continuation lines included, and of a title line', () => {
    const bytes = encode(`标题\n\t序号\n\t${'长'.repeat(30)}\n${'长'.repeat(30)}\n`);
    expect(readTextGrid(bytes, { maxCellChars: 61 }).rows[0]!.cells[1]).toHaveLength(61);
    const error = expectBadInputNow(() => readTextGrid(bytes, { maxCellChars: 60 }), 'cell_too_long');
    expect(error.message).toContain('第 4 行');
    expect(error.message).toContain('61 个字符');
    expectBadInputNow(() => readTextGrid(encode(`${'长'.repeat(20)}\n\t序号\n`), { maxCellChars: 10 }), 'cell_too_long');
  });

  it('keeps line breaks inside a cell', () => {
    const grid = readTextGrid(encode('标题\n\t序号\n\t名称\n\n\t1\n\t第一行\n第二行\n'));
    expect(grid.rows[1]!.cells).toEqual(['1', '第一行\n第二行']);
  });

  it('reports rows it cannot place, with their line', () => {
    const text = '2030年度汇总表\n\t序号\n\t名称\n\t工作任务\n\t牵头单位\n\n\t\n\t\n\t孤立的事项\n\t市水务局\n\n\t一、章节\n';
    const result = interpretGrid(readTextGrid(encode(text)));
    expect(result.warnings).toEqual([{ line: 7, message: expect.stringContaining('没有序号和名称') }]);
  });

  it('skips a repeated header even when its headings are spaced differently', () => {
    const text =
      '2030年度汇总表\n\t序号\n\t名称\n\t工作任务\n\t牵头单位\n\n\t一、章节\n\n\t1\n\t任务\n\t事项\n\t市水务局\n\n\t序 号\n\t名 称\n\t工作任务\n\t牵头单位\n\n\t2\n\t任务二\n\t事项二\n\t市水务局\n';
    const result = interpretGrid(readTextGrid(encode(text)));
    expect(result.warnings).toEqual([]);
    expect(result.table.chapters[0]!.tasks.map((task) => task.number)).toEqual(['1', '2']);
    expect(result.rows.find((row) => row.line === 14)).toMatchObject({ kind: 'ignored' });
  });

  it('rejects a file without a recognisable header', () => {
    expect(() => interpretGrid(readTextGrid(encode('这不是表格\n只是一段文字\n')))).toThrowError(/未找到表头/);
  });
});
