// VDSM's hook semantics: name order, executables only, the XML file shared along the chain, the
// custom properties in the environment, and failures (exit 1 goes on, exit 2 stops, before_* throws).
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedHypervisor } from '../drivers/simulated.ts';
import { HookedDriver } from './hookedDriver.ts';
import { HookError, HookRunner } from './hookRunner.ts';

let dir: string;
let trace: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-test-'));
  trace = path.join(dir, 'trace');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function hook(event: string, name: string, body: string, mode = 0o755) {
  await mkdir(path.join(dir, event), { recursive: true });
  const file = path.join(dir, event, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, mode);
}

const runner = () => new HookRunner({ dir, log: () => {} });
const traced = async () => (await readFile(trace, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

describe('HookRunner', () => {
  it('runs the executables of the event folder in name order, skipping other files', async () => {
    await hook('before_vm_start', '20_second', `echo second >> ${trace}`);
    await hook('before_vm_start', '10_first', `echo first >> ${trace}`);
    await hook('before_vm_start', '15_not_executable', `echo never >> ${trace}`, 0o644);
    await mkdir(path.join(dir, 'before_vm_start', '12_a_folder'));
    await hook('after_vm_start', '00_other_event', `echo other >> ${trace}`);
    const r = await runner().run('before_vm_start', '<domain/>', { vmId: 'x' });
    expect(r.errors).toEqual([]);
    expect(await traced()).toEqual(['first', 'second']);
  });

  it('gives each hook the XML file in _hook_domxml, the custom properties and vmId; a rewrite is seen by the next hook and returned', async () => {
    await hook('before_vm_start', '10_env', `echo "$vmId $macspoof $sap_agent" >> ${trace}`);
    await hook('before_vm_start', '20_rewrite', `sed -i 's|<memory>1</memory>|<memory>2</memory>|' "$_hook_domxml"`);
    await hook('before_vm_start', '30_sees_rewrite', `grep -c '<memory>2</memory>' "$_hook_domxml" >> ${trace}`);
    const r = await runner().run('before_vm_start', '<domain><memory>1</memory></domain>', {
      macspoof: 'true',
      sap_agent: 'on',
      vmId: 'vm-1',
    });
    expect(await traced()).toEqual(['vm-1 true on', '1']);
    expect(r.xml).toBe('<domain><memory>2</memory></domain>');
  });

  it('exit 1 is an error and the next hooks still run; exit 2 stops them; before() throws the last error', async () => {
    await hook('before_vm_hibernate', '10_fails', `echo "no room for the memory image" >&2; exit 1`);
    await hook('before_vm_hibernate', '20_runs', `echo ran >> ${trace}`);
    await hook('before_vm_hibernate', '30_stops', `echo "stop here" >&2; exit 2`);
    await hook('before_vm_hibernate', '40_skipped', `echo skipped >> ${trace}`);
    const r = await runner().run('before_vm_hibernate', '<domain/>', { vmId: 'x' });
    expect(r.errors).toEqual([
      'before_vm_hibernate hook 10_fails failed: no room for the memory image',
      'before_vm_hibernate hook 30_stops failed: stop here',
    ]);
    expect(await traced()).toEqual(['ran']);
    await expect(runner().before('before_vm_hibernate', '<domain/>', { vmId: 'x' })).rejects.toThrow(
      new HookError('before_vm_hibernate hook 30_stops failed: stop here'),
    );
  });

  it('a hook that says nothing on failure is named with its exit status; a hung one is killed', async () => {
    await hook('before_vm_start', '10_silent', 'exit 3');
    await hook('before_vm_start', '20_hangs', 'sleep 30');
    const r = await new HookRunner({ dir, log: () => {}, timeoutMs: 300 }).run('before_vm_start', '', {});
    expect(r.errors[0]).toBe('before_vm_start hook 10_silent failed: exited with status 3');
    expect(r.errors[1]).toMatch(/^before_vm_start hook 20_hangs failed: \(killed after 0 s\)/);
  });

  it('lists the installed hooks per event with their SHA-256', async () => {
    await hook('before_vm_start', '50_hugepages', 'true');
    await hook('after_vm_destroy', '10_cleanup', 'true');
    await hook('after_vm_destroy', 'README', 'true', 0o644);
    expect(await runner().installed()).toEqual([
      { event: 'after_vm_destroy', name: '10_cleanup', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { event: 'before_vm_start', name: '50_hugepages', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(await new HookRunner({ dir: path.join(dir, 'none') }).installed()).toEqual([]);
  });
});

describe('HookedDriver', () => {
  const spec = {
    id: '6f1c2a5e-6a57-4a39-9f35-6e2a7f0a1b01',
    name: 'hooked',
    memoryMb: 512,
    vcpus: 1,
    osType: 'other_linux',
    customProperties: { macspoof: 'true' },
  };

  it('starts from the XML the before_vm_start hooks left, then runs after_vm_start', async () => {
    await hook('before_vm_start', '10_rename', `sed -i 's|<name>hooked</name>|<name>renamed</name>|' "$_hook_domxml"`);
    await hook('after_vm_start', '10_seen', `grep -o '<name>[a-z]*</name>' "$_hook_domxml" >> ${trace}; echo "$macspoof" >> ${trace}`);
    const sim = new SimulatedHypervisor({ hostName: 'h', bootMs: 10 });
    const start = vi.spyOn(sim, 'start');
    const driver = new HookedDriver(sim, runner());
    await driver.start(spec);
    expect(start.mock.calls[0]![1]!.domainXml).toContain('<name>renamed</name>');
    await vi.waitFor(async () => expect(await traced()).toEqual(['<name>renamed</name>', 'true']));
  });

  it('a failing before_vm_start hook fails the start with its stderr and nothing is defined', async () => {
    await hook('before_vm_start', '10_refuse', `echo "hugepages: not enough free pages" >&2; exit 1`);
    const sim = new SimulatedHypervisor({ hostName: 'h', bootMs: 10 });
    const driver = new HookedDriver(sim, runner());
    await expect(driver.start(spec)).rejects.toThrow('before_vm_start hook 10_refuse failed: hugepages: not enough free pages');
    expect(await driver.listDomains()).toEqual([]);
  });

  it('runs after_vm_destroy once when a domain stops, and lists the hooks in its capabilities', async () => {
    await hook('after_vm_destroy', '10_cleanup', `echo "destroyed $vmId $macspoof" >> ${trace}`);
    const sim = new SimulatedHypervisor({ hostName: 'h', bootMs: 10 });
    const driver = new HookedDriver(sim, runner());
    await driver.start(spec);
    await driver.destroy(spec.id);
    await driver.stats();
    await driver.stats();
    await vi.waitFor(async () => expect(await traced()).toEqual([`destroyed ${spec.id} true`]));
    expect((await driver.capabilities()).hooks).toEqual([{ event: 'after_vm_destroy', name: '10_cleanup', checksum: expect.any(String) }]);
  });

  it('a failing before_vm_migrate_source hook keeps the VM where it is', async () => {
    await hook('before_vm_migrate_source', '10_pinned', `echo "pinned to this host" >&2; exit 1`);
    const sim = new SimulatedHypervisor({ hostName: 'h', bootMs: 10 });
    const driver = new HookedDriver(sim, runner());
    await driver.start(spec);
    await new Promise((r) => setTimeout(r, 300));
    await expect(driver.describeForMigration(spec.id)).rejects.toThrow(
      'before_vm_migrate_source hook 10_pinned failed: pinned to this host',
    );
    expect((await driver.listDomains())[0]!.state).toBe('UP');
  });

  it("the destination's hooks rewrite what the source's left; the source sends the result", async () => {
    const tagName = (tag: string) => `sed -i 's|<name>\\([a-z-]*\\)</name>|<name>\\1-${tag}</name>|' "$_hook_domxml"`;
    await hook('before_vm_migrate_source', '10_tag', tagName('src'));
    const sourceSim = new SimulatedHypervisor({ hostName: 'a', bootMs: 10 });
    const source = new HookedDriver(sourceSim, runner());
    await source.start(spec);
    const sent = await source.describeForMigration(spec.id);
    expect(sent).toContain('<name>hooked-src</name>');

    const destinationHooks = path.join(dir, 'destination');
    await mkdir(path.join(destinationHooks, 'before_vm_migrate_destination'), { recursive: true });
    await writeFile(path.join(destinationHooks, 'before_vm_migrate_destination', '10_tag'), `#!/bin/sh\n${tagName('dst')}\n`, {
      mode: 0o755,
    });
    const destination = new HookedDriver(
      new SimulatedHypervisor({ hostName: 'b', bootMs: 10 }),
      new HookRunner({ dir: destinationHooks, log: () => {} }),
    );
    const accepted = await destination.start(spec, { incomingMigration: true, domainXml: sent });
    expect(accepted).toContain('<name>hooked-src-dst</name>');

    const migrate = vi.spyOn(sourceSim, 'migrate').mockResolvedValue();
    await source.migrate(spec.id, 'b', undefined, accepted as string);
    expect((migrate.mock.calls[0] as unknown[])[3]).toContain('<name>hooked-src-dst</name>');
    await source.migrate(spec.id, 'b', undefined, await sourceSim.currentDescription(spec.id));
    expect((migrate.mock.calls[1] as unknown[])[3]).toBeUndefined(); // unchanged: the running definition goes as it is
  });

  it('hibernate and restore run their before/after hooks; the dehibernate rewrite is what the memory is restored with', async () => {
    for (const event of ['before_vm_hibernate', 'after_vm_hibernate', 'before_vm_dehibernate', 'after_vm_dehibernate']) {
      await hook(event, '10_trace', `echo "${event} $vmId" >> ${trace}`);
    }
    await hook('before_vm_dehibernate', '20_rename', `sed -i 's|<name>hooked</name>|<name>restored</name>|' "$_hook_domxml"`);
    const sim = new SimulatedHypervisor({ hostName: 'h', bootMs: 10 });
    const driver = new HookedDriver(sim, runner());
    await driver.start(spec);
    await vi.waitFor(async () => expect((await driver.listDomains())[0]!.state).toBe('UP'));
    await driver.hibernate(spec.id);
    await vi.waitFor(async () => expect(await traced()).toEqual([`before_vm_hibernate ${spec.id}`, `after_vm_hibernate ${spec.id}`]));
    await vi.waitFor(async () => expect((await driver.stats()).domains.filter((d) => d.state !== 'DOWN')).toEqual([]));
    const start = vi.spyOn(sim, 'start');
    await driver.start(spec, { restoreState: true });
    expect(start.mock.calls[0]![1]).toMatchObject({ restoreState: true, domainXml: expect.stringContaining('<name>restored</name>') });
    await vi.waitFor(async () =>
      expect((await traced()).slice(2)).toEqual([`before_vm_dehibernate ${spec.id}`, `after_vm_dehibernate ${spec.id}`]),
    );
  });

  it('a failing before_vm_dehibernate hook leaves the VM suspended: nothing is restored', async () => {
    await hook('before_vm_dehibernate', '10_refuse', `echo "license server unreachable" >&2; exit 1`);
    const sim = new SimulatedHypervisor({ hostName: 'h', bootMs: 10 });
    const driver = new HookedDriver(sim, runner());
    const start = vi.spyOn(sim, 'start');
    await expect(driver.start(spec, { restoreState: true })).rejects.toThrow(
      'before_vm_dehibernate hook 10_refuse failed: license server unreachable',
    );
    expect(start).not.toHaveBeenCalled();
  });
});
