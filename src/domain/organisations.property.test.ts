import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalOrganisationName,
  organisationNameProblem,
  splitOrganisationList,
  splitOrganisationListDetailed,
} from './organisations.js';

// Property-based tests of the unit-list splitter: cells are generated the way offices write them (bracketed parts
// of either width, nested, with separators inside), and the splitter must give back exactly the names written.

const SEPARATORS = ['、', '，', ',', ';', '；', '\n', '\r\n'];
const SEPARATOR_CHARS = new Set(['、', '，', ',', ';', '；', '\n', '\r']);
const OPENERS = ['（', '('];
const CLOSERS = ['）', ')'];

const plainChar = fc.constantFrom(
  ...'市县区委办局府政人民宣传部新闻发展改革粮食储备监管知识产权文明网信教育卫健水务交通集团公司管委会街道中心'.split(''),
);
const plainRun = fc.array(plainChar, { minLength: 1, maxLength: 5 }).map((chars) => chars.join(''));
/** Blanks offices leave inside and around names; they are no part of a name. */
const blank = fc.constantFrom('', '', '', ' ', '  ', '\u3000', '\t', '\u00a0');

/** A bracketed part: either width on each side (mixed widths pair too), separators and nested brackets inside. */
const bracketed: fc.Arbitrary<string> = fc.letrec<{ group: string }>((tie) => ({
  group: fc
    .tuple(
      fc.constantFrom(...OPENERS),
      fc.array(
        fc.oneof(
          { weight: 4, arbitrary: plainRun },
          { weight: 2, arbitrary: fc.constantFrom(...SEPARATORS) },
          { weight: 1, arbitrary: tie('group') },
        ),
        {
          minLength: 1,
          maxLength: 4,
          depthIdentifier: 'group',
        },
      ),
      fc.constantFrom(...CLOSERS),
    )
    .map(([open, parts, close]) => `${open}${parts.join('')}${close}`),
})).group;

/** A name the register accepts: it starts with text, may carry bracketed parts, and ends in anything but 等. */
const unitName = fc
  .tuple(plainRun, fc.array(fc.oneof(plainRun, bracketed), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.join(''))
  .filter((name) => organisationNameProblem(canonicalOrganisationName(name)) === undefined);

/** The name as written: blanks sprinkled anywhere in it. */
const writtenAs = (name: string) =>
  fc
    .array(blank, { minLength: name.length + 1, maxLength: name.length + 1 })
    .map((blanks) => [...name].map((char, i) => blanks[i] + char).join('') + blanks.at(-1));

const cell = fc.array(unitName, { minLength: 1, maxLength: 5 }).chain((names) =>
  fc
    .tuple(
      fc.tuple(...names.map(writtenAs)),
      fc.array(fc.tuple(blank, fc.constantFrom(...SEPARATORS), blank), { minLength: names.length - 1, maxLength: names.length - 1 }),
    )
    .map(([written, separators]) => ({
      names: names.map(canonicalOrganisationName),
      text: written.map((name, i) => (i === 0 ? name : separators[i - 1]!.join('') + name)).join(''),
    })),
);

const nonBlank = (text: string) => [...text].filter((char) => !/\s/.test(char));

/** What is in `from` and not in `taken`, counting repeats. */
function missing(from: string[], taken: string[]): string[] {
  const counts = new Map<string, number>();
  for (const char of taken) counts.set(char, (counts.get(char) ?? 0) + 1);
  return from.filter((char) => {
    const count = counts.get(char) ?? 0;
    if (count === 0) return true;
    counts.set(char, count - 1);
    return false;
  });
}

function isSubsequence(short: string[], long: string[]): boolean {
  let position = 0;
  for (const char of long) if (char === short[position]) position++;
  return position === short.length;
}

describe('splitOrganisationList, for any cell of bracketed names', () => {
  it('gives back exactly the names written, in order, with no problem', () => {
    fc.assert(
      fc.property(cell, ({ names, text }) => {
        const result = splitOrganisationListDetailed(text);
        expect(result.names).toEqual(names);
        expect(result.problems).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('gives back a name the register accepts unchanged, alone or among others', () => {
    fc.assert(
      fc.property(unitName, cell, fc.nat(), (name, { names, text }, at) => {
        const canonical = canonicalOrganisationName(name);
        expect(splitOrganisationList(name)).toEqual([canonical]);
        const position = at % (names.length + 1);
        const list = position === 0 ? `${name}、${text}` : position === names.length ? `${text}\n${name}` : undefined;
        if (list) expect(splitOrganisationList(list)).toEqual(position === 0 ? [canonical, ...names] : [...names, canonical]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitOrganisationList, for a cell with an unpaired bracket', () => {
  const unpaired = fc.tuple(cell, fc.constantFrom(...OPENERS, ...CLOSERS), fc.nat()).map(([{ text }, bracket, at]) => {
    const position = at % (text.length + 1);
    return text.slice(0, position) + bracket + text.slice(position);
  });

  it('reports a problem, and keeps every character but separators, in order', () => {
    fc.assert(
      fc.property(unpaired, (text) => {
        const result = splitOrganisationListDetailed(text);
        expect(result.problems.length).toBeGreaterThan(0);
        const kept = nonBlank(result.names.join(''));
        expect(missing(nonBlank(text), kept).every((char) => SEPARATOR_CHARS.has(char))).toBe(true);
        expect(isSubsequence(kept, nonBlank(text))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('names each unpaired bracket at its place in the cell', () => {
    fc.assert(
      fc.property(unpaired, (text) => {
        for (const problem of splitOrganisationListDetailed(text).problems) {
          expect(text[problem.position]).toBe(problem.bracket);
          expect(problem.message).toContain(problem.bracket);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('splitOrganisationList, for any text at all', () => {
  const anyText = fc
    .array(fc.constantFrom(...'甲乙局委等（()）、，,;；\n \u3000'.split('')), { maxLength: 30 })
    .map((chars) => chars.join(''));

  it('invents nothing, and loses only separators, brackets around a whole name and a closing 等 unless it reports a problem', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = splitOrganisationListDetailed(text);
        const kept = nonBlank(result.names.join(''));
        expect(isSubsequence(kept, nonBlank(text))).toBe(true);
        expect(result.names.every((name) => name !== '' && !/\s/.test(name))).toBe(true);
        if (result.problems.length === 0) {
          const lost = missing(nonBlank(text), kept);
          expect(lost.every((char) => SEPARATOR_CHARS.has(char) || '（()）等'.includes(char))).toBe(true);
          // with every bracket paired, no name can hold half a pair
          for (const name of result.names) expect(splitOrganisationListDetailed(name).problems).toEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts into the register only names that the splitter gives back whole', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const name = canonicalOrganisationName(text);
        if (organisationNameProblem(name) === undefined) expect(splitOrganisationList(`${name}、${name}`)).toEqual([name, name]);
      }),
      { numRuns: 1000 },
    );
  });
});
