// One action over many rows (bulk run, shutdown…): each row's mutation sent, a few at a time,
// and each row's outcome kept: done, or refused/failed with its code and reasons.
import { reactive, ref } from 'vue';
import { useClientHandle, type TypedDocumentNode } from '@urql/vue';
import { actionErrorOf, type UnionMember } from './actionError';
import { bumpDataVersion } from './dataVersion';
import { announce } from './announce';
import { reasonSentences } from '../utils/reasons';
import { OFFLINE_MESSAGE } from './useAction';

export interface BulkOutcome {
  name: string;
  state: 'running' | 'done' | 'refused';
  code?: string;
  message?: string;
}

/** How many of the rows' requests are in flight at once. */
const AT_ONCE = 4;

export function useBulkActions() {
  const { client } = useClientHandle();
  const outcomes = reactive(new Map<string, BulkOutcome>());
  const running = ref(false);
  const title = ref('');

  /** Runs `document` for each row (`variables(row)`), reading the result union at `field`. */
  async function run<TData, TVars extends object>(
    label: string,
    rows: { id: string; name: string }[],
    document: TypedDocumentNode<TData, TVars>,
    field: keyof TData & string,
    variables: (row: { id: string }) => TVars,
  ) {
    outcomes.clear();
    title.value = label;
    running.value = true;
    for (const r of rows) outcomes.set(r.id, { name: r.name, state: 'running' });
    const queue = [...rows];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const result = await client.mutation(document, variables(row)).toPromise();
        const member = (result.data as Record<string, UnionMember> | undefined)?.[field];
        const error = result.error
          ? {
              code: result.error.networkError ? 'NETWORK_ERROR' : 'GRAPHQL_ERROR',
              message: result.error.networkError ? OFFLINE_MESSAGE : result.error.message,
            }
          : actionErrorOf(member);
        outcomes.set(
          row.id,
          error
            ? {
                name: row.name,
                state: 'refused',
                code: error.code,
                message: 'reasons' in error && error.reasons.length ? reasonSentences(error.reasons) : error.message,
              }
            : { name: row.name, state: 'done' },
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, rows.length) }, worker));
    running.value = false;
    bumpDataVersion();
    const refused = [...outcomes.values()].filter((o) => o.state === 'refused').length;
    announce(`${label}: ${rows.length - refused} of ${rows.length} done${refused ? `, ${refused} refused` : ''}.`, refused > 0);
  }

  return { run, outcomes, running, title };
}
