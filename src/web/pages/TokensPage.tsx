import { ExclamationCircleFilled, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, ApiError } from '../api.js';
import { TOKEN_SCOPES, tokensApi } from '../adminApi.js';
import { formatDateTime, pageTitle } from '../format.js';
import type { ApiToken, NewTokenBody } from '../../contract/users.js';

const TOKENS = ['tokens'] as const;

const failureMessage = (error: unknown, fallback: string) => (error instanceof ApiError ? error.message : fallback);

type NewToken = NewTokenBody;

/** The token itself, once: the server keeps only its hash, so closing this is the last chance to copy it. */
function TokenOnce({ token, view, organisation }: { token: string; view: ApiToken; organisation: string }) {
  const scope = TOKEN_SCOPES.find((option) => option.value === view.scope)?.label ?? view.scope;
  return (
    <div className="token-once">
      <p>
        {view.name}（{organisation}，{scope}）
      </p>
      <Typography.Paragraph
        className="token-once-value"
        code
        copyable={{ text: token, tooltips: ['复制令牌', '已复制'] }}
        data-testid="one-time-token"
      >
        {token}
      </Typography.Paragraph>
      <Alert
        type="warning"
        showIcon
        title="此令牌只显示这一次，关闭后无法再次查看。"
        description="请立即复制并通过安全渠道交给对接系统的负责人。如果遗失，只能撤销后重新创建。"
      />
      <Typography.Text type="secondary" className="token-once-usage">
        调用接口时在请求头中携带：<Typography.Text code>Authorization: Bearer 令牌</Typography.Text>
      </Typography.Text>
    </div>
  );
}

function NewTokenDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (result: { token: string; view: ApiToken }) => void;
}) {
  const queryClient = useQueryClient();
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: ({ signal }) => api.organisations(signal), enabled: open });
  const [form] = Form.useForm<NewToken>();
  const name = Form.useWatch('name', form);
  const organisationId = Form.useWatch('organisationId', form);
  const create = useMutation({
    mutationFn: (input: NewToken) => tokensApi.create({ ...input, name: input.name.trim() }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: TOKENS });
      onClose();
      form.resetFields();
      create.reset();
      onCreated(result);
    },
  });
  return (
    <Modal
      open={open}
      title="新建接口令牌"
      okText="创建"
      cancelText="取消"
      onCancel={() => {
        create.reset();
        onClose();
      }}
      onOk={() => form.submit()}
      okButtonProps={{ disabled: !name?.trim() || !organisationId, loading: create.isPending }}
      forceRender
    >
      <Form<NewToken>
        form={form}
        name="new-token"
        layout="vertical"
        requiredMark={false}
        initialValues={{ scope: 'read' }}
        className="token-form"
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item
          name="name"
          label="令牌名称"
          rules={[
            { required: true, whitespace: true, message: '请填写令牌名称' },
            { max: 100, message: '最多 100 个字符' },
          ]}
        >
          <Input placeholder="说明用途，如 数据中台对接、大屏展示" maxLength={100} />
        </Form.Item>
        <Form.Item
          name="organisationId"
          label="所属单位"
          rules={[{ required: true, message: '请选择单位' }]}
          extra="令牌只能访问该单位承担的工作任务。"
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={organisations.isPending}
            options={(organisations.data?.organisations ?? []).map((organisation) => ({
              value: organisation.id,
              label: organisation.name,
            }))}
            placeholder="选择单位"
          />
        </Form.Item>
        <Form.Item name="scope" label="权限范围">
          <Radio.Group className="token-scope">
            {TOKEN_SCOPES.map((option) => (
              <Radio key={option.value} value={option.value}>
                {option.label}
                <Typography.Text type="secondary" className="token-scope-help">
                  {option.description}
                </Typography.Text>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Typography.Text type="secondary">系统生成随机令牌并只显示一次；服务器只保存其摘要，无法找回。</Typography.Text>
        {organisations.error && (
          <Alert type="error" showIcon title={failureMessage(organisations.error, '无法读取单位列表')} className="token-form-error" />
        )}
        {create.error && <Alert type="error" showIcon title={failureMessage(create.error, '创建失败')} className="token-form-error" />}
      </Form>
    </Modal>
  );
}

export function TokensPage() {
  const queryClient = useQueryClient();
  const { modal, message } = AntApp.useApp();
  const tokens = useQuery({ queryKey: TOKENS, queryFn: ({ signal }) => tokensApi.list(signal) });
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: ({ signal }) => api.organisations(signal) });
  const [creating, setCreating] = useState(false);
  const organisationName = useMemo(() => {
    const names = new Map((organisations.data?.organisations ?? []).map((organisation) => [organisation.id, organisation.name]));
    return (id: number) => names.get(id) ?? `单位 ${id}`;
  }, [organisations.data]);
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => tokensApi.revoke(token.id),
    onSuccess: (token) => {
      void queryClient.invalidateQueries({ queryKey: TOKENS });
      void message.success(`已撤销令牌“${token.name}”`);
    },
  });
  const failure = revoke.error ?? tokens.error;

  const showToken = (result: { token: string; view: ApiToken }) =>
    void modal.success({
      title: '已创建接口令牌',
      width: 560,
      okText: '我已复制并妥善保存',
      content: <TokenOnce token={result.token} view={result.view} organisation={organisationName(result.view.organisationId)} />,
    });

  const active = (tokens.data?.tokens ?? []).filter((token) => !token.revokedAt).length;
  return (
    <>
      <title>{pageTitle('接口令牌')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>接口令牌</Typography.Title>
          <Typography.Text type="secondary">
            供其他系统通过接口读取某一单位的数据。令牌相当于密码：只在创建时显示一次，不再使用时请及时撤销。
            {tokens.data && `有效 ${active} 个，共 ${tokens.data.tokens.length} 个。`}
          </Typography.Text>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建令牌
        </Button>
      </div>
      {failure && <Alert type="error" showIcon title={failureMessage(failure, '操作失败')} className="login-error" />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<ApiToken>
          rowKey="id"
          loading={tokens.isPending}
          dataSource={tokens.data?.tokens ?? []}
          rowClassName={(token) => (token.revokedAt ? 'token-revoked' : '')}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: '还没有接口令牌' }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            {
              title: '令牌前缀',
              render: (_, token) => (
                <Typography.Text code className="token-prefix">
                  {token.prefix}…
                </Typography.Text>
              ),
            },
            { title: '单位', render: (_, token) => organisationName(token.organisationId) },
            {
              title: '权限',
              render: (_, token) => (
                <Tag color={token.scope === 'write' ? 'orange' : 'blue'}>
                  {TOKEN_SCOPES.find((option) => option.value === token.scope)?.label ?? token.scope}
                </Tag>
              ),
            },
            {
              title: '创建',
              render: (_, token) => (
                <span>
                  {token.createdBy}
                  <br />
                  <Typography.Text type="secondary">{formatDateTime(token.createdAt)}</Typography.Text>
                </span>
              ),
            },
            {
              title: '最近使用',
              render: (_, token) =>
                token.lastUsedAt ? formatDateTime(token.lastUsedAt) : <Typography.Text type="secondary">从未使用</Typography.Text>,
            },
            {
              title: '状态',
              render: (_, token) =>
                token.revokedAt ? (
                  <span title={`撤销于 ${formatDateTime(token.revokedAt)}`}>
                    <Tag>已撤销</Tag>
                    <Typography.Text type="secondary" className="token-revoked-at">
                      {formatDateTime(token.revokedAt)}
                    </Typography.Text>
                  </span>
                ) : (
                  <Tag color="green">有效</Tag>
                ),
            },
            {
              title: '操作',
              render: (_, token) =>
                token.revokedAt ? null : (
                  <Popconfirm
                    title={`撤销令牌“${token.name}”？`}
                    description="撤销后，使用该令牌的系统将立即无法访问，且不能恢复。"
                    icon={<ExclamationCircleFilled className="token-revoke-icon" />}
                    okText="撤销"
                    cancelText="取消"
                    okButtonProps={{ danger: true }}
                    onConfirm={() => revoke.mutateAsync(token).catch(() => undefined)}
                  >
                    <Button size="small" danger loading={revoke.isPending && revoke.variables?.id === token.id}>
                      撤销
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
      <NewTokenDialog open={creating} onClose={() => setCreating(false)} onCreated={showToken} />
    </>
  );
}
