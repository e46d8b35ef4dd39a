/**
 * Basic filters of the Sheets fake (Sheet.getFilter, Range.createFilter, Filter, FilterCriteria),
 * minimal: criteria by hidden values, visible values or "text equal to". As Google documents them,
 * a filter hides rows of its range below its header row; hiding changes no value: getValues,
 * getLastRow, TextFinder and writes see every row (Range.isRowHiddenByFilter tells). Hidden rows
 * are evaluated from the current values (a real Sheet re-applies criteria when the filter is
 * edited; when it re-applies them after a script's write is not documented).
 *
 * Kept beside the model (a WeakMap per sheet) so that the model stays as it is; a copied
 * spreadsheet has no filter.
 */

import { Ctx, expose, fail, implOf, int, realmArray, translateErrors } from './ctx';
import type { SheetData, SpreadsheetData } from './model';
import type { Rect } from './values';

/** Which displayed values of a column a filter shows. */
interface Criteria {
  hidden?: string[];
  visible?: string[];
  textEqualTo?: string;
}

interface FilterData {
  rect: Rect;
  /** 1-based sheet column -> its criteria. */
  criteria: Map<number, Criteria>;
}

const filters = new WeakMap<SheetData, FilterData>();

/** The sheet's filter, or undefined (host-side too). */
export function filterOf(sheet: SheetData): FilterData | undefined {
  return filters.get(sheet);
}

function shows(c: Criteria, text: string): boolean {
  if (c.hidden && c.hidden.includes(text)) return false;
  if (c.visible && !c.visible.includes(text)) return false;
  if (c.textEqualTo !== undefined && text !== c.textEqualTo) return false;
  return true;
}

/** True when a filter of the sheet hides the row (the header row of the filter never is). */
export function isHiddenByFilter(sheet: SheetData, row: number): boolean {
  const f = filters.get(sheet);
  if (!f || row <= f.rect.row || row >= f.rect.row + f.rect.numRows) return false;
  for (const [col, c] of f.criteria) if (!shows(c, sheet.displayValue(row, col))) return true;
  return false;
}

/** Host-side: the rows the sheet's filter hides now. */
export function hiddenRows(sheet: SheetData): number[] {
  const f = filters.get(sheet);
  if (!f) return [];
  const out: number[] = [];
  for (let r = f.rect.row + 1; r < f.rect.row + f.rect.numRows; r++) if (isHiddenByFilter(sheet, r)) out.push(r);
  return out;
}

/**
 * Host-side (switch `leadsFilter`): the filter the SOPs have the operator put on Leads, over the
 * whole data region, showing only `status` = `new`; rows appended since are brought in, as an
 * operator re-applying it would.
 */
export function applyLeadsFilter(ss: SpreadsheetData): void {
  const sheet = ss.findSheet('Leads');
  if (!sheet || sheet.lastRow < 1) return;
  const header = sheet.values2D({ row: 1, col: 1, numRows: 1, numCols: Math.max(1, sheet.lastColumn) })[0];
  const status = header.indexOf('status') + 1;
  if (status === 0) return;
  filters.set(sheet, {
    rect: { row: 1, col: 1, numRows: Math.max(1, sheet.lastRow), numCols: Math.max(1, sheet.lastColumn) },
    criteria: new Map([[status, { visible: ['new'] }]]),
  });
}

/** Range.createFilter: a filter over the range; a sheet has at most one. */
export function createFilter(ctx: Ctx, sheet: SheetData, rect: Rect): unknown {
  if (filters.has(sheet)) fail("You can't create a filter in a sheet that already has a filter.");
  filters.set(sheet, { rect: { ...rect }, criteria: new Map() });
  return expose(ctx, 'Sheets', 'Filter', new FilterImpl(ctx, sheet));
}

/** Sheet.getFilter: the sheet's filter, or null. */
export function getFilter(ctx: Ctx, sheet: SheetData): unknown {
  return filters.has(sheet) ? expose(ctx, 'Sheets', 'Filter', new FilterImpl(ctx, sheet)) : null;
}

export class FilterImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _sheet: SheetData) {}

  private _data(): FilterData {
    return filters.get(this._sheet) ?? fail('This filter has been removed.');
  }
  getRange() {
    const r = this._data().rect;
    return this._ctx.range({ sheet: this._sheet, row: r.row, col: r.col, numRows: r.numRows, numCols: r.numCols });
  }
  getColumnFilterCriteria(columnPosition: number) {
    const c = this._data().criteria.get(int(columnPosition, 'Filter.getColumnFilterCriteria'));
    return c ? expose(this._ctx, 'Sheets', 'FilterCriteria', new FilterCriteriaImpl(this._ctx, { ...c })) : null;
  }
  setColumnFilterCriteria(columnPosition: number, criteria: unknown) {
    const col = int(columnPosition, 'Filter.setColumnFilterCriteria');
    const data = this._data();
    if (col < data.rect.col || col >= data.rect.col + data.rect.numCols) fail('The column position is outside the filter range.');
    if (criteria === null) data.criteria.delete(col);
    else {
      const impl = implOf(criteria, FilterCriteriaImpl) ?? fail("The parameters don't match the method signature for SpreadsheetApp.Filter.setColumnFilterCriteria.");
      data.criteria.set(col, { ...impl._c });
    }
    return this._self;
  }
  removeColumnFilterCriteria(columnPosition: number) {
    this._data().criteria.delete(int(columnPosition, 'Filter.removeColumnFilterCriteria'));
    return this._self;
  }
  remove() {
    filters.delete(this._sheet);
  }
}
translateErrors(FilterImpl);

export class FilterCriteriaImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _c: Criteria) {}
  getHiddenValues() { return this._c.hidden ? realmArray(this._ctx, this._c.hidden) : null; }
  getVisibleValues() { return this._c.visible ? realmArray(this._ctx, this._c.visible) : null; }
  copy() { return expose(this._ctx, 'Sheets', 'FilterCriteriaBuilder', new FilterCriteriaBuilderImpl(this._ctx, { ...this._c })); }
}
translateErrors(FilterCriteriaImpl);

export class FilterCriteriaBuilderImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _c: Criteria = {}) {}
  setHiddenValues(values: unknown) {
    this._c.hidden = Array.from(values as ArrayLike<unknown>, String);
    return this._self;
  }
  setVisibleValues(values: unknown) {
    this._c.visible = Array.from(values as ArrayLike<unknown>, String);
    return this._self;
  }
  whenTextEqualTo(text: unknown) {
    this._c.textEqualTo = String(text);
    return this._self;
  }
  build() {
    return expose(this._ctx, 'Sheets', 'FilterCriteria', new FilterCriteriaImpl(this._ctx, { ...this._c }));
  }
}
translateErrors(FilterCriteriaBuilderImpl);
