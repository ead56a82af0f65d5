import { SwapRightOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Select, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { formatDateTime } from '../../format.js';
import { reportsApi } from '../../reportsApi.js';
import { errorMessage } from '../QueryState.js';
import { ReportContentView, StatusTag } from './ReportContentView.js';
import { defaultComparison } from './versions.js';
import type { DiffLine, ReportDiff, VersionView } from '../../../contract/reports.js';

const EVENT_COLORS: Record<string, string> = {
  submit: 'blue',
  withdraw: 'default',
  approve: 'cyan',
  reject: 'orange',
  return: 'red',
  accept: 'green',
  import: 'purple',
};

function DiffText({ lines }: { lines: DiffLine[] }) {
  if (lines.length === 0) return <Typography.Text type="secondary">（两版均未填写）</Typography.Text>;
  return (
    <div className="diff-text pre-wrap">
      {lines.map((line, index) =>
        line.kind === 'added' ? (
          <ins key={index} className="diff-added">
            {line.text}
          </ins>
        ) : line.kind === 'removed' ? (
          <del key={index} className="diff-removed">
            {line.text}
          </del>
        ) : (
          <span key={index}>{line.text}</span>
        ),
      )}
    </div>
  );
}

function DiffView({ diff, fromLabel, toLabel }: { diff: ReportDiff; fromLabel: string; toLabel: string }) {
  const unchanged = (lines: DiffLine[]) => lines.every((line) => line.kind === 'same');
  const texts: [string, DiffLine[]][] = [
    ['进展情况', diff.progress],
    ['存在问题', diff.problems],
    ['下一步计划', diff.nextSteps],
  ];
  const nothing =
    texts.every(([, lines]) => unchanged(lines)) &&
    !diff.status &&
    diff.figures.length === 0 &&
    diff.attachments.added.length === 0 &&
    diff.attachments.removed.length === 0;
  return (
    <div className="diff-view" data-testid="report-diff">
      <div className="diff-legend">
        <span>
          <ins className="diff-added">新增的文字</ins>
        </span>
        <span>
          <del className="diff-removed">删除的文字</del>
        </span>
      </div>
      {nothing && <Alert type="info" showIcon title="两个版本的内容相同" className="diff-same" />}
      <section className="report-field">
        <h4 className="report-field-label">完成状态</h4>
        <div className="report-field-body">
          {diff.status ? (
            <span className="diff-status">
              <span className="diff-removed-box">
                <StatusTag status={diff.status.from} />
              </span>
              <SwapRightOutlined />
              <span className="diff-added-box">
                <StatusTag status={diff.status.to} />
              </span>
            </span>
          ) : (
            <>
              <StatusTag status={diff.to.content.status} /> <Typography.Text type="secondary">（未变）</Typography.Text>
            </>
          )}
        </div>
      </section>
      {texts.map(([label, lines]) => (
        <section className="report-field" key={label}>
          <h4 className="report-field-label">
            {label}
            {unchanged(lines) && lines.length > 0 && <span className="diff-unchanged">未变</span>}
          </h4>
          <div className="report-field-body">
            <DiffText lines={lines} />
          </div>
        </section>
      ))}
      {diff.figures.length > 0 && (
        <section className="report-field">
          <h4 className="report-field-label">指标数据</h4>
          <div className="report-field-body">
            <table className="report-figures-view">
              <thead>
                <tr>
                  <th>指标名称</th>
                  <th>{fromLabel}</th>
                  <th>{toLabel}</th>
                </tr>
              </thead>
              <tbody>
                {diff.figures.map((figure) => (
                  <tr key={figure.name}>
                    <td>{figure.name}</td>
                    <td>
                      {figure.from === null ? (
                        <Typography.Text type="secondary">无</Typography.Text>
                      ) : (
                        <del className="diff-removed">{figure.from}</del>
                      )}
                    </td>
                    <td>
                      {figure.to === null ? (
                        <Typography.Text type="secondary">已删除</Typography.Text>
                      ) : (
                        <ins className="diff-added">{figure.to}</ins>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {(diff.attachments.added.length > 0 || diff.attachments.removed.length > 0) && (
        <section className="report-field">
          <h4 className="report-field-label">佐证材料</h4>
          <div className="report-field-body">
            {diff.attachments.added.map((name) => (
              <div key={`+${name}`}>
                <ins className="diff-added">新增：{name}</ins>
              </div>
            ))}
            {diff.attachments.removed.map((name) => (
              <div key={`-${name}`}>
                <del className="diff-removed">删除：{name}</del>
              </div>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}

/** Versions are numbered 1, 2, 3… in the order they were recorded (revisions also count the autosaves between). */
const ordinalOf = (versions: VersionView[], revision: number | undefined) =>
  versions.findIndex((version) => version.revision === revision) + 1;
const RETURNING = new Set(['reject', 'return']);

/**
 * 历史版本: every recorded step of the report (报送, 审核, 退回, 采纳…), each with its content, and the comparison
 * of any two of them.
 */
export function ReportHistory({
  reportId,
  versions,
  loading,
  error,
}: {
  reportId: number | null;
  versions: VersionView[];
  loading: boolean;
  error: unknown;
}) {
  const [chosen, setChosen] = useState<{ from?: number; to?: number }>({});
  const opening = defaultComparison(versions);
  const from = chosen.from ?? opening.from;
  const to = chosen.to ?? opening.to;
  const diff = useQuery({
    queryKey: ['report-diff', reportId, from, to],
    queryFn: ({ signal }) => reportsApi.diff(reportId!, from!, to!, signal),
    enabled: reportId !== null && from !== undefined && to !== undefined && from !== to,
    placeholderData: keepPreviousData,
  });

  if (reportId === null) return <Empty description="报告尚未填写，还没有历史版本" />;
  if (error) return <Alert type="error" showIcon title={errorMessage(error)} />;
  if (loading) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (versions.length === 0) return <Empty description="报告尚未报送过，还没有历史版本（草稿的自动保存不留版本）" />;

  const columns: TableColumnsType<VersionView> = [
    {
      key: 'revision',
      title: '版本',
      width: 90,
      render: (_, version) => (
        <span className="version-revision" title={`修订号 ${version.revision}`}>
          第 {ordinalOf(versions, version.revision)} 版
        </span>
      ),
    },
    {
      key: 'event',
      title: '环节',
      width: 130,
      render: (_, version) => <Tag color={EVENT_COLORS[version.event] ?? 'default'}>{version.eventLabel}</Tag>,
    },
    {
      key: 'state',
      title: '之后状态',
      width: 110,
      render: (_, version) => <Typography.Text type="secondary">{version.stateLabel}</Typography.Text>,
    },
    { key: 'by', title: '操作人', width: 170, render: (_, version) => version.by },
    { key: 'at', title: '时间', width: 160, render: (_, version) => <span className="audit-time">{formatDateTime(version.at)}</span> },
    {
      key: 'comment',
      title: '意见',
      render: (_, version) =>
        version.comment ? (
          <div className={`version-comment${RETURNING.has(version.event) ? ' version-comment-return' : ''}`}>{version.comment}</div>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  const options = versions.map((version, index) => ({
    value: version.revision,
    label: `第 ${index + 1} 版 · ${version.eventLabel} · ${version.by} · ${formatDateTime(version.at)}`,
    short: `第 ${index + 1} 版 · ${version.eventLabel}`,
  }));
  const shortLabel = ({ value }: { value?: unknown }) => options.find((option) => option.value === value)?.short ?? String(value ?? '');
  return (
    <div className="report-history">
      <Table<VersionView>
        className="versions-table"
        size="middle"
        rowKey="revision"
        columns={columns}
        dataSource={[...versions].reverse()}
        pagination={false}
        expandable={{
          expandRowByClick: false,
          expandedRowRender: (version) => (
            <div className="version-content">
              <ReportContentView content={version.content} compact />
            </div>
          ),
        }}
      />
      <Card
        size="small"
        className="compare-card"
        title="版本比较"
        extra={
          versions.length >= 2 && (
            <div className="compare-pickers">
              <Select<number>
                aria-label="比较的旧版本"
                size="small"
                value={from}
                options={options}
                popupMatchSelectWidth={false}
                labelRender={shortLabel}
                onChange={(value) => setChosen((previous) => ({ ...previous, from: value }))}
                style={{ width: 200 }}
              />
              <SwapRightOutlined />
              <Select<number>
                aria-label="比较的新版本"
                size="small"
                value={to}
                options={options}
                popupMatchSelectWidth={false}
                labelRender={shortLabel}
                onChange={(value) => setChosen((previous) => ({ ...previous, to: value }))}
                style={{ width: 200 }}
              />
            </div>
          )
        }
      >
        {versions.length < 2 ? (
          <Typography.Text type="secondary">有两个及以上版本时，可以在这里比较任意两版的差异。</Typography.Text>
        ) : from === to ? (
          <Typography.Text type="secondary">请选择两个不同的版本。</Typography.Text>
        ) : diff.isError ? (
          <Alert type="error" showIcon title={errorMessage(diff.error)} />
        ) : diff.data ? (
          <DiffView
            diff={diff.data}
            fromLabel={`第 ${ordinalOf(versions, diff.data.from.revision)} 版`}
            toLabel={`第 ${ordinalOf(versions, diff.data.to.revision)} 版`}
          />
        ) : (
          <Skeleton active paragraph={{ rows: 4 }} />
        )}
      </Card>
    </div>
  );
}
