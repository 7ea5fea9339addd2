/**
 * Ontology rules: type inheritance (single `extends`), the effective properties and commands of a type, and the
 * ISA-95 base types every twin may use without declaring them (site, area, work_center, work_unit, machine).
 */
import type { AssetType, CommandDef, PropertyDef } from './manifest';

/** Types a manifest may use without declaring them; a manifest that declares one of these names overrides it. */
export const BUILTIN_TYPES: Record<string, AssetType> = {
  site: { description: 'A site (ISA-95)' },
  area: { description: 'An area within a site (ISA-95)' },
  work_center: { description: 'A work center: a line, cell or unit group (ISA-95)' },
  work_unit: { description: 'A work unit (ISA-95)' },
  machine: { description: 'Generic equipment' },
  equipment: { description: 'Generic equipment' },
};

export interface EffectiveType {
  key: string;
  /** The type itself first, then its ancestors. */
  chain: string[];
  description?: string;
  properties: Record<string, PropertyDef>;
  commands: Record<string, CommandDef>;
}

export function allTypes(declared: Record<string, AssetType> | undefined): Record<string, AssetType> {
  return { ...BUILTIN_TYPES, ...(declared ?? {}) };
}

/** The `extends` chain of a type, or the cycle that breaks it. Unknown parents end the chain (reported elsewhere). */
export function inheritanceChain(types: Record<string, AssetType>, key: string): { chain: string[]; cycle?: string[] } {
  const chain: string[] = [];
  let cur: string | undefined = key;
  while (cur !== undefined && Object.hasOwn(types, cur)) {
    const at = chain.indexOf(cur);
    if (at >= 0) return { chain, cycle: [...chain.slice(at), cur] };
    chain.push(cur);
    cur = types[cur].extends;
  }
  return { chain };
}

/** Properties and commands of a type with those of its ancestors; a type overrides what it inherits by name. */
export function resolveType(types: Record<string, AssetType>, key: string): EffectiveType | null {
  if (!Object.hasOwn(types, key)) return null;
  const { chain } = inheritanceChain(types, key);
  const properties: Record<string, PropertyDef> = {};
  const commands: Record<string, CommandDef> = {};
  for (const t of [...chain].reverse()) {
    Object.assign(properties, types[t].properties ?? {});
    Object.assign(commands, types[t].commands ?? {});
  }
  return { key, chain, description: types[key].description, properties, commands };
}

/** Effective definitions of every type a manifest can use (declared and built-in). */
export function resolveAll(declared: Record<string, AssetType> | undefined): Map<string, EffectiveType> {
  const types = allTypes(declared);
  const out = new Map<string, EffectiveType>();
  for (const key of Object.keys(types)) out.set(key, resolveType(types, key)!);
  return out;
}

/** Is `type` the type `ancestor` or one of its descendants? */
export function isA(types: Record<string, AssetType>, type: string, ancestor: string): boolean {
  return inheritanceChain(allTypes(types), type).chain.includes(ancestor);
}
