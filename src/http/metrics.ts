/**
 * Prometheus metrics for /metrics. One registry per app (not prom-client's global), so tests and several apps in one
 * process never collide. Ingest counts come from the event bus; gauges that live in the store are read at scrape time.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Answer } from '../../agents/answer';
import type { EventBus } from '../events';

export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  plans: Counter<'outcome' | 'provider'>;
  llmCalls: Counter<'provider'>;
  llmTokens: Counter<'provider' | 'kind'>;
  toolCalls: Counter;
  readingsIngested: Counter<'twin'>;
  deadLetters: Gauge;
  pendingApprovals: Gauge;
  recordAnswer(a: Answer): void;
  /** Count committed readings from the bus; returns the unsubscribe. */
  watch(bus: EventBus): () => void;
}

export interface MetricSources {
  pendingApprovals?: () => Promise<number>;
  deadLetters?: () => Promise<number>;
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics & { setSources(s: MetricSources): void } {
  const registry = new Registry();
  if (opts.defaults) collectDefaultMetrics({ register: registry, prefix: 'twinpilot_' });
  let sources: MetricSources = {};

  const requestDuration = new Histogram({
    name: 'twinpilot_http_request_duration_seconds',
    help: 'HTTP request latency by route template',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const plans = new Counter({ name: 'twinpilot_plans_total', help: 'Copilot plans run', labelNames: ['outcome', 'provider'] as const, registers: [registry] });
  const llmCalls = new Counter({ name: 'twinpilot_llm_calls_total', help: 'Chat-model calls made by plans', labelNames: ['provider'] as const, registers: [registry] });
  const llmTokens = new Counter({ name: 'twinpilot_llm_tokens_total', help: 'Tokens used by plans', labelNames: ['provider', 'kind'] as const, registers: [registry] });
  const toolCalls = new Counter({ name: 'twinpilot_tool_calls_total', help: 'Tool calls made by plans', registers: [registry] });
  const readingsIngested = new Counter({ name: 'twinpilot_readings_ingested_total', help: 'Readings committed by ingestion (rate() gives the ingest rate)', labelNames: ['twin'] as const, registers: [registry] });
  const deadLetters = new Gauge({
    name: 'twinpilot_dead_letters',
    help: 'Rejected inputs kept as dead letters',
    registers: [registry],
    async collect() {
      if (sources.deadLetters) this.set(await sources.deadLetters().catch(() => 0));
    },
  });
  const pendingApprovals = new Gauge({
    name: 'twinpilot_pending_approvals',
    help: 'Proposed actions waiting for a human decision',
    registers: [registry],
    async collect() {
      if (sources.pendingApprovals) this.set(await sources.pendingApprovals().catch(() => 0));
    },
  });

  return {
    registry,
    requestDuration,
    plans,
    llmCalls,
    llmTokens,
    toolCalls,
    readingsIngested,
    deadLetters,
    pendingApprovals,
    setSources(s) {
      sources = s;
    },
    recordAnswer(a) {
      plans.inc({ outcome: 'ok', provider: a.provider });
      llmCalls.inc({ provider: a.provider }, a.usage.llm_calls);
      llmTokens.inc({ provider: a.provider, kind: 'prompt' }, a.usage.prompt_tokens);
      llmTokens.inc({ provider: a.provider, kind: 'completion' }, a.usage.completion_tokens);
      toolCalls.inc(a.usage.tool_calls);
    },
    watch(bus) {
      return bus.subscribe('readings', (e) => readingsIngested.inc({ twin: e.twin }, e.count));
    },
  };
}
