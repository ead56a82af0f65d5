import { describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

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
    await expect.poll(() => page.getByText(/用户名或密码错误/).count()).toBeGreaterThan(0);
    await harness.shot('login-error');

    await page.getByLabel('密码', { exact: true }).fill('E2e-Supervisor-2030');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/organisations$/);
    await expect.poll(() => page.getByText('市生态环境局').count()).toBeGreaterThan(0);
    await harness.shot('user-menu-page');
  });

  it('makes a new account change its initial password first, then shows only its own unit’s items', async () => {
    const { page, baseUrl } = harness;
    await harness.addUser({ username: 'hbj-tianbao', organisation: '市水务局', role: 'unit_reporter', password: 'Initial-Passw0rd', mustChange: true });
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
});
