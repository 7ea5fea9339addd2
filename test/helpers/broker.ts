/** Is the local Mosquitto (127.0.0.1:1883) answering? MQTT tests skip with a printed reason when it is not. */
import { connect } from 'node:net';

export const BROKER_URL = 'mqtt://127.0.0.1:1883';

export async function brokerUp(host = '127.0.0.1', port = 1883): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await fn();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, everyMs));
    v = await fn();
  }
  return v;
}
