/** Serve a Hono app on an ephemeral loopback port for tests that need a real socket (SDK clients, autocannon). */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((r) => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          server.close(() => r());
        }),
      });
    });
  });
}
