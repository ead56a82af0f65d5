import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Space, Switch, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage, ErrorState, LoadingState } from '../components/QueryState.js';
import { pageTitle } from '../format.js';
import { type NotificationKind, notificationsApi, preferencesKey } from '../notificationsApi.js';
import type { Preferences } from '../../contract/notifications.js';

type Row = Preferences['preferences'][number];

/** 通知设置: per kind of notification, whether it also goes by e-mail and to the unit's group robot. */
export function PreferencesPage() {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const preferences = useQuery({ queryKey: preferencesKey, queryFn: ({ signal }) => notificationsApi.preferences(signal) });
  const [rows, setRows] = useState<Row[]>([]);
  useEffect(() => {
    if (preferences.data) setRows(preferences.data.preferences);
  }, [preferences.data]);
  const save = useMutation({
    mutationFn: () => notificationsApi.savePreferences(rows.map(({ kind, email, webhook }) => ({ kind, email, webhook }))),
    onSuccess: (result) => {
      queryClient.setQueryData(preferencesKey, result);
      void message.success('通知设置已保存');
    },
  });
  if (preferences.isError) return <ErrorState error={preferences.error} onRetry={() => void preferences.refetch()} />;
  if (preferences.isPending) return <LoadingState rows={8} />;
  const { email, mailConfigured } = preferences.data;
  const changed = JSON.stringify(rows) !== JSON.stringify(preferences.data.preferences);
  const set = (kind: NotificationKind, changes: Partial<Row>) =>
    setRows((current) => current.map((row) => (row.kind === kind ? { ...row, ...changes } : row)));
  return (
    <>
      <title>{pageTitle('通知设置')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>通知设置</Typography.Title>
          <Typography.Text type="secondary">所有消息都会出现在“消息”中；这里选择哪些消息同时发邮件、推送到群。</Typography.Text>
        </div>
      </div>
      {email ? (
        <Alert
          type={mailConfigured ? 'info' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          title={mailConfigured ? `邮件将发往 ${email}` : `收件地址 ${email}；服务器尚未配置邮件发送，暂不会发出邮件`}
        />
      ) : (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="尚未设置邮箱地址，不会收到邮件；请联系系统管理员设置。" />
      )}
      {save.error && <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 12 }} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Row>
          rowKey="kind"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: '消息类别', dataIndex: 'label' },
            {
              title: '邮件',
              width: 120,
              render: (_, row) => (
                <Switch
                  aria-label={`${row.label}发邮件`}
                  checked={row.email}
                  disabled={!email}
                  onChange={(checked) => set(row.kind, { email: checked })}
                />
              ),
            },
            {
              title: '群推送',
              width: 120,
              render: (_, row) => (
                <Switch
                  aria-label={`${row.label}推送到群`}
                  checked={row.webhook}
                  onChange={(checked) => set(row.kind, { webhook: checked })}
                />
              ),
            },
          ]}
        />
      </Card>
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" disabled={!changed} loading={save.isPending} onClick={() => save.mutate()}>
          保存
        </Button>
        <Button disabled={!changed} onClick={() => setRows(preferences.data.preferences)}>
          撤销修改
        </Button>
      </Space>
    </>
  );
}
