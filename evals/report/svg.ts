/**
 * Small inline-SVG charts for the HTML report: grouped bars and a line over runs. No scripts and no CDN, so the page
 * opens anywhere, offline, and stays readable when attached to a CI run.
 */
import { escapeXml } from './junit';

export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

const FONT = 'font-family="system-ui, sans-serif"';

function legend(series: Series[], x: number, y: number): string {
  let at = x;
  return series
    .map((s) => {
      const out = `<rect x="${at}" y="${y - 9}" width="10" height="10" fill="${s.color}"/><text x="${at + 14}" y="${y}" font-size="11" ${FONT}>${escapeXml(s.name)}</text>`;
      at += 30 + s.name.length * 6.2; // about the width of 11px system-ui text
      return out;
    })
    .join('');
}

/** Room a legend needs, so a chart is never narrower than its legend. */
function legendWidth(series: Series[]): number {
  return series.reduce((w, s) => w + 30 + s.name.length * 6.2, 0);
}

/** Grouped vertical bars, one group per category. `max` fixes the scale (1 for rates). */
export function barChart(opts: { title: string; categories: string[]; series: Series[]; max?: number; format?: (v: number) => string; width?: number; height?: number; rotate?: boolean }): string {
  const { categories, series } = opts;
  const fmt = opts.format ?? ((v: number) => String(Math.round(v)));
  const width = Math.max(opts.width ?? Math.max(480, 60 + categories.length * (series.length * 14 + 14)), 60 + legendWidth(series));
  const height = opts.height ?? 260;
  const top = 40;
  const bottom = opts.rotate ? 110 : 50;
  const left = 50;
  const plotH = height - top - bottom;
  const plotW = width - left - 10;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = opts.max ?? Math.max(1, ...all) * 1.1;
  const group = plotW / Math.max(1, categories.length);
  const bar = Math.max(2, Math.min(28, (group - 6) / Math.max(1, series.length)));
  const parts: string[] = [];
  parts.push(`<text x="${left}" y="16" font-size="14" font-weight="600" ${FONT}>${escapeXml(opts.title)}</text>`);
  parts.push(legend(series, left, 32));
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = top + plotH - (plotH * i) / 4;
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${left - 4}" y="${y + 4}" font-size="10" text-anchor="end" ${FONT}>${escapeXml(fmt(v))}</text>`);
  }
  categories.forEach((c, i) => {
    const gx = left + i * group + (group - bar * series.length) / 2;
    series.forEach((s, j) => {
      const v = s.values[i];
      if (v === null || v === undefined) return;
      const h = Math.max(0, (plotH * Math.min(v, max)) / max);
      parts.push(
        `<rect class="bar" x="${(gx + j * bar).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(bar - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${c} — ${s.name}: ${fmt(v)}`)}</title></rect>`,
      );
    });
    const lx = left + i * group + group / 2;
    const ly = top + plotH + 14;
    parts.push(
      opts.rotate
        ? `<text x="${lx}" y="${ly}" font-size="10" text-anchor="end" transform="rotate(-60 ${lx} ${ly})" ${FONT}>${escapeXml(c)}</text>`
        : `<text x="${lx}" y="${ly}" font-size="11" text-anchor="middle" ${FONT}>${escapeXml(c)}</text>`,
    );
  });
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(opts.title)}">${parts.join('')}</svg>`;
}

/** A line per series over runs (x: run labels, oldest left). */
export function lineChart(opts: { title: string; labels: string[]; series: Series[]; max?: number; format?: (v: number) => string; width?: number; height?: number }): string {
  const width = Math.max(opts.width ?? 640, 60 + legendWidth(opts.series));
  const height = opts.height ?? 250;
  const top = 40;
  const bottom = 70;
  const left = 90;
  const plotH = height - top - bottom;
  const plotW = width - left - 20;
  const fmt = opts.format ?? ((v: number) => String(v));
  const max = opts.max ?? Math.max(1, ...opts.series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const n = opts.labels.length;
  const x = (i: number) => left + (n <= 1 ? plotW / 2 : (plotW * i) / (n - 1));
  const y = (v: number) => top + plotH - (plotH * v) / max;
  const parts: string[] = [`<text x="${left}" y="16" font-size="14" font-weight="600" ${FONT}>${escapeXml(opts.title)}</text>`, legend(opts.series, left, 32)];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/><text x="${left - 4}" y="${y(v) + 4}" font-size="10" text-anchor="end" ${FONT}>${escapeXml(fmt(v))}</text>`);
  }
  opts.labels.forEach((l, i) => {
    parts.push(`<text x="${x(i)}" y="${top + plotH + 14}" font-size="9" text-anchor="end" transform="rotate(-30 ${x(i)} ${top + plotH + 14})" ${FONT}>${escapeXml(l)}</text>`);
  });
  for (const s of opts.series) {
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    s.values.forEach((v, i) => {
      if (v !== null) parts.push(`<circle class="point" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${s.color}"><title>${escapeXml(`${opts.labels[i]} — ${s.name}: ${fmt(v)}`)}</title></circle>`);
    });
  }
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(opts.title)}">${parts.join('')}</svg>`;
}
