const DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The value of a chapter numeral such as 一, 十二, 二十三; 0 when it is not one. */
export function chapterNumeralValue(numeral: string): number {
  if (/^\d+$/.test(numeral)) return Number(numeral);
  let total = 0;
  let current = 0;
  for (const char of numeral) {
    if (char === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else if (char === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else if (char in DIGITS) {
      current = DIGITS[char]!;
    } else {
      return 0;
    }
  }
  return total + current;
}

const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 23 → 二十三 (up to 99). */
export function toChapterNumeral(value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 99) throw new RangeError(`chapter number ${value} out of range`);
  const tens = Math.floor(value / 10);
  const ones = value % 10;
  return `${tens === 0 ? '' : tens === 1 ? '十' : `${NUMERALS[tens]}十`}${NUMERALS[ones]}`;
}
