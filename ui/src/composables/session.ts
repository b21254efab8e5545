// The log-in session: a bearer token kept in localStorage and sent with every operation.
//
// login/logout are not in the committed schema/schema.graphql yet (the engine has them), so
// these two documents are written with urql's untyped `gql` and local types. When the schema is
// reprinted, move them to graphql/session.ts with graphql() and drop the local types.
import { ref } from 'vue';
import { gql, type Client } from '@urql/vue';
import { actionErrorOf, type ActionError } from './useAction';

export const TOKEN_KEY = 'vireo.token';
const USER_KEY = 'vireo.user';

/** The session token, or null when logged out. */
export const sessionToken = ref<string | null>(localStorage.getItem(TOKEN_KEY));
/** Who is logged in, as typed at log-in (displayed only). */
export const sessionUser = ref<string | null>(localStorage.getItem(USER_KEY));

export function setSession(token: string, userName: string) {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, userName);
  sessionToken.value = token;
  sessionUser.value = userName;
}

/** Forgets the token (logged out, or the engine said it is no longer valid). */
export function clearSession() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
  sessionToken.value = null;
}

const LOGIN = gql`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on Error { code message }
      ... on MutationLoginSuccess { session { token } }
    }
  }
`;
const LOGOUT = gql`mutation Logout { logout }`;

interface LoginResult { login: { __typename: string; code?: string; message?: string; session?: { token: string } } }

/** Logs in; returns null on success, or the coded error (AUTHENTICATION_FAILED, …). */
export async function login(client: Client, userName: string, password: string, profile?: string): Promise<ActionError | null> {
  const res = await client.mutation<LoginResult>(LOGIN, { input: { userName, password, profile: profile || undefined } }).toPromise();
  if (res.error) return { code: res.error.networkError ? 'NETWORK_ERROR' : 'GRAPHQL_ERROR', message: res.error.message, reasons: [], issues: [] };
  const error = actionErrorOf(res.data?.login);
  if (error) return error;
  setSession(res.data!.login.session!.token, userName);
  return null;
}

export async function logout(client: Client) {
  await client.mutation(LOGOUT, {}).toPromise();
  clearSession();
}

