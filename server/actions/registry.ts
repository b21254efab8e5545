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
import { removeIsoImage } from './iso/removeIsoImage.ts';
import { refreshIsoImages } from './iso/refreshIsoImages.ts';
import { addNetwork } from './network/addNetwork.ts';
import { updateNetwork } from './network/updateNetwork.ts';
import { removeNetwork } from './network/removeNetwork.ts';
import { addDisk } from './disk/addDisk.ts';
import { resizeDisk } from './disk/resizeDisk.ts';
import { attachDisk } from './disk/attachDisk.ts';
import { detachDisk } from './disk/detachDisk.ts';
import { removeDisk } from './disk/removeDisk.ts';
import { moveDisk } from './disk/moveDisk.ts';
import { copyDisk } from './disk/copyDisk.ts';
import { addVm } from './vm/addVm.ts';
import { updateVm } from './vm/updateVm.ts';
import { changeVmCd } from './vm/changeVmCd.ts';
import { removeVm } from './vm/removeVm.ts';
import { addVmNic } from './vm/nic/addVmNic.ts';
import { updateVmNic } from './vm/nic/updateVmNic.ts';
import { removeVmNic } from './vm/nic/removeVmNic.ts';
import { cloneVm } from './vm/cloneVm.ts';
import { addCluster } from './cluster/addCluster.ts';
import { updateCluster } from './cluster/updateCluster.ts';
import { removeCluster } from './cluster/removeCluster.ts';
import { addAlertRule } from './alerts/addAlertRule.ts';
import { updateAlertRule } from './alerts/updateAlertRule.ts';
import { removeAlertRule } from './alerts/removeAlertRule.ts';
import { addWebhook } from './webhooks/addWebhook.ts';
import { removeWebhook } from './webhooks/removeWebhook.ts';
import { addUser } from './auth/addUser.ts';
import { updateUser } from './auth/updateUser.ts';
import { removeUser } from './auth/removeUser.ts';
import { addGroup } from './auth/addGroup.ts';
import { removeGroup } from './auth/removeGroup.ts';
import { addGroupMember } from './auth/addGroupMember.ts';
import { removeGroupMember } from './auth/removeGroupMember.ts';
import { addRole } from './auth/addRole.ts';
import { removeRole } from './auth/removeRole.ts';
import { addPermission } from './auth/addPermission.ts';
import { removePermission } from './auth/removePermission.ts';
import { createApiToken } from './auth/createApiToken.ts';
import { revokeApiToken } from './auth/revokeApiToken.ts';
import { createSnapshot } from './snapshot/createSnapshot.ts';
import { previewSnapshot } from './snapshot/previewSnapshot.ts';
import { commitSnapshot } from './snapshot/commitSnapshot.ts';
import { undoSnapshot } from './snapshot/undoSnapshot.ts';
import { restoreSnapshot } from './snapshot/restoreSnapshot.ts';
import { removeSnapshot } from './snapshot/removeSnapshot.ts';
import { addTemplate } from './template/addTemplate.ts';
import { addVmFromTemplate } from './template/addVmFromTemplate.ts';
import { removeTemplate } from './template/removeTemplate.ts';
import { runVm } from './vm/lifecycle/runVm.ts';
import { stopVm } from './vm/lifecycle/stopVm.ts';
import { shutdownVm } from './vm/lifecycle/shutdownVm.ts';
import { rebootVm } from './vm/lifecycle/rebootVm.ts';
import { pauseVm } from './vm/lifecycle/pauseVm.ts';
import { resumeVm } from './vm/lifecycle/resumeVm.ts';
import { suspendVm } from './vm/lifecycle/suspendVm.ts';
import { migrateVm } from './vm/lifecycle/migrateVm.ts';
import { cancelMigrateVm } from './vm/lifecycle/cancelMigrateVm.ts';
import { consoleTicket } from './vm/consoleTicket.ts';
import { setupNetworks } from './host/setupNetworks.ts';
import { addFenceAgent } from './fencing/addFenceAgent.ts';
import { updateFenceAgent } from './fencing/updateFenceAgent.ts';
import { removeFenceAgent } from './fencing/removeFenceAgent.ts';
import { testFenceAgent } from './fencing/testFenceAgent.ts';
import { fenceHost } from './fencing/fenceHost.ts';
import { confirmHostRebooted } from './fencing/confirmHostRebooted.ts';
import { addReportSchedule } from './reports/addReportSchedule.ts';
import { removeReportSchedule } from './reports/removeReportSchedule.ts';
import { importReportSchedules } from './reports/importReportSchedules.ts';
import { addAffinityGroup } from './affinity/addAffinityGroup.ts';
import { updateAffinityGroup } from './affinity/updateAffinityGroup.ts';
import { removeAffinityGroup } from './affinity/removeAffinityGroup.ts';
import { addTag } from './tag/addTag.ts';
import { updateTag } from './tag/updateTag.ts';
import { removeTag } from './tag/removeTag.ts';
import { tagHost, tagVm, untagHost, untagVm } from './tag/tagAssignment.ts';
import { saveSearch } from './search/saveSearch.ts';
import { removeSavedSearch } from './search/removeSavedSearch.ts';

// biome-ignore lint/suspicious/noExplicitAny: a list of actions of every params and result type
export const actions: ActionDefinition<any, any>[] = [
  addDataCenter,
  updateDataCenter,
  removeDataCenter,
  addCluster,
  updateCluster,
  removeCluster,
  addAffinityGroup,
  updateAffinityGroup,
  removeAffinityGroup,
  addStorageDomain,
  updateStorageDomain,
  removeStorageDomain,
  removeIsoImage,
  refreshIsoImages,
  addNetwork,
  updateNetwork,
  removeNetwork,
  addVm,
  updateVm,
  changeVmCd,
  removeVm,
  addVmNic,
  updateVmNic,
  removeVmNic,
  cloneVm,
  addDisk,
  resizeDisk,
  attachDisk,
  detachDisk,
  removeDisk,
  moveDisk,
  copyDisk,
  addHost,
  updateHost,
  removeHost,
  issueHostAgentToken,
  maintenanceHost,
  activateHost,
  setupNetworks,
  addFenceAgent,
  updateFenceAgent,
  removeFenceAgent,
  testFenceAgent,
  fenceHost,
  confirmHostRebooted,
  runVm,
  stopVm,
  shutdownVm,
  rebootVm,
  pauseVm,
  resumeVm,
  suspendVm,
  migrateVm,
  cancelMigrateVm,
  consoleTicket,
  addAlertRule,
  updateAlertRule,
  removeAlertRule,
  addWebhook,
  removeWebhook,
  addUser,
  updateUser,
  removeUser,
  addGroup,
  removeGroup,
  addGroupMember,
  removeGroupMember,
  addRole,
  removeRole,
  addPermission,
  removePermission,
  createApiToken,
  revokeApiToken,
  createSnapshot,
  previewSnapshot,
  commitSnapshot,
  undoSnapshot,
  restoreSnapshot,
  removeSnapshot,
  addTemplate,
  addVmFromTemplate,
  removeTemplate,
  addReportSchedule,
  removeReportSchedule,
  importReportSchedules,
  addTag,
  updateTag,
  removeTag,
  tagVm,
  untagVm,
  tagHost,
  untagHost,
  saveSearch,
  removeSavedSearch,
];
