/**
 * The MQTT door: a pool of persistent-session clients (MQTT 5, clean: false, fixed client ids per replica and a
 * session expiry) in one shared-subscription group, so that N replicas split the telemetry with no duplicates.
 *
 * A QoS 1 message is acknowledged only after the batch holding it is committed. mqtt.js sends the PUBACK right after
 * `handleMessage(packet, callback)` calls back, and hands a connection its next message only after that; holding
 * the callback would make every batch one message per connection. So the callback is released at once and the
 * PUBACK itself is held: the client's packet writer is wrapped so that a `puback` is parked with its message and
 * written only after the commit. The broker keeps up to its in-flight window unacknowledged per connection; each
 * connection asks for a window of `receiveMaximum` (MQTT 5 Receive Maximum; Mosquitto's own default is 20), so a
 * batch can reach thousands of messages and the next batch fills while one commits. Up to two batches commit at
 * once (each its own transaction), so this process parses the next batch while the database writes the last; PUBACKs
 * still go out in the order the messages came, as MQTT requires. If a connection drops first, its parked PUBACKs are
 * discarded (their packet ids belong to the old connection); the broker redelivers those messages to the same
 * session, and the writer's ON CONFLICT makes the redelivery harmless. A crash loses nothing for the same reason.
 * (`_sendPacket` is internal to mqtt.js; the version is pinned and the fault test exercises this path.)
 */
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { shared, TELEMETRY_FILTER } from './mqtt-topics';

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  receivedAt: number;
}

export interface MqttIngestOptions {
  url: string;
  /** Shared-subscription group (MQTT_GROUP). */
  group: string;
  /** Stable per replica, so a restarted replica resumes its sessions. */
  clientIdPrefix: string;
  /** Extra topic filters (the manifests' sensor topics). */
  extraTopics?: string[];
  /** Connections in the pool. */
  connections?: number;
  /** MQTT 5 Receive Maximum each connection asks for: messages the broker may have unacknowledged on it (default 1000). */
  receiveMaximum?: number;
  /** Flush a partial batch after this long. */
  lingerMs?: number;
  /** Flush a batch at this many messages (default 2,000). */
  maxBatch?: number;
  /** Batches committing at once (default 2). */
  concurrency?: number;
  /** Session expiry on the broker, seconds. */
  sessionExpirySeconds?: number;
  /** Commit a batch; must resolve only after the readings are durable. */
  commit: (messages: InboundMessage[]) => Promise<void>;
  onError?: (err: Error) => void;
}

export interface MqttIngest {
  /** Resolves when every connection has connected and subscribed once. */
  ready: Promise<void>;
  connected(): boolean;
  stop(): Promise<void>;
  /** Messages committed so far. */
  committed(): number;
}

interface Held {
  msg: InboundMessage;
  /** Writes the parked PUBACK, if its connection is still the one the message came on. */
  ack: () => void;
}

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, cbStorePut?: unknown) => void;

export function startMqttIngest(opts: MqttIngestOptions): MqttIngest {
  const size = Math.max(1, opts.connections ?? 16);
  const linger = opts.lingerMs ?? 10;
  const receiveMaximum = Math.max(1, Math.min(65_535, opts.receiveMaximum ?? 1000));
  const maxBatch = opts.maxBatch ?? 2000;
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const filters = [shared(opts.group, TELEMETRY_FILTER), ...(opts.extraTopics ?? []).map((t) => shared(opts.group, t))];
  let held: Held[] = [];
  let timer: NodeJS.Timeout | null = null;
  /** Batches waiting for a commit slot, in arrival order. */
  const queue: Held[][] = [];
  let running = 0;
  /** Resolves when every earlier batch is acknowledged: PUBACKs leave in the order the messages came. */
  let acked: Promise<void> = Promise.resolve();
  let stopped = false;
  let committed = 0;
  const idle: (() => void)[] = [];

  const commitBatch = async (batch: Held[]): Promise<boolean> => {
    // A failed commit is retried, holding the acks: nothing is acknowledged that is not stored.
    for (let attempt = 0; ; attempt++) {
      try {
        await opts.commit(batch.map((h) => h.msg));
        return true;
      } catch (err) {
        opts.onError?.(err as Error);
        if (stopped) return false; // unacknowledged: the broker delivers these again to the session
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  };
  const pump = () => {
    while (running < concurrency && queue.length > 0) {
      const batch = queue.shift()!;
      running++;
      const done = commitBatch(batch);
      const before = acked;
      acked = (async () => {
        const ok = await done;
        await before;
        if (ok) {
          committed += batch.length;
          for (const h of batch) h.ack();
        }
      })();
      void done.then(() => {
        running--;
        if (queue.length === 0 && held.length > 0) flush();
        else pump();
        if (running === 0 && queue.length === 0) for (const f of idle.splice(0)) f();
      });
    }
  };
  // While every commit slot is busy, messages keep gathering into one batch (up to maxBatch) instead of queueing
  // as many small ones: under load the batches grow and the commits per message fall (group commit).
  const flush = () => {
    if (timer) clearTimeout(timer), (timer = null);
    if (held.length === 0) return;
    if (running >= concurrency && held.length < maxBatch && !stopped) return;
    queue.push(held);
    held = [];
    pump();
  };

  const clients: MqttClient[] = [];
  const readies: Promise<void>[] = [];
  for (let i = 0; i < size; i++) {
    const client = mqtt.connect(opts.url, {
      clientId: `${opts.clientIdPrefix}-${i}`,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: opts.sessionExpirySeconds ?? 3600, receiveMaximum },
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    // Park PUBACKs: the entry being handled receives the puback packet mqtt.js writes when the callback runs.
    let epoch = 0;
    let parking: Held | null = null;
    const rawClient = client as unknown as { _sendPacket: SendPacket };
    const send: SendPacket = rawClient._sendPacket.bind(client);
    rawClient._sendPacket = (packet, cb, cbStorePut) => {
      if (packet.cmd === 'puback' && parking) {
        const at = epoch;
        parking.ack = () => {
          if (at === epoch && client.connected) send(packet);
        };
        parking = null;
        cb?.();
        return;
      }
      send(packet, cb, cbStorePut);
    };
    client.on('close', () => epoch++);
    client.handleMessage = (packet: IPublishPacket, callback) => {
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const entry: Held = { msg: { topic: packet.topic, payload, receivedAt: Date.now() }, ack: () => undefined };
      held.push(entry);
      if (packet.qos === 1) parking = entry;
      callback();
      parking = null;
      if (held.length >= maxBatch) flush();
      else if (!timer) timer = setTimeout(flush, linger);
    };
    readies.push(
      new Promise<void>((resolve) => {
        client.on('connect', (connack) => {
          // A resumed session keeps its subscriptions; subscribing again is harmless and covers a new session.
          void connack;
          client.subscribe(filters, { qos: 1 }, (err) => {
            if (err) opts.onError?.(err);
            resolve();
          });
        });
      }),
    );
    client.on('error', (err) => opts.onError?.(err));
    clients.push(client);
  }

  return {
    ready: Promise.all(readies).then(() => undefined),
    connected: () => clients.every((c) => c.connected),
    committed: () => committed,
    async stop() {
      stopped = true;
      flush();
      // The batches in flight finish (and are acked if they commit); a failing one is not retried, the broker redelivers.
      if (running > 0 || queue.length > 0) await new Promise<void>((r) => idle.push(r));
      await acked;
      await Promise.all(clients.map((c) => new Promise<void>((r) => c.end(false, {}, () => r()))));
    },
  };
}
