import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Card, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { chapterHeading, formatDateTime, planLabel } from '../../format.js';
import { daysLeftTag, RELATION_LABELS, REPORT_STATE_COLORS } from '../../reportsApi.js';
import { weekdayLabel } from '../../scheduleApi.js';
import type { ReportView, VersionView } from '../../../contract/reports.js';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="report-fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Who reviews a report after its unit: the office for the lead unit's (consolidated) report, else the lead unit. */
const reviewerOf = (view: ReportView) => (view.relation === 'lead' ? '督查室' : '牵头单位');

/**
 * The top of the report page: where the item sits in the plan, the unit and its part, the period, the due date with
 * the days left, the state; and, when there is one, the reviewer's comment of a return and the extension asked for.
 */
export function ReportHeader({ view, ownUnit, latest }: { view: ReportView; ownUnit: boolean; latest: VersionView | undefined }) {
  const { item, plan, period } = view;
  const days = daysLeftTag(view.daysLeft);
  const finished = view.state === 'accepted' || view.state === 'approved';
  const review = view.lastReview;
  const returned = view.state === 'returned' && review;
  // the last thing that happened: a draft saved after the last step, or the last step (报送, 审核…)
  const draftSaved = view.updatedAt && (!latest || view.updatedAt > latest.at);
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to={`/plans/${plan.id}`}>{planLabel(plan)}</Link> },
          { title: <Link to={`/plans/${plan.id}`}>{chapterHeading(item.chapter)}</Link> },
          { title: <Link to={`/items/${item.id}`}>{`${item.task.number} ${item.task.name}`}</Link> },
          { title: `${view.organisation.name} · ${period.label}报告` },
        ]}
      />
      <div className="page-head">
        <div className="report-title">
          <Typography.Title level={2}>
            {period.label}进展报告
            <Tag color={REPORT_STATE_COLORS[view.state] ?? 'default'} className="report-state-tag" data-testid="report-state">
              {view.stateLabel}
            </Tag>
          </Typography.Title>
          <Typography.Text type="secondary">
            {view.organisation.name}（{RELATION_LABELS[view.relation]}单位） · {plan.title}
          </Typography.Text>
        </div>
        <Link to={`/items/${item.id}`}>
          <Button icon={<ArrowLeftOutlined />}>返回事项</Button>
        </Link>
      </div>

      <Card className="report-head-card">
        <div className="report-work">
          <span className="report-task">
            <span className="todo-task-number">{item.task.number}</span>
            {item.task.name}
          </span>
          <div className="report-work-text pre-wrap">{item.work}</div>
        </div>
        <dl className="report-facts">
          <Fact label="填报单位">
            <span className="report-org">{view.organisation.name}</span>
            <Tag color={view.relation === 'lead' ? 'blue' : undefined} className="report-relation">
              {RELATION_LABELS[view.relation]}
            </Tag>
          </Fact>
          <Fact label="报送周期">
            <span className="report-period-label">{period.label}</span>
            <span className="report-period-range">
              {period.startsOn} 至 {period.endsOn}
            </span>
          </Fact>
          <Fact label="截止日期" testId="report-due">
            {view.dueOn ? (
              <>
                <span className="due-date">
                  <span className="due-date-day">{view.dueOn}</span>
                  <span className="due-date-weekday">{weekdayLabel(view.dueOn)}</span>
                </span>
                {days && !finished && (
                  <Tag color={days.color} className="report-days">
                    {days.text}
                  </Tag>
                )}
                {view.extension?.state === 'approved' && <Tag color="purple">已延期</Tag>}
              </>
            ) : (
              <Typography.Text type="secondary">未设置</Typography.Text>
            )}
          </Fact>
          <Fact label="序时进度">{period.expectedProgress}%</Fact>
          {(draftSaved || latest) && (
            <Fact label="最近操作" testId="report-latest">
              {draftSaved ? (
                <span>
                  {view.updatedBy ?? ''} 保存草稿
                  <span className="report-updated">{formatDateTime(view.updatedAt)}</span>
                </span>
              ) : (
                <span>
                  {latest!.by} {latest!.eventLabel}
                  <span className="report-updated">{formatDateTime(latest!.at)}</span>
                </span>
              )}
            </Fact>
          )}
        </dl>
      </Card>

      {returned && (
        <Alert
          type="error"
          showIcon
          className="report-alert report-returned"
          data-testid="report-returned"
          title={
            ownUnit
              ? `报告被${review.event === 'reject' ? '单位负责人' : reviewerOf(view)}退回，请按意见修改后重新报送`
              : `报告已退回${view.organisation.name}修改`
          }
          description={
            <div>
              <div className="returned-comment pre-wrap">{review.comment || '（未写意见）'}</div>
              <div className="returned-by">
                —— {review.by}，{formatDateTime(review.at)}（{review.eventLabel}）
              </div>
            </div>
          }
        />
      )}
      {view.state === 'accepted' && review?.event === 'accept' && (
        <Alert
          type="success"
          showIcon
          className="report-alert"
          title={`报告已于 ${formatDateTime(review.at)} 被采纳（${review.by}），已锁定`}
          description={review.comment ? <span className="pre-wrap">采纳意见：{review.comment}</span> : undefined}
        />
      )}
      {view.extension?.state === 'pending' && (
        <Alert
          type="info"
          showIcon
          className="report-alert"
          title={`已申请延期至 ${view.extension.requestedDueOn}（${weekdayLabel(view.extension.requestedDueOn)}），等待督查室审批`}
          description={<span className="pre-wrap">申请理由：{view.extension.reason}</span>}
        />
      )}
      {view.extension?.state === 'rejected' && view.state !== 'accepted' && (
        <Alert
          type="warning"
          showIcon
          closable
          className="report-alert"
          title={`延期至 ${view.extension.requestedDueOn} 的申请未获同意，请按原截止日期报送`}
          description={
            view.extension.decisionComment ? <span className="pre-wrap">督查室意见：{view.extension.decisionComment}</span> : undefined
          }
        />
      )}
    </>
  );
}
