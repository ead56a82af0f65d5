import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Breadcrumb, Button, Card, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth } from '../auth.js';
import { errorMessage, ErrorState, LoadingState } from '../components/QueryState.js';
import { pageTitle } from '../format.js';
import { LIGHT_LABELS, settingsKey, supervisionApi, warningRulesKey } from '../supervisionApi.js';
import type { SupervisionSettings } from '../../contract/supervision.js';
import type { WarningRules } from '../../contract/warning-rules.js';

const STATUS_WORDS = ['已完成', '序时推进', '进度滞后', '未完成', '持续推进'] as const;
const LIGHT_OPTIONS = ['green', 'yellow', 'red', 'grey'].map((value) => ({ value, label: LIGHT_LABELS[value] }));
const OFF = 'off';

function Field({ id, label, help, children }: { id?: string; label: string; help?: string; children: ReactNode }) {
  return (
    <div className="settings-field">
      <label htmlFor={id} className="settings-label">
        {label}
      </label>
      <div className="settings-control">
        {children}
        {help && <div className="settings-help">{help}</div>}
      </div>
    </div>
  );
}

function SettingsForm({ planId, initial, editable }: { planId: number; initial: SupervisionSettings; editable: boolean }) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [value, setValue] = useState(initial);
  useEffect(() => setValue(initial), [initial]);
  const changed = JSON.stringify(value) !== JSON.stringify(initial);
  const save = useMutation({
    mutationFn: () => supervisionApi.saveSettings(planId, { ...value, issuer: value.issuer.trim() }),
    onSuccess: (result) => {
      queryClient.setQueryData(settingsKey(planId), result);
      void message.success('督查设置已保存');
    },
  });
  const set = (changes: Partial<SupervisionSettings>) => setValue((current) => ({ ...current, ...changes }));
  const auto = (colour: 'blue' | 'yellow' | 'red', checked: boolean) => set({ autoNotices: { ...value.autoNotices, [colour]: checked } });
  return (
    <Card title="提醒和督办单" style={{ marginBottom: 16 }}>
      <Field id="remind-before" label="提前提醒天数" help="报送截止前几天提醒尚未报送的单位；0 为不提前提醒。">
        <InputNumber
          id="remind-before"
          min={0}
          max={30}
          precision={0}
          disabled={!editable}
          value={value.remindDaysBefore}
          onChange={(next) => set({ remindDaysBefore: next ?? 0 })}
          suffix="天"
          style={{ width: 110 }}
        />
      </Field>
      <Field id="remind-due" label="截止当天提醒" help="截止当天仍未报送时再提醒一次。">
        <Switch id="remind-due" disabled={!editable} checked={value.remindOnDueDay} onChange={(next) => set({ remindOnDueDay: next })} />
      </Field>
      <Field id="remind-after" label="逾期后每隔几天提醒" help="逾期未报送时每隔几天提醒一次；0 为不提醒。">
        <InputNumber
          id="remind-after"
          min={0}
          max={30}
          precision={0}
          disabled={!editable}
          value={value.remindEveryDaysAfter}
          onChange={(next) => set({ remindEveryDaysAfter: next ?? 0 })}
          suffix="天"
          style={{ width: 110 }}
        />
      </Field>
      <Field label="自动督办单" help="按预警灯自动向责任单位发出督办单。">
        <Space orientation="vertical" size={6}>
          <Space>
            <Switch
              aria-label="自动发蓝色督办单"
              disabled={!editable}
              checked={value.autoNotices.blue}
              onChange={(next) => auto('blue', next)}
            />
            <span>蓝色：临近截止仍未报送</span>
          </Space>
          <Space>
            <Switch
              aria-label="自动发黄色督办单"
              disabled={!editable}
              checked={value.autoNotices.yellow}
              onChange={(next) => auto('yellow', next)}
            />
            <span>黄色：滞后（黄灯）</span>
          </Space>
          <Space>
            <Switch
              aria-label="自动发红色督办单"
              disabled={!editable}
              checked={value.autoNotices.red}
              onChange={(next) => auto('red', next)}
            />
            <span>红色：逾期未报送或逾期未完成（红灯）</span>
          </Space>
        </Space>
      </Field>
      <Field id="reply-days" label="反馈时限天数" help="自动督办单要求在发出后几天内反馈。">
        <InputNumber
          id="reply-days"
          min={1}
          max={60}
          precision={0}
          disabled={!editable}
          value={value.replyDays}
          onChange={(next) => set({ replyDays: next ?? 1 })}
          suffix="天"
          style={{ width: 110 }}
        />
      </Field>
      <Field id="issuer" label="发文机关" help="督办单和通报上署的机关名称。">
        <Input
          id="issuer"
          disabled={!editable}
          maxLength={100}
          value={value.issuer}
          onChange={(event) => set({ issuer: event.target.value })}
          style={{ maxWidth: 360 }}
        />
      </Field>
      {save.error && <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 12 }} />}
      {editable && (
        <Space>
          <Button type="primary" disabled={!changed || !value.issuer.trim()} loading={save.isPending} onClick={() => save.mutate()}>
            保存设置
          </Button>
          <Button disabled={!changed} onClick={() => setValue(initial)}>
            撤销修改
          </Button>
        </Space>
      )}
    </Card>
  );
}

function WarningRulesForm({
  planId,
  initial,
  description,
  editable,
}: {
  planId: number;
  initial: WarningRules;
  description: string[];
  editable: boolean;
}) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [rules, setRules] = useState(initial);
  useEffect(() => setRules(initial), [initial]);
  const changed = JSON.stringify(rules) !== JSON.stringify(initial);
  const save = useMutation({
    mutationFn: () => supervisionApi.saveWarningRules(planId, rules),
    onSuccess: (result) => {
      queryClient.setQueryData(warningRulesKey(planId), result);
      void message.success('预警规则已保存');
    },
  });
  const set = (changes: Partial<WarningRules>) => setRules((current) => ({ ...current, ...changes }));
  return (
    <Card title="预警规则" style={{ marginBottom: 16 }}>
      <Alert
        type="info"
        style={{ marginBottom: 16 }}
        title="按当前设置"
        description={
          <ol className="rules-description">
            {description.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
        }
      />
      <Field label="各完成状态的灯色">
        <div className="status-lights">
          {STATUS_WORDS.map((word) => (
            <Space key={word} size={6}>
              <span className="status-light-word">{word}</span>
              <Select
                aria-label={`${word}的灯色`}
                disabled={!editable}
                style={{ width: 100 }}
                value={rules.statusLights[word]}
                options={LIGHT_OPTIONS}
                onChange={(light) => set({ statusLights: { ...rules.statusLights, [word]: light } })}
              />
            </Space>
          ))}
        </div>
      </Field>
      <Field id="yellow-behind" label="黄灯：落后序时进度" help="落后序时进度达到该点数（含）为黄灯。">
        <InputNumber
          id="yellow-behind"
          min={0}
          max={100}
          disabled={!editable}
          value={rules.yellowBehind}
          onChange={(next) => set({ yellowBehind: next ?? 0 })}
          suffix="个百分点"
          style={{ width: 150 }}
        />
      </Field>
      <Field id="red-behind" label="红灯：落后序时进度" help="落后序时进度超过该点数为红灯；不小于黄灯的点数。">
        <InputNumber
          id="red-behind"
          min={0}
          max={100}
          disabled={!editable}
          value={rules.redBehind}
          onChange={(next) => set({ redBehind: next ?? 0 })}
          suffix="个百分点"
          style={{ width: 150 }}
        />
      </Field>
      <Field id="due-soon" label="临近截止" help="截止日期前该天数内（含当天）尚未报送为黄灯。">
        <InputNumber
          id="due-soon"
          min={0}
          max={60}
          precision={0}
          disabled={!editable}
          value={rules.dueSoonDays}
          onChange={(next) => set({ dueSoonDays: next ?? 0 })}
          suffix="天"
          style={{ width: 110 }}
        />
      </Field>
      <Field id="overdue-unreported" label="逾期未报送">
        <Select
          id="overdue-unreported"
          disabled={!editable}
          style={{ width: 120 }}
          value={rules.overdueUnreported}
          options={LIGHT_OPTIONS}
          onChange={(light) => set({ overdueUnreported: light })}
        />
      </Field>
      <Field id="overdue-unfinished" label="逾期未完成" help="已过截止日期、完成状态不是“已完成”时的灯色。">
        <Select
          id="overdue-unfinished"
          disabled={!editable}
          style={{ width: 120 }}
          value={rules.overdueUnfinished ?? OFF}
          options={[
            { value: 'red', label: '红灯' },
            { value: 'yellow', label: '黄灯' },
            { value: OFF, label: '不启用' },
          ]}
          onChange={(light) => set({ overdueUnfinished: light === OFF ? null : (light as 'red' | 'yellow') })}
        />
      </Field>
      <Field id="returned-light" label="退回未重报" help="报告被退回后未重新报送时的灯色。">
        <Select
          id="returned-light"
          disabled={!editable}
          style={{ width: 120 }}
          value={rules.returnedLight ?? OFF}
          options={[...LIGHT_OPTIONS, { value: OFF, label: '不启用' }]}
          onChange={(light) => set({ returnedLight: light === OFF ? null : (light as WarningRules['overdueUnreported']) })}
        />
      </Field>
      {save.error && <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 12 }} />}
      {editable && (
        <Space>
          <Button type="primary" disabled={!changed} loading={save.isPending} onClick={() => save.mutate()}>
            保存预警规则
          </Button>
          <Button disabled={!changed} onClick={() => setRules(initial)}>
            撤销修改
          </Button>
        </Space>
      )}
    </Card>
  );
}

/** 督查设置 of a plan: when reminders go out, which lights raise a 督办单 by themselves, and the warning rules. */
export function SupervisionSettingsPage() {
  const params = useParams();
  const planId = Number(params.planId);
  const { user } = useAuth();
  const editable = user?.role === 'supervisor';
  const settings = useQuery({ queryKey: settingsKey(planId), queryFn: ({ signal }) => supervisionApi.settings(planId, signal) });
  const rules = useQuery({ queryKey: warningRulesKey(planId), queryFn: ({ signal }) => supervisionApi.warningRules(planId, signal) });
  return (
    <>
      <title>{pageTitle('督查设置')}</title>
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to={`/plans/${planId}`}>工作任务</Link> }, { title: '督查设置' }]} />
      <div className="page-head">
        <div>
          <Typography.Title level={2}>督查设置</Typography.Title>
          <Typography.Text type="secondary">
            {editable ? '本年度工作任务的报送提醒、自动督办单和预警规则。' : '本年度工作任务的报送提醒、自动督办单和预警规则（只读）。'}
          </Typography.Text>
        </div>
      </div>
      {settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : settings.isPending ? (
        <LoadingState rows={6} />
      ) : (
        <SettingsForm planId={planId} initial={settings.data} editable={editable} />
      )}
      {rules.isError ? (
        <Alert type="error" showIcon title={`预警规则加载失败：${errorMessage(rules.error)}`} />
      ) : rules.isPending ? (
        <LoadingState rows={6} />
      ) : (
        <WarningRulesForm planId={planId} initial={rules.data.rules} description={rules.data.description} editable={editable} />
      )}
    </>
  );
}
