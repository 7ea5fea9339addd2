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

  it('still lists a timestamp earlier than the previous row as a problem', () => {
    const rows = parseDetectCsv('timestamp,value\n2011-08-24 12:00:01,1\n2011-08-24 11:00:01,2\n');
    expect(rows.problems).toEqual([{ path: 'line 3', message: 'timestamp 2011-08-24 11:00:01 is before the previous row\'s' }]);
  });
});
