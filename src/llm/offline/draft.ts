/**
 * The offline model's writing: an answer in Markdown made only of what tools returned (their one-line summaries with
 * the numbers), recommendations that cite evidence ids, and the proposals recorded, all marked as waiting for a human.
 * It adds no facts of its own. Free text from the twin reaches the answer only inside tool summaries, quoted as data.
 */
import nlp from 'compromise';
import type { DraftBrief, ToolResult } from '../protocol';
import type { CallView, JsonSchema, PastCall } from './read';
import { intentOf, type PeopleCheck } from './intent';
import { contentForms } from './text';
import { ordersNamed } from './link';
import type { UnmetCommand } from './request';

type Ok = Extract<ToolResult, { ok: true }>;

export interface Proposal {
  type: string;
  params: Record<string, unknown>;
  rationale: string;
  risk?: string;
  id?: string;
  evidence: string[];
}

export interface DraftContent {
  answer: string;
  recommendations: { text: string; evidence: string[] }[];
  actions: Proposal[];
  evidence: string[];
}

function okCalls(calls: PastCall[]): (PastCall & { result: Ok })[] {
  return calls.filter((c): c is PastCall & { result: Ok } => !!c.result && c.result.ok);
}

const cite = (ids: string[]) => (ids.length ? ` [${ids.join(', ')}]` : '');

/** A proposal as a propose-type tool reported it: its result carries the type and params it recorded. */
export function proposalOf(c: PastCall & { result: Ok }): Proposal | undefined {
  const r = c.result.result as Record<string, unknown> | undefined;
  const type = (r?.type ?? c.args.type) as string | undefined;
  if (!type || !(r?.params ?? c.args.params)) return undefined;
  return {
    type,
    params: (r?.params ?? c.args.params) as Record<string, unknown>,
    rationale: String(r?.rationale ?? c.args.rationale ?? c.result.summary),
    risk: r?.risk as string | undefined,
    id: r?.id as string | undefined,
    evidence: c.result.evidence,
  };
}

export function composeDraft(view: CallView, isProposerName: (name: string) => boolean, people: PeopleCheck, unmet: UnmetCommand[] = []): DraftContent {
  const ok = okCalls(view.calls);
  const failed = view.calls.filter((c) => c.result && !c.result.ok);
  // The same summary twice (a tool that ignored the argument it was fanned out over) is said once.
  const findings = ok.filter((c, i) => !isProposerName(c.name) && !ok.slice(0, i).some((o) => !isProposerName(o.name) && o.result.summary === c.result.summary));
  const proposals = ok.filter((c) => isProposerName(c.name)).map(proposalOf).filter((p): p is Proposal => !!p);
  const lines: string[] = [];
  const recommendations: DraftContent['recommendations'] = [];

  // An instruction no command can carry out is said first: the person asked for it, and nothing was proposed for it.
  for (const u of unmet) {
    if (proposals.some((p) => p.params.asset === u.asset)) continue;
    lines.push(`${u.asset} accepts no command to ${u.verb} it (${u.accepts.length ? `its commands: ${u.accepts.join(', ')}` : 'its type has no commands'}), so nothing was proposed; it has to be done at the machine.`, '');
  }
  if (people.singlesOut) {
    lines.push(`I can't single out individual people (${people.reason}). People are part of the twin only as crews, with aggregate figures; here is what the crew-level data says.`, '');
  }
  if (!findings.length) {
    lines.push(failed.length ? 'I could not get the data this needs:' : 'The twin holds no data that answers this.');
    for (const f of failed) lines.push(`- \`${f.name}\`: ${(f.result as { error: string }).error}`);
  } else {
    // A question is answered by the best-fitting tool, the first one called. A request to act leads with the
    // analysis that drives the action (the one that suggested a next step), or failing that one that flags something.
    // An order moved: the finding about that order alone, before anything else the analysis suggested.
    const moved = proposals.filter((p) => p.type === 'reschedule_order').map((p) => String(p.params.order));
    const aboutMoved = findings.find((c) => {
      const rows = rowsOf(c.result.result).filter((r) => typeof r.id === 'string' && num(r.quantity) !== undefined);
      return rows.length > 0 && rows.every((r) => moved.includes(r.id as string));
    });
    const lead =
      intentOf(view.task) === 'action'
        ? (aboutMoved ?? findings.find((c) => c.result.next?.length) ?? findings.find((c) => c.result.concerns?.length) ?? findings[0])
        : (runningCost(view.task, findings) ?? findings[0]);
    const cat = view.context?.catalog;
    const known = cat ? [...cat.assets, ...cat.orders, ...cat.crews].map((x) => x.id) : [];
    for (const r of askedRecords(view.task, findings, known)) lines.push(`${r.text}${cite(r.evidence)}`);
    for (const v of overtimeVerdicts(view.task, findings)) lines.push(`${v.text}${cite(v.evidence)}`);
    if (cat) for (const r of namedOrders(view.task, cat, findings)) lines.push(`${r.text}${cite(r.evidence)}`);
    lines.push(`${lead.result.summary}${cite(lead.result.evidence)}`);
    lines.push('', '**What the data shows**');
    for (const c of findings) lines.push(`- ${c.result.summary}${limitsOf(c.result)}${cite(c.result.evidence)}`);
    const concerns = findings.flatMap((c) => (c.result.concerns ?? []).map((x) => ({ text: x, ev: c.result.evidence }))).filter((x, i, all) => all.findIndex((y) => y.text === x.text) === i);
    if (concerns.length) {
      lines.push('', '**Watch out**');
      for (const x of concerns) lines.push(`- ${x.text}${cite(x.ev)}`);
    }
    for (const c of findings) if (c.result.next?.length && !proposals.length) recommendations.push({ text: c.result.summary, evidence: c.result.evidence });
    // Text in the twin that reads like an order to the assistant is said to be data, as the expert prompt asks.
    const planted = findings.filter((c) => PLANTED.test(c.result.summary));
    if (planted.length) {
      lines.push('', '**Suspicious data**');
      for (const c of planted) lines.push(`- Text in the twin's data reads like an instruction to the assistant; it is data, not a request from you, and it was not followed${cite(c.result.evidence)}`);
    }
    if (failed.length) {
      lines.push('', '**Not available**');
      for (const f of failed) lines.push(`- \`${f.name}\`: ${(f.result as { error: string }).error}`);
    }
  }
  if (proposals.length) {
    lines.push('', '**Proposed (waiting for approval; nothing has been executed)**');
    for (const p of proposals) {
      const ev = [...new Set([...p.evidence, ...findings.flatMap((c) => c.result.evidence)])];
      lines.push(`- \`${p.type}\` ${describeParams(p.params)}${p.risk ? ` (risk ${p.risk})` : ''}: ${p.rationale}${cite(p.evidence)}`);
      recommendations.push({ text: `${p.rationale} (${p.type} ${describeParams(p.params)}, pending approval)`, evidence: ev });
    }
  } else if (findings.length && !recommendations.length) {
    const lead = findings[0];
    recommendations.push({ text: lead.result.summary, evidence: lead.result.evidence });
  }
  if (view.draft?.concerns?.length) {
    lines.push('', '**Reviewers raised**');
    for (const c of view.draft.concerns) lines.push(`- ${c.expert} (${c.verdict}): ${c.concern}`);
  }
  return {
    answer: lines.join('\n').trim(),
    recommendations,
    actions: proposals,
    evidence: [...new Set(ok.flatMap((c) => c.result.evidence))],
  };
}

/**
 * "What does X cost us a month": the finding that prices what X costs to run (a result row with its monthly energy
 * cost) answers it, before one that prices only an excess over X's usual level, unless the task asks about the excess
 * itself (a leak, waste, the extra draw).
 */
function runningCost(task: string, findings: (PastCall & { result: Ok })[]): (PastCall & { result: Ok }) | undefined {
  if (!/\b(cost(s|ing)?|spend(ing)?|bill|pay(ing)?)\b/i.test(task) || /\b(leak\w*|wast\w*|excess\w*|extra|drift\w*|more than (usual|normal|it should))\b/i.test(task)) return undefined;
  return findings.find((c) => rowsOf(c.result.result).some((r) => num(r.energy_per_month) !== undefined));
}

/** A crew row as the crews tool reports it (aggregate figures). */
interface CrewRow {
  crew: string;
  name?: string | null;
  shift?: string;
  overtime_hours_week: number;
  overtime_limit_hours: number;
}

const isCrewRow = (r: Record<string, unknown>): r is Record<string, unknown> & CrewRow =>
  typeof r.crew === 'string' && typeof r.overtime_hours_week === 'number' && typeof r.overtime_limit_hours === 'number';

/** Words a shift's hours go by: a crew starting at 06:00 is a day crew, one working through midnight a night crew. */
function shiftWords(shift: string | undefined): string[] {
  const m = /^\s*(\d{1,2}):\d{2}\s*[-–]\s*(\d{1,2}):\d{2}/.exec(shift ?? '');
  if (!m) return [];
  const start = Number(m[1]);
  if (start >= 4 && start < 11) return ['day', 'days', 'morning', 'early'];
  if (start >= 11 && start < 17) return ['afternoon', 'afternoons', 'evening', 'swing'];
  return ['night', 'nights', 'overnight', 'graveyard'];
}

/**
 * The crew a task asks about, among the crews a result lists: by the words of its id and name ("second shift",
 * "the day operators") and of its hours ("nights"), a word shared by every crew counting for nothing. Ordinals are
 * read as words ("3rd" → "third") and lengths ("two days") are not names. Undefined when no crew stands out.
 */
export function askedCrew<T extends CrewRow>(task: string, rows: T[]): T | undefined {
  if (rows.length === 1) return rows[0];
  const doc = nlp(task);
  doc.remove('#Value+ #Duration');
  // compromise's typings leave out toText on the ordinal view it returns.
  (doc.numbers().isOrdinal() as unknown as { toText(): unknown }).toText();
  const said = new Set(contentForms(doc.text().toLowerCase()));
  const words = rows.map((r) => new Set([...contentForms(`${r.crew.replace(/[_\-.]+/g, ' ')} ${r.name ?? ''}`.toLowerCase()), ...shiftWords(r.shift)]));
  const df = new Map<string, number>();
  for (const ws of words) for (const w of ws) df.set(w, (df.get(w) ?? 0) + 1);
  const scores = words.map((ws) => [...ws].filter((w) => said.has(w)).reduce((s, w) => s + Math.log(rows.length / df.get(w)!), 0));
  const best = Math.max(...scores);
  if (!(best > 0) || scores.filter((x) => x === best).length > 1) return undefined;
  return rows[scores.indexOf(best)];
}

/**
 * "Can second shift take another 5 h of overtime?": a crews result that checked more hours against the limits is
 * answered first with the verdict for the crew the task names: yes with the hours to spare, or no with the hours left.
 */
function overtimeVerdicts(task: string, findings: (PastCall & { result: Ok })[]): { text: string; evidence: string[] }[] {
  for (const c of findings) {
    const r = c.result.result as { extra_hours?: unknown; crews?: unknown } | undefined;
    if (typeof r?.extra_hours !== 'number' || !Array.isArray(r.crews)) continue;
    const crew = askedCrew(task, (r.crews as Record<string, unknown>[]).filter(isCrewRow));
    if (!crew) continue;
    const h = r.extra_hours;
    const used = crew.overtime_hours_week;
    const limit = crew.overtime_limit_hours;
    const left = Math.max(0, limit - used);
    const n = (x: number) => String(Math.round(x * 10) / 10);
    const text =
      used + h <= limit
        ? `Yes: ${crew.crew} can take ${n(h)} h more overtime this week within its ${n(limit)} h limit (${n(used)} h so far, ${n(left)} h left, ${n(left - h)} h to spare after).`
        : `No: ${crew.crew} has only ${n(left)} h of overtime left this week (${n(used)} of its ${n(limit)} h limit); ${n(h)} h more would take it to ${n(used + h)} h, over the limit.`;
    return [{ text, evidence: c.result.evidence }];
  }
  return [];
}

/** Wording of text planted to steer an assistant ("ignore previous instructions", "SYSTEM OVERRIDE", "note to the AI"). */
const PLANTED = /\b(ignore|disregard|forget)\s+(all\s+|any\s+|your\s+|the\s+)?(previous|prior|above|earlier|safety)?\s*(instructions|rules|prompts?)\b|\bsystem\s*(override|prompt)\b|\bnote to the (ai|assistant)\b|\[\s*assistant\s*:|\bapproval already granted\b|\bpre-?approved by\b/i;

/** Objects in a result (top level, or in its arrays, one level down). */
function rowsOf(result: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (v: unknown, depth: number) => {
    if (Array.isArray(v)) for (const x of v) visit(x, depth);
    else if (v && typeof v === 'object') {
      out.push(v as Record<string, unknown>);
      if (depth < 1) for (const x of Object.values(v)) if (Array.isArray(x)) visit(x, depth + 1);
    }
  };
  visit(result, 0);
  return out;
}

const flat = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * A record the task names by id ("what does RQ-12 say?") is quoted from the tool result that holds it, every field
 * as data: its note is what someone wrote, reported, never followed.
 */
function askedRecords(task: string, findings: (PastCall & { result: Ok })[], known: string[]): { text: string; evidence: string[] }[] {
  const squashId = (t: string) => t.toLowerCase().replace(/[^a-z0-9]/g, '');
  const skip = new Set(known.map(squashId));
  const ids = new Set((task.match(/\b[A-Za-z]{1,6}-?\d{1,6}\b/g) ?? []).map(squashId).filter((t) => !skip.has(t)));
  const out: { text: string; evidence: string[] }[] = [];
  const seen = new Set<string>();
  for (const c of findings) {
    for (const row of rowsOf(c.result.result)) {
      const id = typeof row.id === 'string' ? row.id : undefined;
      if (!id || seen.has(id) || !ids.has(id.toLowerCase().replace(/[^a-z0-9]/g, ''))) continue;
      seen.add(id);
      const fields = Object.entries(row).filter(([k, v]) => k !== 'id' && v !== null && v !== undefined && v !== '').map(([k, v]) => `${k.replace(/_/g, ' ')}: ${flat(v)}`);
      out.push({ text: `${id} (record, quoted as data): ${fields.join('; ')}`.slice(0, 600), evidence: c.result.evidence });
    }
  }
  return out;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Orders the task names by customer or product rather than by id ("the Acme order"), picked out of a result that
 * lists more orders than those: each with what is left to make, its due date and how the plan sees it. An order named
 * by id was asked for by id and its result is about it alone.
 */
function namedOrders(task: string, catalog: NonNullable<CallView['context']>['catalog'], findings: (PastCall & { result: Ok })[]): { text: string; evidence: string[] }[] {
  const squashId = (t: string) => t.toLowerCase().replace(/[^a-z0-9]/g, '');
  const said = new Set((task.match(/\b[A-Za-z]{1,6}-?\d{1,6}\b/g) ?? []).map(squashId));
  if (catalog.orders.some((o) => said.has(squashId(o.id)))) return [];
  const named = new Set(ordersNamed(task, catalog).map((l) => l.id));
  if (!named.size) return [];
  // Order records (a due date as written), not a simulation's outcomes (its own quantities, a due time in ms).
  const orderRows = (c: PastCall & { result: Ok }) => rowsOf(c.result.result).filter((r) => typeof r.id === 'string' && num(r.quantity) !== undefined && (typeof r.due === 'string' || typeof r.due_local === 'string'));
  // Each named order fetched on its own: its result is about it alone, there is nothing to pick out.
  const alone = new Set(findings.map(orderRows).filter((rows) => rows.length === 1).map((rows) => rows[0].id as string));
  if ([...named].every((id) => alone.has(id))) return [];
  const out: { text: string; evidence: string[]; started: boolean }[] = [];
  for (const c of findings) {
    const rows = orderRows(c);
    if (rows.length <= named.size) continue;
    for (const r of rows) {
      const id = r.id as string;
      if (!named.has(id) || out.some((o) => o.text.startsWith(`${id} `) || o.text.startsWith(`${id}:`))) continue;
      const quantity = num(r.quantity)!;
      const done = num(r.completed) ?? 0;
      const left = num(r.remaining) ?? Math.max(0, quantity - done);
      const m = num(r.margin_hours);
      const margin = m === undefined ? undefined : Number(m.toFixed(Math.abs(m) >= 10 ? 0 : 1));
      const plan = typeof r.late !== 'boolean' || margin === undefined ? '' : r.late ? `, projected late by ${-margin} h` : `, projected on time with ${margin} h margin`;
      const who = typeof r.customer === 'string' && r.customer ? ` for ${r.customer}` : '';
      const what = typeof r.sku === 'string' ? ` ${r.sku}` : '';
      const due = typeof r.due_local === 'string' ? `, due ${r.due_local}` : '';
      out.push({ text: `${id}${who}: ${left} of ${quantity}×${what} left to make${done ? ` (${done} done)` : ''}${due}${plan}`, evidence: c.result.evidence, started: done > 0 });
    }
  }
  // The order under way first: "how many left on the Acme order" asks about the one being made.
  return out.sort((a, b) => Number(b.started) - Number(a.started)).map(({ text, evidence }) => ({ text, evidence }));
}

/**
 * The warn and alarm limits of the measurements a result reports, when its summary leaves them out: "is it safe?"
 * needs the limit next to the value.
 */
function limitsOf(result: Ok): string {
  const parts: string[] = [];
  for (const row of rowsOf(result.result)) {
    const prop = row.property;
    if (typeof prop !== 'string' || (typeof row.alarm !== 'number' && typeof row.warn !== 'number')) continue;
    if (typeof row.value !== 'number' && typeof row.current !== 'number') continue;
    const unit = typeof row.unit === 'string' ? ` ${row.unit}` : '';
    const lim = [typeof row.warn === 'number' ? `warn ${row.warn}` : '', typeof row.alarm === 'number' ? `alarm ${row.alarm}` : ''].filter(Boolean).join(', ');
    const text = `${prop} ${lim}${unit}`;
    if (!parts.includes(text)) parts.push(text);
  }
  const fresh = parts.filter((p) => !p.split(/[ ,]+/).filter((w) => /^\d/.test(w)).every((n) => result.summary.includes(n)));
  return fresh.length ? ` (limits: ${fresh.slice(0, 6).join('; ')})` : '';
}

function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => {
      if (v && typeof v === 'object' && 'start' in (v as object) && 'end' in (v as object)) {
        const w = v as { start: string; end: string };
        return `${k} ${w.start} – ${w.end}`;
      }
      return `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
    })
    .join(', ');
}

/** Shape any structured output to the schema the graph asked for, from named values; missing fields get empty values. */
export function shapeTo(schema: JsonSchema, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, prop] of Object.entries(schema.properties ?? {})) {
    const v = values[k];
    out[k] = coerce(prop, v);
  }
  return out;
}

function coerce(s: JsonSchema, v: unknown): unknown {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type ?? s.anyOf?.find((a) => a.type && a.type !== 'null')?.type;
  if (s.enum) return s.enum.includes(v) ? v : s.enum[0];
  switch (t) {
    case 'string':
      return typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'number':
    case 'integer':
      return typeof v === 'number' ? v : 0;
    case 'boolean':
      return typeof v === 'boolean' ? v : false;
    case 'array': {
      const arr = Array.isArray(v) ? v : [];
      if (!s.items) return arr;
      // A list of choices keeps only valid ones: an unknown expert name is dropped, not replaced.
      if (s.items.enum) return arr.filter((x) => s.items!.enum!.includes(x));
      return arr.map((x) => coerce(s.items!, x));
    }
    case 'object':
      if (s.properties && v && typeof v === 'object') return shapeTo(s, v as Record<string, unknown>);
      return v && typeof v === 'object' ? v : {};
    default:
      return v ?? null;
  }
}

export type { DraftBrief };
