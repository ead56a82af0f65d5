import type { ImportPreview } from '../../../contract/imports.js';
import type { ImportSummary } from '../../../services/import.js';

export function presentImport(summary: ImportSummary): ImportPreview {
  const { dryRun: _dryRun, resolutions: _resolutions, ...rest } = summary;
  return rest;
}
