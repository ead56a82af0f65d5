import { badInput } from '../domain/errors.js';
import { splitFirstOrganisation, splitOrganisationList } from '../domain/organisations.js';
import {
  DEFAULT_COLUMNS,
  type ImportWarning,
  type SummaryChapter,
  type SummaryColumns,
  type SummaryItem,
  type SummaryTable,
} from '../domain/summary-table.js';
import type { GridLine, InterpretedTable, RowInterpretation } from './grid.js';

/**
 * Reads a task-decomposition document (责任分工方案 / 任务分解方案): numbered paragraphs with the responsibility
 * written into the text, rather than a table. It gives the same `InterpretedTable` as a table, so that the import
 * service stores both alike.
 *
 * The mapping, paragraph by paragraph (after trimming ordinary and full-width spaces; blank lines do not count):
 * - Title: the first line before any numbered heading that names a plan (方案, 分工, 任务, …), else the first such
 *   line that is not 附件; organisation '' (a decomposition is city-wide); columns are the default ones with no
 *   completion column. 完成时限/牵头市领导 and the like become the deadline/leader columns only when written.
 * - `一、标题` → a chapter. Anything numbered before the first chapter is warned about and dropped; a document with
 *   no chapter at all is rejected (`decomposition_no_chapters`) rather than filed under an invented chapter 一,
 *   which would collide with the plan's real chapter 一 on import.
 * - `（一）标题` → a group heading: its first sentence (≤ 30 characters, no end punctuation) is the 名称 of the
 *   numbered tasks under it, and its responsibility, if any, is theirs unless they carry their own. A group that
 *   carries responsibility (or （1） items) but no numbered task is a task itself, numbered after the highest 序号
 *   seen so far, with a warning.
 * - Shape c: when the `1.` numbers start again at 1 under each group instead of running on, and some group carries
 *   responsibility (on or right below its heading, or one line below two or more of its `1.` paragraphs), every group
 *   over such numbers is a task, numbered through the document in reading order (said once), and its `1.` and `（1）`
 *   paragraphs are its items; a heading that is only a name is no item. See `groupsThatAreTasks`.
 * - `1.` / `1、` / `1．` → a task with that 序号 (city-wide, so numbers run on across chapters). 名称 is the group
 *   name, else the text's first clause (≤ 20 characters). Its text is its first item, unless it has sub-items and
 *   is only a lead-in: empty, ending in ：, or without responsibility while every sub-item has its own.
 * - `（1）` / `(1)` / `1）` / `①` → an item of the task above.
 * - The 落款 at the end (the issuing office and the date, each on a line of its own) is no part of the last item.
 * - A paragraph that is neither numbered nor a responsibility line continues the entry above it, until that entry
 *   has its responsibility; after that it is a new unnumbered paragraph, which becomes a further item of the task
 *   (or, directly under a chapter or group, an auto-numbered task) if it carries responsibility, and is dropped
 *   with a warning otherwise (silently when it is the introduction right under a chapter heading).
 *
 * Responsibility, in any mix of full-width and ASCII punctuation:
 * - labelled, inline at the end of the text (in parentheses or not) or on lines of their own after the entry:
 *   牵头单位：X；责任单位/配合单位/协办单位/参与单位：Y. Consecutive such lines apply to the same entry.
 * - unlabelled at the end: `X牵头，Y参与/配合/等按职责分工负责`, `由X牵头`, `（X牵头）`, `（X负责）`. Outside
 *   parentheses every name must end like a unit (局, 委, 政府, 集团, …) so that `实行市领导牵头` is not taken for one.
 * - Labels by meaning: 主办/主责单位 lead, 协办/参与/协作单位 cooperate, 承办/实施单位 like 责任单位, 责任领导 and
 *   牵头/联系市领导 the leader. A unit list ending in 等（有关部门） names no unit 等.
 * - 责任单位 alone: its first name leads and the rest cooperate; next to an explicit 配合单位 list, the whole
 *   责任单位 list leads; next to 牵头单位, it cooperates.
 * - A responsibility line below several sub-items that have none of their own covers all of them, back to the one
 *   that has its own or to the task heading; the same holds for responsibility written at the end of the last sub-item only.
 * - An item without responsibility inherits its task's (and a task its group's); none at all is a warning.
 * Unit names are kept as written: the import service resolves them.
 *
 * `rows` holds one entry per line that starts a chapter, task or item, and one per line that was dropped; lines that
 * only add to an entry (continuations, responsibility lines, group headings) have none, so that a conflict found on
 * import points at the line where its task or item starts.
 */

interface Fields {
  lead?: string;
  responsible?: string;
  cooperating?: string;
  deadline?: string;
  leader?: string;
  deadlineLabel?: string;
  leaderLabel?: string;
}

type LabelField = 'lead' | 'responsible' | 'cooperating' | 'deadline' | 'leader';

const LABELS: [LabelField, string[]][] = [
  ['lead', ['牵头责任单位', '牵头单位', '牵头部门', '牵头处室', '主办单位', '主责单位', '主抓单位']],
  ['leader', ['牵头市领导', '责任市领导', '分管市领导', '联系市领导', '责任领导', '分管领导', '牵头领导']],
  ['cooperating', ['主要配合单位', '配合单位', '配合部门', '协办单位', '协助单位', '参与单位', '参加单位', '协同单位', '协作单位']],
  ['responsible', ['责任单位', '责任部门', '责任主体', '承办单位', '实施单位', '落实单位']],
  ['deadline', ['完成时限', '完成时间', '完成期限', '时间节点', '时限要求']],
];
const LABEL_FIELD = new Map(LABELS.flatMap(([field, words]) => words.map((word) => [word, field] as const)));
// longest first, so that 主要配合单位 wins over 配合单位 at the same position
const LABEL_ALTERNATIVES = [...LABEL_FIELD.keys()].sort((a, b) => b.length - a.length).join('|');
// a label only counts at the start of a clause, so that 明确责任单位：… inside a sentence stays text
const LABEL = new RegExp(`(?<=^|[\\s（(；;，,。、])(${LABEL_ALTERNATIVES})[ \\t\\u3000]*[:：]`, 'g');

const CHAPTER = /^([一二三四五六七八九十百]+)\s*[、.．]\s*(.*)$/s;
const GROUP = /^[（(]\s*([一二三四五六七八九十百]+)\s*[）)]\s*(.*)$/s;
// `1.3万亿元` is a number, not task 1: a full stop directly followed by a digit is a decimal point
const TASK = /^([0-9０-９]{1,3})\s*(?:[.．](?![0-9０-９])|、)\s*(.*)$/s;
const ITEM = /^(?:[（(]\s*([0-9０-９]{1,3})\s*[）)]|([0-9０-９]{1,3})\s*[）)]|([\u2460-\u2473]))\s*(.*)$/s;
/** Numbering this reader does not understand: reported rather than silently read as text. */
const SUSPECT =
  /^(?:第[一二三四五六七八九十百0-9]+[章节部分条]|[一二三四五六七八九十]+\s*(?:[）)]|[、.．]\s*$)|[（(]\s*[a-zA-Z]\s*[）)]|[0-9０-９]{1,3}\s*[.．、]?$)/;
const MENTION = /(?:牵头单位|牵头部门|责任单位|责任部门|配合单位)\s*[:：]|牵头\s*(?:[，,；;）)。]|$)/;

const UNIT_END = /(局|委|办|厅|部|院|会|府|司|行|团|中心|社|室|队|所|馆|站|处|署|联|台|校|学|区|县|市|镇|街道|部门|单位|机构|关)$/;
const COOPERATING_TAIL =
  /^(?:由)?([\s\S]+?)(?:等(?:有关|相关)?(?:部门|单位)?)?(?:按照?职责分工|按照?职责|分别|共同)?(?:参与|配合|协助|协同配合|协同|配合落实|负责|落实)$/;

const toAscii = (digits: string) => digits.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
const cleanValue = (value: string) => value.replace(/^[\s；;，,。.、]+|[\s；;，,。.、]+$/g, '').replace(/^(无|——|—|-|\/)$/, '');

/** `市财政局、市税务局等（有关部门）`: the closing 等 means "and others", which is no unit to link. */
const withoutOthers = (list: string) => cleanValue(list.replace(/等(?:其他|有关|相关)?(?:部门|单位|成员单位)?$/, ''));

function merge(a: Fields | undefined, b: Fields | undefined): Fields | undefined {
  if (!a) return b;
  if (!b) return a;
  const merged: Fields = { ...a };
  for (const key of ['lead', 'responsible', 'cooperating', 'deadline', 'leader'] as const) {
    const value = b[key];
    if (value === undefined) continue;
    const existing = merged[key];
    merged[key] = existing ? `${existing}${key === 'deadline' ? '；' : '、'}${value}` : value;
  }
  merged.deadlineLabel ??= b.deadlineLabel;
  merged.leaderLabel ??= b.leaderLabel;
  return merged;
}

const hasUnits = (fields: Fields | undefined) => !!fields && (!!fields.lead || !!fields.responsible || !!fields.cooperating);

/** `牵头单位：X；责任单位：Y` starting at the very beginning of `segment`. */
function parseLabelled(segment: string): Fields | undefined {
  const text = segment.trim();
  const matches = [...text.matchAll(LABEL)];
  if (matches.length === 0 || matches[0]!.index !== 0) return undefined;
  let fields: Fields | undefined;
  matches.forEach((match, index) => {
    const end = index + 1 < matches.length ? matches[index + 1]!.index : text.length;
    const label = match[1]!;
    const field = LABEL_FIELD.get(label)!;
    const raw = cleanValue(text.slice(match.index + match[0].length, end));
    const value = field === 'deadline' || field === 'leader' ? raw : withoutOthers(raw);
    const part: Fields = value === '' ? {} : { [field]: value };
    if (field === 'deadline') part.deadlineLabel = label;
    if (field === 'leader') part.leaderLabel = label;
    fields = merge(fields, part);
  });
  return fields;
}

function looksLikeUnits(text: string): boolean {
  const parts = splitOrganisationList(text.replace(/[\s/]+/g, '、'));
  // 市住房城乡建设局（市人防办）ends like a unit before its bracketed second name
  return parts.length > 0 && parts.every((part) => part.length <= 30 && UNIT_END.test(part.replace(/[（(].*[)）]$/, '')));
}

/** `X牵头，Y参与`, `由X牵头`, and inside parentheses also `X负责`; `strict` asks every name to end like a unit. */
function parseUnlabelled(segment: string, strict: boolean): Fields | undefined {
  const text = segment
    .trim()
    .replace(/[。.；;]+$/, '')
    .trim();
  // a responsibility is a short clause; the cap also bounds the lazy patterns below on long prose
  if (text === '' || text.length > 300 || /[。！？\n]/.test(text)) return undefined;
  let lead: string;
  let cooperating = '';
  const led = /^(?:由)?([\s\S]+?)(?:负责)?牵头(?:负责|落实)?(?:[，,；;、]\s*([\s\S]+))?$/.exec(text);
  if (led) {
    lead = led[1]!.trim();
    if (led[2] !== undefined) {
      const tail = COOPERATING_TAIL.exec(led[2].trim());
      if (!tail) return undefined;
      cooperating = tail[1]!.trim();
    }
  } else {
    const responsible = strict ? null : /^(?:由)?([\s\S]+?)(?:按照?职责分工|按照?职责|分别)?负责$/.exec(text);
    if (!responsible) return undefined;
    lead = responsible[1]!.trim();
  }
  if (lead === '' || lead.length > 80 || cooperating.length > 200) return undefined;
  if (strict && !(looksLikeUnits(lead) && (cooperating === '' || looksLikeUnits(cooperating)))) return undefined;
  return cooperating === '' ? { lead } : { lead, cooperating };
}

/** The responsibility written at the end of an entry's text, and the text without it. */
function trailingResponsibility(text: string): { work: string; fields: Fields } | undefined {
  const trimmed = text.trimEnd();
  const endsWithFullStop = /[。.]$/.test(trimmed);
  const withStop = (work: string) => {
    const bare = work.replace(/[\s，,；;、]+$/, '');
    return endsWithFullStop && bare !== '' && !/[。！？!?]$/.test(bare) ? `${bare}。` : bare;
  };

  let body = trimmed;
  if (/[）)][。.；;]$/.test(body)) body = body.slice(0, -1);
  if (/[）)]$/.test(body)) {
    const open = matchingOpen(body);
    if (open >= 0) {
      const inner = body.slice(open + 1, -1);
      const fields = parseLabelled(inner) ?? parseUnlabelled(inner, false);
      if (fields) return { work: withStop(body.slice(0, open)), fields };
    }
  }

  for (const match of trimmed.matchAll(LABEL)) {
    const fields = parseLabelled(trimmed.slice(match.index));
    if (fields) return { work: withStop(trimmed.slice(0, match.index)), fields };
    break;
  }

  const at = trimmed.lastIndexOf('牵头');
  if (at >= 0) {
    const start = Math.max(...['。', '；', ';', '，', ',', '：', ':', '\n'].map((mark) => trimmed.lastIndexOf(mark, at))) + 1;
    const fields = parseUnlabelled(trimmed.slice(start), true);
    if (fields) return { work: withStop(trimmed.slice(0, start)), fields };
  }
  return undefined;
}

function matchingOpen(text: string): number {
  let depth = 0;
  for (let index = text.length - 1; index >= 0; index--) {
    const char = text[index];
    if (char === '）' || char === ')') depth++;
    else if (char === '（' || char === '(') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/** A line that is nothing but responsibility (or a deadline): `牵头单位：X`, `（责任单位：X、Y）`, `X牵头，Y参与`. */
function responsibilityLine(text: string): Fields | undefined {
  const body = text.replace(/[。.；;]$/, '');
  if (/^[（(]/.test(body) && /[）)]$/.test(body) && matchingOpen(body) === 0) {
    const inner = body.slice(1, -1);
    return parseLabelled(inner) ?? parseUnlabelled(inner, false);
  }
  return parseLabelled(body) ?? parseUnlabelled(body, true);
}

/** Cheap check: at least two numbered paragraphs and a mention of who leads or is responsible. */
export function looksLikeDecomposition(lines: GridLine[]): boolean {
  let numbered = 0;
  let mention = false;
  for (const { text } of lines) {
    const line = text.trim();
    if (TASK.test(line) || GROUP.test(line) || /^[（(]\s*[0-9０-９]{1,3}\s*[）)]/.test(line)) numbered++;
    if (!mention && MENTION.test(line)) mention = true;
    if (numbered >= 2 && mention) return true;
  }
  return false;
}

interface Entry {
  line: number;
  paragraphs: string[];
  /** the lines of the paragraphs after the first, which continue it */
  further?: number[];
  /** responsibility from lines of their own below the entry (or from a line below its last sub-item) */
  attached?: Fields;
}

interface Candidate {
  kind: 'task' | 'group' | 'bare';
  entry: Entry;
  number?: string;
  children: { kind: 'item' | 'bare'; entry: Entry }[];
  group?: Candidate;
  /** numbered tasks under a group */
  numbered: number;
  /** a paragraph right under a chapter heading: an introduction, dropped without a warning */
  intro: boolean;
}

interface ChapterDraft {
  numeral: string;
  title: string;
  line: number;
  nodes: Candidate[];
}

interface Current {
  entry: Entry;
  owner?: Candidate;
  child?: number;
  /** text of something already dropped: what follows it is dropped too */
  sink?: boolean;
}

const textOf = (entry: Entry) => entry.paragraphs.join('\n');
const inlineOf = (entry: Entry) => trailingResponsibility(textOf(entry));
const fieldsOf = (entry: Entry) => merge(inlineOf(entry)?.fields, entry.attached);
const workOf = (entry: Entry) => (inlineOf(entry)?.work ?? textOf(entry)).trimEnd();
const hasOwnUnits = (entry: Entry) => hasUnits(fieldsOf(entry));
// only the last paragraph can end in responsibility; checking it alone keeps long entries linear
const closed = (entry: Entry) => entry.attached !== undefined || trailingResponsibility(entry.paragraphs.at(-1) ?? '') !== undefined;

function truncate(text: string, length = 30): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

const stripEndPunctuation = (text: string) => text.replace(/[\s。；;，,：:、.．!！?？]+$/, '');

/** 名称 from a group heading: its first sentence, without end punctuation, at most about 30 characters. */
function groupName(heading: string): string {
  let name = stripEndPunctuation(heading.split(/[。\n]/)[0]!);
  if (name.length > 30) {
    const clause = name.search(/[，,；;：:]/);
    name = clause > 0 && clause <= 30 ? name.slice(0, clause) : name.slice(0, 30);
  }
  return stripEndPunctuation(name);
}

/** 名称 from a task's own text: a 【bracketed】 name when it has one, else its first clause, at most 20 characters. */
function clauseName(text: string): string {
  const bracketed = /^[【〔[]([^】〕\]]{1,30})[】〕\]]/.exec(text);
  if (bracketed) return bracketed[1]!.trim();
  return stripEndPunctuation(text.split(/[：:。，,；;\n]/)[0]!).slice(0, 20);
}

function splitResponsible(raw: string): { lead: string; cooperating: string } {
  const { first, rest } = splitFirstOrganisation(raw);
  return { lead: first, cooperating: rest };
}

function units(fields: Fields | undefined): { lead: string; cooperating: string } {
  if (!fields) return { lead: '', cooperating: '' };
  const join = (...parts: (string | undefined)[]) => parts.filter((part): part is string => !!part).join('、');
  if (fields.lead) return { lead: fields.lead, cooperating: join(fields.responsible, fields.cooperating) };
  if (fields.responsible && fields.cooperating) return { lead: fields.responsible, cooperating: fields.cooperating };
  if (fields.responsible) return splitResponsible(fields.responsible);
  return { lead: '', cooperating: fields.cooperating ?? '' };
}

/** Units from the entry itself if it names any, else from `inherited`; deadline and leader likewise, each alone. */
function effective(own: Fields | undefined, inherited: Fields | undefined): Fields | undefined {
  const base: Fields = hasUnits(own)
    ? { lead: own!.lead, responsible: own!.responsible, cooperating: own!.cooperating }
    : { lead: inherited?.lead, responsible: inherited?.responsible, cooperating: inherited?.cooperating };
  const deadline = own?.deadline ?? inherited?.deadline;
  const leader = own?.leader ?? inherited?.leader;
  return {
    ...base,
    ...(deadline !== undefined ? { deadline, deadlineLabel: own?.deadlineLabel ?? inherited?.deadlineLabel } : {}),
    ...(leader !== undefined ? { leader, leaderLabel: own?.leaderLabel ?? inherited?.leaderLabel } : {}),
  };
}

/**
 * Paragraphs of a task-decomposition document → chapters, tasks and items, with warnings at their lines. See the
 * module comment for the mapping.
 */
export function interpretDecomposition(lines: GridLine[]): Omit<InterpretedTable, 'columns' | 'headerSignature'> {
  const warnings: ImportWarning[] = [];
  const rows: RowInterpretation[] = [];
  const warn = (line: number, message: string, column?: string) => warnings.push({ line, message, ...(column ? { column } : {}) });
  const ignore = (line: number, message?: string, column?: string) => {
    rows.push({ line, kind: 'ignored' });
    if (message) warn(line, message, column);
  };
  /** an entry of several paragraphs is ignored whole: each further paragraph is said to go with the first */
  const ignoreEntry = (entry: Entry, message: string, column?: string) => {
    ignore(entry.line, message, column);
    entry.further?.forEach((line, index) => {
      ignore(line, `段落“${truncate(entry.paragraphs[index + 1]!)}”接续第 ${entry.line} 行，一并忽略。`, column);
    });
  };

  const preamble: { text: string; line: number }[] = [];
  const chapters: ChapterDraft[] = [];
  let seenHeading = false;
  let chapter: ChapterDraft | undefined;
  let group: Candidate | undefined;
  let task: Candidate | undefined;
  let lastBare: Candidate | undefined;
  let current: Current | undefined;
  // responsibility lines that follow each other (牵头单位：… then 责任单位：…) apply to the same entries
  let metaTargets: Entry[] | undefined;

  const sink = (line: number): Current => ({ entry: { line, paragraphs: [] }, sink: true });
  const taskGroups = groupsThatAreTasks(lines);
  const signature = signatureLines(lines);

  for (const { text: raw, line } of lines) {
    const text = raw.trim();
    if (text === '') continue;
    if (signature.has(line)) {
      // the 落款 is no task, but nothing of the source goes unmentioned: the preview says it was left out
      ignore(line, `落款“${truncate(text)}”（发文单位或日期）不是任务内容，未导入。`);
      continue;
    }
    const previousTargets = metaTargets;
    metaTargets = undefined;

    const chapterMatch = CHAPTER.exec(text);
    if (chapterMatch && chapterMatch[2]!.trim() !== '') {
      seenHeading = true;
      // without end punctuation, so that the title matches the same chapter imported from a table
      chapter = { numeral: chapterMatch[1]!, title: chapterMatch[2]!.trim().replace(/[。；;：:]+$/, ''), line, nodes: [] };
      chapters.push(chapter);
      group = task = lastBare = current = undefined;
      continue;
    }

    const groupMatch = GROUP.exec(text);
    if (groupMatch) {
      seenHeading = true;
      if (!chapter) {
        ignore(line, `分组标题“${truncate(text)}”出现在第一个章节（如“一、……”）之前，已忽略。`);
        current = sink(line);
        continue;
      }
      group = { kind: 'group', entry: { line, paragraphs: [groupMatch[2]!.trim()] }, children: [], numbered: 0, intro: false };
      chapter.nodes.push(group);
      lastBare = undefined;
      // a group that is a task (shape c) owns the numbered paragraphs under it as its items
      task = taskGroups.has(line) ? group : undefined;
      current = { entry: group.entry, owner: group };
      continue;
    }

    const taskMatch = TASK.exec(text);
    if (taskMatch) {
      seenHeading = true;
      const number = toAscii(taskMatch[1]!);
      if (!chapter) {
        ignore(line, `任务 ${number}“${truncate(taskMatch[2]!.trim())}”出现在第一个章节（如“一、……”）之前，已忽略。`, 'number');
        current = sink(line);
        continue;
      }
      if (task && task === group) {
        const entry: Entry = { line, paragraphs: [taskMatch[2]!.trim()] };
        task.children.push({ kind: 'item', entry });
        current = { entry, owner: task, child: task.children.length - 1 };
        continue;
      }
      task = { kind: 'task', number, entry: { line, paragraphs: [taskMatch[2]!.trim()] }, children: [], numbered: 0, intro: false };
      if (group) {
        task.group = group;
        group.numbered++;
      }
      chapter.nodes.push(task);
      lastBare = undefined;
      current = { entry: task.entry, owner: task };
      continue;
    }

    const itemMatch = ITEM.exec(text);
    if (itemMatch) {
      seenHeading = true;
      const owner = task ?? lastBare ?? group;
      if (!chapter || !owner) {
        // below a task that was itself dropped, its items go with it, each said so in a word
        if (!chapter && current?.sink) ignore(line, `条目“${truncate(text)}”属于上方已忽略的内容，一并忽略。`);
        else ignore(line, `条目“${truncate(text)}”上方没有可归属的任务，已忽略。`);
        current = sink(line);
        continue;
      }
      const entry: Entry = { line, paragraphs: [itemMatch[4]!.trim()] };
      owner.children.push({ kind: 'item', entry });
      current = { entry, owner, child: owner.children.length - 1 };
      continue;
    }

    const meta = responsibilityLine(text);
    if (meta) {
      if (current?.sink) {
        ignore(line, `“${truncate(text)}”属于上方已忽略的内容，一并忽略。`, 'lead');
        continue;
      }
      const targets = previousTargets ?? (current ? targetsBelow(current) : undefined);
      if (!targets) {
        ignore(line, `“${truncate(text)}”上方没有任务，无法确定它属于哪项任务，已忽略。`, 'lead');
        continue;
      }
      for (const target of targets) target.attached = merge(target.attached, meta);
      metaTargets = targets;
      continue;
    }

    if (!seenHeading) {
      preamble.push({ text, line });
      continue;
    }
    if (SUSPECT.test(text)) {
      ignore(line, `无法识别的编号行，已忽略：“${truncate(text)}”`);
      current = sink(line);
      continue;
    }
    if (!chapter || current?.sink) {
      ignore(line, `段落“${truncate(text)}”属于上方已忽略的内容，一并忽略。`);
      continue;
    }
    if (current && !closed(current.entry)) {
      current.entry.paragraphs.push(text);
      (current.entry.further ??= []).push(line);
      continue;
    }
    const entry: Entry = { line, paragraphs: [text] };
    if (task) {
      task.children.push({ kind: 'bare', entry });
      current = { entry, owner: task, child: task.children.length - 1 };
    } else {
      lastBare = { kind: 'bare', entry, children: [], numbered: 0, intro: current === undefined, ...(group ? { group } : {}) };
      chapter.nodes.push(lastBare);
      current = { entry, owner: lastBare };
    }
  }

  if (chapters.length === 0) {
    throw badInput(
      'decomposition_no_chapters',
      '任务分解方案中没有找到章节标题（如“一、扩大有效需求”）：任务须归在章节之下，请检查文档是否以“一、”“二、”等标出章节。',
    );
  }

  // the lines above the first heading give the title; any other of them is not imported, and said so
  const title = pickTitle(preamble.map((entry) => entry.text));
  for (const entry of preamble) {
    // 附件 / 附件1 above the title labels the document as an attachment of a notice: no content to import
    if (entry.text !== title && !ATTACHMENT_LABEL.test(entry.text))
      warn(entry.line, `标题之外的文字“${truncate(entry.text)}”不是章节或任务，未导入。`);
  }
  const table: SummaryTable = {
    title,
    organisation: '',
    columns: { ...DEFAULT_COLUMNS, completion: '' },
    chapters: [],
  };
  const numbers = new Map<string, number>();
  let highest = 0;
  const resolved: { item: SummaryItem; fields: Fields | undefined }[] = [];
  // Word's outline numbering often restarts 1. 2. … in every chapter; 序号 must be unique city-wide, so such a
  // document is numbered through in reading order, and said so once.
  const restart = restartedNumbering(chapters);
  let sequence = 0;
  if (restart) {
    warn(restart.line, '任务编号在各章节内重新从 1 开始，已按全文顺序重新编为连续的序号。', 'number');
  }
  // shape c: the tasks are the （一） headings, whose numerals are no city-wide 序号; the document is numbered through
  const firstTaskGroup = chapters.flatMap((draft) => draft.nodes).find((node) => taskGroups.has(node.entry.line));
  if (firstTaskGroup && !restart) {
    warn(firstTaskGroup.entry.line, '任务以“（一）”“（二）”标出，其下“1.”“2.”为该任务的事项；已按全文顺序为任务编排序号。', 'number');
  }
  const sequential = restart !== undefined || firstTaskGroup !== undefined;

  for (const draft of chapters) {
    const summaryChapter: SummaryChapter = { numeral: draft.numeral, title: draft.title, tasks: [] };
    table.chapters.push(summaryChapter);
    const chapterIndex = table.chapters.length - 1;
    rows.push({ line: draft.line, kind: 'chapter', chapter: chapterIndex });

    for (const node of draft.nodes) {
      const becomesTask =
        node.kind === 'task' ||
        node.children.some((child) => child.kind === 'item') ||
        (node.kind === 'group' ? node.numbered === 0 && hasOwnUnits(node.entry) : hasOwnUnits(node.entry));
      if (!becomesTask) {
        if (node.kind === 'group' && node.numbered === 0) {
          ignoreEntry(node.entry, `分组标题“${truncate(textOf(node.entry))}”下没有编号任务，也没有写明牵头单位，已忽略。`, 'lead');
        } else if (node.kind === 'bare') {
          if (node.intro) ignoreEntry(node.entry, `章节下的引导语“${truncate(textOf(node.entry))}”不是任务，未导入。`);
          else ignoreEntry(node.entry, `未编号的段落没有写明牵头单位，无法归入任务，已忽略：“${truncate(textOf(node.entry))}”`, 'lead');
        }
        continue;
      }

      let number = sequential ? String(++sequence) : node.number;
      if (number === undefined) {
        number = String(++highest);
        warn(node.entry.line, `任务未编号，已按顺序编号为 ${number}`, 'number');
      } else {
        const value = Number(number);
        if (value > highest) highest = value;
      }
      const earlier = numbers.get(number);
      if (earlier !== undefined) warn(node.entry.line, `序号 ${number} 重复：第 ${earlier} 行已有序号 ${number} 的任务。`, 'number');
      else numbers.set(number, node.entry.line);

      const ownWork = workOf(node.entry);
      const children = node.children.filter((child) => {
        if (child.kind === 'item' || hasOwnUnits(child.entry)) return true;
        ignoreEntry(child.entry, `未编号的段落没有写明牵头单位，无法归入任务，已忽略：“${truncate(textOf(child.entry))}”`, 'lead');
        return false;
      });

      let own = fieldsOf(node.entry);
      const last = children.at(-1);
      if (!hasUnits(own) && last && hasOwnUnits(last.entry) && children.slice(0, -1).every((child) => !hasOwnUnits(child.entry))) {
        // responsibility written only at the end of the last sub-item covers the sub-items above it
        const covering = fieldsOf(last.entry)!;
        own = { ...own, lead: covering.lead, responsible: covering.responsible, cooperating: covering.cooperating };
      }
      const taskFields = effective(own, node.group ? fieldsOf(node.group.entry) : undefined);
      const leadIn =
        children.length > 0 &&
        (ownWork === '' ||
          // a task heading that is only its name: the name, not an item of work
          // (shape c, or a （一） heading over （1） items only)
          (node.kind === 'group' && groupName(ownWork) === stripEndPunctuation(ownWork)) ||
          /[：:]$/.test(ownWork) ||
          (!hasUnits(taskFields) && children.length >= 2 && children.every((child) => hasOwnUnits(child.entry))));

      const groupHeading = node.kind === 'group' ? node : node.group;
      const name = groupHeading
        ? groupName(workOf(groupHeading.entry))
        : clauseName(ownWork || (children[0] ? workOf(children[0].entry) : ''));
      const summaryTask = { number, name, items: [] as SummaryItem[] };
      summaryChapter.tasks.push(summaryTask);
      const taskIndex = summaryChapter.tasks.length - 1;
      const at = { chapter: chapterIndex, task: taskIndex };
      const itemLines: number[] = [];
      const add = (work: string, fields: Fields | undefined, line: number) => {
        const item: SummaryItem = { work, ...units(fields), completion: '' };
        summaryTask.items.push(item);
        resolved.push({ item, fields });
        itemLines.push(line);
        return summaryTask.items.length - 1;
      };

      if (!leadIn) {
        rows.push({ line: node.entry.line, kind: 'task', ...at, item: add(ownWork, taskFields, node.entry.line) });
      } else {
        rows.push({ line: node.entry.line, kind: 'task', ...at });
      }
      for (const child of children) {
        const index = add(workOf(child.entry), effective(fieldsOf(child.entry), taskFields), child.entry.line);
        rows.push({ line: child.entry.line, kind: 'item', ...at, item: index });
      }
      summaryTask.items.forEach((item, index) => {
        if (item.work === '') warn(itemLines[index]!, `任务 ${number} 缺少工作任务内容。`, 'work');
      });

      const missing = summaryTask.items.map((item, index) => ({ item, index })).filter(({ item }) => item.lead === '');
      if (missing.length === summaryTask.items.length) {
        warn(node.entry.line, `任务 ${number} 未写明牵头单位`, 'lead');
      } else {
        for (const { index } of missing) warn(itemLines[index]!, `任务 ${number} 第 ${index + 1} 项未写明牵头单位`, 'lead');
      }
    }
  }

  addOptionalColumns(table.columns, resolved);
  rows.sort((a, b) => a.line - b.line);
  warnings.sort((a, b) => a.line - b.line);
  return { table, warnings, rows };
}

/**
 * The group headings (`（一）…`) that are tasks of their own, their `1.` paragraphs being items (shape c), rather than
 * section headings over city-wide numbered tasks (shape b). Decided by the numbering and where responsibility stands:
 * numbers that run on from one group to the next are 序号 (b); numbers that start again at 1 under every group are
 * items, when some group carries responsibility itself (on or right below its heading), has one responsibility line
 * below two or more of its items that have none, or restarts next to another group of the same chapter.
 */
function groupsThatAreTasks(lines: GridLine[]): Set<number> {
  interface Scan {
    line: number;
    chapter: number;
    own: boolean;
    covering: boolean;
    numbers: number[];
    /** numbered paragraphs since the last responsibility */
    open: number;
    inHeading: boolean;
  }
  const groups: Scan[] = [];
  let chapter = 0;
  let group: Scan | undefined;
  // every 1. number in reading order, and how many runs of them headings separate
  const sequence: number[] = [];
  let blocks = 0;
  let blockOpen = false;
  for (const { text: raw, line } of lines) {
    const text = raw.trim();
    if (text === '') continue;
    const chapterMatch = CHAPTER.exec(text);
    if (chapterMatch && chapterMatch[2]!.trim() !== '') {
      chapter++;
      group = undefined;
      blockOpen = false;
      continue;
    }
    const groupMatch = GROUP.exec(text);
    if (groupMatch) {
      blockOpen = false;
      group = {
        line,
        chapter,
        own: hasUnits(trailingResponsibility(groupMatch[2]!)?.fields),
        covering: false,
        numbers: [],
        open: 0,
        inHeading: true,
      };
      groups.push(group);
      continue;
    }
    const taskMatch = TASK.exec(text);
    if (taskMatch) {
      sequence.push(Number(toAscii(taskMatch[1]!)));
      if (!blockOpen) blocks++;
      blockOpen = true;
    }
    if (!group) continue;
    if (taskMatch) {
      group.inHeading = false;
      group.numbers.push(Number(toAscii(taskMatch[1]!)));
      group.open = hasUnits(trailingResponsibility(taskMatch[2]!)?.fields) ? 0 : group.open + 1;
      continue;
    }
    if (ITEM.test(text)) continue;
    const meta = responsibilityLine(text);
    if (hasUnits(meta)) {
      if (group.inHeading) group.own = true;
      else if (group.open >= 2) group.covering = true;
      group.open = 0;
    }
  }
  const numbered = groups.filter((scan) => scan.numbers.length > 0);
  const increasing = sequence.every((number, index) => index === 0 || number > sequence[index - 1]!);
  const runsOn = numbered.slice(1).some((scan) => scan.numbers[0] !== 1) || (blocks >= 2 && increasing);
  if (runsOn) return new Set();
  const restartsInChapter = (scan: Scan) => numbered.filter((other) => other.chapter === scan.chapter).length >= 2;
  const shapeC = numbered.some((scan) => scan.numbers[0] === 1 && (scan.own || scan.covering || restartsInChapter(scan)));
  return new Set(shapeC ? numbered.filter((scan) => scan.numbers[0] === 1).map((scan) => scan.line) : []);
}

/**
 * The entries a responsibility line below `current` applies to: the entry itself, and when it is a sub-item with no
 * responsibility of its own, the sub-items above it that have none either, and their task if it has none.
 */
function targetsBelow(current: Current): Entry[] {
  const { entry, owner, child } = current;
  if (!owner || child === undefined || hasOwnUnits(entry)) return [entry];
  const targets = [entry];
  for (let index = child - 1; index >= 0; index--) {
    const sibling = owner.children[index]!.entry;
    if (hasOwnUnits(sibling)) return targets;
    targets.push(sibling);
  }
  if (!hasOwnUnits(owner.entry)) targets.push(owner.entry);
  return targets;
}

function addOptionalColumns(columns: SummaryColumns, resolved: { item: SummaryItem; fields: Fields | undefined }[]): void {
  const deadlineLabel = resolved.find(({ fields }) => fields?.deadline)?.fields?.deadlineLabel;
  const leaderLabel = resolved.find(({ fields }) => fields?.leader)?.fields?.leaderLabel;
  if (deadlineLabel) columns.deadline = deadlineLabel;
  if (leaderLabel) columns.leader = leaderLabel;
  for (const { item, fields } of resolved) {
    if (deadlineLabel) item.deadline = fields?.deadline ?? '';
    if (leaderLabel) item.leader = fields?.leader ?? '';
  }
}

const SIGNATURE_DATE =
  /^[0-9０-９〇○零一二三四五六七八九]{4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日$/;

/**
 * The 落款 under the text: the issuing office (one or two lines of unit names) and the date, each a paragraph of its
 * own at the very end. Not text of the last item, though nothing closes that item before them.
 */
function signatureLines(lines: GridLine[]): Set<number> {
  const filled = lines.filter(({ text }) => text.trim() !== '');
  const last = filled.at(-1);
  if (!last || !SIGNATURE_DATE.test(last.text.trim())) return new Set();
  const found = new Set([last.line]);
  for (const { text, line } of filled.slice(-3, -1).reverse()) {
    const name = text.trim();
    if (name.length > 30 || /[，,；;。：:]/.test(name) || !looksLikeUnits(name)) break;
    found.add(line);
  }
  return found;
}

/** 附件, 附件1, 附件二： the label over a document sent as an attachment of a notice. */
export const ATTACHMENT_LABEL = /^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$/;

function pickTitle(preamble: string[]): string {
  const candidates = preamble.filter((line) => !ATTACHMENT_LABEL.test(line));
  return candidates.find((line) => /方案|分工|分解|任务|清单|台账/.test(line)) ?? candidates[0] ?? '';
}

/** The first chapter whose explicit task numbers start again at 1 after an earlier chapter had numbers. */
function restartedNumbering(
  chapters: { nodes: { kind: string; number?: string; entry: { line: number } }[] }[],
): { line: number } | undefined {
  let seen = false;
  for (const chapter of chapters) {
    const first = chapter.nodes.find((node) => node.kind === 'task' && node.number !== undefined);
    if (first && seen && first.number === '1') return { line: first.entry.line };
    if (first) seen = true;
  }
  return undefined;
}
