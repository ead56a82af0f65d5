// The write baseline: single-row durable commits, as fast as the database and disk take them, for a bounded time.
// SQLite: better-sqlite3 on a file beside the measured database, WAL and synchronous=FULL as luoshi opens it; one
// connection, as luoshi has, so concurrency cannot add to it. PostgreSQL: `connections` concurrent writers over a
// pool of at most 16 clients (a shared server has about 100 connections; luoshi's pool is 10), each commit one INSERT
// in autocommit. Prints {commits, seconds, rate, p99Ms} as JSON.
import { createRequire } from 'node:module';

const [kind, location, connectionsText, secondsText] = process.argv.slice(2);
const connections = Number(connectionsText);
const seconds = Number(secondsText);
const latencies = [];
const p99 = () => {
  latencies.sort((a, b) => a - b);
  return latencies[Math.floor(latencies.length * 0.99)] ?? 0;
};
const payload = 'x'.repeat(200);

if (kind === 'sqlite') {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(location);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table if not exists bare_commits (id integer primary key, at text not null, body text not null)');
  const insert = db.prepare('insert into bare_commits (at, body) values (?, ?)');
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < end) {
    const begun = performance.now();
    insert.run(new Date().toISOString(), payload);
    latencies.push(performance.now() - begun);
  }
  const elapsed = (performance.now() - started) / 1000;
  db.close();
  process.stdout.write(JSON.stringify({ commits: latencies.length, seconds: elapsed, rate: latencies.length / elapsed, p99Ms: p99() }));
} else {
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: location, max: Math.min(connections, 16) });
  await pool.query('create table if not exists bare_commits (id bigserial primary key, at text not null, body text not null)');
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < end) {
      const begun = performance.now();
      await pool.query('insert into bare_commits (at, body) values ($1, $2)', [new Date().toISOString(), payload]);
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.query('drop table bare_commits');
  await pool.end();
  process.stdout.write(JSON.stringify({ commits: latencies.length, seconds: elapsed, rate: latencies.length / elapsed, p99Ms: p99() }));
}
