import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Empty, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAuth } from '../auth.js';
import { errorMessage, ErrorState } from '../components/QueryState.js';
import { formatDateTime, pageTitle } from '../format.js';
import { scheduleApi, scheduleKey } from '../scheduleApi.js';
import { bulletinsKey, supervisionApi } from '../supervisionApi.js';
import type { BulletinList } from '../../contract/supervision.js';

type BulletinRow = BulletinList['bulletins'][number];

function NewBulletinDialog({ planId, open, onClose }: { planId: number; open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const schedule = useQuery({ queryKey: scheduleKey(planId), queryFn: ({ signal }) => scheduleApi.get(planId, signal), enabled: open });
  const [periodCode, setPeriodCode] = useState<string>();
  const create = useMutation({
    mutationFn: () => supervisionApi.createBulletin(planId, periodCode!),
    onSuccess: (bulletin) => {
      void queryClient.invalidateQueries({ queryKey: bulletinsKey(planId) });
      onClose();
      navigate(`/bulletins/${bulletin.id}`);
    },
  });
  const periods = (schedule.data?.periods ?? []).filter((period) => period.phase !== 'not_started');
  return (
    <Modal
      open={open}
      title="新建通报"
      okText="生成通报草稿"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => create.mutate()}
      okButtonProps={{ disabled: !periodCode, loading: create.isPending }}
      destroyOnHidden
    >
      <div className="dialog-form">
        <label htmlFor="bulletin-period">通报的报送期</label>
        <Select
          id="bulletin-period"
          loading={schedule.isPending}
          value={periodCode}
          onChange={setPeriodCode}
          placeholder="选择报送期"
          options={periods.map((period) => ({
            value: period.code,
            label: `${period.label}${period.dueOn ? `（截止 ${period.dueOn}，${period.phaseLabel}）` : ''}`,
          }))}
        />
        <Typography.Text type="secondary">
          按该期的报送情况、预警灯和督办单生成三张表和默认的通报文字，印发前可修改标题、导语和结束语。
        </Typography.Text>
        {schedule.error && <Alert type="error" showIcon title={errorMessage(schedule.error)} />}
        {create.error && <Alert type="error" showIcon title={errorMessage(create.error)} />}
      </div>
    </Modal>
  );
}

/** 通报 of a plan: the drafts and the issued ones, newest first; the office starts a new one for a period. */
export function BulletinsPage() {
  const params = useParams();
  const planId = Number(params.planId);
  const { user } = useAuth();
  const supervisor = user?.role === 'supervisor';
  const bulletins = useQuery({ queryKey: bulletinsKey(planId), queryFn: ({ signal }) => supervisionApi.bulletins(planId, signal) });
  const [creating, setCreating] = useState(false);
  if (bulletins.isError && !bulletins.data) return <ErrorState error={bulletins.error} onRetry={() => void bulletins.refetch()} />;
  return (
    <>
      <title>{pageTitle('通报')}</title>
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to={`/plans/${planId}`}>工作任务</Link> }, { title: '通报' }]} />
      <div className="page-head">
        <div>
          <Typography.Title level={2}>通报</Typography.Title>
          <Typography.Text type="secondary">按报送期通报各单位的报送情况、逾期和滞后事项及督办单办理情况。</Typography.Text>
        </div>
        {supervisor && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建通报
          </Button>
        )}
      </div>
      <Card styles={{ body: { padding: 0 } }}>
        <Table<BulletinRow>
          rowKey="id"
          loading={bulletins.isFetching}
          dataSource={bulletins.data?.bulletins ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description="暂无通报" /> }}
          columns={[
            {
              title: '标题',
              render: (_, bulletin) => <Link to={`/bulletins/${bulletin.id}`}>{bulletin.title}</Link>,
            },
            { title: '报送期', width: 140, render: (_, bulletin) => bulletin.period.label },
            { title: '文号', width: 160, render: (_, bulletin) => bulletin.numberText ?? '—' },
            {
              title: '状态',
              width: 100,
              render: (_, bulletin) => (bulletin.state === 'issued' ? <Tag color="green">已印发</Tag> : <Tag>草稿</Tag>),
            },
            {
              title: '创建时间',
              width: 160,
              render: (_, bulletin) => <Typography.Text type="secondary">{formatDateTime(bulletin.createdAt)}</Typography.Text>,
            },
          ]}
        />
      </Card>
      {supervisor && <NewBulletinDialog planId={planId} open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
