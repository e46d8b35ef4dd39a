/**
 * The Sheets service of the in-memory Apps Script: `SpreadsheetStore` holds the spreadsheets across
 * executions (and what the UI showed); `makeSpreadsheetApp` builds the `SpreadsheetApp` one execution sees.
 *
 * Implementation lives in ./spreadsheet/: values.ts (typed input, time zones, display, A1), model.ts
 * (sparse storage), facade.ts (SpreadsheetApp/Spreadsheet/Sheet/Range/TextFinder), rules.ts (data
 * validation, conditional formats), ui.ts (menus, dialogs), store.ts.
 *
 * Conventions: a cell with no number format reports `'0.###############'` (DEFAULT_NUMBER_FORMAT).
 */

export { SpreadsheetStore, UiRecorder } from './spreadsheet/store';
export type { MenuItemRecord, MenuRecord, ShownHtml, SpreadsheetStoreOptions, ToastRecord } from './spreadsheet/store';
export { makeSpreadsheetApp } from './spreadsheet/facade';
export { CHART_TYPES } from './spreadsheet/charts';
export { SheetData, SpreadsheetData, MAX_CELLS } from './spreadsheet/model';
export type { ChartData, ConditionalRuleData, RangeRef, ValidationData, StyleProp } from './spreadsheet/model';
export { DEFAULT_NUMBER_FORMAT, DEFAULT_DATE_FORMAT, DEFAULT_DATETIME_FORMAT } from './spreadsheet/values';
