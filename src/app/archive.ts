/**
 * archive (daily trigger, 3h): moves closed leads and done journal rows (Events, Messages) out of
 * the live Sheet into a yearly archive spreadsheet, so that the live Sheet stays far from the
 * 10-million-cell limit and its reads stay small. Opt_Outs are never archived.
 *
 * How a batch runs, under the script lock (taken per window, so webhooks get in between):
 *   read a window of WINDOW_ROWS live rows (one getValues) -> pick the archivable ones (at most
 *   MAX_RUNS contiguous runs) -> note the batch in ARCHIVE_PENDING -> append them to the archive
 *   (one setValues) -> delete them from the live tab (one deleteRows per run, bottom first) ->
 *   clear ARCHIVE_PENDING.
 * Copy first, delete second: a run cut off in between leaves the rows in both places, never in
 * neither. ARCHIVE_PENDING says where the interrupted batch went in the archive; the next run
 * reads those archive rows back and deletes their live copies without copying them again.
 */
import { archiveName, archivePlans, fingerprint, pickBatch, runsOf, type ArchivePlan, type RawRow } from '../domain/archive';
import { CONFIG } from '../domain/schema';
import { LockBusy, withScriptLock } from '../adapters/lock';
import { apostropheTolerant, columnRowsMatching, readHeader, type TextMode } from '../adapters/sheets';
import { formatParis } from '../adapters/gas-services';
import { FR } from '../ui/strings.fr';
import { Ctx } from './context';
import { runRetention, type RetentionReport } from './gdpr';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Rows read per window: ~10,000 cells for Leads, about a second of Sheets time. */
const WINDOW_ROWS = 500;
/** deleteRows calls per batch: bounds how long one batch holds the lock (webhooks wait 8 s at most). */
const MAX_RUNS = 40;
/** Stop starting batches after this long: a run must end well inside Apps Script's 6 minutes. */
const RUN_BUDGET_MS = 4 * 60 * 1000;
/** A trigger can wait for a webhook to finish; after this it gives up until tomorrow. */
const LOCK_WAIT_MS = 30000;
/** Rows added to an archive tab's grid when it is full (growing is one call, rarely). */
const ARCHIVE_GROW_ROWS = 2000;

/** Script Property: `tab|archiveId|firstRow|count` of the batch being copied, '' when none. */
export const PENDING_KEY = 'ARCHIVE_PENDING';
/** The Config key holding the current archive's URL (written by the archive, read by people). */
export const ARCHIVE_URL_KEY = 'archive_spreadsheet_url';
/** Script Property: the ids of every archive spreadsheet the project made, comma-separated (GDPR reaches them all). */
export const ARCHIVE_IDS_KEY = 'ARCHIVE_IDS';

/**
 * Every archive spreadsheet the project made that can still be opened: those listed in
 * ARCHIVE_IDS, and the one Config links (an archive made before the list existed). An archive that
 * was deleted or cannot be opened is left out.
 */
export function archiveSpreadsheets(ctx: Ctx): Spreadsheet[] {
  const out = new Map<string, Spreadsheet>();
  for (const id of ctx.settings.state(ARCHIVE_IDS_KEY).split(',').filter(Boolean)) {
    try {
      const ss = SpreadsheetApp.openById(id);
      out.set(ss.getId(), ss);
    } catch {
      // deleted or no longer shared: nothing of it to reach
    }
  }
  const linked = ctx.config().archive_spreadsheet_url.trim();
  if (linked) {
    try {
      const ss = SpreadsheetApp.openByUrl(linked);
      if (!out.has(ss.getId())) {
        out.set(ss.getId(), ss);
        rememberArchive(ctx, ss.getId());
      }
    } catch {
      // a URL an operator mistyped
    }
  }
  return [...out.values()];
}

/** Lists an archive spreadsheet in ARCHIVE_IDS (once). */
function rememberArchive(ctx: Ctx, id: string): void {
  const ids = ctx.settings.state(ARCHIVE_IDS_KEY).split(',').filter(Boolean);
  if (!ids.includes(id)) ctx.settings.setState(ARCHIVE_IDS_KEY, [...ids, id].join(','));
}

/** What one run did (JSON-safe: it is the trigger's result, and what tests read). */
export interface ArchiveReport {
  /** Rows moved to the archive, by tab. */
  archived: Record<string, number>;
  /** Live rows of an interrupted batch found already in the archive, deleted without a second copy. */
  recovered: number;
  /** False when the run stopped on its time budget or on a busy lock: the next run goes on. */
  complete: boolean;
  /** The archive spreadsheet written to, if any. */
  url: string | null;
  /** What GDPR retention deleted first (counts only), null when the lock was busy. */
  retention: RetentionReport | null;
}

interface Pending {
  tab: string;
  id: string;
  firstRow: number;
  count: number;
}

/** One archive run. Takes the script lock itself, one window at a time. */
export function runArchive(ctx: Ctx): ArchiveReport {
  const started = ctx.now().getTime();
  const report: ArchiveReport = { archived: {}, recovered: 0, complete: true, url: null, retention: null };
  const target = new ArchiveTarget(ctx, readPending(ctx));
  try {
    // Retention first: what is past it is deleted, not moved.
    report.retention = withScriptLock(() => runRetention(ctx), LOCK_WAIT_MS);
    if (!report.retention.complete) report.complete = false;
    for (const plan of archivePlans(ctx.config(), ctx.now())) {
      report.archived[plan.tab] = 0;
      if (!archiveTab(ctx, plan, target, report, started)) {
        report.complete = false;
        break;
      }
    }
  } catch (e) {
    if (!(e instanceof LockBusy)) throw e;
    report.complete = false;
  }
  report.url = target.url;
  return report;
}

/** Empties one tab of its archivable rows, window by window. False when the budget ran out. */
function archiveTab(ctx: Ctx, plan: ArchivePlan, target: ArchiveTarget, report: ArchiveReport, started: number): boolean {
  const live = ctx.spreadsheet.getSheetByName(plan.tab);
  if (!live) return true;
  const header = readHeader(live);
  const names = [...header.keys()];
  const width = Math.max(...header.values());
  // Rows of an interrupted batch already in the archive, by fingerprint (counted: twins stay twins).
  const copied = target.recoverySet(plan.tab, names);
  let first = 2;
  for (;;) {
    if (ctx.now().getTime() - started > RUN_BUDGET_MS) return false;
    const step = withScriptLock(() => {
      const last = live.getLastRow();
      if (first > last) return { done: true, advance: 0 };
      const count = Math.min(WINDOW_ROWS, last - first + 1);
      const rows = live
        .getRange(first, 1, count, width)
        .getValues()
        .map((line) => toRaw(line, header));
      const { picked, more } = pickBatch(rows.map(plan.archivable), MAX_RUNS);
      // Rows come in creation order: a window with nothing old enough means nothing below is.
      const anyOld = rows.some((r) => isBefore(plan.orderColumns.map((c) => r[c]).find(isDateValue), plan.oldestCutoff));
      if (picked.length > 0) {
        const fresh = picked.filter((i) => !take(copied, fingerprint(rows[i], names)));
        report.recovered += picked.length - fresh.length;
        if (fresh.length > 0) target.append(plan.tab, names, fresh.map((i) => rows[i]));
        deleteRuns(live, first, picked, last);
        target.done();
        report.archived[plan.tab] += fresh.length;
      }
      // With rows left in this window (more than MAX_RUNS runs), read it again from the same row.
      return { done: !more && (!anyOld || first + count > last), advance: more ? 0 : count - picked.length };
    }, LOCK_WAIT_MS);
    if (step.done) {
      // The tab is clean: an interrupted batch of it, if any, is settled (even one whose rows were all gone).
      target.settle(plan.tab);
      return true;
    }
    first += step.advance;
  }
}

/** Deletes the picked rows of a window (indexes from `first`), bottom first so row numbers hold. */
function deleteRuns(live: Sheet, first: number, picked: number[], lastRow: number): void {
  const runs = runsOf(picked).reverse();
  for (const [index, count] of runs) {
    const start = first + index;
    // Sheets refuses to delete every non-frozen row: keep one empty row below the header.
    if (start === 2 && start + count - 1 >= lastRow && lastRow >= live.getMaxRows()) live.insertRowsAfter(lastRow, 1);
    live.deleteRows(start, count);
  }
}

/** The archive spreadsheet: opened or created on the first row to copy, never on an idle run. */
class ArchiveTarget {
  private spreadsheet: Spreadsheet | null = null;
  private readonly headers = new Map<string, Map<string, number>>();
  url: string | null = null;

  constructor(
    private readonly ctx: Ctx,
    private pending: Pending | null,
  ) {}

  /**
   * The fingerprints of an interrupted batch of this tab, read back from the archive (empty when
   * none, or when the run died before its copy landed).
   */
  recoverySet(tab: string, names: readonly string[]): Map<string, number> {
    const set = new Map<string, number>();
    const p = this.pending;
    if (!p || p.tab !== tab) return set;
    const sheet = this.open().getSheetByName(tab);
    if (!sheet || sheet.getLastRow() < p.firstRow + p.count - 1) return set;
    const header = readHeader(sheet);
    const width = Math.max(...header.values());
    for (const line of sheet.getRange(p.firstRow, 1, p.count, width).getValues()) {
      const key = fingerprint(toRaw(line, header), names);
      set.set(key, (set.get(key) ?? 0) + 1);
    }
    return set;
  }

  /** Appends rows to the archive tab (one setValues), the batch noted in ARCHIVE_PENDING first. */
  append(tab: string, names: readonly string[], rows: RawRow[]): void {
    const ss = this.open();
    const sheet = ss.getSheetByName(tab) ?? this.createTab(ss, tab);
    const header = this.header(sheet, tab, names);
    const width = Math.max(...header.values());
    const firstRow = sheet.getLastRow() + 1;
    const lastNeeded = firstRow + rows.length - 1;
    const max = sheet.getMaxRows();
    if (lastNeeded > max) sheet.insertRowsAfter(max, lastNeeded - max + ARCHIVE_GROW_ROWS);
    this.pending = { tab, id: ss.getId(), firstRow, count: rows.length };
    this.ctx.settings.setState(PENDING_KEY, [tab, ss.getId(), firstRow, rows.length].join('|'));
    const values = rows.map((row) => {
      const line: unknown[] = new Array(width).fill('');
      for (const [name, col] of header) line[col - 1] = toArchiveCell(row[name]);
      return line;
    });
    sheet.getRange(firstRow, 1, rows.length, width).setValues(values);
  }

  /** The batch's live rows are deleted: nothing is pending any more. */
  done(): void {
    if (this.pending === null) return;
    this.pending = null;
    this.ctx.settings.setState(PENDING_KEY, '');
  }

  /** Forgets an interrupted batch of this tab once the tab has been scanned to its end. */
  settle(tab: string): void {
    if (this.pending?.tab === tab) this.done();
  }

  /** This year's archive: the one Config links if it is this year's, else a new one linked from Config. */
  private open(): Spreadsheet {
    if (this.spreadsheet) return this.spreadsheet;
    // An interrupted batch is finished in the archive it started in, whatever the year now.
    if (this.pending) return this.use(SpreadsheetApp.openById(this.pending.id));
    const name = archiveName(this.ctx.spreadsheet.getName(), Number(formatParis(this.ctx.now(), 'yyyy')));
    const linked = this.ctx.config().archive_spreadsheet_url.trim();
    if (linked) {
      try {
        const ss = SpreadsheetApp.openByUrl(linked);
        if (ss.getName() === name) return this.use(ss);
      } catch {
        // Deleted, or a URL an operator mistyped: a new archive is created and linked instead.
      }
    }
    const ss = SpreadsheetApp.create(name);
    rememberArchive(this.ctx, ss.getId());
    this.link(ss.getUrl());
    return this.use(ss);
  }

  private use(ss: Spreadsheet): Spreadsheet {
    this.spreadsheet = ss;
    this.url = ss.getUrl();
    return ss;
  }

  /** Writes the archive's URL into Config (the row setup() created, or a new one). */
  private link(url: string): void {
    const config = this.ctx.table(CONFIG);
    const row = config.findRow('key', ARCHIVE_URL_KEY);
    if (row === null) config.append([{ key: ARCHIVE_URL_KEY, value: url, description: FR.config.archive_spreadsheet_url }]);
    else config.update(row, { value: url });
    Ctx.forgetConfig();
  }

  /** A new archive tab; the blank first sheet of a new spreadsheet becomes it rather than lingering. */
  private createTab(ss: Spreadsheet, tab: string): Sheet {
    const sheets = ss.getSheets();
    const blank = sheets.length === 1 && sheets[0].getLastRow() === 0 && !['Leads', 'Events', 'Messages'].includes(sheets[0].getName());
    const sheet = blank ? sheets[0].setName(tab) : ss.insertSheet(tab);
    sheet.setFrozenRows(1);
    return sheet;
  }

  /** The archive tab's header, with the live tab's columns it lacks added at its end. */
  private header(sheet: Sheet, tab: string, names: readonly string[]): Map<string, number> {
    let header = this.headers.get(tab);
    if (!header) {
      header = sheet.getLastRow() === 0 ? new Map<string, number>() : readHeader(sheet);
      this.headers.set(tab, header);
    }
    const missing = names.filter((n) => !header!.has(n));
    if (missing.length > 0) {
      const start = header.size === 0 ? 1 : Math.max(...header.values()) + 1;
      const needed = start + missing.length - 1;
      const max = sheet.getMaxColumns();
      if (needed > max) sheet.insertColumnsAfter(max, needed - max);
      // A new tab is 26 columns wide; empty columns count against the 10M-cell limit like full ones.
      else if (start === 1 && needed < max) sheet.deleteColumns(needed + 1, max - needed);
      sheet.getRange(1, start, 1, missing.length).setValues([missing]);
      missing.forEach((n, i) => header!.set(n, start + i));
    }
    return header;
  }
}

function readPending(ctx: Ctx): Pending | null {
  const [tab, id, firstRow, count] = ctx.settings.state(PENDING_KEY).split('|');
  const f = Number(firstRow);
  const c = Number(count);
  return tab && id && f >= 2 && c >= 1 ? { tab, id, firstRow: f, count: c } : null;
}

/** A raw line as name -> value, for the named columns. */
function toRaw(line: unknown[], header: Map<string, number>): RawRow {
  const row: Record<string, unknown> = {};
  for (const [name, col] of header) row[name] = line[col - 1];
  return row;
}

/** Takes one from a counted set; true if there was one. */
function take(set: Map<string, number>, key: string): boolean {
  const n = set.get(key) ?? 0;
  if (n === 0) return false;
  set.set(key, n - 1);
  return true;
}

function isDateValue(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

function isBefore(v: unknown, limit: Date): boolean {
  return isDateValue(v) && v.getTime() < limit.getTime();
}

/**
 * A live value as the archive must receive it to store the same thing: text keeps a leading
 * apostrophe (else `+336…` becomes a number and `=…` a formula), the rest goes as read.
 */
function toArchiveCell(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' && v !== '' ? `'${v}` : v;
}

/** A row of an archive tab: its sheet row and its values by header name. */
export interface ArchivedRow {
  row: number;
  values: RawRow;
}

/**
 * The rows of an archive tab where a cell of `column` matches a regular expression (one
 * TextFinder call, then one getValues per row found), in sheet order. None when the tab or the
 * column does not exist. `mode` is the live Sheet's TextMode: where apostrophes are kept, live rows
 * written before the probe held a leading one, and their archived copies do too; a whole cell then
 * matches with or without it, and the values are read without it (as the table layer reads them).
 */
export function archivedRowsMatching(ss: Spreadsheet, tab: string, column: string, pattern: string, entireCell = true, mode: TextMode = 'unknown'): ArchivedRow[] {
  const sheet = ss.getSheetByName(tab);
  if (!sheet || pattern === '' || sheet.getLastRow() < 2) return [];
  const header = readHeader(sheet);
  const col = header.get(column);
  if (!col) return [];
  const whole = entireCell && mode === 'keep' ? (pattern.startsWith('^') ? apostropheTolerant(pattern, mode) : `'?(?:${pattern})`) : pattern;
  const rows = columnRowsMatching(sheet, col, whole, entireCell);
  const width = Math.max(...header.values());
  const unquote = (v: unknown) => (mode === 'keep' && typeof v === 'string' && v[0] === "'" ? v.slice(1) : v);
  return rows.map((row) => ({ row, values: toRaw(sheet.getRange(row, 1, 1, width).getValues()[0].map(unquote), header) }));
}

/**
 * Deletes rows of an archive tab (any order), bottom first, one call per contiguous run. Sheets
 * refuses to delete every non-frozen row: an empty row is kept below the header when needed.
 */
export function deleteArchivedRows(ss: Spreadsheet, tab: string, rows: readonly number[]): number {
  const sheet = ss.getSheetByName(tab);
  if (!sheet || rows.length === 0) return 0;
  const sorted = [...new Set(rows)].filter((r) => r >= 2).sort((a, b) => a - b);
  const last = sheet.getLastRow();
  const runs = runsOf(sorted).reverse();
  for (const [start, count] of runs) {
    if (start === 2 && start + count - 1 >= last && last >= sheet.getMaxRows()) sheet.insertRowsAfter(last, 1);
    sheet.deleteRows(start, count);
  }
  return sorted.length;
}

/** Every data row of an archive tab, by header name (one getValues), or none when it has no such tab. */
export function archivedRows(ss: Spreadsheet, tab: string): ArchivedRow[] {
  const sheet = ss.getSheetByName(tab);
  if (!sheet) return [];
  const last = sheet.getLastRow();
  if (last < 2) return [];
  const header = readHeader(sheet);
  const width = Math.max(...header.values());
  return sheet
    .getRange(2, 1, last - 1, width)
    .getValues()
    .map((line, i) => ({ row: i + 2, values: toRaw(line, header) }));
}
