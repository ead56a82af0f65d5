import type { ReactNode } from 'react';
import { Breadcrumb, Button, Card, Select, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { FileExcelOutlined, FilePdfOutlined, FileTextOutlined, FileWordOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, query, requestJson } from '../api.js';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryState.js';
import { SummaryTableView, type SummaryViewItem } from '../components/SummaryTableView.js';
import { chapterHeading, pageTitle, planLabel } from '../format.js';
import { organisationsApi } from '../organisationsApi.js';
import type { CityItem, CitySummaryResponse } from '../../contract/plans.js';
import type { Schedule } from '../../contract/schedule.js';
import type { ExportFormat, Light } from '../../contract/vocabulary.js';

const FILTERS = ['period', 'chapter', 'organisation', 'status', 'light'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export const LIGHT_COLOURS: Record<Light, string> = { green: 'success', yellow: 'warning', red: 'error', grey: 'default' };
const LIGHT_OPTIONS: { value: Light; label: string }[] = [
  { value: 'red', label: '红灯' },
  { value: 'yellow', label: '黄灯' },
  { value: 'green', label: '绿灯' },
  { value: 'grey', label: '无灯' },
];
const STATUS_OPTIONS = ['已完成', '序时推进', '进度滞后', '未完成', '持续推进', '未报送'];

const DOWNLOADS: { format: ExportFormat; label: string; icon: ReactNode }[] = [
  { format: 'docx', label: 'Word', icon: <FileWordOutlined /> },
  { format: 'xlsx', label: 'Excel', icon: <FileExcelOutlined /> },
  { format: 'pdf', label: 'PDF', icon: <FilePdfOutlined /> },
  { format: 'csv', label: 'CSV', icon: <FileTextOutlined /> },
];

/** The warning light of an item: a coloured tag whose tooltip says why; a closed item says so instead. */
function LightTag({ item }: { item: CityItem }) {
  return (
    <Tooltip title={item.lightReason}>
      <Tag color={LIGHT_COLOURS[item.light]} className="light-tag">
        {item.closed ? '已销号' : item.light !== 'grey' ? item.lightLabel : item.status === '未报送' ? '待报送' : '未标明状态'}
      </Tag>
    </Tooltip>
  );
}

/**
 * 全市汇总表: one row per item with the lead unit's consolidated report for a period, its status and warning light;
 * the filters live in the address, so a filtered table can be sent to someone as a link.
 */
export function CitySummaryPage() {
  const planId = Number(useParams().planId);
  const [searchParams, setSearchParams] = useSearchParams();
  const filters: Filters = Object.fromEntries(FILTERS.flatMap((name) => (searchParams.get(name) ? [[name, searchParams.get(name)!]] : [])));
  const setFilter = (name: keyof Filters, value: string | undefined) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearchParams(next, { replace: true });
  };

  const summary = useQuery({
    queryKey: ['city-summary', planId, filters],
    queryFn: ({ signal }) => requestJson<CitySummaryResponse>(`/api/plans/${planId}/summary${query(filters)}`, { signal }),
    placeholderData: keepPreviousData,
    enabled: Number.isInteger(planId) && planId > 0,
  });
  const schedule = useQuery({
    queryKey: ['schedule', planId],
    queryFn: ({ signal }) => requestJson<Schedule>(`/api/plans/${planId}/schedule`, { signal }),
  });
  const tree = useQuery({ queryKey: ['plan', planId], queryFn: ({ signal }) => api.plan(planId, signal) });
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: ({ signal }) => organisationsApi.list(signal) });

  if (summary.isError && !summary.data) return <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />;
  if (!summary.data) return <LoadingState rows={12} />;
  const data = summary.data;
  const { counts } = data;
  const exportUrl = (format: ExportFormat) =>
    `/api/plans/${planId}/summary/export${query({ ...filters, period: data.period.code, format })}`;

  return (
    <>
      <title>{pageTitle('全市汇总表', data.plan.title)}</title>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to={`/plans/${planId}`}>{planLabel(data.plan)}</Link> }, { title: '全市汇总表' }]}
      />
      <div className="page-head">
        <div>
          <Typography.Title level={2}>{data.table.title}</Typography.Title>
          <Typography.Text type="secondary">
            每个事项一行：牵头单位审核通过或已采纳的汇总报告、完成状态和预警。序时进度 {data.period.expectedProgress}%
            {data.period.dueOn ? `，截止 ${data.period.dueOn}` : ''}。
          </Typography.Text>
        </div>
        <Space wrap>
          {DOWNLOADS.map(({ format, label, icon }) => (
            <Button key={format} icon={icon} href={exportUrl(format)} download type={format === 'docx' ? 'primary' : 'default'}>
              {label}
            </Button>
          ))}
        </Space>
      </div>

      <Card size="small" className="city-filters">
        <Space wrap size={[12, 8]}>
          <Select
            aria-label="报送周期"
            style={{ width: 140 }}
            value={data.period.code}
            onChange={(value: string) => setFilter('period', value)}
            options={(schedule.data?.periods ?? [data.period]).map((period: { code: string; label: string }) => ({
              value: period.code,
              label: period.label,
            }))}
          />
          <Select
            aria-label="章节"
            allowClear
            placeholder="全部章节"
            style={{ width: 260 }}
            value={filters.chapter}
            onChange={(value?: string) => setFilter('chapter', value)}
            options={(tree.data?.chapters ?? []).map((chapter) => ({ value: chapter.numeral, label: chapterHeading(chapter) }))}
          />
          <Select
            aria-label="责任单位"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部单位"
            style={{ width: 200 }}
            value={filters.organisation ? Number(filters.organisation) : undefined}
            onChange={(value?: number) => setFilter('organisation', value === undefined ? undefined : String(value))}
            options={(organisations.data?.organisations ?? []).map((organisation) => ({
              value: organisation.id,
              label: organisation.name,
            }))}
          />
          <Select
            aria-label="完成状态"
            allowClear
            placeholder="全部状态"
            style={{ width: 140 }}
            value={filters.status}
            onChange={(value?: string) => setFilter('status', value)}
            options={STATUS_OPTIONS.map((status) => ({ value: status, label: status }))}
          />
          <Select
            aria-label="预警"
            allowClear
            placeholder="全部预警"
            style={{ width: 120 }}
            value={filters.light}
            onChange={(value?: string) => setFilter('light', value)}
            options={LIGHT_OPTIONS}
          />
          {FILTERS.some((name) => name !== 'period' && filters[name]) && (
            <Button type="link" onClick={() => setSearchParams(filters.period ? { period: filters.period } : {}, { replace: true })}>
              清除筛选
            </Button>
          )}
        </Space>
      </Card>

      <div className="city-counts">
        <Statistic title="事项" value={counts.items} />
        <Statistic title="已报送" value={counts.reported} suffix={`/ ${counts.items}`} />
        {LIGHT_OPTIONS.map(({ value, label }) => (
          <button
            key={value}
            type="button"
            className={`city-count city-count-${value}`}
            onClick={() => setFilter('light', filters.light === value ? undefined : value)}
            aria-pressed={filters.light === value}
          >
            <Statistic title={label} value={counts.byLight[value]} />
          </button>
        ))}
      </div>

      {counts.items === 0 ? (
        <EmptyState description="没有符合条件的事项" />
      ) : (
        <SummaryTableView
          loading={summary.isFetching}
          columns={data.table.columns}
          chapters={data.table.chapters}
          emptyCompletion={<Typography.Text type="secondary">（牵头单位未报送）</Typography.Text>}
          renderers={{
            预警: (item) => <LightTag item={item as CityItem} />,
            status: (item) => (item.status === '未报送' ? <Typography.Text type="secondary">未报送</Typography.Text> : item.status),
          }}
        />
      )}
    </>
  );
}
