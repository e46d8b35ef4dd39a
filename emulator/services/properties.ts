/** PropertiesService fake: script, user and document property stores with Apps Script's size limits. */
import type { Execution } from '../core';
import { scriptError, strict } from '../core';

const MAX_VALUE_BYTES = 9 * 1024;
const MAX_TOTAL_BYTES = 500 * 1024;

/** The persistent property stores (survive between executions). */
export class PropertiesStore {
  readonly script = new Map<string, string>();
  readonly user = new Map<string, string>();
  readonly document = new Map<string, string>();
  constructor(script: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(script)) this.script.set(k, String(v));
  }
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function makeProperties(exec: Execution, map: Map<string, string>): GoogleAppsScript.Properties.Properties {
  const check = (next: Map<string, string>) => {
    let total = 0;
    for (const [k, v] of next) {
      if (bytes(v) > MAX_VALUE_BYTES) throw scriptError(exec, 'Argument too large: value');
      total += bytes(k) + bytes(v);
    }
    if (total > MAX_TOTAL_BYTES) throw scriptError(exec, 'You have exceeded the property storage quota. Please remove some properties and try again.');
  };
  const key = (k: unknown) => {
    if (k === null || k === undefined) throw scriptError(exec, 'Invalid argument: key');
    return String(k);
  };
  // Writes are validated on a copy, so a failing write changes nothing.
  const commit = (next: Map<string, string>) => {
    check(next);
    map.clear();
    for (const [k, v] of next) map.set(k, v);
  };
  const self = strict(exec, 'Properties', 'Properties', {
    getProperty: (k: string) => map.get(key(k)) ?? null,
    setProperty: (k: string, v: unknown) => {
      const next = new Map(map);
      next.set(key(k), String(v));
      commit(next);
      return self;
    },
    setProperties: (props: Record<string, unknown>, deleteAllOthers?: boolean) => {
      const next = deleteAllOthers ? new Map<string, string>() : new Map(map);
      for (const [k, v] of Object.entries(props ?? {})) next.set(k, String(v));
      commit(next);
      return self;
    },
    getProperties: () => {
      const out = new exec.realm.Object() as Record<string, string>;
      for (const [k, v] of map) out[k] = v;
      return out;
    },
    getKeys: () => exec.realm.Array.from(map.keys()),
    deleteProperty: (k: string) => {
      map.delete(key(k));
      return self;
    },
    deleteAllProperties: () => {
      map.clear();
      return self;
    },
  });
  return self as unknown as GoogleAppsScript.Properties.Properties;
}

/** The `PropertiesService` global of one execution. */
export function makePropertiesService(store: PropertiesStore, exec: Execution): GoogleAppsScript.Properties.PropertiesService {
  return strict(exec, 'Properties', 'PropertiesService', {
    getScriptProperties: () => makeProperties(exec, store.script),
    getUserProperties: () => makeProperties(exec, store.user),
    getDocumentProperties: () => makeProperties(exec, store.document),
  }) as unknown as GoogleAppsScript.Properties.PropertiesService;
}
