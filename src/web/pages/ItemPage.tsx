import { Breadcrumb, Card, Descriptions, Empty, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api.js';
import { Assignments } from '../components/Assignments.js';
import { ItemSteps } from '../components/ItemSteps.js';
import { ItemSupervision } from '../components/ItemSupervision.js';
import { OrgLink, OrgTags } from '../components/OrgTags.js';
import { ErrorState, LoadingState } from '../components/QueryState.js';
import { chapterHeading, formatDateTime, pageTitle, planLabel } from '../format.js';
import { REPORT_STATE_COLORS } from '../reportsApi.js';
import { reportPath } from '../scheduleApi.js';
import type { ItemReportRow as Report } from '../../contract/items.js';

export function ItemPage() {
  const params = useParams();
  const itemId = Number(params.itemId);
  const valid = Number.isInteger(itemId) && itemId > 0;
  const query = useQuery({
    queryKey: ['item', itemId],
    queryFn: ({ signal }) => api.item(itemId, signal),
    enabled: valid,
  });

  if (!valid) return <ErrorState error={new Error('事项编号无效')} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <LoadingState rows={10} />;

  const { item, task, chapter, plan, reports } = query.data;
  const showRawLead = item.leadText.trim() !== item.lead.map((org) => org.name).join('、');
  const showRawCooperating = item.cooperatingText.trim() !== item.cooperating.map((org) => org.name).join('、');

  const columns: TableColumnsType<Report> = [
    {
      key: 'organisation',
      title: '填报单位',
      width: 150,
      render: (_, report) => <OrgLink org={report.organisation} />,
    },
    { key: 'period', title: '报送期', width: 110, render: (_, report) => report.period.label },
    {
      key: 'text',
      title: '进展情况',
      render: (_, report) => <div className="pre-wrap">{report.text}</div>,
    },
    {
      key: 'state',
      title: '状态',
      width: 100,
      render: (_, report) => <Tag color={REPORT_STATE_COLORS[report.state] ?? 'default'}>{report.stateLabel}</Tag>,
    },
    {
      key: 'updatedAt',
      title: '更新时间',
      width: 150,
      render: (_, report) => (
        <Typography.Text type="secondary" title={`第 ${report.revision} 版`}>
          {formatDateTime(report.updatedAt)}
        </Typography.Text>
      ),
    },
    {
      key: 'open',
      title: '',
      width: 72,
      render: (_, report) => (
        <Link
          to={reportPath(item.id, report.organisation.id, report.period.code)}
          aria-label={`打开${report.organisation.name}${report.period.label}报告`}
        >
          查看
        </Link>
      ),
    },
  ];

  return (
    <>
      <title>{pageTitle(`${task.number} ${task.name}`, '事项详情')}</title>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to={`/plans/${plan.id}`}>{planLabel(plan)}</Link> },
          { title: <Link to={`/plans/${plan.id}`}>{chapterHeading(chapter)}</Link> },
          { title: `${task.number} ${task.name}` },
          { title: `事项 ${item.position}` },
        ]}
      />
      <div className="page-head">
        <Typography.Title level={2}>
          <span className="task-number-lg">{task.number}</span> {task.name}
          <Typography.Text type="secondary" style={{ fontSize: 16, fontWeight: 'normal', marginLeft: 12 }}>
            事项 {item.position}
          </Typography.Text>
        </Typography.Title>
      </div>
      <Card title="工作任务" style={{ marginBottom: 16 }}>
        <Typography.Paragraph className="work-text pre-wrap">{item.work}</Typography.Paragraph>
        <Descriptions
          column={1}
          bordered
          size="small"
          styles={{ label: { width: 140 } }}
          items={[
            {
              key: 'lead',
              label: '牵头单位',
              children: (
                <>
                  <OrgTags orgs={item.lead} lead />
                  {showRawLead && item.leadText && (
                    <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                      原文：{item.leadText}
                    </Typography.Text>
                  )}
                </>
              ),
            },
            {
              key: 'cooperating',
              label: '主要配合单位',
              children: (
                <>
                  <OrgTags orgs={item.cooperating} />
                  {showRawCooperating && item.cooperatingText && (
                    <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                      原文：{item.cooperatingText}
                    </Typography.Text>
                  )}
                </>
              ),
            },
          ]}
        />
      </Card>
      <ItemSupervision itemId={item.id} lead={item.lead} cooperating={item.cooperating} />
      <Assignments itemId={item.id} planId={plan.id} reports={reports} />
      <ItemSteps itemId={item.id} />
      <Card title={`进展报告（${reports.length}）`}>
        <Table<Report>
          rowKey="id"
          columns={columns}
          dataSource={reports}
          pagination={false}
          tableLayout="fixed"
          locale={{ emptyText: <Empty description="暂无报送的进展情况" /> }}
        />
      </Card>
    </>
  );
}
