/**
 * Assets: the things of a twin, their hierarchy, attributes, and reported and desired state (as in Eclipse Ditto).
 * State is `{property: {value, ts}}`; `version` grows with every change for optimistic concurrency.
 */
import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, jsonb, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { twins } from './twins';

export interface StateValue {
  value: unknown;
  /** ISO timestamp of the reading or command that set it. */
  ts: string;
}
export type State = Record<string, StateValue>;

export const assets = pgTable(
  'assets',
  {
    /** Surrogate key: readings and relations refer to it. */
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    /** The manifest id (`cnc-a2`); unique within a twin. */
    key: text('key').notNull(),
    type: text('type').notNull(),
    parentId: integer('parent_id'),
    name: text('name'),
    description: text('description'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    reported: jsonb('reported').$type<State>().notNull().default({}),
    desired: jsonb('desired').$type<State>().notNull().default({}),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
    /** Set when a reload no longer lists the asset; its history stays. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    unique('assets_twin_key').on(t.twinId, t.key),
    foreignKey({ name: 'assets_parent_fk', columns: [t.parentId], foreignColumns: [t.id] }).onDelete('set null'),
    index('assets_parent_idx').on(t.parentId),
    index('assets_twin_type_idx').on(t.twinId, t.type),
  ],
);
