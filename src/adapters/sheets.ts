/**
 * The table layer: every read and write of the tabs goes through here.
 * - Columns are found by header name (an operator may reorder them or add their own).
 * - Reads and writes are batched: one getValues for what is read, one setValues per
 *   contiguous block of columns written. Finding a row by key uses a TextFinder on the key
 *   column, so it costs the same number of calls at 100 rows as at 100,000.
 * - Text is written so that nothing from outside can become a formula, a number (a phone losing
 *   its leading 0 or +) or a date, and reads back as written: with a leading apostrophe, except in
 *   the plain-text columns of a Sheet that keeps that apostrophe as a character (TextMode).
 */
import { NUMBER_FORMATS, type ColumnKind, type ColumnSpec, type RowOf, type TabSpec } from '../domain/schema';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A row read from a tab, with its sheet row number. */
export type Stored<T extends TabSpec> = RowOf<T> & { readonly _row: number };

/** The most characters a cell holds (Sheets refuses more). */
export const CELL_MAX_CHARS = 50000;

/** Rows added beyond what an append needs when the grid is full, so that growing stays rare. */
const GROW_ROWS = 200;

/** Some columns of a row read from a tab (readRecent or readRowsAt with `columns`), with its sheet row number. */
export type Picked<T extends TabSpec, K extends keyof RowOf<T>> = Pick<RowOf<T>, K> & { readonly _row: number };

/** The header names of a tab. */
type ColumnName<T extends TabSpec> = keyof RowOf<T> & string;
/** The date column(s) Table.readRecent looks at. */
type DateColumns<T extends TabSpec> = ColumnName<T> | readonly ColumnName<T>[];

/** Options of Table.readRecent. */
export interface RecentOptions<K extends string> {
  /** Most getValues calls for the rows found (runs of nearby rows are read together). */
  maxCalls?: number;
  /** Only these columns (and the date column) are read: their contiguous span. */
  columns?: readonly K[];
}

/** A TextFinder match's row costs about as much as this many cells read (1 ms vs 0.1 ms). */
const ROW_ASK_CELLS = 10;
/** Below this many matches, findRows asks each its row (no getLastRow). */
const MANY_MATCHES = 1000;

/** A gap of this many cells costs about one Sheets call (0.1 ms a cell vs 7 ms a repeated call). */
const MERGE_GAP_CELLS = 70;
const READ_AT_MAX_CALLS = 20;

/**
 * What a plain-text ('@') cell does with a leading apostrophe a script writes. Google documents it
 * for an automatic cell (a quote mark: the rest is stored as text) but not for a plain-text one, so
 * setup() probes the live Sheet once and records the answer (Script Property TEXT_APOSTROPHE):
 * - 'strip': a quote mark there too: every string is written with one (also safe in a column an
 *   operator turned back to automatic).
 * - 'keep': stored as a character: text columns (plain text since setup) get no apostrophe. Text
 *   starting with `=` (a formula even in plain text) goes in through the Sheets API's RAW input,
 *   documented as stored as-is (one more call, only then). Reads and lookups accept a leading
 *   apostrophe (rows written before the probe), so text that itself starts with `'` is stored with
 *   one more (RAW too), and, without the API, `=…` with one: both read back exactly (fromCell).
 * - 'unknown': not probed yet (setup() not run since): as 'strip', what the project always did.
 */
export type TextMode = 'strip' | 'keep' | 'unknown';

/** The TextMode of a recorded probe answer ('' or anything else: unknown). */
export function textMode(recorded: string): TextMode {
  return recorded === 'strip' || recorded === 'keep' ? recorded : 'unknown';
}

/**
 * A pattern anchored at the start (`^…`, one alternative or a group) that also accepts a leading
 * apostrophe on a Sheet that keeps them (rows written before the probe), for TextFinders that the
 * table layer does not build.
 */
export function apostropheTolerant(pattern: string, mode: TextMode): string {
  return mode === 'keep' && pattern.startsWith('^') ? `^'?${pattern.slice(1)}` : pattern;
}

/** Thrown when a tab or a column the code needs is missing: running setup() fixes it. */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

/**
 * Where each tab ends, as we last wrote it (Script Properties): only a hint, that primeTables
 * checks before an append trusts it.
 */
export interface TailStore {
  /** The last row written (1 or more), or null when unknown. */
  get(tab: string): number | null;
  set(tab: string, lastRow: number): void;
}

/**
 * Keeps writes on the row they were meant for. A provider call takes seconds, and an operator may
 * sort or filter a tab meanwhile: a row read before an outbound call is checked (it still holds
 * its key) before it is written, and found again by its key if it moved.
 */
export interface RowGuard {
  /** How many outbound calls the execution has made: rows read at an earlier count may have moved. */
  epoch(): number;
  /** Checks the rows read before the last outbound call, of every table, in one read when it can. */
  check(): void;
}

/** A row this execution read or wrote, with the key it held then: where it is now. */
interface Held {
  key: string;
  at: number;
  epoch: number;
}

/** One tab, read and written by header name. Build one per execution: it reads the header once. */
export class Table<T extends TabSpec> {
  private header: Map<string, number> | null = null;
  /** The row the next append writes, when primeTables checked it is the first empty row below the data. */
  private checkedNextRow: number | null = null;
  /** Rows read or appended (by the row number the caller knows), for tabs with a key (see RowGuard). */
  private readonly held = new Map<number, Held>();

  constructor(
    readonly sheet: Sheet,
    readonly spec: T,
    private readonly tails?: TailStore,
    readonly textMode: TextMode = 'unknown',
    private readonly rawWrite: RawWrite | null = null,
    private readonly guard?: RowGuard,
  ) {}

  /** Opens a tab of the spreadsheet; throws a SchemaError if it does not exist. */
  static open<S extends TabSpec>(spreadsheet: Spreadsheet, spec: S, tails?: TailStore, mode: TextMode = 'unknown', rawWrite: RawWrite | null = null, guard?: RowGuard): Table<S> {
    const sheet = spreadsheet.getSheetByName(spec.name);
    if (!sheet) throw new SchemaError(`tab ${spec.name} is missing: run setup()`);
    return new Table(sheet, spec, tails, mode, rawWrite, guard);
  }

  /**
   * The rows held since before the last outbound call, with the A1 range of their key cells: what
   * RowGuard.check reads (for all tables in one call), then gives back to `settle`.
   */
  unchecked(): Array<{ handle: number; range: string }> {
    if (!this.guard || !this.spec.key) return [];
    const epoch = this.guard.epoch();
    const { min, max } = this.spanOf(this.spec.key);
    return [...this.held.entries()].filter(([, h]) => h.epoch < epoch).map(([handle, h]) => ({ handle, range: `${columnLetter(min)}${h.at}:${columnLetter(max)}${h.at}` }));
  }

  /**
   * Takes the key cells read for `unchecked` rows (null: read them here, one call each): a row that
   * no longer holds its key is found again by it (a TextFinder), or marked gone.
   */
  settle(read: Map<number, unknown[] | null> | null): void {
    if (!this.guard || !this.spec.key) return;
    const epoch = this.guard.epoch();
    const { min } = this.spanOf(this.spec.key);
    for (const { handle } of this.unchecked()) {
      const held = this.held.get(handle) as Held;
      let cells = read ? read.get(handle) : null;
      if (!cells) cells = this.sheet.getRange(held.at, min, 1, this.spanOf(this.spec.key).max - min + 1).getValues()[0];
      if (this.keyOfCells(cells, min) !== held.key) held.at = this.relocate(held.key);
      held.epoch = epoch;
    }
  }

  /** The row to write for a row the caller read as `row`: checked first if an outbound call came since. */
  private current(row: number): number {
    const held = this.held.get(row);
    if (!held || !this.guard) return row;
    if (held.epoch < this.guard.epoch()) this.guard.check();
    if (held.at < 2) throw new Error(`${this.spec.name}: the row of ${held.key} is gone (moved or deleted during the execution)`);
    return held.at;
  }

  /** The row holding a key now (a TextFinder on the first key column, then the others checked), or 0 when none. */
  private relocate(key: string): number {
    const names = this.spec.key as readonly string[];
    const parts = key.split('\u0000');
    const rows = this.findRows(names[0] as ColumnName<T>, parts[0]);
    if (names.length === 1) return rows[0] ?? 0;
    const { min, max } = this.spanOf(names);
    for (const r of rows) {
      const cells = this.sheet.getRange(r, min, 1, max - min + 1).getValues()[0];
      if (this.keyOfCells(cells, min) === key) return r;
    }
    return 0;
  }

  /** The key of a row from its cells (`offset`: the column of cells[0]). */
  private keyOfCells(cells: readonly unknown[], offset: number): string {
    return (this.spec.key as readonly string[]).map((n) => String(fromCell(cells[this.col(n) - offset], 'text'))).join('\u0000');
  }

  /** Remembers the key a row held when read or written (only when every key column is known). */
  private hold(row: number, values: Record<string, unknown>): void {
    if (!this.guard || !this.spec.key) return;
    const parts = this.spec.key.map((n) => values[n]);
    if (parts.some((p) => p === undefined) || parts.every((p) => p === '' || p === null)) return;
    this.held.set(row, { key: parts.map((p) => String(p ?? '')).join('\u0000'), at: row, epoch: this.guard.epoch() });
  }

  /**
   * What primeTables read for this tab: its header (unless already read) and, when the tail hint
   * held, the row the next append may write without asking getLastRow.
   */
  prime(header: Map<string, number>, nextRow: number | null): void {
    if (!this.header) this.header = header;
    this.checkedNextRow = nextRow;
  }

  /** Header name -> 1-based column, read with one call the first time it is needed. */
  columns(): Map<string, number> {
    if (!this.header) this.header = readHeader(this.sheet);
    return this.header;
  }

  /** The 1-based column of a header; throws a SchemaError if the tab lacks it. */
  col(name: string): number {
    const c = this.columns().get(name);
    if (!c) throw new SchemaError(`column ${name} is missing in tab ${this.spec.name}: run setup()`);
    return c;
  }

  /** The last row with content (the header is row 1). */
  lastRow(): number {
    return this.sheet.getLastRow();
  }

  /**
   * The row numbers whose `column` cell is exactly `key` (whole cell, case-sensitive), in sheet
   * order. One TextFinder call, whatever the number of rows.
   */
  findRows(column: keyof RowOf<T> & string, key: string, matchCase = true): number[] {
    if (key === '') return [];
    const found = this.keyFinder(column, key, matchCase).findAll();
    // Asking a match its row costs about as much as reading ten cells: when a value (a status) is
    // held by more than one row in ten of a large tab, reading the column is cheaper.
    if (found.length >= MANY_MATCHES && this.spec.columns.find((c) => c.name === column)?.kind === 'text') {
      const last = this.lastRow();
      if (found.length * ROW_ASK_CELLS > last - 1) return this.rowsHolding(column, key, matchCase, last);
    }
    return found.map((r) => r.getRow());
  }

  /** The rows 2..last whose text `column` holds `key` (the cell whole), read in one getValues. */
  private rowsHolding(column: string, key: string, matchCase: boolean, last: number): number[] {
    const want = matchCase ? key : key.toLowerCase();
    const values = this.sheet.getRange(2, this.col(column), last - 1, 1).getValues();
    const rows: number[] = [];
    values.forEach(([v], i) => {
      const text = String(fromCell(v, 'text', this.textMode));
      if ((matchCase ? text : text.toLowerCase()) === want) rows.push(i + 2);
    });
    return rows;
  }

  /** The first row whose `column` cell is exactly `key`, or null. */
  findRow(column: keyof RowOf<T> & string, key: string): number | null {
    if (key === '') return null;
    const found = this.keyFinder(column, key).findNext();
    return found ? found.getRow() : null;
  }

  /**
   * The rows whose `column` cell matches a regular expression in full (e.g. a status among a few):
   * one TextFinder call over the tab, whatever its size, and no header read when nothing matches
   * (an idle trigger stays cheap).
   */
  findRowsMatching(column: keyof RowOf<T> & string, pattern: string): number[] {
    const found = this.sheet.createTextFinder(this.tolerant(pattern)).useRegularExpression(true).matchEntireCell(true).matchCase(true).findAll();
    if (found.length === 0) return [];
    const col = this.col(column);
    return found.filter((r) => r.getColumn() === col).map((r) => r.getRow());
  }

  /** Finds the first row whose `column` is `key` and reads it, or null. */
  find(column: keyof RowOf<T> & string, key: string): Stored<T> | null {
    const row = this.findRow(column, key);
    return row === null ? null : this.readRow(row);
  }

  /** Reads one row (one getValues over the span of our columns). */
  readRow(row: number): Stored<T> {
    return this.readRows(row, 1)[0];
  }

  /** Reads `count` rows from `first` (one getValues). */
  readRows(first: number, count: number): Stored<T>[] {
    if (count <= 0) return [];
    const { min, max } = this.span();
    const values = this.sheet.getRange(first, min, count, max - min + 1).getValues();
    return values.map((line, i) => this.toRow(line, min, first + i));
  }

  /** Reads every data row (rows 2..last): one getLastRow and one getValues. */
  readAll(): Stored<T>[] {
    const last = this.lastRow();
    return last < 2 ? [] : this.readRows(2, last - 1);
  }

  /**
   * The rows whose `dateColumn` is at or after `since`, wherever they are: an operator sorts and
   * filters these tabs (the SOPs tell them to), so nothing may depend on row order. One TextFinder
   * finds the cells of the column that show a Paris day from `since` to now (the column's date
   * format, dd/MM/yyyy…, or ISO), then readRowsAt reads those rows: runs of nearby rows together,
   * never more than `maxCalls` reads. The calls stay bounded whatever the rows, and the cells read
   * follow the recent rows, not the size of the tab. Rows are returned in sheet order; an undated
   * row is never returned. With `columns`, only the contiguous span of those columns (and the date
   * column) is read, and only those columns are set on the rows. With several date columns (one
   * TextFinder each), a row is recent when any of them is.
   */
  readRecent(dateColumn: DateColumns<T>, since: Date, options?: RecentOptions<ColumnName<T>>): Stored<T>[];
  readRecent<K extends ColumnName<T>>(dateColumn: DateColumns<T>, since: Date, options: RecentOptions<K> & { columns: readonly K[] }): Array<Picked<T, K>>;
  readRecent(dateColumn: DateColumns<T>, since: Date, options: RecentOptions<ColumnName<T>> = {}): Array<Picked<T, ColumnName<T>>> {
    const dated: readonly ColumnName<T>[] = typeof dateColumn === 'string' ? [dateColumn] : dateColumn;
    const names = options.columns ? [...new Set<ColumnName<T>>([...options.columns, ...dated])] : undefined;
    const pattern = daysPattern(since, new Date());
    const rows = [...new Set(dated.flatMap((c) => this.matchRows([c], pattern)))];
    if (rows.length === 0) return [];
    const read = names ? this.readRowsAt(rows, { columns: names, maxCalls: options.maxCalls }) : this.readRowsAt(rows, { maxCalls: options.maxCalls });
    const t = since.getTime();
    return read.filter((r) =>
      dated.some((c) => {
        const at = (r as Record<string, unknown>)[c];
        return isDate(at) && !isNaN(at.getTime()) && at.getTime() >= t;
      }),
    ) as Array<Picked<T, ColumnName<T>>>;
  }

  /**
   * Reads the given rows (any order, duplicates ignored), returned in sheet order. Nearby rows are
   * read together (a gap is read when it costs fewer cells than a call: ~70 cells), and never more
   * than `maxCalls` getValues: beyond that the closest runs are merged (more cells, same calls).
   * With `columns`, only the contiguous span of those columns is read.
   */
  readRowsAt(rows: readonly number[], options?: { maxCalls?: number }): Stored<T>[];
  readRowsAt<K extends ColumnName<T>>(rows: readonly number[], options: { maxCalls?: number; columns: readonly K[] }): Array<Picked<T, K>>;
  readRowsAt(rows: readonly number[], options: { maxCalls?: number; columns?: readonly ColumnName<T>[] } = {}): Array<Picked<T, ColumnName<T>>> {
    const wanted = [...new Set(rows)].filter((r) => Number.isInteger(r) && r >= 2).sort((a, b) => a - b);
    if (wanted.length === 0) return [];
    const names = options.columns ? [...new Set<string>(options.columns)] : this.spec.columns.map((c) => c.name);
    const specs = this.spec.columns.filter((c) => names.includes(c.name));
    const { min, max } = this.spanOf(names);
    const width = max - min + 1;
    const gapRows = Math.floor(MERGE_GAP_CELLS / width);
    const runs: Array<{ first: number; last: number }> = [];
    for (const r of wanted) {
      const run = runs[runs.length - 1];
      if (run && r - run.last - 1 <= gapRows) run.last = r;
      else runs.push({ first: r, last: r });
    }
    const maxCalls = Math.max(1, options.maxCalls ?? READ_AT_MAX_CALLS);
    while (runs.length > maxCalls) {
      let best = 0;
      for (let i = 1; i < runs.length - 1; i++) if (runs[i + 1].first - runs[i].last < runs[best + 1].first - runs[best].last) best = i;
      runs.splice(best, 2, { first: runs[best].first, last: runs[best + 1].last });
    }
    const want = new Set(wanted);
    const out: Stored<T>[] = [];
    for (const run of runs) {
      const values = this.sheet.getRange(run.first, min, run.last - run.first + 1, width).getValues();
      values.forEach((line, i) => {
        if (want.has(run.first + i)) out.push(this.toRowOf(line, min, run.first + i, specs));
      });
    }
    return out;
  }

  /**
   * The rows where a cell of the given columns (searched over their contiguous span) matches a
   * regular expression, as displayed (dates as the column's format shows them): one TextFinder
   * call. Each row found costs a little (its number is asked of the range found): use it for rows
   * that are few (today's, the failing ones), and countMatches to only count.
   */
  matchRows(columns: readonly ColumnName<T>[], pattern: string): number[] {
    return [...new Set(this.regexFinder(columns, pattern).findAll().map((r) => r.getRow()))].sort((a, b) => a - b);
  }

  /** How many cells of a column match a regular expression: one TextFinder call, whatever the rows. */
  countMatches(column: ColumnName<T>, pattern: string): number {
    return this.regexFinder([column], pattern).findAll().length;
  }

  /**
   * Appends rows after the last row, writing only our columns (an operator's own columns are
   * left alone): one setValues per contiguous block of our columns. Returns the first new row.
   */
  append(rows: ReadonlyArray<Partial<RowOf<T>>>): number {
    if (rows.length === 0) return 0;
    // A checked row is used once: later appends of this execution ask getLastRow again.
    const first = this.checkedNextRow ?? this.lastRow() + 1;
    this.checkedNextRow = null;
    const names = this.spec.columns.map((c) => c.name);
    try {
      this.writeBlocks(first, rows, names);
    } catch (e) {
      // Cheaper than asking getMaxRows before every append: the grid is full only now and then.
      if (!/outside the dimensions/.test(String(e instanceof Error ? e.message : e))) throw e;
      this.grow(first + rows.length - 1);
      this.writeBlocks(first, rows, names);
    }
    this.tails?.set(this.spec.name, first + rows.length - 1);
    rows.forEach((r, i) => this.hold(first + i, r as Record<string, unknown>));
    return first;
  }

  /** Writes some columns of one row: one setValues per contiguous block of the given columns. */
  update(row: number, changes: Partial<RowOf<T>>): void {
    const names = Object.keys(changes).filter((k) => (changes as Record<string, unknown>)[k] !== undefined);
    if (names.length === 0) return;
    const at = this.current(row);
    this.writeBlocks(at, [changes], names);
    // A write of a key column changes what the row holds.
    if (this.spec.key?.some((k) => names.includes(k))) this.held.delete(row);
  }

  /**
   * Writes the same columns of consecutive rows starting at `first` (one setValues per block of
   * columns): the batched form of update() for routines that rewrite many rows.
   */
  updateRange(first: number, rows: ReadonlyArray<Partial<RowOf<T>>>, names: ReadonlyArray<keyof RowOf<T> & string>): void {
    if (rows.length === 0 || names.length === 0) return;
    this.writeBlocks(first, rows, names);
  }

  /** Deletes rows (any order), bottom first so that row numbers stay valid, one call per contiguous run. */
  deleteRows(rows: readonly number[]): void {
    this.checkedNextRow = null; // rows below move up: the checked row may now be inside the data
    this.held.clear(); // and the rows held are no longer where they were read
    const sorted = [...new Set(rows)].sort((a, b) => b - a);
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] - 1) j++;
      const start = sorted[j];
      this.sheet.deleteRows(start, sorted[i] - start + 1);
      i = j + 1;
    }
  }

  private keyFinder(column: string, key: string, matchCase = true): GoogleAppsScript.Spreadsheet.TextFinder {
    const c = this.col(column);
    // An open-ended A1 range (`C2:C`) avoids a getLastRow call; the finder scans server-side.
    const range = this.sheet.getRange(`${columnLetter(c)}2:${columnLetter(c)}`);
    // On a Sheet that keeps apostrophes, a row written before the probe holds `'key`: found too.
    if (this.textMode === 'keep') return range.createTextFinder(`^'?${escapeRegExp(key)}$`).useRegularExpression(true).matchCase(matchCase);
    return range.createTextFinder(key).matchEntireCell(true).matchCase(matchCase);
  }

  private regexFinder(columns: readonly string[], pattern: string): GoogleAppsScript.Spreadsheet.TextFinder {
    const { min, max } = this.spanOf(columns);
    return this.sheet.getRange(`${columnLetter(min)}2:${columnLetter(max)}`).createTextFinder(this.tolerant(pattern)).useRegularExpression(true).matchCase(true);
  }

  private tolerant(pattern: string): string {
    return apostropheTolerant(pattern, this.textMode);
  }

  private span(): { min: number; max: number } {
    return this.spanOf(this.spec.columns.map((c) => c.name));
  }

  private spanOf(names: readonly string[]): { min: number; max: number } {
    const cols = names.map((n) => this.col(n));
    return { min: Math.min(...cols), max: Math.max(...cols) };
  }

  private toRow(line: unknown[], offset: number, row: number): Stored<T> {
    return this.toRowOf(line, offset, row, this.spec.columns);
  }

  private toRowOf(line: unknown[], offset: number, row: number, specs: readonly ColumnSpec[]): Stored<T> {
    const out: Record<string, unknown> = { _row: row };
    for (const spec of specs) {
      out[spec.name] = fromCell(line[this.col(spec.name) - offset], spec.kind, this.textMode);
    }
    this.hold(row, out);
    return out as Stored<T>;
  }

  private writeBlocks(first: number, rows: ReadonlyArray<Partial<RowOf<T>>>, names: readonly string[]): void {
    const kinds = new Map<string, ColumnSpec>(this.spec.columns.map((c) => [c.name, c]));
    const cols = names.map((n) => ({ name: n, col: this.col(n), kind: kinds.get(n)?.kind ?? 'any' }));
    const raw: RawCell[] = [];
    for (const block of contiguousBlocks(cols)) {
      const values = rows.map((r, i) =>
        block.map((c) => {
          const value = (r as Record<string, unknown>)[c.name];
          // Plain text keeps `'`: text that needs one goes in RAW, after this write (see TextMode).
          if (this.rawWrite && this.textMode === 'keep' && c.kind === 'text' && typeof value === 'string' && (value[0] === '=' || value[0] === "'")) {
            // A leading `'` is doubled: reading removes one (fromCell tolerates rows written before the probe).
            const text = value[0] === "'" ? `'${value}` : value;
            raw.push({ row: first + i, col: c.col, text: text.length >= CELL_MAX_CHARS ? text.slice(0, CELL_MAX_CHARS - 1) : text });
            return '';
          }
          return toCell(value, c.kind, this.textMode);
        }),
      );
      this.sheet.getRange(first, block[0].col, rows.length, block.length).setValues(values);
    }
    if (raw.length === 0 || !this.rawWrite) return;
    try {
      this.rawWrite(this.spec.name, raw);
    } catch (e) {
      // The API refused (quota): the apostrophe way, which reads back the same through fromCell.
      console.warn(`${this.spec.name}: RAW write failed (${e instanceof Error ? e.message : String(e)}), text written with an apostrophe`);
      for (const cell of raw) this.sheet.getRange(cell.row, cell.col).setValue(`'${cell.text}`);
    }
  }

  /** Grows the grid to hold `lastNeeded` rows, with room for the next appends (a new sheet has 1000 rows). */
  private grow(lastNeeded: number): void {
    const max = this.sheet.getMaxRows();
    if (lastNeeded <= max) return;
    const added = lastNeeded - max + GROW_ROWS;
    this.sheet.insertRowsAfter(max, added);
    this.formatRows(max + 1, added);
  }

  /**
   * Gives new rows our columns' number formats. They take the formats of the row above, which may
   * not be ours (rows pasted or typed with their own): a phone written into a cell that is not
   * plain text would become a number where plain-text cells keep no apostrophe (TextMode 'keep').
   * One call per run of adjacent columns of one format, once per GROW_ROWS appended rows.
   */
  private formatRows(first: number, count: number): void {
    for (const run of numberFormatRuns(this.spec, this.columns())) this.sheet.getRange(first, run.col, count, run.width).setNumberFormat(run.format);
  }
}

/**
 * Our columns' number formats (schema NUMBER_FORMATS) where the tab has them, as runs of adjacent
 * columns of one format (one setNumberFormat each); `needed` leaves out a column already right.
 */
export function numberFormatRuns(spec: TabSpec, header: Map<string, number>, needed: (col: number, format: string) => boolean = () => true): Array<{ col: number; width: number; format: string }> {
  const wanted = spec.columns
    .map((c) => ({ col: header.get(c.name), format: NUMBER_FORMATS[c.kind] }))
    .filter((c): c is { col: number; format: string } => c.col !== undefined && c.format !== null && needed(c.col, c.format))
    .sort((a, b) => a.col - b.col);
  const runs: Array<{ col: number; width: number; format: string }> = [];
  for (const c of wanted) {
    const last = runs[runs.length - 1];
    if (last && last.col + last.width === c.col && last.format === c.format) last.width++;
    else runs.push({ col: c.col, width: 1, format: c.format });
  }
  return runs;
}

/**
 * The rows (ascending, once each) where a cell of one column matches a regular expression, case
 * ignored, as a whole cell or inside it: one TextFinder call, whatever the size of the tab. For
 * tabs the table layer does not open (the archives) and for searches across spellings.
 */
export function columnRowsMatching(sheet: Sheet, col: number, pattern: string, entireCell: boolean): number[] {
  if (pattern === '') return [];
  const letter = columnLetter(col);
  const found = sheet.getRange(`${letter}2:${letter}`).createTextFinder(pattern).useRegularExpression(true).matchCase(false).matchEntireCell(entireCell).findAll();
  return [...new Set(found.map((r) => r.getRow()))].sort((a, b) => a - b);
}

/** A text cell to write as it is (Sheets API RAW input). */
export interface RawCell {
  row: number;
  col: number;
  text: string;
}

/** Writes text cells of a tab with the Sheets API's RAW input (stored as-is, never parsed), in one call. */
export type RawWrite = (tab: string, cells: readonly RawCell[]) => void;

/**
 * The advanced Sheets service's values.batchUpdate with RAW input on a spreadsheet, or null when
 * the manifest does not enable the service. SpreadsheetApp's pending writes are flushed first: the
 * API writes at once, and a buffered write of the same cell must not land after it.
 */
export function sheetsApiRawWrite(spreadsheetId: string): RawWrite | null {
  if (typeof Sheets === 'undefined' || !Sheets) return null;
  const api = Sheets;
  return (tab, cells) => {
    SpreadsheetApp.flush();
    const data = cells.map((c) => ({ range: `${quoteSheetName(tab)}!${columnLetter(c.col)}${c.row}`, values: [[c.text]] }));
    api.Spreadsheets.Values.batchUpdate({ valueInputOption: 'RAW', data }, spreadsheetId);
  };
}

/** Reads several A1 ranges in one call; each range's rows, empty trailing rows and cells left out. */
export type BatchRead = (ranges: readonly string[]) => unknown[][][];

/**
 * The advanced Sheets service's values.batchGet on a spreadsheet (raw values), or null when the
 * manifest does not enable the service.
 */
export function sheetsApiBatchRead(spreadsheetId: string): BatchRead | null {
  if (typeof Sheets === 'undefined' || !Sheets) return null;
  const api = Sheets;
  return (ranges) => {
    const answer = api.Spreadsheets.Values.batchGet(spreadsheetId, { ranges: [...ranges], valueRenderOption: 'UNFORMATTED_VALUE' });
    return (answer.valueRanges ?? []).map((range) => (range.values ?? []) as unknown[][]);
  };
}

/**
 * Primes tables with one read for all (a webhook touches five tabs, each would cost a header
 * read, and each append a getLastRow): every header, and for each tab with a tail hint H, rows
 * H and H+1. The hint holds when row H has content and row H+1 has none: the append then writes
 * row H+1 straight away, which can never overwrite anything. Otherwise (an operator added,
 * deleted or sorted rows) the append asks getLastRow as usual. Throws what the read throws: the
 * caller falls back to the tables' own lazy reads.
 */
export function primeTables(read: BatchRead, tables: ReadonlyArray<Table<TabSpec>>, tails: TailStore): void {
  const ranges: string[] = [];
  const plan = tables.map((table) => {
    const name = quoteSheetName(table.spec.name);
    const tail = tails.get(table.spec.name);
    const at = ranges.push(`${name}!1:1`) - 1;
    const tailAt = tail === null ? null : ranges.push(`${name}!${tail}:${tail + 1}`) - 1;
    return { table, tail, at, tailAt };
  });
  const answers = read(ranges);
  for (const { table, tail, at, tailAt } of plan) {
    let header: Map<string, number>;
    try {
      header = headerOf(answers[at]?.[0] ?? [], () => table.spec.name);
    } catch {
      continue; // a duplicate header: the table's own read reports it when a column is needed
    }
    const rows = tailAt === null ? [] : (answers[tailAt] ?? []);
    const holds = tail !== null && rows.length === 1 && rows[0].some((v) => v !== '' && v !== null && v !== undefined);
    table.prime(header, holds ? tail + 1 : null);
  }
}

const PARIS_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });

/**
 * A regular expression for the date cells that show a Paris time from `since` to `until`: by the
 * day, and on since's day by the hour, in the date columns' format (dd/MM/yyyy HH:mm:ss; a cell
 * showing dd/MM/yyyy alone is taken) or ISO (yyyy-MM-dd, then T or a space). The routines read
 * from an hour before midnight (daylight-saving days): all of the day before would match as many
 * rows again as the day's. Rows of since's hour before since match too: the caller checks.
 */
export function daysPattern(since: Date, until: Date): string {
  const escape = (d: string) => d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const alternatives: string[] = [];
  const seen = new Set<string>();
  const end = Math.max(until.getTime(), since.getTime());
  for (let t = since.getTime(); t < end + 86400000; t += 12 * 3600000) {
    const parts = Object.fromEntries(PARIS_HOUR.formatToParts(new Date(Math.min(t, end))).map((p) => [p.type, p.value]));
    const day = `${parts.day}/${parts.month}/${parts.year}`;
    if (seen.has(day)) continue;
    const from = seen.size === 0 ? Number(parts.hour) : 0;
    seen.add(day);
    const hours = from > 0 ? `(?:[ T](?:${Array.from({ length: 24 - from }, (_, i) => String(from + i).padStart(2, '0')).join('|')})|$)` : '';
    for (const d of [day, `${parts.year}-${parts.month}-${parts.day}`]) alternatives.push(escape(d) + hours);
  }
  return `^(${alternatives.join('|')})`;
}

/** A sheet name as A1 notation wants it: quoted, with quotes doubled. */
export function quoteSheetName(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/**
 * Reads row 1 into a header map (one call: the whole row, so no getLastColumn first); a duplicate
 * header is an error (a write could hit the wrong column).
 */
export function readHeader(sheet: Sheet): Map<string, number> {
  return headerOf(sheet.getRange('1:1').getValues()[0], () => sheet.getName());
}

/** Header names (row 1) -> 1-based columns; a name twice is a SchemaError. */
function headerOf(names: readonly unknown[], tab: () => string): Map<string, number> {
  const map = new Map<string, number>();
  names.forEach((raw, i) => {
    const name = String(raw ?? '').trim();
    if (name === '') return;
    if (map.has(name)) throw new SchemaError(`column ${name} appears twice in tab ${tab()}`);
    map.set(name, i + 1);
  });
  return map;
}

/** Groups columns into runs of consecutive sheet columns, each run in column order. */
export function contiguousBlocks<C extends { col: number }>(cols: readonly C[]): C[][] {
  const sorted = [...cols].sort((a, b) => a.col - b.col);
  const blocks: C[][] = [];
  for (const c of sorted) {
    const last = blocks[blocks.length - 1];
    if (last && last[last.length - 1].col === c.col - 1) last.push(c);
    else blocks.push([c]);
  }
  return blocks;
}

/** `1` -> `A`, `27` -> `AA`. */
export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** True for a Date from any realm (values cross V8 contexts in tests). */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** A string as a regular expression matching exactly it (for a TextFinder). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
}

/**
 * Converts a value to what setValues must receive so that it is stored as intended.
 * Sheets parses a string as typed text (`=` formulas, `+33…` and `06…` as numbers, `TRUE`,
 * dates); a leading apostrophe stores the rest as text, which reads back exactly as given. In a
 * plain-text column of a Sheet that keeps apostrophes (`mode` 'keep'), the format alone keeps
 * the text and only `=…` and `'…` get one (see TextMode). Longer than a cell holds, text is cut
 * (never an exception mid-write).
 */
export function toCell(value: unknown, kind: ColumnKind, mode: TextMode = 'unknown'): string | number | boolean | Date {
  if (value === null || value === undefined) return '';
  if (isDate(value)) return isNaN(value.getTime()) ? '' : value;
  const plain = kind === 'text' && mode === 'keep';
  if (typeof value === 'boolean') return kind === 'text' ? quote(String(value).toUpperCase(), plain) : value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return kind === 'text' ? quote(String(value), plain) : value;
  }
  return quote(String(value), plain);
}

/** Text as written: with a leading apostrophe, or in a plain-text cell that keeps it, only when needed. */
function quote(s: string, plainText: boolean): string {
  if (s === '') return '';
  const cut = s.length >= CELL_MAX_CHARS ? s.slice(0, CELL_MAX_CHARS - 2) : s;
  return plainText && cut[0] !== '=' && cut[0] !== "'" ? cut : `'${cut}`;
}

/**
 * Reads a cell as its column's kind: text as string, dates as Date or null, numbers, booleans. On
 * a Sheet that keeps apostrophes, a text cell's leading apostrophe is the one toCell added (or one
 * written before the probe): removed.
 */
export function fromCell(value: unknown, kind: ColumnKind, mode: TextMode = 'unknown'): unknown {
  switch (kind) {
    case 'text':
      if (value === '' || value === null || value === undefined) return '';
      if (isDate(value)) return value.toISOString();
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      if (mode === 'keep' && typeof value === 'string' && value[0] === "'") return value.slice(1);
      return String(value);
    case 'date':
    case 'day':
      return isDate(value) && !isNaN(value.getTime()) ? value : null;
    case 'bool':
      return value === true || (typeof value === 'string' && /^(true|vrai)$/i.test(value.trim()));
    case 'optional':
      if (value === '' || value === null || value === undefined) return null;
      return fromCell(value, 'number');
    case 'number': {
      if (typeof value === 'number') return value;
      const n = typeof value === 'string' ? Number(value.replace(',', '.')) : NaN;
      return value === '' || Number.isNaN(n) ? 0 : n;
    }
    default:
      return value;
  }
}
