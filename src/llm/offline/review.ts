/**
 * The offline model as a reviewer. It checks a draft (the `<draft>` block) with its own check tools, filling their
 * arguments from the draft's proposed actions first (the asset, window, crew or order a proposal names), then
 * returns a verdict whose concerns are exactly those its tool results raised, each with the evidence ids behind it.
 */
import type { DraftBrief, ToolResult } from '../protocol';
import { fillArgs, kindOf, type Grounding } from './args';
import { isProposer, scoreToolsByRoots, type PlannedCall } from './plan';
import { contentRoots, contentRootsByWord } from './text';
import type { BoundTool, CallView } from './read';

const MAX_CHECKS = 3;

/** Flatten an action's params into preset arguments: `{asset, window:{start,end}, crew}` fill same-named parameters. */
function presetsFrom(action: DraftBrief['actions'][number]): Record<string, unknown> {
  const p: Record<string, unknown> = { ...action.params };
  if (p.window && typeof p.window === 'object') {
    const w = p.window as { start?: string; end?: string };
    p.start ??= w.start;
    p.end ??= w.end;
  }
  return p;
}

/** Check calls for a draft: one per (action, fitting check tool), then the best tool for the draft as a whole. */
export function reviewCalls(draft: DraftBrief, tools: BoundTool[], g: Grounding): PlannedCall[] {
  const checkers = tools.filter((t) => !isProposer(t));
  // The task read as a sentence; the answer and actions (long prose) word by word.
  const prose = `${draft.answer}\n${draft.actions.map((a) => `${a.type} ${a.rationale}`).join('\n')}`;
  const scores = scoreToolsByRoots([...contentRoots(draft.task), ...contentRootsByWord(prose)], checkers);
  const out: PlannedCall[] = [];
  for (const action of draft.actions) {
    const preset = presetsFrom(action);
    // A setpoint change leaves the machine running: a downtime check does not apply to it; a stop or a job does.
    const takesDown = action.type === 'create_work_order' || (action.type === 'send_command' && /stop|shut|halt|off|down|isolat/i.test(String(action.params.command ?? '')));
    for (const s of scores) {
      const tool = checkers.find((t) => t.name === s.name)!;
      const props = Object.keys(tool.parameters.properties ?? {});
      if (!takesDown && Object.entries(tool.parameters.properties ?? {}).some(([k, v]) => kindOf(k, v) === 'down_asset')) continue;
      // A check fits an action when the action supplies at least one of its parameters and nothing required is missing.
      if (!props.some((k) => preset[k] !== undefined)) continue;
      const { args, missing } = fillArgs(tool.parameters, g, Object.fromEntries(props.filter((k) => preset[k] !== undefined).map((k) => [k, preset[k]])));
      if (missing.length || out.some((o) => o.name === tool.name && JSON.stringify(o.args) === JSON.stringify(args))) continue;
      out.push({ name: tool.name, args });
      if (out.length >= MAX_CHECKS) return out;
    }
  }
  if (!out.length) {
    // With nothing proposed there is no window to check: the times in the task frame a question ("down until
    // Thursday"), they are not a plan, so the check reads the draft's subject without them.
    const untimed: Grounding = { ...g, times: [] };
    for (const s of scores) {
      if (s.score <= 0) break;
      const tool = checkers.find((t) => t.name === s.name)!;
      const { args, missing } = fillArgs(tool.parameters, untimed);
      if (!missing.length) {
        out.push({ name: tool.name, args });
        break;
      }
    }
  }
  return out;
}

export interface Verdict {
  verdict: 'agree' | 'amend' | 'object';
  concerns: { text: string; evidence: string[] }[];
  summary: string;
}

type Catalog = NonNullable<CallView['context']>['catalog'];

/** Every string in an action's params, however nested (`{window:{…}}`, `{assets:[…]}`). */
function paramStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(paramStrings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(paramStrings);
  return [];
}

/** The catalog's assets a text names by id, as tools write them ("imm-12", "hlp_2"). */
function assetsNamed(text: string, catalog: Catalog): string[] {
  const tokens = new Set(text.toLowerCase().split(/[^\p{L}\p{N}_.\-]+/u).map((t) => t.replace(/[.\-]+$/, '')));
  return catalog.assets.map((a) => a.id).filter((id) => tokens.has(id.toLowerCase()));
}

/**
 * The assets a draft's actions depend on: those their params name, with the assets above and below them (a job on a
 * line stops its machines; a machine's stop is felt by its line). None for actions that name no asset (an order
 * moved, a crew's hours): a check on some other machine is not about them.
 */
function dependsOn(actions: DraftBrief['actions'], catalog: Catalog): Set<string> {
  const ids = new Set(catalog.assets.map((a) => a.id));
  const parent = new Map(catalog.assets.map((a) => [a.id, a.parent]));
  const out = new Set<string>();
  for (const a of actions) for (const s of paramStrings(a.params)) if (ids.has(s)) out.add(s);
  const own = [...out];
  let grew = true;
  while (grew) {
    grew = false;
    for (const a of catalog.assets) if (a.parent && out.has(a.parent) && !out.has(a.id)) out.add(a.id), (grew = true);
  }
  // Above them, but not their siblings: a job on one press does not depend on the press beside it.
  for (const id of own) for (let p = parent.get(id); p && !out.has(p); p = parent.get(p)) out.add(p);
  return out;
}

/**
 * Does a check's concern bear on the draft? A concern about machines (it names assets) must name one the draft's
 * actions depend on: "the window ends after press 3 reaches its alarm" says nothing about an order made on other
 * presses. A concern that names no machine (a crew over its limit, a tariff peak, an order made late) stands.
 */
function bearsOn(concern: string, draft: DraftBrief | undefined, catalog: Catalog | undefined): boolean {
  if (!draft?.actions.length || !catalog) return true;
  const named = assetsNamed(concern, catalog);
  if (!named.length) return true;
  const deps = dependsOn(draft.actions, catalog);
  return named.some((id) => deps.has(id));
}

/** The verdict from this reviewer's own check results only, each concern about what the draft depends on. */
export function verdictOf(view: CallView): Verdict {
  const results = view.calls.map((c) => c.result).filter((r): r is Extract<ToolResult, { ok: true }> => !!r && r.ok);
  const concerns: Verdict['concerns'] = [];
  for (const r of results) {
    for (const c of r.concerns ?? []) {
      if (!bearsOn(c, view.draft, view.context?.catalog) || concerns.some((x) => x.text === c)) continue;
      concerns.push({ text: c, evidence: r.evidence });
    }
  }
  const hasActions = (view.draft?.actions.length ?? 0) > 0;
  const verdict = !concerns.length ? 'agree' : hasActions ? 'object' : 'amend';
  const summary = !results.length
    ? 'No check applied to this draft; nothing to object to.'
    : concerns.length
      ? `${concerns.length} concern(s) from ${results.length} check(s).`
      : `Checked: ${results.map((r) => r.summary).join(' ')}`;
  return { verdict, concerns, summary };
}
