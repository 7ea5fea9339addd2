/** Typed calls to the Twinpilot HTTP API (interfaces.md), each returning the app's normalised shapes. */
import { api, listOf } from './api';
import { normAlarm, normAsset, normPoints, normRelation, normThread, twinIdOf } from './normalize';
import type { Action, Alarm, Asset, Point, Relation, ThreadSummary } from './types';

const enc = encodeURIComponent;

export interface Me {
  id: string;
  role: string;
}

export async function me(): Promise<Me | null> {
  try {
    const who = await api<Record<string, unknown>>('/api/v1/me');
    return { id: String(who.id ?? ''), role: String(who.role ?? '') };
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}

export async function twins(): Promise<string[]> {
  const body = await api('/api/v1/twins');
  return listOf(body, 'twins').map(twinIdOf).filter((t): t is string => !!t);
}

export async function assets(twin: string): Promise<Asset[]> {
  const body = await api(`/api/v1/twins/${enc(twin)}/assets`);
  return listOf(body, 'assets').map(normAsset).filter((a): a is Asset => !!a);
}

export async function asset(twin: string, id: string): Promise<Asset> {
  const a = normAsset(await api(`/api/v1/twins/${enc(twin)}/assets/${enc(id)}`));
  if (!a) throw new Error(`asset ${id} came back without an id`);
  return a;
}

export async function relations(twin: string, id: string, depth = 1): Promise<Relation[]> {
  const body = await api(`/api/v1/twins/${enc(twin)}/assets/${enc(id)}/relations`, { query: { depth } });
  return listOf(body, 'relations', 'edges').map(normRelation).filter((r): r is Relation => !!r);
}

export type Bucket = 'raw' | '1m' | '1h';

export async function readings(twin: string, id: string, property: string, from: Date, to: Date, bucket: Bucket): Promise<Point[]> {
  const body = await api(`/api/v1/twins/${enc(twin)}/assets/${enc(id)}/readings`, {
    query: { property, from: from.toISOString(), to: to.toISOString(), bucket },
  });
  return normPoints(listOf(body, 'readings', 'points', 'series'));
}

export async function alarms(twin: string): Promise<Alarm[] | null> {
  try {
    const body = await api(`/api/v1/twins/${enc(twin)}/alarms`);
    return listOf(body, 'alarms').map(normAlarm).filter((a): a is Alarm => !!a);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}

export async function action(id: string): Promise<Action> {
  return api<Action>(`/api/v1/actions/${enc(id)}`);
}

export async function actions(status?: string): Promise<Action[]> {
  return listOf<Action>(await api('/api/v1/actions', { query: { status } }), 'actions');
}

export async function decide(id: string, approve: boolean, comment: string): Promise<Action> {
  const body = await api<Record<string, unknown>>(`/api/v1/actions/${enc(id)}/${approve ? 'approve' : 'reject'}`, {
    method: 'POST',
    body: comment ? { comment } : {},
  });
  return ((body as { action?: Action }).action ?? body) as Action;
}

export async function audit(limit = 200): Promise<Record<string, unknown>[]> {
  return listOf(await api('/api/v1/audit', { query: { limit } }), 'entries', 'audit');
}

export async function threads(): Promise<ThreadSummary[] | null> {
  try {
    return listOf(await api('/api/v1/threads', { query: { limit: 50 } }), 'threads').map(normThread).filter((t): t is ThreadSummary => !!t);
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404 || status === 503) return null;
    throw err;
  }
}

export async function thread(id: string): Promise<Record<string, unknown> | null> {
  try {
    return await api<Record<string, unknown>>(`/api/v1/threads/${enc(id)}`);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}

export async function evalRuns(): Promise<Record<string, unknown>[] | null> {
  try {
    return listOf(await api('/api/v1/evals/runs'), 'runs');
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}
