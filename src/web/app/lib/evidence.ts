/**
 * Where a piece of evidence leads. A readings/alarm/analysis ref such as `cnc-a2/vibration_rms` (or
 * `demo-plant/cnc-a2/vibration_rms`) opens that asset's chart of that property, with the cited window highlighted.
 */
import { href } from './router';
import type { Evidence } from './types';

export interface EvidenceTarget {
  twin: string;
  asset: string;
  property?: string;
}

export function evidenceTarget(ev: Pick<Evidence, 'kind' | 'ref'>, twin: string, twins: string[] = []): EvidenceTarget | null {
  if (ev.kind === 'order' || ev.kind === 'simulation') return null;
  const parts = ev.ref.split(/[/#]/).filter(Boolean);
  if (parts.length === 0) return null;
  if (parts.length >= 3 && (twins.includes(parts[0]!) || parts[0] === twin)) return { twin: parts[0]!, asset: parts[1]!, property: parts[2] };
  // A ref without a slash is an asset only when it looks like an id, not a sentence.
  if (parts.length === 1 && !/^[\w.-]+$/.test(parts[0]!)) return null;
  return { twin, asset: parts[0]!, property: parts[1] };
}

export function evidenceHref(ev: Evidence, twin: string, twins: string[] = []): string | null {
  const t = evidenceTarget(ev, twin, twins);
  if (!t) return null;
  return href(['twin', t.twin, t.asset], { prop: t.property, from: ev.window?.start, to: ev.window?.end, ev: ev.id });
}
