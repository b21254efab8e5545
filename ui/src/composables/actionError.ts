// A mutation's result union read as the Success member (null) or a coded error: Error { code message },
// ValidationError { reasons }, InputError { issues }.
export interface ActionError {
  code: string;
  message: string;
  reasons: { code: string; message: string }[];
  issues: { path: string; message: string }[];
}

export interface UnionMember {
  __typename?: string;
  code?: string;
  message?: string;
  reasons?: { code: string; message: string }[];
  issues?: { path: string; message: string }[];
}

/** Turns a mutation result member into an ActionError, or null for the Success member. */
export function actionErrorOf(member: UnionMember | null | undefined): ActionError | null {
  if (!member) return { code: 'NO_RESULT', message: 'The engine returned no result.', reasons: [], issues: [] };
  if (member.__typename?.endsWith('Success')) return null;
  return {
    code: member.code ?? member.__typename ?? 'ERROR',
    message: member.message ?? '',
    reasons: member.reasons ?? [],
    issues: member.issues ?? [],
  };
}
