// The formats luoshi reads and writes, apart from the readers and writers themselves: routes, services and the
// command line name them at start-up, and must not load the Word, Excel and PDF libraries to do so.

export const IMPORT_FORMATS = ['text', 'docx', 'xlsx', 'csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['docx', 'xlsx', 'csv', 'json', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MEDIA: Record<ExportFormat, { contentType: string; extension: string }> = {
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
};
