import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, healthIndex } from '../../../src/analytics';

const cnc = (vib: number, temp: number, anomaly = 0) => ({
  asset: 'cnc-a2',
  properties: [
    { property: 'vibration_rms', value: vib, unit: 'mm/s', warn: 4.5, alarm: 7.1, anomalyScore: anomaly },
    { property: 'bearing_temp', value: temp, unit: 'degC', warn: 70, alarm: 85 },
    { property: 'spindle_load', value: 60, unit: '%' },
  ],
});

describe('healthIndex', () => {
  it('is 100 for a healthy machine and explains each property', () => {
    const h = healthIndex(cnc(1.8, 45));
    expect(h.index).toBeGreaterThanOrEqual(99);
    expect(h.grade).toBe('good');
    expect(h.contributions.map((c) => c.zone)).toEqual(['normal', 'normal', 'no_thresholds']);
  });

  it('calls a value approaching its warning level only within half a band of it', () => {
    const zone = (vib: number) => healthIndex(cnc(vib, 45)).contributions[0]!;
    expect(zone(1.9)).toMatchObject({ zone: 'normal', reason: '1.9 mm/s is normal (warning at 4.5 mm/s)' });
    expect(zone(4.0)).toMatchObject({ zone: 'near_warn', reason: '4 mm/s is approaching the warning level 4.5 mm/s' });
    expect(zone(3.0).weighted).toBeGreaterThan(zone(1.9).weighted);
  });

  it('drops as vibration enters the warning zone and names the cause', () => {
    const h = healthIndex(cnc(5.8, 68, 0.6));
    expect(h.index).toBeLessThan(70);
    expect(h.index).toBeGreaterThan(20);
    const top = [...h.contributions].sort((a, b) => b.weighted - a.weighted)[0];
    expect(top.property).toBe('vibration_rms');
    expect(top.zone).toBe('warn');
    expect(h.summary).toMatch(/vibration_rms/);
    expect(healthIndex(cnc(7.5, 68)).index).toBeLessThan(h.index);
  });

  it('understands direction below (low pressure is bad) and open alarms', () => {
    const ok = healthIndex({ asset: 'compressor-1', properties: [{ property: 'outlet_pressure_bar', value: 7.0, warn: 6.5, alarm: 6.0, direction: 'below' }] });
    const sag = healthIndex({ asset: 'compressor-1', properties: [{ property: 'outlet_pressure_bar', value: 6.6, warn: 6.5, alarm: 6.0, direction: 'below' }] });
    const low = healthIndex({ asset: 'compressor-1', properties: [{ property: 'outlet_pressure_bar', value: 5.9, warn: 6.5, alarm: 6.0, direction: 'below' }], openAlarms: [{ severity: 'alarm' }] });
    expect(ok.index).toBeGreaterThan(sag.index);
    expect(sag.index).toBeGreaterThan(low.index);
    expect(low.alarmPenalty).toBe(25);
    expect(low.contributions[0].zone).toBe('alarm');
  });

  it('stays within 0–100 with many alarms and huge values', () => {
    const h = healthIndex({ asset: 'x', properties: [{ property: 'p', value: 1e300, warn: 1, alarm: 2 }], openAlarms: Array(9).fill({ severity: 'critical' }) });
    expect(h.index).toBe(0);
    expect(healthIndex({ asset: 'x', properties: [] }).index).toBe(100);
  });

  it('lists every bad field at once', () => {
    try {
      healthIndex({ asset: '', properties: [{ property: 'p', value: NaN, warn: 5, alarm: 4 }, { property: 'q', value: 1, anomalyScore: 3 }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AnalyticsInputError);
      expect((e as AnalyticsInputError).problems.length).toBeGreaterThanOrEqual(4);
    }
  });
});
