/** CacheService fake: script, user and document caches whose entries expire on the fake clock. */
import type { Execution } from '../core';
import { scriptError, strict } from '../core';

const MAX_TTL_S = 21600;
const MAX_VALUE_BYTES = 100 * 1024;
const MAX_KEY_CHARS = 250;

interface Entry {
  value: string;
  expiresAt: number;
}

/** The persistent caches (survive between executions; entries expire on the fake clock, never evicted early). */
export class CacheStore {
  readonly script = new Map<string, Entry>();
  readonly user = new Map<string, Entry>();
  readonly document = new Map<string, Entry>();
}

function makeCache(exec: Execution, map: Map<string, Entry>): GoogleAppsScript.Cache.Cache {
  const checkKey = (k: unknown) => {
    if (k === null || k === undefined) throw scriptError(exec, 'Invalid argument: key');
    const s = String(k);
    if (s.length > MAX_KEY_CHARS) throw scriptError(exec, 'Argument too large: key');
    return s;
  };
  const read = (k: string) => {
    const e = map.get(k);
    if (!e) return null;
    if (e.expiresAt <= exec.clock.now()) {
      map.delete(k);
      return null;
    }
    return e.value;
  };
  const write = (k: unknown, v: unknown, ttl: unknown) => {
    const key = checkKey(k);
    const value = String(v);
    if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) throw scriptError(exec, 'Argument too large: value');
    let seconds = ttl === undefined ? 600 : Number(ttl);
    if (!Number.isFinite(seconds) || seconds < 1) seconds = 1;
    if (seconds > MAX_TTL_S) seconds = MAX_TTL_S; // Apps Script caps the expiration at 6 hours
    return () => map.set(key, { value, expiresAt: exec.clock.now() + seconds * 1000 });
  };
  return strict(exec, 'Cache', 'Cache', {
    get: (k: string) => read(checkKey(k)),
    getAll: (keys: string[]) => {
      const out = new exec.realm.Object() as Record<string, string>;
      for (const k of keys ?? []) {
        const v = read(checkKey(k));
        if (v !== null) out[String(k)] = v;
      }
      return out;
    },
    put: (k: string, v: string, ttl?: number) => {
      write(k, v, ttl)();
    },
    putAll: (values: Record<string, string>, ttl?: number) => {
      // All entries are validated before any is written.
      const writes = Object.entries(values ?? {}).map(([k, v]) => write(k, v, ttl));
      for (const w of writes) w();
    },
    remove: (k: string) => {
      map.delete(checkKey(k));
    },
    removeAll: (keys: string[]) => {
      for (const k of keys ?? []) map.delete(checkKey(k));
    },
  }) as unknown as GoogleAppsScript.Cache.Cache;
}

/** The `CacheService` global of one execution. */
export function makeCacheService(store: CacheStore, exec: Execution): GoogleAppsScript.Cache.CacheService {
  return strict(exec, 'Cache', 'CacheService', {
    getScriptCache: () => makeCache(exec, store.script),
    getUserCache: () => makeCache(exec, store.user),
    getDocumentCache: () => makeCache(exec, store.document),
  }) as unknown as GoogleAppsScript.Cache.CacheService;
}
