import type { Static } from 'typebox';
import type { ImportSummary } from '../../../services/import.js';
import type { ImportPreview } from './schemas.js';

export function presentImport(summary: ImportSummary): Static<typeof ImportPreview> {
  const { dryRun: _dryRun, resolutions: _resolutions, ...rest } = summary;
  return rest;
}
