import { graphql } from '../gql';

export const EventsQuery = graphql(`
  query Events($first: Int, $after: String, $filter: EventFilter) {
    events(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id createdAt severity code message userName vmId hostId clusterId dataCenterId storageDomainId } }
    }
  }
`);
