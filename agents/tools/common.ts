/**
 * What every tool shares: the run context (store, twin snapshot read once per run, ledger, frozen now), the wrapper
 * that turns a computation into a `ToolResult` JSON string and never throws at the model, and the rules for text from
 * the twin: names, notes and alarm messages are quoted data, cut short and stripped of anything that looks like markup
 * or a prompt, so nothing in a tool result reads as an instruction.
 */
import { ToolMessage } from '@langchain/core/messages';
import { tool, ToolInputParsingException } from '@langchain/core/tools';
import type { z } from 'zod';
import { AnalyticsInputError } from '../../src/analytics';
import { AppError } from '../../src/errors';
import type { EvidenceItem, ToolResult } from '../../src/llm/protocol';
import type { Db } from '../../src/store/db';
import { cachedDb, type ReadCache } from '../../src/store/queries/read-cache';
import { twinSnapshot, type SnapshotAsset, type TwinSnapshot } from '../../src/store/queries/twin-snapshot';
import type { ToolScope } from '../runtime';

export interface ToolDeps {
  db: Db;
  /**
   * Reads and computations shared across runs (agents/tools/cache.ts): the snapshot, series windows, open alarms and
   * every `memo` computation, dropped whenever the twin's data changes. Without it each run reads the store afresh.
   */
  cache?: ReadCache;
}

export type Ok<T = unknown> = Extract<ToolResult<T>, { ok: true }>;

/** A problem the model can act on (unknown id, missing data): reported as `{ok:false, error}`. */
export class ToolError extends Error {}

export interface RunCtx {
  db: Db;
  scope: ToolScope;
  now: number;
  snap(): Promise<TwinSnapshot>;
  evidence(item: Omit<EvidenceItem, 'id'>): string;
  /**
   * A read or computation done once per run and twin (keyed by the run's ledger), so the primary, its reviewers and
   * revision rounds share it: the snapshot, the series of a window, the remaining-life fits. Within a run the frozen
   * now and the twin do not move; a failed computation is forgotten so a retry can succeed. With a cross-run cache the
   * run takes the value from there (keyed by the frozen now too), and keeps it for the rest of the run, so a run
   * reads one consistent state even when the twin changes under it.
   */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
  /** Whether `memo` already holds (or is computing) a key. */
  peek(key: string): boolean;
}

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();
/** One cached view of the database per deps: queries through it serve from the cross-run cache. */
const views = new WeakMap<ToolDeps, Db>();

function dbOf(deps: ToolDeps): Db {
  if (!deps.cache) return deps.db;
  let view = views.get(deps);
  if (!view) views.set(deps, (view = cachedDb(deps.db, deps.cache)));
  return view;
}

/** The run context; per-run reads are cached by the run's ledger and the twin (and across runs with a cache). */
export function runCtx(deps: ToolDeps, scope: ToolScope): RunCtx {
  const db = dbOf(deps);
  const now = scope.now.getTime();
  const keyOf = (key: string) => `${scope.twin}\u0000${now}\u0000${key}`;
  const shared = <T>(key: string, make: () => Promise<T>): Promise<T> =>
    deps.cache ? deps.cache.get(scope.twin, `memo\u0000${now}\u0000${key}`, make) : make();
  const perRunOf = () => {
    let perRun = memos.get(scope.ledger);
    if (!perRun) memos.set(scope.ledger, (perRun = new Map()));
    return perRun;
  };
  const memo = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const perRun = perRunOf();
    const k = keyOf(key);
    let p = perRun.get(k) as Promise<T> | undefined;
    if (!p) {
      p = shared(key, make);
      perRun.set(k, p);
      p.catch(() => perRun.delete(k));
    }
    return p;
  };
  return {
    db,
    scope,
    now,
    snap: () =>
      memo('snapshot', async () => {
        const s = await twinSnapshot(db, { twin: scope.twin });
        if (!s) throw new ToolError(`twin "${scope.twin}" is not loaded`);
        return s;
      }),
    evidence: (item) => scope.ledger.add(item),
    memo,
    peek(key) {
      const perRun = perRunOf();
      if (perRun.has(keyOf(key))) return true;
      if (!deps.cache?.has(scope.twin, `memo\u0000${now}\u0000${key}`)) return false;
      // Held across runs: pin it to this run now, so an eviction before the caller's memo() cannot lose it.
      perRun.set(keyOf(key), shared(key, () => Promise.reject(new Error('evicted'))));
      return true;
    },
  };
}

function errorText(err: unknown): string {
  if (err instanceof AnalyticsInputError) return `${err.message}: ${err.problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`;
  if (err instanceof AppError || err instanceof ToolError) return err.message;
  return `tool failed: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Define a tool: zod schema in, `ToolResult` JSON out. Any failure becomes `{ok:false, error}`; the model can read it
 * and try something else, and the run goes on.
 */
export function defineTool<S extends z.ZodObject>(
  deps: ToolDeps,
  scope: ToolScope,
  def: { name: string; description: string; schema: S; run: (args: z.infer<S>, ctx: RunCtx) => Promise<Ok> },
) {
  const ctx = runCtx(deps, scope);
  const t = tool(
    async (args: z.infer<S>): Promise<string> => {
      let result: ToolResult;
      try {
        result = await def.run(args, ctx);
      } catch (err) {
        result = { ok: false, error: errorText(err) };
      }
      return JSON.stringify(result);
    },
    { name: def.name, description: def.description, schema: def.schema, verboseParsingErrors: true },
  );
  // Arguments that fail the schema are an answer too: the model reads what was wrong instead of the run failing.
  const invoke = t.invoke.bind(t);
  t.invoke = (async (input: unknown, config?: unknown) => {
    try {
      return await invoke(input as never, config as never);
    } catch (err) {
      if (!(err instanceof ToolInputParsingException)) throw err;
      const content = JSON.stringify({ ok: false, error: `invalid arguments for ${def.name}: ${err.message.slice(0, 600)}` } satisfies ToolResult);
      const call = input as { type?: string; id?: string };
      return call?.type === 'tool_call' && call.id ? new ToolMessage({ tool_call_id: call.id, name: def.name, content }) : content;
    }
  }) as typeof t.invoke;
  return t;
}

/** Free text from the twin, as quoted data: one line, no markup or tags, at most `max` characters. */
export function quote(text: unknown, max = 160): string {
  const s = String(text ?? '')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/[<>{}`\\]/g, ' ')
    .replace(/"/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return `"${s.length > max ? `${s.slice(0, max - 1)}…` : s}"`;
}

/** Round for people: 3 significant figures, no trailing noise. */
export function fmt(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  if (n === 0) return '0';
  const a = Math.abs(n);
  const d = a >= 100 ? 0 : a >= 10 ? Math.max(0, digits - 2) : a >= 1 ? digits - 1 : digits;
  return Number(n.toFixed(d)).toString();
}

/** Local wall time in the twin's timezone: "Mon 2 Mar 22:00". */
export function local(ms: number, tz: string, withDay = true): string {
  try {
    return formatter(tz, withDay).format(new Date(ms)).replace(',', '');
  } catch {
    return new Date(ms).toISOString();
  }
}

/**
 * A span in local time, "Mon 2 Mar 22:00–02:00" when it ends within a day of its start, and with the end's day too
 * when longer ("Mon 16 Nov 00:00–Mon 23 Nov 00:00"), so a week does not read as "00:00–00:00".
 */
export function localSpan(start: number, end: number, tz: string): string {
  return `${local(start, tz)}–${local(end, tz, end - start >= 24 * 3600e3)}`;
}

/** One formatter per zone and style: building an Intl.DateTimeFormat costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string, withDay: boolean): Intl.DateTimeFormat {
  const key = `${tz}|${withDay}`;
  let f = formatters.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = withDay
      ? { timeZone: tz, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    formatters.set(key, (f = new Intl.DateTimeFormat('en-GB', opts)));
  }
  return f;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The ids of an asset and of everything under it: a line or a site stands for its machines. */
export function subtreeIds(snap: TwinSnapshot, root: string): Set<string> {
  const under = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of snap.assets) if (a.parent && under.has(a.parent) && !under.has(a.id)) (under.add(a.id), (grew = true));
  }
  return under;
}

/** An asset by id, or a ToolError naming the closest ids, so the model can correct itself. */
export function assetOf(snap: TwinSnapshot, id: string): SnapshotAsset {
  const a = snap.assets.find((x) => x.id === id) ?? snap.assets.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (a) return a;
  const near = snap.assets.filter((x) => x.id.includes(id.toLowerCase().slice(0, 3))).slice(0, 5).map((x) => x.id);
  throw new ToolError(`unknown asset "${String(id).slice(0, 60)}"${near.length ? `; did you mean ${near.join(', ')}?` : ''} (list_assets shows every id)`);
}

/** Properties of an asset's type (inheritance resolved). */
export function propsOf(snap: TwinSnapshot, asset: SnapshotAsset) {
  return snap.types.get(asset.type)?.properties ?? {};
}

/** Telemetry properties with a warn or alarm threshold: what health and remaining life read. */
export function thresholded(snap: TwinSnapshot, asset: SnapshotAsset) {
  return Object.entries(propsOf(snap, asset)).filter(([, p]) => p.kind === 'telemetry' && (p.alarm !== undefined || p.warn !== undefined));
}

/** An asset's power property, by unit (kW) first, then by name. */
export function powerProperty(snap: TwinSnapshot, asset: SnapshotAsset): string | undefined {
  const props = Object.entries(propsOf(snap, asset)).filter(([, p]) => p.kind === 'telemetry');
  return (props.find(([, p]) => /^kw$/i.test(p.unit ?? '')) ?? props.find(([k]) => /power|kw/i.test(k)))?.[0];
}

/** Assets a tool should look at: one asset, all of a type (or inheriting it), or all. */
export function selectAssets(snap: TwinSnapshot, args: { asset?: string; type?: string }): SnapshotAsset[] {
  if (args.asset) return [assetOf(snap, args.asset)];
  if (args.type) {
    const list = snap.assets.filter((a) => a.type === args.type || snap.types.get(a.type)?.chain.includes(args.type!));
    if (!list.length) throw new ToolError(`no assets of type "${String(args.type).slice(0, 60)}"; types: ${[...new Set(snap.assets.map((a) => a.type))].join(', ')}`);
    return list;
  }
  return snap.assets;
}

/** A window argument resolved against now, with a default span back from now. */
export function windowOf(w: { start?: string; end?: string } | undefined, now: number, defaultBackMs: number): { start: number; end: number } {
  const start = w?.start ? Date.parse(w.start) : now - defaultBackMs;
  const end = w?.end ? Date.parse(w.end) : now;
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new ToolError('window start/end must be ISO timestamps');
  if (end <= start) throw new ToolError('window end must be after its start');
  return { start, end };
}
