import { LockOutlined, LogoutOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api.js';
import { nameOf, safeNext, useAuth } from '../auth.js';

/** What the server requires (src/domain/passwords.ts); shown as a hint, the server decides. */
const POLICY_HINT = '至少 8 位，且包含大写字母、小写字母、数字、符号中的至少三类';

interface Fields {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * 修改密码. Forced (an initial or reset password): the only page the person can reach, on its own, with a way to
 * sign out. Otherwise a page of the app, reached from the user menu. Either way it returns to `next` when done.
 */
export function ChangePasswordPage({ forced }: { forced: boolean }) {
  const { user, changePassword, signOut } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [form] = Form.useForm<Fields>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { message } = AntApp.useApp();

  if (!user) return null;

  async function submit(values: Fields) {
    setBusy(true);
    setError(undefined);
    try {
      // the new session is in place when this returns (the guard no longer holds the person here)
      await changePassword(values.currentPassword, values.newPassword);
      void message.success('密码已修改。其他设备上的登录已随之退出。');
      navigate(next, { replace: true });
    } catch (caught) {
      const text = caught instanceof ApiError ? caught.message : '修改失败，请稍后重试。';
      // the server's answer goes under the field it is about
      if (caught instanceof ApiError && caught.code === 'wrong_password') {
        form.setFields([{ name: 'currentPassword', errors: [text], value: '' }]);
      } else if (caught instanceof ApiError && (caught.code === 'weak_password' || caught.code === 'password_reused')) {
        form.setFields([
          { name: 'newPassword', errors: [text] },
          { name: 'confirmPassword', value: '' },
        ]);
      } else {
        setError(text);
      }
    } finally {
      setBusy(false);
    }
  }

  const body = (
    <>
      {forced && <Alert type="warning" showIcon className="password-notice" title="首次登录或密码被重置后，须先修改密码。" />}
      <Form<Fields>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => void submit(values)}
        aria-label="修改密码"
        className="password-form"
        disabled={busy}
      >
        {/* for password managers: whose password this is */}
        <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
        <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" prefix={<LockOutlined />} />
        </Form.Item>
        <Form.Item label="新密码" name="newPassword" extra={POLICY_HINT} rules={[{ required: true, message: '请输入新密码' }]}>
          <Input.Password autoComplete="new-password" prefix={<LockOutlined />} />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirmPassword"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | undefined) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" prefix={<LockOutlined />} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} className="login-error" />}
        <div className="password-actions">
          <Button type="primary" htmlType="submit" loading={busy} disabled={false}>
            确认修改
          </Button>
          {!forced && (
            <Button onClick={() => navigate(next)} disabled={busy}>
              取消
            </Button>
          )}
        </div>
      </Form>
      <Typography.Paragraph type="secondary" className="password-footnote">
        修改后，您在其他设备或浏览器上的登录将失效。
      </Typography.Paragraph>
    </>
  );

  if (!forced) {
    return (
      <div className="password-page">
        <Card title="修改密码" className="password-card">
          {body}
        </Card>
      </div>
    );
  }
  return (
    <div className="login-screen">
      <Card className="login-card password-card">
        <div className="login-brand">
          <span className="app-logo-mark">落实</span>
          <Typography.Text type="secondary">政府工作任务管理</Typography.Text>
        </div>
        <Typography.Title level={4} className="password-title">
          修改密码
        </Typography.Title>
        <Typography.Paragraph type="secondary" className="password-who">
          {nameOf(user)} · {user.organisation.name} · {user.roleLabel}
        </Typography.Paragraph>
        {body}
        <div className="password-signout">
          <Button type="link" size="small" icon={<LogoutOutlined />} onClick={() => void signOut().catch(() => undefined)}>
            退出登录
          </Button>
        </div>
      </Card>
    </div>
  );
}
