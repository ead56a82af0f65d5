import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/schema.js';
import { readSummaryDocument } from '../../src/documents/index.js';
import { createServiceContext, importOptions, type ServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { fixtureBytes } from '../fixtures/layouts/fixtures.js';
import { buildTestApp, signInAs, type Session } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { expectBadInput } from '../helpers/documents.js';
import { hundredThousandRows, underDeclared } from '../helpers/hostile-files.js';
import { multipartBody } from '../helpers/multipart.js';

/**
 * Hostile and broken files through the import service as the server runs it: parsed in the worker thread with the
 * configured caps. Every one must be refused with a 400, a code and a Chinese message that names the problem, and
 * must leave the database untouched. The large files are generated here rather than committed.
 */

const MB = 1024 * 1024;
const actor = { id: 'test', source: 'test' };
const TABLES = [
  'plans',
  'organisations',
  'organisation_aliases',
  'chapters',
  'tasks',
  'items',
  'periods',
  'reports',
  'imports',
  'audit_events',
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------------

const zipOptions = { date: new Date('2031-07-05T00:00:00Z'), createFolders: false };

let bombSeed: Promise<Buffer> | undefined;

/**
 * 300 MB of zeros deflated at level 9 (about 300 KB): a few seconds, so done once. The entry is a thumbnail, a part
 * both packages may carry, and JSZip copies an entry it loaded without inflating it again, so the Word and Excel
 * bombs are built from this one in milliseconds.
 */
function bombEntry(): Promise<Buffer> {
  bombSeed ??= (async () => {
    const zip = new JSZip();
    zip.file('docProps/thumbnail.jpeg', Buffer.alloc(300 * MB), zipOptions);
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  })();
  return bombSeed;
}

/** The parts of a real fixture, with the bomb entry added. */
async function bombOf(fixture: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await bombEntry());
  const original = await JSZip.loadAsync(fixtureBytes(fixture));
  for (const [name, file] of Object.entries(original.files)) {
    if (!file.dir) zip.file(name, await file.async('uint8array'), zipOptions);
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A real fixture with one part replaced. */
async function withPart(fixture: string, name: string, content: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(fixtureBytes(fixture));
  zip.file(name, content, zipOptions);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function billionLaughs(): string {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let level = 1; level <= 9; level++) entities.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [${entities.join('')}]>` +
    `<w:document xmlns:w="${W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`
  );
}

const XXE_SHARED_STRINGS =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
  '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>';

/** Deterministic noise: a failure must not depend on what the random bytes happened to start with. */
function noise(length: number): Buffer {
  const chunks: Buffer[] = [];
  let block = Buffer.from('江南市');
  for (let total = 0; total < length; total += block.length) {
    block = createHash('sha256').update(block).digest();
    chunks.push(block);
  }
  return Buffer.concat(chunks).subarray(0, length);
}

/** What Office writes for a password-protected .docx: an OLE compound file whose directory names EncryptionInfo. */
function oleEncrypted(): Buffer {
  const file = Buffer.alloc(4096);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(file, 0);
  Buffer.from('EncryptionInfo', 'utf16le').copy(file, 1024);
  Buffer.from('EncryptedPackage', 'utf16le').copy(file, 1152);
  return file;
}

const STANDARD_HEADER = ['序号', '名称', '工作任务', '牵头单位', '主要配合单位', '全年完成情况'];

/** A text table whose one work cell is 50 MB. */
function hugeCell(): Buffer {
  const head = Buffer.from(
    [
      '2031年度市政府工作任务完成情况汇总表',
      ...STANDARD_HEADER.map((cell) => `\t${cell}`),
      '',
      '\t一、经济社会发展主要预期目标',
      '',
      '\t1',
      '\t名称',
      '\t',
    ].join('\n'),
  );
  const tail = Buffer.from(['', '\t市发改委', '\t', '\t', ''].join('\n'));
  return Buffer.concat([head, Buffer.alloc(50 * MB, 'x'), tail]);
}

// ---------------------------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------------------------

interface HostileCase {
  name: string;
  file: () => Promise<{ fileName: string; bytes: Buffer }> | { fileName: string; bytes: Buffer };
  code: string;
  /** what the message must name */
  message: RegExp;
  /** anything the message must not contain */
  not?: RegExp;
}

const CASES: HostileCase[] = [
  {
    name: 'zip bomb .docx (300 MB of zeros in one entry)',
    file: async () => ({ fileName: 'bomb.docx', bytes: await bombOf('a-standard.docx') }),
    code: 'zip_entry_too_large',
    message: /Word 文档.*300 MB.*单个条目上限 50 MB.*压缩炸弹/,
  },
  {
    name: 'zip bomb .xlsx (300 MB of zeros in one entry)',
    file: async () => ({ fileName: 'bomb.xlsx', bytes: await bombOf('a-standard.xlsx') }),
    code: 'zip_entry_too_large',
    message: /Excel 工作簿.*300 MB.*单个条目上限 50 MB.*压缩炸弹/,
  },
  {
    name: 'zip bomb .xlsx whose directory claims the entry is 1 KB',
    file: async () => ({ fileName: 'bomb-lies.xlsx', bytes: underDeclared(await bombOf('a-standard.xlsx'), 'docProps/thumbnail.jpeg') }),
    code: 'zip_entry_too_large',
    message: /thumbnail\.jpeg.*超过其声明的大小.*压缩炸弹/,
  },
  {
    name: 'billion laughs in word/document.xml',
    file: async () => ({ fileName: 'laughs.docx', bytes: await withPart('a-standard.docx', 'word/document.xml', billionLaughs()) }),
    code: 'hostile_xml',
    message: /word\/document\.xml.*DOCTYPE\/ENTITY.*实体/,
  },
  {
    name: 'XXE to file:///etc/passwd in xl/sharedStrings.xml',
    file: async () => ({ fileName: 'xxe.xlsx', bytes: await withPart('a-standard.xlsx', 'xl/sharedStrings.xml', XXE_SHARED_STRINGS) }),
    code: 'hostile_xml',
    message: /xl\/sharedStrings\.xml.*DOCTYPE\/ENTITY.*外部实体/,
    not: /root:/,
  },
  {
    name: 'truncated .docx (the first half of a valid file)',
    file: () => {
      const whole = fixtureBytes('a-standard.docx');
      return { fileName: 'truncated.docx', bytes: whole.subarray(0, Math.floor(whole.length / 2)) };
    },
    code: 'zip_corrupt',
    message: /Word 文档.*不完整或已损坏/,
  },
  {
    name: 'random bytes named .xlsx',
    file: () => ({ fileName: 'noise.xlsx', bytes: noise(64 * 1024) }),
    code: 'not_an_xlsx',
    message: /\.xlsx.*不是 Excel 工作簿/,
  },
  {
    name: 'password-protected Office file (OLE/CFB) named .docx',
    file: () => ({ fileName: 'protected.docx', bytes: oleEncrypted() }),
    code: 'encrypted_or_legacy_office',
    message: /设置了打开密码.*取消密码/,
  },
  {
    name: 'a .doc file',
    file: () => ({ fileName: '汇总表.doc', bytes: oleEncrypted() }),
    code: 'legacy_office_format',
    message: /旧版 Office 格式（\.doc）.*另存为/,
  },
  { name: 'an empty file', file: () => ({ fileName: '汇总表.txt', bytes: Buffer.alloc(0) }), code: 'empty_file', message: /是空的/ },
  {
    name: 'a PDF named .docx',
    file: () => ({
      fileName: '汇总表.docx',
      bytes: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
    }),
    code: 'not_a_docx',
    message: /扩展名是 \.docx，但内容不是 Word 文档。它是 PDF 文件。/,
  },
  {
    name: 'a text file that is neither a table nor a decomposition',
    file: () => ({
      fileName: '会议纪要.txt',
      bytes: Buffer.from('江南市人民政府常务会议纪要\n会议听取了市发改委关于2031年重大项目推进情况的汇报。\n会议要求各部门抓好落实。\n'),
    }),
    code: 'no_table_found',
    message: /没有找到表格.*也不像任务分解方案/,
  },
  {
    name: 'a JSON file that is not a summary table',
    file: () => ({
      fileName: 'tasks.json',
      bytes: Buffer.from(JSON.stringify({ city: '江南市', tasks: [{ id: 1, text: '重大项目建设' }] })),
    }),
    code: 'json_invalid_field',
    message: /JSON 字段 \$\.title 无效/,
  },
  {
    name: 'a cell of 50 MB',
    file: () => ({ fileName: 'huge-cell.txt', bytes: hugeCell() }),
    code: 'cell_too_long',
    message: /第 13 行所在的单元格有 52,428,800 个字符，超过单元格（段落）上限 100,000 个字符/,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    counts[table] = Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }
  return counts;
}

const EMPTY = Object.fromEntries(TABLES.map((table) => [table, 0]));

describeEachDatabase('hostile files are refused, parsed in the worker, writing nothing', (database) => {
  let ctx: ServiceContext;
  beforeAll(() => {
    ctx = createServiceContext(database().db, undefined, importOptions(loadConfig({})));
  });

  for (const hostile of CASES) {
    it(hostile.name, async () => {
      const { fileName, bytes } = await hostile.file();
      for (const dryRun of [true, false]) {
        const error = await expectBadInput(importSummaryTable(ctx, actor, { bytes, fileName, dryRun }), hostile.code);
        expect(error.message).toMatch(hostile.message);
        if (hostile.not) expect(error.message).not.toMatch(hostile.not);
      }
      expect(await rowCounts(database().db)).toEqual(EMPTY);
    });
  }

  it('a 100,000-row workbook is refused by the row cap', async () => {
    // how much the process grows while refusing it is measured by `npm run bench`, where a machine's speed and
    // memory cannot fail the suite
    const bytes = await hundredThousandRows();
    const error = await expectBadInput(importSummaryTable(ctx, actor, { bytes, fileName: 'rows.xlsx' }), 'too_many_rows');
    expect(error.message).toMatch(/超过上限 20,000 行（读到工作表“汇总表”第 20,00\d 行时超出）/);
    expect(await rowCounts(database().db)).toEqual(EMPTY);
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    let supervisor: Session;
    beforeAll(async () => {
      app = await buildTestApp(database().db);
      supervisor = await signInAs(app, database().db, 'supervisor');
    });
    afterAll(async () => {
      await app?.close();
    });

    it('over HTTP: the zip bomb answers 400 with its code, an upload over the cap 413, and the server stays healthy', async () => {
      // signing in wrote the supervisor's account and a login audit entry; the uploads must add nothing more
      const before = await rowCounts(database().db);
      const bomb = await bombOf('a-standard.docx');
      expect(bomb.length, 'the bomb must fit under the test app’s 1 MB upload cap').toBeLessThan(MB);
      const post = async (name: string, bytes: Uint8Array) => {
        const body = await multipartBody({}, { name, bytes });
        const response = await supervisor.inject({ method: 'POST', url: '/api/imports', ...body });
        return { status: response.statusCode, error: response.json().error as { code: string; message: string } };
      };

      const bombed = await post('bomb.docx', bomb);
      expect(bombed.status).toBe(400);
      expect(bombed.error.code).toBe('zip_entry_too_large');
      expect(bombed.error.message).toMatch(/压缩炸弹/);

      const oversized = await post('big.txt', Buffer.alloc(MB + 1, 'x'));
      expect(oversized.status).toBe(413);
      expect(oversized.error.code).toBe('file_too_large');
      expect(oversized.error.message).toMatch(/超过大小上限（1 MB）/);

      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok' });
      expect(await rowCounts(database().db)).toEqual(before);
    });
  });

  // the positive control, last because it writes: a GBK text table without BOM is not mistaken for a hostile file
  it('a GBK text table without BOM imports correctly', async () => {
    const summary = await importSummaryTable(ctx, actor, {
      bytes: fixtureBytes('a-standard.gb18030.txt'),
      fileName: 'a-standard.gb18030.txt',
    });
    const utf8 = await readSummaryDocument(fixtureBytes('a-standard.txt'), 'a-standard.txt');
    expect(summary.table).toEqual(utf8.table);
    expect(summary).toMatchObject({
      format: 'text',
      organisation: '市发改委',
      period: { code: '2031-Y' },
      counts: { chapters: 2, tasks: 3, items: 4 },
      warnings: [],
      changes: { plans: 1, chapters: 2, tasks: 3, items: 4, reports: 4 },
    });
    expect(await rowCounts(database().db)).toMatchObject({ plans: 1, items: 4, reports: 4, imports: 1 });
    // the HTTP case above signed a supervisor in; of imports, only this one was audited
    const audited = await database().db.selectFrom('audit_events').select('action').where('action', 'like', 'import.%').execute();
    expect(audited).toEqual([{ action: 'import.summary_table' }]);
  });
});
