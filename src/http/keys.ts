/**
 * API keys: generation, hashing and verification. A key reads `tp_<prefix>_<secret>`; only sha256(key) is stored,
 * found by its prefix, so a leaked table gives no usable key. Persistence is a small `KeyRepo` (the store's
 * api_keys table in the service, a Map in tests), so the rules live here once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../control/roles';

export interface KeyRecord {
  id: string;
  prefix: string;
  hash: string;
  role: Role;
  name: string;
  created_at: string;
  revoked_at: string | null;
}

export type KeyInfo = Omit<KeyRecord, 'hash'>;

/** Raw persistence; implemented over the store (src/http/keys-db.ts) and in memory (memoryKeyRepo). */
export interface KeyRepo {
  insert(rec: KeyRecord): Promise<void>;
  /** The key with this display prefix and hash (the hash is unique-indexed), revoked or not. */
  find(prefix: string, hash: string): Promise<KeyRecord | null>;
  list(): Promise<KeyRecord[]>;
  /** Set revoked_at; false when no such live key. */
  revoke(id: string, at: string): Promise<boolean>;
  countActive(role?: Role): Promise<number>;
}

export interface CreatedKey {
  id: string;
  role: Role;
  name: string;
  /** The only time the plaintext exists outside the caller's hands. */
  key: string;
}

export interface KeyStore {
  create(role: Role, name?: string): Promise<CreatedKey>;
  list(): Promise<KeyInfo[]>;
  revoke(id: string): Promise<boolean>;
  verify(key: string): Promise<{ id: string; role: Role; name: string } | null>;
  /** Create the first admin key when no admin key is live; null when one exists. */
  ensureAdmin(): Promise<CreatedKey | null>;
}

const KEY_RE = /^tp_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function newKey(): { prefix: string; key: string } {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const prefix = Array.from(randomBytes(12), (b) => alphabet[b % alphabet.length]).join('');
  return { prefix, key: `tp_${prefix}_${randomBytes(32).toString('base64url')}` };
}

/**
 * How long a verdict on a key is trusted without asking the repo again. A revoke through this process drops every
 * cached verdict at once; another replica's revoke applies here within this bound (README, "Scaling out").
 */
export const KEY_CACHE_MS = 1000;

export function createKeyStore(repo: KeyRepo, now: () => Date = () => new Date()): KeyStore {
  type Verdict = { id: string; role: Role; name: string } | null;
  const cache = new Map<string, { at: number; value: Promise<Verdict> }>();

  const lookup = async (prefix: string, hash: string): Promise<Verdict> => {
    const rec = await repo.find(prefix, hash);
    if (!rec || rec.revoked_at) return null;
    const a = Buffer.from(rec.hash, 'hex');
    const b = Buffer.from(hash, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return { id: rec.id, role: rec.role, name: rec.name };
  };

  const create = async (role: Role, name = `${role} key`): Promise<CreatedKey> => {
    const { prefix, key } = newKey();
    const id = `key_${prefix}`;
    await repo.insert({ id, prefix, hash: hashKey(key), role, name, created_at: now().toISOString(), revoked_at: null });
    return { id, role, name, key };
  };

  return {
    create,
    async list() {
      return (await repo.list()).map(({ hash: _h, ...info }) => info);
    },
    async revoke(id) {
      const ok = await repo.revoke(id, now().toISOString());
      // Drop every cached verdict: cheap, and no verdict for the revoked key can survive.
      cache.clear();
      return ok;
    },
    async verify(key) {
      const m = KEY_RE.exec(key);
      if (!m) return null;
      // Cached by hash, never by the key itself: the plaintext is not kept in memory past this request.
      const hash = hashKey(key);
      const hit = cache.get(hash);
      if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.value;
      if (cache.size > 10_000) cache.clear();
      // Concurrent requests with one key share one lookup when the cached verdict expires.
      const value = lookup(m[1], hash);
      cache.set(hash, { at: Date.now(), value });
      value.catch(() => cache.delete(hash));
      return value;
    },
    async ensureAdmin() {
      if ((await repo.countActive('admin')) > 0) return null;
      return create('admin', 'first admin key');
    },
  };
}

export function memoryKeyRepo(): KeyRepo {
  const rows = new Map<string, KeyRecord>();
  return {
    async insert(rec) {
      rows.set(rec.prefix, { ...rec });
    },
    async find(prefix) {
      return rows.get(prefix) ?? null;
    },
    async list() {
      return [...rows.values()];
    },
    async revoke(id, at) {
      for (const r of rows.values()) {
        if (r.id === id && !r.revoked_at) {
          r.revoked_at = at;
          return true;
        }
      }
      return false;
    },
    async countActive(role) {
      return [...rows.values()].filter((r) => !r.revoked_at && (!role || r.role === role)).length;
    },
  };
}
