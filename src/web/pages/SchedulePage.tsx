import { CalendarOutlined, EditOutlined, RollbackOutlined, SaveOutlined, UndoOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Empty,
  InputNumber,
  Popconfirm,
  Progress,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { useAuth } from '../auth.js';
import { ErrorState, LoadingState } from '../components/QueryState.js';
import { pageTitle, planLabel } from '../format.js';
import {
  calendarKey,
  DEFAULT_DUE_RULES,
  describeDueRule,
  dayOffReason,
  PERIOD_KIND_HELP,
  PERIOD_KIND_LABELS,
  PERIOD_KINDS,
  scheduleApi,
  scheduleKey,
  todayInShanghai,
  weekdayLabel,
} from '../scheduleApi.js';
import type {
  CalendarDay,
  DueRule,
  PeriodKind,
  PeriodPhase,
  Schedule as ScheduleResponse,
  SchedulePeriod,
} from '../../contract/schedule.js';

const KIND_COLORS: Record<string, string> = { month: 'cyan', quarter: 'blue', half: 'geekblue', year: 'purple' };

/** Who sets the schedule (plans.manage); the server decides in any case. */
const SCHEDULERS = new Set(['supervisor']);
/** Who keeps the working calendar (calendar.manage). */
const CALENDAR_KEEPERS = new Set(['admin', 'supervisor']);

function failureText(error: unknown, fallback: string): string {
  return error instanceof ApiError || error instanceof Error ? error.message || fallback : fallback;
}

export function SchedulePage() {
  const params = useParams();
  const planId = Number(params.planId);
  const valid = Number.isInteger(planId) && planId > 0;
  const { user } = useAuth();
  const schedule = useQuery({ queryKey: scheduleKey(planId), queryFn: ({ signal }) => scheduleApi.get(planId, signal), enabled: valid });
  const year = schedule.data?.plan.year;
  // the year-end report of a plan falls due in the next year: both years' holidays move its dates
  const calendars = useQueries({
    queries: (year === undefined ? [] : [year, year + 1]).map((y) => ({
      queryKey: calendarKey(y),
      queryFn: ({ signal }: { signal: AbortSignal }) => scheduleApi.calendar(y, signal),
    })),
  });
  const calendarDays =
    calendars.every((query) => query.isSuccess) && calendars.length > 0 ? calendars.flatMap((query) => query.data!.days) : undefined;

  if (!valid) return <ErrorState error={new Error('计划编号无效')} />;
  if (schedule.isError) return <ErrorState error={schedule.error} onRetry={() => void schedule.refetch()} />;
  if (schedule.isPending) return <LoadingState rows={10} />;

  const data = schedule.data;
  const manage = SCHEDULERS.has(user?.role ?? '');
  return (
    <>
      <title>{pageTitle('报送安排', data.plan.title)}</title>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to={`/plans/${data.plan.id}`}>{planLabel(data.plan)}</Link> }, { title: '报送安排' }]}
      />
      <div className="page-head">
        <div>
          <Typography.Title level={2}>报送安排</Typography.Title>
          <Typography.Text type="secondary">{data.plan.title} · 报送周期、截止日期和序时进度</Typography.Text>
        </div>
        <Space wrap>
          {CALENDAR_KEEPERS.has(user?.role ?? '') && (
            <Link to={`/settings/calendar?year=${data.plan.year}`}>
              <Button icon={<CalendarOutlined />}>工作日历</Button>
            </Link>
          )}
          <Link to={`/plans/${data.plan.id}`}>
            <Button icon={<RollbackOutlined />}>返回工作任务</Button>
          </Link>
        </Space>
      </div>
      {/* keyed by the saved rules: saving (here or elsewhere) starts the editor again from what the server holds */}
      <KindsCard key={JSON.stringify(data.kinds)} schedule={data} manage={manage} />
      <PeriodsCard schedule={data} manage={manage} calendarDays={calendarDays} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// 报送周期与截止规则

interface KindDraft {
  on: boolean;
  mode: DueRule['kind'];
  day: number | null;
  move: boolean;
  days: number | null;
}

type Draft = Record<PeriodKind, KindDraft>;

function draftOf(schedule: ScheduleResponse): Draft {
  const draft = {} as Draft;
  for (const kind of PERIOD_KINDS) {
    const saved = schedule.kinds.find((entry) => entry.kind === kind);
    const rule = saved?.dueRule ?? DEFAULT_DUE_RULES[kind];
    const fallback = DEFAULT_DUE_RULES[kind] as { day: number };
    draft[kind] = {
      on: Boolean(saved),
      mode: rule.kind,
      day: rule.kind === 'day_of_next_month' ? rule.day : fallback.day,
      move: rule.kind === 'day_of_next_month' ? rule.moveOffWorkingDays !== false : true,
      days: rule.kind === 'working_days_after_end' ? rule.days : 10,
    };
  }
  return draft;
}

function ruleOf(entry: KindDraft): DueRule | undefined {
  if (entry.mode === 'day_of_next_month') {
    if (entry.day === null || !Number.isInteger(entry.day) || entry.day < 1 || entry.day > 28) return undefined;
    return entry.move
      ? { kind: 'day_of_next_month', day: entry.day }
      : { kind: 'day_of_next_month', day: entry.day, moveOffWorkingDays: false };
  }
  if (entry.days === null || !Number.isInteger(entry.days) || entry.days < 1 || entry.days > 60) return undefined;
  return { kind: 'working_days_after_end', days: entry.days };
}

/** A rule in one canonical form, to compare what the server holds with the draft. */
function ruleKey(rule: DueRule): string {
  return rule.kind === 'day_of_next_month' ? `d${rule.day}${rule.moveOffWorkingDays === false ? '' : '+'}` : `w${rule.days}`;
}

/** What exists before the office chooses the kinds of period: the plan's one 全年 period, with no due date yet. */
const NOT_SCHEDULED = '督查室尚未设置该计划的报送周期和截止规则。目前只有“全年”一期，尚无截止日期，不会截止。';

function KindsCard({ schedule, manage }: { schedule: ScheduleResponse; manage: boolean }) {
  const queryClient = useQueryClient();
  const { message, modal } = AntApp.useApp();
  const [draft, setDraft] = useState<Draft>(() => draftOf(schedule));
  const save = useMutation({
    mutationFn: (kinds: { kind: PeriodKind; dueRule: DueRule }[]) => scheduleApi.set(schedule.plan.id, kinds),
    onSuccess: (result) => {
      queryClient.setQueryData(scheduleKey(schedule.plan.id), result);
      void message.success('报送安排已保存，各周期截止日期已按规则重新计算');
    },
  });

  if (!manage) {
    return (
      <Card title="报送周期与截止规则" className="schedule-card">
        {!schedule.scheduled ? (
          <Typography.Text type="secondary">{NOT_SCHEDULED}</Typography.Text>
        ) : (
          <div className="schedule-rules-readonly">
            {schedule.kinds.map((kind) => (
              <div key={kind.kind} className="schedule-rule-readonly">
                <Tag color={KIND_COLORS[kind.kind]}>{kind.label}</Tag>
                <span>截止：{kind.description}</span>
              </div>
            ))}
          </div>
        )}
      </Card>
    );
  }

  const chosen = PERIOD_KINDS.filter((kind) => draft[kind].on);
  const rules = chosen.map((kind) => ({ kind, dueRule: ruleOf(draft[kind]) }));
  const invalid = rules.some((entry) => !entry.dueRule);
  const savedKey = schedule.kinds.map((entry) => `${entry.kind}:${ruleKey(entry.dueRule)}`).join(',');
  const draftKey = rules.map((entry) => `${entry.kind}:${entry.dueRule ? ruleKey(entry.dueRule) : '?'}`).join(',');
  const dirty = savedKey !== draftKey;
  const set = (kind: PeriodKind, changes: Partial<KindDraft>) =>
    setDraft((previous) => ({ ...previous, [kind]: { ...previous[kind], ...changes } }));

  const submit = () => {
    const kinds = rules as { kind: PeriodKind; dueRule: DueRule }[];
    const dropped = schedule.kinds.filter((entry) => !draft[entry.kind].on);
    const droppedPeriods = schedule.periods.filter((period) => dropped.some((entry) => entry.kind === period.kind));
    if (droppedPeriods.length === 0) {
      save.mutate(kinds);
      return;
    }
    const kept = droppedPeriods.filter((period) => period.reports > 0);
    modal.confirm({
      title: `不再按${dropped.map((entry) => entry.label).join('、')}报送？`,
      content: (
        <>
          <p>尚无报告的 {droppedPeriods.length - kept.length} 个周期将被删除。</p>
          {kept.length > 0 && <p>已有报告的周期（{kept.map((period) => period.label).join('、')}）将保留，截止日期不再变化。</p>}
        </>
      ),
      okText: '保存',
      cancelText: '取消',
      onOk: () => save.mutateAsync(kinds),
    });
  };

  return (
    <Card
      title="报送周期与截止规则"
      className="schedule-card"
      extra={<Typography.Text type="secondary">可任意组合；截止日期按规则计算，遇节假日依工作日历顺延</Typography.Text>}
    >
      {!schedule.scheduled && (
        <Alert type="info" showIcon className="schedule-alert" title={`${NOT_SCHEDULED}请勾选需要报送的周期，设置截止规则后保存。`} />
      )}
      <div className="schedule-kinds">
        {PERIOD_KINDS.map((kind) => {
          const entry = draft[kind];
          const label = PERIOD_KIND_LABELS[kind];
          const rule = ruleOf(entry);
          return (
            <div key={kind} className={`schedule-kind${entry.on ? ' schedule-kind-on' : ''}`} data-testid={`schedule-kind-${kind}`}>
              <div className="schedule-kind-name">
                <Checkbox checked={entry.on} onChange={(event) => set(kind, { on: event.target.checked })}>
                  <span className="schedule-kind-label">{label}</span>
                </Checkbox>
                <div className="schedule-kind-help">{PERIOD_KIND_HELP[kind]}</div>
              </div>
              <div className="schedule-kind-rule">
                <span className="schedule-kind-rule-label">截止规则</span>
                <Select<DueRule['kind']>
                  aria-label={`${label}截止规则`}
                  disabled={!entry.on}
                  value={entry.mode}
                  style={{ width: 150 }}
                  onChange={(mode) => set(kind, { mode })}
                  options={[
                    { value: 'day_of_next_month', label: '次月固定日' },
                    { value: 'working_days_after_end', label: '期末后工作日' },
                  ]}
                />
                {entry.mode === 'day_of_next_month' ? (
                  <>
                    <span className="schedule-kind-words">次月</span>
                    <InputNumber
                      aria-label={`${label}截止日`}
                      disabled={!entry.on}
                      min={1}
                      max={28}
                      precision={0}
                      value={entry.day}
                      onChange={(day) => set(kind, { day })}
                      style={{ width: 72 }}
                    />
                    <span className="schedule-kind-words">日</span>
                    <Switch
                      aria-label={`${label}遇节假日顺延`}
                      size="small"
                      disabled={!entry.on}
                      checked={entry.move}
                      onChange={(move) => set(kind, { move })}
                      className="schedule-kind-switch"
                    />
                    <span className="schedule-kind-words">遇节假日顺延</span>
                  </>
                ) : (
                  <>
                    <span className="schedule-kind-words">期末后第</span>
                    <InputNumber
                      aria-label={`${label}截止工作日数`}
                      disabled={!entry.on}
                      min={1}
                      max={60}
                      precision={0}
                      value={entry.days}
                      onChange={(days) => set(kind, { days })}
                      style={{ width: 72 }}
                    />
                    <span className="schedule-kind-words">个工作日</span>
                  </>
                )}
              </div>
              <div className="schedule-kind-summary">
                {!entry.on ? (
                  <Typography.Text type="secondary">不报送</Typography.Text>
                ) : rule ? (
                  <Typography.Text>{describeDueRule(rule)}</Typography.Text>
                ) : (
                  <Typography.Text type="danger">
                    {entry.mode === 'day_of_next_month' ? '请填写 1 至 28 日' : '请填写 1 至 60 个工作日'}
                  </Typography.Text>
                )}
              </div>
            </div>
          );
        })}
      </div>
      {save.error && <Alert type="error" showIcon className="schedule-alert" title={failureText(save.error, '保存失败')} />}
      <div className="schedule-actions">
        <Typography.Text type="secondary">
          {chosen.length === 0 ? '至少选择一种报送周期。' : dirty ? '有未保存的修改。' : '已保存。'}
          取消某类周期时，尚无报告的周期将被删除，已有报告的周期保留。
        </Typography.Text>
        <Space>
          <Button disabled={!dirty || save.isPending} onClick={() => setDraft(draftOf(schedule))}>
            放弃修改
          </Button>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            disabled={!dirty || invalid || chosen.length === 0}
            loading={save.isPending}
            onClick={submit}
          >
            保存报送安排
          </Button>
        </Space>
      </div>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// the periods of the plan

/** The server says where a period stands (phase), so that every page and export tells the same. */
const PHASE_COLORS: Partial<Record<PeriodPhase, string>> = { open: 'processing', reporting: 'orange', no_due_date: 'gold' };

/** The warning beside a due date on a day off: set by hand, it is not moved to the next working day. */
function DayOffWarning({ reason, saved }: { reason: string; saved: boolean }) {
  const text = `${reason}，非工作日`;
  return (
    <Tooltip
      title={
        saved
          ? `截止日期是${reason}，不是工作日；单独设置的日期不会顺延，请确认是否有意如此。`
          : `所选日期是${reason}，不是工作日；保存后不会自动顺延。`
      }
    >
      <Tag color="red" icon={<WarningOutlined />} className="due-day-off" data-testid={saved ? 'due-day-off' : 'due-day-off-draft'}>
        {text}
      </Tag>
    </Tooltip>
  );
}

interface Editing {
  code: string;
  dueOn: string | null;
  progress: number | null;
}

function DueDate({ date }: { date: string }) {
  return (
    <span className="due-date">
      <span className="due-date-day">{date}</span>
      <span className="due-date-weekday">{weekdayLabel(date)}</span>
    </span>
  );
}

function PeriodsCard({
  schedule,
  manage,
  calendarDays,
}: {
  schedule: ScheduleResponse;
  manage: boolean;
  calendarDays: CalendarDay[] | undefined;
}) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [editing, setEditing] = useState<Editing>();
  const [filter, setFilter] = useState<string>('all');
  const today = todayInShanghai();
  const update = useMutation({
    mutationFn: ({ code, changes }: { code: string; changes: { dueOn?: string | null; expectedProgress?: number } }) =>
      scheduleApi.updatePeriod(schedule.plan.id, code, changes),
    onSuccess: (result, { changes }) => {
      queryClient.setQueryData(scheduleKey(schedule.plan.id), result);
      setEditing(undefined);
      void message.success(changes.dueOn === null ? '已恢复按规则计算截止日期' : '已保存');
    },
  });

  const kindsShown = PERIOD_KINDS.filter((kind) => schedule.periods.some((period) => period.kind === kind));
  const rows = filter === 'all' ? schedule.periods : schedule.periods.filter((period) => period.kind === filter);
  const next = schedule.periods
    .filter((period) => period.dueOn && period.dueOn >= today && period.endsOn < period.dueOn)
    .sort((a, b) => a.dueOn!.localeCompare(b.dueOn!))[0];

  const saveEditing = () => {
    if (!editing) return;
    const period = schedule.periods.find((entry) => entry.code === editing.code);
    if (!period) return;
    const changes: { dueOn?: string; expectedProgress?: number } = {};
    if (editing.dueOn && editing.dueOn !== period.dueOn) changes.dueOn = editing.dueOn;
    if (editing.progress !== null && editing.progress !== period.expectedProgress) changes.expectedProgress = editing.progress;
    if (Object.keys(changes).length === 0) {
      setEditing(undefined);
      return;
    }
    update.mutate({ code: period.code, changes });
  };

  const columns: TableColumnsType<SchedulePeriod> = [
    {
      key: 'label',
      title: '周期',
      width: 170,
      render: (_, period) => (
        <Space size={8}>
          <Tag color={KIND_COLORS[period.kind]} className="period-kind-tag">
            {/* the server names a period's kind as a plain string: an unknown one shows as it is */}
            {(PERIOD_KIND_LABELS as Record<string, string | undefined>)[period.kind] ?? period.kind}
          </Tag>
          <span className="period-label">{period.label}</span>
        </Space>
      ),
    },
    {
      key: 'range',
      title: '起止日期',
      width: 220,
      render: (_, period) => (
        <span className="period-range">
          {period.startsOn} 至 {period.endsOn}
        </span>
      ),
    },
    {
      key: 'due',
      title: '截止日期',
      width: 300,
      render: (_, period) => {
        if (editing?.code === period.code) {
          // warned before saving: a date picked by hand stays where it is, off day or not
          const draftOff = editing.dueOn && calendarDays ? dayOffReason(editing.dueOn, calendarDays) : undefined;
          return (
            <Space size={6} wrap>
              <DatePicker
                aria-label={`${period.label}截止日期`}
                allowClear={false}
                value={editing.dueOn ? dayjs(editing.dueOn) : null}
                onChange={(value) => setEditing({ ...editing, dueOn: value ? value.format('YYYY-MM-DD') : null })}
                style={{ width: 180 }}
              />
              {draftOff && editing.dueOn !== period.dueOn && <DayOffWarning reason={draftOff} saved={false} />}
            </Space>
          );
        }
        // a kind the office dropped keeps its periods that have reports; before any schedule nothing is dropped
        const dropped = schedule.scheduled && !period.inSchedule && (
          <Tooltip title="该类周期已不在报送安排中，因已有报告而保留">
            <Tag>已停用</Tag>
          </Tooltip>
        );
        if (!period.dueOn) {
          return (
            <Space size={6} wrap>
              <Typography.Text type="secondary">{schedule.scheduled ? '未设置' : '未设置（尚无报送安排）'}</Typography.Text>
              {dropped}
            </Space>
          );
        }
        const ruleDate = period.ruleDueOn;
        const byHand = period.dueSetByHand;
        return (
          <Space size={6} wrap>
            <DueDate date={period.dueOn} />
            {byHand && (
              <Tooltip title={ruleDate ? `已单独设置；按规则应为 ${ruleDate}（${weekdayLabel(ruleDate)}）` : '已单独设置'}>
                <Tag color="gold">手动设置</Tag>
              </Tooltip>
            )}
            {dropped}
            {period.dueOnDayOff && <DayOffWarning reason={period.dueDayOffReason ?? '休息日'} saved />}
          </Space>
        );
      },
    },
    {
      key: 'progress',
      title: '序时进度',
      width: 190,
      render: (_, period) =>
        editing?.code === period.code ? (
          <InputNumber
            aria-label={`${period.label}序时进度`}
            min={0}
            max={100}
            step={0.1}
            value={editing.progress}
            onChange={(progress) => setEditing({ ...editing, progress })}
            suffix="%"
            style={{ width: 120 }}
          />
        ) : (
          <div className="period-progress">
            <Progress percent={period.expectedProgress} showInfo={false} size="small" strokeColor="#1d4e89" />
            <span className="period-progress-value">{period.expectedProgress}%</span>
          </div>
        ),
    },
    {
      key: 'reports',
      title: '已报告数',
      width: 100,
      align: 'right',
      render: (_, period) => (period.reports > 0 ? <b>{period.reports}</b> : <Typography.Text type="secondary">0</Typography.Text>),
    },
    {
      key: 'phase',
      title: '状态',
      width: 90,
      render: (_, period) => (
        <Tooltip title={period.phase === 'no_due_date' ? '尚无截止日期：设置报送安排或单独设置截止日期后才会截止' : undefined}>
          <Tag color={PHASE_COLORS[period.phase]}>{period.phaseLabel}</Tag>
        </Tooltip>
      ),
    },
  ];
  if (manage) {
    columns.push({
      key: 'actions',
      title: '操作',
      width: 190,
      render: (_, period) => {
        if (editing?.code === period.code) {
          return (
            <Space size={4}>
              <Button type="primary" size="small" loading={update.isPending} onClick={saveEditing}>
                保存
              </Button>
              <Button size="small" disabled={update.isPending} onClick={() => setEditing(undefined)}>
                取消
              </Button>
            </Space>
          );
        }
        const ruleDate = period.ruleDueOn;
        const byHand = period.dueSetByHand;
        return (
          <Space size={4}>
            <Button
              size="small"
              type="link"
              icon={<EditOutlined />}
              aria-label={`调整${period.label}`}
              disabled={editing !== undefined}
              onClick={() => setEditing({ code: period.code, dueOn: period.dueOn, progress: period.expectedProgress })}
            >
              调整
            </Button>
            {period.inSchedule && byHand && (
              <Popconfirm
                title={`恢复按规则计算${period.label}的截止日期？`}
                description={ruleDate ? `将改为 ${ruleDate}（${weekdayLabel(ruleDate)}）` : undefined}
                okText="恢复"
                cancelText="取消"
                onConfirm={() => update.mutateAsync({ code: period.code, changes: { dueOn: null } })}
              >
                <Button size="small" type="link" icon={<UndoOutlined />} disabled={editing !== undefined}>
                  恢复按规则
                </Button>
              </Popconfirm>
            )}
          </Space>
        );
      },
    });
  }

  return (
    <Card
      title={
        <Space size={12}>
          <span>报送周期</span>
          <Typography.Text type="secondary" className="card-title-note">
            {schedule.periods.length} 个周期
            {!schedule.scheduled ? ' · 尚未设置报送安排' : ''}
            {next ? ` · 下一个截止：${next.label} ${next.dueOn}（${weekdayLabel(next.dueOn!)}）` : ''}
          </Typography.Text>
        </Space>
      }
      styles={{ body: { padding: 0 } }}
      extra={
        kindsShown.length > 1 ? (
          <Segmented
            size="small"
            value={filter}
            onChange={(value) => setFilter(String(value))}
            options={[{ value: 'all', label: '全部' }, ...kindsShown.map((kind) => ({ value: kind, label: PERIOD_KIND_LABELS[kind] }))]}
          />
        ) : undefined
      }
    >
      {update.error && <Alert type="error" showIcon banner title={failureText(update.error, '保存失败')} />}
      <Table<SchedulePeriod>
        className="schedule-table"
        rowKey="code"
        size="middle"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1000 }}
        rowClassName={(period) => (editing?.code === period.code ? 'schedule-row-editing' : '')}
        locale={{ emptyText: <Empty description="暂无报送周期" /> }}
      />
    </Card>
  );
}
