/**
 * The script-visible objects of the Sheets fake for one execution: SpreadsheetApp, Spreadsheet,
 * Sheet, Range and TextFinder. Each wraps stored data (model.ts) and is exposed through `strict`,
 * so every call is counted and anything not implemented here throws `not implemented`.
 */

import { Execution, strict } from '../core';
import { Ctx, expose, fail, implOf, int, realmArray, toScript, translateErrors } from './ctx';
import { Layer, RangeRef, SheetData, SpreadsheetData, STYLE_PROPS, StyleProp, ValidationData } from './model';
import {
  checkboxValidation, conditionalRuleData, makeConditionalRule, makeDataValidation, newConditionalFormatRuleBuilder,
  newDataValidationBuilder, spreadsheetEnums, validationData,
} from './rules';
import type { SpreadsheetStore } from './store';
import { makeUi } from './ui';
import { getCharts, insertChart, newChart, removeChart, updateChart } from './charts';
import { applyFilter, createFilterData, makeFilter, newFilterCriteriaBuilder, sortSpecs } from './filter';
import { Cell, CellDate, Rect, a1Notation, isValidTimeZone, parseA1, rawToCell } from './values';

type Range = GoogleAppsScript.Spreadsheet.Range;

// ---- helpers ----------------------------------------------------------------------------------

/** Validates a rectangle against the grid, with the messages Apps Script uses. */
function checkRect(sheet: SheetData, row: number, col: number, numRows: number, numCols: number): void {
  if (row < 1) fail('The starting row of the range is too small.');
  if (col < 1) fail('The starting column of the range is too small.');
  if (numRows < 1) fail('The number of rows in the range must be at least 1.');
  if (numCols < 1) fail('The number of columns in the range must be at least 1.');
  if (row + numRows - 1 > sheet.maxRows || col + numCols - 1 > sheet.maxColumns) {
    fail('The coordinates of the range are outside the dimensions of the sheet.');
  }
}

/** Checks that `data` is a 2D array of the range's shape. */
function checkShape(data: unknown, numRows: number, numCols: number, method: string): unknown[][] {
  if (!Array.isArray(data) || data.some((r) => !Array.isArray(r))) {
    fail(`The parameters (${Array.isArray(data) ? 'Object[]' : typeof data}) don't match the method signature for SpreadsheetApp.Range.${method}.`);
  }
  const rows = data as unknown[][];
  if (rows.length !== numRows) {
    fail(`The number of rows in the data does not match the number of rows in the range. The data has ${rows.length} but the range has ${numRows}.`);
  }
  for (const r of rows) {
    if (r.length !== numCols) {
      fail(`The number of columns in the data does not match the number of columns in the range. The data has ${r.length} but the range has ${numCols}.`);
    }
  }
  return rows;
}

function makeRange(ctx: Ctx, sheet: SheetData, row: number, col: number, numRows: number, numCols: number): Range {
  return expose(ctx, 'Sheets', 'Range', new RangeImpl(ctx, sheet, row, col, numRows, numCols));
}

function makeSheet(ctx: Ctx, sheet: SheetData): GoogleAppsScript.Spreadsheet.Sheet {
  return expose(ctx, 'Sheets', 'Sheet', new SheetImpl(ctx, sheet));
}

function makeSpreadsheet(ctx: Ctx, ss: SpreadsheetData): GoogleAppsScript.Spreadsheet.Spreadsheet {
  return expose(ctx, 'Sheets', 'Spreadsheet', new SpreadsheetImpl(ctx, ss));
}

/** A Drive user as `Spreadsheet.getOwner()` / `getEditors()` return them. */
function driveUser(ctx: Ctx, email: string): unknown {
  return strict(ctx.exec, 'Sheets', 'User', { getEmail: () => email, getName: () => email.split('@')[0], getDomain: () => email.split('@')[1] ?? '', toString: () => email });
}

function sheetOf(v: unknown, method: string): SheetData {
  const impl = implOf(v, SheetImpl);
  if (!impl) fail(`The parameters (${typeof v}) don't match the method signature for ${method}.`);
  return impl!._sheet;
}

const STYLE_DEFAULTS: Record<StyleProp, unknown> = {
  fontWeight: 'normal', fontStyle: 'normal', fontSize: 10, fontFamily: 'Arial', fontColor: '#000000', fontLine: 'none',
  background: '#ffffff', horizontalAlignment: 'general', verticalAlignment: 'bottom', wrap: true, wrapStrategy: 'OVERFLOW',
};

// ---- Range ------------------------------------------------------------------------------------

export class RangeImpl {
  _self!: Range;
  constructor(
    public _ctx: Ctx,
    public _sheet: SheetData,
    public _row: number,
    public _col: number,
    public _numRows: number,
    public _numCols: number,
  ) {}

  get _rect(): Rect {
    return { row: this._row, col: this._col, numRows: this._numRows, numCols: this._numCols };
  }

  /** Builds a 2D realm array by calling `cell(r, c)` for each cell. */
  _grid<T>(cell: (r: number, c: number) => T): T[][] {
    const A = this._ctx.exec.realm.Array;
    const out = new A(this._numRows) as T[][];
    for (let i = 0; i < this._numRows; i++) {
      const line = new A(this._numCols) as T[];
      for (let j = 0; j < this._numCols; j++) line[j] = cell(this._row + i, this._col + j);
      out[i] = line;
    }
    return out;
  }

  _forEach(fn: (r: number, c: number) => void): void {
    for (let r = this._row; r < this._row + this._numRows; r++) for (let c = this._col; c < this._col + this._numCols; c++) fn(r, c);
  }

  _setAll<T>(layer: Layer<T>, v: T | undefined): unknown {
    this._forEach((r, c) => layer.set(r, c, v));
    return this._self;
  }

  _setEach<T>(layer: Layer<T>, data: unknown, method: string, conv: (v: unknown) => T | undefined): unknown {
    const rows = checkShape(data, this._numRows, this._numCols, method);
    const converted = rows.map((line) => line.map(conv));
    this._forEach((r, c) => layer.set(r, c, converted[r - this._row][c - this._col]));
    return this._self;
  }

  // values
  getValues() {
    this._ctx.exec.calls.addCells('read', this._numRows * this._numCols);
    const rows = this._sheet.cells.rows;
    const realmDate = this._ctx.exec.realm.Date;
    const A = this._ctx.exec.realm.Array;
    const out = new A(this._numRows) as unknown[][];
    for (let i = 0; i < this._numRows; i++) {
      const src = rows[this._row - 1 + i];
      const line = new A(this._numCols) as unknown[];
      for (let j = 0; j < this._numCols; j++) {
        const v: Cell | undefined = src ? src[this._col - 1 + j] : undefined;
        line[j] = v === undefined ? '' : v instanceof CellDate ? new realmDate(v.ms) : v;
      }
      out[i] = line;
    }
    return out;
  }
  getValue() {
    this._ctx.exec.calls.addCells('read', 1);
    return toScript(this._ctx, this._sheet.cells.get(this._row, this._col));
  }
  setValues(values: unknown) {
    const rows = checkShape(values, this._numRows, this._numCols, 'setValues');
    for (const line of rows) for (const v of line) rawToCell(v); // all-or-nothing: reject bad input before writing
    this._ctx.exec.calls.addCells('written', this._numRows * this._numCols);
    for (let i = 0; i < this._numRows; i++) {
      const line = rows[i];
      for (let j = 0; j < this._numCols; j++) this._sheet.writeValue(this._row + i, this._col + j, line[j]);
    }
    return this._self;
  }
  setValue(value: unknown) {
    rawToCell(value);
    this._ctx.exec.calls.addCells('written', this._numRows * this._numCols);
    this._forEach((r, c) => this._sheet.writeValue(r, c, value));
    return this._self;
  }
  getDisplayValues() {
    this._ctx.exec.calls.addCells('read', this._numRows * this._numCols);
    return this._grid((r, c) => this._sheet.displayValue(r, c));
  }
  getDisplayValue() {
    return this._sheet.displayValue(this._row, this._col);
  }
  isBlank() {
    let blank = true;
    this._forEach((r, c) => {
      if (this._sheet.cells.get(r, c) !== undefined || this._sheet.formulaCells.get(r, c) !== undefined) blank = false;
    });
    return blank;
  }

  // formulas
  getFormulas() {
    return this._grid((r, c) => this._sheet.formulaCells.get(r, c) ?? '');
  }
  getFormula() {
    return this._sheet.formulaCells.get(this._row, this._col) ?? '';
  }
  setFormula(formula: string) {
    rawToCell(formula);
    this._forEach((r, c) => this._sheet.writeFormula(r, c, formula));
    return this._self;
  }
  setFormulas(formulas: unknown) {
    const rows = checkShape(formulas, this._numRows, this._numCols, 'setFormulas');
    for (const line of rows) for (const v of line) rawToCell(v);
    this._forEach((r, c) => this._sheet.writeFormula(r, c, rows[r - this._row][c - this._col] as string));
    return this._self;
  }

  // number formats ('0.###############' stands for "no format set", as Apps Script reports it)
  getNumberFormat() {
    return this._sheet.numberFormat(this._row, this._col);
  }
  getNumberFormats() {
    return this._grid((r, c) => this._sheet.numberFormat(r, c));
  }
  setNumberFormat(format: string) {
    return this._setAll(this._sheet.formats, String(format));
  }
  setNumberFormats(formats: unknown) {
    return this._setEach(this._sheet.formats, formats, 'setNumberFormats', (v) => String(v));
  }

  // clearing
  clearContent() {
    this._sheet.cells.clear(this._rect);
    this._sheet.formulaCells.clear(this._rect);
    this._sheet.touch();
    return this._self;
  }
  clearFormat() {
    this._sheet.formats.clear(this._rect);
    for (const l of this._sheet.styles.values()) l.clear(this._rect);
    return this._self;
  }
  clearDataValidations() {
    this._sheet.validations.clear(this._rect);
    return this._self;
  }
  clearNote() {
    this._sheet.notes.clear(this._rect);
    return this._self;
  }
  /** clear() clears everything; clear({contentsOnly, formatOnly, validationsOnly, commentsOnly}) selects. */
  clear(options?: { contentsOnly?: boolean; formatOnly?: boolean; validationsOnly?: boolean; commentsOnly?: boolean }) {
    const o = options ?? {};
    const all = !o.contentsOnly && !o.formatOnly && !o.validationsOnly && !o.commentsOnly;
    if (all || o.contentsOnly) this.clearContent();
    if (all || o.formatOnly) this.clearFormat();
    if (all || o.validationsOnly) this.clearDataValidations();
    if (all || o.commentsOnly) this.clearNote();
    return this._self;
  }

  // geometry
  getRow() { return this._row; }
  getColumn() { return this._col; }
  getLastRow() { return this._row + this._numRows - 1; }
  getLastColumn() { return this._col + this._numCols - 1; }
  getNumRows() { return this._numRows; }
  getNumColumns() { return this._numCols; }
  getHeight() { return this._numRows; }
  getWidth() { return this._numCols; }
  getA1Notation() { return a1Notation(this._rect); }
  getSheet() { return makeSheet(this._ctx, this._sheet); }
  getGridId() { return this._sheet.sheetId; }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number) {
    const r = this._row + int(rowOffset, 'SpreadsheetApp.Range.offset');
    const c = this._col + int(columnOffset, 'SpreadsheetApp.Range.offset');
    const nr = numRows === undefined ? this._numRows : int(numRows, 'SpreadsheetApp.Range.offset');
    const nc = numColumns === undefined ? this._numCols : int(numColumns, 'SpreadsheetApp.Range.offset');
    checkRect(this._sheet, r, c, nr, nc);
    return makeRange(this._ctx, this._sheet, r, c, nr, nc);
  }
  getCell(row: number, column: number) {
    const r = int(row, 'SpreadsheetApp.Range.getCell');
    const c = int(column, 'SpreadsheetApp.Range.getCell');
    if (r < 1 || c < 1 || r > this._numRows || c > this._numCols) fail('The coordinates of the range are outside the dimensions of the sheet.');
    return makeRange(this._ctx, this._sheet, this._row + r - 1, this._col + c - 1, 1, 1);
  }
  createTextFinder(findText: string) {
    return makeTextFinder(this._ctx, this._sheet, this._rect, findText);
  }
  activate() {
    this._sheet.parent.activeSheet = this._sheet;
    return this._self;
  }

  // sort and the basic filter (filter.ts)
  /** sort(column), sort({column, ascending}) or an array of them: reorders the rows of this range. */
  sort(sortSpecObj: unknown) {
    this._sheet.sortRows(this._rect, sortSpecs(sortSpecObj, this._rect));
    if (this._sheet.filter) applyFilter(this._sheet, this._sheet.filter);
    return this._self;
  }
  createFilter() {
    createFilterData(this._sheet, this._rect);
    return makeFilter(this._ctx, this._sheet);
  }
  getFilter() { return makeFilter(this._ctx, this._sheet); }

  // notes
  setNote(note: string | null) {
    return this._setAll(this._sheet.notes, note === null || note === '' ? undefined : String(note));
  }
  setNotes(notes: unknown) {
    return this._setEach(this._sheet.notes, notes, 'setNotes', (v) => (v === null || v === '' ? undefined : String(v)));
  }
  getNote() {
    return this._sheet.note(this._row, this._col);
  }
  getNotes() {
    return this._grid((r, c) => this._sheet.note(r, c));
  }

  // data validation
  setDataValidation(rule: unknown) {
    return this._setAll(this._sheet.validations, validationData(rule) ?? undefined);
  }
  setDataValidations(rules: unknown) {
    return this._setEach(this._sheet.validations, rules, 'setDataValidations', (v) => validationData(v) ?? undefined);
  }
  getDataValidation() {
    const v = this._sheet.validations.get(this._row, this._col);
    return v ? makeDataValidation(this._ctx, v) : null;
  }
  getDataValidations() {
    return this._grid((r, c) => {
      const v = this._sheet.validations.get(r, c);
      return v ? makeDataValidation(this._ctx, v) : null;
    });
  }
  /** Sets a checkbox rule; empty cells get the unchecked value (FALSE), other values are kept. */
  insertCheckboxes(checkedValue?: unknown, uncheckedValue?: unknown) {
    if (checkedValue !== undefined) rawToCell(checkedValue);
    if (uncheckedValue !== undefined) rawToCell(uncheckedValue);
    const rule = checkboxValidation(checkedValue === undefined ? undefined : rawToCell(checkedValue), uncheckedValue === undefined ? undefined : rawToCell(uncheckedValue));
    const unchecked = uncheckedValue === undefined ? (checkedValue === undefined ? false : undefined) : rawToCell(uncheckedValue);
    this._forEach((r, c) => {
      this._sheet.validations.set(r, c, rule);
      if (unchecked !== undefined && this._sheet.cells.get(r, c) === undefined && this._sheet.formulaCells.get(r, c) === undefined) {
        this._sheet.cells.set(r, c, unchecked);
      }
    });
    this._sheet.touch();
    return this._self;
  }
  /** Removes checkbox rules, and clears cells holding the checked/unchecked value (as Apps Script does). */
  removeCheckboxes() {
    this._forEach((r, c) => {
      const rule = this._sheet.validations.get(r, c);
      if (rule?.criteriaType !== 'CHECKBOX') return;
      this._sheet.validations.set(r, c, undefined);
      const states = rule.criteriaValues.length ? rule.criteriaValues : [true, false];
      const v = this._sheet.cells.get(r, c);
      if (states.includes(v as Cell)) this._sheet.cells.set(r, c, undefined);
    });
    this._sheet.touch();
    return this._self;
  }
  /** true if all cells are checked checkboxes, false if all unchecked, null otherwise. */
  isChecked() {
    let checked = 0;
    let unchecked = 0;
    this._forEach((r, c) => {
      const rule: ValidationData | undefined = this._sheet.validations.get(r, c);
      if (rule?.criteriaType !== 'CHECKBOX') return;
      const on = rule.criteriaValues.length ? rule.criteriaValues[0] : true;
      if (this._sheet.cells.get(r, c) === on) checked++;
      else unchecked++;
    });
    const n = this._numRows * this._numCols;
    return checked === n ? true : unchecked === n ? false : null;
  }
}

// Range.setFontWeight / setFontWeights / getFontWeight / getFontWeights and the other styles: they only
// record what was set (inspect with SheetData.style), since nothing is rendered.
const STYLE_METHODS: Record<StyleProp, [string, string, string?, string?]> = {
  fontWeight: ['setFontWeight', 'setFontWeights', 'getFontWeight', 'getFontWeights'],
  fontStyle: ['setFontStyle', 'setFontStyles', 'getFontStyle', 'getFontStyles'],
  fontSize: ['setFontSize', 'setFontSizes', 'getFontSize', 'getFontSizes'],
  fontFamily: ['setFontFamily', 'setFontFamilies', 'getFontFamily', 'getFontFamilies'],
  fontColor: ['setFontColor', 'setFontColors', 'getFontColor'],
  fontLine: ['setFontLine', 'setFontLines', 'getFontLine', 'getFontLines'],
  background: ['setBackground', 'setBackgrounds', 'getBackground', 'getBackgrounds'],
  horizontalAlignment: ['setHorizontalAlignment', 'setHorizontalAlignments', 'getHorizontalAlignment', 'getHorizontalAlignments'],
  verticalAlignment: ['setVerticalAlignment', 'setVerticalAlignments', 'getVerticalAlignment', 'getVerticalAlignments'],
  wrap: ['setWrap', 'setWraps', 'getWrap', 'getWraps'],
  wrapStrategy: ['setWrapStrategy', 'setWrapStrategies', 'getWrapStrategy', 'getWrapStrategies'],
};
for (const prop of STYLE_PROPS) {
  const [setOne, setMany, getOne, getMany] = STYLE_METHODS[prop];
  const proto = RangeImpl.prototype as unknown as Record<string, unknown>;
  const norm = (v: unknown) => (v === null ? undefined : v);
  proto[setOne] = function (this: RangeImpl, v: unknown) {
    return this._setAll(this._sheet.styleLayer(prop), norm(v));
  };
  proto[setMany] = function (this: RangeImpl, data: unknown) {
    return this._setEach(this._sheet.styleLayer(prop), data, setMany, norm);
  };
  if (getOne) {
    proto[getOne] = function (this: RangeImpl) {
      return this._sheet.style(prop, this._row, this._col) ?? STYLE_DEFAULTS[prop];
    };
  }
  if (getMany) {
    proto[getMany] = function (this: RangeImpl) {
      return this._grid((r, c) => this._sheet.style(prop, r, c) ?? STYLE_DEFAULTS[prop]);
    };
  }
}
translateErrors(RangeImpl);

// ---- TextFinder -------------------------------------------------------------------------------

const stripDiacritics = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

type FinderOption = '_matchCase' | '_entireCell' | '_regex' | '_formulaText' | '_ignoreDiacritics';

/** TextFinder's option setters, over `_opt`: one sheet's finder, or every sheet's (the spreadsheet's). */
abstract class TextFinderOptions {
  abstract _opt(key: FinderOption, v: unknown): unknown;
  matchCase(v: boolean) { return this._opt('_matchCase', v); }
  matchEntireCell(v: boolean) { return this._opt('_entireCell', v); }
  useRegularExpression(v: boolean) { return this._opt('_regex', v); }
  matchFormulaText(v: boolean) { return this._opt('_formulaText', v); }
  ignoreDiacritics(v: boolean) { return this._opt('_ignoreDiacritics', v); }
}

/**
 * Searches display values (or formulas with matchFormulaText) in row-major order. Cells are walked
 * lazily from the current position, so a findNext loop over a large sheet stays linear.
 */
export class TextFinderImpl extends TextFinderOptions {
  _self: unknown;
  _matchCase = false;
  _entireCell = false;
  _regex = false;
  _formulaText = false;
  _ignoreDiacritics = false;
  /** Index (row-major within the rect) of the current match or start position; -1 before the start. */
  _pos = -1;
  _current: number | undefined;
  constructor(public _ctx: Ctx, public _sheet: SheetData, public _rect: Rect, public _text: string) {
    super();
  }

  _opt(key: FinderOption, v: unknown) {
    this[key] = !!v;
    return this._self;
  }
  startFrom(range: unknown) {
    const ref = this._ctx.refOf(range, 'TextFinder.startFrom');
    this._pos = this._indexOf(ref.row, ref.col);
    this._current = undefined;
    return this._self;
  }

  _indexOf(r: number, c: number): number {
    const { row, col, numRows, numCols } = this._rect;
    const rr = Math.min(Math.max(r, row), row + numRows - 1);
    const cc = Math.min(Math.max(c, col), col + numCols - 1);
    return (rr - row) * numCols + (cc - col);
  }
  /** Number of indices worth scanning: rows beyond the sheet's last row hold nothing. */
  _limit(): number {
    const { row, numRows, numCols } = this._rect;
    const rows = Math.max(0, Math.min(row + numRows - 1, this._sheet.lastRow) - row + 1);
    return rows * numCols;
  }
  _cell(idx: number): [number, number] {
    const { row, col, numCols } = this._rect;
    return [row + Math.floor(idx / numCols), col + (idx % numCols)];
  }
  _pattern(): RegExp {
    let source = this._regex ? this._text : this._text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (this._ignoreDiacritics) source = stripDiacritics(source);
    if (this._entireCell) source = `^(?:${source})$`;
    try {
      return new RegExp(source, this._matchCase ? 'g' : 'gi');
    } catch {
      return fail(`Invalid regular expression: ${this._text}`);
    }
  }
  /** The text searched in a cell, and whether it is a formula. */
  _subject(r: number, c: number): [string, boolean] {
    const f = this._formulaText ? this._sheet.formulaCells.get(r, c) : undefined;
    const s = f ?? this._sheet.displayValue(r, c);
    return [this._ignoreDiacritics ? stripDiacritics(s) : s, f !== undefined];
  }
  _matches(idx: number, re: RegExp): boolean {
    const [r, c] = this._cell(idx);
    const [s] = this._subject(r, c);
    if (s === '') return false;
    re.lastIndex = 0;
    return re.test(s);
  }
  _found(idx: number): Range {
    this._pos = idx;
    this._current = idx;
    const [r, c] = this._cell(idx);
    return makeRange(this._ctx, this._sheet, r, c, 1, 1);
  }
  findNext() {
    const re = this._pattern();
    const limit = this._limit();
    for (let i = this._pos + 1; i < limit; i++) if (this._matches(i, re)) return this._found(i);
    return null;
  }
  findPrevious() {
    const re = this._pattern();
    const limit = this._limit();
    for (let i = this._pos < 0 ? limit - 1 : Math.min(this._pos - 1, limit - 1); i >= 0; i--) if (this._matches(i, re)) return this._found(i);
    return null;
  }
  findAll() {
    const re = this._pattern();
    const out: Range[] = [];
    const limit = this._limit();
    for (let i = 0; i < limit; i++) {
      if (!this._matches(i, re)) continue;
      const [r, c] = this._cell(i);
      out.push(makeRange(this._ctx, this._sheet, r, c, 1, 1));
    }
    return realmArray(this._ctx, out);
  }
  getCurrentMatch() {
    if (this._current === undefined) return null;
    const [r, c] = this._cell(this._current);
    return makeRange(this._ctx, this._sheet, r, c, 1, 1);
  }
  _replaceAt(idx: number, re: RegExp, replaceText: string): boolean {
    const [r, c] = this._cell(idx);
    const [s, isFormula] = this._subject(r, c);
    if (s === '') return false;
    re.lastIndex = 0;
    if (!re.test(s)) return false;
    re.lastIndex = 0;
    const next = this._regex ? s.replace(re, replaceText) : s.replace(re, () => replaceText);
    if (isFormula) this._sheet.writeFormula(r, c, next);
    else this._sheet.writeValue(r, c, next); // re-typed, as when replacing in the Sheets UI
    return true;
  }
  /** Replaces in every matching cell; returns the number of cells changed. */
  replaceAllWith(replaceText: string) {
    const re = this._pattern();
    const limit = this._limit();
    let n = 0;
    for (let i = 0; i < limit; i++) if (this._replaceAt(i, re, String(replaceText))) n++;
    return n;
  }
  replaceWith(replaceText: string) {
    if (this._current === undefined) return 0;
    return this._replaceAt(this._current, this._pattern(), String(replaceText)) ? 1 : 0;
  }
}
translateErrors(TextFinderImpl);

/**
 * Spreadsheet.createTextFinder: the same search over every sheet, in sheet order (Apps Script
 * documents it as searching the whole spreadsheet). findAll returns the cells of all sheets.
 */
export class SpreadsheetTextFinderImpl extends TextFinderOptions {
  _self: unknown;
  readonly _finders: TextFinderImpl[];
  constructor(public _ctx: Ctx, sheets: readonly SheetData[], text: string) {
    super();
    this._finders = sheets.map((s) => new TextFinderImpl(_ctx, s, { row: 1, col: 1, numRows: s.maxRows, numCols: s.maxColumns }, text));
  }
  _opt(key: FinderOption, v: unknown) {
    for (const f of this._finders) f[key] = !!v;
    return this._self;
  }
  findAll() {
    const out: unknown[] = [];
    for (const f of this._finders) out.push(...(f.findAll() as unknown as unknown[]));
    return realmArray(this._ctx, out);
  }
  findNext() {
    for (const f of this._finders) {
      const found = f.findNext();
      if (found) return found;
    }
    return null;
  }
}
translateErrors(SpreadsheetTextFinderImpl);

function makeTextFinder(ctx: Ctx, sheet: SheetData, rect: Rect, text: unknown): GoogleAppsScript.Spreadsheet.TextFinder {
  if (typeof text !== 'string' || text === '') fail('Invalid argument: findText');
  return expose(ctx, 'Sheets', 'TextFinder', new TextFinderImpl(ctx, sheet, rect, text as string));
}

// ---- Sheet ------------------------------------------------------------------------------------

export class SheetImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _sheet: SheetData) {}

  getName() { return this._sheet.name; }
  setName(name: string) {
    const n = String(name);
    if (n.trim() === '') fail('Sheet name cannot be empty.');
    if (n !== this._sheet.name && this._sheet.parent.findSheet(n)) fail(`A sheet with the name "${n}" already exists. Please enter another name.`);
    this._sheet.name = n;
    return this._self;
  }
  getSheetId() { return this._sheet.sheetId; }
  /** 1-based position of the tab. */
  getIndex() { return this._sheet.parent.sheets.indexOf(this._sheet) + 1; }
  getParent() { return makeSpreadsheet(this._ctx, this._sheet.parent); }

  getRange(a: unknown, col?: number, numRows?: number, numCols?: number) {
    if (typeof a === 'string') {
      const rect = parseA1(a, this._sheet.maxRows, this._sheet.maxColumns);
      if (!rect) fail('Range not found');
      let sheet = this._sheet;
      if (rect!.sheetName !== undefined) sheet = this._sheet.parent.findSheet(rect!.sheetName) ?? fail('Range not found');
      checkRect(sheet, rect!.row, rect!.col, rect!.numRows, rect!.numCols);
      return makeRange(this._ctx, sheet, rect!.row, rect!.col, rect!.numRows, rect!.numCols);
    }
    const m = 'SpreadsheetApp.Sheet.getRange';
    const r = int(a, m);
    const c = int(col, m);
    const nr = numRows === undefined ? 1 : int(numRows, m);
    const nc = numCols === undefined ? 1 : int(numCols, m);
    checkRect(this._sheet, r, c, nr, nc);
    return makeRange(this._ctx, this._sheet, r, c, nr, nc);
  }
  getDataRange() {
    return makeRange(this._ctx, this._sheet, 1, 1, Math.max(1, this._sheet.lastRow), Math.max(1, this._sheet.lastColumn));
  }
  getSheetValues(row: number, col: number, numRows: number, numCols: number) {
    const r = int(row, 'Sheet.getSheetValues');
    const c = int(col, 'Sheet.getSheetValues');
    // -1 means "to the last row/column with content", as in Apps Script.
    const nr = numRows === -1 ? this._sheet.lastRow - r + 1 : int(numRows, 'Sheet.getSheetValues');
    const nc = numCols === -1 ? this._sheet.lastColumn - c + 1 : int(numCols, 'Sheet.getSheetValues');
    checkRect(this._sheet, r, c, nr, nc);
    return new RangeImpl(this._ctx, this._sheet, r, c, nr, nc).getValues();
  }
  getLastRow() { return this._sheet.lastRow; }
  getLastColumn() { return this._sheet.lastColumn; }
  getMaxRows() { return this._sheet.maxRows; }
  getMaxColumns() { return this._sheet.maxColumns; }

  /** Writes after the last row with content; grows the grid by a row (inheriting the row above's formats) if full. */
  appendRow(rowContents: unknown[]) {
    if (!Array.isArray(rowContents)) fail("The parameters don't match the method signature for SpreadsheetApp.Sheet.appendRow.");
    for (const v of rowContents) rawToCell(v);
    const s = this._sheet;
    const target = s.lastRow + 1;
    if (target > s.maxRows) s.insertRows(target, 1, target - 1);
    if (rowContents.length > s.maxColumns) s.insertColumns(s.maxColumns + 1, rowContents.length - s.maxColumns, s.maxColumns);
    this._ctx.exec.calls.addCells('written', rowContents.length);
    rowContents.forEach((v, i) => s.writeValue(target, i + 1, v));
    return this._self;
  }

  _checkRowPos(pos: number, method: string): number {
    const p = int(pos, `SpreadsheetApp.Sheet.${method}`);
    if (p < 1 || p > this._sheet.maxRows) fail('Those rows are out of bounds.');
    return p;
  }
  _checkColPos(pos: number, method: string): number {
    const p = int(pos, `SpreadsheetApp.Sheet.${method}`);
    if (p < 1 || p > this._sheet.maxColumns) fail('Those columns are out of bounds.');
    return p;
  }
  _count(n: unknown, method: string): number {
    const v = n === undefined ? 1 : int(n, `SpreadsheetApp.Sheet.${method}`);
    if (v < 1) fail(`The number of rows or columns to insert or delete must be at least 1.`);
    return v;
  }
  insertRowsAfter(afterPosition: number, howMany: number) {
    const p = this._checkRowPos(afterPosition, 'insertRowsAfter');
    this._sheet.insertRows(p + 1, this._count(howMany, 'insertRowsAfter'), p);
    return this._self;
  }
  insertRowAfter(afterPosition: number) { return this.insertRowsAfter(afterPosition, 1); }
  /** New rows take the formats of the row above them (of the row below when inserting at the top). */
  insertRowsBefore(beforePosition: number, howMany: number) {
    const p = this._checkRowPos(beforePosition, 'insertRowsBefore');
    this._sheet.insertRows(p, this._count(howMany, 'insertRowsBefore'), p > 1 ? p - 1 : p);
    return this._self;
  }
  insertRowBefore(beforePosition: number) { return this.insertRowsBefore(beforePosition, 1); }
  insertRows(rowIndex: number, numRows?: number) { return this.insertRowsBefore(rowIndex, numRows ?? 1); }
  deleteRows(rowPosition: number, howMany: number) {
    const p = this._checkRowPos(rowPosition, 'deleteRows');
    const n = this._count(howMany, 'deleteRows');
    if (p + n - 1 > this._sheet.maxRows) fail('Those rows are out of bounds.');
    if (n >= this._sheet.maxRows) fail("You can't delete all the rows on the sheet.");
    this._sheet.deleteRows(p, n);
  }
  deleteRow(rowPosition: number) {
    this.deleteRows(rowPosition, 1);
    return this._self;
  }
  insertColumnsAfter(afterPosition: number, howMany: number) {
    const p = this._checkColPos(afterPosition, 'insertColumnsAfter');
    this._sheet.insertColumns(p + 1, this._count(howMany, 'insertColumnsAfter'), p);
    return this._self;
  }
  insertColumnAfter(afterPosition: number) { return this.insertColumnsAfter(afterPosition, 1); }
  insertColumnsBefore(beforePosition: number, howMany: number) {
    const p = this._checkColPos(beforePosition, 'insertColumnsBefore');
    this._sheet.insertColumns(p, this._count(howMany, 'insertColumnsBefore'), p > 1 ? p - 1 : p);
    return this._self;
  }
  insertColumnBefore(beforePosition: number) { return this.insertColumnsBefore(beforePosition, 1); }
  insertColumns(columnIndex: number, numColumns?: number) { return this.insertColumnsBefore(columnIndex, numColumns ?? 1); }
  deleteColumns(columnPosition: number, howMany: number) {
    const p = this._checkColPos(columnPosition, 'deleteColumns');
    const n = this._count(howMany, 'deleteColumns');
    if (p + n - 1 > this._sheet.maxColumns) fail('Those columns are out of bounds.');
    if (n >= this._sheet.maxColumns) fail("You can't delete all the columns on the sheet.");
    this._sheet.deleteColumns(p, n);
  }
  deleteColumn(columnPosition: number) {
    this.deleteColumns(columnPosition, 1);
    return this._self;
  }

  setFrozenRows(rows: number) {
    const n = int(rows, 'SpreadsheetApp.Sheet.setFrozenRows');
    if (n < 0 || n > this._sheet.maxRows) fail('Those rows are out of bounds.');
    this._sheet.frozenRows = n;
  }
  getFrozenRows() { return this._sheet.frozenRows; }
  setFrozenColumns(columns: number) {
    const n = int(columns, 'SpreadsheetApp.Sheet.setFrozenColumns');
    if (n < 0 || n > this._sheet.maxColumns) fail('Those columns are out of bounds.');
    this._sheet.frozenColumns = n;
  }
  getFrozenColumns() { return this._sheet.frozenColumns; }

  getFilter() { return makeFilter(this._ctx, this._sheet); }
  /** Sorts the rows below the frozen rows by a column. */
  sort(columnPosition: number, ascending?: boolean) {
    const col = this._checkColPos(columnPosition, 'sort');
    const s = this._sheet;
    const first = s.frozenRows + 1;
    if (s.lastRow >= first) s.sortRows({ row: first, col: 1, numRows: s.lastRow - first + 1, numCols: Math.max(s.lastColumn, col) }, [{ column: col, ascending: ascending !== false }]);
    if (s.filter) applyFilter(s, s.filter);
    return this._self;
  }
  isRowHiddenByFilter(rowPosition: number) {
    return this._sheet.filter?.hidden.has(this._checkRowPos(rowPosition, 'isRowHiddenByFilter')) ?? false;
  }

  createTextFinder(findText: string) {
    const s = this._sheet;
    return makeTextFinder(this._ctx, s, { row: 1, col: 1, numRows: s.maxRows, numCols: s.maxColumns }, findText);
  }
  /** clear() clears contents and formats; clear(options) as Range.clear(options). */
  clear(options?: object) {
    const s = this._sheet;
    const range = new RangeImpl(this._ctx, s, 1, 1, s.maxRows, s.maxColumns);
    range._self = this._self as Range;
    range.clear(options ?? { contentsOnly: true, formatOnly: true });
    return this._self;
  }
  clearContents() {
    this._sheet.cells = new Layer();
    this._sheet.formulaCells = new Layer();
    this._sheet.touch();
    return this._self;
  }
  clearFormats() {
    this._sheet.formats = new Layer();
    this._sheet.styles.clear();
    return this._self;
  }
  clearNotes() {
    this._sheet.notes = new Layer();
    return this._self;
  }

  setColumnWidth(columnPosition: number, width: number) {
    const c = this._checkColPos(columnPosition, 'setColumnWidth');
    this._sheet.columnWidths[c - 1] = int(width, 'SpreadsheetApp.Sheet.setColumnWidth');
    return this._self;
  }
  setColumnWidths(startColumn: number, numColumns: number, width: number) {
    const c = this._checkColPos(startColumn, 'setColumnWidths');
    const n = this._count(numColumns, 'setColumnWidths');
    const w = int(width, 'SpreadsheetApp.Sheet.setColumnWidths');
    for (let i = 0; i < n; i++) this._sheet.columnWidths[c - 1 + i] = w;
    return this._self;
  }
  getColumnWidth(columnPosition: number) {
    return this._sheet.columnWidth(this._checkColPos(columnPosition, 'getColumnWidth'));
  }
  /** Recorded only (inspect `autoResizedColumns`): there is no rendering to measure. */
  autoResizeColumns(startColumn: number, numColumns: number) {
    const c = this._checkColPos(startColumn, 'autoResizeColumns');
    const n = this._count(numColumns, 'autoResizeColumns');
    for (let i = 0; i < n; i++) this._sheet.autoResizedColumns.add(c + i);
    return this._self;
  }
  autoResizeColumn(columnPosition: number) { return this.autoResizeColumns(columnPosition, 1); }
  hideColumns(columnIndex: number, numColumns?: number) {
    const c = this._checkColPos(columnIndex, 'hideColumns');
    const n = this._count(numColumns, 'hideColumns');
    for (let i = 0; i < n; i++) this._sheet.hiddenColumns.add(c + i);
  }
  showColumns(columnIndex: number, numColumns?: number) {
    const c = this._checkColPos(columnIndex, 'showColumns');
    const n = this._count(numColumns, 'showColumns');
    for (let i = 0; i < n; i++) this._sheet.hiddenColumns.delete(c + i);
  }
  isColumnHiddenByUser(columnPosition: number) {
    return this._sheet.hiddenColumns.has(this._checkColPos(columnPosition, 'isColumnHiddenByUser'));
  }
  setTabColor(color: string | null) {
    this._sheet.tabColor = color === null ? null : String(color);
    return this._self;
  }
  getTabColor() { return this._sheet.tabColor; }
  activate() {
    this._sheet.parent.activeSheet = this._sheet;
    return this._self;
  }
  isSheetHidden() { return this._sheet.hidden; }
  hideSheet() {
    if (this._sheet.parent.sheets.filter((s) => !s.hidden && s !== this._sheet).length === 0) fail("You can't hide all the sheets in a document.");
    this._sheet.hidden = true;
    return this._self;
  }
  showSheet() {
    this._sheet.hidden = false;
    return this._self;
  }
  getConditionalFormatRules() {
    return realmArray(this._ctx, this._sheet.conditionalRules.map((r) => makeConditionalRule(this._ctx, r)));
  }
  setConditionalFormatRules(rules: unknown[]) {
    if (!Array.isArray(rules)) fail("The parameters don't match the method signature for SpreadsheetApp.Sheet.setConditionalFormatRules.");
    this._sheet.conditionalRules = rules.map((r) => conditionalRuleData(r));
  }

  // embedded charts (charts.ts)
  newChart() { return newChart(this._ctx, this._sheet); }
  insertChart(chart: unknown) { insertChart(this._sheet, chart); }
  getCharts() { return getCharts(this._ctx, this._sheet); }
  updateChart(chart: unknown) { updateChart(this._sheet, chart); }
  removeChart(chart: unknown) { removeChart(this._sheet, chart); }
}
translateErrors(SheetImpl);

// ---- Spreadsheet ------------------------------------------------------------------------------

export class SpreadsheetImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _ss: SpreadsheetData) {}

  getId() { return this._ss.id; }
  getName() { return this._ss.name; }
  rename(newName: string) { this._ss.name = String(newName); }
  getUrl() { return `https://docs.google.com/spreadsheets/d/${this._ss.id}/edit`; }
  /** The Drive file's owner, or null (a shared drive); the store's sharing applies to every spreadsheet. */
  getOwner() {
    const owner = this._ctx.store.owner;
    return owner ? driveUser(this._ctx, owner) : null;
  }
  /**
   * The people it is shared with for editing. Whether Google lists the owner here is not documented:
   * the fake leaves the owner out, so that a script relying on it is caught (ask getOwner() too).
   */
  getEditors() {
    const store = this._ctx.store;
    return realmArray(this._ctx, store.editors.filter((e) => e !== store.owner).map((email) => driveUser(this._ctx, email)));
  }
  getSpreadsheetTimeZone() { return this._ss.timeZone; }
  setSpreadsheetTimeZone(timezone: string) {
    if (!isValidTimeZone(String(timezone))) fail(`Invalid argument: timezone`);
    this._ss.timeZone = String(timezone);
  }
  getSpreadsheetLocale() { return this._ss.locale; }
  setSpreadsheetLocale(locale: string) { this._ss.locale = String(locale); }
  getSheets() { return realmArray(this._ctx, this._ss.sheets.map((s) => makeSheet(this._ctx, s))); }
  getNumSheets() { return this._ss.sheets.length; }
  getSheetByName(name: string) {
    const s = this._ss.findSheet(String(name));
    return s ? makeSheet(this._ctx, s) : null;
  }
  getSheetById(id: number) {
    const s = this._ss.sheets.find((x) => x.sheetId === id);
    return s ? makeSheet(this._ctx, s) : null;
  }
  /** insertSheet(), (name), (index), (name, index): index is 0-based; the new sheet becomes active. */
  insertSheet(a?: unknown, b?: unknown) {
    let name: string | undefined;
    let index: number | undefined;
    if (typeof a === 'string') name = a;
    else if (typeof a === 'number') index = a;
    else if (a !== undefined) fail('not implemented: Spreadsheet.insertSheet(options)');
    if (typeof b === 'number') index = b;
    else if (b !== undefined) fail('not implemented: Spreadsheet.insertSheet(options)');
    const sheet = this._ss.addSheet(name, index);
    this._ss.activeSheet = sheet;
    return makeSheet(this._ctx, sheet);
  }
  deleteSheet(sheet: unknown) {
    const s = sheetOf(sheet, 'SpreadsheetApp.Spreadsheet.deleteSheet');
    const i = this._ss.sheets.indexOf(s);
    if (i < 0) fail('Sheet not found');
    if (this._ss.sheets.length === 1) fail("You can't remove all the sheets in a document.");
    this._ss.sheets.splice(i, 1);
    if (this._ss.activeSheet === s) this._ss.activeSheet = this._ss.sheets[Math.max(0, i - 1)];
  }
  getActiveSheet() { return makeSheet(this._ctx, this._ss.activeSheet ?? this._ss.sheets[0]); }
  /** Moves the active sheet to a 1-based position among the sheets (Google: "Moves the active sheet to the given position"). */
  moveActiveSheet(pos: unknown) {
    if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 1 || pos > this._ss.sheets.length) fail(`The parameter (${String(pos)}) is out of range.`);
    const s = this._ss.activeSheet ?? this._ss.sheets[0];
    const i = this._ss.sheets.indexOf(s);
    this._ss.sheets.splice(i, 1);
    this._ss.sheets.splice((pos as number) - 1, 0, s);
  }
  setActiveSheet(sheet: unknown) {
    const s = sheetOf(sheet, 'SpreadsheetApp.Spreadsheet.setActiveSheet');
    this._ss.activeSheet = s;
    return makeSheet(this._ctx, s);
  }
  /** Works in any kind of execution (a toast nobody sees is simply lost in real Sheets). */
  toast(msg: unknown, title?: unknown, timeoutSeconds?: number) {
    this._ctx.store.toasts.push({
      spreadsheetId: this._ss.id,
      message: String(msg),
      title: title === undefined || title === null ? '' : String(title),
      timeoutSeconds: timeoutSeconds ?? 5,
    });
  }
  copy(name: string) {
    return makeSpreadsheet(this._ctx, this._ctx.store.copy(this._ss, String(name)));
  }
  /** getRange('Sheet!A1:B2') or getRange('A1') on the active sheet. */
  getRange(a1: string) {
    const sheet = new SheetImpl(this._ctx, this._ss.activeSheet ?? this._ss.sheets[0]);
    return sheet.getRange(String(a1));
  }
  /** A TextFinder over every sheet of the spreadsheet (one call for findAll, whatever the sheets). */
  createTextFinder(findText: string) {
    if (typeof findText !== 'string' || findText === '') fail('Invalid argument: findText');
    return expose(this._ctx, 'Sheets', 'TextFinder', new SpreadsheetTextFinderImpl(this._ctx, this._ss.sheets, findText));
  }
}
translateErrors(SpreadsheetImpl);

// ---- SpreadsheetApp ---------------------------------------------------------------------------

export class SpreadsheetAppImpl {
  _self: unknown;
  DataValidationCriteria: Record<string, string>;
  BooleanCriteria: Record<string, string>;
  WrapStrategy: Record<string, string>;
  BorderStyle: Record<string, string>;
  constructor(public _ctx: Ctx) {
    const e = spreadsheetEnums(_ctx);
    this.DataValidationCriteria = e.DataValidationCriteria;
    this.BooleanCriteria = e.BooleanCriteria;
    this.WrapStrategy = e.WrapStrategy;
    this.BorderStyle = e.BorderStyle;
  }
  getActiveSpreadsheet() { return makeSpreadsheet(this._ctx, this._ctx.store.active); }
  getActive() { return makeSpreadsheet(this._ctx, this._ctx.store.active); }
  getActiveSheet() {
    const ss = this._ctx.store.active;
    return makeSheet(this._ctx, ss.activeSheet ?? ss.sheets[0]);
  }
  openById(id: string) {
    const ss = this._ctx.store.get(String(id));
    if (!ss) fail('Unexpected error while getting the method or property openById on object SpreadsheetApp.');
    return makeSpreadsheet(this._ctx, ss!);
  }
  openByUrl(url: string) {
    const m = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(String(url));
    const ss = m ? this._ctx.store.get(m[1]) : undefined;
    if (!ss) fail('Invalid argument: url');
    return makeSpreadsheet(this._ctx, ss!);
  }
  create(name: string, rows?: number, columns?: number) {
    return makeSpreadsheet(this._ctx, this._ctx.store.create(String(name), rows ?? 1000, columns ?? 26));
  }
  flush() {}
  getUi() { return makeUi(this._ctx); }
  newDataValidation() { return newDataValidationBuilder(this._ctx); }
  newConditionalFormatRule() { return newConditionalFormatRuleBuilder(this._ctx); }
  newFilterCriteria() { return newFilterCriteriaBuilder(this._ctx); }
}
translateErrors(SpreadsheetAppImpl);

/** Builds the per-execution SpreadsheetApp over a store. */
export function makeSpreadsheetApp(store: SpreadsheetStore, exec: Execution): GoogleAppsScript.Spreadsheet.SpreadsheetApp {
  const ctx: Ctx = {
    exec,
    store,
    range: (ref: RangeRef) => makeRange(ctx, ref.sheet, ref.row, ref.col, ref.numRows, ref.numCols),
    refOf: (range: unknown, method: string) => {
      const impl = implOf(range, RangeImpl);
      if (!impl) fail(`The parameters (${typeof range}) don't match the method signature for ${method}.`);
      return { sheet: impl!._sheet, ...impl!._rect };
    },
  };
  return expose(ctx, 'Sheets', 'SpreadsheetApp', new SpreadsheetAppImpl(ctx));
}

