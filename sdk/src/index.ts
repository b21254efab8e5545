// @vireo/sdk: a typed client of the Vireo engine, generated from schema/schema.graphql.
export { createClient, type ClientOptions, type VireoClient } from './client.ts';
export { GraphQLRequestError, JobFailedError, LoginError } from './errors.ts';
export { jobPercent, type Job, type JobHandle } from './jobs.ts';
export { AGENT_ONLY, defaultOperation, defaultOperations, operationName, selectionOf, type OperationKind } from './defaultOperations.ts';
export type * from './generated/sdk.ts';
