/** Helpers the nodes share: the per-run runtime, the `<context>` block, the compact draft brief, the history text. */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { DraftBrief, TwinContext } from '../../src/llm/protocol';
import { linkText } from '../../src/llm/offline/link';
import type { Evidence } from '../answer';
import type { RunRuntime, ToolFactory, ToolScope } from '../runtime';
import type { Draft, Review, Turn } from '../state';

export function runtimeOf(config: LangGraphRunnableConfig): RunRuntime {
  const run = config.context as RunRuntime | undefined;
  if (!run?.models) throw new Error('copilot graph invoked without its run runtime (context)');
  return run;
}

export function contextBlock(run: RunRuntime, s: { twin: string; at: string; task?: string; history?: Turn[] }, expert: string, mode: TwinContext['mode']): TwinContext {
  const full = run.twinContext.catalog;
  const base = { twin: s.twin, now: s.at, timezone: run.twinContext.timezone, expert, mode };
  if (full.assets.length <= CATALOG_ASSETS) return { ...base, catalog: full };
  const text = [s.task ?? '', ...(s.history ?? []).map((t) => `${t.task}\n${t.answer}`)].join('\n');
  const catalog = shortlist(full, text);
  return { ...base, catalog, unlisted: { assets: full.assets.length - catalog.assets.length, find_with: 'list_assets' } };
}

/**
 * Most assets a `<context>` catalog lists. A plant of a few hundred machines fits in every call; a twin of ten
 * thousand sensors and parts would not fit in a model's context at all, and would cost every call dearly if it did.
 */
export const CATALOG_ASSETS = 300;

/**
 * The part of a large twin's catalog a task needs: what it names (by id, name or kind, linked as the offline model
 * links) with their parents and children, then the top of the hierarchy (assets with no parent, then their
 * children) up to CATALOG_ASSETS. Orders, crews and commands stay whole. The guard and the tools still see the whole
 * twin; only what a model is sent is cut.
 */
export function shortlist(catalog: TwinContext['catalog'], text: string): TwinContext['catalog'] {
  const byId = new Map(catalog.assets.map((a) => [a.id, a]));
  const children = new Map<string, string[]>();
  for (const a of catalog.assets) if (a.parent) children.set(a.parent, [...(children.get(a.parent) ?? []), a.id]);
  const keep = new Set<string>();
  const add = (id: string | undefined) => {
    if (id && keep.size < CATALOG_ASSETS && byId.has(id)) keep.add(id);
  };
  const links = linkText(text, catalog);
  for (const l of links.assets) {
    add(l.id);
    for (let p = byId.get(l.id)?.parent; p && !keep.has(p); p = byId.get(p)?.parent) add(p);
  }
  for (const l of links.assets) for (const c of children.get(l.id) ?? []) add(c);
  for (const t of links.types) for (const a of catalog.assets) if (a.type === t.type) add(a.id);
  // The top of the hierarchy, breadth first, fills what room is left.
  let level = catalog.assets.filter((a) => !a.parent || !byId.has(a.parent)).map((a) => a.id);
  while (level.length && keep.size < CATALOG_ASSETS) {
    level.forEach(add);
    level = level.flatMap((id) => children.get(id) ?? []);
  }
  return { ...catalog, assets: catalog.assets.filter((a) => keep.has(a.id)) };
}

/** The brief a reviewer (or a revision) sees: the task, the draft and only the evidence it cites. */
export function draftBrief(task: string, draft: Draft, evidence: Evidence[], concerns?: Review[]): DraftBrief {
  const cited = new Set([...draft.recommendations.flatMap((r) => r.evidence), ...draft.proposals.flatMap((p) => p.evidence ?? [])]);
  const needed = cited.size ? evidence.filter((e) => cited.has(e.id)) : evidence;
  return {
    task,
    primary: draft.expert,
    answer: draft.answer,
    actions: draft.proposals.map((p) => ({ type: p.type, params: p.params, rationale: p.rationale })),
    evidence: needed.map(({ id, kind, ref, summary }) => ({ id, kind, ref, summary })),
    concerns: concerns?.flatMap((r) =>
      r.concerns.length
        ? r.concerns.map((c) => ({ expert: r.expert, verdict: r.verdict, concern: c.text }))
        : [{ expert: r.expert, verdict: r.verdict, concern: '(no reason given)' }],
    ),
  };
}

/**
 * The catalog a reviewer needs: the things the brief names (and their parents), not the whole twin. Falls back to the
 * whole catalog when the brief names nothing it knows.
 */
export function catalogFor(catalog: TwinContext['catalog'], brief: DraftBrief): TwinContext['catalog'] {
  const text = JSON.stringify(brief).toLowerCase();
  const named = (id: string) => new RegExp(`(^|[^a-z0-9_-])${id.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9_-]|$)`).test(text);
  const assets = catalog.assets.filter((a) => named(a.id));
  const parents = new Set(assets.map((a) => a.parent).filter(Boolean));
  const withParents = catalog.assets.filter((a) => named(a.id) || parents.has(a.id));
  const orders = catalog.orders.filter((o) => named(o.id));
  const crews = catalog.crews.filter((c) => named(c.id));
  if (!withParents.length && !orders.length && !crews.length) return catalog;
  return { assets: withParents, orders, crews };
}

/**
 * The catalog for a call that writes up what the tools found (the draft): which ids are things of the twin, and of
 * which type, so a draft can tell a machine from a record. Names, properties and commands served the tool calls and
 * are not sent again.
 */
export function idsCatalog(catalog: TwinContext['catalog']): TwinContext['catalog'] {
  return {
    assets: catalog.assets.map((a) => ({ id: a.id, name: a.id, type: a.type, ...(a.parent ? { parent: a.parent } : {}), properties: [] })),
    orders: catalog.orders,
    crews: catalog.crews,
  };
}

export function historyText(history: Turn[]): string {
  if (!history.length) return '(none)';
  return history
    .map((t, i) => `${i + 1}. Task: ${t.task}\n   ${t.primary} answered: ${t.answer.slice(0, 400)}${t.actions.length ? `\n   Actions: ${t.actions.join(', ')}` : ''}`)
    .join('\n');
}

/** The named tools of an expert, in registry order; names the tool set lacks are skipped. */
export function pickTools(factory: ToolFactory, scope: ToolScope, names: string[]): StructuredToolInterface[] {
  const all = factory(scope);
  return names.map((n) => all[n]).filter((t): t is StructuredToolInterface => Boolean(t));
}

/** Keep only evidence ids the run's ledger knows: a model must not cite what no tool returned. */
export function knownIds(ids: string[] | undefined, known: Set<string>): string[] {
  return [...new Set((ids ?? []).filter((id) => known.has(id)))];
}
