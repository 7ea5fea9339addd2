/**
 * How commands reach devices and acks come back: over MQTT (`twin/<twin>/<asset>/commands`, acks on
 * `…/commands/ack`) when a broker is configured, or in-process when the simulator runs inside the service.
 * Both carry the same messages, so control code does not care which one it has.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { z } from 'zod';

export interface CommandEnvelope {
  id: string;
  command: string;
  args: Record<string, unknown>;
  ts: string;
}

export const Ack = z.object({ id: z.string(), status: z.enum(['done', 'failed']), detail: z.string().optional().nullable() });
export type Ack = z.infer<typeof Ack>;

export type AckListener = (twin: string, asset: string, ack: Ack) => void;
/** A device (or the simulator) answering commands of one twin. */
export type DeviceHandler = (asset: string, cmd: CommandEnvelope) => Promise<Ack> | Ack;

export interface CommandTransport {
  kind: 'mqtt' | 'local';
  send(twin: string, asset: string, cmd: CommandEnvelope): Promise<void>;
  onAck(fn: AckListener): () => void;
  close(): Promise<void>;
}

export const commandTopic = (twin: string, asset: string) => `twin/${twin}/${asset}/commands`;
export const ackTopic = (twin: string, asset: string) => `twin/${twin}/${asset}/commands/ack`;

/** In-process: a device registers per twin; its answer comes back as an ack on the next turn of the loop. */
export function createLocalTransport(): CommandTransport & { attachDevice(twin: string, handler: DeviceHandler): () => void } {
  const devices = new Map<string, DeviceHandler>();
  const listeners = new Set<AckListener>();
  return {
    kind: 'local',
    attachDevice(twin, handler) {
      devices.set(twin, handler);
      return () => devices.delete(twin);
    },
    async send(twin, asset, cmd) {
      const device = devices.get(twin);
      // No device: like a broker with no subscriber, nothing answers and the sender's timeout decides.
      if (!device) return;
      setImmediate(async () => {
        let ack: Ack;
        try {
          ack = await device(asset, cmd);
        } catch (err) {
          ack = { id: cmd.id, status: 'failed', detail: (err as Error).message };
        }
        for (const fn of listeners) fn(twin, asset, ack);
      });
    },
    onAck(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async close() {
      devices.clear();
    },
  };
}

/** Over a broker. Acks are read from a normal (not shared) subscription: every replica learns every ack. */
export function createMqttTransport(opts: { url: string; clientId: string }): CommandTransport & { ready: Promise<void> } {
  const client: MqttClient = mqtt.connect(opts.url, { clientId: opts.clientId, protocolVersion: 5, clean: true, reconnectPeriod: 1000 });
  const listeners = new Set<AckListener>();
  const ready = new Promise<void>((resolve) => {
    client.on('connect', () => client.subscribe('twin/+/+/commands/ack', { qos: 1 }, () => resolve()));
  });
  client.on('error', () => undefined);
  client.on('message', (topic, payload) => {
    const parts = topic.split('/');
    if (parts.length !== 5) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    const ack = Ack.safeParse(parsed);
    if (ack.success) for (const fn of listeners) fn(parts[1], parts[2], ack.data);
  });
  return {
    kind: 'mqtt',
    ready,
    send: (twin, asset, cmd) =>
      new Promise<void>((resolve, reject) => {
        client.publish(commandTopic(twin, asset), JSON.stringify(cmd), { qos: 1 }, (err) => (err ? reject(err) : resolve()));
      }),
    onAck(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: () => new Promise<void>((r) => client.end(false, {}, () => r())),
  };
}
