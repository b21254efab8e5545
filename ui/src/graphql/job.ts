import { graphql } from '../gql';

export const JobsQuery = graphql(`
  query Jobs($first: Int, $after: String, $status: [JobStatus!], $sortBy: JobSortField, $direction: SortDirection) {
    jobs(first: $first, after: $after, status: $status, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id actionType description status userName startedAt endedAt steps { id description status progress startedAt endedAt } } }
    }
  }
`);
