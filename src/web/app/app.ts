/**
 * The app shell: sign-in check, the top navigation, and the page for the current hash route.
 */
import { html, useEffect, useState } from './lib/html';
import { onUnauthorized } from './lib/api';
import { login, logout, takeTokenFromUrl } from './lib/auth';
import * as client from './lib/client';
import { setLivePath } from './lib/live';
import { useRoute } from './lib/router';
import { getSession, setSession, useSession } from './lib/session';
import { ApprovalsPage } from './views/approvals';
import { AssetPage } from './views/asset';
import { AuditPage } from './views/audit';
import { ChatPage } from './views/chat';
import { EvalsPage } from './views/evals';
import { LoginPage } from './views/login';
import { Loading } from './views/status';
import { TwinPage } from './views/twin';

async function checkSession(): Promise<void> {
  try {
    const twins = await client.twins();
    const cur = getSession().twin;
    const twin = twins.includes(cur) ? cur : twins.includes('demo-plant') ? 'demo-plant' : (twins[0] ?? cur);
    setSession({ status: 'signed_in', twins, twin, message: undefined });
    client.me().then((m) => setSession({ role: m?.role || null }), () => undefined);
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 401) setSession({ status: 'signed_out' });
    // Signed in but the twins list failed (service still starting): let pages show their own errors.
    else setSession({ status: 'signed_in' });
  }
}

export async function boot(): Promise<void> {
  const token = takeTokenFromUrl();
  if (token) {
    const res = await login(token);
    if (!res.ok) setSession({ message: res.message });
  }
  onUnauthorized(() => {
    if (getSession().status === 'signed_in') setSession({ status: 'signed_out', message: 'Your key is no longer accepted. Sign in again.' });
  });
  await checkSession();
}

const NAV = [
  { id: 'chat', text: 'Chat' },
  { id: 'twin', text: 'Twin' },
  { id: 'approvals', text: 'Approvals' },
  { id: 'audit', text: 'Audit' },
  { id: 'evals', text: 'Evals' },
];

function PendingCount() {
  const [n, setN] = useState<number | null>(null);
  const route = useRoute();
  useEffect(() => {
    let live = true;
    client.actions('pending_approval').then((a) => live && setN(a.length), () => undefined);
    return () => {
      live = false;
    };
  }, [route.parts.join('/')]);
  return n ? html`<span class="count" aria-label=${`${n} pending`}>${n}</span>` : null;
}

export function App() {
  const session = useSession();
  const route = useRoute();
  useEffect(() => setLivePath(`/api/v1/events?twin=${encodeURIComponent(session.twin)}`), [session.twin]);
  if (session.status === 'checking') return html`<main class="center" id="main"><${Loading} text="Connecting…" /></main>`;
  if (session.status === 'signed_out') return html`<${LoginPage} message=${session.message} onSignedIn=${() => void checkSession()} />`;

  const [area = 'chat', a1, a2] = route.parts;
  let page;
  if (area === 'twin' && a1 && a2) page = html`<${AssetPage} key=${`${a1}/${a2}`} twin=${a1} id=${a2} route=${route} />`;
  else if (area === 'twin') page = html`<${TwinPage} />`;
  else if (area === 'approvals') page = html`<${ApprovalsPage} />`;
  else if (area === 'audit') page = html`<${AuditPage} />`;
  else if (area === 'evals') page = html`<${EvalsPage} />`;
  else page = html`<${ChatPage} threadId=${a1} />`;

  return html`<a class="skip" href="#main" onClick=${(e: Event) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
    <header class="topbar">
      <a class="brand" href="#/chat" aria-label="Twinpilot home"><span class="logo" aria-hidden="true">T</span><span class="brand-text">Twinpilot</span></a>
      <nav class="mainnav" aria-label="Main">
        ${NAV.map((n) => html`<a key=${n.id} href=${`#/${n.id}`} class=${area === n.id ? 'active' : ''} aria-current=${area === n.id ? 'page' : undefined}>${n.text}${n.id === 'approvals' ? html` <${PendingCount} />` : null}</a>`)}
      </nav>
      <div class="who">
        ${session.role ? html`<span class="badge badge-role" title="Your key's role">${session.role}</span>` : null}
        <button type="button" class="btn btn-small btn-ghost" onClick=${async () => { await logout(); setSession({ status: 'signed_out', message: undefined }); }}>Sign out</button>
      </div>
    </header>
    <main id="main" tabindex="-1">${page}</main>`;
}
