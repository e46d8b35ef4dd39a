/**
 * Embedded charts of the Sheets fake: `Sheet.newChart()` returns an EmbeddedChartBuilder, `build()`
 * an EmbeddedChart that is only a value until `Sheet.insertChart` / `updateChart` stores it on the
 * sheet (model.ts `ChartData`). Nothing is drawn: type, ranges, position and options are recorded
 * so tests (and the sandbox) can inspect them.
 */

import { Ctx, expose, fail, implOf, int, realmArray, translateErrors } from './ctx';
import type { ChartData, RangeRef, SheetData } from './model';

/** Members of `Charts.ChartType` (Apps Script reference, enum ChartType). */
export const CHART_TYPES = [
  'TIMELINE', 'AREA', 'BAR', 'BUBBLE', 'CANDLESTICK', 'COLUMN', 'COMBO', 'GAUGE', 'GEO', 'HISTOGRAM',
  'RADAR', 'LINE', 'ORG', 'PIE', 'SCATTER', 'SPARKLINE', 'STEPPED_AREA', 'TABLE', 'TREEMAP', 'WATERFALL',
] as const;

type Position = ChartData['position'];

/** What a builder or a built chart holds; `chartId` is null until the chart is inserted. */
interface ChartState {
  chartId: number | null;
  type: string | null;
  ranges: RangeRef[];
  position: Position;
  options: Record<string, unknown>;
  numHeaders: number;
}

const sameRef = (a: RangeRef, b: RangeRef) => a.sheet === b.sheet && a.row === b.row && a.col === b.col && a.numRows === b.numRows && a.numCols === b.numCols;

function copyState(s: ChartState): ChartState {
  return { ...s, ranges: s.ranges.slice(), position: { ...s.position }, options: { ...s.options } };
}

export class EmbeddedChartBuilderImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _sheet: SheetData, public _state: ChartState) {}

  addRange(range: unknown) {
    const ref = this._ctx.refOf(range, 'EmbeddedChartBuilder.addRange');
    if (!this._state.ranges.some((r) => sameRef(r, ref))) this._state.ranges.push(ref);
    return this._self;
  }
  removeRange(range: unknown) {
    const ref = this._ctx.refOf(range, 'EmbeddedChartBuilder.removeRange');
    this._state.ranges = this._state.ranges.filter((r) => !sameRef(r, ref));
    return this._self;
  }
  clearRanges() {
    this._state.ranges = [];
    return this._self;
  }
  getRanges() {
    return realmArray(this._ctx, this._state.ranges.map((r) => this._ctx.range(r)));
  }
  setChartType(type: unknown) {
    const t = String(type);
    if (!(CHART_TYPES as readonly string[]).includes(t)) fail(`The parameters (${typeof type}) don't match the method signature for SpreadsheetApp.EmbeddedChartBuilder.setChartType.`);
    this._state.type = t;
    return this._self;
  }
  getChartType() {
    return this._state.type;
  }
  setPosition(anchorRowPos: number, anchorColPos: number, offsetX: number, offsetY: number) {
    const m = 'SpreadsheetApp.EmbeddedChartBuilder.setPosition';
    const row = int(anchorRowPos, m);
    const col = int(anchorColPos, m);
    if (row < 1 || col < 1 || row > this._sheet.maxRows || col > this._sheet.maxColumns) fail('The coordinates of the range are outside the dimensions of the sheet.');
    this._state.position = { row, col, offsetX: int(offsetX, m), offsetY: int(offsetY, m) };
    return this._self;
  }
  getContainer() {
    return makeContainerInfo(this._ctx, this._state.position);
  }
  setOption(option: string, value: unknown) {
    this._state.options[String(option)] = value;
    return this._self;
  }
  setNumHeaders(headers: number) {
    this._state.numHeaders = int(headers, 'SpreadsheetApp.EmbeddedChartBuilder.setNumHeaders');
    return this._self;
  }
  /** The chart as a value: insert it with Sheet.insertChart, or store it with Sheet.updateChart. */
  build() {
    // Apps Script picks a type itself when none is set; the emulator does not guess.
    if (this._state.type === null) fail('not implemented: EmbeddedChartBuilder.build without a chart type (call setChartType)');
    return makeEmbeddedChart(this._ctx, this._sheet, copyState(this._state));
  }
}

export class EmbeddedChartImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _sheet: SheetData, public _state: ChartState) {}

  /** Null until the chart is on a sheet. */
  getChartId() { return this._state.chartId; }
  getRanges() { return realmArray(this._ctx, this._state.ranges.map((r) => this._ctx.range(r))); }
  getNumHeaders() { return this._state.numHeaders; }
  getOptions() { return makeChartOptions(this._ctx, this._state.options); }
  getContainerInfo() { return makeContainerInfo(this._ctx, this._state.position); }
  /** A builder over a copy of this chart: nothing changes until Sheet.updateChart. */
  modify() {
    return expose(this._ctx, 'Sheets', 'EmbeddedChartBuilder', new EmbeddedChartBuilderImpl(this._ctx, this._sheet, copyState(this._state)));
  }
}

translateErrors(EmbeddedChartBuilderImpl);
translateErrors(EmbeddedChartImpl);

function makeEmbeddedChart(ctx: Ctx, sheet: SheetData, state: ChartState): GoogleAppsScript.Spreadsheet.EmbeddedChart {
  return expose(ctx, 'Sheets', 'EmbeddedChart', new EmbeddedChartImpl(ctx, sheet, state));
}

function makeChartOptions(ctx: Ctx, options: Readonly<Record<string, unknown>>): GoogleAppsScript.Charts.ChartOptions {
  const o = { ...options };
  const impl = {
    _self: undefined as unknown,
    // Switch `chartOptionsReadBack: false`: an option set by the builder does not read back (not documented).
    get: (option: string) => (ctx.store.chartOptionsReadBack && Object.prototype.hasOwnProperty.call(o, option) ? o[option] : null),
    getOrDefault: (option: string) => (ctx.store.chartOptionsReadBack && Object.prototype.hasOwnProperty.call(o, option) ? o[option] : null),
  };
  return expose(ctx, 'Sheets', 'ChartOptions', impl);
}

function makeContainerInfo(ctx: Ctx, p: Position): GoogleAppsScript.Spreadsheet.ContainerInfo {
  const impl = {
    _self: undefined as unknown,
    getAnchorRow: () => p.row,
    getAnchorColumn: () => p.col,
    getOffsetX: () => p.offsetX,
    getOffsetY: () => p.offsetY,
  };
  return expose(ctx, 'Sheets', 'ContainerInfo', impl);
}

// ---- the Sheet methods (SheetImpl delegates to these) -------------------------------------------

export function newChart(ctx: Ctx, sheet: SheetData): GoogleAppsScript.Spreadsheet.EmbeddedChartBuilder {
  const state: ChartState = { chartId: null, type: null, ranges: [], position: { row: 1, col: 1, offsetX: 0, offsetY: 0 }, options: {}, numHeaders: -1 };
  return expose(ctx, 'Sheets', 'EmbeddedChartBuilder', new EmbeddedChartBuilderImpl(ctx, sheet, state));
}

function chartOf(v: unknown, method: string): EmbeddedChartImpl {
  const impl = implOf(v, EmbeddedChartImpl);
  if (!impl) fail(`The parameters (${typeof v}) don't match the method signature for SpreadsheetApp.Sheet.${method}.`);
  return impl!;
}

function toData(state: ChartState, chartId: number): ChartData {
  return { chartId, type: state.type as string, ranges: state.ranges.slice(), position: { ...state.position }, options: { ...state.options }, numHeaders: state.numHeaders };
}

/** Stores a built chart on the sheet under a new id (the chart object then reports that id). */
export function insertChart(sheet: SheetData, chart: unknown): void {
  const impl = chartOf(chart, 'insertChart');
  const id = sheet.parent.newChartId();
  sheet.charts.push(toData(impl._state, id));
  impl._state.chartId = id;
}

export function getCharts(ctx: Ctx, sheet: SheetData) {
  return realmArray(ctx, sheet.charts.map((c) => makeEmbeddedChart(ctx, sheet, { ...c, ranges: c.ranges.slice(), position: { ...c.position }, options: { ...c.options } })));
}

/** Replaces the stored chart of the same id (a chart built by `modify()` of a chart of this sheet). */
export function updateChart(sheet: SheetData, chart: unknown): void {
  const impl = chartOf(chart, 'updateChart');
  const i = sheet.charts.findIndex((c) => c.chartId === impl._state.chartId);
  if (i < 0) fail('The chart does not exist on this sheet.');
  sheet.charts[i] = toData(impl._state, sheet.charts[i].chartId);
}

export function removeChart(sheet: SheetData, chart: unknown): void {
  const impl = chartOf(chart, 'removeChart');
  const i = sheet.charts.findIndex((c) => c.chartId === impl._state.chartId);
  if (i < 0) fail('The chart does not exist on this sheet.');
  sheet.charts.splice(i, 1);
}
