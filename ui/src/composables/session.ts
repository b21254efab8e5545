// The log-in session: a bearer token kept in localStorage and sent with every operation.
//
// The documents are in graphql/session.ts; who is logged in is asked of the engine (`me`) by
// SessionMenu, the name kept here is only shown until that answers.
import { ref } from 'vue';
import type { Client } from '@urql/vue';
import { LoginMutation, LogoutMutation } from '../graphql/session';
import { actionErrorOf, type ActionError } from './actionError';

export const TOKEN_KEY = 'vireo.token';
const USER_KEY = 'vireo.user';

/** The session token, or null when logged out. */
export const sessionToken = ref<string | null>(localStorage.getItem(TOKEN_KEY));
/** Who is logged in, as typed at log-in (displayed only). */
export const sessionUser = ref<string | null>(localStorage.getItem(USER_KEY));

/**
 * Stores the session for the next page load only: the WebSocket was opened without a token, so
 * the app must not render logged-in views (whose subscriptions would be refused on it, which
 * clears the session) before the page reloads and connects with the token.
 */
export function storeSession(token: string, userName: string) {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, userName);
}

/** Forgets the token (logged out, or the engine said it is no longer valid). */
export function clearSession() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
  sessionToken.value = null;
}

/** Logs in; returns null on success (then reload the page), or the coded error (INVALID_CREDENTIALS, …). */
export async function login(client: Client, userName: string, password: string, profile?: string): Promise<ActionError | null> {
  const res = await client.mutation(LoginMutation, { input: { userName, password, profile: profile || undefined } }).toPromise();
  if (res.error)
    return res.error.networkError
      ? { code: 'NETWORK_ERROR', message: 'The engine could not be reached; try again once it is back.', reasons: [], issues: [] }
      : { code: 'GRAPHQL_ERROR', message: res.error.message, reasons: [], issues: [] };
  const result = res.data?.login;
  const error = actionErrorOf(result);
  if (error) return error;
  if (result?.__typename !== 'MutationLoginSuccess')
    return { code: 'NO_RESULT', message: 'The engine returned no session.', reasons: [], issues: [] };
  storeSession(result.session.token, result.session.user.userName);
  return null;
}

export async function logout(client: Client) {
  await client.mutation(LogoutMutation, {}).toPromise();
  clearSession();
}
