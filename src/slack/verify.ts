/**
 * Slack request signing (v0): HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the signing secret, compared in
 * constant time. Requests older than five minutes are refused, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_AGE_SECONDS = 5 * 60;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface SignedRequest {
  signingSecret: string;
  /** X-Slack-Request-Timestamp, in seconds. */
  timestamp: string | undefined | null;
  /** X-Slack-Signature, `v0=<hex>`. */
  signature: string | undefined | null;
  /** The body exactly as received: signing covers the bytes, not a re-serialisation. */
  rawBody: string;
  /** Current time in seconds; tests pass Slack's published example time. */
  nowSeconds?: number;
}

export function signSlackRequest(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function verifySlackRequest(req: SignedRequest): VerifyResult {
  if (!req.timestamp || !req.signature) return { ok: false, reason: 'missing Slack signature headers' };
  if (!/^\d{1,12}$/.test(req.timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const now = req.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(req.timestamp)) > MAX_AGE_SECONDS) return { ok: false, reason: 'request too old' };
  const expected = Buffer.from(signSlackRequest(req.signingSecret, req.timestamp, req.rawBody));
  const given = Buffer.from(req.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
