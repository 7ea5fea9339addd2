/** App-wide state every page reads: who is signed in, which twin is shown. A tiny observable, no framework. */
import { useEffect, useState } from './html';

type Sub = () => void;

export interface SessionState {
  status: 'checking' | 'signed_in' | 'signed_out';
  role: string | null;
  message?: string;
  twin: string;
  twins: string[];
}

let state: SessionState = { status: 'checking', role: null, twin: 'demo-plant', twins: [] };
const subs = new Set<Sub>();

export function getSession(): SessionState {
  return state;
}

export function setSession(patch: Partial<SessionState>): void {
  state = { ...state, ...patch };
  subs.forEach((fn) => fn());
}

export function useSession(): SessionState {
  const [, force] = useState(0);
  useEffect(() => {
    const fn = () => force((n) => n + 1);
    subs.add(fn);
    return () => {
      subs.delete(fn);
    };
  }, []);
  return state;
}
