/**
 * The sandbox's spreadsheet on disk: converts the emulator's SpreadsheetStore to an .xlsx workbook
 * (exceljs) and back, so that `sandbox/sirrius.xlsx` can be opened in LibreOffice / Excel and the
 * data survives restarts. Types survive the round trip: strings stay strings (a phone '+33…' is a
 * text cell), numbers, booleans and dates keep their type. What xlsx cannot say exactly (a date in
 * a cell whose format is not a date format, a date in the autumn DST fold) goes to a small per-sheet
 * `SheetMeta` record that state.json keeps beside the workbook.
 */
import { rename, unlink } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { type SheetData, type SpreadsheetData, SpreadsheetStore, zonedParts, zonedToUtc } from '../emulator';
import { CellDate } from '../emulator/spreadsheet/values';
import type { ChartData, ConditionalRuleData, FilterCriteriaData, RangeRef, SpreadsheetData as SpreadsheetModel, ValidationData } from '../emulator/spreadsheet/model';

/** What state.json keeps about a sheet, besides the workbook (all optional: a hand-made .xlsx has none). */
export interface SheetMeta {
  maxRows?: number;
  maxColumns?: number;
  frozenColumns?: number;
  columnWidths?: (number | null)[];
  tabColor?: string | null;
  /** Rows covered by the number-format layer (setup formats whole columns down to the last row). */
  formatRows?: number;
  /** Cells written with another number format than theirs, so their type reads back right: [row, col, real format or null]. */
  formatOverrides?: [number, number, string | null][];
  /** Dates whose Paris wall time is ambiguous (DST fold): [row, col, epoch ms]. */
  exactDates?: [number, number, number][];
  /** Data validations (dropdowns, checkboxes): each rule once, then runs of rows per column [col, fromRow, toRow, rule]. */
  validations?: { rules: unknown[]; runs: [number, number, number, number][] };
  /** Conditional format rules, in order (ranges as {sheet, row, col, numRows, numCols}). */
  conditionalRules?: unknown[];
  /** Embedded charts (type, ranges, position, options, headers, id). */
  charts?: unknown[];
  /** The basic filter: its range, criteria per column, hidden rows. */
  filter?: { range: { row: number; col: number; numRows: number; numCols: number }; criteria: [number, unknown][]; hidden: number[] } | null;
}

/** Sheets' "no format" and Excel's. */
const GENERAL = 'General';
/** Format given in the .xlsx to a date whose own format is not a date format (restored on load). */
const XLSX_DATE_FORMAT = 'dd/mm/yyyy hh:mm:ss';

/**
 * Same test as exceljs (utils.isDateFmt): it decides whether a numeric cell is read back as a Date.
 * Kept identical on purpose, so what we write is read back with the type it had.
 */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const bare = fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]+/.test(bare);
}

/**
 * Dates are written as the spreadsheet's wall-clock time (as Google Sheets exports them), so that a
 * person opening the file sees Paris times; `fromWall` turns them back into instants.
 */
function toWall(ms: number, tz: string): number {
  return ms + zonedParts(ms, tz).offset * 60000;
}

function fromWall(wall: number, tz: string): number {
  const d = new Date(wall);
  return zonedToUtc(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) + d.getUTCMilliseconds();
}

/** Builds the workbook of the bound spreadsheet, and the metadata state.json keeps per sheet. */
export function toWorkbook(ss: SpreadsheetData): { workbook: ExcelJS.Workbook; meta: Record<string, SheetMeta> } {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Sirrius Ops — bac à sable';
  const meta: Record<string, SheetMeta> = {};
  for (const sheet of ss.sheets) meta[sheet.name] = writeSheet(wb, sheet, ss.timeZone);
  if (ss.activeSheet) wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: Math.max(0, ss.sheets.indexOf(ss.activeSheet)), visibility: 'visible' }];
  return { workbook: wb, meta };
}

function writeSheet(wb: ExcelJS.Workbook, sheet: SheetData, tz: string): SheetMeta {
  const ws = wb.addWorksheet(sheet.name, {
    state: sheet.hidden ? 'hidden' : 'visible',
    views: sheet.frozenRows || sheet.frozenColumns ? [{ state: 'frozen', ySplit: sheet.frozenRows, xSplit: sheet.frozenColumns }] : [],
    ...(sheet.tabColor ? { properties: { tabColor: { argb: 'FF' + sheet.tabColor.replace('#', '').toUpperCase() } } } : {}),
  });
  const lastRow = sheet.lastRow;
  const lastCol = sheet.lastColumn;
  const formatRows = sheet.formats.rows.length;
  const meta: SheetMeta = {
    maxRows: sheet.maxRows,
    maxColumns: sheet.maxColumns,
    frozenColumns: sheet.frozenColumns,
    columnWidths: sheet.columnWidths.map((w) => w ?? null),
    tabColor: sheet.tabColor,
    formatRows,
    formatOverrides: [],
    exactDates: [],
    ...rulesMeta(sheet),
  };

  // A column's format is the one of its last formatted row: setup formats whole columns, so this is
  // what every row below the data has. Cells inside the data region carry their own format.
  let widthCols = lastCol;
  for (const row of sheet.formats.rows) if (row && row.length > widthCols) widthCols = row.length; // sparse: no spread
  const columnFormat: (string | undefined)[] = [];
  for (let c = 1; c <= widthCols; c++) {
    const fmt = formatRows > 0 ? sheet.formats.get(formatRows, c) : undefined;
    columnFormat[c] = fmt;
    const column = ws.getColumn(c);
    if (fmt) column.numFmt = fmt;
    const px = sheet.columnWidths[c - 1];
    if (px) column.width = Math.max(4, Math.round(px / 7));
  }

  for (let r = 1; r <= lastRow; r++) {
    for (let c = 1; c <= lastCol; c++) {
      const raw = sheet.cells.get(r, c);
      const formula = sheet.formulaCells.get(r, c);
      const fmt = sheet.formats.get(r, c);
      const bold = sheet.style('fontWeight', r, c) === 'bold';
      const note = sheet.notes.get(r, c);
      if (raw === undefined && formula === undefined && fmt === columnFormat[c] && !bold && !note) continue;
      const cell = ws.getCell(r, c);
      let xlsxFmt = fmt ?? GENERAL;
      let value: ExcelJS.CellValue = null;
      if (raw instanceof CellDate) {
        const wall = toWall(raw.ms, tz);
        value = new Date(wall);
        if (fromWall(wall, tz) !== raw.ms) meta.exactDates!.push([r, c, raw.ms]);
        if (!isDateFormat(fmt)) {
          xlsxFmt = XLSX_DATE_FORMAT;
          meta.formatOverrides!.push([r, c, fmt ?? null]);
        }
      } else if (raw !== undefined) {
        value = raw;
        if (typeof raw === 'number' && isDateFormat(fmt)) {
          xlsxFmt = GENERAL; // else exceljs would read the number back as a Date
          meta.formatOverrides!.push([r, c, fmt ?? null]);
        }
      }
      cell.value = formula ? ({ formula: formula.replace(/^=/, ''), result: value ?? undefined } as ExcelJS.CellFormulaValue) : value;
      cell.numFmt = xlsxFmt;
      if (bold) cell.font = { bold: true };
      if (note) cell.note = note;
    }
  }
  return meta;
}

// ---- what xlsx does not carry: validations, conditional formats, charts, the filter ----------------

/** A rule's value as JSON: dates and ranges tagged (ranges by sheet name). */
function encodeValue(v: unknown): unknown {
  if (v instanceof CellDate) return { $date: v.ms };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v && typeof v === 'object' && 'sheet' in v && 'numRows' in v) {
    const r = v as RangeRef;
    return { $ref: { sheet: r.sheet.name, row: r.row, col: r.col, numRows: r.numRows, numCols: r.numCols } };
  }
  return v;
}

function decodeValue(v: unknown, ss: SpreadsheetModel): unknown {
  if (Array.isArray(v)) return v.map((x) => decodeValue(x, ss));
  if (v && typeof v === 'object') {
    const o = v as Record<string, any>;
    if ('$date' in o) return new CellDate(o.$date);
    if ('$ref' in o) {
      const sheet = ss.findSheet(o.$ref.sheet);
      return sheet ? { ...o.$ref, sheet } : null;
    }
  }
  return v;
}

function rulesMeta(sheet: SheetData): Pick<SheetMeta, 'validations' | 'conditionalRules' | 'charts' | 'filter'> {
  const rules: ValidationData[] = [];
  const runs: [number, number, number, number][] = [];
  const open = new Map<number, [number, number, number, number]>(); // col -> current run
  sheet.validations.rows.forEach((row, i) => {
    const r = i + 1;
    row?.forEach((rule, j) => {
      if (!rule) return;
      const c = j + 1;
      let k = rules.indexOf(rule);
      if (k < 0) k = rules.push(rule) - 1;
      const run = open.get(c);
      if (run && run[2] === r - 1 && run[3] === k) run[2] = r;
      else {
        const fresh: [number, number, number, number] = [c, r, r, k];
        runs.push(fresh);
        open.set(c, fresh);
      }
    });
  });
  return {
    validations: { rules: rules.map((x) => ({ ...x, criteriaValues: encodeValue(x.criteriaValues) })), runs },
    conditionalRules: sheet.conditionalRules.map((x) => ({ ...x, ranges: encodeValue(x.ranges), criteriaValues: encodeValue(x.criteriaValues) })),
    charts: sheet.charts.map((x) => ({ ...x, ranges: encodeValue(x.ranges) })),
    filter: sheet.filter ? { range: { ...sheet.filter.range }, criteria: [...sheet.filter.criteria].map(([c, x]) => [c, { ...x, criteriaValues: encodeValue(x.criteriaValues) }]), hidden: [...sheet.filter.hidden] } : null,
  };
}

/** Puts back what `rulesMeta` saved (after every sheet is loaded: rules may name other sheets). */
function restoreRules(sheet: SheetData, meta: SheetMeta, ss: SpreadsheetModel): void {
  const v = meta.validations;
  if (v) {
    const rules = v.rules.map((x) => Object.freeze({ ...(x as ValidationData), criteriaValues: Object.freeze(decodeValue((x as ValidationData).criteriaValues, ss) as unknown[]) }));
    for (const [c, from, to, k] of v.runs) for (let r = from; r <= to; r++) sheet.validations.set(r, c, rules[k]);
  }
  const refs = (x: unknown) => (decodeValue(x, ss) as (RangeRef | null)[]).filter((r): r is RangeRef => r !== null);
  sheet.conditionalRules = (meta.conditionalRules ?? []).map((x) => {
    const rule = x as ConditionalRuleData;
    return Object.freeze({ ...rule, ranges: Object.freeze(refs(rule.ranges)), criteriaValues: Object.freeze(decodeValue(rule.criteriaValues, ss) as unknown[]) });
  });
  sheet.charts = (meta.charts ?? []).map((x) => {
    const chart = x as ChartData;
    ss.reserveChartId(chart.chartId);
    return { ...chart, ranges: refs(chart.ranges) };
  });
  const f = meta.filter;
  sheet.filter = f
    ? {
        range: { ...f.range },
        criteria: new Map(f.criteria.map(([c, x]) => [c, Object.freeze({ ...(x as FilterCriteriaData), criteriaValues: decodeValue((x as FilterCriteriaData).criteriaValues, ss) as unknown[] })])),
        hidden: new Set(f.hidden),
      }
    : null;
}

/** Writes the workbook to `file` through a temporary file in the same folder, then renames it (never a half-written file). */
export async function saveWorkbook(workbook: ExcelJS.Workbook, file: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await workbook.xlsx.writeFile(tmp);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Reads an .xlsx into a new SpreadsheetStore (Europe/Paris, fr_FR), applying state.json's per-sheet metadata. */
export async function loadWorkbook(file: string, metas: Record<string, SheetMeta> = {}): Promise<SpreadsheetStore> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const store = new SpreadsheetStore();
  const ss = store.active;
  const blank = ss.sheets[0]; // the "Feuille 1" a new spreadsheet starts with
  const loaded: SheetData[] = [];
  for (const ws of wb.worksheets) {
    const meta = metas[ws.name] ?? {};
    const sheet = ws.name === blank.name ? blank : ss.addSheet(ws.name, undefined, meta.maxRows ?? 1000, meta.maxColumns ?? 26);
    readSheet(ws, sheet, meta, ss.timeZone);
    loaded.push(sheet);
  }
  for (const sheet of loaded) restoreRules(sheet, metas[sheet.name] ?? {}, ss);
  if (loaded.length > 0) {
    ss.sheets = loaded; // drops the blank first sheet if the workbook had none of that name
    const active = wb.views?.[0]?.activeTab ?? 0;
    ss.activeSheet = loaded[Math.min(Math.max(0, active), loaded.length - 1)];
  }
  return store;
}

function readSheet(ws: ExcelJS.Worksheet, sheet: SheetData, meta: SheetMeta, tz: string): void {
  const rows = ws.rowCount;
  const cols = ws.columnCount;
  const values: unknown[][] = [];
  const formulas: [number, number, string][] = [];
  const exact = new Map((meta.exactDates ?? []).map(([r, c, ms]) => [`${r}:${c}`, ms]));
  const date = (d: Date, r: number, c: number) => {
    const ms = fromWall(d.getTime(), tz);
    const kept = exact.get(`${r}:${c}`);
    // The exact instant applies only if the cell still shows the same wall time (not edited by hand).
    return new Date(kept !== undefined && fromWall(toWall(kept, tz), tz) === ms ? kept : ms);
  };
  const plain = (v: unknown, r: number, c: number): unknown => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return date(v, r, c);
    if (typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if (typeof o.error === 'string') return o.error;
    if ('text' in o && 'hyperlink' in o) return plain(o.text, r, c);
    if ('result' in o || 'formula' in o || 'sharedFormula' in o) return plain(o.result, r, c);
    return String(v);
  };
  for (let r = 1; r <= rows; r++) {
    const line: unknown[] = [];
    for (let c = 1; c <= cols; c++) {
      const cell = ws.findCell(r, c);
      if (!cell) {
        line.push('');
        continue;
      }
      line.push(plain(cell.value, r, c));
      if (cell.formula) formulas.push([r, c, '=' + cell.formula]);
      if (cell.font?.bold) sheet.styleLayer('fontWeight').set(r, c, 'bold');
      const note = typeof cell.note === 'string' ? cell.note : cell.note?.texts?.map((t) => t.text).join('');
      if (note) sheet.notes.set(r, c, note);
    }
    values.push(line);
  }
  sheet.ensureSize(Math.max(rows, meta.maxRows ?? 0), Math.max(cols, meta.maxColumns ?? 0));
  if (values.length) sheet.seed(values, 1);
  for (const [r, c, f] of formulas) sheet.formulaCells.set(r, c, f);

  // Number formats: a cell of the file has its own; rows below take their column's.
  const formatRows = meta.formatRows ?? sheet.maxRows;
  for (let c = 1; c <= cols; c++) {
    const colFmt = normalizeFormat(ws.getColumn(c).numFmt);
    for (let r = 1; r <= Math.max(rows, colFmt ? formatRows : 0); r++) {
      const cell = r <= rows ? ws.findCell(r, c) : undefined;
      const fmt = cell ? normalizeFormat(cell.numFmt) : colFmt;
      if (fmt) sheet.formats.set(r, c, fmt);
    }
  }
  for (const [r, c, fmt] of meta.formatOverrides ?? []) sheet.formats.set(r, c, fmt ?? undefined);

  const frozen = ws.views?.find((v) => v.state === 'frozen') as { ySplit?: number; xSplit?: number } | undefined;
  sheet.frozenRows = frozen?.ySplit ?? 0;
  sheet.frozenColumns = frozen?.xSplit ?? meta.frozenColumns ?? 0;
  sheet.hidden = ws.state === 'hidden' || ws.state === 'veryHidden';
  if (meta.columnWidths) sheet.columnWidths = meta.columnWidths.map((w) => w ?? undefined);
  sheet.tabColor = meta.tabColor ?? null;
  sheet.touch();
}

function normalizeFormat(fmt: string | undefined): string | undefined {
  return !fmt || fmt === GENERAL ? undefined : fmt;
}
