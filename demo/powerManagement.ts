// The demo's hosts have power management, as a sysadmin's would: a simulated BMC (demo/simulatedBmc.ts)
// with one plug per simulated host, and on each host a fence agent (fence_vireo_sim, found in
// demo/fence) pointing at it, added with addFenceAgent on the first start and its port updated with
// updateFenceAgent on later ones (the BMC listens on a new port each start). So Test, Power off/on,
// Restart and the NonResponsive host's fencing work in the demo as they would with IPMI.
import type { Engine } from '../server/engine.ts';
import { SYSTEM_ACTOR } from '../server/auth/actor.ts';
import { runAction } from '../server/actions/runAction.ts';
import { addFenceAgent } from '../server/actions/fencing/addFenceAgent.ts';
import { updateFenceAgent } from '../server/actions/fencing/updateFenceAgent.ts';
import { SIM_FENCE_TYPE, startSimulatedBmc, type Plug, type SimulatedBmc } from './simulatedBmc.ts';

/** The BMC's log-in: a demo on loopback, so a fixed one the README can name. */
export const DEMO_BMC_CREDENTIALS = { username: 'admin', password: 'demo-bmc' };

export async function startDemoPowerManagement(engine: Engine, plugs: Map<string, { id: string; plug: Plug }>): Promise<SimulatedBmc> {
  const bmc = await startSimulatedBmc(DEMO_BMC_CREDENTIALS);
  for (const [name, { id, plug }] of plugs) {
    bmc.plug(name, plug);
    const settings = { address: bmc.address, port: name, ...DEMO_BMC_CREDENTIALS, options: bmc.options };
    const existing = await engine.db.fenceAgent.findFirst({ where: { hostId: id, type: SIM_FENCE_TYPE } });
    try {
      if (existing) await runAction(engine, SYSTEM_ACTOR, updateFenceAgent, { id: existing.id, ...settings });
      else await runAction(engine, SYSTEM_ACTOR, addFenceAgent, { hostId: id, type: SIM_FENCE_TYPE, ...settings });
    } catch (e) {
      console.error(`demo: could not set the power management of ${name}: ${(e as Error).message}`);
    }
  }
  return bmc;
}
