/** Twins and their asset types: the ontology part of a loaded manifest. */
import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** A property definition as stored (the manifest's PropertyDef; the store does not import the twin layer). */
export interface StoredPropertyDef {
  kind: 'telemetry' | 'setpoint' | 'state' | 'attribute';
  type: 'number' | 'integer' | 'string' | 'boolean' | 'enum';
  description?: string;
  unit?: string;
  min?: number;
  max?: number;
  warn?: number;
  alarm?: number;
  direction?: 'above' | 'below';
  hysteresis?: number;
  values?: string[];
  default?: string | number | boolean;
  sim?: Record<string, unknown>;
}

export interface StoredCommandDef {
  description?: string;
  params?: Record<string, { type: string; description?: string; unit?: string; min?: number; max?: number; values?: string[]; required?: boolean }>;
  sets?: string;
  risk: 'low' | 'medium' | 'high';
}

export const twins = pgTable('twins', {
  /** The manifest's `twin` slug; one store holds several twins. */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  timezone: text('timezone').notNull().default('UTC'),
  /** The manifest as last loaded (relative times unresolved), for export and for the simulator. */
  manifest: jsonb('manifest').$type<Record<string, unknown>>().notNull(),
  /** Incremented by every load. */
  revision: integer('revision').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  /** The load clock's "now": relative times of the manifest were resolved against it. */
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull(),
});

export const assetTypes = pgTable(
  'asset_types',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    extends: text('extends'),
    description: text('description'),
    /** Declared on this type only. */
    properties: jsonb('properties').$type<Record<string, StoredPropertyDef>>().notNull().default({}),
    commands: jsonb('commands').$type<Record<string, StoredCommandDef>>().notNull().default({}),
    /** With inheritance resolved (what an asset of this type has); ingestion and tools read these. */
    effectiveProperties: jsonb('effective_properties').$type<Record<string, StoredPropertyDef>>().notNull().default({}),
    effectiveCommands: jsonb('effective_commands').$type<Record<string, StoredCommandDef>>().notNull().default({}),
    /** The type and its ancestors, nearest first. */
    chain: jsonb('chain').$type<string[]>().notNull().default([]),
  },
  (t) => [unique('asset_types_twin_key').on(t.twinId, t.key)],
);
