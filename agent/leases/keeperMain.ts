// `node --import tsx agent/leases/keeperMain.ts --name HOST --connect URI`: a host's lease keeper
// (leaseKeeper.ts). Its agent starts it (keeperProcess.ts); it ends by itself.
import { parseArgs } from 'node:util';
import { VirshDomains } from '../drivers/libvirt/virshDomains.ts';
import { runLeaseKeeper } from './leaseKeeper.ts';

const { values } = parseArgs({ options: { name: { type: 'string' }, connect: { type: 'string' } } });
if (!values.name || !values.connect) {
  console.error('usage: keeperMain.ts --name HOST --connect LIBVIRT_URI');
  process.exit(2);
}
const hostName = values.name;
const log = (m: string) => console.log(`${new Date().toISOString()} [lease keeper ${hostName}] ${m}`);
// Stopped by hand: the leases it renews expire after their timeout (what a dead host's would do).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    log(`stopped by ${signal}`);
    process.exit(1);
  });
await runLeaseKeeper({ hostName, driver: new VirshDomains(values.connect), log });
