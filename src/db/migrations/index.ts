import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_catalogue.js';

/** Migrations are frozen once released: add a new file, never edit an old one. */
const migrations: Record<string, Migration> = {
  '0001_catalogue': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
