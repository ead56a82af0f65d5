import { findApiTokenNames, findUserNames } from '../db/repositories/accounts.js';
import type { Executor } from '../db/schema.js';

/**
 * The people and integrations behind actor ids (`user:17`, `token:3`, `cli`, `system:demo`), as they are named now:
 * the audit trail, report versions and assignments keep ids, which stay true when someone is renamed, and readers
 * want names. One lookup for all of them, in chunks that stay below both dialects' bound-parameter limits.
 */

interface Known {
  user: Map<number, { displayName: string; username: string }>;
  token: Map<number, string>;
}

/** Ids of `kind:N` actors, e.g. the 17 of user:17; `system:demo` and the like are not ids. */
function idsOf(actors: Iterable<string>, kind: 'user' | 'token'): number[] {
  const ids = new Set<number>();
  for (const actor of actors) {
    const match = new RegExp(`^${kind}:(\\d+)$`).exec(actor);
    if (match) ids.add(Number(match[1]));
  }
  return [...ids];
}

export interface ActorNames {
  /** for records of who did what: 王五（wang.wu） for a person, the token's name, else the id itself */
  full(actor: string): string;
  /** for colleagues reading a report: 王五, 接口：数据中台, 命令行, 系统, else the id itself */
  short(actor: string): string;
}

/** The names of a set of actors, looked up together: one query for the users among them and one for the tokens. */
export async function lookUpActors(db: Executor, actors: Iterable<string>): Promise<ActorNames> {
  const list = [...new Set(actors)];
  const known: Known = { user: new Map(), token: new Map() };
  for (const user of await findUserNames(db, idsOf(list, 'user'))) {
    known.user.set(user.id, { displayName: user.display_name, username: user.username });
  }
  for (const token of await findApiTokenNames(db, idsOf(list, 'token'))) {
    known.token.set(token.id, token.name);
  }
  const parts = (actor: string) => {
    const match = /^(user|token):(\d+)$/.exec(actor);
    if (!match) return undefined;
    return match[1] === 'user' ? { user: known.user.get(Number(match[2])) } : { token: known.token.get(Number(match[2])) };
  };
  return {
    full(actor) {
      const found = parts(actor);
      if (found?.user)
        return found.user.displayName === found.user.username ? found.user.username : `${found.user.displayName}（${found.user.username}）`;
      if (found?.token) return found.token;
      return actor;
    },
    short(actor) {
      const found = parts(actor);
      if (found?.user) return found.user.displayName;
      if (found?.token) return `接口：${found.token}`;
      if (actor === 'cli') return '命令行';
      if (actor.startsWith('system')) return '系统';
      return actor;
    },
  };
}
