import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Badge, Button, Card, Empty, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../auth.js';
import { ErrorState } from '../components/QueryState.js';
import { FormDialog, TextAreaField } from '../components/supervision/FormDialog.js';
import { ColourTag, DueOn } from '../components/supervision/NoticeTags.js';
import { formatDateTime, pageTitle } from '../format.js';
import { inboxKey } from '../notificationsApi.js';
import {
  CLOSURE_STATE_TAGS,
  closuresKey,
  NOTICE_COLOUR_LABELS,
  NOTICE_COLOURS,
  NOTICE_STATE_LABELS,
  NOTICE_STATE_TAGS,
  NOTICE_STATES,
  type NoticeColour,
  type NoticeState,
  noticesKey,
  supervisionApi,
} from '../supervisionApi.js';
import type { ClosureRequest, NoticeSummary } from '../../contract/supervision.js';

/** A list filter: cleared, it shows everything. */
function FilterSelect<T extends string>({
  label,
  placeholder,
  value,
  onChange,
  options,
}: {
  label: string;
  placeholder: string;
  value: T | undefined;
  onChange: (value: T | undefined) => void;
  options: { value: T; label: string }[];
}) {
  return (
    <Select<T>
      aria-label={label}
      allowClear
      placeholder={placeholder}
      style={{ width: 130 }}
      value={value}
      onChange={onChange}
      options={options}
    />
  );
}

function NoticeTable() {
  const [state, setState] = useState<NoticeState>();
  const [colour, setColour] = useState<NoticeColour>();
  const filter = { state, colour };
  const notices = useQuery({
    queryKey: [...noticesKey, 'list', filter],
    queryFn: ({ signal }) => supervisionApi.notices(filter, signal),
  });
  const columns: TableColumnsType<NoticeSummary> = [
    {
      key: 'number',
      title: '文号',
      width: 150,
      render: (_, notice) => <Link to={`/notices/${notice.id}`}>{notice.numberText}</Link>,
    },
    { key: 'colour', title: '颜色', width: 110, render: (_, notice) => <ColourTag colour={notice.colour} /> },
    { key: 'unit', title: '主送单位', width: 160, render: (_, notice) => notice.organisation.name },
    {
      key: 'item',
      title: '督办事项',
      render: (_, notice) => (
        <div className="todo-work">
          <div className="todo-task">
            <span className="todo-task-number">{notice.item.taskNumber}</span>
            {notice.plan.title}
          </div>
          <Link to={`/items/${notice.item.id}`} className="todo-work-link">
            {notice.item.work}
          </Link>
        </div>
      ),
    },
    {
      key: 'state',
      title: '状态',
      width: 90,
      render: (_, notice) => <Tag color={NOTICE_STATE_TAGS[notice.state]}>{notice.stateLabel}</Tag>,
    },
    { key: 'due', title: '反馈时限', width: 170, render: (_, notice) => <DueOn notice={notice} /> },
    {
      key: 'created',
      title: '发出时间',
      width: 150,
      render: (_, notice) => (
        <Typography.Text type="secondary">
          {formatDateTime(notice.createdAt)}
          {notice.source === 'rule' ? '（自动）' : ''}
        </Typography.Text>
      ),
    },
  ];
  if (notices.isError && !notices.data) return <ErrorState error={notices.error} onRetry={() => void notices.refetch()} />;
  return (
    <>
      <div className="toolbar">
        <span className="counts">
          {notices.data ? (
            <>
              共 <b>{notices.data.notices.length}</b> 份督办单
            </>
          ) : (
            '正在加载…'
          )}
        </span>
        <Space wrap>
          <FilterSelect<NoticeState>
            label="按状态筛选"
            placeholder="全部状态"
            value={state}
            onChange={setState}
            options={NOTICE_STATES.map((value) => ({ value, label: NOTICE_STATE_LABELS[value] }))}
          />
          <FilterSelect<NoticeColour>
            label="按颜色筛选"
            placeholder="全部颜色"
            value={colour}
            onChange={setColour}
            options={NOTICE_COLOURS.map((value) => ({ value, label: `${NOTICE_COLOUR_LABELS[value]}督办单` }))}
          />
        </Space>
      </div>
      <Table<NoticeSummary>
        rowKey="id"
        loading={notices.isFetching}
        columns={columns}
        dataSource={notices.data?.notices ?? []}
        tableLayout="fixed"
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        rowClassName={(notice) => (notice.overdue ? 'notice-row-overdue' : '')}
        locale={{ emptyText: <Empty description={state || colour ? '没有符合条件的督办单' : '暂无督办单'} /> }}
      />
    </>
  );
}

function DecisionDialog({
  closure,
  decision,
  onClose,
}: {
  closure: ClosureRequest | null;
  decision: 'approve' | 'return';
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [comment, setComment] = useState('');
  const decide = useMutation({
    mutationFn: () => supervisionApi.decideClosure(closure!.id, decision, comment.trim()),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: closuresKey });
      void queryClient.invalidateQueries({ queryKey: ['timeline', result.item.id] });
      void queryClient.invalidateQueries({ queryKey: inboxKey });
      setComment('');
      onClose();
      void message.success(decision === 'approve' ? '已批准办结销号' : '已退回办结销号申请');
    },
  });
  const approve = decision === 'approve';
  return (
    <FormDialog
      open={closure !== null}
      title={approve ? '批准办结销号' : '退回办结销号申请'}
      okText={approve ? '批准销号' : '退回'}
      okButtonProps={{ danger: !approve, disabled: !approve && !comment.trim(), loading: decide.isPending }}
      onClose={onClose}
      onOk={() => decide.mutate()}
      error={closure ? decide.error : null}
    >
      {closure && (
        <>
          <Typography.Text>
            {closure.organisation.name} · {closure.item.taskNumber} {closure.item.work}
          </Typography.Text>
          <TextAreaField
            id="closure-comment"
            label={approve ? '审核意见（可不填）' : '退回理由（必填）'}
            value={comment}
            onChange={setComment}
            rows={4}
            maxLength={2000}
            showCount
            placeholder={approve ? '如：经核实，该事项已完成，同意销号' : '写明需要补充的完成情况或佐证材料'}
          />
        </>
      )}
    </FormDialog>
  );
}

function ClosureReview() {
  const closures = useQuery({
    queryKey: [...closuresKey, 'pending'],
    queryFn: ({ signal }) => supervisionApi.closures({ state: 'pending' }, signal),
  });
  const [deciding, setDeciding] = useState<{ closure: ClosureRequest; decision: 'approve' | 'return' } | null>(null);
  if (closures.isError && !closures.data) return <ErrorState error={closures.error} onRetry={() => void closures.refetch()} />;
  return (
    <>
      <Table<ClosureRequest>
        rowKey="id"
        loading={closures.isFetching}
        dataSource={closures.data?.closures ?? []}
        tableLayout="fixed"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description="没有待审核的办结销号申请" /> }}
        columns={[
          {
            title: '事项',
            render: (_, closure) => (
              <div className="todo-work">
                <div className="todo-task">
                  <span className="todo-task-number">{closure.item.taskNumber}</span>
                </div>
                <Link to={`/items/${closure.item.id}`} className="todo-work-link">
                  {closure.item.work}
                </Link>
              </div>
            ),
          },
          { title: '申请单位', width: 150, render: (_, closure) => closure.organisation.name },
          { title: '完成情况和佐证', render: (_, closure) => <div className="pre-wrap clamp-4">{closure.evidence}</div> },
          {
            title: '申请',
            width: 150,
            render: (_, closure) => (
              <Typography.Text type="secondary">
                {closure.createdBy}
                <br />
                {formatDateTime(closure.createdAt)}
              </Typography.Text>
            ),
          },
          {
            title: '状态',
            width: 90,
            render: (_, closure) => <Tag color={CLOSURE_STATE_TAGS[closure.state]}>{closure.stateLabel}</Tag>,
          },
          {
            title: '操作',
            width: 180,
            render: (_, closure) =>
              closure.state === 'pending' ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => setDeciding({ closure, decision: 'approve' })}>
                    批准销号
                  </Button>
                  <Button size="small" danger onClick={() => setDeciding({ closure, decision: 'return' })}>
                    退回
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <DecisionDialog closure={deciding?.closure ?? null} decision={deciding?.decision ?? 'approve'} onClose={() => setDeciding(null)} />
    </>
  );
}

/** 督办单: the notices the person may see (units: their own), and for the office the 办结销号 requests to review. */
export function NoticesPage() {
  const { user } = useAuth();
  const supervisor = user?.role === 'supervisor';
  const [search, setSearch] = useSearchParams();
  const tab = supervisor && search.get('tab') === 'closures' ? 'closures' : 'notices';
  const pending = useQuery({
    queryKey: [...closuresKey, 'pending'],
    queryFn: ({ signal }) => supervisionApi.closures({ state: 'pending' }, signal),
    enabled: supervisor,
  });
  const pendingCount = pending.data?.closures.length ?? 0;
  return (
    <>
      <title>{pageTitle(tab === 'closures' ? '办结销号审核' : '督办单')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>督办单</Typography.Title>
          <Typography.Text type="secondary">
            {supervisor
              ? '督查室发出的蓝、黄、红三色督办单及各单位的反馈；牵头单位的办结销号申请在“办结销号审核”中审核。'
              : '督查室发给本单位的督办单；请在反馈时限内反馈办理情况。'}
          </Typography.Text>
        </div>
      </div>
      <Card styles={{ body: { paddingTop: supervisor ? 4 : 0, paddingLeft: 0, paddingRight: 0 } }}>
        {supervisor ? (
          <Tabs
            activeKey={tab}
            onChange={(key) => setSearch(key === 'closures' ? { tab: 'closures' } : {}, { replace: true })}
            tabBarStyle={{ padding: '0 16px', marginBottom: 0 }}
            items={[
              { key: 'notices', label: '督办单', children: <NoticeTable /> },
              {
                key: 'closures',
                label: (
                  <span>
                    办结销号审核
                    {pendingCount > 0 && <Badge count={pendingCount} size="small" className="inbox-tab-badge" />}
                  </span>
                ),
                children: <ClosureReview />,
              },
            ]}
          />
        ) : (
          <NoticeTable />
        )}
      </Card>
    </>
  );
}
