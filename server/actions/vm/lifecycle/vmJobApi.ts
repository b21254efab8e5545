import type { ActionApi, StartedJob } from '../../defineAction.ts';

/** How the API offers a VM lifecycle action: the mutation returns the VM and the Job that follows the action. */
export function vmJobApi<R>(mutation: string, description: string): ActionApi<{ vmId: string }, R> {
  return {
    mutation,
    description,
    payload: { field: 'result', type: 'VmActionResult' },
    result: (_r, run): StartedJob => ({ objectId: run.params.vmId, jobId: run.jobId! }),
  };
}
