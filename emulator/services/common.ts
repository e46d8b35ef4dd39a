/**
 * Helpers shared by the service fakes: the richer view of an execution that the runner hands them,
 * permission checks for simple triggers, copying host values into the script's realm, and the
 * signed-byte arrays Apps Script uses for binary data.
 */
import { types } from 'util';
import type { Execution } from '../core';
import { scriptError } from '../core';

/** What the runner gives the service facades beyond `Execution`: logging and evaluation in the execution's context. */
export interface RunningExecution extends Execution {
  /** Epoch ms on the fake clock when the execution started (for the 6-minute budget). */
  readonly startedAt: number;
  /** Lines logged by this execution. */
  readonly logs: string[];
  /** Appends a log line to the execution and to the emulator. */
  log(line: string): void;
  /** Compiles and runs JS source inside the execution's V8 context (HtmlService scriptlets). */
  evaluate(code: string, filename: string): unknown;
  /** The effective user's email (the script owner). */
  readonly userEmail: string;
}

/** Throws the Apps Script permission error when an authorization-requiring method runs in a simple trigger. */
export function requireAuth(exec: Execution, method: string, scope: string): void {
  if (exec.kind === 'simple') {
    throw scriptError(exec, `You do not have permission to call ${method}. Required permissions: ${scope}`);
  }
}

/** Deep-copies plain host values (objects, arrays, Dates) into the execution's realm so `instanceof` holds in the script. */
export function toRealm(exec: Execution, value: unknown): unknown {
  return copy(value, exec.realm, new Map());
}

function copy(v: unknown, realm: Execution['realm'], seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object' || types.isProxy(v)) return v;
  if (seen.has(v)) return seen.get(v);
  if (Object.prototype.toString.call(v) === '[object Date]') return new realm.Date((v as Date).getTime());
  if (Array.isArray(v)) {
    const out = new realm.Array();
    seen.set(v, out);
    for (const x of v) out.push(copy(x, realm, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) return v; // a service object or a script value: hand it over as is
  const out = new realm.Object() as Record<string, unknown>;
  seen.set(v, out);
  // defineProperty: a key may be `__proto__` (a webhook parameter, say).
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: copy(x, realm, seen), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Copies plain script values (objects, arrays, Dates of any realm) back into the host realm. */
export function toHost(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object' || types.isProxy(value)) return value; // facades stay facades
  if (seen.has(value)) return seen.get(value);
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object Date]') return new Date((value as Date).getTime());
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const x of value) out.push(toHost(x, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  // Plain objects of any realm: their prototype is an `Object.prototype` (whose own prototype is null).
  if (proto === null || (Object.getPrototypeOf(proto) === null && tag === '[object Object]' && typeof proto.hasOwnProperty === 'function')) {
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, x] of Object.entries(value)) out[k] = toHost(x, seen);
    return out;
  }
  return value;
}

/** Bytes of a string (UTF-8) or of an Apps Script byte array (signed or unsigned numbers). */
export function toBytes(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Array.isArray(data)) return Buffer.from(data.map((b) => Number(b) & 0xff));
  if (data instanceof Uint8Array) return Buffer.from(data);
  return Buffer.from(String(data), 'utf8');
}

/** An Apps Script byte array: signed Int8 values (-128..127) in an array of the script's realm. */
export function signedBytes(exec: Execution, bytes: Uint8Array): number[] {
  const out = new exec.realm.Array<number>();
  for (const b of bytes) out.push((b << 24) >> 24);
  return out;
}

/** True for an array of numbers, i.e. an Apps Script `Byte[]`. */
export function isByteArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

/** Builds a frozen enum object whose values are their names (Apps Script enums print as their names). */
export function enumOf<K extends string>(...names: K[]): Record<K, K> {
  const out = {} as Record<K, K>;
  for (const n of names) out[n] = n;
  return Object.freeze(out);
}
