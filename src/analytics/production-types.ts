/**
 * Inputs and outputs of the discrete-event production simulation. Times are epoch ms; durations in minutes where
 * the planning records give minutes.
 */

export interface Interval {
  start: number;
  end: number;
}

export interface StationSpec {
  id: string;
  /** Known down windows (from state history or planned maintenance). */
  down?: Interval[];
  /** Random failures: mean time between failures and to repair, minutes (sampled from the seed). */
  mtbfMin?: number;
  mttrMin?: number;
  /** Speed factor (1 = nominal; 0.8 = 20% slower). */
  speed?: number;
  /** People needed while it runs (default 0: unattended). Limited by the size of the crew on shift. */
  operators?: number;
}

export interface ShiftSpec {
  crew: string;
  /** Local 'HH:MM'; a shift ending at or before its start runs past midnight. */
  start: string;
  end: string;
  /** Local weekdays (0 = Sunday); default every day. */
  days?: number[];
  size: number;
  technicians?: number;
  overtimeHours?: number;
}

export interface RoutingStep {
  /** One station, or parallel alternatives any of which can do the step. */
  stations: string[];
  minutesPerUnit: number;
  /** Coefficient of variation of the processing time (default 0: deterministic). */
  cv?: number;
}

export interface Routing {
  sku: string;
  steps: RoutingStep[];
}

export interface OrderSpec {
  id: string;
  sku: string;
  quantity: number;
  due: number;
  /** Higher runs first (default 0). */
  priority?: number;
  /** Earliest start (default: the simulation start). */
  release?: number;
}

export interface Scenario {
  name?: string;
  /** Extra down windows, e.g. "cnc-a2 lost for the next 48 h" or a maintenance job. */
  down?: Array<Interval & { station: string }>;
  /** Speed changes per station. */
  speed?: Array<{ station: string; factor: number }>;
  /** Extra shifts (overtime, weekend) and shifts removed by crew name. */
  addShifts?: ShiftSpec[];
  removeCrews?: string[];
  /** Explicit dispatch order of order ids (earlier = first); otherwise priority, then due date. */
  orderSequence?: string[];
}

export interface SimulationInput {
  start: number;
  /** Simulated time limit (default 30 days); unfinished orders are reported late. */
  horizonMs?: number;
  stations: StationSpec[];
  routings: Routing[];
  orders: OrderSpec[];
  /** Shift calendar; omitted = staffed around the clock. */
  shifts?: ShiftSpec[];
  /** IANA time zone of the shift times (default UTC). */
  timezone?: string;
  scenario?: Scenario;
  /** Seed for failures and processing variation (default 1). */
  seed?: number;
}

export interface OrderOutcome {
  id: string;
  sku: string;
  quantity: number;
  completed: number;
  due: number;
  /** When the last unit left the last step (null if not within the horizon). */
  completedAt: number | null;
  late: boolean;
  /** Positive = late by, negative = early by, hours (unfinished: counted to the horizon). */
  latenessHours: number;
}

export interface StationOutcome {
  id: string;
  units: number;
  busyHours: number;
  /** Hours up and staffed within the simulated span. */
  availableHours: number;
  /** busy / available. */
  utilisation: number;
  throughputPerHour: number;
}

export interface SimulationResult {
  scenario: string;
  seed: number;
  start: number;
  end: number;
  makespanHours: number;
  orders: OrderOutcome[];
  stations: StationOutcome[];
  bottleneck: { station: string; utilisation: number; reason: string } | null;
  lateOrders: string[];
  totalLatenessHours: number;
  events: number;
  summary: string;
}
