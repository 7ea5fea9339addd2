/**
 * A pool of worker threads for the eval runner. Each worker builds the store-backed harness once and runs what it is
 * sent: `prepare` (build a setup's snapshot) or `run` (one suite trial on a fresh store), one at a time, so the default
 * suites use both cores of a small machine with no state shared between stores.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../src/config';
import type { SuiteTrial } from './run-suite';
import type { UnitExecutor } from './runner';
import type { Suite } from './suite';
import type { Mode, Provider } from './types';

export interface WorkerInit {
  config: Config;
  provider: Provider;
  mode: Mode;
  cacheDir?: string;
}

type Request = { kind: 'run'; file: string; trial: number } | { kind: 'prepare'; file: string };
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface WorkerPool {
  size: number;
  execute: UnitExecutor;
  prepare(suite: Suite): Promise<{ key: string; built: boolean; ms: number }>;
  close(): Promise<void>;
}

export function createWorkerPool(size: number, init: WorkerInit): WorkerPool {
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const all: Worker[] = [];
  const pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  let seq = 0;
  for (let i = 0; i < Math.max(1, size); i++) {
    // A worker's stdout goes to our stderr: --json must be the only thing on stdout.
    const w = new Worker(entry, { workerData: init, stdout: true, stderr: false });
    w.stdout.pipe(process.stderr, { end: false });
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    w.on('error', (err) => {
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(err);
      }
    });
    all.push(w);
    idle.push(w);
  }
  const acquire = () => new Promise<Worker>((res) => (idle.length ? res(idle.pop()!) : waiting.push(res)));
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  const send = async <T>(req: Request): Promise<T> => {
    const w = await acquire();
    try {
      const id = ++seq;
      return await new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
        w.postMessage({ ...req, id });
      });
    } finally {
      release(w);
    }
  };
  return {
    size: all.length,
    execute: (suite, trial) => send<SuiteTrial>({ kind: 'run', file: suite.file, trial }),
    prepare: (suite) => send({ kind: 'prepare', file: suite.file }),
    close: async () => {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
