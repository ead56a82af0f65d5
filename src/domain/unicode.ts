// Node 20 has String.prototype.isWellFormed (ES2024); the compiler's library here stops at ES2023
declare global {
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/**
 * Where a string of `value` is not well-formed Unicode (a lone UTF-16 surrogate, as JSON's "\ud800" gives), as a
 * JSON pointer ('' for the value itself); property names count too. Such text cannot be stored as UTF-8: it
 * comes back as garbage in exports, and a second write of it fails in the database.
 */
export function findIllFormedText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findIllFormedText(value[index], `${path}/${index}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [key, child] of Object.entries(value)) {
      // a bad name is reported with U+FFFD in place of its lone surrogates, so the answer itself stays well-formed
      const pointer = `${path}/${key.toWellFormed().replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!key.isWellFormed()) return pointer;
      const found = findIllFormedText(child, pointer);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
