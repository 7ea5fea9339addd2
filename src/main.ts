/**
 * The composition root: config → store → keys → ingest and control → copilot → HTTP → listen. Nothing else in the
 * service builds its own dependencies. Slow work (the demo plant, the simulator's backfill, the copilot's checkpoint
 * tables) runs after the socket listens, so /healthz answers at once and /readyz says what is still coming up.
 */
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { systemClock, type Clock } from './clock';
import { type Config, publicUrl } from './config';
import { AppError } from './errors';
import type { CopilotApi, HttpDeps, ReadinessCheck } from './http/deps';
import type { CreatedKey } from './http/keys';
import type { Store } from './store';
import type { PlantSimulation } from './boot/simulation';
import type { MqttIngest } from './ingest/mqtt-subscriber';

/** Before the app is built (store opening, modules loading) the socket already answers: live, not ready. */
function bootingFetch(req: Request): Response {
  const path = new URL(req.url).pathname;
  if (path === '/healthz') return Response.json({ ok: true, starting: true });
  return Response.json({ error: { code: 'unavailable', message: 'starting up', details: { checks: { store: { ok: false, detail: 'opening' } } } } }, { status: 503, headers: { 'retry-after': '2' } });
}

export interface ServiceOptions {
  clock?: Clock;
  log?: (msg: string) => void;
  /** Serve the browser app at / (default true; tests of the API alone turn it off). */
  web?: boolean;
  /** Print the first admin key and the login URL (default true). */
  banner?: boolean;
}

export interface Service {
  url: string;
  port: number;
  store: Store;
  deps: HttpDeps;
  /** The admin key made on this start (first start only), else null. */
  adminKey: CreatedKey | null;
  /** Resolves when the demo twin, the backfill and the copilot are up (what /readyz waits for). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export async function startService(config: Config, opts: ServiceOptions = {}): Promise<Service> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? ((m: string) => (config.LOG_LEVEL === 'silent' ? undefined : console.log(m)));
  // Run in order on close: later pieces are unshifted in front, so they stop before what they depend on.
  const closers: (() => Promise<unknown> | unknown)[] = [];

  // Listen first: /healthz answers while the store opens and the modules load (a big embedded store takes seconds).
  let handler: (req: Request) => Response | Promise<Response> = bootingFetch;
  const server = await listen((req) => handler(req), config);
  const port = (server.address() as AddressInfo).port;
  const url = publicUrl({ ...config, PORT: port });
  const closeServer = () =>
    new Promise<void>((r) => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => r());
    });
  try {
    return await build();
  } catch (err) {
    await closeServer();
    throw err;
  }

  async function build(): Promise<Service> {

  const [
    { count, sql },
    { ensureDemoTwin },
    { underFirstStartLock },
    { startPlantSimulation },
    { createExecutor },
    { createLocalTransport, createMqttTransport },
    { createEventBus },
    { createApp },
    { storeAudit },
    { storeKeyRepo },
    { storeActions, storeEvalRuns, storeThreads },
    { storeTwins },
    { createKeyStore },
    { createMetrics },
    { telemetryRoutes },
    { webRoutes },
    { startMqttIngest },
    { createIngestService },
    { dbRunner },
    { createStore },
    { deadLetters },
  ] = await Promise.all([
    import('drizzle-orm'),
    import('./boot/demo'),
    import('./boot/first-start'),
    import('./boot/simulation'),
    import('./control/executor'),
    import('./control/transport'),
    import('./events'),
    import('./http/app'),
    import('./http/adapters/audit'),
    import('./http/adapters/keys'),
    import('./http/adapters/records'),
    import('./http/adapters/twins'),
    import('./http/keys'),
    import('./http/metrics'),
    import('./http/routes/telemetry'),
    import('./http/routes/web'),
    import('./ingest/mqtt-subscriber'),
    import('./ingest/service'),
    import('./ingest/sql'),
    import('./store'),
    import('./store/schema'),
  ]);

  const store = await createStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  closers.push(() => store.close());
  await store.migrate();
  closers.unshift(store.startMaintenance());

  const bus = createEventBus();
  const metrics = createMetrics({ defaults: true });
  closers.unshift(metrics.watch(bus));
  const keys = createKeyStore(storeKeyRepo(store.db));
  // Under the first-start lock: two replicas starting together on an empty database make one admin key, not two.
  const adminKey = await underFirstStartLock(store.db, (tx) => createKeyStore(storeKeyRepo(tx)).ensureAdmin());
  const actions = storeActions(store.db);
  metrics.setSources({
    pendingApprovals: () => actions.countPending(),
    deadLetters: async () => Number((await store.db.select({ n: count() }).from(deadLetters))[0]?.n ?? 0),
  });

  const runner = dbRunner(store.db);
  const ingest = createIngestService({ sql: runner, bus, clock });
  // Stable per replica (host and port) so a restarted replica resumes its MQTT sessions; two replicas never share one.
  const replica = `${hostname()}-${port}`;
  const transport: ReturnType<typeof createMqttTransport> | ReturnType<typeof createLocalTransport> = config.MQTT_URL
    ? createMqttTransport({ url: config.MQTT_URL, clientId: `twinpilot-cmd-${replica}-${process.pid}` })
    : createLocalTransport();
  closers.unshift(() => transport.close());
  const executor = createExecutor({ sql: runner, bus, clock, transport, config });
  closers.unshift(() => executor.close());

  // Pieces that come up after listening; readiness reports each.
  const boot = { twin: false, copilot: null as CopilotApi | null, copilotError: null as string | null };
  let sim: PlantSimulation | null = null;
  let mqttIngest: MqttIngest | null = null;
  const simulatorOn = config.SIMULATOR ?? true;

  const readiness: ReadinessCheck[] = [
    { name: 'store', check: async () => (await store.db.execute(sql`select 1`), { ok: true, detail: store.kind }) },
    { name: 'twin', check: async () => ({ ok: boot.twin }) },
    {
      name: 'model',
      check: async () => (boot.copilot ? { ok: true, detail: boot.copilot.provider?.() } : { ok: false, detail: boot.copilotError ?? 'starting' }),
    },
    { name: 'backfill', check: async () => (sim ? sim.progress() : { ok: !simulatorOn || boot.twin, detail: simulatorOn ? 'starting' : 'simulator off' }) },
  ];
  if (config.MQTT_URL) readiness.push({ name: 'broker', check: async () => ({ ok: !!mqttIngest?.connected(), detail: config.MQTT_URL }) });

  const deps: HttpDeps = {
    config,
    clock,
    bus,
    keys,
    metrics,
    audit: storeAudit(store.db),
    actions,
    twins: storeTwins(store.db, clock, async () => void (await ingest.reload()), bus),
    threads: storeThreads(store.db),
    evalRuns: storeEvalRuns(store.db),
    readiness,
    mounts: [{ path: '/', app: telemetryRoutes({ ingest, config }) }],
  };
  // The copilot arrives after listening; routes read deps.copilot per request.
  const app = createApp(deps, { log: (err) => log(`[http] unexpected error: ${err instanceof Error ? err.stack : String(err)}`) });
  if (config.SLACK_SIGNING_SECRET) {
    const [{ slackRoutes }, { storeSlackState }, { decideChecked }] = await Promise.all([import('./slack/routes'), import('./slack/deps'), import('./http/approval')]);
    const copilotNow = () => {
      if (!deps.copilot) throw new AppError('unavailable', 'the copilot is still starting');
      return deps.copilot;
    };
    // Slack's sub-app verifies every request in its own middleware; mounted under /slack, that middleware sees only
    // /slack/* requests.
    const slack = slackRoutes({
        config: { signingSecret: config.SLACK_SIGNING_SECRET, botToken: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL, userRoles: config.SLACK_USER_ROLES, webUrl: url },
        copilot: {
          ask: (req, o) => copilotNow().plan({ task: req.task, thread_id: req.threadId, actor: req.actor ?? { id: 'slack', role: 'viewer', via: 'slack' } }, o),
          decide: async (req) => ({ action: await decideChecked({ actions, audit: deps.audit, copilot: copilotNow() }, req) }),
        },
        state: storeSlackState(store.db),
        log: (msg, err) => log(`slack: ${msg}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}`),
      });
    app.route('/slack', slack);
  }
  if (opts.web !== false) app.route('/', webRoutes());

  handler = app.fetch;
  log(`twinpilot listening on ${url} (store: ${store.kind}${config.MQTT_URL ? `, broker: ${config.MQTT_URL}` : ''})`);
  if (adminKey && opts.banner !== false) {
    log(`\nFirst start: an admin API key was created. It is shown only this once; keep it.\n\n  key:   ${adminKey.key}\n  login: ${url}/?token=${adminKey.key}\n`);
  }

  const ready = (async () => {
    if (await ensureDemoTwin(store, clock)) log('loaded the demo plant into an empty store');
    await ingest.reload();
    boot.twin = true;
    if (config.MQTT_URL) {
      mqttIngest = startMqttIngest({ url: config.MQTT_URL, group: config.MQTT_GROUP, clientIdPrefix: `twinpilot-${replica}`, commit: (m) => ingest.commitMessages(m), onError: (e) => log(`mqtt: ${e.message}`) });
      closers.unshift(() => mqttIngest?.stop());
    }
    if (simulatorOn) {
      sim = await startPlantSimulation({ config, store, clock, ingest, attachDevice: 'attachDevice' in transport ? transport.attachDevice.bind(transport) : undefined, log });
      closers.unshift(() => sim?.stop());
    }
    try {
      const { buildCopilot } = await import('./boot/copilot');
      boot.copilot = await buildCopilot({ config, store, clock, bus, executor, log });
      deps.copilot = boot.copilot;
    } catch (err) {
      boot.copilotError = err instanceof Error ? err.message : String(err);
      log(`copilot unavailable: ${boot.copilotError}`);
    }
    await sim?.done;
  })();
  ready.catch((err: unknown) => log(`start-up failed: ${err instanceof Error ? err.message : String(err)}`));

  let closed = false;
  return {
    url,
    port,
    store,
    deps,
    adminKey,
    ready,
    async close() {
      if (closed) return;
      closed = true;
      await closeServer();
      for (const c of closers) await Promise.resolve(c()).catch(() => undefined);
    },
  };
  }
}

function listen(fetch: (req: Request) => Response | Promise<Response>, config: Config): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.PORT, hostname: config.HOST }, () => resolve(server));
    server.once('error', reject);
  });
}
