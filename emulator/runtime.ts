/**
 * The runner: executes a built Apps Script bundle (dist/Code.js) inside fakes of the Apps Script
 * services. Every execution gets a fresh V8 context (the bundle's top level runs again, as in Apps
 * Script); only the stores (sheets, properties, cache, locks, triggers, mail, drive) survive.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import * as vm from 'vm';
import { CallLog, type Execution, ExecutionKilled, type ExecutionKind, FakeClock, type Realm, scriptError, strict } from './core';
import { makeSpreadsheetApp, SpreadsheetStore } from './spreadsheet';
import { CacheStore, makeCacheService } from './services/cache';
import { type RunningExecution, toHost, toRealm } from './services/common';
import { makeCharts } from './services/charts';
import { makeContentService, readTextOutput } from './services/content';
import { DriveStore, makeDriveApp, type SpreadsheetFiles } from './services/drive';
import { makeHtmlService, readHtmlOutput } from './services/html';
import { LockStore, makeLockService } from './services/lock';
import { makeConsole, makeLogger } from './services/logger';
import { MailStore, makeMailApp } from './services/mail';
import { makePropertiesService, PropertiesStore } from './services/properties';
import { makeScriptApp, nextRun, TriggerStore, type TriggerRecord } from './services/script';
import { makeSession } from './services/session';
import { makeSheetsApi } from './services/sheets-api';
import { type FetchRequest, type FetchRouter, makeUrlFetchApp } from './services/urlfetch';
import { makeUtilities } from './services/utilities';
import { type PlatformSwitches, withDefaults } from './switches';
import type { SpreadsheetData } from './spreadsheet/model';
import { applyLeadsFilter } from './spreadsheet/filter';

export type { FetchReply, FetchRequest, FetchRouter } from './services/urlfetch';

/** Apps Script kills an execution after 6 minutes. */
const MAX_EXECUTION_MS = 360_000;

/** Options of the emulator. */
export interface AppsScriptOptions {
  /** The JS source of the bundle (dist/Code.js). */
  bundle: string;
  /**
   * Directory of the built .html files (HtmlService.createHtmlOutputFromFile / createTemplateFromFile).
   * If it holds the project manifest `appsscript.json` (the build copies it to dist/), the advanced
   * services listed in its `dependencies.enabledAdvancedServices` are installed, each under its
   * `userSymbol` (the Sheets API is `{ "userSymbol": "Sheets", "serviceId": "sheets", "version": "v4" }`);
   * an enabled service the emulator lacks becomes an object whose every member throws `not implemented`.
   */
  htmlDir?: string;
  /**
   * The advanced services to install, by their default symbol (only `'Sheets'` exists), instead of
   * those the manifest enables: `[]` simulates a project without any. Omitted: the manifest decides
   * (none without one).
   */
  advancedServices?: string[];
  clock?: FakeClock;
  /** Initial time of a new clock (ignored when `clock` is given). */
  now?: number | Date;
  /** Initial script properties. */
  properties?: Record<string, string>;
  spreadsheet?: SpreadsheetStore;
  fetch?: FetchRouter;
  scriptId?: string;
  /**
   * The script owner (default `owner@example.com`): the effective user of the web app (deployed
   * "execute as me") and of 'editor' runs without a `user`; the owner of the spreadsheet unless
   * the spreadsheet store says otherwise.
   */
  userEmail?: string;
  /**
   * `Session.getActiveUser()` in a time-driven trigger, which Google does not document:
   * `'creator'` (default) the account that created the trigger, `'blank'` an empty email.
   */
  triggerActiveUser?: 'creator' | 'blank';
  /** People the spreadsheet is shared with for editing, besides its owner (added to `spreadsheet.editors`). */
  editors?: string[];
  /** What Google does not document, one possibility each (emulator/switches.ts; defaults: the historical behaviour). */
  switches?: Partial<PlatformSwitches>;
}

/**
 * Who runs an execution. `kind` as in Apps Script; `user` is the person calling:
 * - 'editor' (script editor, menu, a sidebar's google.script.run): that person is the active and
 *   effective user (default: the owner);
 * - 'web' (google.script.run from a page doGet served, web app "execute as me"): the effective user
 *   is the owner, the active user is blank for an anonymous visitor (default) or `user` when
 *   Google lets the script see it (a visitor of the owner's Workspace domain);
 * - 'simple' (onOpen, onEdit): active user `user` (default the owner: Google shows it to the
 *   developer and within a domain), effective user the same.
 */
export interface RunOptions {
  kind?: ExecutionKind;
  user?: string;
}

/** The active and effective users of one execution (`Session.getActiveUser()` / `getEffectiveUser()`). */
export interface Identity {
  active: string;
  effective: string;
}

/** What one execution did. `error` is set (possibly to `undefined`) only when it failed. */
export interface ExecutionResult {
  result?: unknown;
  error?: unknown;
  killed?: boolean;
  calls: CallLog;
  logs: string[];
}

/** A `request()` to the web app. */
export interface WebRequest {
  method: 'GET' | 'POST';
  query?: Record<string, string | string[]>;
  body?: string;
  /** Content type of the body (default `text/plain`). */
  contentType?: string;
}

/** What the web app answered. */
export interface WebResponse {
  mimeType: string;
  content: string;
  /** The value doGet/doPost returned (a TextOutput or HtmlOutput facade). */
  result: unknown;
  calls: CallLog;
}

/** Replaces the context's `Date` by a subclass reading the fake clock (no-argument constructor, `Date()`, `Date.now()`). */
const DATE_PATCH = new vm.Script(
  `(function (now) {
    var RealDate = Date, construct = Reflect.construct, slice = Array.prototype.slice;
    var FakeDate = function Date(year, month, day, hours, minutes, seconds, ms) {
      if (!new.target) return new RealDate(now()).toString();
      return construct(RealDate, arguments.length === 0 ? [now()] : slice.call(arguments), new.target);
    };
    Object.setPrototypeOf(FakeDate, RealDate);
    FakeDate.prototype = Object.create(RealDate.prototype, { constructor: { value: FakeDate, writable: true, configurable: true } });
    Object.defineProperty(FakeDate, 'now', { value: function now_() { return now(); }, writable: true, configurable: true });
    Object.defineProperty(FakeDate.now, 'name', { value: 'now' });
    Object.defineProperty(globalThis, 'Date', { value: FakeDate, writable: true, configurable: true, enumerable: false });
  })`,
  { filename: 'emulator-date.js' },
);
const READ_REALM = new vm.Script('({ Date: Date, Error: Error, TypeError: TypeError, Object: Object, Array: Array })', { filename: 'emulator-realm.js' });

/** A CallLog that enforces the execution's end: a killed or timed-out execution fails its next service call. */
class GuardedCallLog extends CallLog {
  constructor(private readonly exec: Exec) {
    super();
  }
  override record(service: string, method: string): void {
    this.exec.checkAlive();
    super.record(service, method);
  }
}

/** The per-execution state: its V8 context, realm, logs, and fate. */
class Exec implements RunningExecution {
  readonly calls: CallLog;
  readonly logs: string[] = [];
  readonly startedAt: number;
  readonly context: vm.Context;
  readonly sandbox: Record<string, unknown> = {};
  readonly realm: Realm;
  afterCall?: (service: string, method: string) => void;
  beforeCall?: (service: string, method: string) => void;
  killed?: ExecutionKilled;
  timedOut = false;

  /** The effective user: whose authority the execution runs under. */
  get userEmail(): string {
    return this.identity.effective;
  }

  constructor(
    readonly id: number,
    readonly kind: ExecutionKind,
    readonly clock: FakeClock,
    readonly identity: Identity,
    private readonly sink: string[],
  ) {
    this.calls = new GuardedCallLog(this);
    this.startedAt = clock.now();
    this.context = vm.createContext(this.sandbox, { name: `Apps Script execution ${id}`, codeGeneration: { strings: true, wasm: false } });
    (DATE_PATCH.runInContext(this.context) as (now: () => number) => void)(() => clock.now());
    this.realm = READ_REALM.runInContext(this.context) as Realm;
  }

  log(line: string): void {
    this.logs.push(line);
    this.sink.push(line);
  }

  evaluate(code: string, filename: string): unknown {
    return new vm.Script(code, { filename }).runInContext(this.context);
  }

  /** Throws if the execution was killed or ran out of time (called before each service call). */
  checkAlive(): void {
    if (this.killed) throw this.killed;
    if (this.timedOut || this.clock.now() - this.startedAt > MAX_EXECUTION_MS) {
      this.timedOut = true;
      throw scriptError(this, 'Exceeded maximum execution time');
    }
  }
}

interface Outcome extends ExecutionResult {
  failed: boolean;
}

/** The in-memory Apps Script project: run functions, serve web requests, fire triggers. */
export class AppsScript {
  readonly clock: FakeClock;
  readonly spreadsheet: SpreadsheetStore;
  readonly properties: PropertiesStore;
  readonly cache = new CacheStore();
  readonly locks = new LockStore();
  readonly triggers = new TriggerStore();
  readonly mail = new MailStore();
  readonly drive: DriveStore;
  /** Every UrlFetchApp request, in order. */
  readonly fetchLog: FetchRequest[] = [];
  /** Every Logger / console line of every execution. */
  readonly logs: string[] = [];
  /** Answers UrlFetchApp requests; replaceable at any time. */
  fetch: FetchRouter | undefined;
  /** Installed on every execution: called after each service call (throw `ExecutionKilled` to kill it). */
  afterCall?: (service: string, method: string, exec: Execution) => void;
  /**
   * Installed on every execution: called before each service call. Return an error message to make
   * that call fail with it (as a script exception), e.g. MailApp refusing or a Sheets write failing.
   */
  beforeCall?: (service: string, method: string, exec: Execution) => string | undefined | void;
  readonly scriptId: string;
  readonly userEmail: string;
  readonly triggerActiveUser: 'creator' | 'blank';
  /** The userSymbols of the advanced services installed in every execution (from the options or the manifest). */
  readonly advancedServices: readonly string[];
  /** The platform switches in force (emulator/switches.ts). */
  readonly switches: PlatformSwitches;
  /** Per execution, with `batchGetSeesUnflushed: false`: the bound spreadsheet as of its last flush, once it has unflushed writes. */
  private readonly flushed = new WeakMap<Exec, SpreadsheetData>();
  /** The manifest's oauthScopes, which the owner granted by authorizing the project. */
  private readonly grantedScopes: readonly string[];

  private readonly script: vm.Script;
  private readonly advanced: [string, (exec: Exec) => unknown][];
  private readonly htmlDir?: string;
  private readonly stack: Exec[] = [];
  private nextId = 1;
  private last: CallLog = new CallLog();
  private globalNames?: string[];

  constructor(opts: AppsScriptOptions) {
    this.script = new vm.Script(opts.bundle, { filename: 'Code.js' });
    this.clock = opts.clock ?? new FakeClock(opts.now === undefined ? undefined : typeof opts.now === 'number' ? opts.now : opts.now.getTime());
    this.switches = withDefaults(opts.switches);
    this.spreadsheet =
      opts.spreadsheet ?? new SpreadsheetStore({ timeZone: this.switches.spreadsheetTimeZone, plainTextApostrophe: this.switches.plainTextApostrophe });
    if (this.switches.triggerMinute === 'random') this.triggers.randomMinuteSeed = this.switches.triggerSeed;
    this.spreadsheet.chartOptionsReadBack = this.switches.chartOptionsReadBack;
    this.properties = new PropertiesStore(opts.properties);
    this.fetch = opts.fetch;
    this.htmlDir = opts.htmlDir;
    this.scriptId = opts.scriptId ?? '1EmuScript0000000000000000000000000000000000000000000000';
    this.userEmail = opts.userEmail ?? 'owner@example.com';
    this.triggerActiveUser = opts.triggerActiveUser ?? this.switches.triggerActiveUser;
    if (this.spreadsheet.owner === undefined) this.spreadsheet.owner = this.userEmail;
    for (const editor of opts.editors ?? []) if (!this.spreadsheet.editors.includes(editor)) this.spreadsheet.editors.push(editor);
    this.drive = new DriveStore(this.spreadsheet as unknown as SpreadsheetFiles, this.clock.now());
    this.advanced = advancedServices(opts, (exec) =>
      makeSheetsApi(this.spreadsheet, exec, (id) => (id === this.spreadsheet.active.id ? this.flushed.get(exec) : undefined) ?? this.spreadsheet.get(id)),
    );
    this.advancedServices = this.advanced.map(([symbol]) => symbol);
    this.grantedScopes = manifestScopes(opts.htmlDir);
  }

  /** The CallLog of the most recently finished execution. */
  get lastCalls(): CallLog {
    return this.last;
  }

  /** The innermost execution in progress, if any (executions nest when a router or hook calls `run`). */
  get currentExecution(): Execution | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** True when the bundle's top level defines a global function of that name (what menus, triggers and google.script.run call). */
  hasGlobal(name: string): boolean {
    return this.globals().includes(name);
  }

  /**
   * Every global function the bundle's top level defines, in definition order: what the script
   * editor, menus, triggers and google.script.run can name (the Apps Script globals are not included).
   */
  globals(): string[] {
    if (!this.globalNames) {
      const last = this.last;
      const out = this.execute('editor', (exec) => Object.keys(exec.sandbox).filter((k) => typeof exec.sandbox[k] === 'function'), this.identity({}));
      this.last = last;
      if (out.failed) throw out.error;
      this.globalNames = out.result as string[];
    }
    return [...this.globalNames];
  }

  /** Runs a global function of the bundle in a new execution and returns its result; throws the script's error. */
  run(fn: string, args: unknown[] = [], opts: RunOptions = {}): unknown {
    const out = this.execute(opts.kind ?? 'editor', (exec) => this.call(exec, fn, args), this.identity(opts));
    if (out.failed) throw out.error;
    return toHost(out.result);
  }

  /**
   * Like `run`, but reports the outcome instead of throwing. `{ kind: 'web' }` is a call through
   * google.script.run from a page the web app served (an anonymous visitor; `user` for one whose
   * email Google shows); `{ user }` alone is a person at a sidebar or the script editor.
   */
  runDetailed(fn: string, args: unknown[] = [], opts: RunOptions = {}): ExecutionResult {
    const { failed, ...out } = this.execute(opts.kind ?? 'editor', (exec) => this.call(exec, fn, args), this.identity(opts));
    if (!failed) out.result = toHost(out.result);
    return out;
  }

  /** The active and effective users of a run (see RunOptions). */
  private identity(opts: RunOptions): Identity {
    const kind = opts.kind ?? 'editor';
    if (kind === 'web') return { active: opts.user ?? '', effective: this.userEmail };
    const user = opts.user ?? this.userEmail;
    return { active: user, effective: user };
  }

  /**
   * A person types values into cells of the Sheets UI (parsed as the UI parses typed input), then
   * the `onEdit` simple trigger runs, if the bundle has one, with an event carrying the edited
   * range (`e.range`, `e.value` for one cell, `e.source`). Script writes never fire it (as in Apps
   * Script); a test leaves out the trigger (`fireOnEdit: false`) to play an edit onEdit missed.
   */
  userEdit(tab: string, row: number, col: number, values: unknown[][], opts: { fireOnEdit?: boolean } = {}): ExecutionResult | null {
    const sheet = this.spreadsheet.active.sheet(tab);
    values.forEach((line, i) => line.forEach((v, j) => sheet.writeValue(row + i, col + j, v)));
    if (opts.fireOnEdit === false) return null;
    const single = values.length === 1 && values[0]?.length === 1;
    return this.edit({ sheet: tab, row, col, numRows: values.length, numCols: values[0]?.length ?? 1, ...(single ? { value: String(values[0][0]) } : {}) }) ?? null;
  }

  /**
   * Runs a global as `google.script.run` from a sidebar does: its result crosses to the browser as
   * JSON would carry it, or, with the switch `clientDates: 'null'`, as `null` when it holds a Date
   * (Dates are not legal return values; the success handler then receives null). Throws what the
   * failure handler would receive. `opts` says who calls (see RunOptions; default the owner at a sidebar).
   */
  runFromClient(fn: string, args: unknown[] = [], opts: RunOptions = {}): unknown {
    if (fn.endsWith('_')) throw new Error(`google.script.run cannot call the private function ${fn}`);
    const result = this.run(fn, args, { kind: 'editor', ...opts });
    if (this.switches.clientDates === 'null' && holdsDate(result)) return null;
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }

  /** Calls doGet / doPost with an event object built like Apps Script's, in a 'web' execution. */
  request(req: WebRequest): WebResponse {
    const e = webEvent(req);
    const out = this.execute('web', (exec) => this.call(exec, req.method === 'GET' ? 'doGet' : 'doPost', [e]), { active: '', effective: this.userEmail });
    if (out.failed) throw out.error;
    const text = readTextOutput(out.result);
    if (text) return { mimeType: text.mimeType, content: text.content, result: out.result, calls: out.calls };
    const html = readHtmlOutput(out.result);
    if (html) return { mimeType: 'text/html', content: html.content, result: out.result, calls: out.calls };
    return { mimeType: 'text/html', content: 'The script completed but did not return anything.', result: out.result, calls: out.calls };
  }

  /**
   * A person's edit of a range in the Sheet (typing, pasting, deleting), made host-side by the
   * caller before this call: runs the bundle's `onEdit` simple trigger, if there is one, with an event
   * object like Sheets' (`authMode` LIMITED, `range`, `source`, `user`, and for a single cell `value`
   * and `oldValue` as Sheets gives them: strings, absent when the cell is or was empty). Returns
   * undefined when the bundle has no onEdit.
   */
  edit(target: { sheet: string; row: number; col: number; numRows?: number; numCols?: number; value?: string; oldValue?: string; user?: string }): ExecutionResult | undefined {
    if (!this.hasGlobal('onEdit')) return undefined;
    const { failed, ...out } = this.execute('simple', (exec) => {
      const g = exec.sandbox as Record<string, any>;
      const source = g.SpreadsheetApp.getActiveSpreadsheet();
      const sheet = source.getSheetByName(target.sheet);
      if (!sheet) throw scriptError(exec, `Sheet not found: ${target.sheet}`);
      const e: Record<string, unknown> = {
        authMode: g.ScriptApp.AuthMode.LIMITED,
        range: sheet.getRange(target.row, target.col, target.numRows ?? 1, target.numCols ?? 1),
        source,
        user: g.Session.getActiveUser(),
      };
      if (target.value !== undefined) e.value = target.value;
      if (target.oldValue !== undefined) e.oldValue = target.oldValue;
      return (exec.sandbox.onEdit as (e: unknown) => unknown)(toRealm(exec, e));
    }, this.identity({ kind: 'simple', user: target.user }));
    return failed ? out : { ...out, result: toHost(out.result) };
  }

  /**
   * A person opens the Sheet in the Sheets UI: runs the bundle's `onOpen` simple trigger, if there
   * is one, with an event object like Sheets' (`authMode` LIMITED, `source` the spreadsheet, `user`).
   * Returns undefined when the bundle has no onOpen.
   */
  open(opts: { user?: string } = {}): ExecutionResult | undefined {
    if (!this.hasGlobal('onOpen')) return undefined;
    const { failed, ...out } = this.execute('simple', (exec) => {
      const g = exec.sandbox as Record<string, any>;
      const e = { authMode: g.ScriptApp.AuthMode.LIMITED, source: g.SpreadsheetApp.getActiveSpreadsheet(), user: g.Session.getActiveUser() };
      return (exec.sandbox.onOpen as (e: unknown) => unknown)(toRealm(exec, e));
    }, this.identity({ kind: 'simple', user: opts.user }));
    return failed ? out : { ...out, result: toHost(out.result) };
  }

  /**
   * Runs every time-driven trigger due at `clock.now()`, earliest first, each in its own 'trigger'
   * execution with a clock event, and schedules its next run. Failures go to `triggers.failures`.
   * Returns the handler names run.
   */
  fireDueTriggers(): string[] {
    const now = this.clock.now();
    const ran: string[] = [];
    for (const t of this.triggers.due(now)) {
      if (!this.triggers.triggers.includes(t)) continue; // deleted by an earlier handler
      t.nextDue = t.schedule?.kind === 'once' ? null : nextRun(t, now, this.triggers.randomMinuteSeed);
      // An installable trigger runs as the account that created it.
      const creator = t.createdBy ?? this.userEmail;
      const identity = { active: this.triggerActiveUser === 'blank' ? '' : creator, effective: creator };
      const out = this.execute('trigger', (exec) => this.call(exec, t.handler, [clockEvent(t, now)]), identity);
      ran.push(t.handler);
      if (out.failed) this.triggers.failures.push({ uid: t.uid, handler: t.handler, at: now, error: out.error });
    }
    return ran;
  }

  private call(exec: Exec, fn: string, args: unknown[]): unknown {
    const f = exec.sandbox[fn];
    if (typeof f !== 'function') throw scriptError(exec, `Script function not found: ${fn}`);
    // google.script.run cannot call a private function (its name ends with `_`).
    if (exec.kind === 'web' && fn.endsWith('_')) throw scriptError(exec, `Script function not found: ${fn}`);
    return (f as (...a: unknown[]) => unknown).apply(undefined, args.map((a) => toRealm(exec, a)));
  }

  private execute(kind: ExecutionKind, invoke: (exec: Exec) => unknown, identity: Identity): Outcome {
    const exec = new Exec(this.nextId++, kind, this.clock, identity, this.logs);
    exec.afterCall = (service, method) => {
      const hook = this.afterCall;
      if (!hook) return;
      try {
        hook(service, method, exec);
      } catch (e) {
        if (e instanceof ExecutionKilled) exec.killed ??= e;
        throw e;
      }
    };
    exec.beforeCall = (service, method) => {
      const failure = this.beforeCall?.(service, method, exec);
      if (failure) throw scriptError(exec, failure);
      if (!this.switches.batchGetSeesUnflushed && service === 'Sheets') this.trackFlush(exec, method);
    };
    this.install(exec);
    this.stack.push(exec);
    let result: unknown;
    let error: unknown;
    let failed = false;
    try {
      this.script.runInContext(exec.context);
      result = invoke(exec);
    } catch (e) {
      failed = true;
      error = e;
    } finally {
      // Apps Script releases the locks of an execution when it ends, however it ends.
      this.locks.releaseAll(exec.id);
      this.stack.splice(this.stack.lastIndexOf(exec), 1);
      this.last = exec.calls;
      // The operator's filter on Leads, as the SOPs have them leave it (switch `leadsFilter`).
      if (this.switches.leadsFilter) applyLeadsFilter(this.spreadsheet.active);
    }
    // A script that catches its own death does not survive it.
    if (exec.killed) return { failed: true, error: exec.killed, killed: true, calls: exec.calls, logs: exec.logs };
    if (exec.timedOut && (!failed || !(error instanceof exec.realm.Error && error.message === 'Exceeded maximum execution time'))) {
      failed = true;
      error = scriptError(exec, 'Exceeded maximum execution time');
    }
    const killed = error instanceof ExecutionKilled;
    return { failed, ...(failed ? { error } : { result }), ...(killed ? { killed } : {}), calls: exec.calls, logs: exec.logs };
  }

  /**
   * With `batchGetSeesUnflushed: false`: before the first write since the last flush, keeps the
   * bound spreadsheet as it was, for the Sheets API to read; a flush drops that copy.
   */
  private trackFlush(exec: Exec, method: string): void {
    if (method === 'SpreadsheetApp.flush' || method === 'Spreadsheet.flush') {
      this.flushed.delete(exec);
      return;
    }
    if (this.flushed.has(exec) || !WRITE_METHOD.test(method)) return;
    const active = this.spreadsheet.active;
    this.flushed.set(exec, active.clone(active.id, active.name));
  }

  /** Puts the Apps Script globals (and only them) in the execution's context. */
  private install(exec: Exec): void {
    const g = exec.sandbox;
    g.SpreadsheetApp = makeSpreadsheetApp(this.spreadsheet, exec);
    g.PropertiesService = makePropertiesService(this.properties, exec);
    g.CacheService = makeCacheService(this.cache, exec);
    g.LockService = makeLockService(this.locks, exec, exec.identity.effective, this.switches.simpleTriggerLock);
    g.ScriptApp = makeScriptApp(this.triggers, exec, { scriptId: this.scriptId, deploymentId: `AKfycbEmu${this.scriptId.slice(0, 40)}`, owner: this.userEmail, grantedScopes: this.grantedScopes });
    g.MailApp = makeMailApp(this.mail, exec);
    g.UrlFetchApp = makeUrlFetchApp(this, exec);
    g.ContentService = makeContentService(exec);
    g.HtmlService = makeHtmlService({ htmlDir: this.htmlDir }, exec);
    g.Utilities = makeUtilities(exec);
    g.Session = makeSession(exec, exec.identity);
    g.Logger = makeLogger(exec);
    g.console = makeConsole(exec);
    g.DriveApp = makeDriveApp(this.drive, exec);
    g.Charts = makeCharts(exec);
    for (const [symbol, make] of this.advanced) g[symbol] = make(exec);
  }
}

/** The `oauthScopes` of the manifest in `htmlDir` (none without one). */
function manifestScopes(htmlDir: string | undefined): string[] {
  const file = htmlDir === undefined ? undefined : join(htmlDir, 'appsscript.json');
  if (!file || !existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { oauthScopes?: string[] }).oauthScopes ?? [];
}

/** Sheets methods that change a spreadsheet (for the unflushed-writes switch). */
const WRITE_METHOD = /^(Range|Sheet|Spreadsheet|Filter)\.(set|insert|delete|clear|append|remove|update|sort|hide|show|merge|copy|move|add|create|activate|autoResize|trim|randomize|breakApart|check|uncheck)/;

/** True when a value (a host copy of a result) holds a Date anywhere. */
function holdsDate(v: unknown, seen = new Set<unknown>()): boolean {
  if (v === null || typeof v !== 'object' || seen.has(v)) return false;
  if (Object.prototype.toString.call(v) === '[object Date]') return true;
  seen.add(v);
  return Object.values(v as Record<string, unknown>).some((x) => holdsDate(x, seen));
}

/** An advanced service as the manifest enables it. */
interface AdvancedService {
  userSymbol: string;
  serviceId: string;
  version: string;
}

/**
 * The advanced services to install, as [global name, factory]: those of `opts.advancedServices`, else
 * those the manifest in `htmlDir` enables. Only the Sheets API v4 is emulated; any other enabled
 * service is an object whose every member throws `not implemented`.
 */
function advancedServices(opts: AppsScriptOptions, sheets: (exec: Exec) => unknown): [string, (exec: Exec) => unknown][] {
  if (opts.advancedServices) {
    return opts.advancedServices.map((symbol) => {
      if (symbol !== 'Sheets') throw new Error(`unknown advanced service ${JSON.stringify(symbol)}: the emulator has only 'Sheets'`);
      return [symbol, sheets];
    });
  }
  const file = opts.htmlDir === undefined ? undefined : join(opts.htmlDir, 'appsscript.json');
  if (!file || !existsSync(file)) return [];
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: { enabledAdvancedServices?: AdvancedService[] } };
  return (manifest.dependencies?.enabledAdvancedServices ?? []).map((s) => [
    s.userSymbol,
    s.serviceId === 'sheets' && s.version === 'v4' ? sheets : (exec: Exec) => strict(exec, s.userSymbol, s.userSymbol, {}),
  ]);
}

const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
const dec = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

function parseForm(s: string): [string, string][] {
  return s
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      return i < 0 ? [dec(pair), ''] : [dec(pair.slice(0, i)), dec(pair.slice(i + 1))];
    });
}

/** The doGet / doPost event object: `parameter`, `parameters`, `queryString`, `contentLength`, `postData`. */
function webEvent(req: WebRequest): Record<string, unknown> {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(req.query ?? {})) for (const x of Array.isArray(v) ? v : [v]) pairs.push([k, String(x)]);
  const queryString = pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  const all = [...pairs];
  const e: Record<string, unknown> = { queryString, contextPath: '', contentLength: -1 };
  if (req.method === 'POST') {
    const body = req.body ?? '';
    const type = req.contentType ?? 'text/plain';
    // Apps Script parses a form-encoded body into the parameters too.
    if (type.split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded') all.push(...parseForm(body));
    const length = Buffer.byteLength(body, 'utf8');
    e.contentLength = length;
    e.postData = { contents: body, length, type, name: 'postData' };
  }
  const parameter: Record<string, string> = {};
  const parameters: Record<string, string[]> = {};
  const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  for (const [k, v] of all) {
    // Own-property checks: a parameter may be named `valueOf` or `__proto__`.
    if (!own(parameter, k)) Object.defineProperty(parameter, k, { value: v, enumerable: true, writable: true, configurable: true });
    if (own(parameters, k)) parameters[k].push(v);
    else Object.defineProperty(parameters, k, { value: [v], enumerable: true, writable: true, configurable: true });
  }
  e.parameter = parameter;
  e.parameters = parameters;
  return e;
}

/** The event of a time-driven trigger (fields in UTC, as Apps Script gives them). */
function clockEvent(t: TriggerRecord, now: number): Record<string, unknown> {
  const d = new Date(now);
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    authMode: 'FULL',
    triggerUid: t.uid,
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    'day-of-month': d.getUTCDate(),
    'day-of-week': d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
    'week-of-year': Math.ceil(((now - jan1) / 86400000 + new Date(jan1).getUTCDay() + 1) / 7),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    timezone: 'UTC',
  };
}
