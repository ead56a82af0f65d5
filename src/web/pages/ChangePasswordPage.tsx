import { Alert, Button, Card, Input, Typography } from 'antd';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, authApi } from '../api.js';
import { useAuth } from '../auth.js';

export function ChangePasswordPage() {
  const { user, replaceSession } = useAuth();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const forced = user?.mustChangePassword === true;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== confirm) {
      setError('两次输入的新密码不一致。');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      replaceSession(await authApi.changePassword(current, next));
      navigate('/', { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : '修改失败，请稍后重试。');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-screen">
      <Card className="login-card" title="修改密码">
        {forced && <Alert type="info" showIcon title="首次登录或密码被重置后，须先修改密码。" className="login-error" />}
        <form onSubmit={submit} className="login-form" aria-label="修改密码">
          <input type="text" autoComplete="username" value={user?.username ?? ''} readOnly hidden />
          <label htmlFor="password-current">当前密码</label>
          <Input.Password id="password-current" autoComplete="current-password" value={current} onChange={(event) => setCurrent(event.target.value)} />
          <label htmlFor="password-new">新密码</label>
          <Input.Password id="password-new" autoComplete="new-password" value={next} onChange={(event) => setNext(event.target.value)} />
          <label htmlFor="password-confirm">确认新密码</label>
          <Input.Password id="password-confirm" autoComplete="new-password" value={confirm} onChange={(event) => setConfirm(event.target.value)} />
          <Typography.Text type="secondary">至少 8 位，且包含大写字母、小写字母、数字、符号中的至少三类；不能包含用户名。修改后其他设备上的登录将失效。</Typography.Text>
          {error && <Alert type="error" showIcon title={error} className="login-error" />}
          <Button type="primary" htmlType="submit" block loading={busy} disabled={!current || !next || !confirm}>
            确认修改
          </Button>
          {!forced && (
            <Button block onClick={() => navigate(-1)}>
              取消
            </Button>
          )}
        </form>
      </Card>
    </div>
  );
}
