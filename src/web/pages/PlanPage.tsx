import type { Key, ReactNode } from 'react';
import { useMemo, useState } from 'react';
import { Button, Card, Empty, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  FileTextOutlined,
  NodeCollapseOutlined,
  NodeExpandOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TableOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.js';
import { useAuth } from '../auth.js';
import { OrgTags } from '../components/OrgTags.js';
import { Highlight } from '../components/Highlight.js';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryState.js';
import { chapterHeading, pageTitle, planLabel } from '../format.js';
import type { OrganisationRef as Org } from '../../contract/common.js';
import type { PlanChapter, PlanItem, PlanTask, PlanTreeResponse as PlanResponse } from '../../contract/plans.js';

type Row =
  | { key: string; kind: 'chapter'; chapter: PlanChapter; itemCount: number; children: Row[] }
  | { key: string; kind: 'task'; task: PlanTask; children: Row[] }
  | { key: string; kind: 'item'; item: PlanItem; task: PlanTask };

const chapterKey = (chapter: PlanChapter) => `c${chapter.id}`;
const taskKey = (task: PlanTask) => `t${task.id}`;

function includes(text: string, needle: string): boolean {
  return text.toLowerCase().includes(needle);
}

function orgMatches(orgs: Org[], needle: string): boolean {
  return orgs.some((org) => includes(org.name, needle));
}

/** The plan as tree rows, keeping only the items (and their task and chapter) that match the search. */
function buildRows(chapters: PlanChapter[], search: string): Row[] {
  const needle = search.trim().toLowerCase();
  const rows: Row[] = [];
  for (const chapter of chapters) {
    const chapterHit = !needle || includes(chapterHeading(chapter), needle);
    const taskRows: Row[] = [];
    let itemCount = 0;
    for (const task of chapter.tasks) {
      const taskHit = chapterHit || includes(task.name, needle) || task.number === needle;
      const itemRows: Row[] = task.items
        .filter((item) => taskHit || includes(item.work, needle) || orgMatches(item.lead, needle) || orgMatches(item.cooperating, needle))
        .map((item) => ({ key: `i${item.id}`, kind: 'item', item, task }));
      if (itemRows.length === 0 && !(taskHit && task.items.length === 0)) continue;
      itemCount += itemRows.length;
      taskRows.push({ key: taskKey(task), kind: 'task', task, children: itemRows });
    }
    if (taskRows.length === 0) continue;
    rows.push({ key: chapterKey(chapter), kind: 'chapter', chapter, itemCount, children: taskRows });
  }
  return rows;
}

function allKeys(rows: Row[]): string[] {
  const keys: string[] = [];
  for (const row of rows) {
    if (row.kind === 'item') continue;
    keys.push(row.key);
    keys.push(...allKeys(row.children));
  }
  return keys;
}

export function PlanPage() {
  const params = useParams();
  const navigate = useNavigate();
  const plans = useQuery({ queryKey: ['plans'], queryFn: ({ signal }) => api.plans(signal) });
  const requested = params.planId === undefined ? undefined : Number(params.planId);
  const planId = requested ?? plans.data?.plans[0]?.id;
  const plan = useQuery({
    queryKey: ['plan', planId],
    queryFn: ({ signal }) => api.plan(planId as number, signal),
    enabled: planId !== undefined && Number.isInteger(planId),
  });

  if (requested !== undefined && !Number.isInteger(requested)) {
    return <ErrorState error={new Error('计划编号无效')} />;
  }
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  if (plans.isPending) return <LoadingState rows={12} />;
  if (plans.data.plans.length === 0) {
    return (
      <EmptyState description="暂无工作任务计划">
        <Typography.Text type="secondary">
          请先使用命令行导入任务分解方案或汇总表（例如 <code>luoshi import</code>），或以 <code>--demo</code> 启动服务载入演示数据。
        </Typography.Text>
      </EmptyState>
    );
  }

  const planOptions = plans.data.plans.map((p) => ({ value: p.id, label: planLabel(p) }));
  const selector = (
    <Select
      aria-label="选择计划"
      className="plan-select"
      style={{ minWidth: 320, maxWidth: '100%' }}
      value={planId}
      options={planOptions}
      onChange={(value: number) => void navigate(`/plans/${value}`)}
      showSearch={{ optionFilterProp: 'label' }}
    />
  );

  return (
    <>
      <title>{pageTitle(plan.data?.plan.title, '工作任务')}</title>
      {plan.isError ? (
        <>
          <div className="page-head">
            <Typography.Title level={2}>工作任务</Typography.Title>
            {selector}
          </div>
          <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />
        </>
      ) : plan.isPending ? (
        <>
          <div className="page-head">
            <Typography.Title level={2}>工作任务</Typography.Title>
            {selector}
          </div>
          <LoadingState rows={12} />
        </>
      ) : (
        <PlanView key={plan.data.plan.id} data={plan.data} selector={selector} />
      )}
    </>
  );
}

function PlanView({ data, selector }: { data: PlanResponse; selector: ReactNode }) {
  const supervisor = useAuth().user?.role === 'supervisor';
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const fullRows = useMemo(() => buildRows(data.chapters, ''), [data]);
  const rows = useMemo(() => buildRows(data.chapters, search), [data, search]);
  const [expanded, setExpanded] = useState<readonly Key[]>(() => fullRows.map((row) => row.key));
  const { counts } = data.plan;
  const needle = search.trim();
  const shownItems = rows.reduce((sum, row) => sum + (row.kind === 'chapter' ? row.itemCount : 0), 0);

  const onSearch = (value: string) => {
    setSearch(value);
    const next = buildRows(data.chapters, value);
    setExpanded(value.trim() ? allKeys(next) : next.map((row) => row.key));
  };

  const columns: TableColumnsType<Row> = [
    {
      key: 'name',
      title: '章节 / 任务 / 工作事项',
      ellipsis: { showTitle: false },
      onCell: (row) => ({ colSpan: row.kind === 'item' ? 1 : 3 }),
      render: (_, row) => {
        if (row.kind === 'chapter') {
          return (
            <span className="chapter-title">
              <Highlight text={chapterHeading(row.chapter)} query={needle} />
              <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 12 }}>
                {row.chapter.tasks.length} 项任务
              </Typography.Text>
            </span>
          );
        }
        if (row.kind === 'task') {
          return (
            <span className="task-title">
              <span className="task-number" title={`序号 ${row.task.number}`}>
                {row.task.number}
              </span>
              <Highlight text={row.task.name} query={needle} />
              <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                {row.task.items.length} 个事项
              </Typography.Text>
            </span>
          );
        }
        return (
          <>
            <Tooltip
              title={<span className="pre-wrap">{row.item.work}</span>}
              placement="topLeft"
              styles={{ root: { maxWidth: 560 } }}
              mouseEnterDelay={0.3}
            >
              <Link to={`/items/${row.item.id}`} className="item-link" onClick={(event) => event.stopPropagation()}>
                <span className="item-position">{row.item.position}.</span>
                <Highlight text={row.item.work} query={needle} />
              </Link>
            </Tooltip>
            {row.item.closed && (
              <Tag color="green" className="closed-tag">
                已办结销号
              </Tag>
            )}
          </>
        );
      },
    },
    {
      key: 'lead',
      title: '牵头单位',
      width: '22%',
      onCell: (row) => ({ colSpan: row.kind === 'item' ? 1 : 0 }),
      render: (_, row) => (row.kind === 'item' ? <OrgTags orgs={row.item.lead} lead /> : null),
    },
    {
      key: 'cooperating',
      title: '主要配合单位',
      width: '26%',
      onCell: (row) => ({ colSpan: row.kind === 'item' ? 1 : 0 }),
      render: (_, row) => (row.kind === 'item' ? <OrgTags orgs={row.item.cooperating} /> : null),
    },
  ];

  return (
    <>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>{data.plan.title}</Typography.Title>
          <Typography.Text type="secondary">
            {data.plan.year}年度{data.plan.issuer ? ` · ${data.plan.issuer}` : ''}
          </Typography.Text>
        </div>
        <Space wrap>
          <Link to={`/plans/${data.plan.id}/summary`}>
            <Button icon={<TableOutlined />}>全市汇总表</Button>
          </Link>
          <Link to={`/plans/${data.plan.id}/schedule`}>
            <Button icon={<ScheduleOutlined />}>报送安排</Button>
          </Link>
          {supervisor && (
            <>
              <Link to={`/plans/${data.plan.id}/bulletins`}>
                <Button icon={<FileTextOutlined />}>通报</Button>
              </Link>
              <Link to={`/plans/${data.plan.id}/supervision-settings`}>
                <Button icon={<SettingOutlined />}>督查设置</Button>
              </Link>
            </>
          )}
          {selector}
        </Space>
      </div>
      <Card styles={{ body: { padding: 0 } }}>
        <div className="toolbar">
          <span className="counts" data-testid="plan-counts">
            <b>{counts.chapters}</b> 个章节 · <b>{counts.tasks}</b> 项任务 · <b>{counts.items}</b> 个事项
          </span>
          <Space wrap>
            <Input.Search
              allowClear
              placeholder="搜索工作内容或单位名称"
              aria-label="搜索工作内容或单位名称"
              style={{ width: 260 }}
              onSearch={onSearch}
              onChange={(event) => {
                if (event.target.value === '') onSearch('');
              }}
            />
            <Button icon={<NodeExpandOutlined />} onClick={() => setExpanded(allKeys(rows))}>
              全部展开
            </Button>
            <Button icon={<NodeCollapseOutlined />} onClick={() => setExpanded([])}>
              全部收起
            </Button>
          </Space>
        </div>
        {needle && (
          <div style={{ padding: '8px 16px', borderBottom: '1px solid #f0f0f0' }}>
            <Typography.Text type="secondary">
              “{needle}”：找到 {shownItems} 个事项
            </Typography.Text>
          </div>
        )}
        <Table<Row>
          className="plan-table"
          rowKey="key"
          size="middle"
          tableLayout="fixed"
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 880 }}
          rowClassName={(row) => `row-${row.kind}`}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: (keys) => setExpanded(keys),
            expandRowByClick: true,
            indentSize: 20,
          }}
          onRow={(row) =>
            row.kind === 'item'
              ? { onClick: () => void navigate(`/items/${row.item.id}`), style: { cursor: 'pointer' } }
              : { style: { cursor: 'pointer' } }
          }
          locale={{
            emptyText: <Empty description={needle ? '没有符合条件的事项' : '该计划暂无任务'} />,
          }}
        />
      </Card>
    </>
  );
}
