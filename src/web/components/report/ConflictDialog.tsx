import { ExclamationCircleFilled } from '@ant-design/icons';
import { Button, Modal, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../format.js';
import { EMPTY_CONTENT, normaliseContent, type ReportConflict } from '../../reportsApi.js';
import { FiguresTable, StatusTag } from './ReportContentView.js';
import type { ReportContent } from '../../../contract/reports.js';

const FIELDS: { key: keyof ReportContent; label: string }[] = [
  { key: 'status', label: '完成状态' },
  { key: 'progress', label: '进展情况' },
  { key: 'problems', label: '存在问题' },
  { key: 'nextSteps', label: '下一步计划' },
  { key: 'figures', label: '指标数据' },
];

function cell(content: ReportContent, key: keyof ReportContent): ReactNode {
  if (key === 'status') return <StatusTag status={content.status} />;
  if (key === 'figures')
    return content.figures.length > 0 ? <FiguresTable figures={content.figures} /> : <Typography.Text type="secondary">无</Typography.Text>;
  const text = content[key] as string;
  return text.trim() ? <div className="pre-wrap">{text}</div> : <Typography.Text type="secondary">未填写</Typography.Text>;
}

/**
 * Someone else saved the report while this person was writing: both versions side by side, field by field, and the
 * two ways on: take theirs and carry on (the person's own text stays on the page to copy from), or put one's own on
 * top of theirs.
 */
export function ConflictDialog({
  conflict,
  overwriting,
  onTakeTheirs,
  onKeepMine,
}: {
  conflict: ReportConflict | null;
  overwriting: boolean;
  onTakeTheirs: () => void;
  onKeepMine: () => void;
}) {
  const theirs = conflict?.current.content ?? EMPTY_CONTENT;
  const yours = conflict?.yours ?? EMPTY_CONTENT;
  const differs = (key: keyof ReportContent) =>
    JSON.stringify(normaliseContent(theirs)[key]) !== JSON.stringify(normaliseContent(yours)[key]);
  const who = conflict?.current.updatedBy ?? '他人';
  return (
    <Modal
      open={conflict !== null}
      width={1080}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      title={
        <span className="conflict-title">
          <ExclamationCircleFilled className="conflict-icon" /> 报告已被他人修改
        </span>
      }
      footer={
        <div className="conflict-footer">
          <Typography.Text type="secondary">两个版本都不会丢失：未采用的一份会保留在页面上供复制。</Typography.Text>
          <span className="conflict-buttons">
            <Button type="primary" disabled={overwriting} onClick={onTakeTheirs}>
              以对方版本为准，我再修改
            </Button>
            <Button danger loading={overwriting} onClick={onKeepMine}>
              用我的内容覆盖
            </Button>
          </span>
        </div>
      }
    >
      {conflict && (
        <>
          <Typography.Paragraph className="conflict-lead">
            <b>{who}</b> 于 {formatDateTime(conflict.current.updatedAt)} 保存了该报告（当前第 {conflict.current.revision} 版），您的修改
            <b>尚未保存</b>。请对照两边的内容后选择：
          </Typography.Paragraph>
          <table className="conflict-table">
            <colgroup>
              <col style={{ width: 104 }} />
              <col />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th />
                <th>
                  对方的版本{' '}
                  <Typography.Text type="secondary">
                    （{who}，第 {conflict.current.revision} 版）
                  </Typography.Text>
                </th>
                <th>
                  您的内容 <Typography.Text type="secondary">（未保存）</Typography.Text>
                </th>
              </tr>
            </thead>
            <tbody>
              {FIELDS.map((field) => (
                <tr key={field.key} className={differs(field.key) ? 'conflict-row-differs' : undefined}>
                  <th scope="row">
                    {field.label}
                    {differs(field.key) && (
                      <Tag color="orange" className="conflict-differs-tag">
                        不同
                      </Tag>
                    )}
                  </th>
                  <td data-testid={`conflict-theirs-${field.key}`}>{cell(theirs, field.key)}</td>
                  <td data-testid={`conflict-yours-${field.key}`}>{cell(yours, field.key)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Modal>
  );
}
