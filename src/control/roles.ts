/**
 * Roles and the approval rule (interfaces.md): viewer reads and asks, operator also approves low-risk actions,
 * manager approves any risk, admin also manages twins and keys.
 */
import { z } from 'zod';

export const Role = z.enum(['viewer', 'operator', 'manager', 'admin']);
export type Role = z.infer<typeof Role>;

export const Risk = z.enum(['low', 'medium', 'high']);
export type Risk = z.infer<typeof Risk>;

const RANK: Record<Role, number> = { viewer: 0, operator: 1, manager: 2, admin: 3 };

/** The lowest role allowed to approve an action of this risk. */
export function roleNeededFor(risk: Risk): Role {
  return risk === 'low' ? 'operator' : 'manager';
}

export function canApprove(role: Role, risk: Risk): boolean {
  return RANK[role] >= RANK[roleNeededFor(risk)];
}

export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Who did something, as the audit trail records it. */
export interface Actor {
  id: string;
  role: Role;
  via: 'api' | 'web' | 'slack' | 'cli' | 'system';
}
