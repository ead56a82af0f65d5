import type { ReactNode } from 'react';
import { Alert, Breadcrumb, Button, Card, Empty, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { FileExcelOutlined, FilePdfOutlined, FileTextOutlined, FileWordOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, summaryExportUrl } from '../api.js';
import { useAuth } from '../auth.js';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../components/QueryState.js';
import { SummaryTableView } from '../components/SummaryTableView.js';
import { pageTitle, planLabel } from '../format.js';
import type { ExportFormat } from '../../contract/vocabulary.js';

/** Roles that read only their own unit, and so have no register of units to go back to. */
const UNIT_ROLES = new Set(['unit_reporter', 'unit_leader']);

const DOWNLOADS: { format: ExportFormat; label: string; icon: ReactNode }[] = [
  { format: 'docx', label: '下载 Word', icon: <FileWordOutlined /> },
  { format: 'xlsx', label: '下载 Excel', icon: <FileExcelOutlined /> },
  { format: 'pdf', label: '下载 PDF', icon: <FilePdfOutlined /> },
  { format: 'csv', label: '下载 CSV', icon: <FileTextOutlined /> },
];

export function OrganisationPage() {
  const params = useParams();
  const { user } = useAuth();
  const ownUnitOnly = UNIT_ROLES.has(user?.role ?? '');
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
      {/* a unit role has no register to go back to: its menu's 本单位汇总表 is this page */}
      {!ownUnitOnly && (
        <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/organisations">责任单位</Link> }, { title: org.name }]} />
      )}
      <div className="page-head">
        <div>
          <Typography.Title level={2}>
            {org.name}
            <Tag style={{ marginLeft: 12, verticalAlign: 'middle', fontWeight: 'normal' }}>{org.kindLabel}</Tag>
          </Typography.Title>
          {org.aliases.length > 0 && <Typography.Text type="secondary">别名：{org.aliases.join('、')}</Typography.Text>}
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
        onChange={(value: string) => setSearchParams(planId !== undefined ? { plan: String(planId), period: value } : { period: value })}
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
    body = (
      <>
        {summary.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorMessage(summary.error)} />}
        <Typography.Title level={3} className="summary-title">
          {shown.table.title}
        </Typography.Title>
        <div className="summary-meta">
          <span>填报单位：{shown.table.organisation || org.name}</span>
          <span>
            {planLabel(shown.plan)} · {shown.period.label}
          </span>
        </div>
        {shown.table.chapters.length === 0 ? (
          <Empty description="该单位在此计划中没有承担的工作任务" />
        ) : (
          <SummaryTableView
            columns={shown.table.columns}
            chapters={shown.table.chapters}
            loading={summary.isFetching && summary.isPlaceholderData}
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
