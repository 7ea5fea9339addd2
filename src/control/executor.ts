/**
 * The action executor: what happens after a person approves an action (the copilot's `execute` node calls it).
 * It handles the four action types of interfaces.md, marks the action `executed` or `failed` with its result,
 * records the status change and the audit trail, and tells subscribers. It never leaves an action pending.
 */
import type { Action } from '../../agents/answer';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { SqlRunner } from '../ingest/sql';
import { audit, createCommandSender, type CommandSender } from './commands';
import type { Actor } from './roles';
import type { CommandTransport } from './transport';

export interface ExecutorDeps {
  sql: SqlRunner;
  bus?: EventBus;
  clock: Clock;
  transport: CommandTransport;
  config: Pick<Config, 'COMMAND_ACK_TIMEOUT_MS'>;
  /** The twin actions belong to when the action row does not say. */
  defaultTwin?: string;
}

export interface ExecutionResult {
  id: string;
  status: 'executed' | 'failed';
  result: Record<string, unknown>;
}

export interface Executor {
  execute(action: Pick<Action, 'id' | 'type' | 'params'> & { twin?: string }, actor?: Actor): Promise<ExecutionResult>;
  commands: CommandSender;
  close(): void;
}

const SYSTEM: Actor = { id: 'executor', role: 'admin', via: 'system' };

function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new AppError('validation_failed', `params.${name} is required`, { problems: [{ path: `params.${name}`, message: 'required' }] });
  return v;
}

function time(v: unknown, name: string): string | null {
  if (v === undefined || v === null) return null;
  const t = typeof v === 'string' || typeof v === 'number' ? Date.parse(String(v)) : NaN;
  if (!Number.isFinite(t)) throw new AppError('validation_failed', `params.${name} is not a time`, { problems: [{ path: `params.${name}`, message: 'expected ISO 8601' }] });
  return new Date(t).toISOString();
}

export function createExecutor(deps: ExecutorDeps): Executor {
  const commands = createCommandSender({ sql: deps.sql, bus: deps.bus, clock: deps.clock, transport: deps.transport, ackTimeoutMs: deps.config.COMMAND_ACK_TIMEOUT_MS });
  const { sql } = deps;

  async function twinOf(action: { id: string; twin?: string }): Promise<string> {
    if (action.twin) return action.twin;
    const [row] = await sql.query<{ twin_id: string }>('SELECT twin_id FROM action_proposals WHERE id = $1', [action.id]);
    if (row) return row.twin_id;
    if (deps.defaultTwin) return deps.defaultTwin;
    const twins = await sql.query<{ id: string }>('SELECT id FROM twins');
    if (twins.length === 1) return twins[0].id;
    throw new AppError('bad_request', `action ${action.id} names no twin`, null);
  }

  async function run(twin: string, action: Pick<Action, 'id' | 'type' | 'params'>, actor: Actor): Promise<Record<string, unknown>> {
    const p = action.params ?? {};
    switch (action.type) {
      case 'send_command': {
        const out = await commands.send({ twin, asset: str(p.asset, 'asset'), command: str(p.command, 'command'), args: (p.args as Record<string, unknown>) ?? {}, actionId: action.id, actor });
        if (out.status !== 'done') throw new AppError('unavailable', `command ${out.id} ${out.status}: ${out.detail}`, { command_id: out.id, status: out.status });
        return { command_id: out.id, ack: out.status, detail: out.detail };
      }
      case 'create_work_order': {
        const asset = str(p.asset, 'asset');
        const win = (p.window ?? {}) as { start?: unknown; end?: unknown };
        const start = time(win.start ?? p.start, 'window.start');
        const end = time(win.end ?? p.end, 'window.end');
        const row = await sql.transaction(async (tx) => {
          const [a] = await tx.query<{ id: number }>('SELECT id FROM assets WHERE twin_id = $1 AND key = $2 AND retired_at IS NULL', [twin, asset]);
          if (!a) throw new AppError('not_found', `unknown asset "${asset}"`, { asset });
          const [n] = await tx.query<{ next: number }>(
            `SELECT coalesce(max(substring(key from '^WO-(\\d+)$')::int), 99) + 1 AS next FROM work_orders WHERE twin_id = $1`,
            [twin],
          );
          const key = `WO-${n.next}`;
          const hours = start && end ? (Date.parse(end) - Date.parse(start)) / 3600e3 : typeof p.duration_hours === 'number' ? p.duration_hours : null;
          await tx.query(
            `INSERT INTO work_orders (twin_id, key, asset_id, kind, status, due_at, start_at, end_at, duration_hours, crew, skill, note, source, action_id)
             VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8::timestamptz, $9, $10, $11, $12, 'action', $13)`,
            [twin, key, a.id, typeof p.kind === 'string' ? p.kind : 'predictive', start ? 'scheduled' : 'open', time(p.due, 'due') ?? end, start, end, hours, p.crew ?? null, p.skill ?? 'maintenance', p.note ?? p.title ?? null, action.id],
          );
          return { work_order: key, asset, start, end };
        });
        // Tell the machine (or the simulator) so it goes down for the window and its wear resets when the job ends.
        if (start) void deps.transport.send(twin, asset, { id: `wo_${row.work_order}`, command: 'work_order', args: { id: row.work_order, start, end }, ts: deps.clock.now().toISOString() }).catch(() => undefined);
        return row;
      }
      case 'reschedule_order': {
        const order = str(p.order ?? p.order_id, 'order');
        const due = time(p.due ?? p.new_due, 'due');
        const priority = typeof p.priority === 'string' ? p.priority : null;
        const status = typeof p.status === 'string' ? p.status : null;
        if (!due && !priority && !status) throw new AppError('validation_failed', 'reschedule_order needs due, priority or status', { problems: [{ path: 'params', message: 'nothing to change' }] });
        const rows = await sql.query<{ key: string; due_at: string }>(
          `UPDATE production_orders SET due_at = coalesce($1::timestamptz, due_at), priority = coalesce($2, priority), status = coalesce($3, status), updated_at = now()
           WHERE twin_id = $4 AND key = $5 RETURNING key, due_at`,
          [due, priority, status, twin, order],
        );
        if (rows.length === 0) throw new AppError('not_found', `unknown order "${order}"`, { order });
        return { order, due: due ?? new Date(rows[0].due_at).toISOString(), priority, status };
      }
      case 'adjust_shift': {
        const crew = str(p.crew, 'crew');
        const shift = typeof p.shift === 'string' ? p.shift : null;
        if (shift && !/^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/.test(shift)) throw new AppError('validation_failed', 'params.shift must be HH:MM-HH:MM', { problems: [{ path: 'params.shift', message: 'expected HH:MM-HH:MM' }] });
        const size = typeof p.size === 'number' ? p.size : null;
        const overtime = typeof p.overtime_hours === 'number' ? p.overtime_hours : typeof p.add_overtime_hours === 'number' ? p.add_overtime_hours : null;
        const rows = await sql.query<{ key: string; shift: string; size: number; overtime_hours_week: number }>(
          `UPDATE crews SET shift = coalesce($1, shift), size = coalesce($2, size), overtime_hours_week = overtime_hours_week + coalesce($3, 0)
           WHERE twin_id = $4 AND key = $5 RETURNING key, shift, size, overtime_hours_week`,
          [shift, size, overtime, twin, crew],
        );
        if (rows.length === 0) throw new AppError('not_found', `unknown crew "${crew}"`, { crew });
        return { crew, shift: rows[0].shift, size: rows[0].size, overtime_hours_week: Number(rows[0].overtime_hours_week) };
      }
      default:
        throw new AppError('validation_failed', `unknown action type "${String(action.type)}"`, null);
    }
  }

  return {
    commands,
    close: () => commands.close(),
    async execute(action, actor = SYSTEM) {
      const twin = await twinOf(action).catch(() => deps.defaultTwin ?? '');
      let status: 'executed' | 'failed' = 'executed';
      let result: Record<string, unknown>;
      try {
        result = await run(twin, action, actor);
      } catch (err) {
        status = 'failed';
        result = { error: err instanceof Error ? err.message : String(err), ...(err instanceof AppError && err.details && typeof err.details === 'object' ? { details: err.details } : {}) };
      }
      await sql.transaction(async (tx) => {
        const prev = await tx.query<{ status: string }>(
          `UPDATE action_proposals SET status = $1, result = $2::jsonb, updated_at = now() WHERE id = $3
           RETURNING (SELECT status FROM action_proposals WHERE id = $3) AS status`,
          [status, JSON.stringify(result), action.id],
        );
        if (prev.length > 0) {
          await tx.query('INSERT INTO action_events (action_id, from_status, to_status, actor, actor_role, via, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
            action.id,
            prev[0].status,
            status,
            actor.id,
            actor.role,
            actor.via,
            status === 'failed' ? String(result.error) : null,
          ]);
        }
        await audit(tx, { twin: twin || null, actor, event: status === 'executed' ? 'action.executed' : 'action.failed', target: action.id, details: { type: action.type, params: action.params, result } });
      });
      deps.bus?.publish('action_changed', { id: action.id, status, twin: twin || undefined });
      return { id: action.id, status, result };
    },
  };
}
