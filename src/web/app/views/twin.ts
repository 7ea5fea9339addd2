/**
 * The twin explorer: the asset hierarchy as a tree, each asset with its health, open alarms and latest values, kept
 * live by the service's event stream. Open alarms for the whole twin sit on top.
 */
import { html, useEffect, useMemo, useState } from '../lib/html';
import * as client from '../lib/client';
import { fmtAgo, fmtValue, label } from '../lib/format';
import { onLive, readingsOf, useLiveState } from '../lib/live';
import { href } from '../lib/router';
import { setSession, useSession } from '../lib/session';
import type { Alarm, Asset, StateValue } from '../lib/types';
import { ErrorNote, Loading } from './status';

export function healthClass(h: number | null): string {
  if (h === null) return 'unknown';
  const v = h > 1 ? h / 100 : h;
  return v >= 0.8 ? 'good' : v >= 0.5 ? 'fair' : 'poor';
}

export function HealthBadge({ health }: { health: number | null }) {
  if (health === null) return null;
  const pct = Math.round(health > 1 ? health : health * 100);
  return html`<span class=${`health health-${healthClass(health)}`} title="Health index">♥ ${pct}%</span>`;
}

export function LiveDot() {
  const s = useLiveState();
  const text = s === 'open' ? 'live' : s === 'retrying' ? 'reconnecting' : s === 'closed' ? 'not live' : '…';
  return html`<span class=${`live-dot live-${s}`} role="status"><span class="dot" aria-hidden="true"></span>${text}</span>`;
}

/** Latest values, seeded from the assets and updated by live readings. */
export function useLiveValues(seed: Asset[] | null): Map<string, StateValue> {
  const [values, setValues] = useState(() => new Map<string, StateValue>());
  useEffect(() => {
    if (!seed) return;
    const m = new Map<string, StateValue>();
    for (const a of seed) for (const [p, v] of Object.entries(a.reported)) m.set(`${a.id}/${p}`, v);
    setValues(m);
  }, [seed]);
  useEffect(
    () =>
      onLive((e) => {
        const rows = readingsOf(e);
        let changes: [string, StateValue][] = rows.map((r) => [`${r.asset}/${r.property}`, { value: r.value, ts: r.ts }]);
        if (e.type === 'state_changed' && e.side === 'reported' && e.changes && typeof e.asset === 'string')
          changes = Object.entries(e.changes as Record<string, StateValue>).map(([p, v]) => [`${e.asset}/${p}`, v]);
        if (!changes.length) return;
        setValues((prev) => {
          const next = new Map(prev);
          for (const [k, v] of changes) next.set(k, v);
          return next;
        });
      }),
    [],
  );
  return values;
}

function AlarmList({ alarms, twin }: { alarms: Alarm[]; twin: string }) {
  if (!alarms.length) return html`<p class="muted small">No open alarms.</p>`;
  return html`<ul class="alarms">
    ${alarms.map(
      (a, i) => html`<li key=${a.id ?? i} class=${`alarm alarm-${a.level}`}>
        <span class=${`badge badge-${a.level === 'warn' ? 'warn' : 'danger'}`}>${a.level}</span>
        <a href=${href(['twin', twin, a.asset], { prop: a.property })}><span class="mono">${a.asset}</span> · ${label(a.property)}</a>
        ${a.value !== undefined ? html` = ${fmtValue(a.value)}` : null}
        ${a.message ? html`<span class="muted"> — ${a.message}</span>` : null}
        ${a.raised_at ? html`<span class="muted small"> ${fmtAgo(a.raised_at)}</span>` : null}
      </li>`,
    )}
  </ul>`;
}

function valuesFor(a: Asset, values: Map<string, StateValue>): [string, StateValue][] {
  const props = Object.keys(a.properties).length
    ? Object.entries(a.properties).filter(([, d]) => !d.kind || d.kind === 'telemetry').map(([p]) => p)
    : Object.keys(a.reported);
  return props.map((p) => [p, values.get(`${a.id}/${p}`) ?? a.reported[p] ?? { value: null }] as [string, StateValue]).slice(0, 4);
}

export function TwinPage() {
  const session = useSession();
  const twin = session.twin;
  const [list, setList] = useState<Asset[] | null>(null);
  const [alarms, setAlarms] = useState<Alarm[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState('');

  useEffect(() => {
    let live = true;
    setList(null);
    setError(null);
    client.assets(twin).then((a) => live && setList(a), (e) => live && setError(e));
    const loadAlarms = () => client.alarms(twin).then((a) => live && setAlarms(a), () => undefined);
    void loadAlarms();
    const off = onLive((e) => {
      if (e.type === 'alarm_raised' || e.type === 'alarm_cleared') void loadAlarms();
    });
    return () => {
      live = false;
      off();
    };
  }, [twin]);

  const values = useLiveValues(list);
  const openAlarms = useMemo(() => alarms ?? (list ?? []).flatMap((a) => a.alarms), [alarms, list]);
  const byParent = useMemo(() => {
    const m = new Map<string | null, Asset[]>();
    const ids = new Set((list ?? []).map((a) => a.id));
    for (const a of list ?? []) {
      const p = a.parent && ids.has(a.parent) ? a.parent : null;
      m.set(p, [...(m.get(p) ?? []), a]);
    }
    return m;
  }, [list]);
  const alarmed = new Set(openAlarms.map((a) => a.asset));
  const q = filter.trim().toLowerCase();
  const matches = (a: Asset) => !q || a.id.toLowerCase().includes(q) || a.name.toLowerCase().includes(q) || a.type.toLowerCase().includes(q);

  // A plain function, not a component: a component declared here would remount the tree on every live update.
  const renderNode = (a: Asset): unknown => {
    const kids = byParent.get(a.id) ?? [];
    const shownKids = kids.filter((k) => matches(k) || (byParent.get(k.id) ?? []).some(matches));
    if (!matches(a) && !shownKids.length) return null;
    return html`<li key=${a.id}>
      <div class=${`asset-row${alarmed.has(a.id) ? ' has-alarm' : ''}`}>
        <a class="asset-link" href=${href(['twin', twin, a.id])}>
          <span class="asset-name">${a.name}</span>
          <span class="muted small mono">${a.id !== a.name ? `${a.id} · ` : ''}${label(a.type)}</span>
        </a>
        <${HealthBadge} health=${a.health} />
        ${alarmed.has(a.id) ? html`<span class="badge badge-danger">alarm</span>` : null}
        <span class="live-values">
          ${valuesFor(a, values).map(([p, v]) => html`<span key=${p} class="kv" data-prop=${`${a.id}/${p}`}><span class="muted">${label(p)}</span> ${fmtValue(v.value, a.properties[p]?.unit)}</span>`)}
        </span>
      </div>
      ${shownKids.length ? html`<ul>${shownKids.map(renderNode)}</ul>` : null}
    </li>`;
  };

  return html`<div class="page twin-page">
    <header class="page-head">
      <h2>Twin explorer</h2>
      <div class="row">
        ${session.twins.length > 1
          ? html`<label class="inline">Twin <select value=${twin} onChange=${(e: Event) => setSession({ twin: (e.target as HTMLSelectElement).value })}>
              ${session.twins.map((t) => html`<option key=${t} value=${t}>${t}</option>`)}
            </select></label>`
          : html`<span class="mono">${twin}</span>`}
        <${LiveDot} />
      </div>
    </header>
    <section class="panel" aria-label="Open alarms">
      <h3>Open alarms</h3>
      ${list === null && alarms === null ? html`<${Loading} />` : html`<${AlarmList} alarms=${openAlarms} twin=${twin} />`}
    </section>
    <section class="panel" aria-label="Assets">
      <div class="row spread">
        <h3>Assets</h3>
        <label class="inline"><span class="sr-only">Filter assets</span><input type="search" placeholder="Filter" value=${filter} onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} /></label>
      </div>
      ${error ? html`<${ErrorNote} error=${error} what="load the assets" />` : null}
      ${list === null && !error ? html`<${Loading} />` : null}
      ${list ? html`<ul class="tree">${(byParent.get(null) ?? []).map(renderNode)}</ul>` : null}
    </section>
  </div>`;
}
