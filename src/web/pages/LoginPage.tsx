import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { ApiError } from '../api.js';
import { safeNext, useAuth } from '../auth.js';

interface Fields {
  username: string;
  password: string;
}

interface Failure {
  title: string;
  type: 'error' | 'warning';
}

/** The server's answer as the person should read it: its own message for a wrong password, a lock or a rate limit. */
function failureOf(error: unknown): Failure {
  if (error instanceof ApiError) {
    if (error.status === 423 || error.status === 429) return { title: error.message, type: 'warning' };
    return { title: error.message, type: 'error' };
  }
  return { title: '登录失败，请稍后重试。', type: 'error' };
}

/** 登录: name and password; back to the page in `next` once signed in. */
export function LoginPage() {
  const { status, user, ended, signIn } = useAuth();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [form] = Form.useForm<Fields>();
  const [failure, setFailure] = useState<Failure>();
  const [busy, setBusy] = useState(false);

  if (status === 'loading') {
    return (
      <div className="login-screen">
        <Spin size="large" />
      </div>
    );
  }
  // signed in (now, or already): on to the page asked for; the guard sends a pending password change first
  if (user) return <Navigate to={next} replace />;

  async function submit(values: Fields) {
    setBusy(true);
    setFailure(undefined);
    try {
      await signIn(values.username.trim(), values.password);
    } catch (caught) {
      setFailure(failureOf(caught));
      form.setFieldValue('password', '');
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
        {ended === 'expired' && !failure && (
          <Alert type="info" showIcon className="login-error" title="登录已超时或已在别处退出，请重新登录。" />
        )}
        <Form<Fields>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => void submit(values)}
          onValuesChange={() => failure && setFailure(undefined)}
          aria-label="登录"
          className="login-form"
        >
          <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input size="large" prefix={<UserOutlined />} autoComplete="username" autoFocus spellCheck={false} autoCapitalize="none" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password size="large" prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {failure && <Alert type={failure.type} showIcon title={failure.title} className="login-error" role="alert" />}
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" className="login-hint">
          账户由系统管理员开设。忘记密码请联系管理员重置。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
