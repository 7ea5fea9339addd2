/**
 * `twin keys create --role ROLE [--name N] [--json]`, `twin keys list [--json]`, `twin keys revoke ID`.
 * The key is printed once, at creation; the store keeps only its hash. On PostgreSQL the command opens the store
 * directly (replicas share it). On the embedded store it goes through a running service's API when one answers
 * (TWIN_URL, TWIN_API_KEY with an admin key), since the CLI and a service never open the same PGlite at once.
 */
import type { Command } from 'commander';
import { AppError } from '../../errors';
import { action, printJson } from '../output';

type Opts = { role?: string; name?: string; json?: boolean };

interface KeyOps {
  create(role: string, name?: string): Promise<{ id: string; role: string; key: string; name?: string }>;
  list(): Promise<{ id: string; role: string; name: string; created_at: string; revoked_at: string | null }[]>;
  revoke(id: string): Promise<void>;
  close(): Promise<void>;
}

async function serviceUrl(): Promise<{ url: string; key?: string } | null> {
  const { loadConfig } = await import('../../config');
  const config = loadConfig();
  if (config.DATABASE_URL) return null;
  const url = (config.TWIN_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/$/, '');
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? { url, key: config.TWIN_API_KEY } : null;
  } catch {
    return null;
  }
}

function overHttp(url: string, key: string | undefined): KeyOps {
  if (!key) throw new AppError('unauthorized', `a service is running at ${url}: set TWIN_API_KEY to an admin key to manage keys through it`);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details: unknown } };
    if (!res.ok) throw new AppError((data.error?.code as 'bad_request') ?? 'internal', data.error?.message ?? `HTTP ${res.status}`, data.error?.details ?? null);
    return data as never;
  };
  return {
    create: (role, name) => call('POST', '/api/v1/keys', { role, name }),
    list: async () => ((await call('GET', '/api/v1/keys')) as { keys: never[] }).keys,
    revoke: async (id) => void (await call('POST', `/api/v1/keys/${encodeURIComponent(id)}/revoke`)),
    close: async () => undefined,
  };
}

async function overStore(): Promise<KeyOps> {
  const [{ loadConfig }, { createStore }, { createKeyStore }, { storeKeyRepo }, { Role }] = await Promise.all([
    import('../../config'),
    import('../../store'),
    import('../../http/keys'),
    import('../../http/adapters/keys'),
    import('../../control/roles'),
  ]);
  const config = loadConfig();
  const store = await createStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, maxConnections: 2 });
  await store.migrate();
  const keys = createKeyStore(storeKeyRepo(store.db));
  return {
    create: (role, name) => keys.create(Role.parse(role), name),
    list: () => keys.list(),
    revoke: async (id) => {
      if (!(await keys.revoke(id))) throw new AppError('not_found', `no live key "${id}"`);
    },
    close: () => store.close(),
  };
}

async function open(): Promise<KeyOps> {
  const svc = await serviceUrl();
  return svc ? overHttp(svc.url, svc.key) : overStore();
}

function checkRole(role: string | undefined): string {
  const roles = ['viewer', 'operator', 'manager', 'admin'];
  if (!role || !roles.includes(role)) {
    throw new AppError('validation_failed', 'invalid role', { problems: [{ path: '--role', message: `one of ${roles.join(', ')}` }] });
  }
  return role;
}

export function register(program: Command): void {
  const keys = program.command('keys').description('manage API keys (roles: viewer, operator, manager, admin)');

  keys
    .command('create')
    .description('create a key; it is printed once and only its hash is kept')
    .requiredOption('--role <role>', 'viewer | operator | manager | admin')
    .option('--name <name>', 'a label to recognise the key by')
    .option('--json', 'print {id, role, key} as JSON')
    .action(
      action(async (opts: Opts) => {
        const role = checkRole(opts.role);
        const ops = await open();
        try {
          const k = await ops.create(role, opts.name);
          if (opts.json) printJson({ id: k.id, role: k.role, key: k.key });
          else process.stdout.write(`${k.key}\n\nid ${k.id}, role ${k.role}. This key is shown once; store it now.\n`);
        } finally {
          await ops.close();
        }
      }),
    );

  keys
    .command('list')
    .description('list keys (never the secrets)')
    .option('--json', 'print as JSON')
    .action(
      action(async (opts: Opts) => {
        const ops = await open();
        try {
          const list = await ops.list();
          if (opts.json) return printJson(list);
          for (const k of list) {
            process.stdout.write(`${k.id}\t${k.role.padEnd(8)}\t${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}\t${k.name ?? ''}\n`);
          }
        } finally {
          await ops.close();
        }
      }),
    );

  keys
    .command('revoke <id>')
    .description('revoke a key; it stops working at once')
    .action(
      action(async (id: string) => {
        const ops = await open();
        try {
          await ops.revoke(id);
          process.stdout.write(`revoked ${id}\n`);
        } finally {
          await ops.close();
        }
      }),
    );
}
