// Zod fields that action params share, with the metadata the API adapter reads.
import { z } from 'zod';

/** oVirt's rule for object names: letters, digits, '_', '-', '.'; no spaces. */
export const objectName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
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
  /** An enum whose GraphQL values are named otherwise than the param's values: GraphQL name → param value. */
  enumValues?: Record<string, string>;
  /** A nested object's input type's own description (`.describe()` describes the field). */
  typeDescription?: string;
  /** An object permissions are granted on ({ type, id }), given in the API as its global id, of any such type. */
  object?: boolean;
  /** A GraphQL document, passed on in graphql-js's printed form (a malformed one is bad input). */
  document?: boolean;
  description?: string;
}

/** The id of a `node` (e.g. 'Cluster'), given in the API as its global id in the input field `input`. */
export function nodeId(node: string, input: string) {
  return id.meta({ node, input } satisfies ParamMeta);
}

/** An object permissions may be granted on, given in the API as its global id (of any of these types). */
export const OBJECT_TYPES = ['SYSTEM', 'DATA_CENTER', 'CLUSTER', 'HOST', 'VM', 'STORAGE_DOMAIN', 'NETWORK', 'TEMPLATE', 'DISK'] as const;
export const objectRef = z.object({ type: z.enum(OBJECT_TYPES), id }).meta({ object: true } satisfies ParamMeta);

/** A GraphQL document: the API adapter parses it (bad input when it cannot) and passes on its printed form. */
export const graphqlDocument = z
  .string()
  .min(1)
  .max(20_000)
  .meta({ document: true } satisfies ParamMeta);
