/**
 * Plumbing shared by the facades of the Sheets fake: the per-execution context, the link from a
 * script-visible proxy back to its implementation, error translation and realm conversions.
 */

import { Execution, scriptError, strict } from '../core';
import type { RangeRef } from './model';
import type { SpreadsheetStore } from './store';
import { CellDate, ModelError } from './values';

/** What every facade of one execution shares. */
export interface Ctx {
  readonly exec: Execution;
  readonly store: SpreadsheetStore;
  /** Builds the script-visible Range of a stored range reference. */
  range(ref: RangeRef): GoogleAppsScript.Spreadsheet.Range;
  /** The stored reference of a Range handed back by the script (throws if it is not a Range). */
  refOf(range: unknown, method: string): RangeRef;
}

const impls = new WeakMap<object, object>();

/** Wraps an implementation with `strict` and remembers the link proxy -> implementation. */
export function expose<T extends { _self?: unknown }>(ctx: Ctx, service: string, name: string, impl: T): any {
  const proxy = strict(ctx.exec, service, name, impl);
  impls.set(proxy, impl);
  impl._self = proxy;
  return proxy;
}

/** The implementation behind a proxy handed back by the script (or undefined if it is not one of ours). */
export function implOf<T>(proxy: unknown, cls: abstract new (...a: any[]) => T): T | undefined {
  if (proxy === null || typeof proxy !== 'object') return undefined;
  const impl = impls.get(proxy);
  return impl instanceof cls ? (impl as T) : undefined;
}

/**
 * Makes every public method of a facade class rethrow model errors as Apps Script exceptions made
 * in the script's realm (the class must have a `_ctx` field).
 */
export function translateErrors(cls: { prototype: object }): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(proto)) {
    const fn = proto[key];
    if (key === 'constructor' || key.startsWith('_') || typeof fn !== 'function') continue;
    proto[key] = function (this: { _ctx: Ctx }, ...args: unknown[]) {
      try {
        return (fn as (...a: unknown[]) => unknown).apply(this, args);
      } catch (e) {
        if (e instanceof ModelError) throw scriptError(this._ctx.exec, e.message);
        throw e;
      }
    };
  }
}

/** Throws an Apps Script exception from inside a facade. */
export function fail(message: string): never {
  throw new ModelError(message);
}

/** Converts a stored value (cell, criteria value) to a value of the script's realm. */
export function toScript(ctx: Ctx, v: unknown): unknown {
  if (v === undefined) return '';
  if (v instanceof CellDate) return new ctx.exec.realm.Date(v.ms);
  if (Array.isArray(v)) return realmArray(ctx, v.map((x) => toScript(ctx, x)));
  if (v && typeof v === 'object' && 'sheet' in v && 'numRows' in v) return ctx.range(v as RangeRef);
  return v;
}

/** An array of the script's realm (so `instanceof Array` holds in the script). */
export function realmArray<T>(ctx: Ctx, items: readonly T[]): T[] {
  const a = new ctx.exec.realm.Array(items.length) as T[];
  for (let i = 0; i < items.length; i++) a[i] = items[i];
  return a;
}

/** A frozen enum object, strict so that a typo in a member name throws. */
export function makeEnum(ctx: Ctx, service: string, name: string, members: readonly string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (const m of members) o[m] = m;
  return strict(ctx.exec, service, name, Object.freeze(o));
}

/** Checks an integer argument. */
export function int(v: unknown, method: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`The parameters (${typeof v}) don't match the method signature for ${method}.`);
  return Math.floor(v as number);
}
