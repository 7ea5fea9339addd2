/**
 * Commands out (two-way sync). A command is checked against the manifest's command definition, recorded, and its
 * setpoint written to the asset's desired state; then it goes to the device and waits for the ack. The ack (or its
 * absence within COMMAND_ACK_TIMEOUT_MS) settles the command row and the audit trail; nothing stays silently pending.
 * The device reports the new value as telemetry, and reported state converges on desired.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { SqlRunner } from '../ingest/sql';
import type { CommandDef } from '../twin/manifest';
import type { Actor } from './roles';
import type { Ack, CommandTransport } from './transport';

export interface CommandRequest {
  twin: string;
  asset: string;
  command: string;
  args?: Record<string, unknown>;
  actionId?: string | null;
  actor: Actor;
}

export interface CommandOutcome {
  id: string;
  status: 'done' | 'failed' | 'timeout';
  detail: string;
}

export interface CommandSender {
  send(req: CommandRequest): Promise<CommandOutcome>;
  close(): void;
}

/** Check args against the definition; returns every problem. */
export function checkArgs(def: CommandDef, args: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const params = def.params ?? {};
  for (const key of Object.keys(args)) if (!(key in params)) problems.push(`unknown argument "${key}"`);
  for (const [name, p] of Object.entries(params)) {
    const v = args[name];
    if (v === undefined) {
      if (p.required !== false && (def.sets || p.required)) problems.push(`missing argument "${name}"`);
      continue;
    }
    if (p.type === 'number' || p.type === 'integer') {
      if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`argument "${name}" must be a number`);
      else if ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)) problems.push(`argument "${name}"=${v} is outside ${p.min ?? '-∞'}…${p.max ?? '∞'}`);
    } else if (p.type === 'enum' && p.values && !p.values.includes(String(v))) problems.push(`argument "${name}" must be one of ${p.values.join(', ')}`);
  }
  return problems;
}

export async function audit(
  sql: SqlRunner,
  entry: { twin?: string | null; actor: Actor; event: string; target?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await sql.query('INSERT INTO audit_log (twin_id, actor, actor_role, via, event, target, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)', [
    entry.twin ?? null,
    entry.actor.id,
    entry.actor.role,
    entry.actor.via,
    entry.event,
    entry.target ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}

export function createCommandSender(deps: { sql: SqlRunner; bus?: EventBus; clock: Clock; transport: CommandTransport; ackTimeoutMs: number }): CommandSender {
  const waiting = new Map<string, (ack: Ack) => void>();
  const off = deps.transport.onAck((_twin, _asset, ack) => waiting.get(ack.id)?.(ack));

  return {
    close: off,
    async send(req) {
      const args = req.args ?? {};
      const [asset] = await deps.sql.query<{ id: number; type: string; commands: Record<string, CommandDef> | string | null }>(
        `SELECT a.id, a.type, t.effective_commands AS commands FROM assets a
         LEFT JOIN asset_types t ON t.twin_id = a.twin_id AND t.key = a.type
         WHERE a.twin_id = $1 AND a.key = $2 AND a.retired_at IS NULL`,
        [req.twin, req.asset],
      );
      if (!asset) throw new AppError('not_found', `unknown asset "${req.asset}" in twin "${req.twin}"`, { asset: req.asset });
      const commands = (typeof asset.commands === 'string' ? JSON.parse(asset.commands) : asset.commands) ?? {};
      const def = (commands as Record<string, CommandDef>)[req.command];
      if (!def) throw new AppError('validation_failed', `asset "${req.asset}" has no command "${req.command}"`, { problems: [{ path: 'command', message: `known: ${Object.keys(commands).join(', ') || 'none'}` }] });
      const problems = checkArgs(def, args);
      if (problems.length) throw new AppError('validation_failed', `invalid arguments for ${req.command}`, { problems: problems.map((m) => ({ path: 'args', message: m })) });

      const id = `cmd_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      const now = deps.clock.now().toISOString();
      const desired = def.sets ? { [def.sets]: { value: Object.values(args).find((v) => typeof v === 'number') ?? null, ts: now } } : null;
      await deps.sql.transaction(async (tx) => {
        await tx.query('INSERT INTO commands (id, action_id, twin_id, asset_id, command, args, status) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)', [
          id,
          req.actionId ?? null,
          req.twin,
          asset.id,
          req.command,
          JSON.stringify(args),
          'sent',
        ]);
        if (desired) {
          await tx.query('UPDATE assets SET desired = desired || $1::jsonb, version = version + 1, updated_at = now() WHERE id = $2', [JSON.stringify(desired), asset.id]);
        }
        await audit(tx, { twin: req.twin, actor: req.actor, event: 'command.sent', target: id, details: { asset: req.asset, command: req.command, args, action_id: req.actionId ?? null } });
      });
      if (desired) deps.bus?.publish('state_changed', { twin: req.twin, asset: req.asset, side: 'desired', changes: desired });

      const ack = new Promise<Ack | null>((resolve) => {
        const timer = setTimeout(() => (waiting.delete(id), resolve(null)), deps.ackTimeoutMs);
        waiting.set(id, (a) => (clearTimeout(timer), waiting.delete(id), resolve(a)));
      });
      try {
        await deps.transport.send(req.twin, req.asset, { id, command: req.command, args, ts: now });
      } catch (err) {
        waiting.get(id)?.({ id, status: 'failed', detail: `could not publish: ${(err as Error).message}` });
      }
      const got = await ack;
      const outcome: CommandOutcome = got
        ? { id, status: got.status, detail: got.detail ?? (got.status === 'done' ? 'acknowledged' : 'failed without detail') }
        : { id, status: 'timeout', detail: `no ack from ${req.asset} within ${deps.ackTimeoutMs} ms` };
      await deps.sql.transaction(async (tx) => {
        await tx.query('UPDATE commands SET status = $1, detail = $2, acked_at = $3::timestamptz WHERE id = $4', [
          outcome.status,
          outcome.detail,
          got ? deps.clock.now().toISOString() : null,
          id,
        ]);
        await audit(tx, {
          twin: req.twin,
          actor: { id: req.asset, role: 'viewer', via: 'system' },
          event: outcome.status === 'done' ? 'command.acked' : 'command.failed',
          target: id,
          details: { status: outcome.status, detail: outcome.detail, action_id: req.actionId ?? null },
        });
      });
      return outcome;
    },
  };
}
