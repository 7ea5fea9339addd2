/**
 * Last checks on proposals before they are stored, whatever the model said. A model can be misled by text planted
 * in the twin (an asset name, a work-order note); these rules hold even then:
 * - the action type is one of the contract's, and an `asset` param names a thing in the twin's catalog;
 * - a command that stops or disables equipment is kept only when the person's own task asks for it;
 * - risk never goes below the floor of its type (a model cannot make a command approvable by a lower role).
 */
import type { Risk } from '../src/control/roles';
import type { ProposedAction, TwinContext } from '../src/llm/protocol';
import { ActionType } from './answer';

const DISRUPTIVE = /^(stop|halt|shutdown|shut_down|power_off|off|disable|trip|emergency_stop|estop|kill|abort)$/i;

const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

export function riskFloor(p: ProposedAction): Risk {
  if (p.type === 'send_command') return DISRUPTIVE.test(String(p.params.command ?? '')) || /start/i.test(String(p.params.command ?? '')) ? 'high' : 'medium';
  return 'medium';
}

export function riskOf(p: ProposedAction): Risk {
  const floor = riskFloor(p);
  const asked = p.risk && p.risk in RANK ? p.risk : floor;
  return RANK[asked] >= RANK[floor] ? asked : floor;
}

function taskAsks(task: string, command: string): boolean {
  const words = command.toLowerCase().split(/[_\s-]+/).filter(Boolean);
  const text = task.toLowerCase();
  // "stop", "stopping", "shut down", "shutdown": the stem of every word of the command must be there.
  return words.every((w) => new RegExp(`\\b${w.slice(0, Math.max(3, w.length - 1)).replace(/[^a-z0-9]/g, '')}`).test(text));
}

export function guardProposals(task: string, proposals: ProposedAction[], catalog: TwinContext['catalog']): { kept: ProposedAction[]; dropped: string[] } {
  const assets = new Set(catalog.assets.map((a) => a.id));
  const kept: ProposedAction[] = [];
  const dropped: string[] = [];
  for (const p of proposals) {
    const asset = p.params.asset;
    if (!ActionType.safeParse(p.type).success) dropped.push(`a proposal of unknown type "${p.type}"`);
    else if (typeof asset === 'string' && assets.size && !assets.has(asset)) dropped.push(`a ${p.type} for "${asset}", which is not in the twin`);
    else if (p.type === 'send_command' && DISRUPTIVE.test(String(p.params.command ?? '')) && !taskAsks(task, String(p.params.command)))
      dropped.push(`a "${String(p.params.command)}" command on ${String(asset ?? 'an asset')} that the task did not ask for`);
    else kept.push({ ...p, risk: riskOf(p) });
  }
  return { kept, dropped };
}
