import { describe, expect, it } from 'vitest';
import { REPORTER, signIn, useHarness } from './harness.js';

const harness = useHarness();

async function signOutThroughMenu(): Promise<void> {
  const { page } = harness;
  await page.getByRole('button', { name: '用户菜单' }).click();
  await page.getByText('退出登录').click();
  await page.waitForURL(/\/login/);
}

describe('signing in and out', () => {
  it('refuses a wrong password with a clear message, and returns to the page asked for after signing in', async () => {
    const { page, baseUrl } = harness;
    await signOutThroughMenu();
    await page.goto(`${baseUrl}/organisations`);
    await page.waitForURL(/\/login\?next=%2Forganisations/);
    await page.getByLabel('用户名').fill('duchashi');
    await page.getByLabel('密码', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByText(/用户名或密码不正确/).count()).toBeGreaterThan(0);
    await harness.shot('login-error');

    await page.getByLabel('密码', { exact: true }).fill('E2e-Supervisor-2030');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/organisations$/);
    await expect.poll(() => page.getByText('市生态环境局').count()).toBeGreaterThan(0);
    await harness.shot('user-menu-page');
  });

  it('makes a new account change its initial password first, then shows only its own unit’s items', async () => {
    const { page, baseUrl } = harness;
    await harness.addUser({
      username: 'hbj-tianbao',
      organisation: '市水务局',
      role: 'unit_reporter',
      password: 'Initial-Passw0rd',
      mustChange: true,
    });
    await signOutThroughMenu();
    await harness.signIn('hbj-tianbao', 'Initial-Passw0rd');
    await page.waitForURL(/\/change-password$/);
    await expect.poll(() => page.getByText('首次登录或密码被重置后，须先修改密码。').count()).toBe(1);
    await harness.shot('change-password');
    await page.getByLabel('当前密码').fill('Initial-Passw0rd');
    await page.getByLabel('新密码', { exact: true }).fill('Water-Bureau-2030');
    await page.getByLabel('确认新密码').fill('Water-Bureau-2030');
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.waitForURL(`${baseUrl}/`);
    // the water bureau takes part in tasks 27, 35 and 36 only
    await expect.poll(() => page.getByText('3 项任务').count()).toBeGreaterThan(0);
    expect(await page.getByText('节能环保指标').count()).toBe(0);

    await signOutThroughMenu();
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
  });

  it('shows who is signed in; a session that ends sends the person to sign in and back to the page they were on', async () => {
    const { page, browserErrors } = harness;
    await signIn(page, REPORTER.username, REPORTER.password);
    // the header: name, unit and role; the menu offers 修改密码 and 退出登录
    const user = page.locator('.app-user');
    await expect.poll(() => user.innerText()).toMatch(/生态环境局填报员[\s\S]*市生态环境局 · 单位填报员/);
    await page.getByRole('button', { name: '用户菜单' }).click();
    const menu = page.locator('.ant-dropdown:visible');
    await menu.getByText('修改密码').waitFor();
    await menu.getByText('退出登录').waitFor();
    await harness.shot('user-menu');
    await menu.getByText('修改密码').click();
    await page.waitForURL(/\/change-password$/);
    await page.getByLabel('当前密码').waitFor();
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await page.waitForURL((url) => url.pathname === '/');

    // the session ends on the server's side (expired, or signed out elsewhere): the next request answers 401
    await page.context().clearCookies();
    await page.locator('.app-menu').getByText('本单位汇总表').click();
    await page.waitForURL(/\/login\?next=%2Forganisations%2F\d+$/);
    await page.getByText('登录已超时或已在别处退出，请重新登录。').waitFor();
    await page.getByLabel('用户名').fill(REPORTER.username);
    await page.getByLabel('密码', { exact: true }).fill(REPORTER.password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/organisations\/\d+$/);
    await page.getByRole('heading', { level: 2, name: /市生态环境局/ }).waitFor();
    // the refused request was logged by the browser as a failed one: expected here
    expect(browserErrors.filter((text) => !/401 \(Unauthorized\)/.test(text))).toEqual([]);
    browserErrors.splice(0);

    // a write without the session's CSRF token is refused; the app's own writes carry it (signing out is one)
    const forged = await page.evaluate(async () => (await fetch('/api/auth/logout', { method: 'POST' })).status);
    expect(forged).toBe(403);
    browserErrors.splice(0);
    await signOutThroughMenu();
    expect(new URL(page.url()).search).toBe('');
  });
});

describe('account administration', () => {
  it('an administrator creates a user, who must change the initial password at first sign-in', async () => {
    const { page, baseUrl } = harness;
    await harness.addUser({ username: 'sysadmin', organisation: '市政府办公室', role: 'admin', password: 'Admin-Passw0rd-2030' });
    // the previous test ended signed out
    await harness.signIn('sysadmin', 'Admin-Passw0rd-2030');
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await page.waitForURL(`${baseUrl}/admin/users`);
    await page.getByRole('button', { name: /新建用户/ }).click();
    await page.getByLabel('用户名').fill('zhao.liu');
    await page.getByLabel('显示名称').fill('赵六');
    await page.getByLabel('所属单位').click();
    await page.keyboard.type('市水务局');
    await page.keyboard.press('Enter');
    await page.getByLabel('角色').click();
    await page.getByTitle('单位填报员').click();
    await page.getByRole('button', { name: /创\s*建/ }).click();
    const password = (await page.getByTestId('one-time-password').first().innerText()).trim();
    expect(password).toHaveLength(16);
    await harness.shot('admin-new-user');
    await page.getByRole('button', { name: /知道了|OK|确\s*定/ }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'zhao.liu' }).count()).toBe(1);
    await harness.shot('admin-users');

    await signOutThroughMenu();
    await harness.signIn('zhao.liu', password);
    await page.waitForURL(/\/change-password$/);
    await page.getByLabel('当前密码').fill(password);
    await page.getByLabel('新密码', { exact: true }).fill('Zhao-Liu-Passw0rd');
    await page.getByLabel('确认新密码').fill('Zhao-Liu-Passw0rd');
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.waitForURL(`${baseUrl}/`);
    await expect.poll(() => page.getByText('3 项任务').count()).toBeGreaterThan(0);
  });
});
