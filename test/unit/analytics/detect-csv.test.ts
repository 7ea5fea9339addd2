import { describe, expect, it } from 'vitest';
import { parseDetectCsv } from '../../../src/cli/commands/detect';

describe('twin detect CSV parser', () => {
  it('accepts a repeated timestamp (as in NAB data) and keeps times strictly increasing for the detector', () => {
    const rows = parseDetectCsv('timestamp,value\r\n2011-08-24 11:00:01,1\r\n2011-08-24 12:00:01,2\r\n2011-08-24 12:00:01,3\r\n2011-08-24 13:00:01,4\r\n');
    expect(rows.problems).toEqual([]);
    const t12 = Date.UTC(2011, 7, 24, 12, 0, 1);
    expect(rows.t).toEqual([t12 - 3_600_000, t12, t12 + 1, t12 + 3_600_000]);
    expect(rows.raw[2]).toEqual(['2011-08-24 12:00:01', '3']);
  });

  it('scores a row whose clock went back (as in NAB data) in file order, just after the row before', () => {
    const rows = parseDetectCsv('timestamp,value\n2014-01-07 02:50:00,1\n2014-01-07 02:55:00,2\n2014-01-07 02:00:00,3\n2014-01-07 02:05:00,4\n2014-01-07 03:00:00,5\n');
    expect(rows.problems).toEqual([]);
    const t255 = Date.UTC(2014, 0, 7, 2, 55);
    expect(rows.t).toEqual([t255 - 300_000, t255, t255 + 1, t255 + 2, t255 + 300_000]);
    expect(rows.raw.map((r) => r[0])).toEqual(['2014-01-07 02:50:00', '2014-01-07 02:55:00', '2014-01-07 02:00:00', '2014-01-07 02:05:00', '2014-01-07 03:00:00']);
  });

  it('lists every row whose timestamp is no date or whose value is no number', () => {
    const rows = parseDetectCsv('timestamp,value\n2014-01-07 02:50:00,1\nyesterday,2\n2014-01-07 03:00:00,x\n');
    expect(rows.problems).toEqual([
      { path: 'line 3', message: 'timestamp "yesterday" is not a date' },
      { path: 'line 4', message: 'value "x" is not a finite number' },
    ]);
  });
});
