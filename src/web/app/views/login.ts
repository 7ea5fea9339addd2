/** Shown when the service does not accept this browser: paste a key, or open the login link the service printed. */
import { html, useState } from '../lib/html';
import { login } from '../lib/auth';

export function LoginPage({ message, onSignedIn }: { message?: string; onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(message ?? '');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!key.trim()) return;
    setBusy(true);
    const res = await login(key.trim());
    setBusy(false);
    if (res.ok) onSignedIn();
    else setError(res.message);
  };
  return html`<main class="login" id="main">
    <form class="card login-card" onSubmit=${submit}>
      <h1>Twinpilot</h1>
      <p>Open the login link the service printed when it started (<code>http://HOST:PORT/?token=…</code>), or paste an API key.</p>
      <label for="key">API key</label>
      <input id="key" type="password" autocomplete="current-password" value=${key} onInput=${(e: Event) => setKey((e.target as HTMLInputElement).value)} required />
      ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : null}
      <button type="submit" class="btn btn-primary" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
      <p class="muted small">Create a key with <code>twin keys create --role manager</code>.</p>
    </form>
  </main>`;
}
