import { TeamOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Card, Collapse, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { formatDateTime } from '../../format.js';
import { REPORT_STATE_COLORS, reportKey, reportsApi } from '../../reportsApi.js';
import { ASSIGNMENT_STATE_COLORS, assignmentsApi, assignmentsKey, reportPath, scheduleApi, scheduleKey } from '../../scheduleApi.js';
import { errorMessage } from '../QueryState.js';
import { ReportContentView, StatusTag } from './ReportContentView.js';
import type { ReportView } from '../../../contract/reports.js';
import type { SchedulePeriod } from '../../../contract/schedule.js';

/** The period before this one of the same kind (一季度 before 二季度, 4月 before 5月), or undefined for the first. */
export function previousPeriodOf(periods: SchedulePeriod[], code: string): SchedulePeriod | undefined {
  const current = periods.find((period) => period.code === code);
  if (!current) return undefined;
  return periods
    .filter((period) => period.kind === current.kind && period.endsOn < current.startsOn)
    .sort((a, b) => a.endsOn.localeCompare(b.endsOn))
    .at(-1);
}

/** Where a report of another unit or period stands, in one line. */
function ReportSummaryLine({ report }: { report: ReportView }) {
  if (!report.content) return <Typography.Text type="secondary">未报送</Typography.Text>;
  return (
    <Space size={6} wrap>
      <StatusTag status={report.content.status} />
      {report.lastReview && (
        <Typography.Text type="secondary">
          {report.lastReview.eventLabel} · {formatDateTime(report.lastReview.at)}
        </Typography.Text>
      )}
    </Space>
  );
}

/**
 * 配合单位报告: what each cooperating unit reported for the same period, for the lead unit that consolidates and for
 * the reviewer. A unit's text shows once it has left the unit (approved by its leader); before that, 未报送.
 */
export function CooperatingReports({ view }: { view: ReportView }) {
  const assignments = useQuery({
    queryKey: assignmentsKey(view.item.id),
    queryFn: ({ signal }) => assignmentsApi.list(view.item.id, signal),
  });
  const cooperating = (assignments.data?.assignments ?? []).filter(
    (entry) => entry.role === 'cooperating' && entry.organisation.id !== view.organisation.id,
  );
  const reports = useQueries({
    queries: cooperating.map((entry) => {
      const key = { itemId: view.item.id, organisationId: entry.organisation.id, periodCode: view.period.code };
      return { queryKey: reportKey(key), queryFn: ({ signal }: { signal: AbortSignal }) => reportsApi.get(key, signal) };
    }),
  });

  if (assignments.isSuccess && cooperating.length === 0) return null;
  const delivered = reports.filter((report) => report.data?.content).length;
  return (
    <Card
      className="related-card"
      data-testid="cooperating-reports"
      title={
        <Space size={8}>
          <TeamOutlined />
          <span>配合单位报告</span>
          {assignments.isSuccess && (
            <Typography.Text type="secondary" className="card-title-note">
              {view.period.label} · 已报送 {delivered} / {cooperating.length}
            </Typography.Text>
          )}
        </Space>
      }
      styles={{ body: { padding: assignments.isSuccess ? 0 : undefined } }}
    >
      {assignments.isError ? (
        <Alert type="error" showIcon title={errorMessage(assignments.error)} />
      ) : assignments.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Collapse
          bordered={false}
          className="related-collapse"
          defaultActiveKey={cooperating.length <= 3 ? cooperating.map((entry) => String(entry.organisation.id)) : []}
          items={cooperating.map((entry, index) => {
            const report = reports[index];
            return {
              key: String(entry.organisation.id),
              label: (
                <div className="related-head">
                  <span className="related-org">{entry.organisation.name}</span>
                  {entry.state !== 'acknowledged' && (
                    <Tag color={ASSIGNMENT_STATE_COLORS[entry.state] ?? 'default'}>{entry.stateLabel}</Tag>
                  )}
                  {report?.data?.content && <Tag color={REPORT_STATE_COLORS[report.data.state] ?? 'default'}>{report.data.stateLabel}</Tag>}
                  <span className="related-summary">{report?.data ? <ReportSummaryLine report={report.data} /> : null}</span>
                </div>
              ),
              extra: (
                <Link to={reportPath(view.item.id, entry.organisation.id, view.period.code)} onClick={(event) => event.stopPropagation()}>
                  打开
                </Link>
              ),
              children: report?.isError ? (
                <Typography.Text type="secondary">{errorMessage(report.error)}</Typography.Text>
              ) : !report?.data ? (
                <Skeleton active paragraph={{ rows: 2 }} />
              ) : report.data.content ? (
                <ReportContentView content={report.data.content} compact />
              ) : (
                <Typography.Text type="secondary">该单位尚未报送（单位负责人审核通过后可见）。</Typography.Text>
              ),
            };
          })}
        />
      )}
    </Card>
  );
}

/** 上期报告: the same unit's report for the previous period of the same kind, for the reviewer to compare. */
export function PreviousReport({ view }: { view: ReportView }) {
  const schedule = useQuery({ queryKey: scheduleKey(view.plan.id), queryFn: ({ signal }) => scheduleApi.get(view.plan.id, signal) });
  const previous = schedule.data ? previousPeriodOf(schedule.data.periods, view.period.code) : undefined;
  const key = previous ? { itemId: view.item.id, organisationId: view.organisation.id, periodCode: previous.code } : undefined;
  const report = useQuery({
    queryKey: key ? reportKey(key) : ['report', 'none'],
    queryFn: ({ signal }) => reportsApi.get(key!, signal),
    enabled: key !== undefined,
  });

  return (
    <Card
      className="related-card previous-card"
      data-testid="previous-report"
      title={
        <Space size={8}>
          <span>上期报告</span>
          {previous && (
            <Typography.Text type="secondary" className="card-title-note">
              {previous.label}
            </Typography.Text>
          )}
          {report.data && <Tag color={REPORT_STATE_COLORS[report.data.state] ?? 'default'}>{report.data.stateLabel}</Tag>}
        </Space>
      }
      extra={key && <Link to={reportPath(key.itemId, key.organisationId, key.periodCode)}>打开</Link>}
    >
      {schedule.isPending || (key && report.isPending) ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : schedule.isError ? (
        <Alert type="error" showIcon title={errorMessage(schedule.error)} />
      ) : !previous ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`${view.period.label}是本年度该类报送的第一期，没有上期报告`} />
      ) : report.isError ? (
        <Alert type="error" showIcon title={errorMessage(report.error)} />
      ) : report.data?.content ? (
        <ReportContentView content={report.data.content} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`${view.organisation.name}${previous.label}未报送`} />
      )}
    </Card>
  );
}
