import { graphql } from '../gql';

/** What a host is and runs, as its agent reported it. */
export const HostHardwareQuery = graphql(`
  query HostHardware($id: ID!) {
    node(id: $id) {
      __typename
      ... on Host { id hardware { vendor product serial kernel libvirtVersion qemuVersion numaNodes { node cpus memoryMb } } }
    }
  }
`);
