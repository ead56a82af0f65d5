import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, DatePicker, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { ApiError, requestJson } from '../api.js';
import { useAuth } from '../auth.js';
import { assignmentsApi, assignmentsKey } from '../scheduleApi.js';
import { TEXT_LIMITS } from '../../contract/limits.js';
import type { Step as SavedStep, StepsBody, StepsResponse } from '../../contract/reports.js';

/** A step as the editor holds it: what the unit writes, before the server numbers it. */
type Step = Pick<SavedStep, 'title' | 'dueOn' | 'doneOn'>;

const stepsKey = (itemId: number, organisationId: number) => ['item-steps', itemId, organisationId] as const;
const fetchSteps = (itemId: number, organisationId: number, signal?: AbortSignal) =>
  requestJson<StepsResponse>(`/api/items/${itemId}/steps/${organisationId}`, { signal });

function stepState(step: Step, today: string) {
  if (step.doneOn) return <Tag color="green">已完成 {step.doneOn}</Tag>;
  if (step.dueOn && step.dueOn < today) return <Tag color="red">已逾期</Tag>;
  return <Tag>进行中</Tag>;
}

/** The own unit's steps, editable as a list and saved as a whole. */
function OwnSteps({ itemId, organisationId, initial }: { itemId: number; organisationId: number; initial: Step[] }) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [steps, setSteps] = useState<Step[]>(initial);
  const changed = JSON.stringify(steps) !== JSON.stringify(initial);
  const save = useMutation({
    mutationFn: () =>
      requestJson<StepsResponse>(`/api/items/${itemId}/steps/${organisationId}`, {
        method: 'PUT',
        body: {
          steps: steps
            .filter((step) => step.title.trim())
            .map((step) => ({ title: step.title.trim(), dueOn: step.dueOn, doneOn: step.doneOn })),
        } satisfies StepsBody,
      }),
    onSuccess: (result) => {
      queryClient.setQueryData(stepsKey(itemId, organisationId), result);
      void message.success('工作步骤已保存');
    },
  });
  const update = (index: number, changes: Partial<Step>) =>
    setSteps((list) => list.map((step, at) => (at === index ? { ...step, ...changes } : step)));
  const date = (value: string | null, onChange: (next: string | null) => void, label: string) => (
    <DatePicker
      aria-label={label}
      value={value ? dayjs(value) : null}
      onChange={(next) => onChange(next ? next.format('YYYY-MM-DD') : null)}
      style={{ width: 150 }}
    />
  );
  return (
    <>
      <Table<Step & { index: number }>
        size="small"
        rowKey="index"
        pagination={false}
        dataSource={steps.map((step, index) => ({ ...step, index }))}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未分解；可按季度或月份列出本单位的工作步骤和时间节点" />,
        }}
        columns={[
          { title: '序', width: 48, render: (_, row) => row.index + 1 },
          {
            title: '工作步骤',
            render: (_, row) => (
              <Input
                aria-label={`第${row.index + 1}步内容`}
                value={row.title}
                maxLength={TEXT_LIMITS.stepTitle.max}
                onChange={(event) => update(row.index, { title: event.target.value })}
              />
            ),
          },
          {
            title: '计划完成',
            width: 170,
            render: (_, row) => date(row.dueOn, (dueOn) => update(row.index, { dueOn }), `第${row.index + 1}步计划完成日期`),
          },
          {
            title: '实际完成',
            width: 170,
            render: (_, row) => date(row.doneOn, (doneOn) => update(row.index, { doneOn }), `第${row.index + 1}步实际完成日期`),
          },
          {
            title: '',
            width: 56,
            render: (_, row) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={`删除第${row.index + 1}步`}
                onClick={() => setSteps((list) => list.filter((_, at) => at !== row.index))}
              />
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button
          icon={<PlusOutlined />}
          onClick={() => setSteps((list) => [...list, { title: '', dueOn: null, doneOn: null }])}
          disabled={steps.length >= 50}
        >
          添加步骤
        </Button>
        <Button type="primary" onClick={() => save.mutate()} disabled={!changed} loading={save.isPending}>
          保存工作步骤
        </Button>
        {changed && <Typography.Text type="warning">有未保存的修改</Typography.Text>}
      </Space>
      {save.error && (
        <Alert type="error" showIcon style={{ marginTop: 12 }} title={save.error instanceof ApiError ? save.error.message : '保存失败'} />
      )}
    </>
  );
}

/**
 * 工作步骤（再分解）: each unit may break its part of the item into steps with milestones. The unit edits its own;
 * the lead unit and the city-wide readers see every unit's; others see only their own.
 */
export function ItemSteps({ itemId }: { itemId: number }) {
  const { user } = useAuth();
  const assignments = useQuery({ queryKey: assignmentsKey(itemId), queryFn: ({ signal }) => assignmentsApi.list(itemId, signal) });
  const ownId = user && (user.role === 'unit_reporter' || user.role === 'unit_leader') ? user.organisation.id : undefined;
  const all = assignments.data?.assignments ?? [];
  // ask only for what the server shows this person: a unit its own, a lead unit and city-wide readers every unit's
  const leads = ownId !== undefined && all.some((assignment) => assignment.role === 'lead' && assignment.organisation.id === ownId);
  const units = ownId === undefined || leads ? all : all.filter((assignment) => assignment.organisation.id === ownId);
  const steps = useQueries({
    queries: units.map((assignment) => ({
      queryKey: stepsKey(itemId, assignment.organisation.id),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchSteps(itemId, assignment.organisation.id, signal),
      retry: false,
    })),
  });
  const today = dayjs().format('YYYY-MM-DD');
  const shown = units
    .map((assignment, index) => ({ assignment, result: steps[index] }))
    .filter(({ assignment, result }) => result?.isSuccess && (assignment.organisation.id === ownId || result.data.steps.length > 0));
  if (shown.length === 0) return null;
  return (
    <Card title="工作步骤（再分解）" style={{ marginBottom: 16 }} data-testid="item-steps">
      {shown.map(({ assignment, result }) => (
        <div key={assignment.organisation.id} className="item-steps-unit">
          <Typography.Title level={5}>
            {assignment.organisation.name}
            <Tag style={{ marginLeft: 8 }}>{assignment.role === 'lead' ? '牵头' : '配合'}</Tag>
          </Typography.Title>
          {assignment.organisation.id === ownId ? (
            <OwnSteps
              key={JSON.stringify(result!.data!.steps)}
              itemId={itemId}
              organisationId={assignment.organisation.id}
              initial={result!.data!.steps.map(({ title, dueOn, doneOn }) => ({ title, dueOn, doneOn }))}
            />
          ) : (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={result!.data!.steps}
              columns={[
                { title: '序', width: 48, dataIndex: 'position' },
                { title: '工作步骤', dataIndex: 'title' },
                { title: '计划完成', width: 120, render: (_, step) => step.dueOn ?? '—' },
                { title: '状态', width: 160, render: (_, step) => stepState(step, today) },
              ]}
            />
          )}
        </div>
      ))}
    </Card>
  );
}
