/**
 * Server-sent events over fetch (not EventSource), so requests can be POSTs and carry the same auth as every other
 * call. `readSse` yields `{event, data}` frames as they arrive; `subscribe` keeps a GET stream open and reconnects.
 */
import { apiFetch, type RequestOptions } from './api';

export interface SseFrame {
  event: string;
  data: string;
  id?: string;
}

export async function* readSse(res: Response): AsyncGenerator<SseFrame> {
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let event = 'message';
  let data: string[] = [];
  let id: string | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let nl: number;
    while ((nl = buf.search(/\r\n|\r|\n/)) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + (buf[nl] === '\r' && buf[nl + 1] === '\n' ? 2 : 1));
      if (line === '') {
        if (data.length) yield { event, data: data.join('\n'), id };
        event = 'message';
        data = [];
        id = undefined;
      } else if (line.startsWith(':')) {
        // comment / keep-alive
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = val;
        else if (field === 'data') data.push(val);
        else if (field === 'id') id = val;
      }
    }
  }
  if (data.length) yield { event, data: data.join('\n'), id };
}

/** A frame's JSON payload, with the event name as `type` when the payload has none. */
export function parseFrame(frame: SseFrame): Record<string, unknown> & { type: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(frame.data);
  } catch {
    payload = { text: frame.data };
  }
  const obj = (payload && typeof payload === 'object' ? payload : { value: payload }) as Record<string, unknown>;
  const type = typeof obj.type === 'string' ? obj.type : frame.event;
  return { ...obj, type };
}

/** Keep a GET event stream open, reconnecting with backoff; returns a function that closes it. */
export function subscribe(
  path: string,
  onEvent: (ev: Record<string, unknown> & { type: string }) => void,
  onState?: (state: 'open' | 'retrying' | 'closed', err?: unknown) => void,
  opts: RequestOptions = {},
): () => void {
  const ctrl = new AbortController();
  let delay = 1000;
  (async () => {
    while (!ctrl.signal.aborted) {
      try {
        const res = await apiFetch(path, { ...opts, accept: 'text/event-stream', signal: ctrl.signal });
        onState?.('open');
        delay = 1000;
        for await (const frame of readSse(res)) onEvent(parseFrame(frame));
      } catch (err) {
        if (ctrl.signal.aborted) break;
        onState?.('retrying', err);
        const status = (err as { status?: number })?.status;
        if (status === 401 || status === 403 || status === 404) {
          onState?.('closed', err);
          return;
        }
      }
      if (ctrl.signal.aborted) break;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15_000);
    }
    onState?.('closed');
  })();
  return () => ctrl.abort();
}
