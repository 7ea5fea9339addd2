/**
 * Telemetry contracts shared by every door (HTTP, MQTT, files, the simulator): the loose input record, the validated
 * reading, the MQTT payload, and the result every door reports (accepted, rejected, the first reasons).
 */
import { z } from 'zod';

/** One input record as HTTP and files carry it; everything is checked by validate.ts, so the fields stay loose. */
export const TelemetryRecord = z.object({
  twin: z.string().optional(),
  asset: z.string(),
  property: z.string(),
  ts: z.union([z.string(), z.number()]),
  value: z.unknown(),
});
export type TelemetryRecord = z.infer<typeof TelemetryRecord>;

/** A validated numeric reading, ready for the batch writer. */
export interface Reading {
  twin: string;
  asset: string;
  /** The store's id of the asset. */
  assetId: number;
  property: string;
  /** epoch milliseconds */
  ts: number;
  value: number;
}

/** A validated non-numeric state report (an enum such as `status: running`); it updates reported state only. */
export interface StateReport {
  twin: string;
  asset: string;
  assetId: number;
  property: string;
  ts: number;
  value: string | boolean;
}

/** MQTT telemetry payload: `{ts, values}` or, additively, an array of them (a device flushing a buffer). */
export const MqttSample = z.object({
  ts: z.union([z.string(), z.number()]).optional(),
  values: z.record(z.string(), z.unknown()),
});
export const MqttPayload = z.union([MqttSample, z.array(MqttSample).max(10_000)]);
export type MqttSample = z.infer<typeof MqttSample>;

/** Why a record was rejected; `index` is 0-based (HTTP) or the 1-based line (files). */
export interface Rejection {
  index: number;
  reason: string;
}

export interface IngestResult {
  accepted: number;
  rejected: number;
  /** Rows that were valid but already stored (same twin, asset, property, ts); counted as accepted. */
  duplicates?: number;
  errors: Rejection[];
}

/** At most this many reasons are returned; the counts stay exact. */
export const MAX_ERRORS_REPORTED = 100;

/** How far in the future a timestamp may lie (clock skew of devices). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
