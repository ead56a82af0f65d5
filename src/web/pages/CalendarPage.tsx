import { DeleteOutlined, LeftOutlined, PlusOutlined, RightOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, DatePicker, Empty, Input, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../api.js';
import { useAuth } from '../auth.js';
import { ErrorState, LoadingState } from '../components/QueryState.js';
import { pageTitle } from '../format.js';
import {
  addDays,
  calendarKey,
  daysFromTo,
  isIsoDate,
  isWeekend,
  scheduleApi,
  todayInShanghai,
  weekdayLabel,
  weekdayOf,
} from '../scheduleApi.js';
import type { CalendarDay, CalendarDayKind } from '../../contract/schedule.js';

/** Who keeps the calendar (calendar.manage); the server decides in any case. */
const KEEPERS = new Set(['admin', 'supervisor']);
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
/** the server takes at most this many days a year */
const MAX_DAYS = 200;

const KIND_LABELS: Record<CalendarDayKind, string> = { holiday: '节假日', workday: '调休上班' };
const KIND_COLORS: Record<CalendarDayKind, string> = { holiday: 'red', workday: 'blue' };

function yearFrom(text: string | null): number | undefined {
  const year = Number(text);
  return text && Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR ? year : undefined;
}

/** Consecutive days of one kind and name, as a holiday notice writes them: 10月1日至7日放假调休，共7天. */
interface DayGroup {
  key: string;
  kind: CalendarDayKind;
  name: string;
  from: string;
  to: string;
  days: string[];
}

function groupDays(days: CalendarDay[]): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const day of [...days].sort((a, b) => a.day.localeCompare(b.day))) {
    const last = groups.at(-1);
    if (last && last.kind === day.kind && last.name === day.name && addDays(last.to, 1) === day.day) {
      last.to = day.day;
      last.days.push(day.day);
    } else {
      groups.push({ key: day.day, kind: day.kind, name: day.name, from: day.day, to: day.day, days: [day.day] });
    }
  }
  return groups;
}

const sameDays = (a: CalendarDay[], b: CalendarDay[]) =>
  JSON.stringify([...a].sort((x, y) => x.day.localeCompare(y.day))) === JSON.stringify([...b].sort((x, y) => x.day.localeCompare(y.day)));

export function CalendarPage() {
  const { user } = useAuth();
  const { modal } = AntApp.useApp();
  const [search, setSearch] = useSearchParams();
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const year = yearFrom(search.get('year')) ?? thisYear;
  const keeper = KEEPERS.has(user?.role ?? '');
  const [dirty, setDirty] = useState(false);
  const query = useQuery({ queryKey: calendarKey(year), queryFn: ({ signal }) => scheduleApi.calendar(year, signal) });

  const goTo = (next: number) => {
    if (next === year || next < MIN_YEAR || next > MAX_YEAR) return;
    const go = () => {
      setDirty(false);
      setSearch({ year: String(next) });
    };
    if (!dirty) return go();
    modal.confirm({ title: `放弃 ${year} 年未保存的修改？`, okText: '放弃并切换', cancelText: '继续编辑', onOk: go });
  };
  const years = [...new Set([...Array.from({ length: 9 }, (_, index) => thisYear - 5 + index), year])].sort((a, b) => a - b);

  return (
    <>
      <title>{pageTitle(`${year}年工作日历`)}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>工作日历</Typography.Title>
          <Typography.Text type="secondary">
            法定节假日和调休上班日，按国务院办公厅当年的节假日安排通知设置；报送截止日期遇非工作日依此顺延
          </Typography.Text>
        </div>
        <Space.Compact className="calendar-year-switch">
          <Button icon={<LeftOutlined />} aria-label="上一年" disabled={year <= MIN_YEAR} onClick={() => goTo(year - 1)} />
          <Select<number>
            aria-label="年份"
            value={year}
            style={{ width: 110 }}
            onChange={goTo}
            options={years.map((value) => ({ value, label: `${value}年` }))}
          />
          <Button icon={<RightOutlined />} aria-label="下一年" disabled={year >= MAX_YEAR} onClick={() => goTo(year + 1)} />
        </Space.Compact>
      </div>
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <LoadingState rows={10} />
      ) : (
        <YearEditor key={year} year={year} saved={query.data.days} keeper={keeper} onDirty={setDirty} />
      )}
    </>
  );
}

function YearEditor({
  year,
  saved,
  keeper,
  onDirty,
}: {
  year: number;
  saved: CalendarDay[];
  keeper: boolean;
  onDirty: (dirty: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [days, setDaysState] = useState<CalendarDay[]>(saved);
  const dirty = !sameDays(days, saved);
  const setDays = (next: CalendarDay[]) => {
    setDaysState(next);
    onDirty(!sameDays(next, saved));
  };
  const save = useMutation({
    mutationFn: () =>
      scheduleApi.setCalendar(
        year,
        [...days].sort((a, b) => a.day.localeCompare(b.day)),
      ),
    onSuccess: (result) => {
      queryClient.setQueryData(calendarKey(year), result);
      setDaysState(result.days);
      onDirty(false);
      // due dates computed from the rules moved with the calendar
      void queryClient.invalidateQueries({ queryKey: ['schedule'] });
      void message.success(`已保存 ${year} 年工作日历，按规则计算的截止日期已随之重算`);
    },
  });
  const groups = groupDays(days);
  const holidays = days.filter((day) => day.kind === 'holiday').length;
  const workdays = days.length - holidays;

  const columns: TableColumnsType<DayGroup> = [
    {
      key: 'date',
      title: '日期',
      render: (_, group) =>
        group.from === group.to ? (
          <span className="calendar-date">
            {group.from} <span className="calendar-weekday">{weekdayLabel(group.from)}</span>
          </span>
        ) : (
          <span className="calendar-date">
            {group.from} <span className="calendar-weekday">{weekdayLabel(group.from)}</span> 至 {group.to}{' '}
            <span className="calendar-weekday">{weekdayLabel(group.to)}</span>
          </span>
        ),
    },
    { key: 'count', title: '天数', width: 70, align: 'right', render: (_, group) => `${group.days.length} 天` },
    { key: 'kind', title: '类型', width: 100, render: (_, group) => <Tag color={KIND_COLORS[group.kind]}>{KIND_LABELS[group.kind]}</Tag> },
    { key: 'name', title: '名称', render: (_, group) => group.name || <Typography.Text type="secondary">—</Typography.Text> },
  ];
  if (keeper) {
    columns.push({
      key: 'actions',
      title: '操作',
      width: 90,
      render: (_, group) => (
        <Button
          type="link"
          size="small"
          danger
          icon={<DeleteOutlined />}
          aria-label={`删除 ${group.from}${group.from === group.to ? '' : ` 至 ${group.to}`} ${group.name}`}
          onClick={() => setDays(days.filter((day) => !group.days.includes(day.day)))}
        >
          删除
        </Button>
      ),
    });
  }

  return (
    <>
      {keeper && (
        <Alert
          type="info"
          showIcon
          className="calendar-note"
          title="保存后，各工作计划中按规则计算的报送截止日期将随之重算；单独设置过的截止日期不变。"
        />
      )}
      <div className="calendar-layout">
        <div className="calendar-main">
          {keeper && <AddDays year={year} days={days} onAdd={(added) => setDays([...days, ...added])} />}
          <Card
            title={
              <Space size={12}>
                <span>{year}年节假日与调休</span>
                <Typography.Text type="secondary" className="card-title-note">
                  节假日 {holidays} 天 · 调休上班 {workdays} 天
                </Typography.Text>
              </Space>
            }
            styles={{ body: { padding: 0 } }}
          >
            <Table<DayGroup>
              className="calendar-table"
              rowKey="key"
              size="middle"
              columns={columns}
              dataSource={groups}
              pagination={false}
              rowClassName={(group) => `calendar-row-${group.kind}`}
              locale={{
                emptyText: (
                  <Empty
                    description={
                      keeper
                        ? `尚未设置 ${year} 年的节假日。未设置时，周一至周五为工作日，周六、周日为休息日。`
                        : `${year} 年尚未设置节假日`
                    }
                  />
                ),
              }}
            />
            {keeper && (
              <div className="calendar-actions">
                <Typography.Text type={dirty ? 'warning' : 'secondary'}>{dirty ? '有未保存的修改。' : '与已保存的一致。'}</Typography.Text>
                <Space>
                  <Button disabled={!dirty || save.isPending} onClick={() => setDays(saved)}>
                    放弃修改
                  </Button>
                  <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={save.isPending} onClick={() => save.mutate()}>
                    保存工作日历
                  </Button>
                </Space>
              </div>
            )}
            {save.error && (
              <Alert type="error" showIcon banner title={save.error instanceof ApiError ? save.error.message : '保存失败，请稍后重试'} />
            )}
          </Card>
        </div>
        <Card title={`${year}年日历`} className="calendar-side">
          <YearView year={year} days={days} />
        </Card>
      </div>
    </>
  );
}

type Range = [Dayjs | null, Dayjs | null] | null;

/** Adding a day or a run of days with a name: 2027-10-01 至 2027-10-07 国庆节. */
function AddDays({ year, days, onAdd }: { year: number; days: CalendarDay[]; onAdd: (days: CalendarDay[]) => void }) {
  const [kind, setKind] = useState<CalendarDayKind>('holiday');
  const [span, setSpan] = useState<'single' | 'range'>('range');
  const [single, setSingle] = useState<Dayjs | null>(null);
  const [range, setRange] = useState<Range>(null);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const outsideYear = (value: Dayjs) => value.year() !== year;
  const firstOfYear = dayjs(`${year}-01-01`);

  const add = () => {
    const from = span === 'single' ? single?.format('YYYY-MM-DD') : range?.[0]?.format('YYYY-MM-DD');
    const to = span === 'single' ? from : range?.[1]?.format('YYYY-MM-DD');
    const trimmed = name.trim();
    if (!from || !to) return setProblem(span === 'single' ? '请选择日期。' : '请选择开始和结束日期。');
    if (!isIsoDate(from) || !isIsoDate(to)) return setProblem('日期无效。');
    if (!from.startsWith(`${year}-`) || !to.startsWith(`${year}-`)) return setProblem(`日期须在 ${year} 年之内；其他年份请先切换年份。`);
    if (to < from) return setProblem('结束日期不能早于开始日期。');
    if (!trimmed) return setProblem(kind === 'holiday' ? '请填写名称，如“国庆节”。' : '请填写名称，如“国庆节调休”。');
    if (trimmed.length > 50) return setProblem('名称不超过 50 个字。');
    const wanted = daysFromTo(from, to);
    const taken = wanted.map((day) => days.find((entry) => entry.day === day)).filter((entry): entry is CalendarDay => Boolean(entry));
    if (taken.length > 0) {
      const first = taken[0]!;
      return setProblem(
        `${first.day}（${first.name || KIND_LABELS[first.kind]}）已在列表中${taken.length > 1 ? `，共 ${taken.length} 天重复` : ''}；请先删除或改选日期。`,
      );
    }
    if (kind === 'workday') {
      const weekday = wanted.find((day) => !isWeekend(day));
      if (weekday) return setProblem(`${weekday} 是${weekdayLabel(weekday)}，本就是工作日；调休上班日应为周六或周日。`);
    }
    if (days.length + wanted.length > MAX_DAYS) return setProblem(`一年最多设置 ${MAX_DAYS} 天。`);
    onAdd(wanted.map((day) => ({ day, kind, name: trimmed })));
    setProblem(undefined);
    setSingle(null);
    setRange(null);
    setName('');
  };

  return (
    <Card title="添加节假日或调休上班日" className="calendar-add" size="small">
      <div className="calendar-add-form">
        <div className="calendar-add-field">
          <span className="calendar-add-label">类型</span>
          <Radio.Group
            aria-label="类型"
            optionType="button"
            buttonStyle="solid"
            value={kind}
            onChange={(event) => setKind(event.target.value as CalendarDayKind)}
            options={[
              { value: 'holiday', label: '节假日' },
              { value: 'workday', label: '调休上班日' },
            ]}
          />
        </div>
        <div className="calendar-add-field">
          <span className="calendar-add-label">日期</span>
          <Space.Compact>
            <Select<'single' | 'range'>
              aria-label="单日或连续多日"
              value={span}
              style={{ width: 108 }}
              onChange={(value) => {
                setSpan(value);
                setProblem(undefined);
              }}
              options={[
                { value: 'single', label: '单日' },
                { value: 'range', label: '连续多日' },
              ]}
            />
            {span === 'single' ? (
              <DatePicker
                aria-label="日期"
                value={single}
                onChange={setSingle}
                disabledDate={outsideYear}
                defaultPickerValue={firstOfYear}
                style={{ width: 180 }}
              />
            ) : (
              <DatePicker.RangePicker
                aria-label="日期范围"
                value={range}
                onChange={(value) => setRange(value as Range)}
                disabledDate={outsideYear}
                defaultPickerValue={[firstOfYear, firstOfYear]}
                style={{ width: 270 }}
              />
            )}
          </Space.Compact>
        </div>
        <div className="calendar-add-field calendar-add-name">
          <label htmlFor="calendar-day-name">名称</label>
          <Input
            id="calendar-day-name"
            value={name}
            maxLength={50}
            placeholder={kind === 'holiday' ? '如：国庆节' : '如：国庆节调休'}
            onChange={(event) => setName(event.target.value)}
            onPressEnter={add}
          />
        </div>
        <div className="calendar-add-field calendar-add-button">
          <Button icon={<PlusOutlined />} onClick={add}>
            添加
          </Button>
        </div>
      </div>
      {problem && <Alert type="error" showIcon className="calendar-add-problem" title={problem} />}
    </Card>
  );
}

const WEEK_HEAD = ['一', '二', '三', '四', '五', '六', '日'];

/** The twelve months of the year, the days off and worked weekend days marked. */
function YearView({ year, days }: { year: number; days: CalendarDay[] }) {
  const marked = new Map(days.map((day) => [day.day, day]));
  const today = todayInShanghai();
  return (
    <>
      <div className="year-view">
        {Array.from({ length: 12 }, (_, index) => {
          const month = index + 1;
          const first = `${year}-${String(month).padStart(2, '0')}-01`;
          const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
          // Monday first, as Chinese calendars print it
          const blanks = (weekdayOf(first) + 6) % 7;
          return (
            <div key={month} className="month-view">
              <div className="month-view-title">{month}月</div>
              <div className="month-view-grid">
                {WEEK_HEAD.map((head) => (
                  <span key={head} className="month-view-head">
                    {head}
                  </span>
                ))}
                {Array.from({ length: blanks }, (_, blank) => (
                  <span key={`b${blank}`} />
                ))}
                {Array.from({ length: length }, (_, offset) => {
                  const day = addDays(first, offset);
                  const entry = marked.get(day);
                  const classes = ['month-view-day'];
                  if (entry) classes.push(`month-view-${entry.kind}`);
                  else if (isWeekend(day)) classes.push('month-view-weekend');
                  if (day === today) classes.push('month-view-today');
                  return (
                    <span
                      key={day}
                      className={classes.join(' ')}
                      title={
                        entry ? `${day} ${weekdayLabel(day)} ${entry.name}（${KIND_LABELS[entry.kind]}）` : `${day} ${weekdayLabel(day)}`
                      }
                    >
                      {offset + 1}
                    </span>
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
      <div className="year-view-legend">
        <span>
          <i className="month-view-day month-view-holiday" /> 节假日
        </span>
        <span>
          <i className="month-view-day month-view-workday" /> 调休上班
        </span>
        <span>
          <i className="month-view-day month-view-weekend" /> 周末
        </span>
      </div>
    </>
  );
}
