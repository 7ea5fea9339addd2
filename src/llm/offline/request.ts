/**
 * Direct instructions in a person's task ("stop the capper", "set the boiler pressure to 9", "push BO-502 back two
 * days", "add 4 hours for team-red on Friday", "open a work order for filler-f2") read as the proposal they ask for.
 * Only the task the person typed is read, never tool output or catalog text, so imperative text planted in data
 * can't become an action. Commands are found generically in the `<context>` catalog (each type's commands, their
 * params and limits); the verbs below are English, not any plant's vocabulary. A request is still only a proposal:
 * the propose tool validates it and a person approves it.
 */
import type { CommandCard } from '../protocol';
import type { Grounding } from './args';
import { linkNumbers, linkText, ordersNamed, type Link } from './link';
import { COUNT_WORDS, parseTimes, spanOf, tzOffsetMinutes } from './times';
import { contentRoots, squash, wordSimilarity } from './text';

export interface Request {
  type: 'send_command' | 'reschedule_order' | 'adjust_shift' | 'create_work_order';
  /** Arguments for the propose tool, in its parameter names (asset, command, args, order, window, due, crew, hours). */
  args: Record<string, unknown>;
  /** For a work order with no window in the task: read when to do it first. */
  needsWindow?: boolean;
}

const HOUR = 3600e3;
const DAY = 24 * HOUR;

/** Polite or framing words before the verb of an instruction: "please", "can you", "go ahead and", "I want you to". */
const LEAD =
  /^(?:(?:ok(?:ay)?|right|so|now|then|hey|hi|pls|please|kindly|just|also|asap|and|urgent(?:ly)?|quick(?:ly)?)[\s,:!-]+|(?:can|could|would|will)\s+(?:you|u|we)\s+(?:please\s+)?|(?:go ahead and|i\s+(?:want|need|would like)\s+(?:you\s+)?to|we\s+(?:need|have|want)\s+to|let'?s|lets)\s+)/i;
/** Verbs that change a setpoint; the target command is found by what the sentence names. */
const SETPOINT = /^(set|raise|lower|increase|decrease|reduce|change|adjust|bump|drop|turn|put|bring|up|crank|make)$/;
/** Verbs that move an order in time. */
const MOVE = /^(move|push|pull|reschedule|postpone|delay|defer|shift|bring|advance|expedite|slip|rebook|resched)$/;
const LATER = /\b(back|later|out|postpone|delay|defer|slip)\b/;
const EARLIER = /\b(forward|earlier|up|advance|expedite|sooner|ahead)\b/;
/** Verbs that add or take away crew hours. */
const STAFF = /^(add|extend|schedule|cut|reduce|shorten|lengthen|adjust|put|book|arrange|give)$/;
/** Verbs that open a record. */
const OPEN = /^(open|create|raise|log|book|file|add|make|put|start|schedule|plan|issue|submit|arrange|organi[sz]e)$/;
const WORK_ORDER = /\b(work[\s-]?orders?|wos?|maintenance (job|order|ticket)|repair (job|order|ticket)|ticket|job card)\b/;
/** Maintenance jobs by kind: "schedule an inspection of X", "book a service for X", "plan the bearing job on X". */
const JOB = /\b(an? |the )?(inspection|service|servicing|overhaul|repair|check-?up|bearing (job|change|swap)|oil (change|analysis)|calibration|maintenance)\b/;

function clauses(task: string): string[] {
  return task
    .split(/[.!?;\n]+|,?\s+(?:and|then|and then)\s+(?=(?:please\s+)?[a-z]+\b)/i)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The clause's leading verb and the rest, when the clause is an instruction (verb first, after polite words). */
function instruction(clause: string): { verb: string; rest: string } | null {
  let s = clause.trim();
  for (let i = 0; i < 4; i++) {
    const m = LEAD.exec(s);
    if (!m) break;
    s = s.slice(m[0].length).trim();
  }
  const m = /^([a-z]+(?:\s+(?:down|off|up|on))?)\b\s*(.*)$/i.exec(s);
  if (!m) return null;
  return { verb: m[1].toLowerCase(), rest: m[2] };
}

function wordsOf(text: string): string[] {
  return contentRoots(text.replace(/[_\-]+/g, ' ')).filter((w) => !/^\d+$/.test(w));
}

/** Verbs of switching that mean one command name: "shut down" a machine is to stop it, "switch on" to start it. */
const SAME_AS: Record<string, string> = {
  'shut down': 'stop', 'shut off': 'stop', shutdown: 'stop', halt: 'stop', 'turn off': 'stop', 'switch off': 'stop', 'power down': 'stop', kill: 'stop',
  'turn on': 'start', 'switch on': 'start', 'power up': 'start', 'start up': 'start', startup: 'start',
};

/** How well a command fits the words of an instruction: its name, the setpoint it sets, its params and units. */
function commandFit(cmd: CommandCard, verb: string, rest: string): number {
  const said = [...new Set([...wordsOf(rest), ...contentRoots(verb)])];
  const nameWords = wordsOf(cmd.name);
  const verbWord = verb.split(/\s+/)[0];
  const paramless = !Object.keys(cmd.params).length;
  if (paramless) {
    // "stop", "shut down" → stop/shutdown; the verb itself must name the command.
    const v = squash(SAME_AS[verb] ?? verb);
    const n = squash(cmd.name);
    if (v === n || (n.length >= 4 && v.startsWith(n)) || nameWords.some((w) => wordSimilarity(w, verbWord) >= 0.85 && nameWords.length === 1)) return 2;
    return 0;
  }
  if (!SETPOINT.test(verbWord) && !nameWords.some((w) => wordSimilarity(w, verbWord) >= 0.85)) return 0;
  const topic = [...nameWords.filter((w) => !SETPOINT.test(w)), ...wordsOf(cmd.sets ?? ''), ...Object.keys(cmd.params).flatMap(wordsOf)];
  const desc = wordsOf(cmd.description ?? '');
  let score = 0;
  for (const w of new Set(topic)) score += Math.max(0, ...said.map((s) => (wordSimilarity(s, w) >= 0.7 ? 1 : 0)));
  for (const w of new Set(desc)) score += 0.3 * Math.max(0, ...said.map((s) => (wordSimilarity(s, w) >= 0.85 ? 1 : 0)));
  return score;
}

/** Values for a command's params from the numbers (and enum words) of the instruction; null when one is missing. */
function commandArgs(cmd: CommandCard, rest: string): Record<string, unknown> | null {
  // "to 240" wins over other numbers; "by 10" is relative to a value the task does not give, so it is not a target.
  const nums = linkNumbers(rest)
    .filter((n) => !new RegExp(`\\bby\\s+${n.value}\\b`).test(rest))
    // A number that completes a name ("oven 1", "line 2") is not a value; one after "to", "at" or "=" is the target.
    .filter((n) => !new RegExp(`\\b[a-z]{3,}\\s+${n.value}\\s+(to|at|=)\\s`, 'i').test(rest))
    .sort((a, b) => Number(targetOf(b.value)) - Number(targetOf(a.value)));
  function targetOf(v: number): boolean {
    return new RegExp(`\\b(to|at|=)\\s*${v}\\b`, 'i').test(rest);
  }
  const out: Record<string, unknown> = {};
  let used = 0;
  for (const [name, p] of Object.entries(cmd.params)) {
    if (p.values?.length) {
      const hit = p.values.find((v) => new RegExp(`\\b${v.replace(/[^\w]/g, '.')}\\b`, 'i').test(rest));
      if (hit) out[name] = hit;
      else if (p.required !== false) return null;
      continue;
    }
    if (p.type === 'number' || p.type === 'integer') {
      const n = nums[used];
      if (n === undefined) {
        if (p.required !== false) return null;
        continue;
      }
      used++;
      out[name] = n.value;
      continue;
    }
    if (p.type === 'boolean') {
      if (/\b(on|enable|true|yes)\b/i.test(rest)) out[name] = true;
      else if (/\b(off|disable|false|no)\b/i.test(rest)) out[name] = false;
      else if (p.required !== false) return null;
      continue;
    }
    if (p.required !== false) return null;
  }
  return out;
}

/** Assets an instruction names: by id or name, or by type when the twin has one asset of that type ("the boiler"). */
function targets(rest: string, g: Grounding): Link[] {
  const linked = linkText(rest, g.catalog);
  const links = [...linked.assets];
  for (const t of linked.types) {
    const of = g.catalog.assets.filter((a) => a.type === t.type);
    if (of.length === 1 && !links.some((l) => l.id === of[0].id)) links.push({ id: of[0].id, score: t.score, via: 'type' });
  }
  return links;
}

function commandRequest(verb: string, rest: string, g: Grounding): Request | null {
  const commands = g.catalog.commands ?? {};
  // The target is named in the instruction itself, read without its verb (a planted name may repeat the verb). Of the
  // assets it names, the one whose command fits the words best, weighed by how surely it is named ("reduce the hold
  // temp to 70, we are wasting steam" is the pasteuriser's hold temperature, not the boiler's steam pressure).
  const links = targets(rest, g);
  let best: { asset: string; cmd: CommandCard; score: number } | undefined;
  for (const link of links) {
    const type = g.catalog.assets.find((a) => a.id === link.id)?.type;
    for (const cmd of (type && commands[type]) || []) {
      const score = commandFit(cmd, verb, rest) * link.score;
      if (score > 0 && (!best || score > best.score)) best = { asset: link.id, cmd, score };
    }
  }
  // "bump the alum dose to 34": the instruction names the setting, not the machine. The command that fits it best
  // decides, when one asset alone takes it.
  if (!best) {
    for (const [type, cmds] of Object.entries(commands)) {
      const of = g.catalog.assets.filter((a) => a.type === type);
      if (of.length !== 1) continue;
      for (const cmd of cmds) {
        const score = Object.keys(cmd.params).length ? commandFit(cmd, verb, rest) : 0;
        if (score >= 2 && (!best || score > best.score)) best = { asset: of[0].id, cmd, score };
      }
    }
  }
  if (!best) return null;
  const args = commandArgs(best.cmd, rest);
  if (!args) return null;
  return { type: 'send_command', args: { asset: best.asset, command: best.cmd.name, args } };
}

/** Words that point back at the order a thread is about: "it", "that one", "the ship date", "its due date", "the order". */
const THAT_ORDER =
  /^\s*(?:(?:back|out|forward|up)\s+)?(?:(?:it|that|this)(?:\s+one)?|(?:the|its|their|that|this|our|his|her)\s+(?:(?:order|job|po|deadline|delivery|shipment)\b|(?:ship(?:ping)?|due|delivery|deliver|promised?|finish|completion|target|end)\s*(?:date|day|time)s?\b))/i;

/** The one order the thread has been about: named in the latest earlier task that names any, else the only one linked. */
function threadOrder(g: Grounding): Link | undefined {
  for (const t of g.earlier ?? []) {
    const ids = [...new Set(linkText(t, g.catalog).orders.map((l) => l.id))];
    if (ids.length === 1) return { id: ids[0], score: 0.8, via: 'id' };
    if (ids.length > 1) return undefined;
  }
  return g.links.orders.length === 1 ? g.links.orders[0] : undefined;
}

function rescheduleRequest(verb: string, rest: string, g: Grounding): Request | null {
  if (!MOVE.test(verb.split(/\s+/)[0])) return null;
  // "push it back 2 days" or "push the ship date back 2 days" after a question about one order: that order.
  const linked = linkText(rest, g.catalog).orders;
  const named = ordersNamed(rest, g.catalog);
  const order = linked.find((l) => l.via !== 'name') ?? (named.length === 1 ? named[0] : undefined) ?? (THAT_ORDER.test(rest) ? threadOrder(g) : undefined);
  if (!order) return null;
  const due = Date.parse(g.catalog.orders.find((o) => o.id === order.id)?.due ?? '');
  const now = Date.parse(g.now);
  const span = spanOf(rest);
  let end: number | undefined;
  // "delay it 2 days", "expedite it by a day": the verb itself says which way a span moves the date.
  const said = `${verb} ${rest}`.toLowerCase();
  if (span !== null && /\bby\b|\b(back|forward|out|up|later|earlier|postpone|delay|defer|slip|advance|expedite)\b/i.test(said) && Number.isFinite(due)) {
    const sign = EARLIER.test(said) && !LATER.test(said) ? -1 : 1;
    end = due + sign * span;
  } else {
    const w = parseTimes(rest, new Date(now), g.timezone ?? 'UTC').find((t) => t.kind === 'window' || t.kind === 'deadline');
    if (w) end = Date.parse(w.end);
  }
  if (end === undefined || !Number.isFinite(end)) return null;
  const start = Math.max(now, end - DAY);
  return { type: 'reschedule_order', args: { order: order.id, window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() }, due: new Date(end).toISOString() } };
}

function shiftRequest(verb: string, rest: string, g: Grounding): Request | null {
  const v = verb.split(/\s+/)[0];
  if (!STAFF.test(v) || !/\b(shifts?|overtime|hours?|hrs?|crew|team)\b/i.test(rest)) return null;
  // "give me the hours worked by …", "put us down for …": asked for information, not hours given to a crew.
  if (/^(me|us)\b/i.test(rest.trim())) return null;
  const crew = linkText(rest, g.catalog).crews[0];
  if (!crew) return null;
  const sign = /^(cut|reduce|shorten)$/.test(v) ? -1 : 1;
  // Ids and names are not times: "team-night" and "the Night shift" name a crew, not tonight.
  const name = g.catalog.crews.find((c) => c.id === crew.id)?.name;
  for (const label of [crew.id, ...(name ? [name] : [])]) rest = rest.replace(new RegExp(label.replace(/[^\w]/g, '.'), 'ig'), ' ');
  const span = spanOf(rest);
  // "4 hours" is a length here, not a time from now.
  const w = parseTimes(rest, new Date(g.now), g.timezone ?? 'UTC').find((t) => t.kind === 'window' && !/^(in\s+)?(\d+(\.\d+)?|an?|one|two|three|four|five|six|seven|eight)\s*(hours?|hrs?|h|days?|d)$/i.test(t.text.trim()));
  const args: Record<string, unknown> = { crew: crew.id };
  if (span !== null && span < 2 * DAY) args.hours = sign * (span / HOUR);
  if (w) args.window = { start: w.start, end: w.end };
  if (args.hours === undefined && !w) {
    // "an extra shift" with no length: one shift of the crew's own length.
    const m = /(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})/.exec(g.catalog.crews.find((c) => c.id === crew.id)?.shift ?? '');
    if (!m || !/\bshift\b/i.test(rest)) return null;
    const len = ((Number(m[3]) * 60 + Number(m[4]) - (Number(m[1]) * 60 + Number(m[2])) + 1440) % 1440 || 1440) / 60;
    args.hours = sign * len;
  }
  return { type: 'adjust_shift', args };
}

/** Verbs that lend people from one crew to another. */
const LEND = /^(move|lend|loan|transfer|send|borrow|reassign|swap|shift|put|bring|give)$/;
const HEADS = /\b(\d+|a couple of|one|two|three|four|five|six|a few)\s+(?:extra\s+|more\s+)?(people|persons|workers|operators|hands|staff|techs?|technicians|guys|members|bodies)\b/i;

/**
 * "move 2 people from crew a to crew b for tomorrow's late shift": people lent to the receiving crew for one of its
 * shifts. The window is that crew's own shift on the day named (or the next one).
 */
function lendRequest(verb: string, rest: string, g: Grounding): Request | null {
  if (!LEND.test(verb.split(/\s+/)[0])) return null;
  const heads = HEADS.exec(rest);
  if (!heads) return null;
  const n = COUNT_WORDS[heads[1].toLowerCase()] ?? Number(heads[1]);
  const from = /\bfrom\b(.*?)(?=\b(?:to|into|onto|over to|for)\b|$)/i.exec(rest)?.[1] ?? '';
  const to = /\b(?:to|into|onto)\b(.*)$/i.exec(rest)?.[1] ?? '';
  const target = linkText(to, g.catalog).crews[0];
  const source = linkText(from, g.catalog).crews[0];
  if (!target || !Number.isFinite(n) || n <= 0) return null;
  const shift = /(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})/.exec(g.catalog.crews.find((c) => c.id === target.id)?.shift ?? '');
  const cleaned = rest.replace(new RegExp([target.id, source?.id].filter(Boolean).map((id) => id!.replace(/[^\w]/g, '.')).join('|'), 'ig'), ' ');
  const day = parseTimes(cleaned, new Date(g.now), g.timezone ?? 'UTC').find((t) => t.kind === 'window');
  if (!shift) return null;
  const startMin = Number(shift[1]) * 60 + Number(shift[2]);
  const len = ((Number(shift[3]) * 60 + Number(shift[4]) - startMin + 1440) % 1440 || 1440) * 60e3;
  // The shift's start on the day named, local time: the day window starts at local midnight.
  const dayStart = day ? Date.parse(day.start) : Date.parse(g.now);
  const offset = tzOffsetMinutes(g.timezone ?? 'UTC', new Date(dayStart)) * 60e3;
  let start = Math.floor((dayStart + offset) / DAY) * DAY - offset + startMin * 60e3;
  if (start + len <= Date.parse(g.now)) start += DAY;
  return {
    type: 'adjust_shift',
    args: { crew: target.id, people: n, ...(source && source.id !== target.id ? { from_crew: source.id } : {}), window: { start: new Date(start).toISOString(), end: new Date(start + len).toISOString() } },
  };
}

function workOrderRequest(verb: string, rest: string, g: Grounding): Request | null {
  const v = verb.split(/\s+/)[0];
  const job = /^(schedule|plan|book|arrange|organi[sz]e)$/.test(v) && JOB.test(rest.toLowerCase());
  // "raise one for X" right after asking about work orders: "one" is a work order.
  const another = /^(one|another|a new one|one more)\b/i.test(rest.trim()) && WORK_ORDER.test((g.earlier?.[0] ?? '').toLowerCase());
  // "take cnc-2 down tomorrow 6am to 6pm for the bearing": downtime for a job is a work order.
  const downFor = /^(take|bring|shut)$/.test(v) && /\b(down|offline|out of service)\b[^.?!]*\bfor\s+(the|a|an|its)\s+\w+/i.test(rest);
  if (!(OPEN.test(v) || downFor) || !(WORK_ORDER.test(rest.toLowerCase()) || job || another || downFor)) return null;
  const asset = targets(rest, g)[0];
  if (!asset) return null;
  const w = parseTimes(rest, new Date(g.now), g.timezone ?? 'UTC').find((t) => t.kind === 'window');
  if (w) return { type: 'create_work_order', args: { asset: asset.id, window: { start: w.start, end: w.end } } };
  return { type: 'create_work_order', args: { asset: asset.id }, needsWindow: true };
}

/** The one request an instruction makes, tried kind by kind, or null. */
function requestOf(verb: string, rest: string, g: Grounding): Request | null {
  return workOrderRequest(verb, rest, g) ?? rescheduleRequest(verb, rest, g) ?? commandRequest(verb, rest, g) ?? lendRequest(verb, rest, g) ?? shiftRequest(verb, rest, g);
}

/** Verbs that ask to operate a machine (as opposed to plan, move or staff something). */
const CONTROL = /^(stop|start|restart|reset|pause|resume|switch|turn|shut|power|halt|kill|set|raise|lower|open|close)$/i;

/** An instruction to operate an asset that accepts no command doing it: said in the answer, never proposed. */
export interface UnmetCommand {
  asset: string;
  verb: string;
  accepts: string[];
}

/** Instructions to operate an asset whose type has no fitting command ("shut down the palletiser", which takes none). */
export function unmetCommands(task: string, g: Grounding): UnmetCommand[] {
  const out: UnmetCommand[] = [];
  for (const clause of clauses(task)) {
    const ins = instruction(clause);
    if (!ins || !CONTROL.test(ins.verb.split(/\s+/)[0]!)) continue;
    // A request after all ("open a work order", "set up an extra shift", a command that fits): explicitRequests' own.
    if (requestOf(ins.verb, ins.rest, g)) continue;
    const target = targets(ins.rest, g)[0];
    if (!target) continue;
    const type = g.catalog.assets.find((a) => a.id === target.id)?.type;
    const commands = (type && g.catalog.commands?.[type]) || [];
    if (commands.some((c) => commandFit(c, ins.verb, ins.rest) > 0)) continue;
    out.push({ asset: target.id, verb: ins.verb.toLowerCase(), accepts: commands.map((c) => c.name) });
  }
  return out;
}

/**
 * The proposals a task asks for in so many words, one per instruction, in the order given. A question ("should we
 * stop it?", "what if we move BO-502?") is not an instruction: it gets an analysis, and a proposal only if a tool
 * suggests one.
 */
export function explicitRequests(task: string, g: Grounding): Request[] {
  const out: Request[] = [];
  for (const clause of clauses(task)) {
    const ins = instruction(clause);
    if (!ins) continue;
    const r = requestOf(ins.verb, ins.rest, g);
    if (r && !out.some((o) => JSON.stringify(o) === JSON.stringify(r))) out.push(r);
  }
  return out;
}
