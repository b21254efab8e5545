// A GraphQL Code Generator plugin: for each default operation, a typed function grouped by kind,
// `query.vms(variables)`, `mutation.runVm(variables)`, `subscription.events(variables)`, each
// returning its root field's value (a subscription: an async iterator of them).
import type { PluginFunction } from '@graphql-codegen/plugin-helpers';
import { Kind, type OperationDefinitionNode } from 'graphql';

export const plugin: PluginFunction = (_schema, documents) => {
  const byKind: Record<string, string[]> = { query: [], mutation: [], subscription: [] };
  for (const doc of documents) {
    for (const def of doc.document?.definitions ?? []) {
      if (def.kind !== Kind.OPERATION_DEFINITION || !def.name) continue;
      const op = def as OperationDefinitionNode;
      const name = op.name!.value;
      const field = (op.selectionSet.selections[0] as { name: { value: string } }).name.value;
      const call = op.operation === 'subscription' ? 'subscribe' : 'request';
      const required = (op.variableDefinitions ?? []).some((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue);
      const vars = `variables${required ? '' : '?'}: ${name}Variables`;
      byKind[op.operation]!.push(
        `    ${field}: (${vars}) => transport.${call}<${name}['${field}'], ${name}Variables>(${name}Document, variables ?? {}, '${field}'),`,
      );
    }
  }
  return [
    '',
    '/** What the typed functions send their documents through (the client in sdk/src/client.ts). */',
    'export interface Transport {',
    "  /** Runs a query or mutation; resolves with its root field's value. */",
    '  request<T, V>(document: TypedDocumentString<unknown, V>, variables: V, field: string): Promise<T>;',
    "  /** Starts a subscription; yields its root field's value for each event. */",
    '  subscribe<T, V>(document: TypedDocumentString<unknown, V>, variables: V, field: string): AsyncIterableIterator<T>;',
    '}',
    '',
    '/** Every query, mutation and subscription of the schema, with its default selection. */',
    'export function operations(transport: Transport) {',
    '  return {',
    ...['query', 'mutation', 'subscription'].flatMap((k) => [`  ${k}: {`, ...byKind[k]!, '  },']),
    '  };',
    '}',
    '',
  ].join('\n');
};
