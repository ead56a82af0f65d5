/**
 * Evidence files of a report: what may be uploaded, stored once by checksum, scanned through the configured hook,
 * kept with the versions they were submitted with, and shown outside the unit only as part of what left it.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSummaryTable } from '../factories/summary-table.js';
import { auditedWrite, buildTestApp, signInAs, type Session } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { externalEntity, minimalOfd, underDeclared, withPart, withZeros } from '../helpers/hostile-files.js';
import { multipartBody } from '../helpers/multipart.js';
import { writeSummaryDocument } from '../../src/documents/index.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';

const PDF = Buffer.from('%PDF-1.4\n% 佐证材料\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
/** A PNG's signature and its closing IEND chunk: what the upload checks of an image. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
/** The scanner hook: a command that fails any file containing the test signature. */
const SCANNER = ['sh', '-c', 'if grep -q LUOSHI-TEST-VIRUS; then exit 1; else exit 0; fi'];

describeEachDatabase('evidence files of a report', (database) => {
  let app: FastifyInstance;
  let reporter: Session;
  let leader: Session;
  let leadUnit: Session;
  let reportId = 0;
  let housingId = 0;
  let itemId = 0;
  const audited = (write: () => Promise<LightMyRequestResponse>, status = 200) => auditedWrite(database().db, write, status);
  const upload = async (session: Session, name: string, bytes: Uint8Array, status = 200) =>
    audited(
      async () =>
        session.inject({ method: 'POST', url: `/api/reports/${reportId}/attachments`, ...(await multipartBody({}, { name, bytes })) }),
      status,
    );

  beforeAll(async () => {
    const db = database().db;
    const table = buildSummaryTable();
    for (const chapter of table.chapters) for (const task of chapter.tasks) for (const item of task.items) item.completion = '';
    await importSummaryTable(
      createServiceContext(db),
      { id: 'test', source: 'test' },
      { bytes: await writeSummaryDocument(table, 'json'), fileName: 'plan.json' },
    );
    app = await buildTestApp(db, {
      now: () => new Date('2030-12-20T02:00:00Z'),
      config: { maxUploadBytes: 64 * 1024, virusScanCommand: SCANNER },
    });
    reporter = await signInAs(app, db, 'unit_reporter', '市住建局');
    leader = await signInAs(app, db, 'unit_leader', '市住建局');
    leadUnit = await signInAs(app, db, 'unit_reporter', '市水务局');
    housingId = (await db.selectFrom('organisations').select('id').where('name', '=', '市住建局').executeTakeFirstOrThrow()).id;
    itemId = (
      await db.selectFrom('items').select('id').where('work', '=', '推进城区雨污分流改造，新建管网12公里。').executeTakeFirstOrThrow()
    ).id;
    const draft = await reporter.inject({
      method: 'PUT',
      url: `/api/items/${itemId}/reports/${housingId}/2030-Y`,
      payload: {
        content: { progress: '完成道路开挖审批3项。', problems: '', nextSteps: '', status: '已完成', figures: [] },
        baseRevision: 0,
      },
    });
    reportId = draft.json().id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes a PDF, checks it with the scanner, and stores it with its checksum; one audit entry', async () => {
    const { response, entries } = await upload(reporter, '审批文件.pdf', PDF);
    expect(response.attachments).toEqual([
      expect.objectContaining({
        fileName: '审批文件.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        scanState: 'clean',
        scanLabel: '已通过病毒扫描',
      }),
    ]);
    expect(response.attachments[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entries).toEqual([expect.objectContaining({ action: 'report.attach', object_type: 'attachment' })]);
    const download = await reporter.inject({ method: 'GET', url: `/api/reports/${reportId}/attachments/${response.attachments[0].id}` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(encodeURIComponent('审批文件.pdf'));
  });

  it('refuses files it cannot accept, each with its own reason, and stores nothing', async () => {
    const cases: [string, Uint8Array, number, string][] = [
      ['病毒.pdf', Buffer.concat([PDF, Buffer.from('LUOSHI-TEST-VIRUS')]), 422, 'file_infected'],
      ['脚本.exe', Buffer.from('MZ'), 400, 'attachment_type'],
      ['假图片.png', PDF, 400, 'attachment_mismatch'],
      ['空.pdf', Buffer.alloc(0), 400, 'empty_file'],
      ['太大.pdf', Buffer.concat([PDF, Buffer.alloc(70 * 1024)]), 413, 'file_too_large'],
      ['同一份.pdf', PDF, 409, 'attachment_duplicate'],
    ];
    const before = await database().db.selectFrom('attachment_blobs').select('sha256').execute();
    for (const [name, bytes, status, code] of cases) {
      const { response, entries } = await upload(reporter, name, bytes, status);
      expect(response.error.code, name).toBe(code);
      expect(response.error.message, name).toMatch(/[\u4e00-\u9fff]/);
      expect(entries, name).toEqual([]);
    }
    expect(await database().db.selectFrom('attachment_blobs').select('sha256').execute()).toEqual(before);
  });

  it('keeps the files a version was submitted with; another unit sees them only once they left the unit', async () => {
    await upload(reporter, '现场照片.png', PNG);
    const list = async (session: Session) =>
      (await session.inject({ method: 'GET', url: `/api/reports/${reportId}/attachments` }))
        .json()
        .attachments.map((file: { fileName: string }) => file.fileName);
    expect(await list(reporter)).toEqual(['审批文件.pdf', '现场照片.png']);
    expect(await list(leadUnit)).toEqual([]);

    const current = (await reporter.inject({ method: 'GET', url: `/api/items/${itemId}/reports/${housingId}/2030-Y` })).json();
    await reporter.inject({
      method: 'POST',
      url: `/api/reports/${reportId}/events`,
      payload: { event: 'submit', baseRevision: current.revision },
    });
    // submitted: the unit cannot change its files any more
    expect((await upload(reporter, '补充.pdf', Buffer.concat([PDF, Buffer.from('2')]), 409)).response.error.code).toBe(
      'report_wrong_state',
    );
    await leader.inject({
      method: 'POST',
      url: `/api/reports/${reportId}/events`,
      payload: { event: 'reject', baseRevision: current.revision + 1, comment: '照片不清楚，请换一张' },
    });

    const photo = (await reporter.inject({ method: 'GET', url: `/api/reports/${reportId}/attachments` }))
      .json()
      .attachments.find((file: { fileName: string }) => file.fileName === '现场照片.png');
    const removed = await audited(() => reporter.inject({ method: 'DELETE', url: `/api/reports/${reportId}/attachments/${photo.id}` }));
    expect(removed.response.attachments.map((file: { fileName: string }) => file.fileName)).toEqual(['审批文件.pdf']);
    expect(removed.entries).toEqual([expect.objectContaining({ action: 'report.detach' })]);

    const versions = (await reporter.inject({ method: 'GET', url: `/api/reports/${reportId}/versions` })).json().versions;
    expect(
      versions.map(
        (version: { event: string; attachments: { fileName: string }[] }) =>
          `${version.event}: ${version.attachments.map((file) => file.fileName).join('、')}`,
      ),
    ).toEqual(['submit: 审批文件.pdf、现场照片.png', 'reject: 审批文件.pdf、现场照片.png']);
    // downloads follow what the reader sees now: the unit's working copy no longer has the photo
    expect((await reporter.inject({ method: 'GET', url: `/api/reports/${reportId}/attachments/${photo.id}` })).statusCode).toBe(404);

    const resubmitted = (await reporter.inject({ method: 'GET', url: `/api/items/${itemId}/reports/${housingId}/2030-Y` })).json();
    await reporter.inject({
      method: 'POST',
      url: `/api/reports/${reportId}/events`,
      payload: { event: 'submit', baseRevision: resubmitted.revision },
    });
    await leader.inject({
      method: 'POST',
      url: `/api/reports/${reportId}/events`,
      payload: { event: 'approve', baseRevision: resubmitted.revision + 1 },
    });
    expect(await list(leadUnit)).toEqual(['审批文件.pdf']);
    const diff = (
      await reporter.inject({
        method: 'GET',
        url: `/api/reports/${reportId}/diff?from=${versions[0].revision}&to=${resubmitted.revision + 2}`,
      })
    ).json();
    expect(diff.attachments).toEqual({ added: [], removed: ['现场照片.png'] });
  });

  describe('containers and ends checked before a file is kept', () => {
    let hostileApp: FastifyInstance;
    let uploader: Session;
    const DOCX = async () => writeSummaryDocument(buildSummaryTable(), 'docx');
    const XLSX = async () => writeSummaryDocument(buildSummaryTable(), 'xlsx');
    const send = async (name: string, bytes: Uint8Array, status: number) =>
      auditedWrite(
        database().db,
        async () =>
          uploader.inject({
            method: 'POST',
            url: `/api/reports/${hostileReportId}/attachments`,
            ...(await multipartBody({}, { name, bytes })),
          }),
        status,
      );
    let hostileReportId = 0;

    beforeAll(async () => {
      // room for the real documents and the bombs, which deflate a thousandfold
      hostileApp = await buildTestApp(database().db, {
        now: () => new Date('2030-12-20T02:00:00Z'),
        config: { maxUploadBytes: 4 * 1024 * 1024 },
      });
      uploader = await signInAs(hostileApp, database().db, 'unit_reporter', '市水务局');
      const waterId = (
        await database().db.selectFrom('organisations').select('id').where('name', '=', '市水务局').executeTakeFirstOrThrow()
      ).id;
      const draft = await uploader.inject({
        method: 'PUT',
        url: `/api/items/${itemId}/reports/${waterId}/2030-Y`,
        payload: { content: { progress: '管网建设进展。', problems: '', nextSteps: '', status: '序时推进', figures: [] }, baseRevision: 0 },
      });
      hostileReportId = draft.json().id;
    });
    afterAll(async () => {
      await hostileApp?.close();
    });

    it('refuses zip bombs, DTDs, truncated and incomplete files with a Chinese reason, and stores nothing', async () => {
      const docx = await DOCX();
      const xlsx = await XLSX();
      const docxBomb = await withZeros(docx, 60);
      const cases: [string, Uint8Array, string, RegExp][] = [
        ['炸弹.docx', docxBomb, 'zip_entry_too_large', /炸弹.docx.*Word 文档.*60 MB.*压缩炸弹/],
        ['炸弹.xlsx', await withZeros(xlsx, 60, 'xl/media/image1.png'), 'zip_entry_too_large', /Excel 工作簿.*压缩炸弹/],
        ['谎报大小.docx', underDeclared(docxBomb, 'docProps/thumbnail.jpeg'), 'zip_entry_too_large', /声明的大小.*压缩炸弹/],
        ['外部实体.docx', await withPart(docx, 'word/document.xml', externalEntity), 'hostile_xml', /DOCTYPE\/ENTITY/],
        ['外部实体.xlsx', await withPart(xlsx, 'xl/workbook.xml', externalEntity), 'hostile_xml', /xl\/workbook.xml/],
        ['截断.docx', docx.subarray(0, Math.floor(docx.length / 2)), 'zip_corrupt', /不完整或已损坏/],
        ['截断.xlsx', xlsx.subarray(0, xlsx.length - 30), 'zip_corrupt', /不完整或已损坏/],
        ['不是文档.docx', await withPart(new Uint8Array(await minimalOfd()), 'readme.txt', 'x'), 'zip_entry_missing', /word\/document.xml/],
        ['外部实体.ofd', await withPart(await minimalOfd(), 'Doc_0/Document.xml', externalEntity), 'hostile_xml', /OFD/],
        ['炸弹.ofd', await withZeros(await minimalOfd(), 60, 'Doc_0/Res/image.png'), 'zip_entry_too_large', /OFD 版式文件.*压缩炸弹/],
        ['截断.pdf', PDF.subarray(0, PDF.length - 8), 'attachment_truncated', /不完整.*PDF/],
        ['截断.png', PNG.subarray(0, PNG.length - 12), 'attachment_truncated', /PNG/],
        ['截断.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]), 'attachment_truncated', /JPEG/],
      ];
      const before = await database().db.selectFrom('attachment_blobs').select('sha256').execute();
      for (const [name, bytes, code, message] of cases) {
        const { response, entries } = await send(name, bytes, 400);
        expect(response.error.code, name).toBe(code);
        expect(response.error.message, name).toMatch(message);
        expect(entries, name).toEqual([]);
      }
      expect(await database().db.selectFrom('attachment_blobs').select('sha256').execute()).toEqual(before);
      const listed = (await uploader.inject({ method: 'GET', url: `/api/reports/${hostileReportId}/attachments` })).json().attachments;
      expect(listed).toEqual([]);
      // the server answers on while and after it refused them
      expect((await hostileApp.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    });

    it('takes real Word, Excel, OFD and JPEG files', async () => {
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
      for (const [name, bytes] of [
        ['总结.docx', await DOCX()],
        ['台账.xlsx', await XLSX()],
        ['批复.ofd', await minimalOfd()],
        ['照片.jpg', jpeg],
      ] as const) {
        const { response, entries } = await send(name, bytes, 200);
        expect(
          response.attachments.map((file: { fileName: string }) => file.fileName),
          name,
        ).toContain(name);
        expect(entries, name).toEqual([expect.objectContaining({ action: 'report.attach' })]);
      }
    });
  });
});
