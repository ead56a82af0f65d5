import { RiseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Breadcrumb, Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../components/QueryState.js';
import { DownloadButton } from '../components/supervision/DownloadButton.js';
import { FormDialog, MutationError, TextAreaField } from '../components/supervision/FormDialog.js';
import { NoticeFields, useNoticeFields } from '../components/supervision/NoticeFields.js';
import { DueOn } from '../components/supervision/NoticeTags.js';
import { formatDateTime, pageTitle } from '../format.js';
import { inboxKey } from '../notificationsApi.js';
import {
  NEXT_COLOUR,
  NOTICE_COLOUR_LABELS,
  NOTICE_STATE_TAGS,
  noticeDocumentUrl,
  noticeKey,
  noticesKey,
  supervisionApi,
  timelineKey,
} from '../supervisionApi.js';
import type { Notice } from '../../contract/supervision.js';

function useNoticeWrite() {
  const queryClient = useQueryClient();
  return (notice: Notice) => {
    queryClient.setQueryData(noticeKey(notice.id), notice);
    void queryClient.invalidateQueries({ queryKey: noticesKey });
    void queryClient.invalidateQueries({ queryKey: timelineKey(notice.item.id) });
    void queryClient.invalidateQueries({ queryKey: inboxKey });
  };
}

/** The unit's answer: what it has done about the notice. */
function ReplyForm({ notice }: { notice: Notice }) {
  const { message } = AntApp.useApp();
  const written = useNoticeWrite();
  const [text, setText] = useState('');
  const reply = useMutation({
    mutationFn: () => supervisionApi.reply(notice.id, text.trim()),
    onSuccess: (result) => {
      written(result);
      setText('');
      void message.success('已反馈办理情况');
    },
  });
  return (
    <Card title="反馈办理情况" style={{ marginBottom: 16 }} data-testid="notice-reply-form">
      <div className="dialog-form">
        <TextAreaField
          id="notice-reply"
          label="办理情况"
          value={text}
          onChange={setText}
          rows={5}
          maxLength={5000}
          showCount
          placeholder="写明针对督办事由已采取的措施、取得的进展和下一步安排"
        />
        <MutationError error={reply.error} />
        <div>
          <Button type="primary" disabled={!text.trim()} loading={reply.isPending} onClick={() => reply.mutate()}>
            提交反馈
          </Button>
        </div>
      </div>
    </Card>
  );
}

function CloseDialog({ notice, open, onClose }: { notice: Notice; open: boolean; onClose: () => void }) {
  const { message } = AntApp.useApp();
  const written = useNoticeWrite();
  const [comment, setComment] = useState('');
  const close = useMutation({
    mutationFn: () => supervisionApi.closeNotice(notice.id, comment.trim()),
    onSuccess: (result) => {
      written(result);
      onClose();
      void message.success('督办单已办结');
    },
  });
  return (
    <FormDialog
      open={open}
      title="办结督办单"
      okText="办结"
      onClose={onClose}
      onOk={() => close.mutate()}
      okButtonProps={{ loading: close.isPending }}
      error={close.error}
    >
      <TextAreaField
        id="notice-close-comment"
        label="办结意见"
        value={comment}
        onChange={setComment}
        rows={4}
        maxLength={2000}
        showCount
        placeholder="如：经核实，已按要求整改落实，予以办结"
      />
    </FormDialog>
  );
}

function EscalateDialog({ notice, open, onClose }: { notice: Notice; open: boolean; onClose: () => void }) {
  const written = useNoticeWrite();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const next = NEXT_COLOUR[notice.colour];
  const fields = useNoticeFields();
  const escalate = useMutation({
    mutationFn: () => supervisionApi.escalate(notice.id, fields.body()),
    onSuccess: (result) => {
      written(result);
      void message.success(`已升级为${result.colourLabel}督办单 ${result.numberText}`);
      onClose();
      navigate(`/notices/${result.id}`);
    },
  });
  return (
    <FormDialog
      open={open}
      title={next ? `升级为${NOTICE_COLOUR_LABELS[next]}督办单` : '升级督办单'}
      okText="升级"
      okButtonProps={{ danger: true, disabled: !fields.complete, loading: escalate.isPending }}
      onClose={onClose}
      onOk={() => escalate.mutate()}
      error={escalate.error}
    >
      <NoticeFields
        fields={fields}
        idPrefix="escalate"
        reasonLabel="升级的理由"
        reasonPlaceholder="如：超过反馈时限仍未反馈，或反馈的办理情况不到位"
      />
    </FormDialog>
  );
}

/** A 督办单 as the document it is, its answers, and what the person may do with it. */
export function NoticePage() {
  const params = useParams();
  const noticeId = Number(params.noticeId);
  const valid = Number.isInteger(noticeId) && noticeId > 0;
  const notice = useQuery({
    queryKey: noticeKey(noticeId),
    queryFn: ({ signal }) => supervisionApi.notice(noticeId, signal),
    enabled: valid,
  });
  const [dialog, setDialog] = useState<'close' | 'escalate' | null>(null);

  if (!valid) return <ErrorState error={new Error('督办单编号无效')} />;
  if (notice.isError) return <ErrorState error={notice.error} onRetry={() => void notice.refetch()} />;
  if (notice.isPending) return <LoadingState rows={10} />;
  const data = notice.data;
  const next = NEXT_COLOUR[data.colour];
  const rows: [string, ReactNode][] = [
    ['主送单位', data.organisation.name],
    [
      '督办事项',
      <span key="item">
        <span className="task-number">{data.item.taskNumber}</span> <Link to={`/items/${data.item.id}`}>{data.item.work}</Link>
        {data.period && <Typography.Text type="secondary">（{data.period.label}）</Typography.Text>}
      </span>,
    ],
    [
      '督办事由',
      <div key="reason" className="pre-wrap">
        {data.reason}
      </div>,
    ],
    [
      '办理要求',
      <div key="requirement" className="pre-wrap">
        {data.requirement}
      </div>,
    ],
    ['反馈时限', <DueOn key="due" notice={data} />],
  ];

  return (
    <>
      <title>{pageTitle(`${data.colourLabel}督办单 ${data.numberText}`)}</title>
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/notices">督办单</Link> }, { title: data.numberText }]} />
      <div className="page-head">
        <Space wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>
            督办单 {data.numberText}
          </Typography.Title>
          <Tag color={NOTICE_STATE_TAGS[data.state]} className="notice-state-tag" data-testid="notice-state">
            {data.stateLabel}
          </Tag>
          {data.escalatedFrom && (
            <Typography.Text type="secondary">
              由 <Link to={`/notices/${data.escalatedFrom.id}`}>{data.escalatedFrom.numberText}</Link> 升级
            </Typography.Text>
          )}
          {data.escalatedTo && (
            <Typography.Text type="secondary">
              已升级为 <Link to={`/notices/${data.escalatedTo.id}`}>{data.escalatedTo.numberText}</Link>
            </Typography.Text>
          )}
        </Space>
        <Space wrap>
          <DownloadButton href={noticeDocumentUrl(data.id, 'docx')} label="下载 Word" />
          <DownloadButton href={noticeDocumentUrl(data.id, 'pdf')} label="下载 PDF" />
          {data.actions.includes('escalate') && next && (
            <Button danger icon={<RiseOutlined />} onClick={() => setDialog('escalate')}>
              升级为{NOTICE_COLOUR_LABELS[next]}督办单
            </Button>
          )}
          {data.actions.includes('close') && (
            <Button type="primary" onClick={() => setDialog('close')}>
              办结
            </Button>
          )}
        </Space>
      </div>
      <Card className={`notice-document notice-document-${data.colour}`} style={{ marginBottom: 16 }} data-testid="notice-document">
        <div className="notice-document-title">
          <Typography.Title level={2}>{data.colourLabel}督办单</Typography.Title>
          <div className="notice-document-number">{data.numberText}</div>
        </div>
        <table className="notice-document-table">
          <tbody>
            {rows.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="notice-document-foot">
          <Typography.Text type="secondary">
            {data.createdBy} 发出于 {formatDateTime(data.createdAt)}
            {data.source === 'rule' ? '（按预警规则自动发出）' : ''}
          </Typography.Text>
        </div>
      </Card>
      <Card title={`反馈情况（${data.replies.length}）`} style={{ marginBottom: 16 }} data-testid="notice-replies">
        {data.replies.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="主送单位尚未反馈" />
        ) : (
          <div className="notice-replies">
            {data.replies.map((reply) => (
              <div key={reply.id} className="notice-reply">
                <div className="notice-reply-head">
                  <b>{reply.createdBy}</b>
                  <Typography.Text type="secondary">{formatDateTime(reply.createdAt)}</Typography.Text>
                </div>
                <div className="pre-wrap">{reply.text}</div>
              </div>
            ))}
          </div>
        )}
      </Card>
      {data.state === 'closed' && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={`已办结${data.closedBy ? `（${data.closedBy}，${formatDateTime(data.closedAt)}）` : ''}`}
          description={data.closeComment || undefined}
        />
      )}
      {data.actions.includes('reply') && <ReplyForm notice={data} />}
      <CloseDialog notice={data} open={dialog === 'close'} onClose={() => setDialog(null)} />
      {next && <EscalateDialog notice={data} open={dialog === 'escalate'} onClose={() => setDialog(null)} />}
    </>
  );
}
