// Search, saved searches and tags in Chromium against a real engine: the search box's syntax
// evaluated by the engine and kept in the URL with sort and page (a reload shows the same view),
// what is wrong with a search said in words, saved searches, and tags added on the Tags page and
// put on a VM and a host from their pages.
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import {
  SHOTS,
  adminPage,
  buildUi,
  launchChromium,
  runBrowserTests,
  serveEngineWithUi,
  stopBrowserTest,
  type UiServer,
} from './browser.ts';
import { seriousViolations } from './axe.ts';

describe.skipIf(!runBrowserTests)('search, saved searches and tags in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const prod = await buildInventory(t, 'prod');
    const test = await buildInventory(t, 'test');
    for (const [name, cluster] of [
      ['web01', prod.cluster.id],
      ['web02', prod.cluster.id],
      ['db01', prod.cluster.id],
      ['db02', test.cluster.id],
      ['mail', test.cluster.id],
    ] as const)
      ids[name] = (await mutate(t, 'addVm', { name, cluster }, 'vm')).id;
    for (let i = 1; i <= 27; i++) await mutate(t, 'addVm', { name: `batch${String(i).padStart(2, '0')}`, cluster: test.cluster.id }, 'vm');
    const db = await mutate(t, 'addTag', { name: 'db', colour: '#aa3355' }, 'tag');
    for (const vm of ['db01', 'db02']) await mutate(t, 'tagVm', { vm: ids[vm], tag: db.id }, 'vm');
    ids.node1 = (await mutate(t, 'addHost', { name: 'node1', address: '10.8.0.1', cluster: prod.cluster.id }, 'host')).id;
    ids.node2 = (await mutate(t, 'addHost', { name: 'node2', address: '10.8.0.2', cluster: test.cluster.id }, 'host')).id;
    await mutate(
      t,
      'addStorageDomain',
      { name: 'prod-iso', dataCenter: prod.dc.id, path: 'nfs:/iso', domainType: 'ISO', capacityBytes: 10 * 1024 ** 3 },
      'storageDomain',
    );
    await mutate(t, 'addTemplate', { vm: ids.web01, name: 'tpl-web' }, 'template');
    await mutate(t, 'addTemplate', { vm: ids.mail, name: 'tpl-mail' }, 'template');
    const carol = await mutate(t, 'addUser', { userName: 'carol', password: 'carol-pass-1' }, 'user');
    await mutate(t, 'updateUser', { id: carol.id, active: false }, 'user');
    await mutate(t, 'addUser', { userName: 'dave', displayName: 'Dave Ops', password: 'dave-pass-1' }, 'user');
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await stopBrowserTest(browser, server, t);
  });

  const vmTable = () => page.getByRole('table', { name: 'virtual machines' });
  const names = () => vmTable().locator('tbody tr td[data-col="name"] a').allTextContents();
  const total = () => page.getByTestId('total').textContent();
  const search = () => page.getByLabel('Search VMs');
  /** How many times the page's main text says `text`. */
  const times = async (text: string) => ((await page.locator('main').textContent()) ?? '').split(text).length - 1;

  it('searches VMs in the engine, keeps the search, sort and page in the URL, and a reload shows the same view', async () => {
    await page.goto(`${server.origin}/vms`);
    await expect.poll(total).toBe('1–25 of 32');
    await search().fill('tag=db status=down');
    await expect.poll(names).toEqual(['db01', 'db02']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('tag=db status=down');
    await vmTable().locator('button[data-sort="NAME"]').click();
    await expect.poll(names).toEqual(['db02', 'db01']);
    expect(new URL(page.url()).searchParams.get('dir')).toBe('DESC');
    await page.screenshot({ path: path.join(SHOTS, 'search-vms.png'), fullPage: true });

    await page.reload();
    await expect.poll(names).toEqual(['db02', 'db01']);
    expect(await search().inputValue()).toBe('tag=db status=down');
    await expect(vmTable().locator('th[aria-sort="descending"]').textContent()).resolves.toContain('Name');

    // The second page of a search, reloaded from its link, then back to the first.
    await search().fill('name=batch* cluster=test-cluster');
    await expect.poll(total).toBe('1–25 of 27');
    await vmTable().locator('button[data-sort="NAME"]').click();
    await expect.poll(async () => (await names())[0]).toBe('batch01');
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(total).toBe('26–27 of 27');
    const link = page.url();
    expect(new URL(link).searchParams.getAll('after')).toHaveLength(1);
    const other = await adminPage(browser, t);
    await other.goto(link);
    await expect.poll(() => other.getByTestId('total').textContent()).toBe('26–27 of 27');
    expect(
      await other.getByRole('table', { name: 'virtual machines' }).locator('tbody tr td[data-col="name"] a').allTextContents(),
    ).toEqual(['batch26', 'batch27']);
    await other.getByRole('button', { name: '‹ Previous' }).click();
    await expect.poll(() => other.getByTestId('total').textContent()).toBe('1–25 of 27');
    await other.close();
  });

  it('says in words what is wrong with a search: an unknown key, a bad value', async () => {
    await page.goto(`${server.origin}/vms`);
    await search().fill('colour=red');
    const problem = page.getByTestId('search-problem');
    await expect
      .poll(() => problem.textContent())
      .toBe(
        'Unknown search key "colour": VMs are searched by name, description, status, cluster, datacenter, host, template, tag, os, ha.',
      );
    expect(await problem.getAttribute('role')).toBe('alert');
    await search().fill('status=sleepy');
    await expect.poll(() => problem.textContent()).toMatch(/^status=sleepy matches no status; one of down, .*up/);
    // Said once, by the search box: the table does not repeat the engine's error under it.
    const refused = page.getByTestId('search-refused');
    await expect.poll(() => refused.textContent()).toBe('No virtual machines shown: the search above is not valid.');
    expect(await times(' matches no status')).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'search-problem.png'), fullPage: true });
    await search().fill('name=web*');
    await expect.poll(names).toEqual(['web01', 'web02']);
    expect(await problem.count()).toBe(0);
  });

  it('saves a search under a name, applies it from the list and removes it', async () => {
    await page.goto(`${server.origin}/vms`);
    await search().fill('tag=db');
    await expect.poll(names).toEqual(['db01', 'db02']);
    await page.getByRole('button', { name: 'Save search' }).click();
    await page.getByLabel('Name of the saved search').fill('databases');
    const save = page.getByRole('form', { name: 'Save search' }).getByRole('button', { name: 'Save' });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await save.click();
    const saved = page.getByLabel('Saved searches');
    await expect.poll(() => saved.locator('option:checked').textContent()).toBe('databases');
    const api = await t.gql('{ savedSearches(table: VMS) { name query } }');
    expect(api.data.savedSearches).toEqual([{ name: 'databases', query: 'tag=db' }]);

    await search().fill('mail');
    await expect.poll(names).toEqual(['mail']);
    await saved.selectOption({ label: 'databases' });
    await expect.poll(names).toEqual(['db01', 'db02']);
    expect(await search().inputValue()).toBe('tag=db');
    expect(new URL(page.url()).searchParams.get('q')).toBe('tag=db');

    const remove = page.getByRole('button', { name: 'Remove saved search databases' });
    await expect.poll(() => remove.isEnabled()).toBe(true);
    await remove.click();
    await expect.poll(() => saved.locator('option').allTextContents()).toEqual(['No saved searches']);
    expect((await t.gql('{ savedSearches { name } }')).data.savedSearches).toEqual([]);
  });

  it('adds a tag on the Tags page, puts it on a VM and a host from their pages, and finds them by it', async () => {
    await page.goto(`${server.origin}/tags`);
    const form = page.getByRole('form', { name: 'New tag' });
    await form.getByLabel('Name').fill('frontend');
    await form.getByLabel('Description').fill('public web servers');
    const add = form.getByRole('button', { name: 'Add tag' });
    await expect.poll(() => add.isEnabled()).toBe(true);
    await add.click();
    await page.getByRole('table', { name: 'tags' }).getByText('frontend').waitFor();

    // Edited in its dialog: a bad colour is refused with the field named, a good one kept.
    const row = page.getByRole('table', { name: 'tags' }).locator('tbody tr', { hasText: 'frontend' });
    const edit = row.getByRole('button', { name: 'Edit' });
    await expect.poll(() => edit.isEnabled()).toBe(true);
    await edit.click();
    const dialog = page.getByRole('dialog', { name: 'Edit tag frontend' });
    await dialog.getByLabel('Colour').fill('blue');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('must be a colour #rrggbb').first().waitFor();
    await dialog.getByLabel('Colour').fill('#112233');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const edited = await t.gql('{ tags { name description colour } }');
    expect(edited.data.tags).toContainEqual({ name: 'frontend', description: 'public web servers', colour: '#112233' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'tags-page.png'), fullPage: true });

    await page.goto(`${server.origin}/vms/${ids.web01}`);
    const tags = page.getByRole('region', { name: 'Tags' });
    await tags.getByText('No tags.').waitFor();
    await tags.getByLabel('Tag to add').selectOption({ label: 'frontend' });
    const addTag = tags.getByRole('button', { name: 'Add tag' });
    await expect.poll(() => addTag.isEnabled()).toBe(true);
    await addTag.click();
    await tags.getByRole('button', { name: 'Remove tag frontend' }).waitFor();
    const vmTags = await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { tags { name } } } }', { id: ids.web01 });
    expect(vmTags.data.node.tags).toEqual([{ name: 'frontend' }]);
    await page.screenshot({ path: path.join(SHOTS, 'vm-tags.png'), fullPage: true });

    await page.goto(`${server.origin}/hosts/${ids.node2}`);
    await page.getByRole('region', { name: 'Tags' }).getByLabel('Tag to add').selectOption({ label: 'db' });
    const hostAdd = page.getByRole('region', { name: 'Tags' }).getByRole('button', { name: 'Add tag' });
    await expect.poll(() => hostAdd.isEnabled()).toBe(true);
    await hostAdd.click();
    await page.getByRole('region', { name: 'Tags' }).getByRole('button', { name: 'Remove tag db' }).waitFor();

    await page.goto(`${server.origin}/hosts?q=tag%3Ddb`);
    const hosts = page.getByRole('table', { name: 'hosts' });
    await expect.poll(() => hosts.locator('tbody tr td[data-col="name"] a').allTextContents()).toEqual(['node2']);
    expect(await page.getByLabel('Search hosts').inputValue()).toBe('tag=db');
    // A refused host search, from its link: said once, by the search box.
    await page.goto(`${server.origin}/hosts?q=foo%3Dbar`);
    await expect
      .poll(() => page.getByTestId('search-problem').textContent())
      .toBe('Unknown search key "foo": hosts are searched by name, address, status, cluster, datacenter, tag.');
    await page.getByTestId('search-refused').waitFor();
    expect(await times('Unknown search key "foo"')).toBe(1);

    await page.goto(`${server.origin}/vms?q=tag%3Dfrontend`);
    await expect.poll(names).toEqual(['web01']);
    expect(await vmTable().locator('tbody tr td[data-col="name"] [data-tags]').textContent()).toContain('frontend');

    // Taken off from the VM's page: the search no longer finds it.
    await page.goto(`${server.origin}/vms/${ids.web01}`);
    const removeTag = page.getByRole('region', { name: 'Tags' }).getByRole('button', { name: 'Remove tag frontend' });
    await expect.poll(() => removeTag.isEnabled()).toBe(true);
    await removeTag.click();
    await page.getByRole('region', { name: 'Tags' }).getByText('No tags.').waitFor();
    await page.goto(`${server.origin}/vms?q=tag%3Dfrontend`);
    await expect.poll(total).toBe('0 total');
  });

  it('searches storage domains, templates and users with the same syntax, kept in the URL', async () => {
    const column = (table: string, col: string) =>
      page.getByRole('table', { name: table }).locator(`tbody td[data-col="${col}"]`).allTextContents();
    const domains = async () => (await column('storage domains', 'name')).map((n) => n.replace(' (master)', ''));
    await page.goto(`${server.origin}/storage`);
    await expect.poll(domains).toEqual(['prod-data', 'prod-iso', 'test-data']);
    const sdSearch = page.getByLabel('Search storage domains');
    await sdSearch.fill('type=data datacenter=prod*');
    await expect.poll(domains).toEqual(['prod-data']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('type=data datacenter=prod*');
    await page.reload();
    await expect.poll(domains).toEqual(['prod-data']);
    expect(await sdSearch.inputValue()).toBe('type=data datacenter=prod*');
    await sdSearch.fill('type!=iso master=false');
    await expect.poll(domains).toEqual([]);
    await sdSearch.fill('colour=red');
    await expect
      .poll(() => page.getByTestId('search-problem').textContent())
      .toBe('Unknown search key "colour": storage domains are searched by name, description, status, type, storage, datacenter, master.');
    await page.screenshot({ path: path.join(SHOTS, 'search-storage.png'), fullPage: true });

    // Templates, from a link.
    await page.goto(`${server.origin}/templates?q=cluster%3Dtest-cluster`);
    await expect.poll(() => column('templates', 'name')).toEqual(['tpl-mail']);
    expect(await page.getByLabel('Search templates').inputValue()).toBe('cluster=test-cluster');
    await page.getByLabel('Search templates').fill('tpl-*');
    await expect.poll(() => column('templates', 'name')).toEqual(['tpl-mail', 'tpl-web']);

    // Users: a bare word finds user or display names; enabled=false the disabled ones, saved.
    await page.goto(`${server.origin}/admin/users`);
    const userSearch = page.getByLabel('Search users');
    await userSearch.fill('ops');
    await expect.poll(() => column('users', 'userName')).toEqual(['dave']);
    await userSearch.fill('enabled=false');
    await expect.poll(() => column('users', 'userName')).toEqual(['carol']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('enabled=false');
    await page.getByRole('button', { name: 'Save search' }).click();
    await page.getByLabel('Name of the saved search').fill('disabled');
    const save = page.getByRole('form', { name: 'Save search' }).getByRole('button', { name: 'Save' });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await save.click();
    await expect.poll(() => page.getByLabel('Saved searches').locator('option:checked').textContent()).toBe('disabled');
    expect((await t.gql('{ savedSearches(table: USERS) { name query } }')).data.savedSearches).toEqual([
      { name: 'disabled', query: 'enabled=false' },
    ]);
    await page.reload();
    await expect.poll(() => column('users', 'userName')).toEqual(['carol']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'search-users.png'), fullPage: true });
  });

  it('keeps the Tags page, tags and a refused search free of serious axe-core violations in dark mode', async () => {
    const dark = await adminPage(browser, t, 'dark');
    const found: Record<string, string[]> = {};
    for (const [name, where, ready] of [
      ['tags', '/tags', () => dark.getByRole('table', { name: 'tags' }).getByText('db').waitFor()],
      ['search-problem', '/vms?q=colour%3Dred', () => dark.getByTestId('search-problem').waitFor()],
      [
        'host-tags',
        `/hosts/${ids.node2}`,
        () => dark.getByRole('region', { name: 'Tags' }).getByRole('button', { name: 'Remove tag db' }).waitFor(),
      ],
    ] as const) {
      await dark.goto(`${server.origin}${where}`);
      await ready();
      const serious = await seriousViolations(dark);
      if (serious.length) found[name] = serious.map((v) => `${v.id} (${v.impact}): ${v.targets.join(' | ')}`);
      await dark.screenshot({ path: path.join(SHOTS, `dark-${name}.png`), fullPage: true });
    }
    expect(found).toEqual({});
    await dark.context().close();
  });
});
