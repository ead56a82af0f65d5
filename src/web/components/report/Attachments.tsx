import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Empty, List, Popconfirm, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, getCsrfToken, requestJson } from '../../api.js';
import { formatDateTime } from '../../format.js';
import { reportKey } from '../../reportsApi.js';
import type { AttachmentsResponse, AttachmentView, ReportView } from '../../../contract/reports.js';

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.ofd';

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Sends one file as the import page does: multipart, with the session's CSRF token; the server's message on failure. */
async function uploadFile(reportId: number, file: File): Promise<AttachmentView[]> {
  const form = new FormData();
  form.append('file', file, file.name);
  const token = getCsrfToken();
  const response = await fetch(`/api/reports/${reportId}/attachments`, {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: token ? { 'x-csrf-token': token } : {},
  }).catch(() => {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  });
  const body = (await response.json().catch(() => undefined)) as
    | { attachments?: AttachmentView[]; error?: { code: string; message: string } }
    | undefined;
  if (!response.ok || !body?.attachments) {
    throw new ApiError(
      response.status,
      body?.error?.code ?? `http_${response.status}`,
      body?.error?.message ?? `上传失败（HTTP ${response.status}）`,
    );
  }
  return body.attachments;
}

/**
 * 佐证材料: the evidence files of the report as the reader sees it. The unit adds and removes them while the report
 * is its to change; a file removed stays with the versions already submitted with it.
 */
export function Attachments({ view, editable }: { view: ReportView; editable: boolean }) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const key = reportKey(view.key);
  const setAttachments = (attachments: AttachmentView[]) =>
    queryClient.setQueryData<ReportView>(key, (current) => (current ? { ...current, attachments } : current));

  const remove = async (attachment: AttachmentView) => {
    try {
      const result = await requestJson<AttachmentsResponse>(`/api/reports/${view.id}/attachments/${attachment.id}`, { method: 'DELETE' });
      setAttachments(result.attachments);
      void message.success(`已删除 ${attachment.fileName}`);
    } catch (error) {
      void message.error(error instanceof Error ? error.message : '删除失败');
    }
  };

  const upload = editable ? (
    view.id === null ? (
      <Typography.Text type="secondary">填写报告内容并自动保存后，即可上传佐证材料。</Typography.Text>
    ) : (
      <Upload
        accept={ACCEPT}
        multiple
        showUploadList={false}
        customRequest={({ file, onSuccess, onError }) => {
          setBusy(true);
          uploadFile(view.id!, file as File)
            .then((attachments) => {
              setAttachments(attachments);
              void message.success(`已上传 ${(file as File).name}`);
              onSuccess?.(attachments);
            })
            .catch((error: unknown) => {
              void message.error(error instanceof Error ? error.message : '上传失败');
              onError?.(error as Error);
            })
            .finally(() => setBusy(false));
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy}>
          上传佐证材料
        </Button>
      </Upload>
    )
  ) : null;

  return (
    <Card
      className="report-card"
      title={
        <Space>
          <PaperClipOutlined />
          佐证材料{view.attachments.length > 0 ? `（${view.attachments.length}）` : ''}
        </Space>
      }
      extra={upload}
      data-testid="attachments"
    >
      {editable && (
        <Typography.Paragraph type="secondary" className="attachments-hint">
          可上传 PDF、图片（PNG/JPEG）、Word、Excel 或 OFD 文件，每个不超过服务器设定的大小；文件内容须与扩展名相符。
        </Typography.Paragraph>
      )}
      {view.attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无佐证材料" />
      ) : (
        <List
          size="small"
          dataSource={view.attachments}
          renderItem={(attachment) => (
            <List.Item
              actions={
                editable
                  ? [
                      <Popconfirm
                        key="delete"
                        title={`删除 ${attachment.fileName}？`}
                        description="已报送的版本仍保留此文件。"
                        okText="删除"
                        cancelText="取消"
                        onConfirm={() => remove(attachment)}
                      >
                        <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={`删除${attachment.fileName}`}>
                          删除
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Space wrap size={8}>
                <a href={`/api/reports/${view.id}/attachments/${attachment.id}`} download>
                  {attachment.fileName}
                </a>
                <Typography.Text type="secondary">{size(attachment.size)}</Typography.Text>
                <Tag color={attachment.scanState === 'clean' ? 'green' : 'default'}>{attachment.scanLabel}</Tag>
                <Typography.Text type="secondary">{formatDateTime(attachment.createdAt)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
