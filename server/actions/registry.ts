// Every action the API offers, in one list: schema/actionMutations.ts makes each one's mutation
// and `can…` dry run from its `api`. Adding an action: its file, and one line here.
import type { ActionDefinition } from './defineAction.ts';
import { addDataCenter } from './dataCenter/addDataCenter.ts';
import { updateDataCenter } from './dataCenter/updateDataCenter.ts';
import { removeDataCenter } from './dataCenter/removeDataCenter.ts';
import { addHost } from './host/addHost.ts';
import { updateHost } from './host/updateHost.ts';
import { removeHost } from './host/removeHost.ts';
import { issueHostAgentToken } from './host/issueHostAgentToken.ts';
import { maintenanceHost } from './host/maintenanceHost.ts';
import { activateHost } from './host/activateHost.ts';
import { addStorageDomain } from './storage/addStorageDomain.ts';
import { updateStorageDomain } from './storage/updateStorageDomain.ts';
import { removeStorageDomain } from './storage/removeStorageDomain.ts';
import { addNetwork } from './network/addNetwork.ts';
import { updateNetwork } from './network/updateNetwork.ts';
import { removeNetwork } from './network/removeNetwork.ts';
import { addDisk } from './disk/addDisk.ts';
import { resizeDisk } from './disk/resizeDisk.ts';
import { attachDisk } from './disk/attachDisk.ts';
import { detachDisk } from './disk/detachDisk.ts';
import { removeDisk } from './disk/removeDisk.ts';
import { addVm } from './vm/addVm.ts';
import { updateVm } from './vm/updateVm.ts';
import { removeVm } from './vm/removeVm.ts';
import { addCluster } from './cluster/addCluster.ts';
import { updateCluster } from './cluster/updateCluster.ts';
import { removeCluster } from './cluster/removeCluster.ts';
import { addAlertRule } from './alerts/addAlertRule.ts';
import { updateAlertRule } from './alerts/updateAlertRule.ts';
import { removeAlertRule } from './alerts/removeAlertRule.ts';
import { addWebhook } from './webhooks/addWebhook.ts';
import { removeWebhook } from './webhooks/removeWebhook.ts';

// biome-ignore lint/suspicious/noExplicitAny: a list of actions of every params and result type
export const actions: ActionDefinition<any, any>[] = [
  addDataCenter, updateDataCenter, removeDataCenter,
  addCluster, updateCluster, removeCluster,
  addStorageDomain, updateStorageDomain, removeStorageDomain,
  addNetwork, updateNetwork, removeNetwork,
  addVm, updateVm, removeVm,
  addDisk, resizeDisk, attachDisk, detachDisk, removeDisk,
  addHost, updateHost, removeHost, issueHostAgentToken, maintenanceHost, activateHost,
  addAlertRule, updateAlertRule, removeAlertRule,
  addWebhook, removeWebhook,
];
