/**
 * Browser test of the organisation register as the supervision office keeps it: a new unit with aliases, a rename
 * that keeps the old name, the merge of a duplicate record with its account moved over, and retiring a unit.
 */
import { describe, expect, it } from 'vitest';
import { signIn, SUPERVISOR, useHarness } from './harness.js';

const harness = useHarness();

interface Record_ {
  id: number;
  name: string;
  aliases: string[];
  userCount: number;
  mergedInto: { name: string } | null;
  active: boolean;
}

const register = async () => (await harness.apiJson<{ organisations: Record_[] }>('/api/organisations?includeMerged=true')).organisations;

describe('单位名录', () => {
  it('the office adds a duplicate unit, then merges it into the real one after seeing what would move', async () => {
    const { page, browserErrors } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password, '/organisations');
    await page.getByRole('button', { name: '新建单位' }).click();
    const create = page.getByRole('dialog', { name: '新建单位' });
    await create.getByLabel('规范名称').fill('市环保局');
    await create.getByLabel('别名').fill('环保局');
    await create.getByLabel('别名').press('Enter');
    await create.getByRole('button', { name: '创 建' }).click();
    await create.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('link', { name: '市环保局', exact: true }).count()).toBe(1);

    // the duplicate already has an account, which must follow the merge
    await harness.addUser({ username: 'hbj-old', organisation: '市环保局', role: 'unit_reporter', password: 'Old-Bureau-2030' });

    await page.getByLabel('搜索单位名称或别名').fill('环保');
    await page.getByRole('button', { name: '合并市环保局' }).click();
    const merge = page.getByRole('dialog', { name: '合并单位：市环保局' });
    await merge.getByLabel('并入单位').fill('市生态环境局');
    await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: '市生态环境局' }).first().click();
    await merge.getByText('将移到所选单位').waitFor();
    await expect
      .poll(() =>
        merge.locator('.ant-descriptions-item-label', { hasText: '用户账户' }).locator('xpath=following-sibling::td[1]').innerText(),
      )
      .toBe('1');
    await harness.shot('organisation-merge');
    await merge.getByRole('button', { name: '确认合并' }).click();
    await merge.waitFor({ state: 'hidden' });

    await expect.poll(() => page.getByRole('link', { name: '市环保局', exact: true }).count()).toBe(0);
    const records = await register();
    const ecology = records.find((record) => record.name === '市生态环境局')!;
    expect(ecology.aliases).toEqual(expect.arrayContaining(['市环保局', '环保局']));
    expect(records.find((record) => record.name === '市环保局')).toMatchObject({ mergedInto: { name: '市生态环境局' }, userCount: 0 });

    // the old account now belongs to 市生态环境局 and sees its items
    await signIn(page, 'hbj-old', 'Old-Bureau-2030');
    await expect.poll(() => page.locator('.app-user').innerText()).toContain('市生态环境局');
    expect(browserErrors).toEqual([]);
  });

  it('renaming a unit keeps its old name as an alias unless told otherwise', async () => {
    const { page } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password, '/organisations');
    await page.getByLabel('搜索单位名称或别名').fill('市科技局');
    await page.getByRole('button', { name: '修改市科技局' }).click();
    const edit = page.getByRole('dialog', { name: '修改单位：市科技局' });
    await edit.getByLabel('规范名称').fill('市科学技术局');
    await edit.getByText('保留旧名称“市科技局”作为别名').waitFor();
    await harness.shot('organisation-edit');
    await edit.getByRole('button', { name: '保 存' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect
      .poll(async () => (await register()).find((record) => record.name === '市科学技术局')?.aliases)
      .toEqual(expect.arrayContaining(['市科技局']));
  });

  it('retiring a unit is the switch turned off and saved: the server takes it as the explicit confirmation', async () => {
    const { page, browserErrors } = harness;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password, '/organisations');
    await page.getByLabel('搜索单位名称或别名').fill('市科学技术局');
    await page.getByRole('button', { name: '修改市科学技术局' }).click();
    const edit = page.getByRole('dialog', { name: '修改单位：市科学技术局' });
    await edit.getByRole('switch').click();
    await edit.getByText('已撤销（保留历史记录，不再用于新的分工）').waitFor();
    await edit.getByRole('button', { name: '保 存' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.locator('.ant-table-row', { hasText: '市科学技术局' }).getByText('已撤销').waitFor();
    await harness.shot('organisation-retired');
    expect((await register()).find((record) => record.name === '市科学技术局')).toMatchObject({ active: false });
    expect(browserErrors).toEqual([]);
  });
});
