import type { CompiledQuery, Compilable, QueryResult } from 'kysely';
import type { Executor } from './schema.js';

/**
 * Queries built and compiled once, then run with new values: on the paths every request takes (the session, the
 * revisions of a kept answer, a report's submission) Kysely's building and compiling cost several times what SQLite
 * spends running the statement.
 *
 * The query is built once with a stand-in for each named value (`values.reportId`); the stand-ins must come out of
 * the compiler as bound parameters, which is checked on first use: a value Kysely would inline or drop (a literal,
 * `undefined` in an insert) cannot be one, and neither can a value the query's shape depends on. One compiled form
 * per dialect: a transaction shares its database's adapter, so both find the same one.
 */
const STAND_IN = Symbol('prepared query value');

interface StandIn {
  readonly [STAND_IN]: string;
}

function standInName(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && STAND_IN in value ? (value as StandIn)[STAND_IN] : undefined;
}

export type PreparedQuery<V extends object, R> = (db: Executor, values: V) => Promise<QueryResult<R>>;

export function preparedQuery<V extends object, R>(build: (db: Executor, values: V) => Compilable<R>): PreparedQuery<V, R> {
  const compiled = new WeakMap<object, CompiledQuery<R>>();
  const compile = (db: Executor): CompiledQuery<R> => {
    const asked = new Set<string>();
    const standIns = new Proxy({} as V, {
      get: (_, name) => {
        asked.add(String(name));
        return { [STAND_IN]: String(name) } as StandIn;
      },
    });
    const query = build(db, standIns).compile();
    const bound = new Set(query.parameters.map(standInName));
    const unbound = [...asked].filter((name) => !bound.has(name));
    if (unbound.length > 0) throw new Error(`prepared query: ${unbound.join(', ')} not bound as parameters in: ${query.sql}`);
    return query;
  };
  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      query = compile(db);
      compiled.set(adapter, query);
    }
    const parameters = query.parameters.map((parameter) => {
      const name = standInName(parameter);
      return name === undefined ? parameter : (values as Record<string, unknown>)[name];
    });
    return db.executeQuery<R>({ ...query, parameters });
  };
}
