/**
 * Browser test of what a unit reporter (市生态环境局) can reach: the menu offers 本单位汇总表 instead of the register of
 * all units, it opens the reporter's own summary table, and no page it reads offers a unit link that would answer
 * 未找到 (every other unit's page is hidden from a unit role). The table says 填报单位, as the exports do.
 */
import { describe, expect, it } from 'vitest';
import { pageApi, REPORTER, useHarness } from './harness.js';

const harness = useHarness();

/** 市生态环境局 leads it; 市发改委 and 市工信局 cooperate. */
const LED_ITEM = '单位地区生产总值二氧化碳排放量下降完成省下达任务';

describe('本单位汇总表', () => {
  it('a unit reporter opens its own table from the menu and sees no link to a unit it may not open', async () => {
    const { page, baseUrl, browserErrors } = harness;
    await harness.signIn(REPORTER.username, REPORTER.password);
    const me = (await pageApi(page, 'GET', '/api/auth/me')).body.user as { organisation: { id: number; name: string } };
    expect(me.organisation.name).toBe('市生态环境局');

    const menu = page.locator('.app-menu');
    await menu.getByRole('menuitem', { name: '本单位汇总表' }).waitFor();
    expect(await menu.getByRole('menuitem', { name: '责任单位' }).count()).toBe(0);
    await menu.getByRole('menuitem', { name: '本单位汇总表' }).click();
    await page.waitForURL(`${baseUrl}/organisations/${me.organisation.id}`);
    await page.getByRole('heading', { level: 2, name: /市生态环境局/ }).waitFor();
    await page.getByText('填报单位：市生态环境局').waitFor();
    expect(await page.getByText('报送单位').count()).toBe(0);
    expect(await menu.locator('.ant-menu-item-selected').innerText()).toBe('本单位汇总表');
    await harness.shot('navigation-own-unit');

    // the register, reached by its address, is the reporter's own table too: the server lists no other unit
    const listed = (await pageApi(page, 'GET', '/api/organisations')).body.organisations as { id: number }[];
    expect(listed.map((organisation) => organisation.id)).toEqual([me.organisation.id]);
    await page.goto('/organisations');
    await page.waitForURL(`${baseUrl}/organisations/${me.organisation.id}`);

    // the pages a reporter reads: the plan, an item the unit leads with cooperating units, and its work list
    const plans = (await pageApi(page, 'GET', '/api/plans')).body.plans as { id: number; year: number }[];
    const planId = plans.find((plan) => plan.year === 2022)!.id;
    const tree = (await pageApi(page, 'GET', `/api/plans/${planId}`)).body as {
      chapters: { tasks: { items: { id: number; work: string }[] }[] }[];
    };
    const itemId = tree.chapters
      .flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))
      .find((item) => item.work === LED_ITEM)!.id;
    const unitLinks = new Set<string>();
    for (const path of [`/plans/${planId}`, `/items/${itemId}`, '/my-work']) {
      await page.goto(path);
      await page.locator('.app-content h2').first().waitFor();
      await page.waitForLoadState('networkidle');
      for (const href of await page
        .locator('a[href^="/organisations/"]')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? '')))
        unitLinks.add(href);
      if (path.startsWith('/items/')) {
        // the cooperating units are named, not linked
        await page.getByText('市发改委').first().waitFor();
        await harness.shot('navigation-item');
      }
    }
    // the reporter's own unit stays a link wherever it is named
    expect(unitLinks.size).toBeGreaterThan(0);
    expect([...unitLinks].every((href) => href.startsWith(`/organisations/${me.organisation.id}`))).toBe(true);
    for (const href of unitLinks) {
      await page.goto(href);
      await page.getByRole('heading', { level: 2, name: /市生态环境局/ }).waitFor();
      expect(await page.getByText('未找到').count()).toBe(0);
    }
    expect(browserErrors).toEqual([]);
  });
});
