import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_catalogue.js';
import * as m0002 from './0002_accounts.js';
import * as m0003 from './0003_organisation_register.js';
import * as m0004 from './0004_reporting.js';
import * as m0005 from './0005_import_column_mappings.js';
import * as m0006 from './0006_structure_revision.js';
import * as m0007 from './0007_report_revisions.js';
import * as m0008 from './0008_supervision.js';

/** Migrations are frozen once released: add a new file, never edit an old one. */
const migrations: Record<string, Migration> = {
  '0001_catalogue': m0001,
  '0002_accounts': m0002,
  '0003_organisation_register': m0003,
  '0004_reporting': m0004,
  '0005_import_column_mappings': m0005,
  '0006_structure_revision': m0006,
  '0007_report_revisions': m0007,
  '0008_supervision': m0008,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
