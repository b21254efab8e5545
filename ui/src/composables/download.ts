// Downloads of engine routes that need the session token as a Bearer header, which a plain link
// cannot send: fetched as a blob, checked to be what was asked for, then saved under the name the
// engine gives (Content-Disposition).
import { sessionToken } from './session';
import type { ActionError } from './useAction';

const failure = (code: string, message: string): ActionError => ({ code, message, reasons: [], issues: [] });

/** Fetches `path` and saves it; returns the error to show, or null when saved. */
export async function downloadWithToken(path: string, expectedType: string, fallbackName: string): Promise<ActionError | null> {
  try {
    const res = await fetch(path, { headers: { authorization: `Bearer ${sessionToken.value ?? ''}` } });
    if (!res.ok) return failure(`HTTP_${res.status}`, (await res.text()).trim());
    // Anything else (e.g. a portal page answered in its place) is not saved under that name.
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith(expectedType))
      return failure('UNEXPECTED_CONTENT', `The engine answered ${type || 'something'} instead of ${expectedType}.`);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement('a'), { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return null;
  } catch (e) {
    return failure('NETWORK_ERROR', (e as Error).message);
  }
}
