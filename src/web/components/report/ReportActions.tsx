import { CheckOutlined, FieldTimeOutlined, RollbackOutlined, SendOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, DatePicker, Input, Modal, Space, Tooltip, Typography } from 'antd';
// a type only: the picker's values are antd's own dayjs objects
import type { Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../QueryState.js';
import { myWorkKey, reportKey, reportsApi, TEXT_LIMITS, type ReportAction } from '../../reportsApi.js';
import { addDays, weekdayLabel } from '../../scheduleApi.js';
import type { ReportView } from '../../../contract/reports.js';
import type { ReportEvent } from '../../../contract/vocabulary.js';

interface EventSpec {
  label: string;
  title: string;
  comment: 'none' | 'optional' | 'required';
  danger?: boolean;
  primary?: boolean;
  icon: ReactNode;
  /** what the button does, in a few words, beside it */
  hint: (view: ReportView) => string;
  /** what happens next, in the dialog */
  explain: (view: ReportView) => string;
  done: (view: ReportView) => string;
}

const reviewerOf = (view: ReportView) => (view.relation === 'lead' ? '督查室' : '牵头单位');

const EVENTS: Record<ReportEvent, EventSpec> = {
  submit: {
    label: '报送',
    title: '报送',
    comment: 'none',
    primary: true,
    icon: <SendOutlined />,
    hint: () => '交单位负责人审核',
    explain: () => '',
    done: () => '已报送，等待单位负责人审核',
  },
  withdraw: {
    label: '撤回',
    title: '撤回报告',
    comment: 'none',
    icon: <UndoOutlined />,
    hint: () => '取回已报送的报告，改完再报',
    explain: () => '撤回后报告回到草稿，可以修改后重新报送。',
    done: () => '已撤回，可继续修改',
  },
  approve: {
    label: '审核通过',
    title: '审核通过',
    comment: 'optional',
    primary: true,
    icon: <CheckOutlined />,
    hint: (view) => `同意后报送${reviewerOf(view)}`,
    explain: (view) => `审核通过后，报告将报送${reviewerOf(view)}审核。`,
    done: (view) => `已审核通过，报告已报送${reviewerOf(view)}`,
  },
  reject: {
    label: '退回修改',
    title: '退回修改',
    comment: 'required',
    danger: true,
    icon: <RollbackOutlined />,
    hint: () => '退回本单位填报人员修改，须写明意见',
    explain: () => '报告将退回本单位填报人员修改，请写明需要修改的地方。',
    done: () => '已退回修改',
  },
  accept: {
    label: '采纳',
    title: '采纳报告',
    comment: 'optional',
    primary: true,
    icon: <CheckOutlined />,
    hint: () => '采纳后报告锁定，不能再修改',
    explain: () => '采纳后报告锁定，不能再修改。',
    done: () => '已采纳',
  },
  return: {
    label: '退回',
    title: '退回报告',
    comment: 'required',
    danger: true,
    icon: <RollbackOutlined />,
    hint: (view) => `退回${view.organisation.name}修改，须写明意见`,
    explain: (view) => `报告将退回${view.organisation.name}修改，请写明意见，单位将在报告页和待办中看到。`,
    done: (view) => `已退回${view.organisation.name}`,
  },
};

const ORDER: ReportEvent[] = ['withdraw', 'reject', 'approve', 'return', 'accept', 'submit'];

/**
 * The buttons of what the signed-in person may do with the report now (from `actions`), with their dialogs: a
 * comment for the steps that return (required) or approve (optional), and the extension request. Submitting saves
 * what is pending first (`prepare`).
 */
export function ReportActions({
  view,
  prepare,
  onDone,
}: {
  view: ReportView;
  /** saves pending edits and checks the form; the report to act on, or null (the reason is already shown) */
  prepare: (event: ReportEvent) => Promise<ReportView | null>;
  onDone: (view: ReportView) => void;
}) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  // the step of the comment dialog; it stays set while the dialog closes, so that its text does not vanish first
  const [dialog, setDialog] = useState<ReportEvent | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [extending, setExtending] = useState(false);
  const act = useMutation({
    mutationFn: async ({ event, text }: { event: ReportEvent; text?: string }) => {
      const ready = await prepare(event);
      if (!ready) return null;
      if (ready.id === null) throw new Error('报告还没有内容，请先填写。');
      return reportsApi.act(ready.id, event, ready.revision, text);
    },
    onSuccess: (result, { event }) => {
      if (!result) return;
      onDone(result);
      setDialogOpen(false);
      void message.success(EVENTS[event].done(result));
    },
    onError: (error, { event }) => {
      if (!dialogOpen) void message.error(`${EVENTS[event].label}失败：${errorMessage(error)}`);
      // the report may have moved on (someone else acted): show it as it is now
      void queryClient.invalidateQueries({ queryKey: reportKey(view.key) });
      void queryClient.invalidateQueries({ queryKey: myWorkKey });
    },
  });

  const events = ORDER.filter((event) => view.actions.includes(event as ReportAction));
  const canExtend = view.actions.includes('request_extension') && view.extension?.state !== 'pending';
  if (events.length === 0 && !canExtend) return null;

  const spec = dialog ? EVENTS[dialog] : null;
  const run = (event: ReportEvent) => {
    if (EVENTS[event].comment === 'none' && event === 'submit') act.mutate({ event });
    else {
      act.reset();
      setComment('');
      setDialog(event);
      setDialogOpen(true);
    }
  };

  return (
    <>
      <Space size={8} wrap className="report-action-buttons">
        {canExtend && (
          <Tooltip title="截止日期前来不及报送时，申请延后，由督查室审批">
            <Button icon={<FieldTimeOutlined />} onClick={() => setExtending(true)}>
              申请延期
            </Button>
          </Tooltip>
        )}
        {events.map((event) => (
          <Tooltip key={event} title={EVENTS[event].hint(view)}>
            <Button
              type={EVENTS[event].primary ? 'primary' : 'default'}
              danger={EVENTS[event].danger}
              icon={EVENTS[event].icon}
              loading={act.isPending && act.variables?.event === event && !dialogOpen}
              disabled={act.isPending && act.variables?.event !== event}
              onClick={() => run(event)}
            >
              {EVENTS[event].label}
            </Button>
          </Tooltip>
        ))}
      </Space>
      <Modal
        open={dialogOpen}
        title={spec?.title}
        okText={spec?.label}
        cancelText="取消"
        okButtonProps={{ danger: spec?.danger, disabled: spec?.comment === 'required' && !comment.trim(), loading: act.isPending }}
        onOk={() => dialog && act.mutate({ event: dialog, text: comment.trim() || undefined })}
        onCancel={() => setDialogOpen(false)}
        destroyOnHidden
      >
        {spec && dialog && (
          <div className="dialog-form">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
              {spec.explain(view)}
            </Typography.Paragraph>
            {spec.comment !== 'none' && (
              <>
                <label htmlFor="report-event-comment">{spec.comment === 'required' ? '退回意见' : '审核意见（可不填）'}</label>
                <Input.TextArea
                  id="report-event-comment"
                  autoFocus
                  rows={4}
                  maxLength={TEXT_LIMITS.comment.max}
                  showCount
                  value={comment}
                  onChange={(event) => setComment(event.target.value)}
                  placeholder={spec.comment === 'required' ? '请写明需要修改或补充的内容' : '如：同意报送'}
                />
              </>
            )}
            {act.error && <Alert type="error" showIcon title={errorMessage(act.error)} />}
          </div>
        )}
      </Modal>
      <ExtensionDialog view={view} open={extending} onClose={() => setExtending(false)} onDone={onDone} />
    </>
  );
}

/** 申请延期: a later due date and the reason; the supervision office decides. */
function ExtensionDialog({
  view,
  open,
  onClose,
  onDone,
}: {
  view: ReportView;
  open: boolean;
  onClose: () => void;
  onDone: (view: ReportView) => void;
}) {
  const { message } = AntApp.useApp();
  const [dueOn, setDueOn] = useState<string>();
  const [reason, setReason] = useState('');
  const request = useMutation({
    mutationFn: () => reportsApi.requestExtension(view.key, dueOn!, reason.trim()),
    onSuccess: (result) => {
      onDone(result);
      onClose();
      void message.success('延期申请已提交，等待督查室审批');
    },
  });
  // later than the due date now, and at most a year after the period (the server's rule)
  const earliest = view.dueOn ? addDays(view.dueOn, 1) : view.period.endsOn;
  const latest = addDays(view.period.endsOn, 366);
  return (
    <Modal
      open={open}
      title="申请延期"
      okText="提交申请"
      cancelText="取消"
      okButtonProps={{ disabled: !dueOn || !reason.trim(), loading: request.isPending }}
      onOk={() => request.mutate()}
      onCancel={onClose}
      afterClose={() => {
        setDueOn(undefined);
        setReason('');
        request.reset();
      }}
      destroyOnHidden
    >
      <div className="dialog-form">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
          {view.period.label}报告现在的截止日期：{view.dueOn ? `${view.dueOn}（${weekdayLabel(view.dueOn)}）` : '未设置'}
          。延期申请由督查室审批。
        </Typography.Paragraph>
        <label htmlFor="extension-due">延期至</label>
        <DatePicker
          id="extension-due"
          style={{ width: '100%' }}
          placeholder="选择新的截止日期"
          disabledDate={(day: Dayjs) => day.format('YYYY-MM-DD') < earliest || day.format('YYYY-MM-DD') > latest}
          onChange={(_: Dayjs | null, text: string | string[] | null) => setDueOn(typeof text === 'string' && text ? text : undefined)}
        />
        <label htmlFor="extension-reason">延期理由</label>
        <Input.TextArea
          id="extension-reason"
          rows={4}
          maxLength={TEXT_LIMITS.extensionReason.max}
          showCount
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder="请写明需要延期的原因"
        />
        {request.error && <Alert type="error" showIcon title={errorMessage(request.error)} />}
      </div>
    </Modal>
  );
}
