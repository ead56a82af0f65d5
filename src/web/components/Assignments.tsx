import { CheckOutlined, EditOutlined, FileTextOutlined, FormOutlined, RollbackOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Empty, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api.js';
import { useAuth } from '../auth.js';
import { formatDateTime } from '../format.js';
import { organisationsApi } from '../organisationsApi.js';
import { OrgLink } from './OrgTags.js';
import {
  ASSIGNMENT_ROLE_LABELS,
  ASSIGNMENT_STATE_COLORS,
  assignmentsApi,
  assignmentsKey,
  reportPath,
  scheduleApi,
  scheduleKey,
  todayInShanghai,
  weekdayLabel,
} from '../scheduleApi.js';
import type { Assignment } from '../../contract/reports.js';
import type { SchedulePeriod } from '../../contract/schedule.js';
import type { OrganisationRecord } from '../../contract/organisations.js';
import type { ItemReportRow as Report } from '../../contract/items.js';

/** Roles that answer for their unit's part (签收 / 退回). */
const UNIT_ROLES = new Set(['unit_reporter', 'unit_leader']);
/** Who assigns units to items (plans.manage). */
const ASSIGNERS = new Set(['supervisor']);

/** Report states in which the unit itself still writes the report. */
const EDITABLE_REPORT_STATES = new Set(['draft', 'returned', 'rejected']);

const REPORT_STATE_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  returned: 'warning',
  rejected: 'error',
  accepted: 'success',
  published: 'success',
  imported: 'cyan',
};

function failureText(error: unknown, fallback: string): string {
  return error instanceof ApiError || error instanceof Error ? error.message || fallback : fallback;
}

/**
 * The period the item page opens on: the earliest one still to be reported (its due date not passed), else the
 * last one that has ended; the year-end report of a past plan, say.
 */
function defaultPeriod(periods: SchedulePeriod[], today: string): SchedulePeriod | undefined {
  const open = periods.filter((period) => period.startsOn <= today && (period.dueOn ?? period.endsOn) >= today);
  if (open.length > 0) return [...open].sort((a, b) => (a.dueOn ?? a.endsOn).localeCompare(b.dueOn ?? b.endsOn))[0];
  const ended = periods.filter((period) => period.endsOn < today);
  if (ended.length > 0) return [...ended].sort((a, b) => a.endsOn.localeCompare(b.endsOn) || b.startsOn.localeCompare(a.startsOn)).at(-1);
  return periods[0];
}

/**
 * 分工与签收 on the item page: the units of the item with their role and whether they signed for it; a unit's
 * own answer (签收, or 退回 with a reason); the office's 调整分工; and each unit's report for a chosen period.
 */
export function Assignments({ itemId, planId, reports }: { itemId: number; planId: number; reports: Report[] }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [chosenPeriod, setChosenPeriod] = useState<string>();
  const [returning, setReturning] = useState(false);
  const [reassigning, setReassigning] = useState(false);
  const assignments = useQuery({ queryKey: assignmentsKey(itemId), queryFn: ({ signal }) => assignmentsApi.list(itemId, signal) });
  const schedule = useQuery({ queryKey: scheduleKey(planId), queryFn: ({ signal }) => scheduleApi.get(planId, signal) });

  const refreshAll = () =>
    // the item's units show on the item, the plan, the units' pages and the to-do lists
    void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'auth' && query.queryKey[0] !== 'assignments' });
  const answer = useMutation({
    mutationFn: ({ answer: choice, reason }: { answer: 'acknowledge' | 'return'; reason?: string }) =>
      assignmentsApi.answer(itemId, choice, reason),
    onSuccess: (result, { answer: choice }) => {
      queryClient.setQueryData(assignmentsKey(itemId), result);
      refreshAll();
      setReturning(false);
      void message.success(choice === 'acknowledge' ? '已签收' : '已退回，督查室将重新分配');
    },
  });

  const role = user?.role ?? '';
  const unitRole = UNIT_ROLES.has(role);
  const myOrg = user?.organisation.id;
  const list = assignments.data?.assignments ?? [];
  const mine = unitRole ? list.filter((entry) => entry.organisation.id === myOrg) : [];
  const waiting = mine.some((entry) => entry.state === 'assigned');
  const returned = mine.find((entry) => entry.state === 'returned');
  const returnedParts = ASSIGNERS.has(user?.role ?? '') ? list.filter((entry) => entry.state === 'returned') : [];
  const myUnitLeads = list.some((entry) => entry.organisation.id === myOrg && entry.role === 'lead');

  const periods = schedule.data?.periods ?? [];
  const today = todayInShanghai();
  const period = periods.find((entry) => entry.code === chosenPeriod) ?? defaultPeriod(periods, today);
  const myName = user?.organisation.name ?? '本单位';

  const columns: TableColumnsType<Assignment> = [
    {
      key: 'organisation',
      title: '单位',
      width: 240,
      render: (_, entry) => (
        <Space size={6}>
          <OrgLink org={entry.organisation} />
          {unitRole && entry.organisation.id === myOrg && <Tag className="assignment-mine">本单位</Tag>}
        </Space>
      ),
    },
    {
      key: 'role',
      title: '分工',
      width: 80,
      render: (_, entry) => (
        <Tag color={entry.role === 'lead' ? 'blue' : undefined}>{ASSIGNMENT_ROLE_LABELS[entry.role] ?? entry.role}</Tag>
      ),
    },
    {
      key: 'state',
      title: '签收情况',
      render: (_, entry) => (
        <div className="assignment-state">
          <Space size={6} wrap>
            <Tag color={ASSIGNMENT_STATE_COLORS[entry.state] ?? 'default'}>{entry.stateLabel}</Tag>
            {entry.at && entry.state !== 'assigned' && (
              <Typography.Text type="secondary" className="assignment-at">
                {formatDateTime(entry.at)}
              </Typography.Text>
            )}
          </Space>
          {entry.state === 'returned' && entry.reason && (
            <div className="assignment-reason" data-testid="assignment-reason">
              退回理由：{entry.reason}
            </div>
          )}
        </div>
      ),
    },
    {
      key: 'report',
      title: period ? `${period.label}报告` : '报告',
      width: 250,
      render: (_, entry) => {
        if (!period) return <Typography.Text type="secondary">尚未设置报送周期</Typography.Text>;
        const own = unitRole && entry.organisation.id === myOrg;
        // a unit reads its own reports and, as lead unit, those of its cooperating units; the office reads all
        if (unitRole && !own && !myUnitLeads) return <Typography.Text type="secondary">—</Typography.Text>;
        const report = reports.find(
          (candidate) => candidate.organisation.id === entry.organisation.id && candidate.period.code === period.code,
        );
        // the unit fills in its report until it has left the unit; after that it is read
        const fill = own && entry.state !== 'returned' && (!report || EDITABLE_REPORT_STATES.has(report.state));
        return (
          <Space size={8}>
            {report ? (
              <Tag color={REPORT_STATE_COLORS[report.state] ?? 'default'}>{report.stateLabel}</Tag>
            ) : (
              <Typography.Text type="secondary" className="assignment-no-report">
                {own ? '未填报' : '未报送'}
              </Typography.Text>
            )}
            <Link
              to={reportPath(itemId, entry.organisation.id, period.code)}
              aria-label={`${fill ? '填报' : '查看'}${entry.organisation.name}${period.label}报告`}
              className="assignment-report-link"
            >
              {fill ? <FormOutlined /> : <FileTextOutlined />} {fill ? '填报' : '查看报告'}
            </Link>
          </Space>
        );
      },
    },
  ];

  const periodSelect =
    periods.length > 0 ? (
      <Space size={6}>
        <Typography.Text type="secondary">报送周期</Typography.Text>
        <Select<string>
          aria-label="报送周期"
          size="small"
          value={period?.code}
          style={{ width: 220 }}
          onChange={setChosenPeriod}
          options={periods.map((entry) => ({
            value: entry.code,
            label: entry.dueOn ? `${entry.label}（${entry.dueOn} 截止）` : entry.label,
          }))}
        />
      </Space>
    ) : null;

  return (
    <Card
      className="assignments-card"
      title={
        <Space size={8}>
          <TeamOutlined />
          <span>分工与签收</span>
        </Space>
      }
      extra={
        <Space size={12} wrap>
          {periodSelect}
          {ASSIGNERS.has(role) && (
            <Button size="small" icon={<EditOutlined />} onClick={() => setReassigning(true)} disabled={!assignments.isSuccess}>
              调整分工
            </Button>
          )}
        </Space>
      }
      styles={{ body: { padding: 0 } }}
    >
      {waiting && (
        <Alert
          type="warning"
          showIcon
          banner
          className="assignment-ask"
          title={`本单位（${myName}）对该事项的分工（${mine.map((entry) => ASSIGNMENT_ROLE_LABELS[entry.role]).join('、')}）待签收`}
          description="请确认该项工作是否由本单位承担：确认后签收；如分工有误，请退回并写明理由，督查室将重新分配。"
          action={
            <Space direction="vertical" size={6}>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                loading={answer.isPending && answer.variables?.answer === 'acknowledge'}
                onClick={() => answer.mutate({ answer: 'acknowledge' })}
              >
                签收
              </Button>
              <Button danger icon={<RollbackOutlined />} disabled={answer.isPending} onClick={() => setReturning(true)}>
                退回
              </Button>
            </Space>
          }
        />
      )}
      {returned && !waiting && (
        <Alert
          type="info"
          showIcon
          banner
          title={`本单位已于 ${formatDateTime(returned.at)} 退回该分工，等待督查室重新分配。`}
          description={returned.reason ? `退回理由：${returned.reason}` : undefined}
        />
      )}
      {returnedParts.length > 0 && (
        <Alert
          type="error"
          showIcon
          banner
          className="assignment-returned-notice"
          title={`${returnedParts.map((entry) => entry.organisation.name).join('、')}已退回分工，请核实后调整分工。`}
          action={
            <Button size="small" danger onClick={() => setReassigning(true)}>
              调整分工
            </Button>
          }
        />
      )}
      {answer.error && !returning && <Alert type="error" showIcon banner title={failureText(answer.error, '操作失败')} />}
      {assignments.isError ? (
        <Alert type="error" showIcon banner title={failureText(assignments.error, '分工加载失败')} />
      ) : (
        <Table<Assignment>
          className="assignments-table"
          rowKey={(entry) => `${entry.role}-${entry.organisation.id}`}
          size="middle"
          loading={assignments.isPending}
          columns={columns}
          dataSource={list}
          pagination={false}
          rowClassName={(entry) => `assignment-row-${entry.state}`}
          scroll={{ x: 760 }}
          locale={{ emptyText: <Empty description="尚未分配责任单位" /> }}
        />
      )}
      {period && (
        <div className="assignments-foot">
          <Typography.Text type="secondary">
            {period.label}：{period.startsOn} 至 {period.endsOn}
            {period.dueOn ? `，${period.dueOn}（${weekdayLabel(period.dueOn)}）截止报送` : ''}，序时进度 {period.expectedProgress}%
          </Typography.Text>
          <Link to={`/plans/${planId}/schedule`}>报送安排</Link>
        </div>
      )}
      <ReturnDialog
        open={returning}
        pending={answer.isPending}
        error={returning ? answer.error : null}
        onCancel={() => {
          setReturning(false);
          answer.reset();
        }}
        onReturn={(reason) => answer.mutate({ answer: 'return', reason })}
      />
      {reassigning && <ReassignDialog itemId={itemId} assignments={list} onClose={() => setReassigning(false)} onDone={refreshAll} />}
    </Card>
  );
}

function ReturnDialog({
  open,
  pending,
  error,
  onCancel,
  onReturn,
}: {
  open: boolean;
  pending: boolean;
  error: unknown;
  onCancel: () => void;
  onReturn: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <Modal
      open={open}
      title="退回分工"
      okText="退回"
      cancelText="取消"
      okButtonProps={{ danger: true, disabled: !reason.trim(), loading: pending }}
      onOk={() => onReturn(reason.trim())}
      onCancel={onCancel}
      afterClose={() => setReason('')}
      destroyOnHidden
    >
      <div className="dialog-form">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
          退回后督查室将收到提醒并重新分配。请写明理由，如“该项工作由某单位负责，本单位无具体任务”。
        </Typography.Paragraph>
        <label htmlFor="assignment-return-reason">退回理由</label>
        <Input.TextArea
          id="assignment-return-reason"
          className="assignment-return-reason"
          autoFocus
          rows={4}
          maxLength={1000}
          showCount
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder="请写明退回理由"
        />
        {Boolean(error) && <Alert type="error" showIcon title={failureText(error, '退回失败')} />}
      </div>
    </Modal>
  );
}

interface OrgOption {
  value: number;
  label: string;
  disabled?: boolean;
  search: string;
}

function optionsOf(organisations: OrganisationRecord[], keep: number[]): OrgOption[] {
  return organisations
    .filter((organisation) => organisation.mergedInto === null && (organisation.active || keep.includes(organisation.id)))
    .map((organisation) => ({
      value: organisation.id,
      label: organisation.active ? organisation.name : `${organisation.name}（已撤销）`,
      disabled: !organisation.active,
      search: [organisation.name, ...organisation.aliases].join(' ').toLowerCase(),
    }));
}

/** The office sets the item's lead and cooperating units; units added must sign, units kept keep their answer. */
function ReassignDialog({
  itemId,
  assignments,
  onClose,
  onDone,
}: {
  itemId: number;
  assignments: Assignment[];
  onClose: () => void;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: ({ signal }) => organisationsApi.list(signal) });
  const initialLead = assignments.filter((entry) => entry.role === 'lead').map((entry) => entry.organisation.id);
  const initialCooperating = assignments
    .filter((entry) => entry.role === 'cooperating' && !initialLead.includes(entry.organisation.id))
    .map((entry) => entry.organisation.id);
  const [lead, setLead] = useState<number[]>(initialLead);
  const [cooperating, setCooperating] = useState<number[]>(initialCooperating);
  const save = useMutation({
    mutationFn: () => assignmentsApi.reassign(itemId, lead, cooperating),
    onSuccess: (result) => {
      queryClient.setQueryData(assignmentsKey(itemId), result);
      onDone();
      onClose();
      void message.success('分工已调整');
    },
  });

  const all = organisations.data?.organisations ?? [];
  const options = optionsOf(all, [...initialLead, ...initialCooperating]);
  const nameOf = (id: number) =>
    all.find((organisation) => organisation.id === id)?.name ??
    assignments.find((entry) => entry.organisation.id === id)?.organisation.name ??
    `#${id}`;
  const filter = (input: string, option?: OrgOption) => Boolean(option?.search.includes(input.trim().toLowerCase()));

  const before = new Map(assignments.map((entry) => [`${entry.role}:${entry.organisation.id}`, entry]));
  const after = [...lead.map((id) => `lead:${id}`), ...cooperating.map((id) => `cooperating:${id}`)];
  const added = after.filter((key) => !before.has(key) || before.get(key)!.state === 'returned');
  const removed = [...before.keys()].filter((key) => !after.includes(key));
  const describe = (key: string) => {
    const [role, id] = key.split(':') as ['lead' | 'cooperating', string];
    return `${nameOf(Number(id))}（${ASSIGNMENT_ROLE_LABELS[role]}）`;
  };
  const unchanged = added.length === 0 && removed.length === 0 && after.length === before.size;

  return (
    <Modal
      open
      width={640}
      title="调整分工"
      okText="保存分工"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => save.mutate()}
      okButtonProps={{ disabled: lead.length === 0 || unchanged, loading: save.isPending }}
    >
      <div className="dialog-form">
        <label htmlFor="reassign-lead">牵头单位</label>
        <Select<number[], OrgOption>
          id="reassign-lead"
          mode="multiple"
          aria-label="牵头单位"
          loading={organisations.isPending}
          value={lead}
          options={options}
          showSearch={{ filterOption: filter }}
          maxCount={20}
          placeholder="搜索并选择牵头单位"
          onChange={(ids) => {
            setLead(ids);
            setCooperating((previous) => previous.filter((id) => !ids.includes(id)));
          }}
        />
        <label htmlFor="reassign-cooperating">配合单位</label>
        <Select<number[], OrgOption>
          id="reassign-cooperating"
          mode="multiple"
          aria-label="配合单位"
          loading={organisations.isPending}
          value={cooperating}
          options={options.map((option) =>
            lead.includes(option.value) ? { ...option, disabled: true, label: `${option.label}（牵头）` } : option,
          )}
          showSearch={{ filterOption: filter }}
          maxCount={60}
          placeholder="搜索并选择配合单位"
          onChange={setCooperating}
        />
        {lead.length === 0 && <Typography.Text type="danger">每个事项至少要有一个牵头单位。</Typography.Text>}
        {(added.length > 0 || removed.length > 0) && (
          <div className="reassign-changes">
            {added.length > 0 && (
              <div>
                <span className="reassign-changes-label">新增（须签收）：</span>
                {added.map((key) => (
                  <Tag key={key} color="orange">
                    {describe(key)}
                  </Tag>
                ))}
              </div>
            )}
            {removed.length > 0 && (
              <div>
                <span className="reassign-changes-label">移除：</span>
                {removed.map((key) => (
                  <Tag key={key}>{describe(key)}</Tag>
                ))}
              </div>
            )}
          </div>
        )}
        <Typography.Text type="secondary">
          保留的单位维持原签收状态；新增或已退回的单位须重新签收。汇总表中的牵头、配合单位随之更新。
        </Typography.Text>
        {save.error && <Alert type="error" showIcon title={failureText(save.error, '保存失败')} />}
        {organisations.error && <Alert type="error" showIcon title={failureText(organisations.error, '单位列表加载失败')} />}
      </div>
    </Modal>
  );
}
