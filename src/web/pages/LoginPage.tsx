import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Typography } from 'antd';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api.js';
import { safeNext, useAuth } from '../auth.js';

export function LoginPage() {
  const { user, signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to={user.mustChangePassword ? '/change-password' : next} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError('请输入用户名和密码。');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const signedIn = await signIn(username.trim(), password);
      navigate(signedIn.mustChangePassword ? '/change-password' : next, { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : '登录失败，请稍后重试。');
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-screen">
      <Card className="login-card">
        <div className="login-brand">
          <span className="app-logo-mark">落实</span>
          <Typography.Text type="secondary">政府工作任务管理</Typography.Text>
        </div>
        <form onSubmit={submit} className="login-form" aria-label="登录">
          <label htmlFor="login-username">用户名</label>
          <Input
            id="login-username"
            size="large"
            prefix={<UserOutlined />}
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
          <label htmlFor="login-password">密码</label>
          <Input.Password
            id="login-password"
            size="large"
            prefix={<LockOutlined />}
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          {error && <Alert type="error" showIcon title={error} className="login-error" />}
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            登录
          </Button>
        </form>
        <Typography.Paragraph type="secondary" className="login-hint">
          账户由系统管理员开设。忘记密码请联系本单位管理员重置。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
