/**
 * Organisation names as they are written in task tables, and the rules that turn them into canonical names.
 * See DOMAIN.md, "Organisation names".
 */

import { ORGANISATION_KINDS, type OrganisationKind } from '../contract/vocabulary.js';

export { ORGANISATION_KINDS, type OrganisationKind };

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  city_government: '市政府',
  city_department: '市级部门',
  county_level_government: '县级市（区）政府',
  management_committee: '管委会',
  state_enterprise: '国有企业',
  collective: '统称',
  other: '其他单位',
};

const SPACES = /[\s\u3000\u00a0]+/g;

/** Between units in one cell. Inside brackets they belong to the name: 各县（市、区）人民政府 is one unit. */
const SEPARATORS = new Set(['、', '，', ',', ';', '；', '\n', '\r', '\u2028', '\u2029']);
/** Full and half width pair up with each other: offices mix them (市委宣传部（市新闻办) ). */
const OPENING = new Set(['（', '(']);
const CLOSING = new Set(['）', ')']);

export interface OrganisationListProblem {
  /** The bracket as written and its position in the text given (in UTF-16 units). */
  bracket: string;
  position: number;
  kind: 'unclosed' | 'unopened';
  message: string;
}

export interface OrganisationList {
  names: string[];
  /** Brackets without their other half: the cell was split as if they were plain characters, which may be wrong. */
  problems: OrganisationListProblem[];
}

/**
 * Pairs every bracket with its other half, innermost first. Returns the depth before each character (counting only
 * paired brackets) and the brackets left unpaired, which count as plain characters.
 */
function bracketDepths(text: string): { depths: number[]; unpaired: { position: number; kind: 'unclosed' | 'unopened' }[] } {
  const open: number[] = [];
  const unpaired: { position: number; kind: 'unclosed' | 'unopened' }[] = [];
  const paired = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (OPENING.has(char)) open.push(i);
    else if (CLOSING.has(char)) {
      const opener = open.pop();
      if (opener === undefined) unpaired.push({ position: i, kind: 'unopened' });
      else paired.add(opener).add(i);
    }
  }
  for (const position of open) unpaired.push({ position, kind: 'unclosed' });
  unpaired.sort((a, b) => a.position - b.position);
  const depths: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (paired.has(i) && CLOSING.has(char)) depth--;
    depths.push(depth);
    if (paired.has(i) && OPENING.has(char)) depth++;
  }
  return { depths, unpaired };
}

/** Where the text splits: separators outside every paired bracket. */
function separatorPositions(text: string, depths: number[]): number[] {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) if (depths[i] === 0 && SEPARATORS.has(text[i]!)) positions.push(i);
  return positions;
}

/** `（市发改委）` or `(市发改委、市工信局)`: one pair of brackets around everything, which is no part of any name. */
function unwrap(piece: string): string | undefined {
  if (piece.length < 2 || !OPENING.has(piece[0]!) || !CLOSING.has(piece.at(-1)!)) return undefined;
  const { depths, unpaired } = bracketDepths(piece);
  if (unpaired.length > 0) return undefined;
  // the first bracket closes at the very end only when no character between is back at depth 0
  for (let i = 1; i < piece.length - 1; i++) if (depths[i] === 0) return undefined;
  return piece.slice(1, -1);
}

/** `市工信局等` or `市工信局等有关部门` at the end of a list: "and others" names no unit. */
const OTHERS = /等(?:有关|相关)?(?:部门|单位)?$/;

/** The name without a closing 等 (and others), or the name itself when what would remain is too short to be one. */
function withoutOthers(name: string): string {
  const match = OTHERS.exec(name);
  if (!match) return name;
  const rest = name.slice(0, match.index);
  return [...rest].length >= 2 && bracketDepths(rest).unpaired.length === 0 && !SEPARATORS.has(rest.at(-1)!) ? rest : name;
}

function splitInto(text: string, names: string[], unwrapping: boolean): void {
  const { depths } = bracketDepths(text);
  let start = 0;
  for (const end of [...separatorPositions(text, depths), text.length]) {
    const piece = text.slice(start, end);
    start = end + 1;
    if (piece === '') continue;
    const inner = unwrapping ? unwrap(piece) : undefined;
    if (inner === undefined) names.push(piece.replace(SPACES, ''));
    else splitInto(inner, names, true);
  }
}

/**
 * Splits a cell such as `市发改委、市工信局，各县（市、区）人民政府, 昆山市政府` into names, in order, without blanks,
 * and says which brackets have no other half. Separators inside paired brackets belong to the name; an unpaired
 * bracket is kept as written (no text is dropped) and reported, since where the name ends is then a guess. A list
 * ending in 等 (and others) names no unit by it.
 */
export function splitOrganisationListDetailed(raw: string): OrganisationList {
  const { unpaired } = bracketDepths(raw);
  const problems = unpaired.map(({ position, kind }): OrganisationListProblem => {
    const bracket = raw[position]!;
    const other = kind === 'unclosed' ? (bracket === '(' ? ')' : '）') : bracket === ')' ? '(' : '（';
    const context = raw.slice(Math.max(0, position - 8), position + 9).replace(SPACES, '');
    return {
      bracket,
      position,
      kind,
      message:
        kind === 'unclosed'
          ? `“${context}”中的“${bracket}”没有对应的“${other}”：已按括号外的分隔符拆分单位，请核对。`
          : `“${context}”中的“${bracket}”前面没有对应的“${other}”：已按括号外的分隔符拆分单位，请核对。`,
    };
  });
  // blanks are no part of a name (市 发改委 is 市发改委), but line breaks separate, so only other blanks go first
  const names: string[] = [];
  // with a bracket unpaired, which pair is which is a guess: no bracket is dropped on it
  splitInto(raw.replace(/[^\S\n\r\u2028\u2029]+/g, ''), names, problems.length === 0);
  if (names.length > 0) names[names.length - 1] = withoutOthers(names.at(-1)!);
  return { names: names.filter((name) => name !== ''), problems };
}

/** The names of a cell, for callers that need no word about unpaired brackets (the import reports them). */
export function splitOrganisationList(raw: string): string[] {
  return splitOrganisationListDetailed(raw).names;
}

/**
 * The first unit of a cell and the text after it, for a single 责任单位 column whose first unit leads: the split
 * is the list's own, so a bracketed name such as 各县（市、区）人民政府 stays whole.
 */
export function splitFirstOrganisation(raw: string): { first: string; rest: string } {
  const text = raw.trim();
  const { depths } = bracketDepths(text);
  const at = separatorPositions(text, depths).find((position) => position > 0);
  return at === undefined ? { first: text, rest: '' } : { first: text.slice(0, at).trim(), rest: text.slice(at + 1).trim() };
}

/** A name as the register keeps it: without any blank, since tables write 市 发改委 and 市发改委 alike. */
export function canonicalOrganisationName(raw: string): string {
  return raw.replace(SPACES, '');
}

export const ORGANISATION_NAME_MAX = 60;

/**
 * Why a name cannot be a unit's name or alias in the register, or undefined when it can. The rule is the list
 * splitter's own: a name is accepted only when a table cell holding it, alone or among others, gives it back
 * whole. So a separator may stand inside brackets (各县（市、区）人民政府) but not outside them, and brackets must pair.
 */
export function organisationNameProblem(name: string): string | undefined {
  if (name === '') return '单位名称不能为空。';
  if ([...name].length > ORGANISATION_NAME_MAX) return `单位名称不能超过 ${ORGANISATION_NAME_MAX} 个字。`;
  if (/[\u0000-\u001f<>]/.test(name)) return `单位名称“${name}”含有不允许的字符。`;
  const { depths, unpaired } = bracketDepths(name);
  if (unpaired.length > 0) {
    const bracket = name[unpaired[0]!.position]!;
    return `单位名称“${name}”中的括号“${bracket}”不成对，请补全或去掉。`;
  }
  const separator = separatorPositions(name, depths)[0];
  if (separator !== undefined) return `单位名称“${name}”含有分隔符“${name[separator]}”：表格中以此分隔多个单位，请去掉，或写在括号内。`;
  if (OPENING.has(name[0]!)) return `单位名称“${name}”不能以括号开头。`;
  if (withoutOthers(name) !== name) return `单位名称“${name}”以“等”结尾：表格中“等”表示还有其他单位，不是单位名称的一部分，请去掉。`;
  return undefined;
}

/**
 * True when the name carries the city prefix 市. 市场监管局 is the market regulator (市场 = market), so a leading
 * 市场 is not the prefix; the city's market regulator is 市市场监管局.
 */
export function hasCityPrefix(name: string): boolean {
  return name.startsWith('市') && (!name.startsWith('市场') || name.startsWith('市市场'));
}

/** A place name inside the name (昆山市…, 吴江区…, …县…) makes it a local body, not a bare city department. */
function namesAPlace(name: string): boolean {
  return /[市区县镇乡街]/.test(name.replace(/市场/g, ''));
}

const DEPARTMENT_ENDING = /(局|委|委员会|办|办公室|厅|署|中心|院|所|队|站|会|部|处|联|团委|支队|公司分公司)$/;

/** A name like 生态环境局 or 科技局: a city department written without its 市. */
export function isBareDepartmentName(name: string): boolean {
  return !hasCityPrefix(name) && !namesAPlace(name) && DEPARTMENT_ENDING.test(name) && classifyOrganisation(name) === 'city_department';
}

export function classifyOrganisation(name: string): OrganisationKind {
  if (/^各|各有关|有关部门$|有关单位$/.test(name)) return 'collective';
  if (/^(市政府|市人民政府|市政府办公室|市政府办)$/.test(name)) return 'city_government';
  if (/(管委会|管理委员会)$/.test(name)) return 'management_committee';
  if (/(集团|公司|集团有限公司|有限责任公司)$/.test(name)) return 'state_enterprise';
  if (/^.+(市|区|县)(人民)?政府$/.test(name)) return 'county_level_government';
  if (DEPARTMENT_ENDING.test(name)) return 'city_department';
  return 'other';
}

export interface NameResolution {
  /** As written in the cell, spaces removed. */
  written: string;
  /** The canonical name it resolves to. */
  canonical: string;
  /** Why the canonical name differs from the written one, for the import report. */
  rule?: 'alias' | 'city_prefix_known' | 'city_prefix_carried' | 'bracket_width';
}

/** The name with its brackets in the other width (full-width when it has half-width ones), or undefined without brackets. */
export function otherBracketWidth(name: string): string | undefined {
  if (/[()]/.test(name)) return name.replace(/\(/g, '（').replace(/\)/g, '）');
  if (/[（）]/.test(name)) return name.replace(/（/g, '(').replace(/）/g, ')');
  return undefined;
}

/**
 * Resolves the names of one cell. `lookup` answers the canonical name for a known name or alias (the registry plus
 * the names written elsewhere in the same file); unknown names stay as written.
 *
 * Rules, in order: a known name or alias maps to its canonical name; a bare department name X becomes 市X when
 * 市X is known; when the cell's first name carries 市, bare department names after it get 市 too.
 */
export function resolveOrganisationList(raw: string, lookup: (name: string) => string | undefined): NameResolution[] {
  const names = splitOrganisationList(raw);
  const carriesCityPrefix = names.length > 0 && hasCityPrefix(names[0]!);
  return names.map((written): NameResolution => {
    const known = lookup(written);
    if (known !== undefined && known !== written) return { written, canonical: known, rule: 'alias' };
    // 各县(市、区)人民政府 where 各县（市、区）人民政府 is known or written too: one unit, under the full-width name that
    // official names use, whichever width was typed
    if (known === undefined || /[()]/.test(written)) {
      const otherWidth = otherBracketWidth(written);
      const widened = otherWidth === undefined ? undefined : lookup(otherWidth);
      if (widened !== undefined && widened !== written) return { written, canonical: widened, rule: 'bracket_width' };
    }
    if (known !== undefined) return { written, canonical: known };
    if (isBareDepartmentName(written)) {
      const prefixed = lookup(`市${written}`);
      if (prefixed !== undefined) return { written, canonical: prefixed, rule: 'city_prefix_known' };
      if (carriesCityPrefix) return { written, canonical: `市${written}`, rule: 'city_prefix_carried' };
    }
    return { written, canonical: written };
  });
}

/** Characters shared, as a Dice coefficient over character multisets; the city prefix 市 is not counted. */
function characterDice(a: string, b: string): number {
  const strip = (name: string) => (hasCityPrefix(name) ? name.slice(1) : name);
  const left = [...strip(a)];
  const right = [...strip(b)];
  if (left.length === 0 || right.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of right) counts.set(char, (counts.get(char) ?? 0) + 1);
  let shared = 0;
  for (const char of left) {
    const count = counts.get(char) ?? 0;
    if (count > 0) {
      shared++;
      counts.set(char, count - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}

/** True when every character of `short` appears in `long` in order: 发改委 in 发展和改革委员会. */
function isAbbreviationOf(short: string, long: string): boolean {
  let position = 0;
  for (const char of long) if (char === short[position]) position++;
  return short.length >= 2 && position === short.length;
}

/**
 * How much a name looks like a known one, 0–1: abbreviations (发改委 ~ 发展和改革委员会) score high, and so do names
 * sharing most characters (发展改革委 ~ 市发改委). Used to suggest what an unknown name probably means.
 */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const strip = (name: string) => (hasCityPrefix(name) ? name.slice(1) : name);
  const [x, y] = [strip(a), strip(b)];
  if (x === y) return 0.95;
  const abbreviation = x.length < y.length ? isAbbreviationOf(x, y) : isAbbreviationOf(y, x);
  const sameEnding = x.at(-1) === y.at(-1);
  return Math.max(characterDice(a, b) * (sameEnding ? 1 : 0.8), abbreviation && sameEnding ? 0.85 : 0);
}

/** The known names most like `name`, best first, above a threshold. */
export function similarNames(name: string, known: Iterable<string>, limit = 3, threshold = 0.5): string[] {
  return [...known]
    .map((candidate) => ({ candidate, score: nameSimilarity(name, candidate) }))
    .filter((entry) => entry.score >= threshold && entry.candidate !== name)
    .sort((a, b) => b.score - a.score || a.candidate.localeCompare(b.candidate, 'zh-CN'))
    .slice(0, limit)
    .map((entry) => entry.candidate);
}
