/**
 * MQTT telemetry topics and payloads (interfaces.md): `twin/<twin>/<asset>/telemetry` carrying
 * `{"ts", "values": {"<property>": number}}` (or an array of such samples), plus the manifest's `sensors` topics,
 * which carry one value (a bare number or `{ts?, value}`) scaled and offset into an asset property.
 */
import type { Catalog } from './catalog';

export const TELEMETRY_FILTER = 'twin/+/+/telemetry';

export function telemetryTopic(twin: string, asset: string): string {
  return `twin/${twin}/${asset}/telemetry`;
}

/** A shared subscription: replicas in one group split the messages between them (MQTT 5). */
export function shared(group: string, filter: string): string {
  return `$share/${group}/${filter}`;
}

/** The loose records a message carries; a message that cannot be read at all yields one reason instead. */
export function recordsOfMessage(catalog: Catalog, topic: string, payload: Buffer | string, receivedAt: number): { records: Record<string, unknown>[] } | { error: string } {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  const parts = topic.split('/');
  if (parts.length === 4 && parts[0] === 'twin' && parts[3] === 'telemetry') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { error: `topic ${topic}: payload is not JSON` };
    }
    // Checked by hand rather than with the zod schema (MqttPayload): this runs once per message on the hot path.
    const samples = Array.isArray(json) ? json : [json];
    if (samples.length > 10_000) return { error: `topic ${topic}: more than 10,000 samples in one message` };
    const records: Record<string, unknown>[] = [];
    for (const s of samples as { ts?: unknown; values?: unknown }[]) {
      if (!s || typeof s !== 'object' || !s.values || typeof s.values !== 'object' || Array.isArray(s.values)) {
        return { error: `topic ${topic}: expected {"ts", "values": {property: number}}` };
      }
      for (const property in s.values as Record<string, unknown>) {
        records.push({ twin: parts[1], asset: parts[2], property, ts: s.ts ?? receivedAt, value: (s.values as Record<string, unknown>)[property] });
      }
    }
    return { records };
  }
  const binding = catalog.sensors.get(topic);
  if (!binding) return { error: `topic ${topic} is not bound to any asset` };
  let value: unknown = text.trim();
  let ts: unknown = receivedAt;
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === 'number') value = json;
    else if (json && typeof json === 'object' && 'value' in json) {
      value = (json as { value: unknown }).value;
      ts = (json as { ts?: unknown }).ts ?? receivedAt;
    }
  } catch {
    /* a bare non-JSON payload stays text and is rejected as a non-number */
  }
  if (typeof value === 'number') value = value * binding.scale + binding.offset;
  return { records: [{ twin: binding.twin, asset: binding.asset, property: binding.property, ts, value }] };
}
