import type { FastifyReply } from 'fastify';

/** RFC 6266/5987: an ASCII fallback plus the UTF-8 name, so Chinese file names survive every browser. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Answers with a file to download under its own name. */
export function sendFile(reply: FastifyReply, file: { fileName: string; contentType: string; bytes: Buffer }) {
  return reply.header('content-type', file.contentType).header('content-disposition', contentDisposition(file.fileName)).send(file.bytes);
}
