// A host's network layout set as an administrator sets it: through setupNetworks.
import type { TestEngine } from './testEngine.ts';

export interface Layout {
  bonds?: { name: string; mode: 'ACTIVE_BACKUP' | 'LACP'; nics: string[] }[];
  /** Network global id → NIC or bond name. */
  attachments: { network: string; nic: string }[];
}

/** Runs setupNetworks (or, with dryRun, canSetupNetworks); returns the payload: success, error member, or the check. */
export async function setupNetworks(t: TestEngine, hostGid: string, layout: Layout, dryRun = false): Promise<any> {
  const input = { id: hostGid, bonds: layout.bonds ?? [], attachments: layout.attachments };
  const res = dryRun
    ? await t.gql(`query($input: SetupNetworksInput!) { canSetupNetworks(input: $input) { allowed reasons { code message } } }`, { input })
    : await t.gql(
        `mutation($input: SetupNetworksInput!) { setupNetworks(input: $input) {
        __typename ... on Error { code message } ... on ValidationError { reasons { code message } }
        ... on MutationSetupNetworksSuccess { host { id status nics { name bondMode bondName mtu networkAttachments { network { name } vlanId } } } } } }`,
        { input },
      );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return dryRun ? res.data.canSetupNetworks : res.data.setupNetworks;
}

/** The same, failing the test unless it succeeds. */
export async function layOut(t: TestEngine, hostGid: string, layout: Layout): Promise<any> {
  const r = await setupNetworks(t, hostGid, layout);
  if (r.__typename !== 'MutationSetupNetworksSuccess') throw new Error(`setupNetworks failed: ${JSON.stringify(r)}`);
  return r.host;
}
