/**
 * Sorting and the basic filter of the Sheets fake: `Range.sort`, `Sheet.sort`, `Range.createFilter`,
 * `Sheet.getFilter`, `Filter` (criteria per column, sort, remove), `SpreadsheetApp.newFilterCriteria()`
 * and `Sheet.isRowHiddenByFilter`. The stored filter is model.ts `FilterData`.
 *
 * What Sheets does and the fake follows: criteria hide the rows of the filter range (below its header
 * row) whose display value is among the hidden values or fails the condition; the rows are evaluated
 * when criteria are set or the filter is sorted, not when values change later; a filter does not
 * change what `getLastRow`, `getValues` or `appendRow` see.
 *
 * Host-side, `hiddenRows` lists what a sheet's filter hides and `applyLeadsFilter` puts on Leads the
 * filter the SOPs have the operator leave there (switch `leadsFilter`, emulator/switches.ts).
 */

import { Ctx, expose, fail, implOf, int, realmArray, toScript, translateErrors } from './ctx';
import type { FilterCriteriaData, FilterData, SheetData, SpreadsheetData } from './model';
import { Cell, CellDate, Rect } from './values';

// ---- criteria ---------------------------------------------------------------------------------

type CriteriaState = { hiddenValues: string[]; visibleValues: string[] | null; criteriaType: string | null; criteriaValues: unknown[] };

/** SpreadsheetApp.newFilterCriteria() and FilterCriteria.copy(). */
export class FilterCriteriaBuilderImpl {
  _self: unknown;
  _state: CriteriaState = { hiddenValues: [], visibleValues: null, criteriaType: null, criteriaValues: [] };
  constructor(public _ctx: Ctx) {}

  _when(type: string, values: unknown[]) {
    this._state.criteriaType = type;
    this._state.criteriaValues = values;
    return this._self;
  }
  setHiddenValues(values: unknown[]) {
    if (!Array.isArray(values)) fail("The parameters don't match the method signature for SpreadsheetApp.FilterCriteriaBuilder.setHiddenValues.");
    this._state.hiddenValues = values.map((v) => String(v));
    return this._self;
  }
  getHiddenValues() { return realmArray(this._ctx, this._state.hiddenValues); }
  /** Shows only the rows whose display value is one of `values`. */
  setVisibleValues(values: unknown[]) {
    if (!Array.isArray(values)) fail("The parameters don't match the method signature for SpreadsheetApp.FilterCriteriaBuilder.setVisibleValues.");
    this._state.visibleValues = values.map((v) => String(v));
    return this._self;
  }
  getVisibleValues() { return this._state.visibleValues ? realmArray(this._ctx, this._state.visibleValues) : null; }
  whenCellEmpty() { return this._when('CELL_EMPTY', []); }
  whenCellNotEmpty() { return this._when('CELL_NOT_EMPTY', []); }
  whenTextEqualTo(t: string) { return this._when('TEXT_EQUAL_TO', [String(t)]); }
  whenTextNotEqualTo(t: string) { return this._when('TEXT_NOT_EQUAL_TO', [String(t)]); }
  whenTextContains(t: string) { return this._when('TEXT_CONTAINS', [String(t)]); }
  whenTextDoesNotContain(t: string) { return this._when('TEXT_DOES_NOT_CONTAIN', [String(t)]); }
  whenTextStartsWith(t: string) { return this._when('TEXT_STARTS_WITH', [String(t)]); }
  whenTextEndsWith(t: string) { return this._when('TEXT_ENDS_WITH', [String(t)]); }
  whenNumberEqualTo(n: number) { return this._when('NUMBER_EQUAL_TO', [n]); }
  whenNumberNotEqualTo(n: number) { return this._when('NUMBER_NOT_EQUAL_TO', [n]); }
  whenNumberGreaterThan(n: number) { return this._when('NUMBER_GREATER_THAN', [n]); }
  whenNumberGreaterThanOrEqualTo(n: number) { return this._when('NUMBER_GREATER_THAN_OR_EQUAL_TO', [n]); }
  whenNumberLessThan(n: number) { return this._when('NUMBER_LESS_THAN', [n]); }
  whenNumberLessThanOrEqualTo(n: number) { return this._when('NUMBER_LESS_THAN_OR_EQUAL_TO', [n]); }
  whenNumberBetween(a: number, b: number) { return this._when('NUMBER_BETWEEN', [a, b]); }
  whenNumberNotBetween(a: number, b: number) { return this._when('NUMBER_NOT_BETWEEN', [a, b]); }
  getCriteriaType() { return this._state.criteriaType; }
  getCriteriaValues() { return toScript(this._ctx, this._state.criteriaValues); }
  build() {
    const data: FilterCriteriaData = Object.freeze({
      hiddenValues: Object.freeze(this._state.hiddenValues.slice()),
      visibleValues: this._state.visibleValues ? Object.freeze(this._state.visibleValues.slice()) : null,
      criteriaType: this._state.criteriaType,
      criteriaValues: Object.freeze(this._state.criteriaValues.slice()),
    });
    return makeCriteria(this._ctx, data);
  }
}
translateErrors(FilterCriteriaBuilderImpl);

/** A built FilterCriteria. */
export class FilterCriteriaImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _data: FilterCriteriaData) {}
  getHiddenValues() { return realmArray(this._ctx, this._data.hiddenValues.slice()); }
  getVisibleValues() { return this._data.visibleValues ? realmArray(this._ctx, this._data.visibleValues.slice()) : null; }
  getCriteriaType() { return this._data.criteriaType; }
  getCriteriaValues() { return toScript(this._ctx, this._data.criteriaValues.slice()); }
  copy() {
    const b = newFilterCriteriaBuilder(this._ctx);
    implOf(b, FilterCriteriaBuilderImpl)!._state = {
      hiddenValues: this._data.hiddenValues.slice(),
      visibleValues: this._data.visibleValues ? this._data.visibleValues.slice() : null,
      criteriaType: this._data.criteriaType, criteriaValues: this._data.criteriaValues.slice(),
    };
    return b;
  }
}
translateErrors(FilterCriteriaImpl);

export function newFilterCriteriaBuilder(ctx: Ctx): GoogleAppsScript.Spreadsheet.FilterCriteriaBuilder {
  return expose(ctx, 'Sheets', 'FilterCriteriaBuilder', new FilterCriteriaBuilderImpl(ctx));
}

function makeCriteria(ctx: Ctx, data: FilterCriteriaData): GoogleAppsScript.Spreadsheet.FilterCriteria {
  return expose(ctx, 'Sheets', 'FilterCriteria', new FilterCriteriaImpl(ctx, data));
}

/** True when a cell passes a column's criteria (host-side; the sandbox evaluates its filters with it too). */
export function passesCriteria(sheet: SheetData, row: number, col: number, criteria: FilterCriteriaData): boolean {
  const shown = sheet.displayValue(row, col);
  if (criteria.hiddenValues.includes(shown)) return false;
  if (criteria.visibleValues && !criteria.visibleValues.includes(shown)) return false;
  if (!criteria.criteriaType) return true;
  const cell: Cell | undefined = sheet.cells.get(row, col);
  const text = shown.toLocaleLowerCase('fr');
  const arg = (i: number) => String(criteria.criteriaValues[i] ?? '').toLocaleLowerCase('fr');
  const num = cell instanceof CellDate ? cell.ms : typeof cell === 'number' ? cell : undefined;
  const n = (i: number) => Number(criteria.criteriaValues[i]);
  switch (criteria.criteriaType) {
    case 'CELL_EMPTY': return shown === '';
    case 'CELL_NOT_EMPTY': return shown !== '';
    case 'TEXT_EQUAL_TO': return text === arg(0);
    case 'TEXT_NOT_EQUAL_TO': return text !== arg(0);
    case 'TEXT_CONTAINS': return text.includes(arg(0));
    case 'TEXT_DOES_NOT_CONTAIN': return !text.includes(arg(0));
    case 'TEXT_STARTS_WITH': return text.startsWith(arg(0));
    case 'TEXT_ENDS_WITH': return text.endsWith(arg(0));
    case 'NUMBER_EQUAL_TO': return num === n(0);
    case 'NUMBER_NOT_EQUAL_TO': return num !== n(0);
    case 'NUMBER_GREATER_THAN': return num !== undefined && num > n(0);
    case 'NUMBER_GREATER_THAN_OR_EQUAL_TO': return num !== undefined && num >= n(0);
    case 'NUMBER_LESS_THAN': return num !== undefined && num < n(0);
    case 'NUMBER_LESS_THAN_OR_EQUAL_TO': return num !== undefined && num <= n(0);
    case 'NUMBER_BETWEEN': return num !== undefined && num >= Math.min(n(0), n(1)) && num <= Math.max(n(0), n(1));
    case 'NUMBER_NOT_BETWEEN': return num === undefined || num < Math.min(n(0), n(1)) || num > Math.max(n(0), n(1));
  }
  return fail(`not implemented: filter criteria ${criteria.criteriaType}`);
}

/** Recomputes the rows a filter hides (Sheets does it when criteria change or the filter sorts). */
export function applyFilter(sheet: SheetData, f: FilterData): void {
  const hidden = new Set<number>();
  const { row, numRows } = f.range;
  for (let r = row + 1; r < row + numRows; r++) {
    for (const [col, criteria] of f.criteria) {
      if (!passesCriteria(sheet, r, col, criteria)) {
        hidden.add(r);
        break;
      }
    }
  }
  f.hidden = hidden;
}

/** Creates the sheet's basic filter on a rectangle (its first row is the header row). */
export function createFilterData(sheet: SheetData, rect: Rect): FilterData {
  if (sheet.filter) fail("You can't create a filter in a sheet that already has a filter.");
  sheet.filter = { range: { ...rect }, criteria: new Map(), hidden: new Set() };
  return sheet.filter;
}

/** True when the sheet's filter hides the row (its header row never is). */
export function isHiddenByFilter(sheet: SheetData, row: number): boolean {
  return sheet.filter?.hidden.has(row) ?? false;
}

/** Host-side: the rows the sheet's filter hides, ascending (none without a filter). */
export function hiddenRows(sheet: SheetData): number[] {
  return sheet.filter ? [...sheet.filter.hidden].sort((a, b) => a - b) : [];
}

/** Host-side: the sheet's filter, or undefined. */
export function filterOf(sheet: SheetData): FilterData | undefined {
  return sheet.filter ?? undefined;
}

/**
 * Host-side (switch `leadsFilter`): the filter the SOPs have the operator put on Leads, over the
 * whole data region, showing only `status` = `new`. Put again after each execution, so rows
 * appended since are brought in and evaluated, as an operator re-applying it would.
 */
export function applyLeadsFilter(ss: SpreadsheetData): void {
  const sheet = ss.findSheet('Leads');
  if (!sheet || sheet.lastRow < 1) return;
  const header = sheet.values2D({ row: 1, col: 1, numRows: 1, numCols: Math.max(1, sheet.lastColumn) })[0];
  const status = header.indexOf('status') + 1;
  if (status === 0) return;
  const criteria: FilterCriteriaData = { hiddenValues: [], visibleValues: ['new'], criteriaType: null, criteriaValues: [] };
  sheet.filter = {
    range: { row: 1, col: 1, numRows: Math.max(1, sheet.lastRow), numCols: Math.max(1, sheet.lastColumn) },
    criteria: new Map([[status, criteria]]),
    hidden: new Set(),
  };
  applyFilter(sheet, sheet.filter);
}

// ---- Filter -----------------------------------------------------------------------------------

/** The basic filter of a sheet (Range.createFilter / Sheet.getFilter). */
export class FilterImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _sheet: SheetData, public _data: FilterData) {}

  _live(): FilterData {
    if (this._sheet.filter !== this._data) fail('This filter no longer exists.');
    return this._data;
  }
  _column(columnPosition: number, method: string): number {
    const col = int(columnPosition, `SpreadsheetApp.Filter.${method}`);
    const { col: first, numCols } = this._live().range;
    if (col < first || col >= first + numCols) fail('The column position is outside the filter range.');
    return col;
  }
  getRange() {
    const r = this._live().range;
    return this._ctx.range({ sheet: this._sheet, ...r });
  }
  getColumnFilterCriteria(columnPosition: number) {
    const c = this._live().criteria.get(this._column(columnPosition, 'getColumnFilterCriteria'));
    return c ? makeCriteria(this._ctx, c) : null;
  }
  setColumnFilterCriteria(columnPosition: number, filterCriteria: unknown) {
    const col = this._column(columnPosition, 'setColumnFilterCriteria');
    const f = this._live();
    if (filterCriteria === null) f.criteria.delete(col);
    else {
      const impl = implOf(filterCriteria, FilterCriteriaImpl);
      if (!impl) fail("The parameters don't match the method signature for SpreadsheetApp.Filter.setColumnFilterCriteria.");
      f.criteria.set(col, impl!._data);
    }
    applyFilter(this._sheet, f);
    return this._self;
  }
  removeColumnFilterCriteria(columnPosition: number) {
    return this.setColumnFilterCriteria(columnPosition, null);
  }
  /** Sorts the rows below the header row of the filter range, then re-evaluates the criteria. */
  sort(columnPosition: number, ascending: boolean) {
    const col = this._column(columnPosition, 'sort');
    const f = this._live();
    const { row, col: first, numRows, numCols } = f.range;
    if (numRows > 1) this._sheet.sortRows({ row: row + 1, col: first, numRows: numRows - 1, numCols }, [{ column: col, ascending: ascending !== false }]);
    applyFilter(this._sheet, f);
    return this._self;
  }
  remove() {
    this._live();
    this._sheet.filter = null;
  }
}
translateErrors(FilterImpl);

export function makeFilter(ctx: Ctx, sheet: SheetData): GoogleAppsScript.Spreadsheet.Filter | null {
  return sheet.filter ? expose(ctx, 'Sheets', 'Filter', new FilterImpl(ctx, sheet, sheet.filter)) : null;
}

// ---- sort specs -------------------------------------------------------------------------------

/**
 * Range.sort's argument: a column number, `{column, ascending}`, or an array of them. Columns are
 * sheet columns and must lie in the range.
 */
export function sortSpecs(spec: unknown, rect: Rect): { column: number; ascending: boolean }[] {
  const list = Array.isArray(spec) ? spec : [spec];
  if (list.length === 0) fail('Invalid argument: sortSpecObj');
  return list.map((s) => {
    const o: { column?: unknown; ascending?: unknown } = typeof s === 'number' ? { column: s } : s !== null && typeof s === 'object' ? (s as object) : fail('Invalid argument: sortSpecObj');
    const column = int(o.column, 'SpreadsheetApp.Range.sort');
    if (column < rect.col || column >= rect.col + rect.numCols) fail(`Sort column is out of range. The column must be between ${rect.col} and ${rect.col + rect.numCols - 1}.`);
    return { column, ascending: o.ascending === undefined ? true : o.ascending !== false };
  });
}
