import { AlertOutlined, FileDoneOutlined, NotificationOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Empty, Radio, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../auth.js';
import { formatDateTime } from '../format.js';
import { inboxKey } from '../notificationsApi.js';
import {
  closuresKey,
  NOTICE_COLOUR_LABELS,
  NOTICE_COLOUR_MEANINGS,
  NOTICE_COLOURS,
  type NoticeColour,
  noticesKey,
  supervisionApi,
  timelineKey,
} from '../supervisionApi.js';
import { errorMessage } from './QueryState.js';
import { FormDialog, TextAreaField } from './supervision/FormDialog.js';
import { NoticeFields, useNoticeFields } from './supervision/NoticeFields.js';
import type { Notice, TimelineEvent } from '../../contract/supervision.js';

interface Unit {
  id: number;
  name: string;
}

const DEFAULT_URGE = '请抓紧报送本期进展情况。';

/** A timeline dot's colour: the light when the event is one, the notice's colour, else by kind. */
function eventColour(event: TimelineEvent): string {
  if (event.light) return { green: 'green', yellow: 'gold', red: 'red', grey: 'gray' }[event.light] ?? 'gray';
  if (event.kind === 'notice') {
    if (event.label.includes('红')) return 'red';
    if (event.label.includes('黄')) return 'gold';
    return 'blue';
  }
  const byKind: Partial<Record<TimelineEvent['kind'], string>> = {
    assigned: 'blue',
    acknowledged: 'green',
    assignment_returned: 'red',
    report: 'blue',
    review: 'cyan',
    reminder: 'gray',
    urge: 'orange',
    notice_reply: 'cyan',
    notice_closed: 'green',
    closure_requested: 'purple',
    closure_decided: 'green',
  };
  return byKind[event.kind] ?? 'gray';
}

function unitOptions(lead: Unit[], cooperating: Unit[]) {
  const seen = new Set<number>();
  const options: { value: number; label: string }[] = [];
  for (const [units, role] of [
    [lead, '牵头'],
    [cooperating, '配合'],
  ] as const) {
    for (const unit of units) {
      if (seen.has(unit.id)) continue;
      seen.add(unit.id);
      options.push({ value: unit.id, label: `${unit.name}（${role}）` });
    }
  }
  return options;
}

function useSupervisionRefresh(itemId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: timelineKey(itemId) });
    void queryClient.invalidateQueries({ queryKey: noticesKey });
    void queryClient.invalidateQueries({ queryKey: closuresKey });
    void queryClient.invalidateQueries({ queryKey: inboxKey });
  };
}

interface UnitDialogProps {
  itemId: number;
  units: ReturnType<typeof unitOptions>;
  open: boolean;
  onClose: () => void;
}

function UrgeDialog({ itemId, units, open, onClose }: UnitDialogProps) {
  const { message } = AntApp.useApp();
  const refresh = useSupervisionRefresh(itemId);
  const [organisationId, setOrganisationId] = useState<number | undefined>(units[0]?.value);
  const [text, setText] = useState(DEFAULT_URGE);
  const urge = useMutation({
    mutationFn: () => supervisionApi.urge(itemId, { organisationId: organisationId!, message: text.trim() }),
    onSuccess: (result) => {
      refresh();
      onClose();
      setText(DEFAULT_URGE);
      void message.success(`已向${result.organisation.name}催办${result.notified > 0 ? `，${result.notified} 人收到通知` : ''}`);
    },
  });
  return (
    <FormDialog
      open={open}
      title="催办"
      okText="发送催办"
      onClose={onClose}
      onOk={() => urge.mutate()}
      okButtonProps={{ disabled: !organisationId || !text.trim(), loading: urge.isPending }}
      error={urge.error}
    >
      <label htmlFor="urge-unit">催办单位</label>
      <Select id="urge-unit" value={organisationId} onChange={setOrganisationId} options={units} placeholder="选择单位" />
      <TextAreaField id="urge-message" label="催办内容" value={text} onChange={setText} rows={4} maxLength={2000} showCount />
      <Typography.Text type="secondary">该单位的填报员和负责人会在“消息”中收到催办，并按其通知设置收到邮件或群消息。</Typography.Text>
    </FormDialog>
  );
}

function NoticeDialog({ itemId, units, open, onClose, onRaised }: UnitDialogProps & { onRaised: (notice: Notice) => void }) {
  const refresh = useSupervisionRefresh(itemId);
  const [organisationId, setOrganisationId] = useState<number | undefined>(units[0]?.value);
  const [colour, setColour] = useState<NoticeColour>('blue');
  const fields = useNoticeFields();
  const raise = useMutation({
    mutationFn: () => supervisionApi.raiseNotice(itemId, { organisationId: organisationId!, colour, ...fields.body() }),
    onSuccess: (notice) => {
      refresh();
      onClose();
      fields.clear();
      onRaised(notice);
    },
  });
  return (
    <FormDialog
      open={open}
      title="发督办单"
      okText="发出督办单"
      onClose={onClose}
      onOk={() => raise.mutate()}
      okButtonProps={{ disabled: !organisationId || !fields.complete, loading: raise.isPending }}
      width={560}
      error={raise.error}
    >
      <label htmlFor="notice-unit">主送单位</label>
      <Select id="notice-unit" value={organisationId} onChange={setOrganisationId} options={units} placeholder="选择单位" />
      <span id="notice-colour-label">督办单颜色</span>
      <Radio.Group
        aria-labelledby="notice-colour-label"
        value={colour}
        onChange={(event) => setColour(event.target.value as NoticeColour)}
        className="notice-colour-radio"
      >
        <Space orientation="vertical" size={4}>
          {NOTICE_COLOURS.map((value) => (
            <Radio key={value} value={value}>
              <span className={`notice-colour-chip notice-colour-${value}`}>{NOTICE_COLOUR_LABELS[value]}</span>
              <Typography.Text type="secondary">{NOTICE_COLOUR_MEANINGS[value]}</Typography.Text>
            </Radio>
          ))}
        </Space>
      </Radio.Group>
      <NoticeFields
        fields={fields}
        idPrefix="notice"
        reasonLabel="督办事由"
        reasonPlaceholder="如：该事项进度滞后，本期进展情况未按时报送"
      />
    </FormDialog>
  );
}

function ClosureDialog({
  itemId,
  organisationId,
  open,
  onClose,
}: {
  itemId: number;
  organisationId: number;
  open: boolean;
  onClose: () => void;
}) {
  const { message } = AntApp.useApp();
  const refresh = useSupervisionRefresh(itemId);
  const [evidence, setEvidence] = useState('');
  const request = useMutation({
    mutationFn: () => supervisionApi.requestClosure(itemId, { organisationId, evidence: evidence.trim() }),
    onSuccess: () => {
      refresh();
      onClose();
      setEvidence('');
      void message.success('已提交办结销号申请，等待督查室审核');
    },
  });
  return (
    <FormDialog
      open={open}
      title="申请办结销号"
      okText="提交申请"
      onClose={onClose}
      onOk={() => request.mutate()}
      okButtonProps={{ disabled: !evidence.trim(), loading: request.isPending }}
      error={request.error}
    >
      <TextAreaField
        id="closure-evidence"
        label="完成情况和佐证说明"
        value={evidence}
        onChange={setEvidence}
        rows={6}
        maxLength={5000}
        showCount
        placeholder="写明任务完成情况、完成时间和佐证材料（文件、验收、数据等）"
      />
    </FormDialog>
  );
}

/** The closure request's state from the timeline: the newest closure event, if any. */
function closureState(events: TimelineEvent[]): 'pending' | 'returned' | null {
  const newest = events
    .filter((event) => event.kind === 'closure_requested' || event.kind === 'closure_decided')
    .sort((a, b) => b.at.localeCompare(a.at))[0];
  if (!newest) return null;
  if (newest.kind === 'closure_requested') return 'pending';
  return /退回/.test(newest.label + newest.text) ? 'returned' : null;
}

/**
 * 督查督办 on the item page: what happened to the item (assignments, reports, reminders, 催办, 督办单, lights, 办结销号),
 * newest first; the office urges a unit and raises a 督办单, the lead unit asks for 办结销号.
 */
export function ItemSupervision({ itemId, lead, cooperating }: { itemId: number; lead: Unit[]; cooperating: Unit[] }) {
  const { user } = useAuth();
  const timeline = useQuery({ queryKey: timelineKey(itemId), queryFn: ({ signal }) => supervisionApi.timeline(itemId, signal) });
  const [dialog, setDialog] = useState<'urge' | 'notice' | 'closure' | null>(null);
  const [raised, setRaised] = useState<Notice | null>(null);
  const supervisor = user?.role === 'supervisor';
  const unitRole = user?.role === 'unit_reporter' || user?.role === 'unit_leader';
  const ownLead = unitRole ? lead.find((unit) => unit.id === user?.organisation.id) : undefined;
  const units = unitOptions(lead, cooperating);
  const events = [...(timeline.data?.events ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  const closed = timeline.data?.item.closed ?? false;
  const closure = closed ? null : closureState(events);

  const extra = (
    <Space wrap>
      {closed && (
        <Tag color="green" data-testid="item-closed">
          已办结销号{timeline.data?.item.closedAt ? ` ${formatDateTime(timeline.data.item.closedAt).slice(0, 10)}` : ''}
        </Tag>
      )}
      {closure === 'pending' && <Tag color="processing">办结销号待审核</Tag>}
      {closure === 'returned' && <Tag color="error">办结销号已退回</Tag>}
      {supervisor && !closed && (
        <>
          <Button icon={<NotificationOutlined />} onClick={() => setDialog('urge')} disabled={units.length === 0}>
            催办
          </Button>
          <Button icon={<AlertOutlined />} onClick={() => setDialog('notice')} disabled={units.length === 0}>
            发督办单
          </Button>
        </>
      )}
      {ownLead && !closed && closure !== 'pending' && (
        <Button icon={<FileDoneOutlined />} onClick={() => setDialog('closure')}>
          申请办结销号
        </Button>
      )}
    </Space>
  );

  return (
    <Card title="督查督办" extra={extra} style={{ marginBottom: 16 }} data-testid="item-supervision">
      {raised && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setRaised(null) }}
          style={{ marginBottom: 16 }}
          title={
            <span>
              已向{raised.organisation.name}发出{raised.colourLabel}督办单 {raised.numberText}，
              <Link to={`/notices/${raised.id}`}>查看督办单</Link>
            </span>
          }
        />
      )}
      {timeline.isError ? (
        <Alert type="error" showIcon title={`督查督办记录加载失败：${errorMessage(timeline.error)}`} />
      ) : timeline.isPending ? (
        <Typography.Text type="secondary">正在加载督查督办记录…</Typography.Text>
      ) : events.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无督查督办记录" />
      ) : (
        <Timeline
          className="item-timeline"
          items={events.map((event, index) => ({
            key: `${event.at}-${event.kind}-${index}`,
            color: eventColour(event),
            content: (
              <div className="timeline-event" data-testid="timeline-event">
                <div className="timeline-event-head">
                  <span className="timeline-event-label">{event.label}</span>
                  {event.organisation && <Tag>{event.organisation.name}</Tag>}
                  {event.noticeId !== undefined && <Link to={`/notices/${event.noticeId}`}>查看督办单</Link>}
                  <Typography.Text type="secondary" className="timeline-event-meta">
                    {event.actor ?? '系统'} · {formatDateTime(event.at)}
                  </Typography.Text>
                </div>
                {event.text && <div className="timeline-event-text pre-wrap">{event.text}</div>}
              </div>
            ),
          }))}
        />
      )}
      {supervisor && (
        <>
          <UrgeDialog itemId={itemId} units={units} open={dialog === 'urge'} onClose={() => setDialog(null)} />
          <NoticeDialog itemId={itemId} units={units} open={dialog === 'notice'} onClose={() => setDialog(null)} onRaised={setRaised} />
        </>
      )}
      {ownLead && <ClosureDialog itemId={itemId} organisationId={ownLead.id} open={dialog === 'closure'} onClose={() => setDialog(null)} />}
    </Card>
  );
}
