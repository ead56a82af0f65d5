import { FileExcelOutlined, FileTextOutlined, ReloadOutlined, WarningFilled } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
// a type only: the picker's values are antd's own dayjs objects, this page never makes one
import type { Dayjs } from 'dayjs';
// antd's zh_CN locale names dayjs's zh-cn for month and weekday names (and weeks starting on Monday), which dayjs
// only knows once it is loaded
import 'dayjs/locale/zh-cn.js';
import { useMemo, useState, type Key } from 'react';
import { ApiError, ROLE_OPTIONS } from '../api.js';
import { auditApi, auditExportUrl, TOKEN_SCOPES } from '../adminApi.js';
import { ErrorState } from '../components/QueryState.js';
import { pageTitle } from '../format.js';
import {
  ALARMING_AUDIT_ACTIONS,
  AUDIT_ACTION_LABELS,
  AUDIT_OBJECT_TYPE_LABELS,
  auditActionGroupLabel,
  auditActionLabel,
  auditObjectTypeLabel,
} from '../../contract/audit-labels.js';
import type { AuditEvent, AuditFilters } from '../../contract/audit.js';

const ACTOR_LABELS: Record<string, string> = {
  anonymous: '匿名（未登录）',
  cli: '命令行',
  system: '系统',
  'system:demo': '系统（演示数据）',
};

const FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  displayName: '显示名称',
  role: '角色',
  active: '启用',
  organisationId: '单位编号',
  mustChangePassword: '须修改密码',
  name: '名称',
  scope: '权限范围',
  reason: '原因',
  attempts: '连续失败次数',
  lockedUntil: '锁定至',
  planId: '工作计划编号',
  fileName: '文件名',
  sha256: '文件摘要（SHA-256）',
  period: '报送期',
  changes: '变更统计',
  mappings: '单位对应',
  kind: '类型',
  parentId: '上级单位编号',
  aliases: '别名',
  mergedIntoId: '并入单位编号',
  source: '被合并单位',
  target: '保留单位',
  moved: '迁移数量',
  state: '状态',
  revision: '版本',
  comment: '意见',
  dueOn: '截止日期',
  expectedProgress: '序时进度（%）',
  reportId: '报告编号',
  size: '大小（字节）',
  scan: '病毒扫描',
  assignments: '分工',
  leadText: '牵头单位（原文）',
  cooperatingText: '配合单位（原文）',
};

const REASON_LABELS: Record<string, string> = {
  unknown_user: '用户名不存在',
  wrong_password: '密码错误',
  inactive: '账户已停用',
};

const ALARMING = new Set(ALARMING_AUDIT_ACTIONS);

function actorLabel(actor: string, actorName: string): string {
  return ACTOR_LABELS[actor] ?? actorName;
}

function sourceLabel(source: string): string {
  if (source.startsWith('web:')) return `网页 ${source.slice(4)}`;
  if (source === 'cli') return '命令行';
  if (source === 'system') return '系统';
  return source;
}

/** A field's value in words, where the code alone would not say it: roles, token scopes, reasons of a failure. */
function gloss(field: string, value: unknown): string | undefined {
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value !== 'string') return undefined;
  if (field === 'role') return ROLE_OPTIONS.find((option) => option.value === value)?.label;
  if (field === 'scope') return TOKEN_SCOPES.find((option) => option.value === value)?.label;
  if (field === 'reason') return REASON_LABELS[value];
  if (field === 'lockedUntil') return formatShanghai(value);
  return undefined;
}

const shanghai = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** YYYY-MM-DD HH:mm:ss in Beijing time, to the second: an audit entry is read for exactly when it happened. */
function formatShanghai(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part = Object.fromEntries(shanghai.formatToParts(date).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/** The instant a Beijing calendar day (YYYY-MM-DD) begins, in UTC; China keeps UTC+8 all year. */
function shanghaiDayStart(day: string, plusDays = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + plusDays) - 8 * 3_600_000).toISOString();
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function FieldValue({ field, value }: { field: string; value: unknown }) {
  if (value === undefined) return <span className="audit-diff-absent">（无）</span>;
  const words = gloss(field, value);
  const shown =
    typeof value === 'string' ? (
      <span className="audit-diff-text">{value}</span>
    ) : isPlainObject(value) || Array.isArray(value) ? (
      <pre className="audit-diff-json">{JSON.stringify(value, null, 2)}</pre>
    ) : (
      <code className="audit-diff-scalar">{JSON.stringify(value)}</code>
    );
  return (
    <>
      {shown}
      {words && words !== value && <span className="audit-diff-gloss">{words}</span>}
    </>
  );
}

/** Before and after, field by field, the fields that differ marked; what is not an object is shown whole. */
function AuditChange({ event }: { event: AuditEvent }) {
  const { before, after } = event;
  const facts = (
    <div className="audit-detail-facts">
      <span>记录编号 {event.id}</span>
      <span>UTC 时间 {event.at}</span>
      <span>来源 {event.source}</span>
      <span>
        对象 {event.objectTypeLabel}
        {event.objectName ? `“${event.objectName}”` : ''}（{event.objectType} {event.objectId}）
      </span>
    </div>
  );
  if (before === null && after === null) {
    return (
      <div className="audit-detail">
        {facts}
        <Typography.Text type="secondary">此操作没有记录变更内容。</Typography.Text>
      </div>
    );
  }
  if ((before === null || isPlainObject(before)) && (after === null || isPlainObject(after))) {
    const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
    const rows = fields.map((field) => {
      const old = before?.[field];
      const now = after?.[field];
      return { field, old, now, changed: !same(old, now) };
    });
    const changed = rows.filter((row) => row.changed).length;
    return (
      <div className="audit-detail">
        {facts}
        <table className="audit-diff" aria-label="变更前后对比">
          <thead>
            <tr>
              <th className="audit-diff-field">字段</th>
              <th>变更前{before === null && <span className="audit-diff-note">（无，新记录或仅记录结果）</span>}</th>
              <th>变更后{after === null && <span className="audit-diff-note">（无）</span>}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.field} className={row.changed ? 'audit-diff-changed' : undefined}>
                <td className="audit-diff-field">
                  <div>{FIELD_LABELS[row.field] ?? row.field}</div>
                  <code className="audit-diff-key">{row.field}</code>
                  {row.changed && before !== null && after !== null && (
                    <Tag color="orange" className="audit-diff-tag">
                      已变更
                    </Tag>
                  )}
                </td>
                <td className={row.old === undefined ? undefined : 'audit-diff-old'}>
                  <FieldValue field={row.field} value={row.old} />
                </td>
                <td className={row.now === undefined ? undefined : 'audit-diff-new'}>
                  <FieldValue field={row.field} value={row.now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {before !== null && after !== null && (
          <Typography.Text type="secondary" className="audit-diff-summary">
            共 {rows.length} 个字段，{changed ? `其中 ${changed} 个有变化（已突出显示）` : '均无变化'}。
          </Typography.Text>
        )}
      </div>
    );
  }
  return (
    <div className="audit-detail">
      {facts}
      <div className="audit-diff-whole">
        <div>
          <div className="audit-diff-heading">变更前</div>
          <pre className="audit-diff-json">{before === null ? '（无）' : JSON.stringify(before, null, 2)}</pre>
        </div>
        <div>
          <div className="audit-diff-heading">变更后</div>
          <pre className="audit-diff-json">{after === null ? '（无）' : JSON.stringify(after, null, 2)}</pre>
        </div>
      </div>
    </div>
  );
}

interface FilterState {
  range: [Dayjs, Dayjs] | null;
  action?: string;
  actor?: string;
  organisationId?: number;
  objectType?: string;
  objectId?: string;
}

const NO_FILTERS: FilterState = { range: null };

function actionOptions(actions: string[]) {
  const groups = new Map<string, string[]>();
  for (const action of [...actions].sort()) {
    const dot = action.indexOf('.');
    const prefix = dot > 0 ? action.slice(0, dot + 1) : action;
    groups.set(prefix, [...(groups.get(prefix) ?? []), action]);
  }
  return [...groups].map(([prefix, members]) => {
    const label = auditActionGroupLabel(prefix);
    return {
      label,
      title: label,
      options: [
        { value: prefix, label: `全部：${label}`, code: `${prefix}*` },
        ...members
          .filter((action) => action !== prefix)
          .map((action) => ({ value: action, label: auditActionLabel(action), code: action })),
      ],
    };
  });
}

export function AuditPage() {
  const [filters, setFilters] = useState<FilterState>(NO_FILTERS);
  const [objectIdDraft, setObjectIdDraft] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [expanded, setExpanded] = useState<readonly Key[]>([]);

  const apiFilters = useMemo<AuditFilters>(
    () => ({
      from: filters.range ? shanghaiDayStart(filters.range[0].format('YYYY-MM-DD')) : undefined,
      to: filters.range ? shanghaiDayStart(filters.range[1].format('YYYY-MM-DD'), 1) : undefined,
      action: filters.action,
      actor: filters.actor,
      organisationId: filters.organisationId,
      objectType: filters.objectType,
      objectId: filters.objectId,
    }),
    [filters],
  );
  const facets = useQuery({ queryKey: ['audit', 'facets'], queryFn: ({ signal }) => auditApi.facets(signal), staleTime: 60_000 });
  const events = useQuery({
    queryKey: ['audit', 'events', apiFilters, page.current, page.pageSize],
    queryFn: ({ signal }) => auditApi.list({ ...apiFilters, limit: page.pageSize, offset: (page.current - 1) * page.pageSize }, signal),
    placeholderData: keepPreviousData,
  });

  const change = (next: Partial<FilterState>) => {
    setFilters((current) => ({ ...current, ...next }));
    setPage((current) => ({ ...current, current: 1 }));
    setExpanded([]);
  };
  const reset = () => {
    setFilters(NO_FILTERS);
    setObjectIdDraft('');
    setPage((current) => ({ ...current, current: 1 }));
    setExpanded([]);
  };
  const filtering = Object.values(apiFilters).some((value) => value !== undefined);

  // refused outright (a role other than the auditor's): nothing here to filter; other failures keep the filters
  if (events.error instanceof ApiError && events.error.status === 403) return <ErrorState error={events.error} />;

  const known = facets.data;
  const columns: TableColumnsType<AuditEvent> = [
    {
      key: 'at',
      title: '时间',
      width: 172,
      render: (_, event) => <span className="audit-time">{formatShanghai(event.at)}</span>,
    },
    {
      key: 'actor',
      title: '操作者',
      render: (_, event) => (
        <div className="audit-actor">
          <div>
            {event.actor.startsWith('token:') && <Tag className="audit-actor-kind">令牌</Tag>}
            <span className="audit-actor-name">{actorLabel(event.actor, event.actorName)}</span>
          </div>
          <code className="audit-code">{event.actor}</code>
        </div>
      ),
    },
    {
      key: 'organisation',
      title: '单位',
      render: (_, event) =>
        event.organisationName ??
        (event.organisationId === null ? <Typography.Text type="secondary">—</Typography.Text> : `单位 ${event.organisationId}`),
    },
    {
      key: 'action',
      title: '操作',
      render: (_, event) => (
        <div>
          <div className={ALARMING.has(event.action) ? 'audit-action audit-action-alarming' : 'audit-action'}>
            {ALARMING.has(event.action) && <WarningFilled />} {event.actionLabel}
          </div>
          <code className="audit-code">{event.action}</code>
        </div>
      ),
    },
    {
      key: 'object',
      title: '对象',
      render: (_, event) => (
        <div className="audit-object">
          <div>
            <Tag className="audit-object-kind">{event.objectTypeLabel}</Tag>
            <span className="audit-object-name">{event.objectName ?? event.objectId}</span>
          </div>
          <code className="audit-code">
            {event.objectType} {event.objectId}
          </code>
        </div>
      ),
    },
    { key: 'source', title: '来源', width: 150, render: (_, event) => <span className="audit-source">{sourceLabel(event.source)}</span> },
  ];

  const exportLink = (format: 'csv' | 'xlsx') => auditExportUrl({ ...apiFilters, format });
  return (
    <>
      <title>{pageTitle('审计日志')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>审计日志</Typography.Title>
          <Typography.Text type="secondary">
            登录、账户、接口令牌、导入、分工、报送安排和进展报告等操作的记录，只能查阅和导出，不能修改或删除。时间均为北京时间。
          </Typography.Text>
        </div>
        <Space>
          <Tooltip title={filtering ? '按当前筛选条件导出，最多 10 万条' : '导出全部记录，最多 10 万条'}>
            <Button icon={<FileTextOutlined />} href={exportLink('csv')} download>
              导出 CSV
            </Button>
          </Tooltip>
          <Tooltip title={filtering ? '按当前筛选条件导出，最多 10 万条' : '导出全部记录，最多 10 万条'}>
            <Button icon={<FileExcelOutlined />} href={exportLink('xlsx')} download>
              导出 Excel
            </Button>
          </Tooltip>
        </Space>
      </div>

      <Card className="audit-filters-card" styles={{ body: { padding: '16px 20px 4px' } }}>
        <div className="audit-filters">
          <div className="audit-filter audit-filter-wide">
            <label htmlFor="audit-range">时间范围</label>
            <DatePicker.RangePicker
              id={{ start: 'audit-range' }}
              value={filters.range}
              onChange={(range) => change({ range: range?.[0] && range[1] ? [range[0], range[1]] : null })}
              placeholder={['开始日期', '结束日期']}
              allowEmpty={[false, false]}
              className="audit-range"
            />
          </div>
          <div className="audit-filter">
            <label htmlFor="audit-action">操作</label>
            <Select
              id="audit-action"
              allowClear
              showSearch={{ optionFilterProp: ['label', 'code'] }}
              placeholder="全部操作"
              value={filters.action}
              onChange={(action?: string) => change({ action })}
              options={actionOptions(known?.actions ?? Object.keys(AUDIT_ACTION_LABELS))}
              optionRender={(option) => (
                <div className="audit-option">
                  <span>{option.label}</span>
                  <code className="audit-code">{(option.data as { code?: string }).code}</code>
                </div>
              )}
              popupMatchSelectWidth={300}
            />
          </div>
          <div className="audit-filter">
            <label htmlFor="audit-actor">操作者</label>
            <Select
              id="audit-actor"
              allowClear
              showSearch={{ optionFilterProp: ['label', 'value'] }}
              placeholder="全部操作者"
              loading={facets.isPending}
              value={filters.actor}
              onChange={(actor?: string) => change({ actor })}
              options={(known?.actors ?? []).map(({ actor, name }) => ({ value: actor, label: actorLabel(actor, name) }))}
              optionRender={(option) => (
                <div className="audit-option">
                  <span>{option.label}</span>
                  <code className="audit-code">{option.value}</code>
                </div>
              )}
              popupMatchSelectWidth={320}
            />
          </div>
          <div className="audit-filter">
            <label htmlFor="audit-organisation">单位</label>
            <Select
              id="audit-organisation"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部单位"
              loading={facets.isPending}
              value={filters.organisationId}
              onChange={(organisationId?: number) => change({ organisationId })}
              options={(known?.organisations ?? []).map(({ id, name }) => ({ value: id, label: name }))}
            />
          </div>
          <div className="audit-filter">
            <label htmlFor="audit-object-type">对象类型</label>
            <Select
              id="audit-object-type"
              allowClear
              placeholder="全部类型"
              loading={facets.isPending}
              value={filters.objectType}
              onChange={(objectType?: string) => change({ objectType })}
              options={(known?.objectTypes ?? Object.keys(AUDIT_OBJECT_TYPE_LABELS)).map((type) => ({
                value: type,
                label: auditObjectTypeLabel(type),
              }))}
            />
          </div>
          <div className="audit-filter">
            <label htmlFor="audit-object-id">对象编号</label>
            <Input.Search
              id="audit-object-id"
              allowClear
              placeholder="如 用户编号 17"
              value={objectIdDraft}
              onChange={(event) => setObjectIdDraft(event.target.value)}
              onSearch={(value) => change({ objectId: value.trim() || undefined })}
            />
          </div>
          <div className="audit-filter audit-filter-actions">
            <Button onClick={reset} disabled={!filtering && !objectIdDraft}>
              重置
            </Button>
            <Tooltip title="重新读取，显示最新的记录">
              <Button
                icon={<ReloadOutlined />}
                aria-label="刷新"
                loading={events.isFetching && !events.isPending}
                onClick={() => {
                  void events.refetch();
                  void facets.refetch();
                }}
              />
            </Tooltip>
          </div>
        </div>
      </Card>

      {events.isError && (
        <Alert
          type="error"
          showIcon
          title={events.error instanceof ApiError ? events.error.message : '读取审计日志失败'}
          className="login-error"
        />
      )}
      {facets.isError && (
        <Alert
          type="warning"
          showIcon
          title={`筛选选项读取失败：${facets.error instanceof ApiError ? facets.error.message : '请稍后重试'}`}
          className="login-error"
        />
      )}

      <Card styles={{ body: { padding: 0 } }}>
        <Table<AuditEvent>
          className="audit-table"
          rowKey="id"
          size="middle"
          loading={events.isPending || (events.isPlaceholderData && events.isFetching)}
          dataSource={events.data?.events ?? []}
          columns={columns}
          locale={{ emptyText: filtering ? '没有符合筛选条件的记录' : '暂无审计记录' }}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: setExpanded,
            expandedRowRender: (event) => <AuditChange event={event} />,
            expandRowByClick: true,
          }}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: events.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (total) => `共 ${total} 条记录`,
            onChange: (current, pageSize) => {
              setPage({ current: pageSize === page.pageSize ? current : 1, pageSize });
              setExpanded([]);
            },
          }}
        />
      </Card>
    </>
  );
}
