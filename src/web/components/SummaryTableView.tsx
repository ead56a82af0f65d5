import type { ReactNode } from 'react';
import { Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { WarningFilled } from '@ant-design/icons';
import { Link } from 'react-router';
import { chapterHeading } from '../format.js';
import { chapterRowKey, itemRowKey } from './summaryRowKeys.js';
import type { SummaryColumns, SummaryItem } from '../../contract/common.js';

/** The headings of a summary table (the contract's); optional columns are shown only when the table has them. */
export type SummaryViewColumns = SummaryColumns;

/** A row of any summary table (imported, a unit's, the city's); a stored item has an id and links to its page. */
export type SummaryViewItem = SummaryItem & { id?: number };

export interface SummaryViewTask {
  number: string;
  name: string;
  items: SummaryViewItem[];
}

export interface SummaryViewChapter {
  numeral: string;
  title: string;
  tasks: SummaryViewTask[];
}

/** Messages attached to a row (a warning icon with a tooltip and a light highlight). */
export interface RowMark {
  messages: string[];
}

export type SummaryRow =
  | { key: string; kind: 'chapter'; heading: string }
  | {
      key: string;
      kind: 'item';
      task: SummaryViewTask;
      item: SummaryViewItem;
      /** false for the row standing in for a task without items */
      real: boolean;
      first: boolean;
      span: number;
    };

export { chapterRowKey, itemRowKey };

/** The summary table as printed rows: a chapter row, then one row per item with 序号/名称 merged down the task. */
export function summaryRows(chapters: SummaryViewChapter[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  chapters.forEach((chapter, chapterIndex) => {
    rows.push({ key: chapterRowKey(chapterIndex), kind: 'chapter', heading: chapterHeading(chapter) });
    chapter.tasks.forEach((task, taskIndex) => {
      const real = task.items.length > 0;
      const items: SummaryViewItem[] = real ? task.items : [{ work: '', lead: '', cooperating: '', completion: '' }];
      items.forEach((item, itemIndex) => {
        rows.push({
          key: itemRowKey(chapterIndex, taskIndex, itemIndex),
          kind: 'item',
          task,
          item,
          real,
          first: itemIndex === 0,
          span: items.length,
        });
      });
    });
  });
  return rows;
}

const text = (value: string | undefined) => (value ? <div className="pre-wrap">{value}</div> : null);

function markIcon(mark: RowMark | undefined): ReactNode {
  if (!mark) return null;
  return (
    <Tooltip
      title={
        <div>
          {mark.messages.map((message, index) => (
            <div key={index}>{message}</div>
          ))}
        </div>
      }
      styles={{ root: { maxWidth: 420 } }}
    >
      <WarningFilled className="row-warning-icon" aria-label={`警告：${mark.messages.join('；')}`} />
    </Tooltip>
  );
}

/** Renders an optional or extra column's cell differently from plain text (e.g. a warning light as a coloured tag). */
export type CellRenderers = Partial<Record<string, (item: SummaryViewItem) => ReactNode>>;

function summaryColumns(
  headings: SummaryViewColumns,
  extraHeadings: string[],
  emptyCompletion: ReactNode,
  marks: ReadonlyMap<string, RowMark> | undefined,
  renderers: CellRenderers,
): TableColumnsType<SummaryRow> {
  type Column = TableColumnsType<SummaryRow>[number];
  const optional = (key: 'deadline' | 'status' | 'leader' | 'problems' | 'nextSteps', width: number): Column | undefined => {
    const title = headings[key];
    if (!title) return undefined;
    return {
      key,
      title,
      width,
      onCell: (row) => (row.kind === 'chapter' ? { colSpan: 0 } : {}),
      render: (_, row) => (row.kind === 'item' ? (renderers[key] ? renderers[key](row.item) : text(row.item[key])) : null),
    };
  };

  // the chapter row spans every column, whichever optional ones are shown (counted once they are all listed)
  let span = 6;
  const leading: Column[] = [
    {
      key: 'number',
      title: headings.number,
      width: 64,
      onCell: (row) =>
        row.kind === 'chapter'
          ? { colSpan: span, className: 'cell-chapter' }
          : { rowSpan: row.first ? row.span : 0, className: 'cell-merged' },
      render: (_, row) =>
        row.kind === 'chapter' ? (
          <>
            {markIcon(marks?.get(row.key))}
            {row.heading}
          </>
        ) : (
          row.task.number
        ),
    },
    {
      key: 'name',
      title: headings.name,
      width: 120,
      onCell: (row) => (row.kind === 'chapter' ? { colSpan: 0 } : { rowSpan: row.first ? row.span : 0, className: 'cell-merged' }),
      render: (_, row) => (row.kind === 'item' ? row.task.name : null),
    },
    {
      key: 'work',
      title: headings.work,
      width: '24%',
      onCell: (row) => (row.kind === 'chapter' ? { colSpan: 0 } : {}),
      render: (_, row) => {
        if (row.kind !== 'item') return null;
        const mark = markIcon(marks?.get(row.key));
        const work = row.item.work;
        const body =
          work && row.item.id !== undefined ? (
            <Link to={`/items/${row.item.id}`} className="plain-link pre-wrap" title="查看事项详情">
              {work}
            </Link>
          ) : (
            text(work)
          );
        return mark ? (
          <div className="cell-with-mark">
            {mark}
            {body}
          </div>
        ) : (
          body
        );
      },
    },
  ];
  const leader = optional('leader', 110);
  if (leader) leading.push(leader);
  leading.push(
    {
      key: 'lead',
      title: headings.lead,
      width: 120,
      onCell: (row) => (row.kind === 'chapter' ? { colSpan: 0 } : {}),
      render: (_, row) => (row.kind === 'item' ? text(row.item.lead) : null),
    },
    {
      key: 'cooperating',
      title: headings.cooperating,
      width: 150,
      onCell: (row) => (row.kind === 'chapter' ? { colSpan: 0 } : {}),
      render: (_, row) => (row.kind === 'item' ? text(row.item.cooperating) : null),
    },
  );
  const deadline = optional('deadline', 110);
  if (deadline) leading.push(deadline);
  if (headings.completion) {
    leading.push({
      key: 'completion',
      title: headings.completion,
      onCell: (row) => (row.kind === 'chapter' ? { colSpan: 0 } : {}),
      render: (_, row) => (row.kind === 'item' && row.real ? (row.item.completion ? text(row.item.completion) : emptyCompletion) : null),
    });
  }
  const status = optional('status', 100);
  if (status) leading.push(status);
  // the report's own 存在问题 and 下步打算, in the order every export prints them
  for (const key of ['problems', 'nextSteps'] as const) {
    const column = optional(key, 180);
    if (column) leading.push({ ...column, render: (_, row) => (row.kind === 'item' && row.real ? text(row.item[key]) : null) });
  }
  for (const heading of extraHeadings) {
    leading.push({
      key: `extra:${heading}`,
      title: heading,
      width: 120,
      onCell: (row) => (row.kind === 'chapter' ? { colSpan: 0 } : {}),
      render: (_, row) =>
        row.kind === 'item' ? (renderers[heading] ? renderers[heading](row.item) : text(row.item.extra?.[heading])) : null,
    });
  }

  span = leading.length;
  // without a completion column, the work text takes the remaining width
  if (!headings.completion) delete (leading[2] as { width?: unknown }).width;
  return leading;
}

/** The extra column headings: those the table names, then any other key its items carry. */
function extraColumns(columns: SummaryViewColumns, chapters: SummaryViewChapter[]): string[] {
  const headings = [...(columns.extra ?? [])];
  for (const chapter of chapters) {
    for (const task of chapter.tasks) {
      for (const item of task.items) {
        for (const key of Object.keys(item.extra ?? {})) {
          if (!headings.includes(key)) headings.push(key);
        }
      }
    }
  }
  return headings;
}

/**
 * A summary table laid out like the printed one (序号 · 名称 · 工作任务 · 牵头单位 · 主要配合单位 · 完成情况, chapter
 * rows across the table, 序号/名称 merged down a task's items), for a stored unit's table and for an import preview.
 */
export function SummaryTableView({
  columns,
  chapters,
  loading,
  emptyCompletion = <Typography.Text type="secondary">（未报送）</Typography.Text>,
  marks,
  activeKey,
  renderers = {},
}: {
  columns: SummaryViewColumns;
  chapters: SummaryViewChapter[];
  loading?: boolean;
  /** shown in the completion cell of an item without completion text */
  emptyCompletion?: ReactNode;
  /** row key (chapterRowKey / itemRowKey) → warnings for that row */
  marks?: ReadonlyMap<string, RowMark>;
  /** a row to emphasise (e.g. the one a warning was clicked for) */
  activeKey?: string;
  /** custom cells of optional and extra columns, by column key (status, deadline, leader) or extra heading */
  renderers?: CellRenderers;
}) {
  const rows = summaryRows(chapters);
  const extras = extraColumns(columns, chapters);
  const tableColumns = summaryColumns(columns, extras, emptyCompletion, marks, renderers);
  return (
    <Table<SummaryRow>
      className="summary-table"
      rowKey="key"
      bordered
      size="middle"
      tableLayout="fixed"
      loading={loading}
      columns={tableColumns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 960 + Math.max(0, tableColumns.length - 6) * 120 }}
      rowClassName={(row) =>
        [`row-${row.kind}`, marks?.has(row.key) ? 'row-warned' : '', row.key === activeKey ? 'row-active' : ''].filter(Boolean).join(' ')
      }
    />
  );
}
