import type { SummaryItem, SummaryTable } from '../domain/summary-table.js';

/**
 * The columns every writer prints, in one order, so that DOCX, XLSX, CSV and PDF of one table look alike:
 *
 *   序号, 名称, 工作任务, [责任领导], 牵头单位, 主要配合单位, [完成时限], completion, [完成状态], [unknown columns…]
 *
 * The optional columns are printed only when the table's `columns` declares them. The six standard columns keep
 * their places. 责任领导 stands before the units it answers for, the leader before the departments; 完成时限 is read
 * next to the completion text it is measured against; 完成状态 sums that text up, so it follows it; columns luoshi has
 * no meaning for (备注, 预警) go last, in their own order, where such columns stand in the tables they come from.
 * Tables in the wild differ (layout c of the fixtures has 完成时限 and 责任领导 just before the completion text):
 * the readers find columns by their headings, not their places, so any order reads back, and this one is simply
 * the same in every format. A table without optional columns prints exactly as before.
 */

export type ColumnRole =
  | 'number'
  | 'name'
  | 'work'
  | 'leader'
  | 'lead'
  | 'cooperating'
  | 'deadline'
  | 'completion'
  | 'status'
  | 'problems'
  | 'nextSteps'
  | 'extra';

/** What a heading of a source table means; 责任单位 alone is read as lead and cooperating units. */
export type HeadingMeaning = Exclude<ColumnRole, 'extra'> | 'responsible';

/**
 * Heading words by meaning, compared with white space removed. Offices name one column many ways; the period
 * headings (一季度进展情况, 1-3月进展, 1—6月完成情况, 截至6月底进展) are patterns rather than a list, because the
 * period inside them varies. Order matters: 进展状态 is a status before it is a progress heading, and 存在问题 and
 * 下步打算 are the report's own fields, not progress. 备注 and other headings with no meaning here are kept as
 * extra columns by the reader.
 */
export const HEADING_MEANINGS: readonly [HeadingMeaning, RegExp][] = [
  ['number', /^(序号|编号|任务编号|序)$/],
  ['name', /^(名称|重点任务|任务名称|工作事项|事项名称|项目名称|重点工作|工作名称|重点工作名称|重点项目|项目)$/],
  [
    'work',
    /^(工作任务|任务内容|具体内容|工作目标|目标任务|主要内容|工作内容|具体任务|任务目标|年度目标|年度目标任务|主要目标|工作要求|目标要求)$/,
  ],
  ['lead', /^(牵头单位|牵头部门|牵头责任单位|主办单位)$/],
  ['responsible', /^(责任单位|责任部门)$/],
  ['cooperating', /^(主要配合单位|配合单位|协办单位|参与单位|配合部门|协同单位)$/],
  ['deadline', /^(完成时限|时间节点|完成时间|时限要求|完成期限|时限|完成时间节点)$/],
  ['status', /^(进展状态|完成状态|推进状态|状态)$/],
  ['leader', /^(责任领导|牵头市领导|分管领导|责任市领导|牵头领导|分管市领导|联系市领导)$/],
  ['problems', /^(存在的?(主要)?(问题|困难)([和及与、](问题|困难))?|(主要|困难)问题|问题)$/],
  ['nextSteps', /^(下一?步(工作)?(打算|计划|措施|安排|思路|举措)|下阶段工作(打算|计划))$/],
  ['completion', /(完成情况|进展情况|工作进展|落实情况|推进情况|^.*月(底|末)?进展|季度进展|半年进展|年度?进展|^进展)$/],
];

export function headingMeaning(cell: string): HeadingMeaning | undefined {
  const compact = cell.replace(/\s+/g, '');
  return HEADING_MEANINGS.find(([, pattern]) => pattern.test(compact))?.[0];
}

export interface PrintedColumn {
  role: ColumnRole;
  heading: string;
  /** One of the six columns every table has; the others are the table's optional columns. */
  standard: boolean;
  /**
   * Characters per line an optional column asks for: its heading and its longest text, within bounds for its kind
   * (0 for the standard columns, whose widths are fixed per format).
   */
  chars: number;
  /** Characters per line the heading needs so as not to wrap: what a column is not narrowed below when there is room. */
  headingChars: number;
  /** Short texts (责任领导, 完成时限, 完成状态, an unknown column whose texts are all short): centred in the cell. */
  centred: boolean;
  /** The column's text for an item; '' for 序号 and 名称, which belong to the task. */
  text: (item: SummaryItem) => string;
}

/** The row printed for a task without items, so that its number and name are not lost. */
export const EMPTY_ITEM: SummaryItem = { work: '', lead: '', cooperating: '', completion: '' };

/** Width of a text in CJK characters: Latin letters and digits are about half as wide. */
export function visualLength(text: string): number {
  let length = 0;
  for (const char of text) length += /[\u2e80-\uffff]/.test(char) ? 1 : 0.55;
  return length;
}

/** Longest line of any of the texts, in CJK characters. */
function longestLine(texts: Iterable<string>): number {
  let longest = 0;
  for (const text of texts) for (const line of text.split(/\r\n|\r|\n/)) longest = Math.max(longest, visualLength(line));
  return longest;
}

/** Characters per line of an optional column: room for its heading on one line, and for most texts. */
type OptionalRole = 'leader' | 'deadline' | 'status' | 'problems' | 'nextSteps' | 'extra';

const CHARS: Record<OptionalRole, { least: number; most: number }> = {
  leader: { least: 2, most: 5 },
  deadline: { least: 2, most: 6 },
  status: { least: 2, most: 5 },
  // sentences like the completion text, but a unit's table gives them less room than the progress itself
  problems: { least: 4, most: 10 },
  nextSteps: { least: 4, most: 10 },
  // a longer text (a 备注 of a sentence) wraps rather than make the column as wide as the work column
  extra: { least: 2, most: 6 },
};

/** An unknown column whose texts are all this short (预警 with 绿灯/红灯) is centred like the known short ones. */
const SHORT_EXTRA = 4;

export function printedColumns(table: SummaryTable): PrintedColumn[] {
  const { columns } = table;
  const items = table.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items));
  const standard = (role: ColumnRole, heading: string, text: (item: SummaryItem) => string): PrintedColumn => ({
    role,
    heading,
    standard: true,
    chars: 0,
    headingChars: Math.ceil(longestLine([heading])),
    centred: false,
    text,
  });
  const optional = (role: OptionalRole, heading: string, text: (item: SummaryItem) => string): PrintedColumn => {
    const longestText = longestLine(items.map(text));
    const { least, most } = CHARS[role];
    const within = (chars: number) => Math.min(most, Math.max(least, Math.ceil(chars)));
    const headingChars = within(longestLine([heading]));
    return {
      role,
      heading,
      standard: false,
      chars: Math.max(headingChars, within(longestText)),
      headingChars,
      centred: role === 'extra' ? longestText <= SHORT_EXTRA : role !== 'problems' && role !== 'nextSteps',
      text,
    };
  };

  const printed: PrintedColumn[] = [
    standard('number', columns.number, () => ''),
    standard('name', columns.name, () => ''),
    standard('work', columns.work, (item) => item.work),
  ];
  if (columns.leader !== undefined) printed.push(optional('leader', columns.leader, (item) => item.leader ?? ''));
  printed.push(
    standard('lead', columns.lead, (item) => item.lead),
    standard('cooperating', columns.cooperating, (item) => item.cooperating),
  );
  if (columns.deadline !== undefined) printed.push(optional('deadline', columns.deadline, (item) => item.deadline ?? ''));
  printed.push(standard('completion', columns.completion, (item) => item.completion));
  if (columns.status !== undefined) printed.push(optional('status', columns.status, (item) => item.status ?? ''));
  if (columns.problems !== undefined) printed.push(optional('problems', columns.problems, (item) => item.problems ?? ''));
  if (columns.nextSteps !== undefined) printed.push(optional('nextSteps', columns.nextSteps, (item) => item.nextSteps ?? ''));
  for (const heading of columns.extra ?? []) printed.push(optional('extra', heading, (item) => item.extra?.[heading] ?? ''));
  return printed;
}

/** An item's row as texts, 序号 and 名称 first. */
export function rowTexts(columns: PrintedColumn[], number: string, name: string, item: SummaryItem): string[] {
  return columns.map((column) => (column.role === 'number' ? number : column.role === 'name' ? name : column.text(item)));
}

export interface WidthScheme {
  /** Widths of 序号, 名称, 工作任务, 牵头单位, 主要配合单位 and the completion column as a table without optional columns has them. */
  standard: readonly [number, number, number, number, number, number];
  /** The least each of the six gives way to, when optional columns need room (more, when its heading needs more). */
  least: readonly [number, number, number, number, number, number];
  /** Width of a column given `chars` characters per line. */
  chars: (chars: number) => number;
}

const STANDARD_ORDER: ColumnRole[] = ['number', 'name', 'work', 'lead', 'cooperating', 'completion'];

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * Widths of the printed columns, together as wide as the six standard ones (the page's text width in DOCX and PDF).
 * Optional columns get what their short texts need, and the standard columns give that room away in proportion to
 * what each can spare above its least width (and its heading's), so that the completion and work columns stay the
 * widest. When that is not enough, the optional columns give up room for their longer texts, down to their headings';
 * only past that are all the columns narrowed alike. Widths are whole numbers; the completion column takes what
 * rounding leaves.
 */
export function columnWidths(columns: PrintedColumn[], scheme: WidthScheme): number[] {
  const total = sum([...scheme.standard]);
  const standardAt = (column: PrintedColumn) => STANDARD_ORDER.indexOf(column.role);
  const least = columns.map((column) => {
    if (!column.standard) return 0;
    const at = standardAt(column);
    return Math.min(scheme.standard[at]!, Math.max(scheme.least[at]!, scheme.chars(column.headingChars)));
  });
  const slack = sum(columns.map((column, index) => (column.standard ? scheme.standard[standardAt(column)]! - least[index]! : 0)));
  const wanted = columns.map((column) => (column.standard ? 0 : scheme.chars(column.chars)));
  const floor = columns.map((column) => (column.standard ? 0 : scheme.chars(column.headingChars)));
  // the optional columns' room for texts longer than their headings, given up as far as the standard columns need
  const giveUp = sum(wanted) <= slack ? 0 : Math.min(1, (sum(wanted) - slack) / Math.max(1, sum(wanted) - sum(floor)));
  const optional = wanted.map((width, index) => width - (width - floor[index]!) * giveUp);
  const needed = sum(optional);
  const share = slack === 0 ? 0 : Math.min(1, needed / slack);
  // more optional columns than the standard ones can make room for: everything is narrowed alike
  const squeeze = needed > slack ? total / (total - slack + needed) : 1;
  const widths = columns.map((column, index) => {
    if (!column.standard) return optional[index]! * squeeze;
    const standard = scheme.standard[standardAt(column)]!;
    return (standard - (standard - least[index]!) * share) * squeeze;
  });
  const rounded = widths.map((width) => Math.round(width));
  const completion = columns.findIndex((column) => column.role === 'completion');
  rounded[completion] = total - sum(rounded.filter((_, index) => index !== completion));
  return rounded;
}
