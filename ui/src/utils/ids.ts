/** The global id (Relay, base64 "Type:id") of a database id, as events carry database ids. */
export function globalId(typename: string, databaseId: string): string {
  return btoa(`${typename}:${databaseId}`);
}
