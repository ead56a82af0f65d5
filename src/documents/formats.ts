// The formats luoshi reads and writes, apart from the readers and writers themselves: routes, services and the
// command line name them at start-up, and must not load the Word, Excel and PDF libraries to do so.
import { EXPORT_FORMATS, IMPORT_FORMATS, type ExportFormat, type ImportFormat } from '../contract/vocabulary.js';

export { EXPORT_FORMATS, IMPORT_FORMATS, type ExportFormat, type ImportFormat };

export const EXPORT_MEDIA: Record<ExportFormat, { contentType: string; extension: string }> = {
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
};
