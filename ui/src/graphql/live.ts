// Live subscriptions (graphql-ws): each sends the current state first, then every change
// (events: only new entries). See resolvers/liveUpdates.ts for the engine side.
import { graphql } from '../gql';

export const HostStatsSubscription = graphql(`
  subscription LiveHostStats($hostId: ID, $clusterId: ID) {
    hostStats(hostId: $hostId, clusterId: $clusterId) {
      hostId clusterId sampledAt cpuUserPercent cpuSysPercent memUsedMb memFreeMb netRxBps netTxBps runningVms
    }
  }
`);

export const VmStatsSubscription = graphql(`
  subscription LiveVmStats($vmId: ID, $hostId: ID, $clusterId: ID) {
    vmStats(vmId: $vmId, hostId: $hostId, clusterId: $clusterId) {
      vmId hostId sampledAt cpuPercent memUsedMb netRxBps netTxBps diskReadBps diskWriteBps guestHostname guestIps
    }
  }
`);

export const HostUpdatedSubscription = graphql(`
  subscription LiveHostUpdated($hostId: ID, $clusterId: ID) {
    hostUpdated(hostId: $hostId, clusterId: $clusterId) {
      id status statusReason spm memoryMb cpuSockets cpuCores
      statistics { cpuUserPercent cpuSysPercent memUsedMb memFreeMb runningVms }
    }
  }
`);

export const VmUpdatedSubscription = graphql(`
  subscription LiveVmUpdated($vmId: ID, $hostId: ID, $clusterId: ID) {
    vmUpdated(vmId: $vmId, hostId: $hostId, clusterId: $clusterId) {
      id status host { id name }
      statistics { cpuPercent memUsedMb guestIps }
    }
  }
`);

export const EventsSubscription = graphql(`
  subscription LiveEvents($severity: [EventSeverity!], $objectType: ObjectType, $objectId: ID) {
    events(severity: $severity, objectType: $objectType, objectId: $objectId) {
      id createdAt severity code message userName vmId hostId clusterId dataCenterId storageDomainId
    }
  }
`);

export const JobProgressSubscription = graphql(`
  subscription LiveJobProgress($jobId: ID!) {
    jobProgress(jobId: $jobId) {
      id actionType description status startedAt endedAt
      steps { id description status progress }
    }
  }
`);

export const RunningJobsQuery = graphql(`
  query RunningJobs {
    jobs(first: 10, status: [STARTED]) { edges { node { id description status } } }
  }
`);

/** The task drawer: every running job (the first 50), and what a Cancel needs. */
export const TaskDrawerQuery = graphql(`
  query TaskDrawer {
    jobs(first: 50, status: [STARTED]) { totalCount edges { node { id actionType description vmId } } }
  }
`);

export const ClusterIdsQuery = graphql(`
  query ClusterIds { clusters(first: 100) { edges { node { id name } } } }
`);
