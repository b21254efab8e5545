import { graphql } from '../gql';

/** DC → cluster → host in one request, capped to stay under the engine's complexity limit
 * (10 × 20 × 40); a host's VMs load when it is opened. */
export const NavTreeQuery = graphql(`
  query NavTree {
    dataCenters(first: 10, sortBy: NAME) {
      edges { node { id name status clusters(first: 20) { edges { node { id name hosts(first: 40) { edges { node { id name status } } } } } } } }
    }
  }
`);

export const NavHostVmsQuery = graphql(`
  query NavHostVms($host: ID!) {
    vms(first: 50, filter: { host: $host }, sortBy: NAME) { totalCount edges { node { id name status } } }
  }
`);

/** A data center's storage domains, when its Storage node is opened. */
export const NavStorageQuery = graphql(`
  query NavStorage($dataCenter: ID!) {
    storageDomains(first: 50, filter: { dataCenter: $dataCenter }, sortBy: NAME) { totalCount edges { node { id name status } } }
  }
`);

/** A data center's logical networks, when its Networks node is opened. */
export const NavNetworksQuery = graphql(`
  query NavNetworks($dataCenter: ID!) {
    networks(first: 50, filter: { dataCenter: $dataCenter }, sortBy: NAME) { totalCount edges { node { id name } } }
  }
`);

/** A cluster's VMs that are Down (on no host), when its "Down VMs" node is opened. */
export const NavDownVmsQuery = graphql(`
  query NavDownVms($cluster: ID!) {
    vms(first: 50, filter: { cluster: $cluster, status: [DOWN] }, sortBy: NAME) { totalCount edges { node { id name status } } }
  }
`);
