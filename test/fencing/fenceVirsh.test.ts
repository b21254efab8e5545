// Power management through Debian's real fence_virsh (package fence-agents): it logs in over ssh
// (an sshd of the test's own on 127.0.0.1 with generated keys, key login only) and runs virsh on a
// libvirt domain of the tiny test guest, which stands for the simulated host's machine. Through the
// GraphQL API: the Test button answers ON, fenceHost OFF really shuts the domain off and ON starts
// it again (per `virsh domstate`), and neither the private key nor its text shows in events or
// answers. Where fence_virsh, sshd or libvirt is missing the tests say why in their title (and
// fail in CI).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildGuest, requireLibvirt, root, startLibvirtd, type Libvirtd } from '../support/libvirt.ts';
import { SSHD, startSshServer, type SshServer } from '../support/sshServer.ts';
import { act, jobEnds, startLab, type Lab } from '../vm/lifecycleSupport.ts';
import { mutate } from '../support/inventory.ts';

const run = promisify(execFile);
const FENCE_VIRSH = '/usr/sbin/fence_virsh';

/** Why fence_virsh cannot be tried here, or null. */
function missing(): string | null {
  const libvirt = requireLibvirt();
  if (!libvirt.run) return libvirt.reason;
  for (const [file, pkg] of [
    [FENCE_VIRSH, 'fence-agents'],
    [SSHD, 'openssh-server'],
  ] as const)
    if (!existsSync(file)) return `${file} is missing (package ${pkg}; bash .ci/peers.sh installs it)`;
  return null;
}
const why = missing();
if (why && process.env.CI === 'true') throw new Error(`CI needs fence_virsh, sshd and libvirt: ${why}`);

const DOMAIN = 'vireo-fence-virsh';
// fence_virsh's own ssh options (a shell whose prompt it knows), with the test's host key pinned.
const PROMPT_SHELL = `-t '/bin/bash -c "PS1=\\\\[EXPECT\\\\]# /bin/bash --noprofile --norc"'`;

describe.skipIf(!!why)(`fence_virsh over ssh on a libvirt domain${why ? ` (not run: ${why})` : ''}`, () => {
  let t: TestEngine;
  let lab: Lab;
  let lv: Libvirtd;
  let ssh: SshServer;
  let work: string;
  const answers: unknown[] = [];

  const domstate = async () => (await run('virsh', ['-c', lv.uri, 'domstate', DOMAIN])).stdout.trim();
  async function gql(query: string, variables: Record<string, unknown>) {
    const res = await t.gql(query, variables);
    answers.push(res);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  }
  async function fence(action: string) {
    const data = await gql(
      `mutation($i: FenceHostInput!) { fenceHost(input: $i) { __typename
        ... on MutationFenceHostSuccess { result { action power agent host { status poweredOff } } }
        ... on Error { code message } ... on ValidationError { reasons { code message } } } }`,
      { i: { host: lab.hosts[0]!.gid, action } },
    );
    return data.fenceHost;
  }

  beforeAll(async () => {
    const guest = buildGuest();
    lv = await startLibvirtd(path.join(root, '.cache/libvirt-test/lv4'), 4);
    work = mkdtempSync(path.join(tmpdir(), 'vireo-fence-virsh-'));
    const xml = path.join(work, 'domain.xml');
    writeFileSync(
      xml,
      `<domain type='qemu'><name>${DOMAIN}</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>${guest.kernel}</kernel><initrd>${guest.initrd}</initrd>
  <cmdline>console=ttyS0 quiet</cmdline></os>
  <on_poweroff>destroy</on_poweroff><devices><serial type='file'><source path='${work}/console.log'/></serial><memballoon model='none'/></devices></domain>`,
    );
    await run('virsh', ['-c', lv.uri, 'define', xml]);
    ssh = await startSshServer({ LIBVIRT_DEFAULT_URI: lv.uri });
    t = await startTestEngine({ engine: { fencing: { timeoutMs: 60_000 } } });
    lab = await startLab(t, 'fv', 1);
  }, 300_000);

  afterAll(async () => {
    await lab?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
    await ssh?.stop();
    if (lv) {
      await run('virsh', ['-c', lv.uri, 'destroy', DOMAIN]).catch(() => {});
      await run('virsh', ['-c', lv.uri, 'undefine', DOMAIN]).catch(() => {});
      await lv.stop();
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('Test and STATUS answer the domain’s power; OFF shuts it off, ON starts it again', async () => {
    await run('virsh', ['-c', lv.uri, 'start', DOMAIN]);
    expect(await domstate()).toBe('running');
    const agent = await mutate(
      t,
      'addFenceAgent',
      {
        host: lab.hosts[0]!.gid,
        type: 'virsh',
        address: '127.0.0.1',
        port: DOMAIN,
        username: 'root',
        options: [
          { key: 'ipport', value: String(ssh.port) },
          { key: 'ssh', value: '1' },
          { key: 'identity_file', value: ssh.identityFile },
          { key: 'ssh_options', value: `-o UserKnownHostsFile=${ssh.knownHosts} -o StrictHostKeyChecking=yes ${PROMPT_SHELL}` },
          // fence_virsh gives a login 5 s and a command 3 s by default: too short on a busy 2-core machine.
          { key: 'login_timeout', value: '30' },
          { key: 'shell_timeout', value: '30' },
        ],
      },
      'fenceAgent',
    );
    const started = Date.now();
    const tested = await gql(
      `mutation($i: TestFenceAgentInput!) { testFenceAgent(input: $i) { __typename
        ... on MutationTestFenceAgentSuccess { result { power } } ... on Error { code message } } }`,
      { i: { id: agent.id } },
    );
    console.log(`fence_virsh status over ssh: ${Date.now() - started} ms`);
    expect(tested.testFenceAgent).toEqual({ __typename: 'MutationTestFenceAgentSuccess', result: { power: 'ON' } });
    expect(await fence('STATUS')).toMatchObject({
      result: { action: 'STATUS', power: 'ON', agent: `fence_virsh at 127.0.0.1 port ${DOMAIN}` },
    });

    // Powered off from maintenance: the domain is shut off, the host stays in maintenance, marked off.
    const maintenance = await act(t, 'maintenanceHost', { id: lab.hosts[0]!.gid });
    expect((await jobEnds(t, maintenance.result.job.id, 30_000)).status).toBe('FINISHED');
    let at = Date.now();
    expect(await fence('OFF')).toMatchObject({ result: { power: 'OFF', host: { status: 'MAINTENANCE', poweredOff: true } } });
    console.log(`fence_virsh off (destroy, then status): ${Date.now() - at} ms`);
    expect(await domstate()).toBe('shut off');

    at = Date.now();
    expect(await fence('ON')).toMatchObject({ result: { power: 'ON', host: { status: 'MAINTENANCE', poweredOff: false } } });
    console.log(`fence_virsh on (start): ${Date.now() - at} ms`);
    expect(await domstate()).toBe('running');

    // The key shows nowhere: not in the answers, not in the event log.
    const events = await t.engine.db.auditLog.findMany({ where: { hostId: lab.hosts[0]!.id } });
    expect(events.map((e) => e.code)).toEqual(expect.arrayContaining(['FENCE_HOST_STATUS', 'FENCE_HOST_OFF', 'FENCE_HOST_ON']));
    const body = ssh.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));
    const seen = JSON.stringify([answers, events]);
    for (const line of body) expect(seen).not.toContain(line);
  });
});
