import { CloseOutlined, SnippetsOutlined } from '@ant-design/icons';
import { Button, Card, Popconfirm, Space, Typography } from 'antd';
import { FiguresTable, StatusTag } from './ReportContentView.js';
import type { ReportContent } from '../../../contract/reports.js';

export interface Kept {
  id: number;
  content: ReportContent;
  note: string;
  at: Date;
}

const TEXTS: { key: 'progress' | 'problems' | 'nextSteps'; label: string }[] = [
  { key: 'progress', label: '进展情况' },
  { key: 'problems', label: '存在问题' },
  { key: 'nextSteps', label: '下一步计划' },
];

/**
 * Text the person wrote that is not (or no longer) in the report: their side of a conflict after taking the other
 * version, or what could not be saved because the report was submitted or locked meanwhile. It stays on the page,
 * each part with a copy button, until the person closes it.
 */
export function KeptContent({ kept, onClose }: { kept: Kept; onClose: () => void }) {
  const { content } = kept;
  return (
    <Card
      className="kept-card"
      data-testid="kept-content"
      size="small"
      title={
        <Space size={8}>
          <SnippetsOutlined />
          <span>您未保存到报告的内容</span>
          <Typography.Text type="secondary" className="card-title-note">
            {new Intl.DateTimeFormat('zh-CN', {
              timeZone: 'Asia/Shanghai',
              hour: '2-digit',
              minute: '2-digit',
              second: '2-digit',
              hour12: false,
            }).format(kept.at)}
          </Typography.Text>
        </Space>
      }
      extra={
        <Popconfirm title="不再需要这些内容？" description="关闭后将无法再找回。" okText="关闭" cancelText="取消" onConfirm={onClose}>
          <Button size="small" type="text" icon={<CloseOutlined />}>
            不再需要
          </Button>
        </Popconfirm>
      }
    >
      <Typography.Paragraph type="secondary" className="kept-note">
        {kept.note}
      </Typography.Paragraph>
      <div className="kept-fields">
        <div className="kept-field">
          <div className="kept-label">完成状态</div>
          <div>
            <StatusTag status={content.status} />
          </div>
        </div>
        {TEXTS.filter((field) => content[field.key].trim()).map((field) => (
          <div className="kept-field" key={field.key}>
            <div className="kept-label">{field.label}</div>
            <Typography.Paragraph className="kept-text pre-wrap" copyable={{ text: content[field.key], tooltips: ['复制', '已复制'] }}>
              {content[field.key]}
            </Typography.Paragraph>
          </div>
        ))}
        {content.figures.length > 0 && (
          <div className="kept-field">
            <div className="kept-label">指标数据</div>
            <FiguresTable figures={content.figures} />
          </div>
        )}
      </div>
    </Card>
  );
}
