import { describe, expect, it } from 'vitest';
import { chapterNumeralValue, toChapterNumeral } from './numerals.js';

describe('chapter numerals', () => {
  it.each([
    ['一', 1],
    ['九', 9],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十三', 23],
  ])('%s is %i and back', (numeral, value) => {
    expect(chapterNumeralValue(numeral)).toBe(value);
    expect(toChapterNumeral(value)).toBe(numeral);
  });

  it('gives 0 for text that is not a numeral', () => {
    expect(chapterNumeralValue('甲')).toBe(0);
  });
});
