// Zod fields that action params share, with the metadata the API adapter reads.
import { z } from 'zod';

/** oVirt's rule for object names: letters, digits, '_', '-', '.'; no spaces. */
export const objectName = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, "may contain only letters, digits, '_', '-' and '.'")
  .refine((name) => name !== '.' && name !== '..', "may not be '.' or '..'");

export const description = z.string().max(1024);

export const id = z.uuid('must be an id');

/** What `.meta()` may carry for the API adapter. */
export interface ParamMeta {
  /** A database id the API takes as the global id of this node type. */
  node?: string;
  /** The input field's name when it differs from the param's (e.g. clusterId ← `cluster`). */
  input?: string;
  /** The GraphQL name of an enum or of a nested object's input type. */
  graphql?: string;
  description?: string;
}

/** The id of a `node` (e.g. 'Cluster'), given in the API as its global id in the input field `input`. */
export function nodeId(node: string, input: string) {
  return id.meta({ node, input } satisfies ParamMeta);
}
