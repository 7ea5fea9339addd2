/**
 * `propose_action`: the only way the copilot asks for a change in the plant, and it never executes anything. It
 * validates the proposal against the twin (the asset exists, the command is one its type accepts with valid
 * arguments, the order and crew exist, the window is sane), takes a command's risk from the manifest, records the
 * proposal in the run's list, and returns it. The graph stores it as `pending_approval` for a person to decide.
 */
import { z } from 'zod';
import { ActionType } from '../answer';
import type { EvidenceLedger, ProposedAction } from '../../src/llm/protocol';
import type { ToolScope } from '../runtime';
import { assetOf, defineTool, fmt, local, localSpan, ToolError, type ToolDeps } from './common';
import { overtimeLimit } from './plan-input';
import { Window } from './twin';

const proposals = new WeakMap<EvidenceLedger, ProposedAction[]>();

/** Proposals recorded in a run (keyed by the run's ledger), in order. */
export function proposalsOf(ledger: EvidenceLedger): ProposedAction[] {
  let list = proposals.get(ledger);
  if (!list) proposals.set(ledger, (list = []));
  return list;
}

/** The model's own words, kept as plain text: no markup, one paragraph, bounded. */
function plain(text: string, max = 400): string {
  return text.replace(/[<>`{}\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

const Schema = z.object({
  type: ActionType.describe('create_work_order | reschedule_order | send_command | adjust_shift'),
  asset: z.string().optional().describe('asset id (work order, command)'),
  window: Window.optional().describe('when: the work order window, the new slot of an order, or the shift change'),
  crew: z.string().optional().describe('crew id (work order, shift change)'),
  order: z.string().optional().describe('production order id (reschedule)'),
  command: z.string().optional().describe("a command the asset's type declares (send_command)"),
  args: z.record(z.string(), z.unknown()).optional().describe('command arguments'),
  hours: z.number().optional().describe('hours added (+) or removed (-) for a shift change'),
  people: z.number().int().optional().describe('people lent to (+) or taken from (-) the crew for the window (a shift change)'),
  from_crew: z.string().optional().describe('the crew lent people come from (a shift change)'),
  due: z.string().optional().describe('ISO: the new due date of a rescheduled order (default: the end of its window)'),
  rationale: z.string().describe('why, with the numbers and evidence ids'),
});

export function proposeTools(deps: ToolDeps, scope: ToolScope) {
  const propose_action = defineTool(deps, scope, {
    name: 'propose_action',
    description:
      'Record a proposed action for a person to approve: create_work_order (asset, window, crew), reschedule_order (order, window), send_command (asset, command, args) or adjust_shift (crew, window or hours). Makes a proposal only; nothing is executed until someone with the right role approves it.',
    schema: Schema,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const window = args.window ? { start: Date.parse(args.window.start), end: Date.parse(args.window.end) } : undefined;
      if (window && !(Number.isFinite(window.start) && Number.isFinite(window.end) && window.end > window.start)) throw new ToolError('window must be ISO start < end');
      if (window && window.end < ctx.now) throw new ToolError('the window is in the past');
      const crew = args.crew ? snap.crews.find((c) => c.id.toLowerCase() === args.crew!.toLowerCase()) : undefined;
      if (args.crew && !crew) throw new ToolError(`unknown crew "${args.crew.slice(0, 40)}"; crews: ${snap.crews.map((c) => c.id).join(', ')}`);
      const concerns: string[] = [];
      let params: Record<string, unknown>;
      let risk: ProposedAction['risk'] = 'medium';
      let what: string;
      switch (args.type) {
        case 'create_work_order': {
          if (!args.asset) throw new ToolError('create_work_order needs an asset');
          const a = assetOf(snap, args.asset);
          if (!window) throw new ToolError('create_work_order needs a window {start, end}');
          params = { asset: a.id, window: args.window, ...(crew ? { crew: crew.id } : {}), duration_hours: Number(((window.end - window.start) / 3600e3).toFixed(2)) };
          if (crew && crew.overtimeHoursWeek > overtimeLimit(crew)) concerns.push(`${crew.id} is over its overtime limit (${fmt(crew.overtimeHoursWeek)} h)`);
          what = `work order on ${a.id}, ${localSpan(window.start, window.end, tz)}${crew ? ` by ${crew.id}` : ''}`;
          break;
        }
        case 'reschedule_order': {
          const o = snap.orders.find((x) => x.id.toLowerCase() === (args.order ?? '').toLowerCase());
          if (!o) throw new ToolError(`reschedule_order needs a known order; orders: ${snap.orders.map((x) => x.id).join(', ')}`);
          if (!window) throw new ToolError('reschedule_order needs a window {start, end} for the new slot');
          const due = args.due ? Date.parse(args.due) : window.end;
          if (!Number.isFinite(due) || due < ctx.now) throw new ToolError('due must be an ISO time after now');
          // The executor changes the order's due date: the proposal says which.
          params = { order: o.id, window: args.window, due: new Date(due).toISOString() };
          what = `reschedule ${o.id} to ${local(window.start, tz)}–${local(window.end, tz)} (due ${local(due, tz)}, was ${local(o.due.getTime(), tz)})`;
          if (due > o.due.getTime()) concerns.push(`${o.id} would be due ${local(due, tz)}, after its current due date ${local(o.due.getTime(), tz)}`);
          break;
        }
        case 'send_command': {
          if (!args.asset || !args.command) throw new ToolError('send_command needs an asset and a command');
          const a = assetOf(snap, args.asset);
          const commands = snap.types.get(a.type)?.commands ?? {};
          const def = commands[args.command];
          if (!def) throw new ToolError(`${a.id} (${a.type}) has no command "${args.command.slice(0, 40)}"; it accepts ${Object.keys(commands).join(', ') || 'none'}`);
          const cargs = args.args ?? {};
          for (const [k, p] of Object.entries(def.params ?? {})) {
            const v = cargs[k];
            if (v === undefined) {
              if (p.required !== false) throw new ToolError(`${args.command} needs argument ${k}`);
              continue;
            }
            if (p.type === 'number' && (typeof v !== 'number' || (p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max))) {
              // Said so a person can act on it: which machine, what was asked, and the range it takes.
              const unit = p.unit ? ` ${p.unit}` : '';
              const range = p.min !== undefined && p.max !== undefined ? `between ${p.min} and ${p.max}${unit}` : p.max !== undefined ? `at most ${p.max}${unit}` : `at least ${p.min}${unit}`;
              throw new ToolError(`${a.id} ${args.command}: ${k} must be ${range}${typeof v === 'number' ? `, and ${v}${unit} is outside that range` : ''}; nothing was proposed`);
            }
          }
          for (const k of Object.keys(cargs)) if (!def.params?.[k]) throw new ToolError(`${args.command} takes no argument ${k.slice(0, 40)}`);
          params = { asset: a.id, command: args.command, args: cargs };
          risk = def.risk;
          what = `command ${args.command} to ${a.id}${Object.keys(cargs).length ? ` ${JSON.stringify(cargs)}` : ''}`;
          break;
        }
        case 'adjust_shift': {
          if (!crew) throw new ToolError('adjust_shift needs a crew');
          if (args.people !== undefined) {
            // People lent between crews for one window: nobody's hours grow, the crews' head counts change for it.
            if (!window) throw new ToolError('moving people between crews needs the window they are moved for');
            const from = args.from_crew ? snap.crews.find((c) => c.id.toLowerCase() === args.from_crew!.toLowerCase()) : undefined;
            if (args.from_crew && !from) throw new ToolError(`unknown crew "${args.from_crew.slice(0, 40)}"; crews: ${snap.crews.map((c) => c.id).join(', ')}`);
            if (from && args.people > 0 && args.people >= from.size) concerns.push(`${from.id} has only ${from.size} people; lending ${args.people} leaves it empty`);
            params = { crew: crew.id, window: args.window, people: args.people, ...(from ? { from_crew: from.id } : {}), overtime_hours: 0 };
            what = `${Math.abs(args.people)} people ${args.people > 0 ? `to ${crew.id}${from ? ` from ${from.id}` : ''}` : `off ${crew.id}`} ${localSpan(window!.start, window!.end, tz)}`;
            break;
          }
          if (!window && args.hours === undefined) throw new ToolError('adjust_shift needs a window or hours');
          const added = args.hours ?? (window ? (window.end - window.start) / 3600e3 : 0);
          // overtime_hours is what the executor applies to the crew's week.
          params = { crew: crew.id, ...(args.window ? { window: args.window } : {}), ...(args.hours !== undefined ? { hours: args.hours } : {}), overtime_hours: Number(added.toFixed(2)) };
          if (added > 0 && crew.overtimeHoursWeek + added > overtimeLimit(crew)) concerns.push(`${crew.id} would reach ${fmt(crew.overtimeHoursWeek + added)} h overtime, over its ${overtimeLimit(crew)} h limit`);
          what = `shift change for ${crew.id}${window ? ` ${localSpan(window.start, window.end, tz)}` : ''}${args.hours !== undefined ? ` (${args.hours > 0 ? '+' : ''}${args.hours} h)` : ''}`;
          break;
        }
      }
      // A proposal cites what the run already found about the things it touches.
      const touched = [params.asset, params.order, params.crew].filter(Boolean).map(String);
      const cited = ctx.scope.ledger.list().filter((e) => touched.some((t) => e.ref.startsWith(`${t}/`) || e.ref === t || e.summary.includes(t))).map((e) => e.id);
      const proposal: ProposedAction = { type: args.type, params, risk, rationale: plain(args.rationale), evidence: [...new Set(cited)].slice(0, 8) };
      proposalsOf(ctx.scope.ledger).push(proposal);
      return {
        ok: true,
        summary: `proposed ${what} (risk ${risk}); it waits for a person's approval, nothing was executed`,
        evidence: proposal.evidence ?? [],
        result: proposal,
        concerns: concerns.length ? concerns : undefined,
      };
    },
  });
  return { propose_action };
}
