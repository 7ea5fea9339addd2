/**
 * A uPlot time-series chart of one property. The cited evidence window is shaded and outlined, warn/alarm thresholds
 * are dashed lines, and colours come from the page's CSS variables so light and dark both read well.
 */
import uPlot from 'uplot';
import { html, useEffect, useRef } from '../lib/html';
import type { Point, PropertyDef } from '../lib/types';

export interface ChartProps {
  title: string;
  points: Point[];
  def?: PropertyDef;
  highlight?: { start: number; end: number } | null;
  height?: number;
  /** The x range to show (ms); without it uPlot fits the data, which for one point spans years. */
  range?: { start: number; end: number };
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

function highlightPlugin(getWin: () => { start: number; end: number } | null | undefined): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u) => {
        const w = getWin();
        if (!w) return;
        const x0 = u.valToPos(w.start / 1000, 'x', true);
        const x1 = u.valToPos(w.end / 1000, 'x', true);
        const { top, height, left, width } = u.bbox;
        const a = Math.max(left, Math.min(x0, x1));
        const b = Math.min(left + width, Math.max(x0, x1));
        if (b <= a) return;
        const ctx = u.ctx;
        ctx.save();
        ctx.fillStyle = cssVar('--hl-fill', 'rgba(245, 158, 11, 0.18)');
        ctx.fillRect(a, top, b - a, height);
        ctx.strokeStyle = cssVar('--hl-stroke', '#d97706');
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        ctx.setLineDash([]);
        ctx.strokeRect(a, top, b - a, height);
        ctx.restore();
      },
    },
  };
}

function thresholdPlugin(def: PropertyDef | undefined): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        if (!def) return;
        const ctx = u.ctx;
        const { left, width } = u.bbox;
        for (const [val, color] of [[def.warn, cssVar('--warn', '#d97706')], [def.alarm, cssVar('--danger', '#dc2626')]] as const) {
          if (typeof val !== 'number') continue;
          const y = u.valToPos(val, 'y', true);
          if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
          ctx.save();
          ctx.strokeStyle = color;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.lineWidth = devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(left, y);
          ctx.lineTo(left + width, y);
          ctx.stroke();
          ctx.restore();
        }
      },
    },
  };
}

export function Chart({ title, points, def, highlight, height = 220, range: xRange }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const win = useRef(highlight);
  win.current = highlight;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const build = () => {
      plot.current?.destroy();
      const fg = cssVar('--muted', '#64748b');
      const grid = cssVar('--grid', 'rgba(100,116,139,0.15)');
      const line = cssVar('--accent', '#2563eb');
      const xs = points.map((p) => p.t / 1000);
      const ys = points.map((p) => p.v);
      // Keep thresholds and the highlighted window in view even when the data sits far from them.
      const range: uPlot.Range.Function = (_u, min, max) => {
        let lo = min;
        let hi = max;
        for (const t of [def?.warn, def?.alarm]) if (typeof t === 'number' && Math.abs(t - (lo + hi) / 2) < 3 * Math.max(1e-9, hi - lo)) {
          lo = Math.min(lo, t);
          hi = Math.max(hi, t);
        }
        const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
        return [lo - pad, hi + pad];
      };
      const opts: uPlot.Options = {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: xRange ? { time: true, range: [xRange.start / 1000, xRange.end / 1000] } : { time: true }, y: { range } },
        axes: [
          { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid } },
          { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, size: 52 },
        ],
        series: [{}, { label: title, stroke: line, width: 1.6, points: { show: points.length < 60 } }],
        plugins: [highlightPlugin(() => win.current), thresholdPlugin(def)],
      };
      plot.current = new uPlot(opts, [xs, ys], el);
    };
    build();
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    const mq = matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', build);
    return () => {
      ro.disconnect();
      mq.removeEventListener('change', build);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [points, def, height, xRange?.start, xRange?.end]);

  useEffect(() => plot.current?.redraw(false), [highlight?.start, highlight?.end]);

  const last = points[points.length - 1];
  return html`<figure class="chart">
    <div class="chart-canvas" ref=${host} role="img" aria-label=${`${title} chart, ${points.length} points${last ? `, latest ${last.v.toFixed(2)}` : ''}${highlight ? ', with the cited evidence window highlighted' : ''}`}></div>
    ${points.length === 0 ? html`<p class="muted small chart-empty">No readings in this range.</p>` : null}
  </figure>`;
}
