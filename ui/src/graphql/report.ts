import { graphql } from '../gql';

export const ReportQuery = graphql(`
  query Report($kind: ReportKind!, $from: DateTime!, $cluster: ID, $top: Int) {
    report(kind: $kind, from: $from, cluster: $cluster, top: $top) {
      kind title from to
      columns { key label unit }
      rows { cells }
      chart { title unit bars { label value } }
    }
  }
`);
