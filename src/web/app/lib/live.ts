/**
 * Live twin values pushed by the service over SSE (ingestion, alarm, state and action events from the event bus).
 * One shared stream for the whole app; pages subscribe to what they show and unsubscribe when they leave.
 */
import { useEffect, useState } from './html';
import { subscribe } from './sse';

export interface LiveEvent {
  type: string;
  [k: string]: unknown;
}

type Fn = (e: LiveEvent) => void;
const listeners = new Set<Fn>();
let close: (() => void) | null = null;
let state: 'idle' | 'open' | 'retrying' | 'closed' = 'idle';
const stateListeners = new Set<() => void>();

/** The event stream path the service offers; set by the app once it knows the twin. */
let path = '/api/v1/events';

export function setLivePath(p: string): void {
  if (p === path) return;
  path = p;
  if (close) {
    close();
    close = null;
    if (listeners.size) start();
  }
}

function setState(s: typeof state) {
  state = s;
  stateListeners.forEach((f) => f());
}

function start() {
  close = subscribe(path, (e) => listeners.forEach((fn) => fn(e)), (s) => setState(s));
}

export function onLive(fn: Fn): () => void {
  listeners.add(fn);
  if (!close) start();
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0 && close) {
      close();
      close = null;
      setState('idle');
    }
  };
}

export function useLiveState(): typeof state {
  const [, force] = useState(0);
  useEffect(() => {
    const f = () => force((n) => n + 1);
    stateListeners.add(f);
    return () => void stateListeners.delete(f);
  }, []);
  return state;
}

/** Readings in an event, whichever shape the service sends (`latest` rows of the bus, or one reading). */
export function readingsOf(e: LiveEvent): { asset: string; property: string; ts: string; value: number }[] {
  if (Array.isArray(e.latest)) return e.latest as { asset: string; property: string; ts: string; value: number }[];
  if (Array.isArray(e.readings)) return e.readings as { asset: string; property: string; ts: string; value: number }[];
  if (typeof e.asset === 'string' && typeof e.property === 'string' && typeof e.value === 'number')
    return [{ asset: e.asset, property: e.property, ts: String(e.ts ?? ''), value: e.value }];
  return [];
}
