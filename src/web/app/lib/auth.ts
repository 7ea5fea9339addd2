/**
 * Login. The service prints `http://HOST:PORT/?token=KEY` once; the app takes the key from the URL, strips it (so it
 * is not left in history, bookmarks or a Referer) and exchanges it for an HttpOnly session cookie. When the service
 * has no session route, the key is kept in localStorage and sent as a Bearer header instead.
 */
const STORAGE_KEY = 'twinpilot.key';

let bearer: string | null = readStored();

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(key: string | null): void {
  bearer = key;
  try {
    if (key) localStorage.setItem(STORAGE_KEY, key);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* private mode: the key lives for this page only */
  }
}

/** Headers every API request carries (empty when the session cookie does the work). */
export function authHeaders(): Record<string, string> {
  return bearer ? { Authorization: `Bearer ${bearer}` } : {};
}

/** The key in the address bar, removed from it. */
export function takeTokenFromUrl(): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return token.trim() || null;
}

export type LoginResult = { ok: true; via: 'cookie' | 'storage' } | { ok: false; message: string };

/** Exchange a key for a session. A 404/405 means the service offers no session route: keep the key locally. */
export async function login(key: string): Promise<LoginResult> {
  let res: Response;
  try {
    res = await fetch('/api/v1/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: key }),
    });
  } catch {
    return { ok: false, message: 'The service did not answer. Is it running?' };
  }
  if (res.ok) {
    store(null);
    return { ok: true, via: 'cookie' };
  }
  if (res.status === 404 || res.status === 405) {
    store(key);
    return { ok: true, via: 'storage' };
  }
  if (res.status === 400 || res.status === 401 || res.status === 403) return { ok: false, message: 'That key was not accepted (unknown or revoked).' };
  return { ok: false, message: `Login failed (HTTP ${res.status}).` };
}

export async function logout(): Promise<void> {
  store(null);
  try {
    await fetch('/api/v1/session', { method: 'DELETE', credentials: 'same-origin' });
  } catch {
    /* offline: the local key is gone anyway */
  }
}
