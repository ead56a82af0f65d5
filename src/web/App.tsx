import { BellOutlined, DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App as AntApp, Avatar, Badge, Button, Dropdown, Layout, Menu, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { nameOf, pathWithNext, useAuth } from './auth.js';
import { ChangePasswordPage } from './pages/ChangePasswordPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PlanPage } from './pages/PlanPage.js';
import { ItemPage } from './pages/ItemPage.js';
import { OrganisationsPage } from './pages/OrganisationsPage.js';
import { OrganisationPage } from './pages/OrganisationPage.js';
import { ImportPage } from './pages/ImportPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { AuditPage } from './pages/AuditPage.js';
import { TokensPage } from './pages/TokensPage.js';
import { SchedulePage } from './pages/SchedulePage.js';
import { CitySummaryPage } from './pages/CitySummaryPage.js';
import { CalendarPage } from './pages/CalendarPage.js';
import { MyWorkPage } from './pages/MyWorkPage.js';
import { ReportPage } from './pages/ReportPage.js';
import { myWorkKey, reportsApi } from './reportsApi.js';
import { InboxPage } from './pages/InboxPage.js';
import { NoticesPage } from './pages/NoticesPage.js';
import { NoticePage } from './pages/NoticePage.js';
import { BulletinsPage } from './pages/BulletinsPage.js';
import { BulletinPage } from './pages/BulletinPage.js';
import { SupervisionSettingsPage } from './pages/SupervisionSettingsPage.js';
import { WebhooksPage } from './pages/WebhooksPage.js';
import { DeliveriesPage } from './pages/DeliveriesPage.js';
import { PreferencesPage } from './pages/PreferencesPage.js';
import { inboxCountKey, notificationsApi } from './notificationsApi.js';

const { Header, Content, Footer } = Layout;

/** Roles that read only their own unit: their one unit page replaces the register in the menu. */
const UNIT_ROLES = new Set(['unit_reporter', 'unit_leader']);

function selectedMenuKey(pathname: string, role: string): string {
  if (pathname.startsWith('/my-work')) return 'my-work';
  if (pathname.startsWith('/inbox')) return '';
  if (pathname.startsWith('/notices')) return 'notices';
  if (pathname.startsWith('/admin/webhooks')) return 'webhooks';
  if (pathname.startsWith('/admin/deliveries')) return 'deliveries';
  if (pathname.startsWith('/settings/notifications')) return '';
  if (pathname.startsWith('/organisations')) return UNIT_ROLES.has(role) ? 'own-organisation' : 'organisations';
  if (pathname.startsWith('/imports')) return 'imports';
  if (pathname.startsWith('/admin/users')) return 'users';
  if (pathname.startsWith('/admin/tokens')) return 'tokens';
  if (pathname.startsWith('/audit')) return 'audit';
  if (pathname.startsWith('/settings/calendar')) return 'calendar';
  if (pathname.startsWith('/change-password')) return '';
  return 'plans';
}

/** 我的待办 with the number of things waiting; the same query as the page, so each refreshes the other. */
function MyWorkLabel() {
  const work = useQuery({
    queryKey: myWorkKey,
    queryFn: ({ signal }) => reportsApi.myWork(signal),
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });
  const count = work.data?.total ?? 0;
  return (
    <Link to="/my-work" aria-label={count > 0 ? `我的待办（${count} 项）` : '我的待办'}>
      <Badge count={count} overflowCount={99} size="small" offset={[14, -2]} data-testid="my-work-badge">
        <span className="app-menu-label">我的待办</span>
      </Badge>
    </Link>
  );
}

/**
 * 消息 with the number unread, for everyone signed in, polled every minute; reading on the inbox page refreshes it
 * (the same query key). It sits in the header beside the user menu, outside the role's menu, so that the menu's
 * own badge (我的待办) stays the menu's only one.
 */
function InboxLink() {
  const location = useLocation();
  const count = useQuery({
    queryKey: inboxCountKey,
    queryFn: ({ signal }) => notificationsApi.count(signal),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
  const unread = count.data?.unread ?? 0;
  return (
    <Link
      to="/inbox"
      className={location.pathname.startsWith('/inbox') ? 'app-inbox app-inbox-active' : 'app-inbox'}
      aria-label={unread > 0 ? `消息（${unread} 条未读）` : '消息'}
    >
      <Badge count={unread} overflowCount={99} size="small" offset={[6, -2]} data-testid="inbox-badge">
        <BellOutlined className="app-inbox-icon" />
      </Badge>
      <span className="app-inbox-label">消息</span>
    </Link>
  );
}

/** The pages a role can use; the server decides in any case, the menu only leaves out what would be refused. */
function menuItems(role: string, organisationId: number | undefined) {
  const reads = role !== 'auditor';
  // a unit role may open no other unit's page (404), so it gets its own summary table instead of the register
  const units = UNIT_ROLES.has(role)
    ? { key: 'own-organisation', label: <Link to={`/organisations/${organisationId}`}>本单位汇总表</Link> }
    : { key: 'organisations', label: <Link to="/organisations">责任单位</Link> };
  return [
    ...(role === 'unit_reporter' || role === 'unit_leader' || role === 'supervisor' ? [{ key: 'my-work', label: <MyWorkLabel /> }] : []),
    ...(reads ? [{ key: 'plans', label: <Link to="/">工作任务</Link> }, units] : []),
    ...(role === 'supervisor' || UNIT_ROLES.has(role) ? [{ key: 'notices', label: <Link to="/notices">督办单</Link> }] : []),
    ...(role === 'supervisor' ? [{ key: 'imports', label: <Link to="/imports">导入</Link> }] : []),
    ...(role === 'admin'
      ? [
          { key: 'users', label: <Link to="/admin/users">用户管理</Link> },
          { key: 'tokens', label: <Link to="/admin/tokens">接口令牌</Link> },
          { key: 'webhooks', label: <Link to="/admin/webhooks">消息推送</Link> },
          { key: 'deliveries', label: <Link to="/admin/deliveries">发送失败</Link> },
        ]
      : []),
    ...(role === 'admin' || role === 'supervisor' ? [{ key: 'calendar', label: <Link to="/settings/calendar">工作日历</Link> }] : []),
    ...(role === 'auditor' ? [{ key: 'audit', label: <Link to="/audit">审计日志</Link> }] : []),
  ];
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

/** The signed-in person on the right of the header: name, unit and role, with 修改密码 and 退出登录. */
function UserMenu() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const { message: messages } = AntApp.useApp();
  if (!user) return null;
  const here = location.pathname + location.search;
  const leave = async () => {
    try {
      await signOut();
    } catch (error) {
      void messages.error(`退出登录失败：${error instanceof Error ? error.message : '请稍后重试'}`);
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        items: [
          {
            key: 'who',
            disabled: true,
            className: 'app-user-menu-who',
            label: (
              <div>
                <div className="app-user-menu-name">{nameOf(user)}</div>
                <div className="app-user-menu-meta">
                  {user.organisation.name} · {user.roleLabel}
                </div>
              </div>
            ),
          },
          { type: 'divider' },
          {
            key: 'notification-preferences',
            icon: <BellOutlined />,
            label: '通知设置',
            onClick: () => navigate('/settings/notifications'),
          },
          {
            key: 'password',
            icon: <KeyOutlined />,
            label: '修改密码',
            onClick: () => navigate(location.pathname === '/change-password' ? here : pathWithNext('/change-password', here)),
          },
          { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', onClick: () => void leave() },
        ],
      }}
    >
      <Button
        type="text"
        className="app-user"
        aria-label="用户菜单"
        title={`${user.displayName}，${user.organisation.name}，${user.roleLabel}`}
      >
        <Avatar size={30} className="app-user-avatar">
          {[...user.displayName][0] ?? <UserOutlined />}
        </Avatar>
        <span className="app-user-text">
          <span className="app-user-name">{user.displayName}</span>
          <span className="app-user-meta">
            {user.organisation.name} · {user.roleLabel}
          </span>
        </span>
        <DownOutlined className="app-user-caret" />
      </Button>
    </Dropdown>
  );
}

function FullPage({ children }: { children: ReactNode }) {
  return <div className="login-screen">{children}</div>;
}

/**
 * The route guard. /login is open; every other page needs a signed-in user (a full-page spinner while the session
 * is checked, the sign-in page otherwise, keeping the page asked for in `next`), and a user who must change the
 * password sees nothing but that page until it is done.
 */
export function App() {
  const location = useLocation();
  const { status, user, error, ended, refresh } = useAuth();
  const here = location.pathname + location.search + location.hash;
  if (location.pathname === '/login') return <LoginPage />;
  if (status === 'loading') {
    return (
      <FullPage>
        <Spin size="large" description="正在验证登录状态…" />
      </FullPage>
    );
  }
  if (status === 'error') {
    return (
      <FullPage>
        <Result
          status="warning"
          title="无法验证登录状态"
          subTitle={error instanceof Error ? error.message : '请稍后重试'}
          extra={
            <Button type="primary" onClick={() => void refresh()}>
              重试
            </Button>
          }
        />
      </FullPage>
    );
  }
  if (!user) {
    // signing out goes to a plain sign-in page; an ended session comes back to where the person was
    return <Navigate to={ended === 'signed_out' ? '/login' : pathWithNext('/login', here)} replace />;
  }
  if (user.mustChangePassword) {
    if (location.pathname !== '/change-password') return <Navigate to={pathWithNext('/change-password', here)} replace />;
    return <ChangePasswordPage forced />;
  }
  return <Shell />;
}

function Shell() {
  const location = useLocation();
  const { user } = useAuth();
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
          selectedKeys={[selectedMenuKey(location.pathname, user?.role ?? '')]}
          items={menuItems(user?.role ?? '', user?.organisation.id)}
        />
        <InboxLink />
        <UserMenu />
      </Header>
      <Content className="app-content">
        <Routes>
          {/* the audit reader reads no plans (403): its home is the audit trail */}
          <Route path="/" element={user?.role === 'auditor' ? <Navigate to="/audit" replace /> : <PlanPage />} />
          <Route path="/plans/:planId" element={<PlanPage />} />
          <Route path="/plans/:planId/schedule" element={<SchedulePage />} />
          <Route path="/plans/:planId/summary" element={<CitySummaryPage />} />
          <Route path="/settings/calendar" element={<CalendarPage />} />
          <Route path="/items/:itemId" element={<ItemPage />} />
          <Route path="/items/:itemId/reports/:orgId/:period" element={<ReportPage />} />
          <Route path="/my-work" element={<MyWorkPage />} />
          <Route path="/inbox" element={<InboxPage />} />
          <Route path="/notices" element={<NoticesPage />} />
          <Route path="/notices/:noticeId" element={<NoticePage />} />
          <Route path="/plans/:planId/bulletins" element={<BulletinsPage />} />
          <Route path="/bulletins/:bulletinId" element={<BulletinPage />} />
          <Route path="/plans/:planId/supervision-settings" element={<SupervisionSettingsPage />} />
          <Route path="/admin/webhooks" element={<WebhooksPage />} />
          <Route path="/admin/deliveries" element={<DeliveriesPage />} />
          <Route path="/settings/notifications" element={<PreferencesPage />} />
          <Route path="/organisations" element={<OrganisationsPage />} />
          <Route path="/organisations/:orgId" element={<OrganisationPage />} />
          <Route path="/imports" element={<ImportPage />} />
          <Route path="/admin/users" element={<UsersPage />} />
          <Route path="/admin/tokens" element={<TokensPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/change-password" element={<ChangePasswordPage forced={false} />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Content>
      <Footer className="app-footer">落实 · 政府工作任务分解、进展报送与汇总</Footer>
    </Layout>
  );
}
