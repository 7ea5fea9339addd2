/**
 * In-process event bus. Ingestion, control and the copilot publish; SSE, Slack and the web app subscribe.
 * Typed so that a subscriber sees exactly what a publisher sends.
 */
import { EventEmitter } from 'node:events';

export interface TwinEvents {
  /** A batch of readings was committed. */
  readings: { twin: string; count: number; assets: string[]; latest: { asset: string; property: string; ts: string; value: number }[] };
  alarm_raised: { twin: string; asset: string; property: string; level: 'warn' | 'alarm'; value: number; ts: string; message: string };
  alarm_cleared: { twin: string; asset: string; property: string; ts: string };
  /** Reported or desired state of an asset changed. */
  state_changed: { twin: string; asset: string; side: 'reported' | 'desired'; changes: Record<string, { value: unknown; ts: string }> };
  /** An action proposal changed status. `executed` and `failed` come after the action's writes (work orders, orders, crews). */
  action_changed: { id: string; status: string; twin?: string };
  /** A manifest was loaded (or reloaded): the twin's types, assets, relations and planning records may all have changed. */
  twin_loaded: { twin: string };
}

export type EventName = keyof TwinEvents;

export interface EventBus {
  publish<K extends EventName>(name: K, payload: TwinEvents[K]): void;
  subscribe<K extends EventName>(name: K, fn: (payload: TwinEvents[K]) => void): () => void;
}

export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(name, payload) {
      // A failing subscriber must not break the publisher (an ingest commit has already happened).
      for (const fn of emitter.listeners(name)) {
        try {
          (fn as (p: unknown) => void)(payload);
        } catch {
          /* subscribers own their errors */
        }
      }
    },
    subscribe(name, fn) {
      emitter.on(name, fn as (p: unknown) => void);
      return () => emitter.off(name, fn as (p: unknown) => void);
    },
  };
}
