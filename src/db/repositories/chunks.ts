/** Below both dialects' limits on bound parameters (SQLite's 32,766, pg's 65,535 over all placeholders). */
const CHUNK = 500;

/**
 * Runs a lookup by ids once per chunk of distinct ids and concatenates the rows, so that a long list never exceeds
 * a dialect's limit on bound parameters.
 */
export async function inChunks<T>(ids: Iterable<number>, lookup: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const rows: T[] = [];
  for (let index = 0; index < unique.length; index += CHUNK) rows.push(...(await lookup(unique.slice(index, index + CHUNK))));
  return rows;
}
