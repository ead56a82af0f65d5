import JSZip from 'jszip';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSummaryDocument } from '../../src/documents/index.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask, buildSummaryChapter } from '../factories/summary-table.js';
import { buildTestApp, signInAs, type Session } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { expectBadInput } from '../helpers/documents.js';
import { multipartBody } from '../helpers/multipart.js';

const MARK = '待替换文字';

/** A one-item table whose completion text is MARK, to be replaced by what a hostile file would carry. */
const table = () =>
  buildSummaryTable({
    title: '2033年度市政府工作任务完成情况汇总表',
    // the unit the completion texts belong to (the items' lead): texts without a unit are refused before anything else
    organisation: '市水务局',
    chapters: [
      buildSummaryChapter({
        numeral: '一',
        title: '测试',
        tasks: [
          buildSummaryTask({
            number: '1',
            name: '测试任务',
            items: [
              buildSummaryItem({ work: '第一项工作。', completion: '已完成。' }),
              buildSummaryItem({ work: '第二项工作。', completion: MARK }),
            ],
          }),
        ],
      }),
    ],
  });

/** The same file with MARK written as `replacement` inside its XML parts (a character reference such as &#xD800;). */
async function patchZip(bytes: Uint8Array, replacement: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  let patched = 0;
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!name.endsWith('.xml')) continue;
    const text = await entry.async('string');
    if (text.includes(MARK)) {
      zip.file(name, text.split(MARK).join(replacement));
      patched++;
    }
  }
  expect(patched).toBeGreaterThan(0);
  return zip.generateAsync({ type: 'nodebuffer' });
}

describeEachDatabase('text that is not well-formed Unicode', (database) => {
  let app: FastifyInstance;
  let supervisor: Session;
  const ctx = () => createServiceContext(database().db);
  const actor = { id: 'test', source: 'test' };
  const plans = async () => (await database().db.selectFrom('plans').select('id').execute()).length;

  beforeAll(async () => {
    app = await buildTestApp(database().db);
    supervisor = await signInAs(app, database().db, 'supervisor');
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a JSON import with a "\\ud800" escape, saying where, and writes nothing', async () => {
    const json = (await writeSummaryDocument(table(), 'json')).toString('utf8').replace(MARK, 'G\\ud800');
    expect(json).toContain('G\\ud800');
    for (const dryRun of [true, false]) {
      const error = await expectBadInput(
        importSummaryTable(ctx(), actor, { bytes: Buffer.from(json), fileName: 'table.json', dryRun }),
        'invalid_text',
      );
      expect(error.message).toContain('第 1 章第 1 项任务第 2 个事项的“完成情况”含有无效的 Unicode 字符');
    }
    expect(await plans()).toBe(0);
  });

  // the XML readers do not let a lone surrogate through: the spreadsheet reader refuses the file, the Word reader
  // drops the reference; either way nothing ill-formed reaches the database
  it('refuses an XLSX import whose text has a &#xD800; character reference, and writes nothing', async () => {
    const bytes = await patchZip(await writeSummaryDocument(table(), 'xlsx'), 'G&#xD800;');
    const error = await importSummaryTable(ctx(), actor, { bytes, fileName: 'table.xlsx' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ status: 400 });
    expect(await plans()).toBe(0);
  });

  it('keeps only well-formed text of a DOCX import with a &#xD800; character reference', async () => {
    const bytes = await patchZip(await writeSummaryDocument(table(), 'docx'), 'G&#xD800;');
    const preview = await importSummaryTable(ctx(), actor, { bytes, fileName: 'table.docx', dryRun: true });
    const completion = preview.table.chapters[0]!.tasks[0]!.items[1]!.completion;
    expect(completion.isWellFormed()).toBe(true);
    expect(await plans()).toBe(0);
  });

  it('still imports a file whose character references are well-formed', async () => {
    const bytes = await patchZip(await writeSummaryDocument(table(), 'xlsx'), '完成&#x4E86;');
    await importSummaryTable(ctx(), actor, { bytes, fileName: 'table.xlsx', dryRun: true });
  });

  it('refuses ill-formed text in an upload form field, by name, over HTTP', async () => {
    const bytes = await writeSummaryDocument(table(), 'json');
    const body = await multipartBody({ mappings: '{"G\\ud800": {"create": true}}' }, { name: 'table.json', bytes });
    const response = await supervisor.inject({ method: 'POST', url: '/api/imports', ...body });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'invalid_text',
      message: expect.stringContaining('表单字段 mappings.G\ufffd 含有无效的 Unicode 字符'),
    });
    const upload = await multipartBody(
      {},
      { name: 'table.json', bytes: Buffer.from((await writeSummaryDocument(table(), 'json')).toString('utf8').replace(MARK, '\\udfff')) },
    );
    const refused = await supervisor.inject({ method: 'POST', url: '/api/imports/preview', ...upload });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.code).toBe('invalid_text');
    expect(await plans()).toBe(0);
  });
});
