/**
 * CPU seconds spent by other processes of this machine, read from /proc (Linux): the PostgreSQL server (every
 * `postgres` process, plus what exited backends left in their parent's counters), Mosquitto, and children this
 * process has waited for (psql). On a shared, loaded machine wall time mostly measures the scheduler; CPU seconds
 * say what a path cost. Other users of the same server add to its figure, so it is an upper bound.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

function statOf(pid: string): { comm: string; ticks: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // fields after the comm: state is f[0], utime f[11], stime f[12], cutime f[13], cstime f[14]
    return { comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

export interface CpuSnapshot {
  self: number;
  children: number;
  postgres: number;
  mosquitto: number;
}

export function cpuSnapshot(): CpuSnapshot {
  let postgres = 0;
  let mosquitto = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const st = statOf(pid);
    if (!st) continue;
    if (st.comm === 'postgres') postgres += st.ticks;
    else if (st.comm === 'mosquitto') mosquitto += st.ticks;
  }
  const me = readFileSync('/proc/self/stat', 'utf8');
  const f = me.slice(me.lastIndexOf(')') + 2).split(' ');
  const u = process.cpuUsage();
  return { self: (u.user + u.system) / 1e6, children: (Number(f[13]) + Number(f[14])) / TICK, postgres: postgres / TICK, mosquitto: mosquitto / TICK };
}

export function cpuSince(a: CpuSnapshot): CpuSnapshot {
  const b = cpuSnapshot();
  return { self: b.self - a.self, children: b.children - a.children, postgres: b.postgres - a.postgres, mosquitto: b.mosquitto - a.mosquitto };
}

/** CPU seconds of the server processes (backends) in `pids`, by pid. */
export function ticksOf(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const st = statOf(String(pid));
    if (st) out.set(pid, st.ticks / TICK);
  }
  return out;
}

/** CPU seconds a set of backends spent between two readings (a backend new in `after` counts whole). */
export function ticksDelta(before: Map<number, number>, after: Map<number, number>): number {
  let s = 0;
  for (const [pid, t] of after) s += t - (before.get(pid) ?? 0);
  return s;
}

/** CPU seconds in a `/proc/<pid>/stat` line (a backend reading its own, through pg_read_file). */
export function secondsOfStat(line: string): number {
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}
