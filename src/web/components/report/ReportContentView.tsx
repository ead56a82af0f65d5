import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { REPORT_STATUS_COLORS } from '../../reportsApi.js';
import type { ReportContent } from '../../../contract/reports.js';
import type { ReportStatus } from '../../../contract/vocabulary.js';

export function StatusTag({ status }: { status: ReportStatus | string | null }) {
  if (!status) return <Typography.Text type="secondary">未选择</Typography.Text>;
  return (
    <Tag color={REPORT_STATUS_COLORS[status as ReportStatus] ?? 'default'} className="report-status-tag">
      {status}
    </Tag>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section className="report-field">
      <h4 className="report-field-label">{label}</h4>
      <div className="report-field-body">{children}</div>
    </section>
  );
}

function Text({ text }: { text: string }) {
  return text.trim() ? <div className="report-text pre-wrap">{text}</div> : <Typography.Text type="secondary">未填写</Typography.Text>;
}

export function FiguresTable({ figures }: { figures: ReportContent['figures'] }) {
  return (
    <table className="report-figures-view">
      <thead>
        <tr>
          <th>指标名称</th>
          <th className="report-figure-value">数值</th>
          <th>单位</th>
        </tr>
      </thead>
      <tbody>
        {figures.map((figure, index) => (
          <tr key={`${figure.name}-${index}`}>
            <td>{figure.name}</td>
            <td className="report-figure-value">{figure.value}</td>
            <td>{figure.unit}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A report's content, read-only: 完成状态, 进展情况, 存在问题, 下一步计划 and 指标数据 (when there are any). */
export function ReportContentView({ content, compact = false }: { content: ReportContent; compact?: boolean }) {
  return (
    <div className={`report-content-view${compact ? ' report-content-compact' : ''}`}>
      <Field label="完成状态">
        <StatusTag status={content.status} />
      </Field>
      <Field label="进展情况">
        <Text text={content.progress} />
      </Field>
      <Field label="存在问题">
        <Text text={content.problems} />
      </Field>
      <Field label="下一步计划">
        <Text text={content.nextSteps} />
      </Field>
      {(content.figures.length > 0 || !compact) && (
        <Field label="指标数据">
          {content.figures.length > 0 ? <FiguresTable figures={content.figures} /> : <Typography.Text type="secondary">无</Typography.Text>}
        </Field>
      )}
    </div>
  );
}
