/**
 * The cost model of the bench: what one execution's service calls cost in Apps Script, from
 * published figures (bench/README.md cites each). Shared by `bench/run.ts` (one operation at a
 * time) and `bench/burst.ts` (executions contending for the script lock).
 */
import type { CallLog } from '../emulator';
import { SHEET_READ_METHODS, SHEET_WRITE_METHODS, sheetsDataCalls } from '../test/support/gas';

/** The methods sheetsDataCalls counts: round trips that read or write. */
const DATA_METHODS = new Set<string>([...SHEET_READ_METHODS, ...SHEET_WRITE_METHODS]);
const WRITE_METHODS = new Set<string>(SHEET_WRITE_METHODS);

export const COST = {
  /** A Sheets call that reads or writes: a round trip to the Sheets backend. */
  sheetsCallMs: 50,
  /** The same Sheets method again right after itself: Apps Script's look-ahead and write caches (Google: 10,000 cells one by one ≈ 70 s). */
  sheetsRepeatMs: 7,
  /**
   * A Sheets API call through the advanced service (values.batchGet: the headers of a webhook's tabs):
   * an HTTPS request to sheets.googleapis.com inside Google, charged between a Sheets call and a fetch.
   */
  sheetsApiMs: 150,
  /** Navigation (getSheetByName, getRange, createTextFinder...): builds an object, no round trip of its own. */
  navigationMs: 1,
  /** `SpreadsheetApp.flush()` with writes pending: they are applied now (a 4,000-cell write went from < 50 ms to 610 ms with a flush). */
  flushPendingMs: 500,
  /** Each cell moved by getValues/setValues (Google: 10,000 cells batched ≈ 1 s). */
  cellMs: 0.1,
  fetchMs: 200,
  mailMs: 300,
  /** PropertiesService reads (getProperty, getProperties, getKeys): measured 20–84 ms, 30 ms on average. */
  propertiesReadMs: 30,
  /** PropertiesService writes (setProperty, setProperties, deleteProperty): measured 43–231 ms, 62 ms on average. */
  propertiesWriteMs: 60,
  /** CacheService.put (and putAll, remove): measured 73–281 ms, 93 ms on average. */
  cachePutMs: 90,
  /** CacheService.get (and getAll): measured 3–7 ms. */
  cacheGetMs: 3,
  /** LockService (tryLock uncontended, releaseLock), ScriptApp, DriveApp: no published figure; a small round trip. */
  otherCallMs: 10,
} as const;

/** Calls that only build an object in the script's runtime (charged as navigation). */
const FREE_GETTERS = /^(PropertiesService\.get\w+Properties|CacheService\.get\w+Cache|LockService\.get\w+Lock)$/;

/** The modelled cost of one service call, given the previous data call's method and whether writes are pending. */
function callMs(service: string, method: string, state: { previous: string; pending: boolean }): number {
  if (service === 'Sheets') {
    if (method === 'SpreadsheetApp.flush') {
      const ms = state.pending ? COST.flushPendingMs : COST.navigationMs;
      state.pending = false;
      return ms;
    }
    if (!DATA_METHODS.has(method)) return COST.navigationMs;
    if (WRITE_METHODS.has(method)) state.pending = true;
    const ms = method === 'Spreadsheets.Values.batchGet' ? COST.sheetsApiMs : method === state.previous ? COST.sheetsRepeatMs : COST.sheetsCallMs;
    state.previous = method;
    return ms;
  }
  if (FREE_GETTERS.test(method)) return COST.navigationMs;
  if (service === 'UrlFetch') return method === 'UrlFetchApp.fetch' || method === 'UrlFetchApp.fetchAll' ? COST.fetchMs : 0;
  if (service === 'Mail') return method === 'MailApp.sendEmail' ? COST.mailMs : 0;
  if (service === 'Properties') return /\.(get\w*)$/.test(method) ? COST.propertiesReadMs : COST.propertiesWriteMs;
  if (service === 'Cache') return /\.get(All)?$/.test(method) ? COST.cacheGetMs : COST.cachePutMs;
  if (service === 'Lock' || service === 'Script' || service === 'Drive') return COST.otherCallMs;
  return 0; // Utilities, Logger, ContentService, HtmlService: the script's own runtime
}

export interface Metrics {
  sheets: number;
  navigation: number;
  fetches: number;
  mails: number;
  other: number;
  cellsRead: number;
  cellsWritten: number;
  modelMs: number;
}

/** What an execution cost, by the model. */
export function measure(calls: CallLog): Metrics {
  const sheets = sheetsDataCalls(calls);
  const navigation = calls.count('Sheets') - sheets;
  const fetches = calls.count('UrlFetch', ['UrlFetchApp.fetch']);
  const mails = calls.count('Mail', ['MailApp.sendEmail']);
  const other = ['Properties', 'Cache', 'Lock', 'Script', 'Drive'].reduce((n, s) => n + calls.count(s), 0);
  const cellsRead = calls.cells('read');
  const cellsWritten = calls.cells('written');
  return { sheets, navigation, fetches, mails, other, cellsRead, cellsWritten, modelMs: Math.round(segments(calls).total) };
}

/**
 * The modelled time of an execution split at the script lock: before `tryLock` returns, while it
 * is held, after `releaseLock`. Cells moved are charged to the held part (every read and write of
 * a webhook is under the lock).
 */
export function segments(calls: CallLog): { beforeLock: number; held: number; afterLock: number; total: number } {
  const state = { previous: '', pending: false };
  const part = { beforeLock: 0, held: 0, afterLock: 0 };
  let where: keyof typeof part = 'beforeLock';
  for (const key of calls.sequence()) {
    const dot = key.indexOf(':');
    const service = key.slice(0, dot);
    const method = key.slice(dot + 1);
    part[where] += callMs(service, method, state);
    if (method === 'Lock.tryLock' || method === 'Lock.waitLock') where = 'held';
    else if (method === 'Lock.releaseLock') where = 'afterLock';
  }
  const cells = (calls.cells('read') + calls.cells('written')) * COST.cellMs;
  part.held += cells;
  return { ...part, total: part.beforeLock + part.held + part.afterLock };
}

/** Where an execution's modelled time goes, by kind of call (ms, cells included under "sheets"). */
export function breakdown(calls: CallLog): Record<string, number> {
  const state = { previous: '', pending: false };
  const out: Record<string, number> = {};
  for (const key of calls.sequence()) {
    const dot = key.indexOf(':');
    const service = key.slice(0, dot);
    const method = key.slice(dot + 1);
    const kind = method === 'SpreadsheetApp.flush' ? 'flush' : method === 'Spreadsheets.Values.batchGet' ? 'sheets API' : service.toLowerCase();
    out[kind] = (out[kind] ?? 0) + callMs(service, method, state);
  }
  out.sheets = (out.sheets ?? 0) + (calls.cells('read') + calls.cells('written')) * COST.cellMs;
  for (const k of Object.keys(out)) if (out[k] < 1) delete out[k];
  return out;
}

/**
 * The physical floor of an operation: the provider calls and emails it cannot avoid, plus one
 * batched Sheets read and one batched write (Sheets API reads charged as a plain Sheets call).
 */
export function floorMs(op: { fetches: number; mails: number; reads?: number; writes?: number }): number {
  return op.fetches * COST.fetchMs + op.mails * COST.mailMs + ((op.reads ?? 1) + (op.writes ?? 1)) * COST.sheetsCallMs;
}
