import { describe, expect, it } from 'vitest';
import { BoundedCache, deepFreeze, estimateBytes } from './cache.js';

describe('the bounded cache', () => {
  it('keeps at most its number of entries, dropping the least recently used first', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2, maxBytes: 1_000 });
    cache.set('a', 1, 10);
    cache.set('b', 2, 10);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, 10);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('keeps at most its bytes, and does not keep an entry larger than the whole budget', () => {
    const cache = new BoundedCache<string, string>({ maxEntries: 100, maxBytes: 100 });
    cache.set('a', 'x', 40);
    cache.set('b', 'y', 40);
    cache.set('c', 'z', 40);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.sizeInBytes).toBe(80);
    cache.set('huge', 'w', 101);
    expect(cache.get('huge')).toBeUndefined();
    expect([cache.get('b'), cache.get('c')]).toEqual(['y', 'z']);
  });

  it('replaces an entry under the same key and counts its bytes once', () => {
    const cache = new BoundedCache<number, string>({ maxEntries: 10, maxBytes: 100 });
    cache.set(1, 'old', 60);
    cache.set(1, 'new', 70);
    expect(cache.get(1)).toBe('new');
    expect(cache.sizeInBytes).toBe(70);
    cache.delete(1);
    expect(cache.size).toBe(0);
    expect(cache.sizeInBytes).toBe(0);
  });
});

describe('cached values', () => {
  it('are frozen all the way down, so that no reader changes what the next one is served', () => {
    const value = deepFreeze({ chapters: [{ tasks: [{ items: [{ work: '治水' }] }] }], byId: new Map([[1, { name: '市水务局' }]]) });
    expect(() => {
      (value.chapters[0]!.tasks[0]!.items as { work: string }[]).push({ work: '另一项' });
    }).toThrow(TypeError);
    expect(() => {
      (value.byId.get(1) as { name: string }).name = '改名';
    }).toThrow(TypeError);
  });

  it('are sized by their strings and numbers', () => {
    expect(estimateBytes('市水务局')).toBeGreaterThan(estimateBytes('市'));
    expect(estimateBytes({ items: ['a'.repeat(1000)] })).toBeGreaterThan(2000);
  });
});
