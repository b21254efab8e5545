import { graphql } from '../gql';

export const DashboardQuery = graphql(`
  query Dashboard {
    dataCenters(first: 50, sortBy: NAME) { totalCount edges { node { id name status } } }
    clusters(first: 0) { totalCount }
    hosts(first: 0) { totalCount }
    hostsUp: hosts(first: 0, filter: { status: [UP] }) { totalCount }
    hostsMaintenance: hosts(first: 0, filter: { status: [MAINTENANCE, PREPARING_FOR_MAINTENANCE] }) { totalCount }
    hostsDown: hosts(first: 0, filter: { status: [DOWN, NON_RESPONSIVE, NON_OPERATIONAL, ERROR, INSTALL_FAILED] }) { totalCount }
    vms(first: 0) { totalCount }
    vmsUp: vms(first: 0, filter: { status: [UP, POWERING_UP, MIGRATING_FROM, MIGRATING_TO, REBOOT_IN_PROGRESS] }) { totalCount }
    vmsDown: vms(first: 0, filter: { status: [DOWN] }) { totalCount }
    vmsTrouble: vms(first: 0, filter: { status: [NOT_RESPONDING, UNKNOWN, IMAGE_ILLEGAL, PAUSED] }) { totalCount }
    storageDomains(first: 100, sortBy: NAME) {
      totalCount
      edges { node { id name status domainType capacityBytes usedBytes freeBytes } }
    }
  }
`);
