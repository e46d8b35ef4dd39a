/**
 * The Sheet as the operator sees it and works in it, for the sandbox's /sheet page: what a tab
 * shows (values as displayed, number formats, frozen header, column widths, dropdowns and
 * checkboxes with their off-list warning, conditional colours, the basic filter's hidden rows, the
 * embedded charts with their data), and what a person does in it (type, paste, copy, delete,
 * insert and delete rows, sort, filter). A person's changes are made on the stored cells, as the
 * Sheets UI makes them (typed input parsed by the emulator's rules), then `onEdit` runs with
 * Sheets' event object. Sort, filter and rows do not fire onEdit (Sheets fires onChange for them).
 */
import type { RangeRef, SheetData, ValidationData } from '../emulator';
import { applyFilter, createFilterData } from '../emulator/spreadsheet/filter';
import { CellDate, type Cell, dateToSerial, a1Notation, parseA1 } from '../emulator/spreadsheet/values';
import { formulaHolds } from './formula';
import type { Sandbox } from './sandbox';

/** Rows of a tab sent to the grid at most (the newest ones): the page stays fast on a big Events tab. */
const MAX_GRID_ROWS = 2000;
/** Empty rows shown below the data, to type a new row in. */
const SPARE_ROWS = 10;

export class UserError extends Error {}

/** One cell as the page draws it. */
interface ViewCell {
  /** Raw value (dates as ISO). */
  v: unknown;
  /** s(tring), n(umber), b(oolean), d(ate). */
  t: 's' | 'n' | 'b' | 'd';
  /** Display value. */
  d: string;
  f?: string;
  /** Index in `validations`. */
  vi?: number;
  /** A value the cell's validation does not accept (Sheets shows a red corner and a warning). */
  invalid?: true;
  bg?: string;
  fc?: string;
  bold?: true;
  note?: string;
}

/** A validation as the page needs it: a dropdown's options, or a checkbox. */
interface ViewValidation {
  type: 'list' | 'checkbox' | 'other';
  options?: string[];
  allowInvalid: boolean;
  helpText: string | null;
}

function cellType(v: Cell): ViewCell['t'] {
  return v instanceof CellDate ? 'd' : typeof v === 'number' ? 'n' : typeof v === 'boolean' ? 'b' : 's';
}

const listCache = new WeakMap<ValidationData, string[]>();

function listOptions(rule: ValidationData): string[] | undefined {
  if (rule.criteriaType === 'VALUE_IN_LIST') {
    // Rules are immutable: a list's options are computed once.
    let options = listCache.get(rule);
    if (!options) listCache.set(rule, (options = (rule.criteriaValues[0] as unknown[]).map((x) => String(x))));
    return options;
  }
  if (rule.criteriaType === 'VALUE_IN_RANGE') {
    const ref = rule.criteriaValues[0] as RangeRef;
    const out: string[] = [];
    for (let r = ref.row; r < ref.row + ref.numRows; r++) for (let c = ref.col; c < ref.col + ref.numCols; c++) {
      const d = ref.sheet.displayValue(r, c);
      if (d !== '') out.push(d);
    }
    return out;
  }
  return undefined;
}

/** True when the cell's value breaks its rule (an empty cell never does). */
function breaksRule(sheet: SheetData, r: number, c: number, rule: ValidationData): boolean {
  const v = sheet.cells.get(r, c);
  if (v === undefined) return false;
  if (rule.criteriaType === 'CHECKBOX') {
    const states = rule.criteriaValues.length ? rule.criteriaValues : [true, false];
    return !states.includes(v);
  }
  const options = listOptions(rule);
  return options ? !options.includes(sheet.displayValue(r, c)) : false;
}

/** True when a formula's cell references all have a `$` column (then it gives the same answer across a row). */
function sameAcrossRow(formula: string): boolean {
  return !/(?<![$A-Za-z])[A-Za-z]{1,3}\$?\d/.test(formula.replace(/"(?:[^"]|"")*"/g, '""'));
}

/**
 * The conditional format of a cell: the first rule of the sheet whose condition holds there.
 * `rowMemo` keeps, per row, the answer of formulas anchored on their columns (the usual
 * `=$E2="opted_out"`), so a wide tab evaluates them once per row, not once per cell.
 */
function conditionalStyle(sheet: SheetData, r: number, c: number, now: number, rowMemo: Map<string, boolean>): { bg?: string; fc?: string; bold?: true } | undefined {
  for (const [i, rule] of sheet.conditionalRules.entries()) {
    const ref = rule.ranges.find((x) => x.sheet === sheet && r >= x.row && r < x.row + x.numRows && c >= x.col && c < x.col + x.numCols);
    if (!ref) continue;
    let holds = false;
    const shown = sheet.displayValue(r, c).toLowerCase();
    const arg = String(rule.criteriaValues[0] ?? '').toLowerCase();
    switch (rule.criteriaType) {
      case 'CUSTOM_FORMULA': {
        const formula = String(rule.criteriaValues[0]);
        const key = `${i}:${r}`;
        const memo = rowMemo.get(key);
        holds = memo ?? formulaHolds(formula, { sheet, dRow: r - ref.row, dCol: c - ref.col, now });
        if (memo === undefined && sameAcrossRow(formula)) rowMemo.set(key, holds);
        break;
      }
      case 'TEXT_EQUAL_TO': holds = shown === arg; break;
      case 'TEXT_CONTAINS': holds = shown.includes(arg); break;
      case 'TEXT_STARTS_WITH': holds = shown.startsWith(arg); break;
      case 'CELL_EMPTY': holds = shown === ''; break;
      case 'CELL_NOT_EMPTY': holds = shown !== ''; break;
    }
    if (holds) return { ...(rule.background ? { bg: rule.background } : {}), ...(rule.fontColor ? { fc: rule.fontColor } : {}), ...(rule.bold ? { bold: true as const } : {}) };
  }
  return undefined;
}

/** The data of a chart, read from its ranges as Sheets reads them: first column the labels, then one series per column. */
function chartData(chart: SheetData['charts'][number]): { labels: string[]; series: { name: string; values: (number | null)[] }[] } {
  const columns: { sheet: SheetData; row: number; col: number; numRows: number }[] = [];
  for (const ref of chart.ranges) for (let c = ref.col; c < ref.col + ref.numCols; c++) columns.push({ sheet: ref.sheet, row: ref.row, col: c, numRows: ref.numRows });
  if (columns.length === 0) return { labels: [], series: [] };
  const [first, ...rest] = columns;
  const value = (s: SheetData, r: number, c: number): number | null => {
    const v = s.cells.get(r, c);
    return typeof v === 'number' ? v : v instanceof CellDate ? dateToSerial(v.ms, s.parent.timeZone) : null;
  };
  // numHeaders -1: Sheets guesses a header row when the first row of a value column is not a number.
  let headers = chart.numHeaders >= 0 ? chart.numHeaders : rest.length && value(rest[0].sheet, rest[0].row, rest[0].col) === null ? 1 : 0;
  // A gauge over one row with a header row would have no data: it is drawn from that row (how Sheets
  // reads this case is not checked; the Dashboard's gauge is A5:B5 with setNumHeaders(1)).
  if (chart.type === 'GAUGE' && headers >= first.numRows) headers = 0;
  const n = Math.max(0, first.numRows - headers);
  const labels = Array.from({ length: n }, (_, i) => first.sheet.displayValue(first.row + headers + i, first.col));
  const series = rest.map((col) => ({
    name: headers ? col.sheet.displayValue(col.row, col.col) : '',
    values: Array.from({ length: n }, (_, i) => value(col.sheet, col.row + headers + i, col.col)),
  }));
  return { labels, series };
}

/** Everything the page needs to draw one tab. */
export function sheetView(sandbox: Sandbox, name: string): unknown {
  const ss = sandbox.gas.spreadsheet.active;
  const sheet = ss.findSheet(name);
  if (!sheet) throw new UserError(`Onglet introuvable : ${name}`);
  const now = sandbox.now();
  const lastRow = sheet.lastRow;
  // Two empty columns beyond the data, where the grid has them, to type a new column in.
  const width = Math.max(1, Math.min(sheet.maxColumns, sheet.lastColumn + 2));
  const shownTo = Math.min(sheet.maxRows, Math.max(lastRow, 1) + SPARE_ROWS);
  // An empty tab starts at row 1, so that its header can be typed.
  const first = lastRow === 0 ? 1 : Math.max(2, lastRow - MAX_GRID_ROWS + 1);
  const validations: ViewValidation[] = [];
  const validationIndex = new Map<ValidationData, number>();
  const rowMemo = new Map<string, boolean>();
  const cell = (r: number, c: number): ViewCell | null => {
    const v = sheet.cells.get(r, c);
    const f = sheet.formulaCells.get(r, c);
    const rule = sheet.validations.get(r, c);
    const bold = sheet.style('fontWeight', r, c) === 'bold';
    const note = sheet.notes.get(r, c);
    const style = r > 1 ? conditionalStyle(sheet, r, c, now, rowMemo) : undefined;
    if (v === undefined && !f && !rule && !bold && !style && !note) return null;
    const out: ViewCell = v === undefined ? { v: '', t: 's', d: '' } : { v: v instanceof CellDate ? new Date(v.ms).toISOString() : v, t: cellType(v), d: sheet.displayValue(r, c) };
    if (f) out.f = f;
    if (bold) out.bold = true;
    if (note) out.note = note;
    if (style) Object.assign(out, style);
    if (rule) {
      let i = validationIndex.get(rule);
      if (i === undefined) {
        i = validations.length;
        validationIndex.set(rule, i);
        const options = listOptions(rule);
        validations.push({ type: rule.criteriaType === 'CHECKBOX' ? 'checkbox' : options ? 'list' : 'other', ...(options ? { options } : {}), allowInvalid: rule.allowInvalid, helpText: rule.helpText });
      }
      out.vi = i;
      if (breaksRule(sheet, r, c, rule)) out.invalid = true;
    }
    return out;
  };
  const line = (r: number) => Array.from({ length: width }, (_, i) => cell(r, i + 1));
  const rows: { n: number; hidden?: true; cells: (ViewCell | null)[] }[] = [];
  for (let r = first; r <= shownTo; r++) rows.push({ n: r, ...(sheet.filter?.hidden.has(r) ? { hidden: true as const } : {}), cells: line(r) });
  const filter = sheet.filter
    ? {
        range: a1Notation(sheet.filter.range),
        row: sheet.filter.range.row,
        col: sheet.filter.range.col,
        numCols: sheet.filter.range.numCols,
        criteria: Object.fromEntries([...sheet.filter.criteria].map(([col, c]) => [col, { hiddenValues: c.hiddenValues, type: c.criteriaType, values: c.criteriaValues }])),
        hiddenRows: sheet.filter.hidden.size,
      }
    : null;
  return {
    name,
    frozenRows: sheet.frozenRows,
    lastRow,
    lastColumn: sheet.lastColumn,
    maxRows: sheet.maxRows,
    tabColor: sheet.tabColor,
    columnWidths: Array.from({ length: width }, (_, i) => sheet.columnWidth(i + 1)),
    header: lastRow ? line(1) : [],
    rows,
    truncated: first > 2,
    validations,
    filter,
    charts: sheet.chartList.map((c) => ({
      id: c.chartId,
      title: String(c.options.title ?? ''),
      type: c.type,
      ranges: c.a1,
      position: c.position,
      options: c.options,
      data: chartData(c),
    })),
  };
}

/** The tabs in their order, with their colour. */
export function tabsView(sandbox: Sandbox): { name: string; color: string | null; hidden: boolean }[] {
  return sandbox.gas.spreadsheet.active.sheets.map((s) => ({ name: s.name, color: s.tabColor, hidden: s.hidden }));
}

// ---- what a person does ---------------------------------------------------------------------------

/** A cell as an onEdit event gives it: a string (booleans TRUE/FALSE, dates as serial numbers), absent when empty. */
function eventValue(sheet: SheetData, r: number, c: number): string | undefined {
  const v = sheet.cells.get(r, c);
  if (v === undefined) return undefined;
  if (v instanceof CellDate) return String(dateToSerial(v.ms, sheet.parent.timeZone));
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

function sheetOf(sandbox: Sandbox, name: unknown): SheetData {
  const sheet = sandbox.gas.spreadsheet.active.findSheet(String(name ?? ''));
  if (!sheet) throw new UserError(`Onglet introuvable : ${String(name)}`);
  return sheet;
}

function position(v: unknown, what: string, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UserError(`${what} invalide : ${String(v)}`);
  return n;
}

/** Writes typed text into a block of cells from (row, col), then runs onEdit: typing (one cell) or pasting text. */
export function typeCells(sandbox: Sandbox, body: Record<string, unknown>): { ok: boolean; error?: string; warning?: string } {
  const sheet = sheetOf(sandbox, body.sheet);
  const values = body.values as unknown[][];
  if (!Array.isArray(values) || values.length === 0 || !values.every((l) => Array.isArray(l) && l.length > 0)) throw new UserError('Valeurs invalides');
  const row = position(body.row, 'Ligne', sheet.maxRows);
  const col = position(body.col, 'Colonne', sheet.maxColumns);
  const numRows = values.length;
  const numCols = Math.max(...values.map((l) => l.length));
  const text = values.map((l) => l.map((x) => (x === null || x === undefined ? '' : String(x))));
  if (row + numRows - 1 > sheet.maxRows || col + numCols - 1 > sheet.maxColumns) throw new UserError('Le collage dépasse les dimensions de la feuille.');
  // A rule that rejects (allowInvalid false) refuses the whole input, as Sheets does; one that warns lets it in.
  const single = numRows === 1 && numCols === 1;
  const oldValue = single ? eventValue(sheet, row, col) : undefined;
  const before = new Map<string, Cell | undefined>();
  let warning: string | undefined;
  try {
    text.forEach((l, i) =>
      l.forEach((t, j) => {
        before.set(`${row + i}:${col + j}`, sheet.cells.get(row + i, col + j));
        sheet.writeValue(row + i, col + j, t);
      }),
    );
    for (let i = 0; i < numRows; i++) for (let j = 0; j < text[i].length; j++) {
      const rule = sheet.validations.get(row + i, col + j);
      if (!rule || !breaksRule(sheet, row + i, col + j, rule)) continue;
      const where = a1Notation({ row: row + i, col: col + j, numRows: 1, numCols: 1 });
      if (!rule.allowInvalid) throw new UserError(`Les données saisies dans la cellule ${where} ne respectent pas les règles de validation définies pour cette cellule.`);
      warning = `Entrée non valide en ${where} : la valeur doit être un élément de la liste${rule.helpText ? ` (${rule.helpText})` : ''}.`;
    }
  } catch (e) {
    // Nothing of a refused input stays (the emulator's parsing refuses, e.g., an over-long text).
    for (const [k, v] of before) {
      const [r, c] = k.split(':').map(Number);
      sheet.cells.set(r, c, v);
      sheet.formulaCells.set(r, c, undefined);
    }
    sheet.touch();
    if (e instanceof UserError) throw e;
    throw new UserError((e as Error).message);
  }
  const where = a1Notation({ row, col, numRows, numCols });
  const out = sandbox.fireOnEdit(
    { sheet: sheet.name, row, col, numRows, numCols, ...(single ? { value: eventValue(sheet, row, col), oldValue } : {}) },
    `onEdit() : ${sheet.name}!${where} modifié à la main`,
  );
  return { ...out, ...(warning ? { warning } : {}) };
}

/** Copies a block (values, formulas, number formats) to (row, col) of a tab, then runs onEdit: Sheets' copy and paste. */
export function pasteCells(sandbox: Sandbox, body: Record<string, unknown>): { ok: boolean; error?: string } {
  const from = (body.from ?? {}) as Record<string, unknown>;
  const source = sheetOf(sandbox, from.sheet);
  const rect = parseA1(String(from.range ?? ''), source.maxRows, source.maxColumns);
  if (!rect || rect.sheetName) throw new UserError(`Plage invalide : ${String(from.range)}`);
  const target = sheetOf(sandbox, body.sheet);
  const row = position(body.row, 'Ligne', target.maxRows);
  const col = position(body.col, 'Colonne', target.maxColumns);
  if (row + rect.numRows - 1 > target.maxRows || col + rect.numCols - 1 > target.maxColumns) throw new UserError('Le collage dépasse les dimensions de la feuille.');
  // Read everything first: the source and the destination may overlap.
  const block = Array.from({ length: rect.numRows }, (_, i) =>
    Array.from({ length: rect.numCols }, (_, j) => {
      const r = rect.row + i;
      const c = rect.col + j;
      return { v: source.cells.get(r, c), f: source.formulaCells.get(r, c), fmt: source.formats.get(r, c) };
    }),
  );
  const single = rect.numRows === 1 && rect.numCols === 1;
  const oldValue = single ? eventValue(target, row, col) : undefined;
  block.forEach((l, i) =>
    l.forEach((x, j) => {
      target.cells.set(row + i, col + j, x.v);
      target.formulaCells.set(row + i, col + j, x.f);
      target.formats.set(row + i, col + j, x.fmt);
    }),
  );
  target.touch();
  const where = a1Notation({ row, col, numRows: rect.numRows, numCols: rect.numCols });
  return sandbox.fireOnEdit(
    { sheet: target.name, row, col, numRows: rect.numRows, numCols: rect.numCols, ...(single ? { value: eventValue(target, row, col), oldValue } : {}) },
    `onEdit() : collage dans ${target.name}!${where}`,
  );
}

/** Deletes the contents of a range (the Delete key), then runs onEdit. */
export function clearCells(sandbox: Sandbox, body: Record<string, unknown>): { ok: boolean; error?: string } {
  const sheet = sheetOf(sandbox, body.sheet);
  const rect = parseA1(String(body.range ?? ''), sheet.maxRows, sheet.maxColumns);
  if (!rect || rect.sheetName || rect.row + rect.numRows - 1 > sheet.maxRows || rect.col + rect.numCols - 1 > sheet.maxColumns) throw new UserError(`Plage invalide : ${String(body.range)}`);
  const single = rect.numRows === 1 && rect.numCols === 1;
  const oldValue = single ? eventValue(sheet, rect.row, rect.col) : undefined;
  sheet.cells.clear(rect);
  sheet.formulaCells.clear(rect);
  sheet.touch();
  return sandbox.fireOnEdit(
    { sheet: sheet.name, row: rect.row, col: rect.col, numRows: rect.numRows, numCols: rect.numCols, ...(single && oldValue !== undefined ? { oldValue } : {}) },
    `onEdit() : ${sheet.name}!${a1Notation(rect)} effacé`,
  );
}

/** Inserts rows (before or after `row`, taking the formats of the row beside them) or deletes them. */
export function changeRows(sandbox: Sandbox, body: Record<string, unknown>): { ok: true } {
  const sheet = sheetOf(sandbox, body.sheet);
  const row = position(body.row, 'Ligne', sheet.maxRows);
  const count = body.count === undefined ? 1 : position(body.count, 'Nombre de lignes', sheet.maxRows);
  if (body.action === 'insertBefore') sheet.insertRows(row, count, row > 1 ? row - 1 : row);
  else if (body.action === 'insertAfter') sheet.insertRows(row + 1, count, row);
  else if (body.action === 'delete') {
    if (row + count - 1 > sheet.maxRows) throw new UserError('Ces lignes dépassent la feuille.');
    if (count >= sheet.maxRows) throw new UserError('Impossible de supprimer toutes les lignes de la feuille.');
    sheet.deleteRows(row, count);
  } else throw new UserError('Action inconnue (insertBefore, insertAfter, delete)');
  const label = body.action === 'delete' ? `${count} ligne(s) supprimée(s) à partir de la ligne ${row}` : `${count} ligne(s) insérée(s) ${body.action === 'insertBefore' ? 'avant' : 'après'} la ligne ${row}`;
  sandbox.note(`${sheet.name} : ${label}`);
  return { ok: true };
}

/** Sorts the tab by a column, below its frozen rows (Données › Trier la feuille), as Sheet.sort does. */
export function sortSheet(sandbox: Sandbox, body: Record<string, unknown>): { ok: true } {
  const sheet = sheetOf(sandbox, body.sheet);
  const column = position(body.column, 'Colonne', sheet.maxColumns);
  const ascending = body.ascending !== false;
  const first = sheet.frozenRows + 1;
  if (sheet.lastRow >= first) sheet.sortRows({ row: first, col: 1, numRows: sheet.lastRow - first + 1, numCols: Math.max(sheet.lastColumn, column) }, [{ column, ascending }]);
  if (sheet.filter) applyFilter(sheet, sheet.filter);
  sandbox.note(`${sheet.name} : trié par ${sheet.displayValue(1, column) || `colonne ${column}`} (${ascending ? 'A → Z' : 'Z → A'})`);
  return { ok: true };
}

/** The filter conditions the page offers (Filtrer par condition). */
const FILTER_CONDITIONS = ['CELL_EMPTY', 'CELL_NOT_EMPTY', 'TEXT_EQUAL_TO', 'TEXT_NOT_EQUAL_TO', 'TEXT_CONTAINS', 'TEXT_DOES_NOT_CONTAIN', 'TEXT_STARTS_WITH'];

/**
 * The basic filter: `create` (on the data range), `remove`, or `criteria` on a column: the values to
 * hide (Filtrer par valeurs), or a condition ({type: 'TEXT_EQUAL_TO', value}); neither clears it.
 */
export function changeFilter(sandbox: Sandbox, body: Record<string, unknown>): { ok: true; hiddenRows: number } {
  const sheet = sheetOf(sandbox, body.sheet);
  if (body.action === 'create') {
    if (sheet.filter) throw new UserError('Cet onglet a déjà un filtre.');
    createFilterData(sheet, { row: 1, col: 1, numRows: Math.max(1, sheet.lastRow), numCols: Math.max(1, sheet.lastColumn) });
    sandbox.note(`${sheet.name} : filtre créé`);
  } else if (body.action === 'remove') {
    sheet.filter = null;
    sandbox.note(`${sheet.name} : filtre supprimé`);
  } else if (body.action === 'criteria') {
    const f = sheet.filter;
    if (!f) throw new UserError("Cet onglet n'a pas de filtre.");
    const column = position(body.column, 'Colonne', sheet.maxColumns);
    if (column < f.range.col || column >= f.range.col + f.range.numCols) throw new UserError('Cette colonne est hors du filtre.');
    const hidden = Array.isArray(body.hiddenValues) ? body.hiddenValues.map(String) : [];
    const type = typeof body.type === 'string' && body.type ? body.type : null;
    if (type && !FILTER_CONDITIONS.includes(type)) throw new UserError(`Condition inconnue : ${type}`);
    if (!hidden.length && !type) f.criteria.delete(column);
    else f.criteria.set(column, Object.freeze({ hiddenValues: hidden, criteriaType: type, criteriaValues: type && body.value !== undefined ? [String(body.value)] : [] }));
    applyFilter(sheet, f);
    sandbox.note(`${sheet.name} : filtre sur ${sheet.displayValue(f.range.row, column) || `colonne ${column}`}`, `${f.hidden.size} ligne(s) masquée(s)`);
  } else throw new UserError('Action inconnue (create, remove, criteria)');
  return { ok: true, hiddenRows: sheet.filter?.hidden.size ?? 0 };
}
