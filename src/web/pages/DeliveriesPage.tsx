import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Empty, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../components/QueryState.js';
import { formatDateTime, pageTitle } from '../format.js';
import { deliveriesKey, NOTIFICATION_KIND_LABELS, type NotificationKind, notificationsApi } from '../notificationsApi.js';
import type { Delivery } from '../../contract/notifications.js';

const PAGE_SIZE = 50;

/** 发送失败: e-mails and webhook messages that gave up after their retries (administrator), to send again. */
export function DeliveriesPage() {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [page, setPage] = useState(1);
  const filter = { state: 'dead' as const, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const deliveries = useQuery({
    queryKey: [...deliveriesKey, filter],
    queryFn: ({ signal }) => notificationsApi.deliveries(filter, signal),
    placeholderData: keepPreviousData,
  });
  const resend = useMutation({
    mutationFn: (delivery: Delivery) => notificationsApi.resend(delivery.id),
    onSuccess: (delivery) => {
      void queryClient.invalidateQueries({ queryKey: deliveriesKey });
      void message.success(`已重新加入发送队列（${delivery.stateLabel}）`);
    },
    onError: (error) => void message.error(errorMessage(error)),
  });
  return (
    <>
      <title>{pageTitle('发送失败')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>发送失败</Typography.Title>
          <Typography.Text type="secondary">
            多次重试后仍未送达的邮件和推送消息{deliveries.data ? `，共 ${deliveries.data.total} 条` : ''}
            。排除原因（地址、密钥、网络）后可重新发送。
          </Typography.Text>
        </div>
      </div>
      {deliveries.error && <Alert type="error" showIcon title={errorMessage(deliveries.error)} style={{ marginBottom: 12 }} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Delivery>
          rowKey="id"
          loading={deliveries.isFetching}
          dataSource={deliveries.data?.deliveries ?? []}
          tableLayout="fixed"
          locale={{ emptyText: <Empty description="没有发送失败的消息" /> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: deliveries.data?.total ?? 0,
            onChange: setPage,
            hideOnSinglePage: true,
            showSizeChanger: false,
          }}
          columns={[
            {
              title: '渠道',
              width: 80,
              render: (_, delivery) => (
                <Tag color={delivery.channel === 'email' ? 'blue' : 'purple'}>{delivery.channel === 'email' ? '邮件' : '推送'}</Tag>
              ),
            },
            {
              title: '发送对象',
              width: 200,
              render: (_, delivery) => <Typography.Text ellipsis={{ tooltip: delivery.target }}>{delivery.target}</Typography.Text>,
            },
            {
              title: '消息',
              render: (_, delivery) => (
                <div>
                  <Typography.Text type="secondary">
                    {NOTIFICATION_KIND_LABELS[delivery.kind as NotificationKind] ?? delivery.kind}
                  </Typography.Text>
                  <div>{delivery.subject}</div>
                </div>
              ),
            },
            { title: '尝试次数', width: 90, align: 'right', dataIndex: 'attempts' },
            {
              title: '最后的错误',
              width: 260,
              render: (_, delivery) => (
                <Typography.Text type="danger" ellipsis={{ tooltip: delivery.lastError }}>
                  {delivery.lastError ?? '—'}
                </Typography.Text>
              ),
            },
            {
              title: '时间',
              width: 150,
              render: (_, delivery) => (
                <Typography.Text type="secondary" title={`最后尝试：${formatDateTime(delivery.nextAttemptAt)}`}>
                  {formatDateTime(delivery.createdAt)}
                </Typography.Text>
              ),
            },
            {
              title: '操作',
              width: 110,
              render: (_, delivery) => (
                <Button
                  size="small"
                  loading={resend.isPending && resend.variables?.id === delivery.id}
                  onClick={() => resend.mutate(delivery)}
                >
                  重新发送
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
