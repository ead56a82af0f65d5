import { fileClock } from './clock.js';
import { databaseOptions, type Config } from './config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from './db/connect.js';
import type { Db } from './db/schema.js';
import { defaultPdfFonts, type PdfFontCandidates } from './documents/pdf-fonts.js';
import type { ExportPool } from './documents/pool.js';
import {
  createServiceContext,
  importOptions,
  inlineSupervisionWriter,
  inlineWriter,
  scannerOf,
  type DocumentWriter,
  type Outbound,
  type ServiceContext,
  type SupervisionWriter,
} from './services/context.js';

/**
 * config → database → service context: the one wiring used by the server, every CLI command, the benchmark and the
 * tests, so that a setting means the same thing wherever luoshi runs.
 */
export interface Runtime {
  config: Config;
  database: DatabaseHandle;
  db: Db;
  ctx: ServiceContext;
  /** the pool writing this runtime's exports, when asked for (exportPool) */
  exportPool?: ExportPool;
  /** closes what the runtime opened (worker pools, the database), once */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** the clock; without it, the file named by LUOSHI_CLOCK_FILE when set, else the system's */
  now?: () => Date;
  /** bring the schema up to date on open (default true) */
  migrate?: boolean;
  /** writes export documents; the default writes inline on the calling thread */
  writeDocument?: DocumentWriter;
  /**
   * Write exports in a pool of worker threads (what the server wants: a city-wide export would otherwise hold the
   * event loop for seconds). The pool starts on the first export and ends with close(). Ignored with writeDocument.
   */
  exportPool?: boolean;
}

/** The PDF fonts a configuration gives: its LUOSHI_PDF_FONT first, then the system's and the bundled Noto CJK. */
export function pdfFontsOf(config: Pick<Config, 'pdfFont'>): PdfFontCandidates {
  return defaultPdfFonts(config.pdfFont);
}

/**
 * The export pool sized by the configuration. Its module (and piscina) loads on the first export, so that commands
 * that export nothing do not pay for it.
 */
export function exportPoolFor(config: Config): ExportPool {
  let pool: Promise<ExportPool> | undefined;
  let created: ExportPool | undefined;
  const open = () =>
    (pool ??= import('./documents/pool.js').then(({ createExportPool }) => {
      created = createExportPool({
        workers: config.exportWorkers,
        maxQueue: config.exportMaxQueue,
        timeoutMs: config.exportTimeoutMs,
        maxMemoryMb: config.exportMaxMemoryMb,
        fonts: pdfFontsOf(config),
      });
      return created;
    }));
  return {
    run: async (request) => (await open()).run(request),
    write: async (request) => (await open()).write(request),
    get pending() {
      return created?.pending ?? 0;
    },
    close: async () => {
      await created?.close();
    },
  };
}

/**
 * Where notifications go under a configuration: e-mail through the configured SMTP server (nodemailer loads with the
 * first message), webhooks behind the SSRF guard with the configured allow-list.
 */
export function outboundFor(config: Config): Outbound {
  let mailer: Promise<import('./delivery/mail.js').Mailer> | undefined;
  const { smtpUrl, mailFrom } = config;
  return {
    mail:
      smtpUrl && mailFrom
        ? {
            send: async (message) => {
              mailer ??= import('./delivery/mail.js').then(({ createMailer }) => createMailer({ url: smtpUrl, from: mailFrom }));
              await (await mailer).send(message);
            },
          }
        : undefined,
    webhook: async (kind, target, message) => {
      const { sendWebhook } = await import('./delivery/webhooks.js');
      await sendWebhook(kind, target, message, { allow: config.webhookAllow });
    },
    checkUrl: async (url) => {
      const { checkWebhookUrl } = await import('./delivery/ssrf.js');
      await checkWebhookUrl(url, config.webhookAllow);
    },
    publicUrl: config.publicUrl,
    maxAttempts: config.deliveryMaxAttempts,
    retryBaseSeconds: config.deliveryRetrySeconds,
    leaseSeconds: config.deliveryLeaseSeconds,
  };
}

/** The service context for a database under a configuration: parsing in capped workers, the configured scanner. */
export function contextFor(
  db: Db,
  config: Config,
  options: Pick<RuntimeOptions, 'now' | 'writeDocument'> & { writeSupervision?: SupervisionWriter } = {},
): ServiceContext {
  return createServiceContext(db, options.now, {
    ...importOptions(config),
    scanFile: scannerOf(config),
    writeDocument: options.writeDocument ?? inlineWriter({ fonts: pdfFontsOf(config) }),
    writeSupervision: options.writeSupervision ?? inlineSupervisionWriter({ fonts: pdfFontsOf(config) }),
    outbound: outboundFor(config),
  });
}

/** Opens the configured database (migrated unless told otherwise) and the services over it. */
export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  // read before the database opens: a clock file gone since the configuration was read is reported first
  const now = options.now ?? (config.clockFile ? fileClock(config.clockFile) : undefined);
  const database = connectDatabase(config.databaseUrl, databaseOptions(config));
  try {
    if (options.migrate !== false) await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  const pool = options.exportPool && !options.writeDocument ? exportPoolFor(config) : undefined;
  let closed: Promise<void> | undefined;
  return {
    config,
    database,
    db: database.db,
    ctx: contextFor(database.db, config, {
      now,
      writeDocument: options.writeDocument ?? pool?.write,
      writeSupervision: pool ? async (request) => (await pool.run(request)).bytes : undefined,
    }),
    exportPool: pool,
    close: () =>
      (closed ??= (async () => {
        try {
          await pool?.close();
        } finally {
          await database.close();
        }
      })()),
  };
}
