import {
  AuditOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  CloseOutlined,
  EditOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  RollbackOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Empty, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../auth.js';
import { ErrorState, LoadingState, errorMessage } from '../components/QueryState.js';
import { formatDateTime, pageTitle } from '../format.js';
import { daysLeftTag, dueKey, myWorkKey, RELATION_LABELS, REPORT_STATE_COLORS, reportsApi, TEXT_LIMITS } from '../reportsApi.js';
import { reportPath, weekdayLabel } from '../scheduleApi.js';
import type {
  AcknowledgeTodo,
  ExtensionTodo,
  MyWorkResponse as MyWork,
  OverdueUnit,
  ReportTodo,
  ReturnedAssignmentTodo,
} from '../../contract/reports.js';

/** The work an item names: its task number and name above the item's text, linking where the row leads. */
function WorkCell({ todo, to }: { todo: { taskNumber: string; taskName: string; work: string }; to: string }) {
  return (
    <div className="todo-work">
      <div className="todo-task">
        <span className="todo-task-number">{todo.taskNumber}</span>
        {todo.taskName}
      </div>
      <Link to={to} className="todo-work-link">
        {todo.work}
      </Link>
    </div>
  );
}

function RoleTag({ role }: { role: string }) {
  return <Tag color={role === 'lead' ? 'blue' : undefined}>{RELATION_LABELS[role] ?? role}</Tag>;
}

function DueCell({ dueOn, daysLeft, showTag = true }: { dueOn: string | null; daysLeft: number | null; showTag?: boolean }) {
  if (!dueOn) return <Typography.Text type="secondary">未设截止日期</Typography.Text>;
  const tag = showTag ? daysLeftTag(daysLeft) : null;
  return (
    <div className="todo-due">
      <span className="due-date">
        {dueOn}
        <span className="due-date-weekday">{weekdayLabel(dueOn)}</span>
      </span>
      {tag && (
        <Tag color={tag.color} className="todo-days">
          {tag.text}
        </Tag>
      )}
    </div>
  );
}

const reportLink = (todo: ReportTodo) => reportPath(todo.itemId, todo.organisation.id, todo.period.code);

/** A unit and its part in the item. */
function UnitCell({ todo }: { todo: { organisation: { name: string }; role: string } }) {
  return (
    <Space size={4} wrap>
      <span>{todo.organisation.name}</span>
      <RoleTag role={todo.role} />
    </Space>
  );
}

function reportColumns(options: {
  organisation?: boolean;
  due?: boolean;
  state?: boolean;
  comment?: boolean;
  sent?: boolean;
  action: string;
}): TableColumnsType<ReportTodo> {
  const columns: TableColumnsType<ReportTodo> = [
    { key: 'work', title: '工作事项', render: (_, todo) => <WorkCell todo={todo} to={reportLink(todo)} /> },
  ];
  if (options.organisation) {
    columns.push({
      key: 'organisation',
      title: '填报单位',
      width: 190,
      render: (_, todo) => <UnitCell todo={todo} />,
    });
  } else {
    columns.push({ key: 'role', title: '分工', width: 72, render: (_, todo) => <RoleTag role={todo.role} /> });
  }
  columns.push({
    key: 'period',
    title: '报送周期',
    width: 110,
    render: (_, todo) => <span className="todo-period">{todo.period.label}</span>,
  });
  if (options.comment) {
    columns.push({
      key: 'comment',
      title: '退回意见',
      width: '30%',
      render: (_, todo) =>
        todo.comment ? <div className="todo-comment">{todo.comment}</div> : <Typography.Text type="secondary">—</Typography.Text>,
    });
  }
  if (options.sent) {
    columns.push({
      key: 'sent',
      title: '报送',
      width: 170,
      render: (_, todo) =>
        todo.updatedAt ? (
          <span>
            {todo.updatedBy ?? '—'}
            <br />
            <Typography.Text type="secondary">{formatDateTime(todo.updatedAt)}</Typography.Text>
          </span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    });
  }
  if (options.due !== false) {
    columns.push({
      key: 'due',
      title: '截止日期',
      width: 200,
      render: (_, todo) => <DueCell dueOn={todo.dueOn} daysLeft={todo.daysLeft} showTag={options.due === true} />,
    });
  }
  if (options.state) {
    columns.push({
      key: 'state',
      title: '状态',
      width: 100,
      render: (_, todo) => <Tag color={REPORT_STATE_COLORS[todo.state] ?? 'default'}>{todo.stateLabel}</Tag>,
    });
  }
  columns.push({
    key: 'open',
    title: '',
    width: 96,
    align: 'right',
    render: (_, todo) => (
      <Link to={reportLink(todo)} aria-label={`${options.action}：${todo.taskNumber} ${todo.period.label}`}>
        <Button size="small" type={options.action === '查看' ? 'default' : 'primary'} ghost={options.action !== '查看'}>
          {options.action}
        </Button>
      </Link>
    ),
  });
  return columns;
}

function Section({
  id,
  icon,
  title,
  count,
  note,
  tone,
  children,
}: {
  id: string;
  icon: ReactNode;
  title: string;
  count: number;
  note?: ReactNode;
  tone?: 'danger' | 'warning';
  children: ReactNode;
}) {
  return (
    <Card
      id={id}
      className={`todo-section${tone ? ` todo-section-${tone}` : ''}`}
      data-testid={`todo-${id}`}
      title={
        <Space size={8}>
          <span className="todo-section-icon">{icon}</span>
          <span>{title}</span>
          <span className="todo-count">{count}</span>
          {note && <span className="todo-section-note">{note}</span>}
        </Space>
      }
      styles={{ body: { padding: 0 } }}
    >
      {children}
    </Card>
  );
}

function TodoTable<T extends object>({ rows, columns, rowKey }: { rows: T[]; columns: TableColumnsType<T>; rowKey: (row: T) => string }) {
  return (
    <Table<T>
      className="todo-table"
      size="middle"
      rowKey={rowKey}
      columns={columns}
      dataSource={rows}
      tableLayout="fixed"
      pagination={
        rows.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false, showTotal: (total) => `共 ${total} 项` } : false
      }
    />
  );
}

/** the server's first page of 我的待办 (src/services/my-work.ts DUE_PAGE_SIZE) */
const DUE_PAGE_SIZE = 20;
const todoKey = (todo: ReportTodo) => `${todo.itemId}-${todo.organisation.id}-${todo.period.code}`;
const overdueRow = (todo: ReportTodo) => ((todo.daysLeft ?? 0) < 0 ? 'todo-row-overdue' : '');

/**
 * The reports owed, a page at a time from the server, the most overdue first (a unit may owe years of them). The
 * first page of the unit's own list comes with 我的待办; the office's list of one unit is read when it is opened.
 */
function DueTable({
  first,
  total,
  organisationId,
  overdueOnly,
  columns,
}: {
  first?: ReportTodo[];
  total?: number;
  organisationId?: number;
  overdueOnly?: boolean;
  columns: TableColumnsType<ReportTodo>;
}) {
  const [page, setPage] = useState(1);
  const pageSize = DUE_PAGE_SIZE;
  const query = { organisationId, overdueOnly, page, pageSize };
  const useFirst = page === 1 && first !== undefined;
  const rows = useQuery({
    queryKey: dueKey(query),
    queryFn: ({ signal }) => reportsApi.due(query, signal),
    enabled: !useFirst,
    placeholderData: keepPreviousData,
  });
  if (rows.isError) return <Alert type="error" showIcon title={errorMessage(rows.error)} />;
  const data = useFirst ? first : rows.data?.rows;
  const count = (useFirst ? total : rows.data?.total) ?? total ?? 0;
  return (
    <Table<ReportTodo>
      className="todo-table"
      size="middle"
      rowKey={todoKey}
      rowClassName={overdueRow}
      columns={columns}
      dataSource={data ?? []}
      loading={!useFirst && rows.isFetching}
      tableLayout="fixed"
      pagination={
        count > pageSize
          ? {
              current: page,
              pageSize,
              total: count,
              size: 'small',
              showSizeChanger: false,
              showTotal: (all) => `共 ${all} 项`,
              onChange: (next) => setPage(next),
            }
          : false
      }
    />
  );
}

/** 逾期未报 for the office: each unit with overdue reports, how many and since when, opening to its list. */
function OverdueUnitsTable({ units, columns }: { units: OverdueUnit[]; columns: TableColumnsType<ReportTodo> }) {
  const unitColumns: TableColumnsType<OverdueUnit> = [
    {
      key: 'organisation',
      title: '责任单位',
      render: (_, unit) => <Link to={`/organisations/${unit.organisation.id}`}>{unit.organisation.name}</Link>,
    },
    {
      key: 'overdue',
      title: '逾期未报',
      width: 140,
      render: (_, unit) => (
        <Tag color="red" className="todo-days">
          {unit.overdue} 份
        </Tag>
      ),
    },
    {
      key: 'oldest',
      title: '最早截止日期',
      width: 260,
      render: (_, unit) => (
        <div className="todo-due">
          <span className="due-date">
            {unit.oldestDueOn}
            <span className="due-date-weekday">{weekdayLabel(unit.oldestDueOn)}</span>
          </span>
          <Tag color="red" className="todo-days">
            已逾期 {unit.daysOverdue} 天
          </Tag>
        </div>
      ),
    },
  ];
  return (
    <Table<OverdueUnit>
      className="todo-table"
      size="middle"
      rowKey={(unit) => String(unit.organisation.id)}
      columns={unitColumns}
      dataSource={units}
      tableLayout="fixed"
      expandable={{
        expandRowByClick: true,
        expandedRowRender: (unit) => <DueTable organisationId={unit.organisation.id} overdueOnly columns={columns} />,
      }}
      pagination={
        units.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false, showTotal: (all) => `共 ${all} 个单位` } : false
      }
    />
  );
}

/** 延期申请: the office approves or refuses a unit's request right here, with a comment (required to refuse). */
function ExtensionDecision({
  target,
  open,
  onClose,
}: {
  target: { todo: ExtensionTodo; approve: boolean } | null;
  open: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [comment, setComment] = useState('');
  const decide = useMutation({
    mutationFn: () => reportsApi.decideExtension(target!.todo.extensionId, target!.approve, comment.trim() || undefined),
    onSuccess: () => {
      void message.success(target!.approve ? `已同意延期至 ${target!.todo.requestedDueOn}` : '已不同意延期');
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'my-work' || query.queryKey[0] === 'report' });
      onClose();
    },
  });
  const approve = target?.approve ?? true;
  return (
    <Modal
      open={open}
      title={approve ? '同意延期' : '不同意延期'}
      okText={approve ? '同意' : '不同意'}
      cancelText="取消"
      okButtonProps={{ danger: !approve, disabled: !approve && !comment.trim(), loading: decide.isPending }}
      onOk={() => decide.mutate()}
      onCancel={onClose}
      afterClose={() => {
        setComment('');
        decide.reset();
      }}
      destroyOnHidden
    >
      {target && (
        <div className="dialog-form">
          <dl className="todo-extension-facts">
            <dt>单位</dt>
            <dd>{target.todo.organisation.name}</dd>
            <dt>事项</dt>
            <dd>
              {target.todo.taskNumber} {target.todo.work}
            </dd>
            <dt>周期</dt>
            <dd>{target.todo.period.label}</dd>
            <dt>截止日期</dt>
            <dd>
              {target.todo.dueOn ?? '未设'} → <b>{target.todo.requestedDueOn}</b>（{weekdayLabel(target.todo.requestedDueOn)}）
            </dd>
            <dt>申请理由</dt>
            <dd className="pre-wrap">{target.todo.reason}</dd>
          </dl>
          <label htmlFor="extension-comment">{approve ? '意见（可不填）' : '不同意的理由'}</label>
          <Input.TextArea
            id="extension-comment"
            autoFocus
            rows={3}
            maxLength={TEXT_LIMITS.decisionComment.max}
            showCount
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            placeholder={approve ? '如：同意，请按期报送' : '请写明理由，单位将看到'}
          />
          {decide.error && <Alert type="error" showIcon title={errorMessage(decide.error)} />}
        </div>
      )}
    </Modal>
  );
}

function total(work: MyWork): number {
  return work.total;
}

/**
 * 我的待办: what waits for the signed-in person, section by section, each shown only when it has something: parts of
 * items to sign for, reports due (most urgent first), reports returned with the comment, reports to approve or to
 * review, extension requests to decide, and assignments units returned.
 */
export function MyWorkPage() {
  const { user } = useAuth();
  const query = useQuery({
    queryKey: myWorkKey,
    queryFn: ({ signal }) => reportsApi.myWork(signal),
    staleTime: 0,
    refetchOnMount: 'always',
  });
  // the request being decided; kept while the dialog closes
  const [deciding, setDeciding] = useState<{ todo: ExtensionTodo; approve: boolean } | null>(null);
  const [decidingOpen, setDecidingOpen] = useState(false);
  const decideOn = (todo: ExtensionTodo, approve: boolean) => {
    setDeciding({ todo, approve });
    setDecidingOpen(true);
  };

  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <LoadingState rows={8} />;
  const work = query.data;
  const supervisor = user?.role === 'supervisor';
  const overdue = work.overdueTotal;
  const reviewCount = work.toApprove.length + work.toReview.length;

  const acknowledgeColumns: TableColumnsType<AcknowledgeTodo> = [
    { key: 'work', title: '工作事项', render: (_, todo) => <WorkCell todo={todo} to={`/items/${todo.itemId}`} /> },
    { key: 'role', title: '分工', width: 72, render: (_, todo) => <RoleTag role={todo.role} /> },
    {
      key: 'plan',
      title: '工作计划',
      width: 220,
      render: (_, todo) => <Typography.Text type="secondary">{todo.planTitle}</Typography.Text>,
    },
    {
      key: 'open',
      title: '',
      width: 96,
      align: 'right',
      render: (_, todo) => (
        <Link to={`/items/${todo.itemId}`} aria-label={`签收：${todo.taskNumber} ${todo.work}`}>
          <Button size="small" type="primary" ghost>
            去签收
          </Button>
        </Link>
      ),
    },
  ];

  const extensionColumns: TableColumnsType<ExtensionTodo> = [
    { key: 'work', title: '工作事项', render: (_, todo) => <WorkCell todo={todo} to={reportLink(todo)} /> },
    {
      key: 'organisation',
      title: '申请单位',
      width: 170,
      render: (_, todo) => <UnitCell todo={todo} />,
    },
    { key: 'period', title: '报送周期', width: 96, render: (_, todo) => todo.period.label },
    {
      key: 'dates',
      title: '截止日期',
      width: 190,
      render: (_, todo) => (
        <div className="todo-extension-dates">
          <Typography.Text type="secondary" delete>
            {todo.dueOn ?? '未设'}
          </Typography.Text>
          <span>
            申请延至 <b>{todo.requestedDueOn}</b>
          </span>
        </div>
      ),
    },
    { key: 'reason', title: '申请理由', width: '24%', render: (_, todo) => <div className="todo-comment todo-reason">{todo.reason}</div> },
    {
      key: 'decide',
      title: '',
      width: 170,
      align: 'right',
      render: (_, todo) => (
        <Space size={6}>
          <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => decideOn(todo, true)}>
            同意
          </Button>
          <Button size="small" danger icon={<CloseOutlined />} onClick={() => decideOn(todo, false)}>
            不同意
          </Button>
        </Space>
      ),
    },
  ];

  const returnedAssignmentColumns: TableColumnsType<ReturnedAssignmentTodo> = [
    { key: 'work', title: '工作事项', render: (_, todo) => <WorkCell todo={todo} to={`/items/${todo.itemId}`} /> },
    {
      key: 'organisation',
      title: '退回单位',
      width: 170,
      render: (_, todo) => <UnitCell todo={todo} />,
    },
    {
      key: 'reason',
      title: '退回理由',
      width: '32%',
      render: (_, todo) => (todo.reason ? <div className="todo-comment">{todo.reason}</div> : '—'),
    },
    {
      key: 'open',
      title: '',
      width: 110,
      align: 'right',
      render: (_, todo) => (
        <Link to={`/items/${todo.itemId}`} aria-label={`重新分配：${todo.taskNumber} ${todo.work}`}>
          <Button size="small" type="primary" ghost>
            调整分工
          </Button>
        </Link>
      ),
    },
  ];

  const summary: { id: string; label: string; count: number; tone?: 'danger' | 'warning' }[] = [
    { id: 'returned', label: '被退回', count: work.returned.length, tone: 'danger' as const },
    { id: 'overdue-units', label: `个单位逾期未报（共 ${overdue} 份）`, count: work.overdueUnits.length, tone: 'danger' as const },
    {
      id: 'due',
      label: overdue > 0 ? `待填报（${overdue} 项逾期）` : '待填报',
      count: work.dueTotal,
      tone: overdue > 0 ? ('danger' as const) : undefined,
    },
    { id: 'review', label: '待审核', count: reviewCount, tone: 'warning' as const },
    { id: 'extensions', label: '延期申请', count: work.extensions.length, tone: 'warning' as const },
    { id: 'acknowledge', label: '待签收', count: work.toAcknowledge.length },
    { id: 'returned-assignments', label: '退回的分工', count: work.returnedAssignments.length },
  ].filter((entry) => entry.count > 0);

  return (
    <>
      <title>{pageTitle('我的待办')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>我的待办</Typography.Title>
          <Typography.Text type="secondary">
            {user?.organisation.name} · {user?.roleLabel}
          </Typography.Text>
        </div>
        {summary.length > 1 && (
          <nav className="todo-summary" aria-label="待办统计">
            {summary.map((entry) => (
              <a key={entry.id} href={`#${entry.id}`} className={`todo-summary-entry${entry.tone ? ` todo-summary-${entry.tone}` : ''}`}>
                <span className="todo-summary-count">{entry.count}</span>
                <span className="todo-summary-label">{entry.label}</span>
              </a>
            ))}
          </nav>
        )}
      </div>

      {total(work) === 0 && (
        <Card className="todo-empty">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待办事项">
            <Typography.Text type="secondary">需要您签收、填报、审核或审批的事项会显示在这里。</Typography.Text>
          </Empty>
        </Card>
      )}

      {work.returned.length > 0 && (
        <Section
          id="returned"
          icon={<RollbackOutlined />}
          title="被退回"
          count={work.returned.length}
          tone="danger"
          note="请按意见修改后重新报送"
        >
          <TodoTable rows={work.returned} rowKey={todoKey} columns={reportColumns({ comment: true, due: true, action: '修改' })} />
        </Section>
      )}

      {work.dueTotal > 0 && (
        <Section
          id="due"
          icon={<EditOutlined />}
          title="待填报"
          count={work.dueTotal}
          tone={overdue > 0 ? 'danger' : undefined}
          note={overdue > 0 ? `其中 ${overdue} 项已逾期，逾期最久的在前` : '按截止日期排列'}
        >
          <DueTable first={work.due} total={work.dueTotal} columns={reportColumns({ due: true, state: true, action: '填报' })} />
        </Section>
      )}

      {work.overdueUnits.length > 0 && (
        <Section
          id="overdue-units"
          icon={<ClockCircleOutlined />}
          title="逾期未报"
          count={work.overdueUnits.length}
          tone="danger"
          note={`${work.overdueUnits.length} 个单位共 ${overdue} 份报告已过截止日期仍未报送，点击单位查看明细`}
        >
          <OverdueUnitsTable units={work.overdueUnits} columns={reportColumns({ due: true, state: true, action: '查看' })} />
        </Section>
      )}

      {reviewCount > 0 && (
        <Section id="review" icon={<AuditOutlined />} title="待审核" count={reviewCount} tone="warning">
          {work.toApprove.length > 0 && (
            <>
              {work.toReview.length > 0 && <div className="todo-subhead">本单位报告 · 待单位负责人审核（{work.toApprove.length}）</div>}
              <TodoTable
                rows={work.toApprove}
                rowKey={todoKey}
                columns={reportColumns({ sent: true, due: true, state: true, action: '审核' })}
              />
            </>
          )}
          {work.toReview.length > 0 && (
            <>
              {(work.toApprove.length > 0 || !supervisor) && (
                <div className="todo-subhead">
                  {supervisor ? '牵头单位报告 · 待督查室采纳' : '配合单位报告 · 待本单位（牵头）采纳'}（{work.toReview.length}）
                </div>
              )}
              <TodoTable
                rows={work.toReview}
                rowKey={todoKey}
                columns={reportColumns({ organisation: true, sent: true, due: true, state: true, action: '审核' })}
              />
            </>
          )}
        </Section>
      )}

      {work.extensions.length > 0 && (
        <Section id="extensions" icon={<FieldTimeOutlined />} title="延期申请" count={work.extensions.length} tone="warning">
          <TodoTable rows={work.extensions} rowKey={(todo) => String(todo.extensionId)} columns={extensionColumns} />
        </Section>
      )}

      {work.toAcknowledge.length > 0 && (
        <Section
          id="acknowledge"
          icon={<FileDoneOutlined />}
          title="待签收"
          count={work.toAcknowledge.length}
          note="确认分工后签收，分工有误可退回"
        >
          <TodoTable
            rows={work.toAcknowledge}
            rowKey={(todo) => `${todo.itemId}-${todo.organisation.id}-${todo.role}`}
            columns={acknowledgeColumns}
          />
        </Section>
      )}

      {work.returnedAssignments.length > 0 && (
        <Section
          id="returned-assignments"
          icon={<SolutionOutlined />}
          title="退回的分工"
          count={work.returnedAssignments.length}
          note="单位认为分工有误，请重新分配"
        >
          <TodoTable
            rows={work.returnedAssignments}
            rowKey={(todo) => `${todo.itemId}-${todo.organisation.id}-${todo.role}`}
            columns={returnedAssignmentColumns}
          />
        </Section>
      )}

      <ExtensionDecision target={deciding} open={decidingOpen} onClose={() => setDecidingOpen(false)} />
    </>
  );
}
