/** The shapes the app shows. Answer, Action, Evidence and PlanEvent come from the contract every surface shares. */
export type { Action, ActionStatus, Answer, Evidence, PlanEvent } from '../../../../agents/answer';

export interface PropertyDef {
  kind?: string;
  type?: string;
  unit?: string;
  warn?: number;
  alarm?: number;
  direction?: 'above' | 'below';
  min?: number;
  max?: number;
}

export interface StateValue {
  value: unknown;
  ts?: string;
}

export interface Alarm {
  id?: string;
  asset: string;
  property: string;
  level: string;
  value?: number;
  message?: string;
  raised_at?: string;
}

export interface Asset {
  id: string;
  name: string;
  type: string;
  parent: string | null;
  attributes: Record<string, unknown>;
  reported: Record<string, StateValue>;
  desired: Record<string, StateValue>;
  properties: Record<string, PropertyDef>;
  commands: string[];
  alarms: Alarm[];
  health: number | null;
  raw: Record<string, unknown>;
}

export interface Relation {
  from: string;
  to: string;
  type: string;
  depth?: number;
}

export interface Point {
  t: number;
  v: number;
  min?: number;
  max?: number;
}

export interface ThreadSummary {
  thread_id: string;
  title: string;
  updated_at?: string;
}
