// `npm run agent -- --engine http://127.0.0.1:8080/graphql --name host01 --token …`
// One agent per host; the default driver is the simulated hypervisor, `--driver libvirt
// --connect qemu:///system` drives the host's libvirt.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import type { HypervisorDriver } from './driver.ts';
import { LibvirtDriver } from './drivers/libvirt/libvirtDriver.ts';
import { SimulatedHypervisor } from './drivers/simulated.ts';
import { startAgent } from './session.ts';
import { HookedDriver } from './hooks/hookedDriver.ts';
import { HookRunner } from './hooks/hookRunner.ts';
import { agentPidPath, writePid } from './leases/keeperFiles.ts';
import { ensureLeaseKeeper } from './leases/keeperProcess.ts';

const { values } = parseArgs({
  options: {
    // Several engines: repeated, or comma-separated (the agent moves to the next when its engine dies).
    engine: { type: 'string', multiple: true, default: [process.env.VIREO_ENGINE_URL ?? 'http://127.0.0.1:8080/graphql'] },
    name: { type: 'string' },
    token: { type: 'string', default: process.env.VIREO_AGENT_TOKEN },
    interval: { type: 'string', default: '2000', short: 'i' },
    driver: { type: 'string', default: 'simulated' },
    connect: { type: 'string', default: 'qemu:///system' },
    'state-dir': { type: 'string' },
    'hooks-dir': { type: 'string' },
    'migration-uri': { type: 'string' },
    'migration-address': { type: 'string' },
    nics: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'boot-ms': { type: 'string', default: '4000' },
    'copy-ms': { type: 'string', default: '0' },
  },
});

if (!values.name || !values.token || !['simulated', 'libvirt'].includes(values.driver)) {
  console.error('usage: npm run agent -- --engine URL[,URL…] --name HOST --token TOKEN [--interval MS]');
  console.error(
    '         [--driver simulated [--seed N] [--boot-ms MS] [--copy-ms MS] | --driver libvirt [--connect URI] [--state-dir DIR] [--nics NIC,NIC…]',
  );
  console.error(
    '         [--migration-uri URI --migration-address ADDRESS]]  (where other hosts reach this libvirt; default qemu+tcp://HOSTNAME/system, HOSTNAME)',
  );
  console.error('  (--nics: the host NICs Vireo owns and builds bridges, bonds and VLANs on; default: every NIC)');
  console.error('  [--hooks-dir DIR]  (VDSM hooks, a folder per event; default: hooks in the state dir, /var/lib/vireo-agent/HOST/hooks)');
  console.error('  (the token can also come from VIREO_AGENT_TOKEN; an administrator issues it with issueHostAgentToken)');
  process.exit(2);
}

const stateDir = values['state-dir'] ?? `/var/lib/vireo-agent/${values.name}`;
let driver: HypervisorDriver;
let close = () => {};
if (values.driver === 'libvirt') {
  const address = values['migration-address'] ?? hostname();
  const libvirt = new LibvirtDriver({
    uri: values.connect,
    stateDir,
    migration: { uri: values['migration-uri'] ?? `qemu+tcp://${address}/system`, address },
    ...(values.nics
      ? {
          nics: values.nics
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean),
        }
      : {}),
  });
  driver = libvirt;
  close = () => libvirt.close();
  // QEMU outlives this process: a keeper of the VM leases renews them while no agent does.
  const hostName = values.name;
  writePid(agentPidPath(hostName));
  const keeper = () => ensureLeaseKeeper(hostName, values.connect, (m) => console.log(`[agent ${hostName}] ${m}`));
  keeper();
  setInterval(keeper, 5000).unref();
} else {
  driver = new SimulatedHypervisor({
    hostName: values.name,
    seed: Number(values.seed),
    bootMs: Number(values['boot-ms']),
    copyMs: Number(values['copy-ms']),
  });
}
const hooksDir = values['hooks-dir'] ?? `${stateDir}/hooks`;
const agent = startAgent({
  engineUrl: values.engine,
  hostName: values.name,
  token: values.token,
  driver: new HookedDriver(driver, new HookRunner({ dir: hooksDir })),
  intervalMs: Number(values.interval),
});
console.log(
  `[agent ${values.name}] ${values.driver === 'libvirt' ? `libvirt at ${values.connect}, ` : ''}hooks in ${hooksDir}, reporting to ${values.engine.join(', ')} every ${values.interval} ms`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(
    signal,
    () =>
      void agent.stop().then(() => {
        close();
        process.exit(0);
      }),
  );
