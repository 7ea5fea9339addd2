/**
 * The per-run evidence ledger tools register what they read into: `add({kind, ref, summary, window})` returns
 * `ev1`, `ev2`, …; the same read twice gets the same id. The graph creates one per run (src/llm/protocol
 * createLedger); this module only adds the `all()` spelling tools and tests use.
 */
import { createLedger, type EvidenceItem, type EvidenceLedger } from '../../src/llm/protocol';

export type { EvidenceItem, EvidenceLedger };

export interface Ledger extends EvidenceLedger {
  all(): EvidenceItem[];
}

export function createEvidenceLedger(seed: EvidenceItem[] = []): Ledger {
  const l = createLedger(seed);
  return { ...l, all: () => l.list() };
}
