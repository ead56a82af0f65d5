import { badInput } from '../domain/errors.js';
import {
  canonicalTable,
  type SummaryChapter,
  type SummaryColumns,
  type SummaryItem,
  type SummaryTable,
  type SummaryTask,
} from '../domain/summary-table.js';

export function writeSummaryJson(table: SummaryTable): Buffer {
  return Buffer.from(`${JSON.stringify(canonicalTable(table), null, 2)}\n`, 'utf8');
}

type Path = string;

function fail(path: Path, expected: string): never {
  throw badInput('json_invalid_field', `JSON 字段 ${path} 无效：应为${expected}。`, { path });
}

function object(value: unknown, path: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, '对象');
  return value as Record<string, unknown>;
}

function string(parent: Record<string, unknown>, key: string, path: Path): string {
  const value = parent[key];
  if (typeof value !== 'string') fail(`${path}.${key}`, '字符串');
  return value;
}

/** A field that may be left out; when present it must be a string. */
function optionalString(parent: Record<string, unknown>, key: string, path: Path): string | undefined {
  return parent[key] === undefined ? undefined : string(parent, key, path);
}

/** The optional columns' headings or texts that are present, as the reader of a table file gives them. */
type OptionalFields = Partial<Record<'deadline' | 'status' | 'leader' | 'problems' | 'nextSteps', string>>;

function optionalFields(parent: Record<string, unknown>, path: Path): OptionalFields {
  const fields: OptionalFields = {};
  for (const key of ['deadline', 'status', 'leader', 'problems', 'nextSteps'] as const) {
    const value = optionalString(parent, key, path);
    if (value !== undefined) fields[key] = value;
  }
  return fields;
}

function array(parent: Record<string, unknown>, key: string, path: Path): unknown[] {
  const value = parent[key];
  if (!Array.isArray(value)) fail(`${path}.${key}`, '数组');
  return value;
}

function readItem(value: unknown, path: Path): SummaryItem {
  const item = object(value, path);
  const read: SummaryItem = {
    work: string(item, 'work', path),
    lead: string(item, 'lead', path),
    cooperating: string(item, 'cooperating', path),
    completion: string(item, 'completion', path),
    ...optionalFields(item, path),
  };
  if (item.extra !== undefined) {
    const extra = object(item.extra, `${path}.extra`);
    const texts = Object.fromEntries(Object.keys(extra).map((heading) => [heading, string(extra, heading, `${path}.extra`)]));
    if (Object.keys(texts).length > 0) read.extra = texts;
  }
  return read;
}

function readTask(value: unknown, path: Path): SummaryTask {
  const task = object(value, path);
  return {
    number: string(task, 'number', path),
    name: string(task, 'name', path),
    items: array(task, 'items', path).map((item, index) => readItem(item, `${path}.items[${index}]`)),
  };
}

function readChapter(value: unknown, path: Path): SummaryChapter {
  const chapter = object(value, path);
  return {
    numeral: string(chapter, 'numeral', path),
    title: string(chapter, 'title', path),
    tasks: array(chapter, 'tasks', path).map((task, index) => readTask(task, `${path}.tasks[${index}]`)),
  };
}

/**
 * Reads a summary table written by writeSummaryJson (or by hand). The first field that is missing or of the wrong
 * type is named by its path, e.g. `$.chapters[0].tasks[1].items[0].lead`; fields the model does not know are dropped.
 * The optional columns (deadline, status, leader, problems, nextSteps, extra) are kept when present, on the columns and on each item.
 */
export function readSummaryJson(bytes: Uint8Array): SummaryTable {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badInput('bad_encoding', 'JSON 文件不是有效的 UTF-8 文本，无法解码。');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badInput('json_syntax', `JSON 文件格式错误，无法解析（${error instanceof Error ? error.message : String(error)}）。`);
  }
  const root = object(parsed, '$');
  const title = string(root, 'title', '$');
  const organisation = string(root, 'organisation', '$');
  const columnsValue = object(root.columns, '$.columns');
  const columns: SummaryColumns = {
    number: string(columnsValue, 'number', '$.columns'),
    name: string(columnsValue, 'name', '$.columns'),
    work: string(columnsValue, 'work', '$.columns'),
    lead: string(columnsValue, 'lead', '$.columns'),
    cooperating: string(columnsValue, 'cooperating', '$.columns'),
    completion: string(columnsValue, 'completion', '$.columns'),
    ...optionalFields(columnsValue, '$.columns'),
  };
  if (columnsValue.extra !== undefined) {
    const extra = array(columnsValue, 'extra', '$.columns').map((heading, index) => {
      if (typeof heading !== 'string') fail(`$.columns.extra[${index}]`, '字符串');
      return heading;
    });
    if (extra.length > 0) columns.extra = extra;
  }
  return {
    title,
    organisation,
    columns,
    chapters: array(root, 'chapters', '$').map((chapter, index) => readChapter(chapter, `$.chapters[${index}]`)),
  };
}
