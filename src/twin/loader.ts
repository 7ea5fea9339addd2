/**
 * Loads a manifest into the store in ONE transaction: a bad manifest changes nothing. Loading a twin that exists
 * updates it in place: assets are matched by id, those no longer listed are retired (their history stays), and the
 * result says what changed. Relative times (`due: +2d`) are resolved against the given clock.
 */
import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { type Clock, resolveTime } from '../clock';
import type { Actor } from '../control/roles';
import { validationError } from '../errors';
import type { Db } from '../store/db';
import { assetRelations, assets, assetTypes, auditLog, crews, productionOrders, routings, tariffs, twins, workOrders } from '../store/schema';
import type { State } from '../store/schema/assets';
import { type AssetType, type Manifest, parseManifest } from './manifest';
import { allTypes, BUILTIN_TYPES, resolveType } from './ontology';

export interface LoadResult {
  twin: string;
  /** Assets created, updated (any field changed, or brought back from retirement) and retired by this load. */
  created: number;
  updated: number;
  retired: number;
  unchanged: number;
  /** How many times this twin has been loaded. */
  revision: number;
}

export interface LoadOptions {
  actor?: Actor;
}

const SYSTEM: Actor = { id: 'system', role: 'admin', via: 'system' };

/** Validate (throwing AppError validation_failed with every problem) and load. Accepts YAML/JSON text or a parsed object. */
export async function loadManifest(target: Db | { db: Db }, input: unknown, clock: Clock, options: LoadOptions = {}): Promise<LoadResult> {
  const parsed = parseManifest(input);
  if (!parsed.ok) throw validationError(`invalid manifest: ${parsed.problems.length} problem(s)`, parsed.problems);
  const db = 'db' in target && !('select' in target) ? target.db : (target as Db);
  const now = clock.now();
  return db.transaction(async (tx) => writeManifest(tx as unknown as Db, parsed.manifest, now, options.actor ?? SYSTEM));
}

const at = (text: string | undefined, now: Date): Date | null => (text === undefined ? null : resolveTime(text, now));
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

async function writeManifest(db: Db, m: Manifest, now: Date, actor: Actor): Promise<LoadResult> {
  const twinId = m.twin;
  const [twinRow] = await db
    .insert(twins)
    .values({ id: twinId, name: m.name, description: m.description ?? null, timezone: m.timezone ?? 'UTC', manifest: m as unknown as Record<string, unknown>, loadedAt: now })
    .onConflictDoUpdate({
      target: twins.id,
      set: { name: m.name, description: m.description ?? null, timezone: m.timezone ?? 'UTC', manifest: m as unknown as Record<string, unknown>, loadedAt: now, revision: sql`${twins.revision} + 1`, updatedAt: now },
    })
    .returning({ revision: twins.revision });

  await writeTypes(db, twinId, m);
  const counts = await writeAssets(db, twinId, m, now);
  const ids = new Map((await db.select({ id: assets.id, key: assets.key }).from(assets).where(eq(assets.twinId, twinId))).map((r) => [r.key, r.id]));
  await writeRelations(db, twinId, m, ids);
  await writePlanning(db, twinId, m, now, ids);

  const result: LoadResult = { twin: twinId, ...counts, revision: twinRow.revision };
  await db.insert(auditLog).values({ twinId, actor: actor.id, actorRole: actor.role, via: actor.via, event: 'twin.loaded', target: twinId, details: { ...result } });
  return result;
}

async function writeTypes(db: Db, twinId: string, m: Manifest): Promise<void> {
  const types = allTypes(m.types);
  // Declared types, plus the built-in ones the twin actually uses (so every asset's type has a row).
  const used = new Set(Object.keys(m.types ?? {}));
  for (const a of m.assets) for (const t of resolveType(types, a.type)?.chain ?? []) used.add(t);
  const keys = [...used];
  await db.delete(assetTypes).where(and(eq(assetTypes.twinId, twinId), keys.length ? notInArray(assetTypes.key, keys) : sql`true`));
  const values = keys.map((key) => {
    const t: AssetType = types[key] ?? BUILTIN_TYPES[key];
    const eff = resolveType(types, key)!;
    return {
      twinId,
      key,
      extends: t.extends ?? null,
      description: t.description ?? null,
      properties: t.properties ?? {},
      commands: t.commands ?? {},
      effectiveProperties: eff.properties,
      effectiveCommands: eff.commands,
      chain: eff.chain,
    };
  });
  if (values.length === 0) return;
  await db
    .insert(assetTypes)
    .values(values)
    .onConflictDoUpdate({
      target: [assetTypes.twinId, assetTypes.key],
      set: {
        extends: sql`excluded.extends`,
        description: sql`excluded.description`,
        properties: sql`excluded.properties`,
        commands: sql`excluded.commands`,
        effectiveProperties: sql`excluded.effective_properties`,
        effectiveCommands: sql`excluded.effective_commands`,
        chain: sql`excluded.chain`,
      },
    });
}

async function writeAssets(db: Db, twinId: string, m: Manifest, now: Date): Promise<Omit<LoadResult, 'twin' | 'revision'>> {
  const types = allTypes(m.types);
  const existing = await db.select().from(assets).where(eq(assets.twinId, twinId));
  const byKey = new Map(existing.map((a) => [a.key, a]));
  const keyOf = new Map(existing.map((a) => [a.id, a.key]));
  const ts = now.toISOString();
  let created = 0;
  let updated = 0;
  let unchanged = 0;

  // Pass 1: create or update every asset without its parent (a parent may come later in the file).
  const fresh: (typeof assets.$inferInsert)[] = [];
  for (const a of m.assets) {
    const props = resolveType(types, a.type)?.properties ?? {};
    const row = byKey.get(a.id);
    // Setpoints start at their default; a desired value already set (by a command) is kept.
    const desired: State = { ...(row?.desired ?? {}) };
    for (const [p, d] of Object.entries(props)) if (d.kind === 'setpoint' && d.default !== undefined && !desired[p]) desired[p] = { value: d.default, ts };
    const attributes: Record<string, unknown> = {};
    for (const [p, d] of Object.entries(props)) if (d.kind === 'attribute' && d.default !== undefined) attributes[p] = d.default;
    Object.assign(attributes, a.attributes ?? {});
    const fields = { type: a.type, name: a.name ?? null, description: a.description ?? null, attributes, desired };
    if (!row) {
      fresh.push({ twinId, key: a.id, ...fields, createdAt: now, updatedAt: now });
      created++;
      continue;
    }
    const parentKey = row.parentId === null ? undefined : keyOf.get(row.parentId);
    const changed =
      row.type !== a.type || row.name !== fields.name || row.description !== fields.description || !same(row.attributes, attributes) ||
      !same(row.desired, desired) || parentKey !== a.parent || row.retiredAt !== null;
    if (!changed) {
      unchanged++;
      continue;
    }
    await db
      .update(assets)
      .set({ ...fields, retiredAt: null, updatedAt: now, version: sql`${assets.version} + 1` })
      .where(eq(assets.id, row.id));
    updated++;
  }
  for (let i = 0; i < fresh.length; i += 500) await db.insert(assets).values(fresh.slice(i, i + 500));

  // Pass 2: parents, by key.
  const ids = new Map((await db.select({ id: assets.id, key: assets.key, parentId: assets.parentId }).from(assets).where(eq(assets.twinId, twinId))).map((r) => [r.key, r]));
  for (const a of m.assets) {
    const row = ids.get(a.id)!;
    const parentId = a.parent === undefined ? null : ids.get(a.parent)!.id;
    if (row.parentId !== parentId) await db.update(assets).set({ parentId }).where(eq(assets.id, row.id));
  }

  // Retire what the file no longer lists; readings keep pointing at the row.
  const listed = m.assets.map((a) => a.id);
  const gone = await db
    .update(assets)
    .set({ retiredAt: now, updatedAt: now, version: sql`${assets.version} + 1` })
    .where(and(eq(assets.twinId, twinId), isNull(assets.retiredAt), notInArray(assets.key, listed)))
    .returning({ id: assets.id });
  return { created, updated, retired: gone.length, unchanged };
}

async function writeRelations(db: Db, twinId: string, m: Manifest, ids: Map<string, number>): Promise<void> {
  const wanted = (m.relations ?? []).map((r) => ({ twinId, fromId: ids.get(r.from)!, type: r.type, toId: ids.get(r.to)!, attributes: r.description ? { description: r.description } : {} }));
  const key = (r: { fromId: number; type: string; toId: number }) => `${r.fromId}|${r.type}|${r.toId}`;
  const keep = new Set(wanted.map(key));
  const existing = await db.select({ id: assetRelations.id, fromId: assetRelations.fromId, type: assetRelations.type, toId: assetRelations.toId }).from(assetRelations).where(eq(assetRelations.twinId, twinId));
  const drop = existing.filter((r) => !keep.has(key(r))).map((r) => r.id);
  if (drop.length) await db.delete(assetRelations).where(inArray(assetRelations.id, drop));
  for (let i = 0; i < wanted.length; i += 500) {
    await db
      .insert(assetRelations)
      .values(wanted.slice(i, i + 500))
      .onConflictDoUpdate({ target: [assetRelations.fromId, assetRelations.type, assetRelations.toId], set: { attributes: sql`excluded.attributes` } });
  }
}

async function writePlanning(db: Db, twinId: string, m: Manifest, now: Date, ids: Map<string, number>): Promise<void> {
  // Routings, crews, tariffs and orders mirror the file; work orders created by approved actions are kept.
  const routingList = m.routings ?? [];
  await db.delete(routings).where(and(eq(routings.twinId, twinId), routingList.length ? notInArray(routings.sku, routingList.map((r) => r.sku)) : sql`true`));
  if (routingList.length) {
    await db
      .insert(routings)
      .values(routingList.map((r) => ({ twinId, sku: r.sku, name: r.name ?? null, steps: r.steps })))
      .onConflictDoUpdate({ target: [routings.twinId, routings.sku], set: { name: sql`excluded.name`, steps: sql`excluded.steps` } });
  }

  const crewList = m.crews ?? [];
  await db.delete(crews).where(and(eq(crews.twinId, twinId), crewList.length ? notInArray(crews.key, crewList.map((c) => c.id)) : sql`true`));
  if (crewList.length) {
    await db
      .insert(crews)
      .values(crewList.map((c) => ({ twinId, key: c.id, name: c.name ?? null, shift: c.shift, size: c.size, skills: c.skills, overtimeHoursWeek: c.overtime_hours_week ?? 0, overtimeLimitHoursWeek: c.overtime_limit_hours_week ?? null, area: c.area ?? null })))
      .onConflictDoUpdate({
        target: [crews.twinId, crews.key],
        set: { name: sql`excluded.name`, shift: sql`excluded.shift`, size: sql`excluded.size`, skills: sql`excluded.skills`, overtimeHoursWeek: sql`excluded.overtime_hours_week`, overtimeLimitHoursWeek: sql`excluded.overtime_limit_hours_week`, area: sql`excluded.area` },
      });
  }

  const tariffList = m.tariffs ?? [];
  await db.delete(tariffs).where(and(eq(tariffs.twinId, twinId), tariffList.length ? notInArray(tariffs.key, tariffList.map((t) => t.id)) : sql`true`));
  if (tariffList.length) {
    await db
      .insert(tariffs)
      .values(tariffList.map((t) => ({ twinId, key: t.id, currency: t.currency, energy: t.energy, demandChargePerKwMonth: t.demand_charge_per_kw_month ?? null, demandWindowMinutes: t.demand_window_minutes ?? 15, meter: t.meter ?? null })))
      .onConflictDoUpdate({
        target: [tariffs.twinId, tariffs.key],
        set: { currency: sql`excluded.currency`, energy: sql`excluded.energy`, demandChargePerKwMonth: sql`excluded.demand_charge_per_kw_month`, demandWindowMinutes: sql`excluded.demand_window_minutes`, meter: sql`excluded.meter` },
      });
  }

  const orderList = m.orders ?? [];
  await db.delete(productionOrders).where(and(eq(productionOrders.twinId, twinId), orderList.length ? notInArray(productionOrders.key, orderList.map((o) => o.id)) : sql`true`));
  if (orderList.length) {
    await db
      .insert(productionOrders)
      .values(orderList.map((o) => ({ twinId, key: o.id, sku: o.sku, quantity: o.quantity, completed: o.completed ?? 0, dueAt: at(o.due, now)!, priority: o.priority ?? 'normal', status: o.status ?? 'released', customer: o.customer ?? null, createdAt: now, updatedAt: now })))
      .onConflictDoUpdate({
        target: [productionOrders.twinId, productionOrders.key],
        set: { sku: sql`excluded.sku`, quantity: sql`excluded.quantity`, completed: sql`excluded.completed`, dueAt: sql`excluded.due_at`, priority: sql`excluded.priority`, status: sql`excluded.status`, customer: sql`excluded.customer`, updatedAt: now },
      });
  }

  const woList = m.work_orders ?? [];
  await db
    .delete(workOrders)
    .where(and(eq(workOrders.twinId, twinId), eq(workOrders.source, 'manifest'), woList.length ? notInArray(workOrders.key, woList.map((w) => w.id)) : sql`true`));
  if (woList.length) {
    await db
      .insert(workOrders)
      .values(
        woList.map((w) => {
          const start = at(w.start, now);
          const end = start && w.duration_hours ? new Date(start.getTime() + w.duration_hours * 3_600_000) : null;
          return { twinId, key: w.id, assetId: ids.get(w.asset)!, kind: w.kind, status: w.status ?? 'open', dueAt: at(w.due, now), startAt: start, endAt: end, durationHours: w.duration_hours ?? null, crew: w.crew ?? null, skill: w.skill ?? null, note: w.note ?? null, source: 'manifest', createdAt: now, updatedAt: now };
        }),
      )
      .onConflictDoUpdate({
        target: [workOrders.twinId, workOrders.key],
        set: {
          assetId: sql`excluded.asset_id`, kind: sql`excluded.kind`, status: sql`excluded.status`, dueAt: sql`excluded.due_at`, startAt: sql`excluded.start_at`, endAt: sql`excluded.end_at`,
          durationHours: sql`excluded.duration_hours`, crew: sql`excluded.crew`, skill: sql`excluded.skill`, note: sql`excluded.note`, source: 'manifest', updatedAt: now,
        },
      });
  }
}
