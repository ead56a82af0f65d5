import type { Executor } from '../db/schema.js';

/**
 * In-process caches of what cannot change under them: a plan's structure at a revision number the database bumps on
 * every structural write, and report versions, which are never rewritten once made. Nothing here expires by time:
 * a structure is served only after the current revision has been read from the database, so several server
 * processes on one PostgreSQL each stay right without telling one another anything.
 */

export interface CacheLimits {
  maxEntries: number;
  maxBytes: number;
}

/** Least recently used first out, bounded by both the number of entries and their estimated size. */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly limits: CacheLimits) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // re-inserting moves the entry to the young end of the Map's insertion order
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** An entry larger than the whole budget is not kept, rather than emptying the cache for it. */
  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.limits.maxBytes || this.limits.maxEntries < 1) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeInBytes(): number {
    return this.bytes;
  }
}

/** Two copies of a plan tree for a few plans and years; each city plan's structure is a few MB in memory. */
export const STRUCTURE_CACHE_LIMITS: CacheLimits = { maxEntries: 16, maxBytes: 64 * 1024 * 1024 };
/** The delivered versions of a few periods of a city-scale plan. */
export const VERSION_CACHE_LIMITS: CacheLimits = { maxEntries: 50_000, maxBytes: 64 * 1024 * 1024 };

export interface ReadCaches {
  structures: BoundedCache<number, unknown>;
  versions: BoundedCache<number, unknown>;
}

const cachesByDatabase = new WeakMap<object, ReadCaches>();

/**
 * The caches of one database connection (pool), or none inside a transaction: what a transaction reads may roll
 * back, so it must never be served to anyone else.
 */
export function readCachesOf(db: Executor): ReadCaches | undefined {
  if (db.isTransaction) return undefined;
  let caches = cachesByDatabase.get(db);
  if (!caches) {
    caches = { structures: new BoundedCache(STRUCTURE_CACHE_LIMITS), versions: new BoundedCache(VERSION_CACHE_LIMITS) };
    cachesByDatabase.set(db, caches);
  }
  return caches;
}

/** A rough size in memory of a value of strings and numbers: UTF-16 strings, eight bytes a number, some overhead. */
export function estimateBytes(value: unknown): number {
  if (typeof value === 'string') return 16 + value.length * 2;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return 8;
  if (value instanceof Map) {
    let bytes = 64;
    for (const [key, entry] of value) bytes += estimateBytes(key) + estimateBytes(entry);
    return bytes;
  }
  if (value instanceof Set) {
    let bytes = 64;
    for (const entry of value) bytes += estimateBytes(entry);
    return bytes;
  }
  if (Array.isArray(value)) return value.reduce((bytes: number, entry) => bytes + estimateBytes(entry), 32);
  if (typeof value === 'object') {
    let bytes = 32;
    for (const [key, entry] of Object.entries(value)) bytes += key.length * 2 + estimateBytes(entry);
    return bytes;
  }
  return 8;
}

/** Freezes a cached value all the way down, so that no reader can change what the next one is served. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const [key, entry] of value) deepFreeze(key), deepFreeze(entry);
    else if (value instanceof Set) for (const entry of value) deepFreeze(entry);
    else for (const entry of Object.values(value)) deepFreeze(entry);
  }
  return value;
}
