/**
 * Server-sent events helpers. Writes to a client that has gone are swallowed: the work behind a stream (a plan run)
 * must not fail because its watcher left.
 */
import type { SSEStreamingApi } from 'hono/streaming';

export async function send(stream: SSEStreamingApi, event: string, data: unknown, id?: string): Promise<void> {
  if (stream.aborted || stream.closed) return;
  try {
    await stream.writeSSE({ event, data: JSON.stringify(data), id });
  } catch {
    /* the client went away */
  }
}

/** Comment lines keep proxies from closing an idle stream. */
export function keepAlive(stream: SSEStreamingApi, everyMs = 15_000): () => void {
  const t = setInterval(() => {
    if (stream.aborted || stream.closed) return;
    stream.write(': ping\n\n').catch(() => {});
  }, everyMs);
  t.unref?.();
  return () => clearInterval(t);
}

export function wantsEventStream(accept: string | undefined): boolean {
  return !!accept && /text\/event-stream/i.test(accept);
}
