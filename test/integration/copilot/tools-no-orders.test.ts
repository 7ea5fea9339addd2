/**
 * The tools on a twin with no production orders and no site meter (the cold store of test/fixtures/evals/unseen): a
 * what-if on a machine still says what the outage touches, through the twin's relations, and the site's energy is the
 * sum of its metered loads, labelled as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantWithHistory, type PlantHistory } from '../../helpers/plant-history';
import { toolOk } from '../../helpers/plant-tools';

let plant: PlantHistory;
const ok = (name: string, args: Record<string, unknown> = {}) => toolOk(plant, name, args);

beforeAll(async () => {
  plant = await plantWithHistory({ manifestPath: new URL('../../fixtures/evals/unseen/cold-store.yaml', import.meta.url), now: '2026-06-10T14:00:00Z', seed: 3, backfill: '1d' });
}, 600_000);
afterAll(async () => plant?.close());

describe('a twin without orders or a site meter', () => {
  it('a what-if on a compressor reports what it serves and who else serves it', async () => {
    const r = await ok('simulate_schedule', { asset: 'rc-2', hours: 12 });
    expect(r.summary).toMatch(/no production orders to simulate/);
    expect(r.summary).toMatch(/rc-2 cools room-f1, which rc-1 also serves \(redundant\)/);
    expect(r.concerns).toBeUndefined();
    // The same read the other way round: rc-2 backs up rc-1.
    const lone = await ok('simulate_schedule', { asset: 'rc-1', hours: 12 });
    expect(lone.summary).toMatch(/rc-2 also serves/);
  });

  it('the site’s energy is the sum of the loads under it, and says there is no site meter', async () => {
    const r = await ok('energy_breakdown', { asset: 'site-w' });
    expect(r.summary).toMatch(/all 3 metered loads together \(no site meter\): [\d.]+ kWh/);
    expect(r.result.map((x: { asset: string }) => x.asset).sort()).toEqual(['charger-1', 'rc-1', 'rc-2']);
  });
});
