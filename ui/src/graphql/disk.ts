import { graphql } from '../gql';

export const DisksQuery = graphql(`
  query Disks($first: Int, $after: String, $filter: DiskFilter, $sortBy: DiskSortField, $direction: SortDirection) {
    disks(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id alias status format sparse provisionedSizeBytes actualSizeBytes storageDomain { id name } attachments { id vm { id name } } } }
    }
  }
`);
