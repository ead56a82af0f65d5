import { DownOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Layout, Menu, Result, Spin } from 'antd';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useAuth } from './auth.js';
import { ChangePasswordPage } from './pages/ChangePasswordPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PlanPage } from './pages/PlanPage.js';
import { ItemPage } from './pages/ItemPage.js';
import { OrganisationsPage } from './pages/OrganisationsPage.js';
import { OrganisationPage } from './pages/OrganisationPage.js';
import { ImportPage } from './pages/ImportPage.js';

const { Header, Content, Footer } = Layout;

function selectedMenuKey(pathname: string): string {
  if (pathname.startsWith('/organisations')) return 'organisations';
  if (pathname.startsWith('/imports')) return 'imports';
  return 'plans';
}

function NotFound() {
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Link to="/">
          <Button type="primary">返回工作任务</Button>
        </Link>
      }
    />
  );
}

function UserMenu() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  if (!user) return null;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'who', label: `${user.organisation.name} · ${user.roleLabel}`, disabled: true },
          { type: 'divider' },
          { key: 'password', label: '修改密码', onClick: () => navigate('/change-password') },
          { key: 'logout', label: '退出登录', onClick: () => void signOut() },
        ],
      }}
    >
      <Button type="text" className="app-user" aria-label="用户菜单">
        <UserOutlined />
        <span>{user.displayName}</span>
        <DownOutlined />
      </Button>
    </Dropdown>
  );
}

/** Signed-in pages only: the sign-in page otherwise, and the password change first when one is due. */
export function App() {
  const location = useLocation();
  const { user } = useAuth();
  if (location.pathname === '/login') return <LoginPage />;
  if (user === undefined) {
    return (
      <div className="login-screen">
        <Spin size="large" />
      </div>
    );
  }
  if (user === null) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (location.pathname === '/change-password' || user.mustChangePassword) {
    return user.mustChangePassword && location.pathname !== '/change-password' ? <Navigate to="/change-password" replace /> : <ChangePasswordPage />;
  }
  return <Shell />;
}

function Shell() {
  const location = useLocation();
  return (
    <Layout className="app-layout">
      <Header className="app-header">
        <Link to="/" className="app-logo" aria-label="落实 首页">
          <span className="app-logo-mark">落实</span>
          <span className="app-logo-sub">政府工作任务管理</span>
        </Link>
        <Menu
          mode="horizontal"
          className="app-menu"
          selectedKeys={[selectedMenuKey(location.pathname)]}
          items={[
            { key: 'plans', label: <Link to="/">工作任务</Link> },
            { key: 'organisations', label: <Link to="/organisations">责任单位</Link> },
            { key: 'imports', label: <Link to="/imports">导入</Link> },
          ]}
        />
        <UserMenu />
      </Header>
      <Content className="app-content">
        <Routes>
          <Route path="/" element={<PlanPage />} />
          <Route path="/plans/:planId" element={<PlanPage />} />
          <Route path="/items/:itemId" element={<ItemPage />} />
          <Route path="/organisations" element={<OrganisationsPage />} />
          <Route path="/organisations/:orgId" element={<OrganisationPage />} />
          <Route path="/imports" element={<ImportPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Content>
      <Footer className="app-footer">落实 · 政府工作任务分解、进展报送与汇总</Footer>
    </Layout>
  );
}
