import type { ReactNode } from 'react';
import { Alert, Breadcrumb, Button, Card, Empty, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { FileExcelOutlined, FileTextOutlined, FileWordOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, summaryExportUrl } from '../api.js';
import type { ExportFormat, SummaryColumns, SummaryItemRow, SummaryResponse, SummaryTaskRow } from '../api.js';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../components/QueryState.js';
import { chapterHeading, pageTitle, planLabel } from '../format.js';

type SummaryRow =
  | { key: string; kind: 'chapter'; heading: string }
  | { key: string; kind: 'item'; task: SummaryTaskRow; item: SummaryItemRow; first: boolean; span: number };

/** The summary table as printed rows: a chapter row, then one row per item with 序号/名称 merged down the task. */
function summaryRows(table: SummaryResponse['table']): SummaryRow[] {
  const rows: SummaryRow[] = [];
  table.chapters.forEach((chapter, chapterIndex) => {
    rows.push({ key: `c${chapterIndex}`, kind: 'chapter', heading: chapterHeading(chapter) });
    for (const task of chapter.tasks) {
      const items: SummaryItemRow[] =
        task.items.length > 0 ? task.items : [{ id: -task.id, work: '', lead: '', cooperating: '', completion: '' }];
      items.forEach((item, index) => {
        rows.push({
          key: `t${task.id}-i${item.id}-${index}`,
          kind: 'item',
          task,
          item,
          first: index === 0,
          span: items.length,
        });
      });
    }
  });
  return rows;
}

function summaryColumns(headings: SummaryColumns): TableColumnsType<SummaryRow> {
  const hiddenForChapter = (row: SummaryRow) => (row.kind === 'chapter' ? { colSpan: 0 } : {});
  const merged = (row: SummaryRow) =>
    row.kind === 'chapter'
      ? { colSpan: 0 }
      : { rowSpan: row.first ? row.span : 0, className: 'cell-merged' };
  const text = (value: string) => (value ? <div className="pre-wrap">{value}</div> : null);
  return [
    {
      key: 'number',
      title: headings.number,
      width: 64,
      onCell: (row) =>
        row.kind === 'chapter'
          ? { colSpan: 6, className: 'cell-chapter' }
          : { rowSpan: row.first ? row.span : 0, className: 'cell-merged' },
      render: (_, row) => (row.kind === 'chapter' ? row.heading : row.task.number),
    },
    {
      key: 'name',
      title: headings.name,
      width: 120,
      onCell: merged,
      render: (_, row) => (row.kind === 'item' ? row.task.name : null),
    },
    {
      key: 'work',
      title: headings.work,
      width: '24%',
      onCell: hiddenForChapter,
      render: (_, row) =>
        row.kind === 'item' && row.item.work ? (
          row.item.id > 0 ? (
            <Link to={`/items/${row.item.id}`} className="plain-link pre-wrap" title="查看事项详情">
              {row.item.work}
            </Link>
          ) : (
            text(row.item.work)
          )
        ) : null,
    },
    {
      key: 'lead',
      title: headings.lead,
      width: 120,
      onCell: hiddenForChapter,
      render: (_, row) => (row.kind === 'item' ? text(row.item.lead) : null),
    },
    {
      key: 'cooperating',
      title: headings.cooperating,
      width: 150,
      onCell: hiddenForChapter,
      render: (_, row) => (row.kind === 'item' ? text(row.item.cooperating) : null),
    },
    {
      key: 'completion',
      title: headings.completion,
      onCell: hiddenForChapter,
      render: (_, row) =>
        row.kind === 'item' ? (
          row.item.completion ? (
            text(row.item.completion)
          ) : (
            <Typography.Text type="secondary">（未报送）</Typography.Text>
          )
        ) : null,
    },
  ];
}

const DOWNLOADS: { format: ExportFormat; label: string; icon: ReactNode }[] = [
  { format: 'docx', label: '下载 Word', icon: <FileWordOutlined /> },
  { format: 'xlsx', label: '下载 Excel', icon: <FileExcelOutlined /> },
  { format: 'csv', label: '下载 CSV', icon: <FileTextOutlined /> },
];

export function OrganisationPage() {
  const params = useParams();
  const orgId = Number(params.orgId);
  const valid = Number.isInteger(orgId) && orgId > 0;
  const [searchParams, setSearchParams] = useSearchParams();
  const planParam = searchParams.get('plan');
  const requestedPlan = planParam && /^\d+$/.test(planParam) ? Number(planParam) : undefined;
  const requestedPeriod = searchParams.get('period') ?? undefined;

  const organisation = useQuery({
    queryKey: ['organisation', orgId],
    queryFn: ({ signal }) => api.organisation(orgId, signal),
    enabled: valid,
  });
  const hasPlans = (organisation.data?.plans.length ?? 0) > 0;
  const summary = useQuery({
    queryKey: ['summary', orgId, requestedPlan ?? null, requestedPeriod ?? null],
    queryFn: ({ signal }) => api.summary(orgId, { plan: requestedPlan, period: requestedPeriod }, signal),
    enabled: valid && hasPlans,
    placeholderData: keepPreviousData,
  });

  if (!valid) return <ErrorState error={new Error('单位编号无效')} />;
  if (organisation.isError) {
    return <ErrorState error={organisation.error} onRetry={() => void organisation.refetch()} />;
  }
  if (organisation.isPending) return <LoadingState rows={12} />;

  const { organisation: org, plans } = organisation.data;
  const shown = summary.data;
  const planId = shown?.plan.id ?? requestedPlan ?? plans[0]?.id;
  const periodCode = shown?.period.code ?? requestedPeriod;
  const selectedPlan = plans.find((plan) => plan.id === planId);

  const header = (
    <>
      <title>{pageTitle(org.name, '汇总表')}</title>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/organisations">责任单位</Link> }, { title: org.name }]}
      />
      <div className="page-head">
        <div>
          <Typography.Title level={2}>
            {org.name}
            <Tag style={{ marginLeft: 12, verticalAlign: 'middle', fontWeight: 'normal' }}>{org.kindLabel}</Tag>
          </Typography.Title>
          {org.aliases.length > 0 && (
            <Typography.Text type="secondary">别名：{org.aliases.join('、')}</Typography.Text>
          )}
        </div>
      </div>
    </>
  );

  if (!hasPlans) {
    return (
      <>
        {header}
        <EmptyState description="该单位在现有计划中没有承担工作任务，暂无汇总表" />
      </>
    );
  }

  const selectors = (
    <Space wrap>
      <span className="toolbar-label">计划</span>
      <Select
        aria-label="选择计划"
        style={{ minWidth: 300 }}
        value={planId}
        placeholder="选择计划"
        options={plans.map((plan) => ({ value: plan.id, label: planLabel(plan) }))}
        onChange={(value: number) => setSearchParams({ plan: String(value) })}
      />
      <span className="toolbar-label">报送期</span>
      <Select
        aria-label="选择报送期"
        style={{ minWidth: 140 }}
        value={periodCode}
        placeholder="选择报送期"
        options={(selectedPlan?.periods ?? []).map((period) => ({ value: period.code, label: period.label }))}
        onChange={(value: string) =>
          setSearchParams(planId !== undefined ? { plan: String(planId), period: value } : { period: value })
        }
        notFoundContent="该计划暂无报送期"
      />
    </Space>
  );

  const downloads = shown ? (
    <Space wrap>
      {DOWNLOADS.map(({ format, label, icon }) => (
        <Button
          key={format}
          icon={icon}
          href={summaryExportUrl(orgId, { plan: shown.plan.id, period: shown.period.code, format })}
          download
          type={format === 'docx' ? 'primary' : 'default'}
        >
          {label}
        </Button>
      ))}
    </Space>
  ) : null;

  let body: ReactNode;
  if (summary.isError && !shown) {
    body = (
      <ErrorState
        error={summary.error}
        onRetry={() => void summary.refetch()}
        actions={
          searchParams.size > 0 ? (
            <Button key="reset" onClick={() => setSearchParams({})}>
              查看默认汇总表
            </Button>
          ) : null
        }
      />
    );
  } else if (!shown) {
    body = <Skeleton active paragraph={{ rows: 10 }} />;
  } else {
    const rows = summaryRows(shown.table);
    body = (
      <>
        {summary.isError && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorMessage(summary.error)} />
        )}
        <Typography.Title level={3} className="summary-title">
          {shown.table.title}
        </Typography.Title>
        <div className="summary-meta">
          <span>报送单位：{shown.table.organisation || org.name}</span>
          <span>
            {planLabel(shown.plan)} · {shown.period.label}
          </span>
        </div>
        {rows.length === 0 ? (
          <Empty description="该单位在此计划中没有承担的工作任务" />
        ) : (
          <Table<SummaryRow>
            className="summary-table"
            rowKey="key"
            bordered
            size="middle"
            tableLayout="fixed"
            loading={summary.isFetching && summary.isPlaceholderData}
            columns={summaryColumns(shown.table.columns)}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 960 }}
            rowClassName={(row) => `row-${row.kind}`}
          />
        )}
      </>
    );
  }

  return (
    <>
      {header}
      <Card className="summary-card" styles={{ body: { padding: 0 } }}>
        <div className="toolbar">
          {selectors}
          {downloads}
        </div>
        <div className="summary-body">{body}</div>
      </Card>
    </>
  );
}
