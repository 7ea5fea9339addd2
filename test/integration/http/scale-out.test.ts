/**
 * Two service processes on the same PostgreSQL and the same Mosquitto behave as one: a thread started on one
 * continues on the other, an approval given on one resumes the run proposed on the other, and the two split MQTT
 * ingestion through the shared subscription with no reading stored twice. Needs DATABASE_URL and a broker at
 * 127.0.0.1:1883; skipped with the reason printed otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DATABASE_URL = process.env.DATABASE_URL;
const brokerUp = await new Promise<boolean>((resolve) => {
  const s = createConnection({ host: '127.0.0.1', port: 1883 });
  s.once('connect', () => (s.destroy(), resolve(true)));
  s.once('error', () => resolve(false));
  setTimeout(() => (s.destroy(), resolve(false)), 1000);
});
const skip = !DATABASE_URL || !brokerUp;
if (skip) console.warn(`scale-out test skipped: ${!DATABASE_URL ? 'DATABASE_URL is not set' : 'no MQTT broker at 127.0.0.1:1883'}`);

interface Replica {
  proc: ChildProcess;
  url: string;
  out: string[];
}

const dbName = `tp_scale_${process.pid}`;
const group = `twinpilot-test-${process.pid}`;
const dataDir = mkdtempSync(join(tmpdir(), 'tp-scale-'));
const replicas: Replica[] = [];
let admin = '';

function dbUrl(name: string): string {
  const u = new URL(DATABASE_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

async function start(name: string): Promise<Replica> {
  const out: string[] = [];
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: dbUrl(dbName), MQTT_URL: 'mqtt://127.0.0.1:1883', MQTT_GROUP: group, PORT: '0', HOST: '127.0.0.1', SIMULATOR: 'off', LLM_PROVIDER: 'offline', DATA_DIR: join(dataDir, name), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d: Buffer) => out.push(d.toString()));
  proc.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
  const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(out.join(''))?.[1], 90_000, `${name} to listen:\n${out.join('')}`);
  let last = '';
  await waitFor(
    async () => {
      const res = await fetch(`${url}/readyz`).catch(() => null);
      last = res ? await res.text() : 'no answer';
      return res?.status === 200 || undefined;
    },
    120_000,
    `${name} to be ready`,
  ).catch((err: Error) => {
    throw new Error(`${err.message}: ${last}\n${out.join('')}`);
  });
  const r = { proc, url, out };
  replicas.push(r);
  return r;
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const call = async (r: Replica, path: string, body?: unknown) => {
  const res = await fetch(`${r.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe.skipIf(skip)('scale-out: two replicas on one PostgreSQL and one broker', () => {
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    const pg = postgres(DATABASE_URL!, { max: 1, onnotice: () => undefined });
    await pg.unsafe(`drop database if exists ${dbName}`);
    await pg.unsafe(`create database ${dbName}`);
    await pg.end();
    a = await start('a');
    admin = /key:\s+(tp_\S+)/.exec(a.out.join(''))![1];
    b = await start('b');
    expect(b.out.join('')).not.toMatch(/key:\s+tp_/); // the admin key is made once, by whichever starts first
  }, 300_000);

  afterAll(async () => {
    for (const r of replicas) {
      r.proc.kill('SIGTERM');
      await new Promise((res) => (r.proc.exitCode !== null ? res(null) : r.proc.once('exit', res)));
    }
    const pg = postgres(DATABASE_URL!, { max: 1, onnotice: () => undefined });
    await pg.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await pg.end();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('accepts a key made on one replica on the other, and a revoke on one at once on the other', async () => {
    const made = await call(a, '/api/v1/keys', { role: 'viewer' });
    const key = made.body.key as string;
    const get = () => fetch(`${b.url}/api/v1/actions`, { headers: { authorization: `Bearer ${key}` } });
    expect((await get()).status).toBe(200);
    expect((await call(a, `/api/v1/keys/${made.body.id}/revoke`, {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // b may trust a verified key for at most one second
    expect((await get()).status).toBe(401);
  });

  it('continues on one replica a thread started on the other, and resumes there a run proposed here', async () => {
    // The replicas run without the simulator, so there is no history to reason from: the task asks for the action.
    const first = await call(a, '/api/v1/plans', { task: 'Open a work order for cnc-a2 tomorrow morning', thread_id: 'scale-thread' });
    expect(first.status).toBe(200);
    const actions = first.body.actions as { id: string; status: string; risk: string }[];
    const followUp = await call(b, '/api/v1/plans', { task: 'And what does that mean for the orders this week?', thread_id: 'scale-thread' });
    expect(followUp.status).toBe(200);
    expect(followUp.body.thread_id).toBe('scale-thread');
    const threads = await call(b, '/api/v1/threads');
    expect((threads.body.threads as { thread_id: string }[]).map((t) => t.thread_id)).toContain('scale-thread');
    expect(actions.length).toBeGreaterThan(0);
    // The proposal made on A is approved on B: B resumes the paused run from the shared checkpoint and executes it.
    const decided = await call(b, `/api/v1/actions/${actions[0].id}/approve`, { comment: 'approved on the other replica' });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('executed');
    const seenOnA = await call(a, `/api/v1/actions/${actions[0].id}`);
    expect(seenOnA.body.status).toBe('executed');
    const audit = await call(a, `/api/v1/audit?target=${actions[0].id}`);
    expect((audit.body.audit as { event: string }[]).map((r) => r.event)).toContain('action.approved');
  });

  it('splits MQTT ingestion between the replicas with no reading stored twice', async () => {
    const n = 400;
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `tp-scale-pub-${process.pid}` });
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < n; i++) {
      await client.publishAsync('twin/demo-plant/cnc-a1/telemetry', JSON.stringify({ ts: base + i * 1000, values: { vibration_rms: 2 + (i % 10) / 10 } }), { qos: 1 });
    }
    await client.endAsync();
    const pg = postgres(dbUrl(dbName), { max: 1, onnotice: () => undefined });
    const count = async () => Number((await pg`select count(*)::int as n from readings where twin_id = 'demo-plant' and property = 'vibration_rms' and ts >= ${new Date(base)} and ts < ${new Date(base + n * 1000)}`)[0].n);
    await waitFor(async () => ((await count()) >= n ? true : undefined), 60_000, 'the readings to be stored');
    expect(await count()).toBe(n);
    await pg.end();
    const ingested = async (r: Replica) => {
      const text = await (await fetch(`${r.url}/metrics`)).text();
      return [...text.matchAll(/twinpilot_readings_ingested_total\{twin="demo-plant"\} (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
    };
    const [ia, ib] = [await ingested(a), await ingested(b)];
    // Each message went to one replica: together they committed exactly n, and both took a share.
    expect(ia + ib).toBe(n);
    expect(ia).toBeGreaterThan(0);
    expect(ib).toBeGreaterThan(0);
  });
});
