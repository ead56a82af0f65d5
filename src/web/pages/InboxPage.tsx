import { CheckOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Badge, Button, Card, Empty, List, Segmented, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage, ErrorState } from '../components/QueryState.js';
import { formatDateTime, pageTitle } from '../format.js';
import {
  inboxKey,
  NOTIFICATION_KIND_COLORS,
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationKind,
  notificationsApi,
} from '../notificationsApi.js';
import type { Notification } from '../../contract/notifications.js';

const PAGE_SIZE = 20;

/** 消息: the signed-in person's notifications, unread first in bold; opening one marks it read and follows its link. */
export function InboxPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [kind, setKind] = useState<NotificationKind | 'all'>('all');
  const [page, setPage] = useState(1);
  const filter = { unread: unreadOnly, kind: kind === 'all' ? undefined : kind, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const inbox = useQuery({
    queryKey: [...inboxKey, 'list', filter],
    queryFn: ({ signal }) => notificationsApi.inbox(filter, signal),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: inboxKey });
  const markRead = useMutation({
    mutationFn: notificationsApi.markRead,
    onSuccess: refresh,
    onError: (error) => void message.error(errorMessage(error)),
  });

  const open = async (notification: Notification) => {
    if (!notification.read) {
      try {
        await markRead.mutateAsync({ ids: [notification.id] });
      } catch {
        return;
      }
    }
    const link = notification.link ?? (notification.noticeId ? `/notices/${notification.noticeId}` : null);
    if (link) navigate(link);
  };

  if (inbox.isError && !inbox.data) return <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />;
  const data = inbox.data;
  const byKind = data?.unreadByKind ?? {};
  const tabItems = [
    { key: 'all', label: <KindTab label="全部" count={data ? Object.values(byKind).reduce((sum, n) => sum + n, 0) : 0} /> },
    ...NOTIFICATION_KINDS.map((value) => ({
      key: value,
      label: <KindTab label={NOTIFICATION_KIND_LABELS[value]} count={byKind[value] ?? 0} />,
    })),
  ];

  return (
    <>
      <title>{pageTitle('消息')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>消息</Typography.Title>
          <Typography.Text type="secondary">
            报送提醒、催办、督办单及其反馈和办结、办结销号的消息{data ? `，未读 ${data.unread} 条` : ''}。点击消息标为已读并打开相关页面。
          </Typography.Text>
        </div>
        <Space wrap>
          <Segmented
            aria-label="显示范围"
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(value) => {
              setUnreadOnly(value === 'unread');
              setPage(1);
            }}
            options={[
              { value: 'all', label: '全部' },
              { value: 'unread', label: '未读' },
            ]}
          />
          <Button
            icon={<CheckOutlined />}
            disabled={!data || data.unread === 0}
            loading={markRead.isPending && markRead.variables && 'all' in markRead.variables}
            onClick={() => markRead.mutate({ all: true })}
          >
            全部标为已读
          </Button>
        </Space>
      </div>
      {markRead.error && <Alert type="error" showIcon title={errorMessage(markRead.error)} style={{ marginBottom: 12 }} />}
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={kind}
          onChange={(key) => {
            setKind(key as NotificationKind | 'all');
            setPage(1);
          }}
          items={tabItems}
          className="inbox-tabs"
        />
        <List<Notification>
          className="inbox-list"
          loading={inbox.isPending || (inbox.isFetching && inbox.isPlaceholderData)}
          dataSource={data?.notifications ?? []}
          locale={{ emptyText: <Empty description={unreadOnly ? '没有未读消息' : '暂无消息'} /> }}
          pagination={
            data && data.total > PAGE_SIZE
              ? { current: page, pageSize: PAGE_SIZE, total: data.total, onChange: setPage, showSizeChanger: false, align: 'center' }
              : false
          }
          renderItem={(notification) => (
            <List.Item
              key={notification.id}
              className={notification.read ? 'inbox-item' : 'inbox-item inbox-item-unread'}
              onClick={() => void open(notification)}
              data-testid="inbox-item"
            >
              <div className="inbox-item-dot">{!notification.read && <Badge status="error" title="未读" data-testid="unread-dot" />}</div>
              <div className="inbox-item-main">
                <div className="inbox-item-head">
                  <Tag color={NOTIFICATION_KIND_COLORS[notification.kind] ?? 'default'}>{notification.kindLabel}</Tag>
                  <button type="button" className="inbox-item-title link-button">
                    {notification.title}
                  </button>
                  <Typography.Text type="secondary" className="inbox-item-time">
                    {formatDateTime(notification.createdAt)}
                  </Typography.Text>
                </div>
                {notification.body && <div className="inbox-item-body pre-wrap">{notification.body}</div>}
              </div>
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}

function KindTab({ label, count }: { label: string; count: number }) {
  return (
    <span>
      {label}
      {count > 0 && <Badge count={count} size="small" overflowCount={99} className="inbox-tab-badge" />}
    </span>
  );
}
