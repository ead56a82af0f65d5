import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError, ROLE_OPTIONS, usersApi } from '../api.js';
import { useAuth } from '../auth.js';
import { formatDateTime, pageTitle } from '../format.js';
import type { UserAccount } from '../../contract/users.js';
import type { Role } from '../../contract/vocabulary.js';

const USERS = ['users'] as const;

/**
 * Shows a password once, with the reminder that it is not shown again. Through App.useApp's modal, which follows
 * the app's theme; the static Modal.success would not (its 知道了 button came out in antd's default blue).
 */
function usePasswordOnce() {
  const { modal } = AntApp.useApp();
  return (title: string, user: UserAccount, password: string) =>
    void modal.success({
      title,
      width: 480,
      content: (
        <div className="password-once">
          <p>
            {user.displayName}（{user.username}，{user.organisation.name}，{user.roleLabel}）
          </p>
          <p>
            初始密码：
            <Typography.Text code copyable data-testid="one-time-password">
              {password}
            </Typography.Text>
          </p>
          <Alert type="warning" showIcon title="此密码只显示这一次。请通过安全渠道交给本人；首次登录后须修改。" />
        </div>
      ),
    });
}

function NewUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const showPassword = usePasswordOnce();
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: ({ signal }) => api.organisations(signal), enabled: open });
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [organisationId, setOrganisationId] = useState<number>();
  const [role, setRole] = useState<Role>();
  const create = useMutation({
    mutationFn: () =>
      usersApi.create({
        username: username.trim(),
        displayName: displayName.trim() || undefined,
        organisationId: organisationId!,
        role: role!,
      }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: USERS });
      onClose();
      setUsername('');
      setDisplayName('');
      setOrganisationId(undefined);
      setRole(undefined);
      showPassword('已创建用户', result.user, result.password);
    },
  });
  return (
    <Modal
      open={open}
      title="新建用户"
      okText="创建"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => create.mutate()}
      okButtonProps={{ disabled: !username.trim() || !organisationId || !role, loading: create.isPending }}
      destroyOnHidden
    >
      <div className="dialog-form">
        <label htmlFor="new-user-username">用户名</label>
        <Input
          id="new-user-username"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          placeholder="小写字母、数字或 . _ @ -，如 zhang.san"
        />
        <label htmlFor="new-user-name">显示名称</label>
        <Input id="new-user-name" value={displayName} onChange={(event) => setDisplayName(event.target.value)} placeholder="如 张三" />
        <label htmlFor="new-user-org">所属单位</label>
        <Select
          id="new-user-org"
          showSearch={{ optionFilterProp: 'label' }}
          loading={organisations.isPending}
          value={organisationId}
          onChange={setOrganisationId}
          options={(organisations.data?.organisations ?? []).map((organisation) => ({ value: organisation.id, label: organisation.name }))}
          placeholder="选择单位"
        />
        <label htmlFor="new-user-role">角色</label>
        <Select id="new-user-role" value={role} onChange={setRole} options={[...ROLE_OPTIONS]} placeholder="选择角色" />
        <Typography.Text type="secondary">系统生成随机初始密码并只显示一次；本人首次登录后须修改。</Typography.Text>
        {create.error && <Alert type="error" showIcon title={create.error instanceof ApiError ? create.error.message : '创建失败'} />}
      </div>
    </Modal>
  );
}

export function UsersPage() {
  const { user: me } = useAuth();
  const { modal } = AntApp.useApp();
  const showPassword = usePasswordOnce();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: USERS, queryFn: usersApi.list });
  const [creating, setCreating] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: USERS });
  const reset = useMutation({
    mutationFn: (id: number) => usersApi.resetPassword(id),
    onSuccess: (result) => (refresh(), showPassword('已重置密码', result.user, result.password)),
  });
  const toggle = useMutation({
    mutationFn: (user: UserAccount) => usersApi.update(user.id, user.active ? { active: false, confirm: true } : { active: true }),
    onSuccess: refresh,
  });
  const failure = reset.error ?? toggle.error ?? users.error;

  const total = users.data?.users.length;
  return (
    <>
      <title>{pageTitle('用户管理')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>用户管理</Typography.Title>
          <Typography.Text type="secondary">
            登录本系统的账户、所属单位和角色{total === undefined ? '' : `，共 ${total} 个`}。初始密码和重置后的密码只显示一次。
          </Typography.Text>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建用户
        </Button>
      </div>
      {failure && (
        <Alert type="error" showIcon title={failure instanceof ApiError ? failure.message : '操作失败'} className="login-error" />
      )}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<UserAccount>
          rowKey="id"
          loading={users.isPending}
          dataSource={users.data?.users ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: '用户名', dataIndex: 'username' },
            { title: '显示名称', dataIndex: 'displayName' },
            { title: '单位', render: (_, user) => user.organisation.name },
            { title: '角色', dataIndex: 'roleLabel' },
            {
              title: '状态',
              render: (_, user) => (
                <Space size={4} wrap>
                  {user.active ? <Tag color="green">启用</Tag> : <Tag>已停用</Tag>}
                  {user.mustChangePassword && <Tag color="orange">待改密码</Tag>}
                  {user.lockedUntil && user.lockedUntil > new Date().toISOString() && <Tag color="red">已锁定</Tag>}
                </Space>
              ),
            },
            { title: '最近登录', render: (_, user) => (user.lastLoginAt ? formatDateTime(user.lastLoginAt) : '从未') },
            {
              title: '操作',
              render: (_, user) => (
                <Space>
                  <Button
                    size="small"
                    onClick={() =>
                      modal.confirm({
                        title: `重置 ${user.displayName} 的密码？`,
                        content: '将生成新的随机密码，解除锁定，并结束其所有登录。',
                        okText: '重置',
                        cancelText: '取消',
                        onOk: () => reset.mutateAsync(user.id),
                      })
                    }
                  >
                    重置密码
                  </Button>
                  {user.id !== me?.id && (
                    <Button
                      size="small"
                      danger={user.active}
                      onClick={() => toggle.mutate(user)}
                      loading={toggle.isPending && toggle.variables?.id === user.id}
                    >
                      {user.active ? '停用' : '启用'}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <NewUserDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
