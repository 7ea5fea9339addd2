/**
 * A local stand-in for Slack's Web API (and for response_url): records every call and answers like Slack does.
 * Point @slack/web-api at it with `slackApiUrl`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  body: Record<string, any>;
}

export interface SlackStandIn {
  url: string;
  calls: SlackCall[];
  of(method: string): SlackCall[];
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}');
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The Web API client sends arrays and objects (blocks, view) as JSON strings in form fields.
    out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const calls: SlackCall[] = [];
  let seq = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const method = (req.url ?? '/').replace(/^\/(api\/)?/, '').split('?')[0];
      calls.push({ method, body: parseBody(raw, req.headers['content-type']) });
      seq += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, ts: `1700000000.${String(seq).padStart(6, '0')}`, channel: 'C1' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    of: (method) => calls.filter((c) => c.method === method),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
