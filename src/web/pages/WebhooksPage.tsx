import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Empty, Input, Modal, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api.js';
import { errorMessage } from '../components/QueryState.js';
import { formatDateTime, pageTitle } from '../format.js';
import {
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationKind,
  notificationsApi,
  WEBHOOK_KIND_HELP,
  WEBHOOK_KIND_LABELS,
  WEBHOOK_KINDS,
  type WebhookKind,
  webhooksKey,
} from '../notificationsApi.js';
import type { Webhook, WebhookBody } from '../../contract/notifications.js';

const SHORT_KIND_LABELS: Record<WebhookKind, string> = { generic: '通用', dingtalk: '钉钉', wecom: '企业微信' };

function WebhookDialog({ webhook, open, onClose }: { webhook: Webhook | null; open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: ({ signal }) => api.organisations(signal), enabled: open });
  const [name, setName] = useState(webhook?.name ?? '');
  const [kind, setKind] = useState<WebhookKind>(webhook?.kind ?? 'dingtalk');
  // the stored address has its key parameters hidden: it is sent again only when changed
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [secret, setSecret] = useState('');
  const [organisationId, setOrganisationId] = useState<number | null>(webhook?.organisation?.id ?? null);
  const [events, setEvents] = useState<NotificationKind[]>(webhook?.events ?? []);
  const save = useMutation({
    mutationFn: () => {
      const body: WebhookBody = { name: name.trim(), kind, url: url.trim(), organisationId, events };
      if (secret) body.secret = secret;
      if (!webhook) return notificationsApi.createWebhook(body);
      const { url: _url, ...rest } = body;
      return notificationsApi.updateWebhook(webhook.id, url.trim() === webhook.url ? rest : body);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: webhooksKey });
      onClose();
      void message.success(webhook ? '推送地址已保存' : '推送地址已添加');
    },
  });
  return (
    <Modal
      open={open}
      title={webhook ? '编辑推送地址' : '添加推送地址'}
      okText={webhook ? '保存' : '添加'}
      cancelText="取消"
      onCancel={onClose}
      onOk={() => save.mutate()}
      okButtonProps={{ disabled: !name.trim() || url.trim().length < 8, loading: save.isPending }}
      width={600}
      destroyOnHidden
    >
      <div className="dialog-form">
        <label htmlFor="webhook-name">名称</label>
        <Input
          id="webhook-name"
          value={name}
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
          placeholder="如 督查室工作群"
        />
        <span id="webhook-kind-label">类型</span>
        <Radio.Group aria-labelledby="webhook-kind-label" value={kind} onChange={(event) => setKind(event.target.value as WebhookKind)}>
          {WEBHOOK_KINDS.map((value) => (
            <Radio.Button key={value} value={value}>
              {SHORT_KIND_LABELS[value]}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Typography.Text type="secondary">
          {WEBHOOK_KIND_LABELS[kind]}：{WEBHOOK_KIND_HELP[kind]}
        </Typography.Text>
        <label htmlFor="webhook-url">地址</label>
        <Input
          id="webhook-url"
          value={url}
          maxLength={2000}
          onChange={(event) => setUrl(event.target.value)}
          placeholder={
            kind === 'dingtalk'
              ? 'https://oapi.dingtalk.com/robot/send?access_token=…'
              : kind === 'wecom'
                ? 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…'
                : 'https://'
          }
        />
        <label htmlFor="webhook-secret">密钥</label>
        <Input.Password
          id="webhook-secret"
          value={secret}
          maxLength={500}
          onChange={(event) => setSecret(event.target.value)}
          placeholder={webhook?.hasSecret ? '已设置；留空则不修改' : kind === 'wecom' ? '企业微信无需密钥' : '可不填'}
          autoComplete="new-password"
        />
        <label htmlFor="webhook-unit">单位</label>
        <Select
          id="webhook-unit"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          loading={organisations.isPending}
          value={organisationId ?? undefined}
          onChange={(value) => setOrganisationId(value ?? null)}
          placeholder="不选：督查室的群，接收所有单位的消息"
          options={(organisations.data?.organisations ?? []).map((organisation) => ({ value: organisation.id, label: organisation.name }))}
        />
        <label htmlFor="webhook-events">消息类别</label>
        <Select
          id="webhook-events"
          mode="multiple"
          allowClear
          value={events}
          onChange={setEvents}
          placeholder="不选：接收所有类别"
          options={NOTIFICATION_KINDS.map((value) => ({ value, label: NOTIFICATION_KIND_LABELS[value] }))}
        />
        {save.error && <Alert type="error" showIcon title={errorMessage(save.error)} />}
      </div>
    </Modal>
  );
}

/** 消息推送: the group robots and endpoints the notifications go to (administrator). */
export function WebhooksPage() {
  const queryClient = useQueryClient();
  const { message, modal } = AntApp.useApp();
  const webhooks = useQuery({ queryKey: webhooksKey, queryFn: ({ signal }) => notificationsApi.webhooks(signal) });
  const [editing, setEditing] = useState<{ webhook: Webhook | null } | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: webhooksKey });
  const test = useMutation({
    mutationFn: (webhook: Webhook) => notificationsApi.testWebhook(webhook.id),
    onSuccess: (delivery) =>
      delivery.state === 'dead' || delivery.lastError
        ? void message.warning(`测试消息未送达：${delivery.lastError ?? delivery.stateLabel}`)
        : void message.success(`测试消息${delivery.stateLabel}`),
    onError: (error) => void message.error(errorMessage(error)),
  });
  const toggle = useMutation({
    mutationFn: (webhook: Webhook) => notificationsApi.updateWebhook(webhook.id, { active: !webhook.active }),
    onSuccess: refresh,
    onError: (error) => void message.error(errorMessage(error)),
  });
  const remove = useMutation({
    mutationFn: (webhook: Webhook) => notificationsApi.deleteWebhook(webhook.id),
    onSuccess: () => {
      refresh();
      void message.success('推送地址已删除');
    },
  });
  return (
    <>
      <title>{pageTitle('消息推送')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>消息推送</Typography.Title>
          <Typography.Text type="secondary">
            把提醒、催办、督办单等消息推送到钉钉、企业微信群机器人或其他系统。不选单位的地址接收所有单位的消息。
          </Typography.Text>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ webhook: null })}>
          添加推送地址
        </Button>
      </div>
      {webhooks.error && <Alert type="error" showIcon title={errorMessage(webhooks.error)} style={{ marginBottom: 12 }} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Webhook>
          rowKey="id"
          loading={webhooks.isPending}
          dataSource={webhooks.data?.webhooks ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description="尚未添加推送地址" /> }}
          tableLayout="fixed"
          columns={[
            { title: '名称', dataIndex: 'name', width: 160 },
            { title: '类型', width: 110, render: (_, webhook) => <Tag>{SHORT_KIND_LABELS[webhook.kind] ?? webhook.kindLabel}</Tag> },
            {
              title: '地址',
              render: (_, webhook) => (
                <Typography.Text className="webhook-url" ellipsis={{ tooltip: webhook.url }}>
                  {webhook.url}
                </Typography.Text>
              ),
            },
            { title: '单位', width: 150, render: (_, webhook) => webhook.organisation?.name ?? '督查室（全部单位）' },
            {
              title: '消息类别',
              width: 200,
              render: (_, webhook) =>
                webhook.events.length === 0 ? (
                  <Typography.Text type="secondary">全部类别</Typography.Text>
                ) : (
                  <Space size={[0, 4]} wrap>
                    {webhook.events.map((event) => (
                      <Tag key={event}>{NOTIFICATION_KIND_LABELS[event] ?? event}</Tag>
                    ))}
                  </Space>
                ),
            },
            {
              title: '启用',
              width: 70,
              render: (_, webhook) => (
                <Switch
                  size="small"
                  aria-label={`启用${webhook.name}`}
                  checked={webhook.active}
                  loading={toggle.isPending && toggle.variables?.id === webhook.id}
                  onChange={() => toggle.mutate(webhook)}
                />
              ),
            },
            { title: '添加时间', width: 150, render: (_, webhook) => formatDateTime(webhook.createdAt) },
            {
              title: '操作',
              width: 190,
              render: (_, webhook) => (
                <Space size={4}>
                  <Button size="small" loading={test.isPending && test.variables?.id === webhook.id} onClick={() => test.mutate(webhook)}>
                    测试
                  </Button>
                  <Button size="small" onClick={() => setEditing({ webhook })}>
                    编辑
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      modal.confirm({
                        title: `删除推送地址“${webhook.name}”？`,
                        content: '删除后不再向该地址推送消息。',
                        okText: '删除',
                        okButtonProps: { danger: true },
                        cancelText: '取消',
                        onOk: () => remove.mutateAsync(webhook).catch((error) => void message.error(errorMessage(error))),
                      })
                    }
                  >
                    删除
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && <WebhookDialog key={editing.webhook?.id ?? 'new'} webhook={editing.webhook} open onClose={() => setEditing(null)} />}
    </>
  );
}
