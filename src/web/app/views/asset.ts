/**
 * One asset: health, open alarms, reported against desired state, its relations, and a uPlot chart per telemetry
 * property. Opened from an evidence link, the cited property comes first with the evidence window highlighted.
 */
import { html, useEffect, useMemo, useState } from '../lib/html';
import * as client from '../lib/client';
import { fmtAgo, fmtTime, fmtValue, label } from '../lib/format';
import { onLive, readingsOf } from '../lib/live';
import { href, type Route } from '../lib/router';
import type { Asset, Point, Relation } from '../lib/types';
import { Chart } from './chart';
import { ErrorNote, Loading } from './status';
import { HealthBadge, LiveDot, useLiveValues } from './twin';

const RANGES: { id: string; ms: number }[] = [
  { id: '6h', ms: 6 * 3600_000 },
  { id: '24h', ms: 24 * 3600_000 },
  { id: '7d', ms: 7 * 24 * 3600_000 },
];

export function bucketFor(ms: number): client.Bucket {
  return ms <= 3 * 3600_000 ? 'raw' : ms <= 3 * 24 * 3600_000 ? '1m' : '1h';
}

/** The range shown: the evidence window with context on both sides, or the chosen span up to now. */
export function viewRange(from: number | null, to: number | null, span: number, now: number): { start: number; end: number } {
  if (from !== null && to !== null && to > from) {
    const pad = Math.max((to - from) * 0.5, 3600_000);
    // No empty future after the window, but a window that reaches past now (a forecast) is shown whole.
    return { start: from - pad, end: Math.min(to + pad, Math.max(now, to)) };
  }
  return { start: now - span, end: now };
}

function PropertyChart({ twin, asset, prop, range, highlight }: { twin: string; asset: Asset; prop: string; range: { start: number; end: number }; highlight: { start: number; end: number } | null }) {
  const [points, setPoints] = useState<Point[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const bucket = bucketFor(range.end - range.start);
  useEffect(() => {
    let live = true;
    setError(null);
    client.readings(twin, asset.id, prop, new Date(range.start), new Date(range.end), bucket).then((p) => live && setPoints(p), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [twin, asset.id, prop, range.start, range.end, bucket]);
  const def = asset.properties[prop];
  return html`<section class="panel chart-panel" id=${`chart-${prop}`} data-prop=${prop} aria-label=${`${label(prop)} chart`}>
    <div class="row spread">
      <h3>${label(prop)}${def?.unit ? html` <span class="muted small">(${def.unit})</span>` : null}</h3>
      <span class="muted small">${bucket === 'raw' ? 'raw' : `${bucket} buckets`}${highlight ? html` · <span class="hl-key">evidence window</span>` : null}</span>
    </div>
    ${error ? html`<${ErrorNote} error=${error} what="load readings" />` : points === null ? html`<${Loading} />` : html`<${Chart} title=${prop} points=${points} def=${def} highlight=${highlight} range=${range} />`}
  </section>`;
}

export function AssetPage({ twin, id, route }: { twin: string; id: string; route: Route }) {
  const [asset, setAsset] = useState<Asset | null>(null);
  const [rels, setRels] = useState<Relation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [span, setSpan] = useState(RANGES[1]!.ms);
  const [now, setNow] = useState(() => Date.now());

  const prop = route.query.get('prop');
  const fromQ = route.query.get('from');
  const toQ = route.query.get('to');
  const evId = route.query.get('ev');
  const from = fromQ ? Date.parse(fromQ) : NaN;
  const to = toQ ? Date.parse(toQ) : NaN;
  const hasWindow = Number.isFinite(from) && Number.isFinite(to);
  const highlight = hasWindow ? { start: from, end: to } : null;

  const load = () =>
    client.asset(twin, id).then(
      (a) => {
        setAsset(a);
        setError(null);
      },
      (e) => setError(e),
    );
  useEffect(() => {
    setAsset(null);
    setRels(null);
    void load();
    client.relations(twin, id, 1).then(setRels, () => setRels([]));
    const off = onLive((e) => {
      if ((e.type === 'state_changed' || e.type.startsWith('alarm_')) && e.asset === id) void load();
    });
    return off;
  }, [twin, id]);

  const seed = useMemo(() => (asset ? [asset] : null), [asset]);
  const values = useLiveValues(seed);
  // Move the window forward with the live stream (at most every 30 s) when no evidence window pins it.
  useEffect(
    () =>
      onLive((e) => {
        if (!hasWindow && readingsOf(e).some((r) => r.asset === id)) setNow((n) => (Date.now() - n > 30_000 ? Date.now() : n));
      }),
    [id, hasWindow],
  );

  const range = useMemo(() => viewRange(hasWindow ? from : null, hasWindow ? to : null, span, now), [from, to, span, now, hasWindow]);

  if (error) return html`<div class="page"><${ErrorNote} error=${error} what=${`load ${id}`} /><p><a href="#/twin">Back to the twin</a></p></div>`;
  if (!asset) return html`<div class="page"><${Loading} text=${`Loading ${id}…`} /></div>`;

  const telemetry = Object.entries(asset.properties).filter(([, d]) => !d.kind || d.kind === 'telemetry').map(([p]) => p);
  // Setpoints, states and attributes are not telemetry: when the type is known, only its telemetry is charted.
  const typed = Object.keys(asset.properties).length > 0;
  const chartProps = typed ? telemetry : Object.keys(asset.reported).filter((p) => typeof asset.reported[p]?.value === 'number');
  // Evidence may cite a derived ref (`cnc-a2/health`) that has no series of its own: then no chart is pinned first.
  const pinned = prop && (chartProps.includes(prop) || chartProps.length === 0) ? prop : null;
  if (pinned && !chartProps.includes(pinned)) chartProps.unshift(pinned);
  // Properties in alarm come next: they are what a person opening the page is looking for.
  const alarmed = new Set(asset.alarms.map((a) => a.property));
  const rest = chartProps.filter((p) => p !== pinned).sort((a, b) => Number(alarmed.has(b)) - Number(alarmed.has(a)));
  const ordered = pinned ? [pinned, ...rest] : rest;
  const stateProps = [...new Set([...Object.keys(asset.reported), ...Object.keys(asset.desired)])];

  return html`<div class="page asset-page">
    <nav class="crumbs" aria-label="Breadcrumb"><a href="#/twin">${twin}</a>${asset.parent ? html` / <a href=${href(['twin', twin, asset.parent])}>${asset.parent}</a>` : null} / <span aria-current="page">${asset.id}</span></nav>
    <header class="page-head">
      <div>
        <h2>${asset.name}</h2>
        <p class="muted"><span class="mono">${asset.id}</span> · ${label(asset.type)}</p>
      </div>
      <div class="row"><${HealthBadge} health=${asset.health} /> <${LiveDot} /></div>
    </header>

    ${hasWindow
      ? html`<div class="notice notice-info" role="note">Showing evidence${evId ? html` <strong>${evId}</strong>` : null}: ${fmtTime(from)} → ${fmtTime(to)}${prop ? html` on <strong>${label(prop)}</strong>` : null}. <a href=${href(['twin', twin, id])}>Clear</a></div>`
      : html`<div class="row range-picker" role="group" aria-label="Time range">
          ${RANGES.map((r) => html`<button key=${r.id} type="button" class=${`btn btn-small${span === r.ms ? ' btn-selected' : ''}`} aria-pressed=${span === r.ms} onClick=${() => { setSpan(r.ms); setNow(Date.now()); }}>${r.id}</button>`)}
        </div>`}

    ${asset.alarms.length
      ? html`<section class="panel" aria-label="Open alarms"><h3>Open alarms</h3><ul class="alarms">${asset.alarms.map((a, i) => html`<li key=${i} class=${`alarm alarm-${a.level}`}><span class=${`badge badge-${a.level === 'warn' ? 'warn' : 'danger'}`}>${a.level}</span> ${label(a.property)}${a.value !== undefined ? ` = ${fmtValue(a.value)}` : ''}${a.message ? html` <span class="muted">— ${a.message}</span>` : null}</li>`)}</ul></section>`
      : null}

    <div class="charts">
      ${ordered.map((p) => html`<${PropertyChart} key=${p} twin=${twin} asset=${asset} prop=${p} range=${range} highlight=${p === pinned || !pinned ? highlight : null} />`)}
    </div>

    <div class="grid-2">
      <section class="panel" aria-label="State">
        <h3>Reported and desired</h3>
        ${stateProps.length
          ? html`<div class="table-wrap"><table class="state-table">
              <thead><tr><th scope="col">Property</th><th scope="col">Reported</th><th scope="col">Desired</th><th scope="col">Updated</th></tr></thead>
              <tbody>
                ${stateProps.map((p) => {
                  const r = values.get(`${asset.id}/${p}`) ?? asset.reported[p];
                  const d = asset.desired[p];
                  const unit = asset.properties[p]?.unit;
                  const diverged = d !== undefined && r !== undefined && d.value !== null && JSON.stringify(d.value) !== JSON.stringify(r.value);
                  return html`<tr key=${p} class=${diverged ? 'diverged' : ''}>
                    <th scope="row">${label(p)}</th>
                    <td>${fmtValue(r?.value, unit)}</td>
                    <td>${d ? fmtValue(d.value, unit) : '—'}${diverged ? html` <span class="badge badge-warn" title="Desired differs from reported">pending</span>` : null}</td>
                    <td class="muted small">${fmtAgo(r?.ts ?? d?.ts)}</td>
                  </tr>`;
                })}
              </tbody>
            </table></div>`
          : html`<p class="muted small">No state reported yet.</p>`}
      </section>
      <section class="panel" aria-label="Relations">
        <h3>Relations</h3>
        ${rels === null
          ? html`<${Loading} />`
          : rels.length === 0
            ? html`<p class="muted small">No relations.</p>`
            : html`<ul class="relations">
                ${rels.map((r, i) => {
                  const out = r.from === asset.id;
                  const other = out ? r.to : r.from;
                  return html`<li key=${i}>${out ? html`${label(r.type)} → ` : html`← ${label(r.type)} `}<a href=${href(['twin', twin, other])} class="mono">${other}</a></li>`;
                })}
              </ul>`}
        ${Object.keys(asset.attributes).length
          ? html`<h3>Attributes</h3><dl class="params">${Object.entries(asset.attributes).map(([k, v]) => html`<div key=${k}><dt>${label(k)}</dt><dd>${fmtValue(v)}</dd></div>`)}</dl>`
          : null}
        ${asset.commands.length ? html`<h3>Commands</h3><p class="mono small">${asset.commands.join(', ')}</p>` : null}
      </section>
    </div>
  </div>`;
}
