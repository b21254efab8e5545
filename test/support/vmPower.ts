// A VM run and powered off as a user does it (runVm, stopVm), waiting for what the host's agent reports.
import { vi } from 'vitest';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type { TestEngine } from './testEngine.ts';

async function lifecycle(t: TestEngine, verb: 'runVm' | 'stopVm', input: Record<string, unknown>): Promise<void> {
  const Type = `${verb[0]!.toUpperCase()}${verb.slice(1)}`;
  const res = await t.gql(
    `mutation($i: ${Type}Input!) { ${verb}(input: $i) { __typename ... on Error { code message }
    ... on Mutation${Type}Success { result { job { id } } } } }`,
    { i: input },
  );
  if (res.data?.[verb]?.__typename !== `Mutation${Type}Success`) throw new Error(`${verb} failed: ${JSON.stringify(res)}`);
}

/** Waits until the VM's status (as monitoring stored it) is `status`. */
export async function vmStatusIs(t: TestEngine, vmGid: string, status: string, timeout = 20_000): Promise<void> {
  const id = decodeGlobalID(vmGid).id;
  await vi.waitFor(
    async () => {
      const vm = await t.engine.db.vm.findUniqueOrThrow({ where: { id } });
      if (vm.status !== status) throw new Error(`VM is ${vm.status}, not ${status}`);
    },
    { timeout, interval: 50 },
  );
}

/** runVm (on `hostId` when given), then waits until the VM is Up. */
export async function runVmUp(t: TestEngine, vmGid: string, hostId?: string): Promise<void> {
  await lifecycle(t, 'runVm', { id: vmGid, ...(hostId ? { host: encodeGlobalID('Host', hostId) } : {}) });
  await vmStatusIs(t, vmGid, 'UP');
}

/** stopVm (power off), then waits until the VM is Down. */
export async function stopVmDown(t: TestEngine, vmGid: string): Promise<void> {
  await lifecycle(t, 'stopVm', { id: vmGid });
  await vmStatusIs(t, vmGid, 'DOWN');
}
