/**
 * Shared plumbing of the in-memory Apps Script: the controllable clock, the realm an execution
 * runs in, the call log that lets tests count service calls, and strict fakes that fail loudly.
 *
 * Every service fake is split in two: a persistent *store* (data that survives between
 * executions: sheets, properties, cache, triggers, outboxes) and a per-execution *facade* built
 * for one `Execution`, whose values are made with that execution's realm (its own `Date`, `Error`).
 */

/** The clock of the whole emulator. `Date` inside an execution reads it; `Utilities.sleep` advances it. */
export class FakeClock {
  constructor(private ms: number = Date.UTC(2026, 10, 23, 9, 0, 0)) {}
  /** Epoch milliseconds now. */
  now(): number {
    return this.ms;
  }
  /** Moves the clock to an instant (epoch ms or a Date). */
  set(at: number | Date): void {
    this.ms = typeof at === 'number' ? at : at.getTime();
  }
  /** Moves the clock forward. */
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** The intrinsics of the V8 context one execution runs in. Values handed to the script are built with them. */
export interface Realm {
  Date: DateConstructor;
  Error: ErrorConstructor;
  TypeError: TypeErrorConstructor;
  Object: ObjectConstructor;
  Array: ArrayConstructor;
}

/** Kinds of execution, as Apps Script distinguishes them. */
export type ExecutionKind =
  | 'editor' // run from the script editor, a menu item, or google.script.run from a sidebar: full authorization, UI available
  | 'simple' // a simple trigger (onOpen): UI available, but no UrlFetchApp, MailApp, or trigger installation
  | 'trigger' // an installable time-driven trigger: no UI
  | 'web'; // doGet/doPost of the web app: no UI

/** Counts calls made to the services during an execution, by `Class.method`. */
export class CallLog {
  private readonly counts = new Map<string, number>();
  private readonly order: string[] = [];

  /** Records one call, e.g. `record('Sheets', 'Range.getValues')`. */
  record(service: string, method: string): void {
    const key = `${service}:${method}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.order.push(key);
  }

  /** Number of calls to a service (e.g. 'Sheets'), optionally filtered by method names. */
  count(service: string, methods?: readonly string[]): number {
    let n = 0;
    for (const [key, c] of this.counts) {
      const [s, m] = splitKey(key);
      if (s === service && (!methods || methods.includes(m))) n += c;
    }
    return n;
  }

  /** Calls of one service by method, e.g. `{ 'Range.getValues': 2 }`. */
  byMethod(service: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, c] of this.counts) {
      const [s, m] = splitKey(key);
      if (s === service) out[m] = c;
    }
    return out;
  }

  /** Every call in order, as `service:Class.method`. */
  sequence(): readonly string[] {
    return this.order;
  }

  private readonly cellCounts = { read: 0, written: 0 };

  /**
   * Adds to the cells moved by this execution (the Sheets facade calls it from getValues,
   * setValues, appendRow...): a batched call is one round trip but moves many cells, and the
   * bench's cost model charges both.
   */
  addCells(kind: 'read' | 'written', n: number): void {
    this.cellCounts[kind] += n;
  }

  /** Cells read or written through the values methods during this execution. */
  cells(kind: 'read' | 'written'): number {
    return this.cellCounts[kind];
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** One execution of the script: its realm, its kind, and the log of the calls it makes. */
export interface Execution {
  readonly realm: Realm;
  readonly kind: ExecutionKind;
  readonly calls: CallLog;
  readonly clock: FakeClock;
  /** A unique id, used e.g. as the owner of a lock. */
  readonly id: number;
  /**
   * Called after every recorded service call returns. Tests use it for fault injection: throwing
   * `ExecutionKilled` from here ends the execution right after that call, as if Apps Script had killed it.
   */
  afterCall?: (service: string, method: string) => void;
  /**
   * Called before every recorded service call. Tests use it for fault injection: a call it makes
   * throw fails like the real service failing (the script can catch it).
   */
  beforeCall?: (service: string, method: string) => void;
}

/** Thrown (by a test hook) to end an execution abruptly, like a timeout or a crash of the Apps Script runtime. */
export class ExecutionKilled extends Error {
  constructor(public readonly after: string) {
    super(`execution killed after ${after}`);
  }
}

/** Throws an Apps Script-like exception made in the execution's realm (so `instanceof Error` holds in the script). */
export function scriptError(exec: Execution, message: string): Error {
  const e = new exec.realm.Error(message);
  e.name = 'Exception';
  return e;
}

const PASS_THROUGH = new Set<PropertyKey>(['then', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch', 'nodeType', '$$typeof', '@@__IMMUTABLE_ITERABLE__@@', '@@__IMMUTABLE_RECORD__@@']);

/**
 * Wraps a fake object so that:
 * - each method call is recorded in the execution's log as `service:Name.method`;
 * - reading a property the fake does not implement throws `not implemented: Name.prop`
 *   (instead of silently returning undefined, which would hide a gap in the emulator).
 * Properties starting with `_` are private to the emulator and are not exposed.
 */
export function strict<T extends object>(exec: Execution, service: string, name: string, target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop === 'symbol' || PASS_THROUGH.has(prop)) return Reflect.get(obj, prop, receiver);
      if (prop === 'toString') return () => name;
      if (prop.startsWith('_') || !(prop in obj)) {
        throw scriptError(exec, `not implemented: ${name}.${prop}`);
      }
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        exec.calls.record(service, `${name}.${prop}`);
        exec.beforeCall?.(service, `${name}.${prop}`);
        const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        exec.afterCall?.(service, `${name}.${prop}`);
        return result;
      };
    },
    set(_obj, prop) {
      throw scriptError(exec, `not implemented: setting ${name}.${String(prop)}`);
    },
  });
}

/** True for a Date from any realm. */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}
