/**
 * Where simulated telemetry goes, through the same contracts a real device uses: MQTT topics and payloads
 * (`twin/<twin>/<asset>/telemetry`, `{ts, values}`), or in-process into the ingestion pipeline with the same
 * validation as HTTP. The device side of commands lives here too: the plant answers on `…/commands/ack`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Ack, CommandEnvelope, DeviceHandler } from '../control/transport';
import { ackTopic } from '../control/transport';
import { telemetryTopic } from '../ingest/mqtt-topics';
import type { SimSample } from './plant';

export interface TelemetrySink {
  /** Deliver samples of one twin; resolves once accepted (committed in-process, PUBACKed over MQTT). */
  publish(twin: string, samples: SimSample[], opts?: { bulk?: boolean }): Promise<void>;
  /** Listen for commands to this twin's assets and answer them. */
  attachDevice(twin: string, handler: DeviceHandler): Promise<() => void>;
  close(): Promise<void>;
}

/** In-process: samples go through ingestion's validation and batch writer. */
export function ingestSink(deps: {
  ingestRecords: (records: unknown[], source: string, opts?: { bulk?: boolean }) => Promise<{ rejected: number; errors: { reason: string }[] }>;
  attach?: (twin: string, handler: DeviceHandler) => () => void;
  onRejected?: (reasons: string[]) => void;
}): TelemetrySink {
  return {
    async publish(twin, samples, opts) {
      const res = await deps.ingestRecords(
        samples.map((s) => ({ twin, asset: s.asset, property: s.property, ts: s.ts, value: s.value })),
        'sim',
        { bulk: opts?.bulk === true },
      );
      if (res.rejected > 0) deps.onRejected?.(res.errors.slice(0, 5).map((e) => e.reason));
    },
    async attachDevice(twin, handler) {
      return deps.attach ? deps.attach(twin, handler) : () => undefined;
    },
    async close() {},
  };
}

/** Group samples into one payload per asset: `{ts, values}` per instant, or an array of them in bulk (backfill). */
function payloads(samples: SimSample[], bulk: boolean): Map<string, string[]> {
  const byAsset = new Map<string, Map<number, Record<string, number>>>();
  for (const s of samples) {
    const perTs = byAsset.get(s.asset) ?? byAsset.set(s.asset, new Map()).get(s.asset)!;
    (perTs.get(s.ts) ?? perTs.set(s.ts, {}).get(s.ts)!)[s.property] = s.value;
  }
  const out = new Map<string, string[]>();
  for (const [asset, perTs] of byAsset) {
    const list = [...perTs].map(([ts, values]) => ({ ts: new Date(ts).toISOString(), values }));
    const msgs: string[] = [];
    if (bulk) for (let i = 0; i < list.length; i += 240) msgs.push(JSON.stringify(list.slice(i, i + 240)));
    else for (const m of list) msgs.push(JSON.stringify(m));
    out.set(asset, msgs);
  }
  return out;
}

export function mqttSink(opts: { url: string; clientId: string }): TelemetrySink {
  // MQTT 3.1.1 for publishing: no receive-maximum to respect, the broker acks each QoS 1 publish.
  const client: MqttClient = mqtt.connect(opts.url, { clientId: opts.clientId, clean: true, protocolVersion: 4, reconnectPeriod: 1000 });
  client.on('error', () => undefined);
  const connected = new Promise<void>((r) => (client.connected ? r() : client.once('connect', () => r())));
  const pub = (topic: string, payload: string) =>
    new Promise<void>((resolve, reject) => client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
  return {
    async publish(twin, samples, o) {
      await connected;
      const jobs: Promise<void>[] = [];
      for (const [asset, msgs] of payloads(samples, o?.bulk === true)) for (const m of msgs) jobs.push(pub(telemetryTopic(twin, asset), m));
      await Promise.all(jobs);
    },
    async attachDevice(twin, handler) {
      await connected;
      const filter = `twin/${twin}/+/commands`;
      const onMessage = (topic: string, payload: Buffer) => {
        const parts = topic.split('/');
        if (parts.length !== 4 || parts[0] !== 'twin' || parts[1] !== twin || parts[3] !== 'commands') return;
        let cmd: CommandEnvelope;
        try {
          cmd = JSON.parse(payload.toString('utf8')) as CommandEnvelope;
        } catch {
          return;
        }
        if (!cmd || typeof cmd.id !== 'string') return;
        void (async () => {
          let ack: Ack;
          try {
            ack = await handler(parts[2], cmd);
          } catch (err) {
            ack = { id: cmd.id, status: 'failed', detail: (err as Error).message };
          }
          await pub(ackTopic(twin, parts[2]), JSON.stringify(ack));
        })();
      };
      client.on('message', onMessage);
      await new Promise<void>((r) => client.subscribe(filter, { qos: 1 }, () => r()));
      return () => {
        client.off('message', onMessage);
        client.unsubscribe(filter);
      };
    },
    close: () => new Promise<void>((r) => client.end(false, {}, () => r())),
  };
}

/** To a running service over HTTP (`POST /api/v1/telemetry`); commands cannot reach the plant this way. */
export function httpSink(opts: { base: string; key?: string }): TelemetrySink {
  return {
    async publish(twin, samples) {
      for (let i = 0; i < samples.length; i += 20_000) {
        const body = samples.slice(i, i + 20_000).map((s) => JSON.stringify({ twin, asset: s.asset, property: s.property, ts: s.ts, value: s.value })).join('\n');
        const res = await fetch(new URL('/api/v1/telemetry', opts.base), {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}) },
          body,
        });
        if (!res.ok) throw new Error(`service answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      }
    },
    async attachDevice() {
      return () => undefined;
    },
    async close() {},
  };
}
