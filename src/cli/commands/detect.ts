/**
 * `twin detect --input F.csv --output G.csv`: streaming anomaly scores for a file in the Numenta Anomaly Benchmark
 * layout. Input columns `timestamp,value` (ISO or `YYYY-MM-DD HH:MM:SS`, read as UTC, or epoch ms); output
 * `timestamp,value,anomaly_score`, one row per input row, in order. A row whose timestamp repeats or goes back before
 * the previous row's is still a reading, arriving in that order: NAB's own data has both (a repeated instant in
 * realAdExchange/exchange-2_cpc_results.csv; an hour of a clock set back in
 * realKnownCause/machine_temperature_system_failure.csv). It is scored, and the detector sees it 1 ms after the row
 * before, since it needs increasing times. Every bad row (a timestamp that is no date, a value that is no finite
 * number) is listed and the exit code is 2; nothing is written then. The detector loads inside the action so
 * registration stays cheap.
 */
import type { Command } from 'commander';
import { action } from '../output';

const MAX_LISTED = 100;

function parseTime(s: string): number {
  const x = s.trim();
  if (/^-?\d+(\.\d+)?$/.test(x)) return Number(x);
  const iso = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(x) ? `${x.replace(' ', 'T')}Z` : x;
  return Date.parse(iso);
}

/** Parse the CSV; returns the rows or every problem found. `t` is strictly increasing when there are no problems: a
 * repeated or earlier timestamp is moved 1 ms after the row before it (`raw` keeps the text as written). */
export function parseDetectCsv(text: string): { t: number[]; v: number[]; raw: Array<[string, string]>; problems: Array<{ path: string; message: string }> } {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const problems: Array<{ path: string; message: string }> = [];
  const t: number[] = [];
  const v: number[] = [];
  const raw: Array<[string, string]> = [];
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const ti = header.indexOf('timestamp');
  const vi = header.indexOf('value');
  if (ti < 0 || vi < 0) return { t, v, raw, problems: [{ path: 'line 1', message: `header must have columns timestamp,value (got ${lines[0] ?? 'nothing'})` }] };
  if (lines.length < 2) problems.push({ path: 'file', message: 'no data rows' });
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    const ts = cells[ti]?.trim() ?? '';
    const vs = cells[vi]?.trim() ?? '';
    let time = parseTime(ts);
    const value = vs === '' ? NaN : Number(vs);
    const where = `line ${i + 1}`;
    if (!Number.isFinite(time)) problems.push({ path: where, message: `timestamp "${ts}" is not a date` });
    else if (t.length && time <= t[t.length - 1]) time = t[t.length - 1] + 1;
    if (!Number.isFinite(value)) problems.push({ path: where, message: `value "${vs}" is not a finite number` });
    t.push(time);
    v.push(value);
    raw.push([ts, vs]);
  }
  return { t, v, raw, problems };
}

export function register(program: Command): void {
  program
    .command('detect')
    .description('score each row of a timestamp,value CSV for anomalies (NAB layout); writes timestamp,value,anomaly_score')
    .requiredOption('--input <file>', 'CSV with columns timestamp,value')
    .requiredOption('--output <file>', 'CSV to write with columns timestamp,value,anomaly_score')
    .option('--json', 'print a summary as JSON on stdout')
    .action(
      action(async (opts: { input: string; output: string; json?: boolean }) => {
        const { readFile, writeFile } = await import('node:fs/promises');
        const { validationError } = await import('../../errors');
        let text: string;
        try {
          text = await readFile(opts.input, 'utf8');
        } catch (err) {
          throw validationError(`cannot read ${opts.input}`, [{ path: opts.input, message: (err as Error).message }]);
        }
        const rows = parseDetectCsv(text);
        if (rows.problems.length) {
          const extra = rows.problems.length - MAX_LISTED;
          const listed = rows.problems.slice(0, MAX_LISTED);
          if (extra > 0) listed.push({ path: '', message: `and ${extra} more problems` });
          throw validationError(`${opts.input}: ${rows.problems.length} problem(s)`, listed);
        }
        const { AnomalyDetector } = await import('../../analytics');
        const d = new AnomalyDetector();
        const out: string[] = ['timestamp,value,anomaly_score'];
        let flagged = 0;
        for (let i = 0; i < rows.t.length; i++) {
          const s = d.update(rows.t[i], rows.v[i]);
          if (s >= 0.5) flagged++;
          out.push(`${rows.raw[i][0]},${rows.raw[i][1]},${s === 0 ? '0' : s.toFixed(6)}`);
        }
        await writeFile(opts.output, `${out.join('\n')}\n`);
        const summary = { input: opts.input, output: opts.output, rows: rows.t.length, scored_at_or_above_0_5: flagged };
        if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else process.stderr.write(`scored ${rows.t.length} rows → ${opts.output} (${flagged} at or above 0.5)\n`);
      }),
    );
}
