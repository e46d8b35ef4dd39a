/**
 * The persistent data of the emulated spreadsheets (what Google Drive would hold), independent of
 * any execution. Storage is sparse and per row: a sheet of 100,000 rows x 20 columns is one array of
 * row arrays for values, and other layers (formulas, formats, validations, styles) only hold rows
 * that have something. Also holds the host-side inspection and seeding helpers used by tests.
 */

import { isDate } from '../core';
import { Cell, CellDate, DEFAULT_DATETIME_FORMAT, DEFAULT_NUMBER_FORMAT, ModelError, Rect, a1Notation, displayValue, parseTyped, rawToCell } from './values';

/** Apps Script's limit on the grid cells of a whole spreadsheet. */
export const MAX_CELLS = 10_000_000;

/**
 * A sparse 2D layer of cell attributes, indexed by 1-based row and column. Rows are arrays (or holes),
 * so inserting or deleting rows is a splice, not a rewrite of every cell.
 */
export class Layer<T> {
  rows: (T[] | undefined)[] = [];

  get(r: number, c: number): T | undefined {
    const row = this.rows[r - 1];
    return row === undefined ? undefined : row[c - 1];
  }

  set(r: number, c: number, v: T | undefined): void {
    let row = this.rows[r - 1];
    if (row === undefined) {
      if (v === undefined) return;
      row = this.rows[r - 1] = [];
    }
    row[c - 1] = v as T;
  }

  /** Clears a rectangle. */
  clear(rect: Rect): void {
    const end = Math.min(rect.row + rect.numRows - 1, this.rows.length);
    for (let r = rect.row; r <= end; r++) {
      const row = this.rows[r - 1];
      if (!row) continue;
      if (rect.col === 1 && rect.col + rect.numCols - 1 >= row.length) this.rows[r - 1] = undefined;
      else for (let c = rect.col; c < rect.col + rect.numCols && c <= row.length; c++) row[c - 1] = undefined as T;
    }
  }

  /** Inserts `n` rows so that the first new row is `at`; they copy row `copyFrom` (index before the insert) if given. */
  insertRows(at: number, n: number, copyFrom?: number): void {
    const src = copyFrom !== undefined ? this.rows[copyFrom - 1] : undefined;
    if (at - 1 > this.rows.length && !src) return;
    if (this.rows.length < at - 1) this.rows.length = at - 1;
    const fresh: (T[] | undefined)[] = new Array(n);
    for (let i = 0; i < n; i++) fresh[i] = src ? src.slice() : undefined;
    this.rows.splice(at - 1, 0, ...fresh);
  }

  deleteRows(start: number, n: number): void {
    if (start - 1 < this.rows.length) this.rows.splice(start - 1, n);
  }

  insertCols(at: number, n: number, copyFrom?: number): void {
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i];
      if (!row) continue;
      const v = copyFrom !== undefined ? row[copyFrom - 1] : undefined;
      if (row.length < at - 1) {
        if (v === undefined) continue;
        row.length = at - 1;
      }
      row.splice(at - 1, 0, ...new Array<T>(n).fill(v as T));
    }
  }

  deleteCols(start: number, n: number): void {
    for (const row of this.rows) if (row && start - 1 < row.length) row.splice(start - 1, n);
  }

  /**
   * Reorders the cells of columns `col`..`col+numCols-1` in rows `first`..: row `first + i` takes what
   * row `order[i]` held (a sort moves each row's cells of the sorted range, and nothing else).
   */
  permuteRows(first: number, order: readonly number[], col: number, numCols: number): void {
    const taken = order.map((src) => {
      const row = this.rows[src - 1];
      return row ? row.slice(col - 1, col - 1 + numCols) : undefined;
    });
    taken.forEach((cells, i) => {
      const r = first + i;
      for (let c = 0; c < numCols; c++) this.set(r, col + c, cells ? cells[c] : undefined);
    });
  }

  clone(): Layer<T> {
    const l = new Layer<T>();
    l.rows = this.rows.map((r) => (r ? r.slice() : undefined));
    return l;
  }
}

/** A data validation rule (immutable once built; shared by the cells it is set on). */
export interface ValidationData {
  readonly criteriaType: string;
  /** Criteria values; a range (for VALUE_IN_RANGE) is a `RangeRef`. */
  readonly criteriaValues: readonly unknown[];
  readonly allowInvalid: boolean;
  readonly helpText: string | null;
}

/** A range as stored inside a rule: a sheet and a rectangle. */
export interface RangeRef extends Rect {
  readonly sheet: SheetData;
}

/** A conditional format rule as stored on a sheet. */
export interface ConditionalRuleData {
  readonly ranges: readonly RangeRef[];
  readonly criteriaType: string | null;
  readonly criteriaValues: readonly unknown[];
  readonly background: string | null;
  readonly fontColor: string | null;
  readonly bold: boolean | null;
  readonly italic: boolean | null;
  readonly strikethrough: boolean | null;
}

/** An embedded chart as stored on a sheet (Sheet.insertChart); `chartId` is unique in its spreadsheet. */
export interface ChartData {
  readonly chartId: number;
  /** A `Charts.ChartType` name, e.g. 'LINE'. */
  readonly type: string;
  readonly ranges: readonly RangeRef[];
  /** Anchor cell (1-based) and pixel offsets, as given to `setPosition`. */
  readonly position: { readonly row: number; readonly col: number; readonly offsetX: number; readonly offsetY: number };
  readonly options: Readonly<Record<string, unknown>>;
  /** -1 when never set (Sheets guesses the headers). */
  readonly numHeaders: number;
}

/** Criteria of one column of a basic filter (`FilterCriteria`): hidden display values and/or a boolean condition. */
export interface FilterCriteriaData {
  readonly hiddenValues: readonly string[];
  /** Only these display values are shown (`setVisibleValues`); null: no such list. */
  readonly visibleValues?: readonly string[] | null;
  readonly criteriaType: string | null;
  readonly criteriaValues: readonly unknown[];
}

/**
 * The basic filter of a sheet (`Range.createFilter`): its range (header row first) and criteria per
 * sheet column. As in Sheets, rows are hidden when criteria are set (or the filter sorted), not when
 * values change afterwards, and rows written below the range later are not part of it.
 */
export interface FilterData {
  range: Rect;
  readonly criteria: Map<number, FilterCriteriaData>;
  /** Rows (1-based sheet rows) the filter hides. */
  hidden: Set<number>;
}

/** Style properties recorded by the `Range.set<Style>` calls (inspect with `SheetData.style`). */
export const STYLE_PROPS = [
  'fontWeight',
  'fontStyle',
  'fontSize',
  'fontFamily',
  'fontColor',
  'fontLine',
  'background',
  'horizontalAlignment',
  'verticalAlignment',
  'wrap',
  'wrapStrategy',
] as const;
export type StyleProp = (typeof STYLE_PROPS)[number];

/** Empty cell check for content: a cell has content if it holds a value or a formula. */
function rowHasContent(row: unknown[] | undefined): boolean {
  if (!row) return false;
  for (let i = row.length - 1; i >= 0; i--) if (row[i] !== undefined) return true;
  return false;
}

function lastIndexWithContent(row: unknown[] | undefined): number {
  if (!row) return 0;
  for (let i = row.length - 1; i >= 0; i--) if (row[i] !== undefined) return i + 1;
  return 0;
}

/** One sheet (tab) of a spreadsheet. Fields and methods here are host-side: tests may read them freely. */
export class SheetData {
  cells = new Layer<Cell>();
  formulaCells = new Layer<string>();
  formats = new Layer<string>();
  validations = new Layer<ValidationData>();
  notes = new Layer<string>();
  styles = new Map<StyleProp, Layer<unknown>>();
  conditionalRules: ConditionalRuleData[] = [];
  /** Embedded charts, in insertion order (inspect with `chartList`). */
  charts: ChartData[] = [];
  columnWidths: (number | undefined)[] = [];
  hiddenColumns = new Set<number>();
  autoResizedColumns = new Set<number>();
  frozenRows = 0;
  frozenColumns = 0;
  hidden = false;
  /** The basic filter, if any (filter.ts). */
  filter: FilterData | null = null;
  tabColor: string | null = null;
  private version = 0;

  constructor(
    readonly parent: SpreadsheetData,
    public name: string,
    readonly sheetId: number,
    public maxRows = 1000,
    public maxColumns = 26,
  ) {}

  /** Call after any change of values or formulas (invalidates the cached last row/column). */
  touch(): void {
    this.version++;
  }

  // Cached per content version, separately: appendRow needs only the last row, which is cheap.
  private lastRowCache = { version: -1, value: 0 };
  private lastColumnCache = { version: -1, value: 0 };

  /** Last row with content (value or formula), 0 if none. */
  get lastRow(): number {
    if (this.lastRowCache.version === this.version) return this.lastRowCache.value;
    let lastRow = 0;
    for (const layer of [this.cells.rows, this.formulaCells.rows] as unknown[][][]) {
      for (let i = layer.length - 1; i >= lastRow; i--) {
        if (rowHasContent(layer[i])) {
          lastRow = i + 1;
          break;
        }
      }
    }
    this.lastRowCache = { version: this.version, value: lastRow };
    return lastRow;
  }

  /** Last column with content, 0 if none. */
  get lastColumn(): number {
    if (this.lastColumnCache.version === this.version) return this.lastColumnCache.value;
    let lastColumn = 0;
    for (const layer of [this.cells.rows, this.formulaCells.rows] as unknown[][][]) {
      for (const row of layer) if (row && row.length > lastColumn) lastColumn = Math.max(lastColumn, lastIndexWithContent(row));
    }
    this.lastColumnCache = { version: this.version, value: lastColumn };
    return lastColumn;
  }

  /** Values of rows 1..lastRow x cols 1..lastColumn as host values (`''` empty, host `Date`s). */
  values2D(rect?: Rect): unknown[][] {
    const { row, col, numRows, numCols } = rect ?? { row: 1, col: 1, numRows: this.lastRow, numCols: this.lastColumn };
    const out: unknown[][] = [];
    for (let r = row; r < row + numRows; r++) {
      const src = this.cells.rows[r - 1];
      const line: unknown[] = new Array(numCols);
      for (let c = 0; c < numCols; c++) {
        const v = src ? src[col - 1 + c] : undefined;
        line[c] = v === undefined ? '' : v instanceof CellDate ? new Date(v.ms) : v;
      }
      out.push(line);
    }
    return out;
  }

  /** Host-side: the data region's values (see `values2D`). */
  values(): unknown[][] {
    return this.values2D();
  }

  /** Host-side: formulas of the data region, `''` where none. */
  formulas(): string[][] {
    const out: string[][] = [];
    for (let r = 1; r <= this.lastRow; r++) {
      const line: string[] = [];
      for (let c = 1; c <= this.lastColumn; c++) line.push(this.formulaCells.get(r, c) ?? '');
      out.push(line);
    }
    return out;
  }

  /** Number format of a cell (`'0.###############'` when none was set). */
  numberFormat(row: number, col: number): string {
    return this.formats.get(row, col) ?? DEFAULT_NUMBER_FORMAT;
  }

  /** Display string of a cell, as `Range.getDisplayValue` would return it. */
  displayValue(row: number, col: number): string {
    return displayValue(this.cells.get(row, col), this.formats.get(row, col), this.parent.timeZone, this.parent.locale);
  }

  /** Data validation of a cell, or null. */
  dataValidation(row: number, col: number): ValidationData | null {
    return this.validations.get(row, col) ?? null;
  }

  /** A recorded style of a cell (e.g. `style('fontWeight', 1, 1)`), undefined if never set. */
  style(prop: StyleProp, row: number, col: number): unknown {
    return this.styles.get(prop)?.get(row, col);
  }

  /** A note of a cell, `''` if none. */
  note(row: number, col: number): string {
    return this.notes.get(row, col) ?? '';
  }

  /** Column width in pixels (100 by default). */
  columnWidth(col: number): number {
    return this.columnWidths[col - 1] ?? 100;
  }

  /** Host-side: conditional format rules with their ranges in A1 notation. */
  get conditionalFormatRules(): (ConditionalRuleData & { a1: string[] })[] {
    return this.conditionalRules.map((r) => ({ ...r, a1: r.ranges.map((x) => a1Notation(x)) }));
  }

  /** Host-side: the embedded charts with their ranges in A1 notation (`Sheet!A1:B2` when on another sheet). */
  get chartList(): (ChartData & { a1: string[] })[] {
    return this.charts.map((c) => ({ ...c, a1: c.ranges.map((x) => (x.sheet === this ? '' : `${x.sheet.name}!`) + a1Notation(x)) }));
  }

  styleLayer(prop: StyleProp): Layer<unknown> {
    let l = this.styles.get(prop);
    if (!l) this.styles.set(prop, (l = new Layer<unknown>()));
    return l;
  }

  /** Every layer that behaves like formatting (copied into inserted rows/columns). */
  private formatLayers(): Layer<unknown>[] {
    return [this.formats, this.validations, ...this.styles.values()] as Layer<unknown>[];
  }

  private contentLayers(): Layer<unknown>[] {
    return [this.cells, this.formulaCells, this.notes] as Layer<unknown>[];
  }

  /**
   * Host-side seeding: writes raw values (no typed-input parsing; host or any-realm Dates become date
   * cells; `''`/null empty) from `startRow` (default 1), column 1, growing the grid as needed. Fast.
   */
  seed(rows: unknown[][], startRow = 1): void {
    const width = rows.reduce((m, r) => Math.max(m, r.length), 0);
    this.ensureSize(startRow + rows.length - 1, width);
    const target = this.cells.rows;
    if (target.length < startRow - 1) target.length = startRow - 1;
    for (let i = 0; i < rows.length; i++) {
      const src = rows[i];
      const line: Cell[] = new Array(src.length);
      for (let c = 0; c < src.length; c++) {
        const v = src[c];
        line[c] = (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? (v === '' ? undefined : v) : isDate(v) ? new CellDate(v.getTime()) : rawToCell(v)) as Cell;
      }
      target[startRow - 1 + i] = line;
      this.formulaCells.rows[startRow - 1 + i] = undefined;
    }
    this.touch();
  }

  /** Grows the grid to at least the given size (checking the spreadsheet cell limit). */
  ensureSize(rows: number, cols: number): void {
    const newRows = Math.max(this.maxRows, rows);
    const newCols = Math.max(this.maxColumns, cols);
    if (newRows === this.maxRows && newCols === this.maxColumns) return;
    this.parent.checkCells(newRows * newCols - this.maxRows * this.maxColumns);
    this.maxRows = newRows;
    this.maxColumns = newCols;
  }

  /** Inserts `n` rows starting at `at`, copying the formatting of row `formatFrom` (pre-insert index). */
  insertRows(at: number, n: number, formatFrom?: number): void {
    this.parent.checkCells(n * this.maxColumns);
    for (const l of this.contentLayers()) l.insertRows(at, n);
    for (const l of this.formatLayers()) l.insertRows(at, n, formatFrom);
    this.maxRows += n;
    if (this.filter) shiftFilter(this.filter, at, n);
    this.touch();
  }

  deleteRows(start: number, n: number): void {
    for (const l of [...this.contentLayers(), ...this.formatLayers()]) l.deleteRows(start, n);
    this.maxRows -= n;
    if (this.filter) shiftFilter(this.filter, start, -n);
    this.touch();
  }

  /**
   * Host-side sort of a rectangle's rows by its columns, as Range.sort does: every layer of the
   * rectangle's columns moves with its row; empty cells go last whichever the direction; numbers
   * and dates before text (compared without case), text before booleans. Stable.
   */
  sortRows(rect: Rect, specs: readonly { column: number; ascending: boolean }[]): void {
    const rows = Array.from({ length: rect.numRows }, (_, i) => rect.row + i);
    const rank = (v: Cell | undefined): number => (v === undefined ? 3 : typeof v === 'number' || v instanceof CellDate ? 0 : typeof v === 'string' ? 1 : 2);
    const key = (v: Cell | undefined): number | string | boolean | undefined => (v instanceof CellDate ? v.ms : typeof v === 'string' ? v.toLocaleLowerCase('fr') : v);
    rows.sort((a, b) => {
      for (const { column, ascending } of specs) {
        const va = this.cells.get(a, column);
        const vb = this.cells.get(b, column);
        const ra = rank(va);
        const rb = rank(vb);
        if (ra === 3 || rb === 3) {
          if (ra !== rb) return ra === 3 ? 1 : -1;
          continue;
        }
        let d = ra - rb;
        if (d === 0) {
          const ka = key(va)!;
          const kb = key(vb)!;
          d = typeof ka === 'string' ? ka.localeCompare(kb as string, 'fr') : ka < kb ? -1 : ka > kb ? 1 : 0;
        }
        if (d !== 0) return ascending ? d : -d;
      }
      return a - b;
    });
    for (const l of [...this.contentLayers(), ...this.formatLayers()]) l.permuteRows(rect.row, rows, rect.col, rect.numCols);
    this.touch();
  }

  insertColumns(at: number, n: number, formatFrom?: number): void {
    this.parent.checkCells(n * this.maxRows);
    for (const l of this.contentLayers()) l.insertCols(at, n);
    for (const l of this.formatLayers()) l.insertCols(at, n, formatFrom);
    if (this.columnWidths.length >= at - 1) {
      const w = formatFrom !== undefined ? this.columnWidths[formatFrom - 1] : undefined;
      this.columnWidths.splice(at - 1, 0, ...new Array<number | undefined>(n).fill(w));
    }
    this.maxColumns += n;
    this.touch();
  }

  deleteColumns(start: number, n: number): void {
    for (const l of [...this.contentLayers(), ...this.formatLayers()]) l.deleteCols(start, n);
    this.columnWidths.splice(start - 1, n);
    this.maxColumns -= n;
    this.touch();
  }

  /**
   * Writes one value received from the script (typed-input parsing for strings, per the cell's format).
   * Sheets gives a date an automatic date format when the cell has none. Check values with `rawToCell`
   * first when a multi-cell write must be all-or-nothing.
   */
  writeValue(r: number, c: number, v: unknown): void {
    const fmt = this.formats.get(r, c);
    if (typeof v === 'string') {
      const typed = parseTyped(v, fmt === '@', this.parent.timeZone, this.parent.plainTextApostrophe === 'keep');
      this.cells.set(r, c, typed.value);
      this.formulaCells.set(r, c, typed.formula);
      if (typed.autoFormat && fmt === undefined) this.formats.set(r, c, typed.autoFormat);
    } else {
      const cell = rawToCell(v);
      this.cells.set(r, c, cell);
      this.formulaCells.set(r, c, undefined);
      if (cell instanceof CellDate && fmt === undefined) this.formats.set(r, c, DEFAULT_DATETIME_FORMAT);
    }
    this.touch();
  }

  /** Sets a formula (value not computed: reads back as `''`). */
  writeFormula(r: number, c: number, f: string): void {
    if (f === '' || f === null || f === undefined) {
      this.formulaCells.set(r, c, undefined);
      this.cells.set(r, c, undefined);
      return;
    }
    this.writeValue(r, c, String(f));
  }

  clone(parent: SpreadsheetData): SheetData {
    const s = new SheetData(parent, this.name, this.sheetId, this.maxRows, this.maxColumns);
    s.cells = this.cells.clone();
    s.formulaCells = this.formulaCells.clone();
    s.formats = this.formats.clone();
    s.validations = this.validations.clone();
    s.notes = this.notes.clone();
    for (const [k, l] of this.styles) s.styles.set(k, l.clone());
    s.columnWidths = this.columnWidths.slice();
    s.hiddenColumns = new Set(this.hiddenColumns);
    s.frozenRows = this.frozenRows;
    s.frozenColumns = this.frozenColumns;
    s.hidden = this.hidden;
    s.tabColor = this.tabColor;
    s.filter = this.filter ? { range: { ...this.filter.range }, criteria: new Map(this.filter.criteria), hidden: new Set(this.filter.hidden) } : null;
    return s;
  }
}

/** Moves a filter's range and hidden rows after `n` rows were inserted at `at` (or `-n` deleted from `at`). */
function shiftFilter(f: FilterData, at: number, n: number): void {
  const r = f.range;
  const last = r.row + r.numRows - 1;
  if (n > 0) {
    if (at <= r.row) r.row += n;
    else if (at <= last) r.numRows += n;
  } else {
    const end = at - n - 1; // last deleted row
    const overlap = Math.max(0, Math.min(end, last) - Math.max(at, r.row) + 1);
    if (at < r.row) r.row = Math.max(at, r.row + n + overlap);
    r.numRows = Math.max(1, r.numRows - overlap);
  }
  const hidden = new Set<number>();
  for (const h of f.hidden) {
    if (h < at) hidden.add(h);
    else if (n > 0) hidden.add(h + n);
    else if (h > at - n - 1) hidden.add(h + n);
  }
  f.hidden = hidden;
}

/** One spreadsheet file. */
export class SpreadsheetData {
  sheets: SheetData[] = [];
  activeSheet: SheetData | undefined;
  private nextSheetId = 0;
  private nextChartId = 0;
  /** What a plain-text cell does with a leading apostrophe (a platform switch, see emulator/switches.ts). */
  plainTextApostrophe: 'strip' | 'keep' = 'strip';

  constructor(
    readonly id: string,
    public name: string,
    public timeZone: string,
    public locale: string,
  ) {}

  /** Default sheet name prefix of the locale (`Feuille` in French, `Sheet` otherwise). */
  get sheetPrefix(): string {
    return this.locale.startsWith('fr') ? 'Feuille' : 'Sheet';
  }

  /** Names of the sheets, in tab order. */
  sheetNames(): string[] {
    return this.sheets.map((s) => s.name);
  }

  /** Host-side: a sheet by name; throws if there is none (tests read it directly). */
  sheet(name: string): SheetData {
    const s = this.findSheet(name);
    if (!s) throw new Error(`no sheet named ${JSON.stringify(name)} (sheets: ${this.sheetNames().join(', ')})`);
    return s;
  }

  /** A sheet by name, or undefined. */
  findSheet(name: string): SheetData | undefined {
    return this.sheets.find((s) => s.name === name);
  }

  /** Grid cells of all sheets. */
  totalCells(): number {
    return this.sheets.reduce((n, s) => n + s.maxRows * s.maxColumns, 0);
  }

  /** Throws if adding `delta` grid cells would pass the 10,000,000-cell limit. */
  checkCells(delta: number): void {
    if (delta > 0 && this.totalCells() + delta > MAX_CELLS) {
      throw new ModelError(`This action would increase the number of cells in the workbook above the limit of ${MAX_CELLS} cells.`);
    }
  }

  /** Adds a sheet (`index` 0-based, default last). */
  addSheet(name: string | undefined, index?: number, rows = 1000, cols = 26): SheetData {
    if (name !== undefined && this.findSheet(name)) {
      throw new ModelError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    let sheetName = name;
    for (let n = 1; sheetName === undefined; n++) if (!this.findSheet(`${this.sheetPrefix} ${n}`)) sheetName = `${this.sheetPrefix} ${n}`;
    this.checkCells(rows * cols);
    const sheet = new SheetData(this, sheetName, this.nextSheetId === 0 ? 0 : 100000 + this.nextSheetId * 7919, rows, cols);
    this.nextSheetId++;
    const at = index === undefined ? this.sheets.length : Math.max(0, Math.min(index, this.sheets.length));
    this.sheets.splice(at, 0, sheet);
    return sheet;
  }

  /** A new chart id, unique in this spreadsheet (deterministic, like the sheet ids). */
  newChartId(): number {
    this.nextChartId++;
    return 1_000_000 + this.nextChartId * 7919;
  }

  /** Host-side, when charts are restored from a file: later chart ids never reuse `id`. */
  reserveChartId(id: number): void {
    this.nextChartId = Math.max(this.nextChartId, Math.ceil((id - 1_000_000) / 7919));
  }

  clone(id: string, name: string): SpreadsheetData {
    const c = new SpreadsheetData(id, name, this.timeZone, this.locale);
    c.plainTextApostrophe = this.plainTextApostrophe;
    c.sheets = this.sheets.map((s) => s.clone(c));
    c.nextSheetId = this.nextSheetId;
    c.nextChartId = this.nextChartId;
    const activeIndex = this.activeSheet ? this.sheets.indexOf(this.activeSheet) : 0;
    c.activeSheet = c.sheets[Math.max(0, activeIndex)];
    // Conditional rules refer to ranges of the copied sheets.
    this.sheets.forEach((s, i) => {
      c.sheets[i].conditionalRules = s.conditionalRules.map((rule) => ({
        ...rule,
        ranges: rule.ranges.map((ref) => ({ ...ref, sheet: c.sheets[this.sheets.indexOf(ref.sheet)] ?? ref.sheet })),
      }));
      // So do the charts' ranges.
      c.sheets[i].charts = s.charts.map((chart) => ({
        ...chart,
        ranges: chart.ranges.map((ref) => ({ ...ref, sheet: c.sheets[this.sheets.indexOf(ref.sheet)] ?? ref.sheet })),
      }));
    });
    return c;
  }
}
