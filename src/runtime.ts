import type { Config } from './config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from './db/connect.js';
import type { Db } from './db/schema.js';
import { createServiceContext, importOptions, scannerOf, type DocumentWriter, type ServiceContext } from './services/context.js';

/**
 * config → database → service context: the one wiring used by the server, every CLI command, the benchmark and the
 * tests, so that a setting means the same thing wherever luoshi runs.
 */
export interface Runtime {
  config: Config;
  database: DatabaseHandle;
  db: Db;
  ctx: ServiceContext;
  /** closes what the runtime opened (worker pools, the database), once */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  now?: () => Date;
  /** bring the schema up to date on open (default true) */
  migrate?: boolean;
  /** writes export documents; the default writes inline on the calling thread */
  writeDocument?: DocumentWriter;
}

/** The service context for a database under a configuration: parsing in capped workers, the configured scanner. */
export function contextFor(db: Db, config: Config, options: Pick<RuntimeOptions, 'now' | 'writeDocument'> = {}): ServiceContext {
  return createServiceContext(db, options.now, {
    ...importOptions(config),
    scanFile: scannerOf(config),
    writeDocument: options.writeDocument,
  });
}

/** Opens the configured database (migrated unless told otherwise) and the services over it. */
export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const database = connectDatabase(config.databaseUrl);
  try {
    if (options.migrate !== false) await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    config,
    database,
    db: database.db,
    ctx: contextFor(database.db, config, options),
    close: () => (closed ??= database.close()),
  };
}
