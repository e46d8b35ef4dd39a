/**
 * The advanced Sheets service (`Sheets`, Sheets API v4), over the same spreadsheets as SpreadsheetApp.
 * Only `Sheets.Spreadsheets.Values.batchGet` exists; anything else throws `not implemented`.
 *
 * The A1 grammar follows the API as measured (see brekkylab/backlot's Sheets notes): the sheet is
 * before the LAST `!`, matched case-insensitively, quoted or not; a part with no `!` is a range of
 * the first visible sheet if it parses as one, else a sheet name; no whitespace anywhere; a single
 * reference must be a cell (`Sheet!B` and `Sheet!2` are unparseable); row 0 does not exist; a
 * range's end is clamped to the grid, its start may not lie outside it. R1C1 ranges are not implemented.
 */
import type { Execution } from '../core';
import { scriptError, strict } from '../core';
import type { SheetData, SpreadsheetData } from '../spreadsheet/model';
import type { SpreadsheetStore } from '../spreadsheet/store';
import { type Cell, CellDate, DEFAULT_NUMBER_FORMAT, type Rect, a1Notation, columnLetter, dateToSerial, isDateFormat, isNumericFormat } from '../spreadsheet/values';
import { requireAuth, toRealm } from './common';

const SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

const VALUE_RENDER = ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'] as const;
const DATE_TIME_RENDER = ['SERIAL_NUMBER', 'FORMATTED_STRING'] as const;
type ValueRender = (typeof VALUE_RENDER)[number];
type DateTimeRender = (typeof DATE_TIME_RENDER)[number];

/** The `Sheets` global of one execution, reading the spreadsheets of `store`. */
/**
 * `view` gives the spreadsheet as the API sees it (by default the live one; with the switch
 * `batchGetSeesUnflushed: false`, as it was at the execution's last flush).
 */
export function makeSheetsApi(store: SpreadsheetStore, exec: Execution, view?: (id: string) => SpreadsheetData | undefined): GoogleAppsScript.Sheets {
  // An advanced service is an authorized API call: a simple trigger (onOpen, onEdit) may not make it.
  const values = strict(exec, 'Sheets', 'Spreadsheets.Values', {
    batchGet: (spreadsheetId: unknown, optionalArgs?: unknown) => {
      requireAuth(exec, 'Sheets.Spreadsheets.Values.batchGet', SCOPE);
      return batchGet(view ?? ((id) => store.get(id)), exec, spreadsheetId, optionalArgs);
    },
    batchUpdate: (resource: unknown, spreadsheetId: unknown) => {
      requireAuth(exec, 'Sheets.Spreadsheets.Values.batchUpdate', SCOPE);
      return batchUpdate(store, exec, resource, spreadsheetId);
    },
  });
  const spreadsheets = strict(exec, 'Sheets', 'Spreadsheets', { Values: values });
  return strict(exec, 'Sheets', 'Sheets', { Spreadsheets: spreadsheets }) as unknown as GoogleAppsScript.Sheets;
}

/**
 * `values.batchUpdate(resource, spreadsheetId)` with `valueInputOption: 'RAW'` only ("the values the
 * user has entered will not be parsed and will be stored as-is": a string is text, whatever it
 * starts with); `data` is `[{ range, values }]`, each range in A1 with its sheet. Writes at once
 * (the API does not wait for SpreadsheetApp's flush). Anything else throws `not implemented`.
 */
function batchUpdate(store: SpreadsheetStore, exec: Execution, resource: unknown, spreadsheetId: unknown): unknown {
  const body = (resource ?? {}) as { valueInputOption?: unknown; data?: unknown };
  if (body.valueInputOption !== 'RAW') throw scriptError(exec, `not implemented: Spreadsheets.Values.batchUpdate valueInputOption ${JSON.stringify(body.valueInputOption)}`);
  for (const key of Object.keys(body)) if (!['valueInputOption', 'data'].includes(key)) throw scriptError(exec, `not implemented: Spreadsheets.Values.batchUpdate option ${key}`);
  const data = Array.from((body.data ?? []) as ArrayLike<{ range?: unknown; values?: unknown }>);
  try {
    const ss = store.get(String(spreadsheetId));
    if (!ss) throw new ApiError(404, 'Requested entity was not found.');
    let cells = 0;
    for (const d of data) {
      const { sheet, rect } = resolveRange(exec, ss, String(d.range));
      const rows = Array.from((d.values ?? []) as ArrayLike<ArrayLike<unknown>>, (r) => Array.from(r));
      if (rows.length > rect.numRows || rows.some((r) => r.length > rect.numCols)) throw new ApiError(400, `Requested writing within range [${d.range}], but tried writing to row [${rect.row + rows.length - 1}]`);
      rows.forEach((line, i) =>
        line.forEach((v, j) => {
          if (v !== null && typeof v === 'object') throw new ApiError(400, 'Invalid values: only strings, numbers and booleans');
          sheet.cells.set(rect.row + i, rect.col + j, v === '' || v === null || v === undefined ? undefined : (v as string | number | boolean));
          sheet.formulaCells.set(rect.row + i, rect.col + j, undefined);
          cells++;
        }),
      );
      sheet.touch();
    }
    exec.calls.addCells('written', cells);
    return toRealm(exec, { spreadsheetId: ss.id, totalUpdatedCells: cells });
  } catch (e) {
    throw apiException(exec, 'batchUpdate', e);
  }
}

/** Thrown inside batchGet for an error the API itself would answer; becomes the script's GoogleJsonResponseException. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const notImplemented = (exec: Execution, what: string): Error => scriptError(exec, `not implemented: Spreadsheets.Values.batchGet ${what}`);

function batchGet(spreadsheet: (id: string) => SpreadsheetData | undefined, exec: Execution, spreadsheetId: unknown, optionalArgs: unknown): unknown {
  const args = (optionalArgs ?? {}) as Record<string, unknown>;
  if (typeof args !== 'object') throw notImplemented(exec, `with optionalArgs of type ${typeof optionalArgs}`);
  for (const key of Object.keys(args)) {
    if (!['ranges', 'valueRenderOption', 'dateTimeRenderOption', 'majorDimension'].includes(key)) throw notImplemented(exec, `option ${key}`);
  }
  const option = <T extends string>(key: string, allowed: readonly T[], dflt: T): T => {
    const v = args[key];
    if (v === undefined) return dflt;
    if (!allowed.includes(v as T)) throw notImplemented(exec, `${key} ${JSON.stringify(v)}`);
    return v as T;
  };
  const render = { value: option<ValueRender>('valueRenderOption', VALUE_RENDER, 'FORMATTED_VALUE'), dateTime: option<DateTimeRender>('dateTimeRenderOption', DATE_TIME_RENDER, 'SERIAL_NUMBER') };
  option('majorDimension', ['ROWS'], 'ROWS');
  const raw = args.ranges;
  if (raw !== undefined && typeof raw !== 'string' && !Array.isArray(raw)) throw notImplemented(exec, `ranges of type ${typeof raw}`);
  const ranges = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [raw];

  try {
    const ss = spreadsheet(String(spreadsheetId));
    if (!ss) throw new ApiError(404, 'Requested entity was not found.');
    const valueRanges = ranges.map((spec) => {
      const { sheet, rect } = resolveRange(exec, ss, spec);
      exec.calls.addCells('read', rect.numRows * rect.numCols);
      const values = readValues(sheet, rect, render);
      return { range: `${quoteSheetName(sheet.name)}!${a1Notation(rect)}`, majorDimension: 'ROWS', ...(values.length ? { values } : {}) };
    });
    // An empty repeated field is left out of the API's JSON, as `values` is for an empty range.
    return toRealm(exec, { spreadsheetId: ss.id, ...(valueRanges.length ? { valueRanges } : {}) });
  } catch (e) {
    throw apiException(exec, 'batchGet', e);
  }
}

/**
 * What Apps Script throws for a failed advanced-service call: a GoogleJsonResponseException whose
 * `details` hold the HTTP code and the API's message (anything else is rethrown as it is).
 */
function apiException(exec: Execution, method: string, e: unknown): unknown {
  if (!(e instanceof ApiError)) return e;
  const err = scriptError(exec, `API call to sheets.spreadsheets.values.${method} failed with error: ${e.message}`);
  err.name = 'GoogleJsonResponseException';
  (err as Error & { details?: unknown }).details = toRealm(exec, { code: e.code, message: e.message });
  return err;
}

// ---- A1 ranges --------------------------------------------------------------------------------

/** One side of a range; an absent axis is unbounded (`A` in `A:C`, `2` in `2:5`). */
interface End {
  col?: number;
  row?: number;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function parseEnd(s: string): End | undefined {
  const m = /^(?:([A-Za-z]{1,3})(\d*)|(\d+))$/.exec(s);
  if (!m) return undefined;
  const row = m[3] ?? m[2];
  if (row !== '' && Number(row) === 0) return undefined;
  return { ...(m[1] ? { col: columnNumber(m[1]) } : {}), ...(row !== '' ? { row: Number(row) } : {}) };
}

/** The ends of an A1 cell part (`A1`, `A1:C3`, `A:C`, `1:2`, `A2:C`), or undefined if it is not one. */
function parseCells(body: string): End[] | undefined {
  const parts = body.split(':');
  if (parts.length > 2) return undefined;
  const ends = parts.map(parseEnd);
  if (ends.some((e) => !e)) return undefined;
  if (ends.length === 1 && (ends[0]!.col === undefined || ends[0]!.row === undefined)) return undefined;
  return ends as End[];
}

const R1C1_END = /^(?:R(?:\d+|\[\d+\])?)?(?:C(?:\d+|\[\d+\])?)?$/i;
const isR1C1 = (body: string): boolean => body.split(':').length <= 2 && body.split(':').every((p) => p !== '' && R1C1_END.test(p));

/** A sheet by title: quotes optional (`''` inside is one quote), case-insensitive, as the API matches them. */
function findSheet(ss: SpreadsheetData, title: string): SheetData | undefined {
  const name = title.length >= 2 && title.startsWith("'") && title.endsWith("'") ? title.slice(1, -1).replace(/''/g, "'") : title;
  const folded = name.toLowerCase();
  return ss.sheets.find((s) => s.name.toLowerCase() === folded);
}

/** A sheet name as the API writes it in a range: bare when it is a plain identifier that is no cell reference, else quoted. */
export function quoteSheetName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !parseCells(name) && !isR1C1(name)) return name;
  return `'${name.replace(/'/g, "''")}'`;
}

/** The sheet and grid rectangle (end clamped to the grid) a range names; throws the API's errors. */
function resolveRange(exec: Execution, ss: SpreadsheetData, spec: string): { sheet: SheetData; rect: Rect } {
  const unparsable = () => new ApiError(400, `Unable to parse range: ${spec}`);
  const firstVisible = () => ss.sheets.find((s) => !s.hidden) ?? ss.sheets[0];
  let sheet: SheetData | undefined;
  let body = '';
  const bang = spec.lastIndexOf('!');
  if (bang >= 0) {
    const title = spec.slice(0, bang);
    body = spec.slice(bang + 1);
    if ((title === '' || title === "''") && body !== '') sheet = firstVisible();
    else sheet = body === '' ? undefined : findSheet(ss, title);
    if (!sheet) {
      // `has!bang` is a sheet whose name holds a bang, named whole.
      sheet = findSheet(ss, spec);
      body = '';
    }
  } else if (parseCells(spec) || isR1C1(spec)) {
    sheet = firstVisible();
    body = spec;
  } else {
    sheet = findSheet(ss, spec);
  }
  if (!sheet) throw unparsable();
  if (body === '') return { sheet, rect: { row: 1, col: 1, numRows: sheet.maxRows, numCols: sheet.maxColumns } };

  const ends = parseCells(body);
  if (!ends) {
    if (isR1C1(body)) throw scriptError(exec, `not implemented: Spreadsheets.Values.batchGet R1C1 range ${spec}`);
    throw unparsable();
  }
  const [start, end = start] = ends.map((e) => ({ ...e }));
  // Written backwards (`B2:A1`) is the same range.
  if (start.row !== undefined && end.row !== undefined && end.row < start.row) [start.row, end.row] = [end.row, start.row];
  if (start.col !== undefined && end.col !== undefined && end.col < start.col) [start.col, end.col] = [end.col, start.col];
  const row = start.row ?? 1;
  const col = start.col ?? 1;
  if (row > sheet.maxRows || col > sheet.maxColumns) {
    const name = (e: End) => (e.col === undefined ? '' : columnLetter(e.col)) + (e.row ?? '');
    const named = name(start) === name(end) ? name(start) : `${name(start)}:${name(end)}`;
    throw new ApiError(400, `Range (${quoteSheetName(sheet.name)}!${named}) exceeds grid limits. Max rows: ${sheet.maxRows}, max columns: ${sheet.maxColumns}`);
  }
  const lastRow = Math.min(end.row ?? sheet.maxRows, sheet.maxRows);
  const lastCol = Math.min(end.col ?? sheet.maxColumns, sheet.maxColumns);
  return { sheet, rect: { row, col, numRows: lastRow - row + 1, numCols: lastCol - col + 1 } };
}

// ---- values -----------------------------------------------------------------------------------

/** The rows of a range as the API answers them: trailing empty cells of each row, and trailing empty rows, left out. */
function readValues(sheet: SheetData, rect: Rect, render: { value: ValueRender; dateTime: DateTimeRender }): unknown[][] {
  const out: unknown[][] = [];
  const lastRow = Math.min(rect.row + rect.numRows - 1, sheet.lastRow);
  const lastCol = Math.min(rect.col + rect.numCols - 1, sheet.lastColumn);
  for (let r = rect.row; r <= lastRow; r++) {
    const line: unknown[] = [];
    for (let c = rect.col; c <= lastCol; c++) line.push(cellValue(sheet, r, c, render));
    while (line.length && line[line.length - 1] === '') line.pop();
    out.push(line);
  }
  while (out.length && out[out.length - 1].length === 0) out.pop();
  return out;
}

function cellValue(sheet: SheetData, r: number, c: number, render: { value: ValueRender; dateTime: DateTimeRender }): unknown {
  if (render.value === 'FORMULA') {
    const formula = sheet.formulaCells.get(r, c);
    if (formula !== undefined) return formula;
  }
  const cell: Cell | undefined = sheet.cells.get(r, c);
  if (cell === undefined) return '';
  if (render.value === 'FORMATTED_VALUE') return typeof cell === 'boolean' ? (cell ? 'TRUE' : 'FALSE') : sheet.displayValue(r, c);
  if (isDateCell(cell, sheet.formats.get(r, c))) {
    if (render.dateTime === 'FORMATTED_STRING') return sheet.displayValue(r, c);
    return cell instanceof CellDate ? dateToSerial(cell.ms, sheet.parent.timeZone) : cell;
  }
  return cell instanceof CellDate ? dateToSerial(cell.ms, sheet.parent.timeZone) : cell;
}

/** A cell Sheets holds as a date or time: a date the script wrote (unless formatted as a plain number), or a number with a date format. */
function isDateCell(cell: Cell, fmt: string | undefined): boolean {
  const f = fmt && fmt !== '@' && fmt !== DEFAULT_NUMBER_FORMAT && fmt.toLowerCase() !== 'general' ? fmt : undefined;
  if (cell instanceof CellDate) return !(f && !isDateFormat(f) && isNumericFormat(f));
  return typeof cell === 'number' && f !== undefined && isDateFormat(f);
}
