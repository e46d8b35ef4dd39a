/** The Sheets fake: typed input, grid rules, formats, TextFinder, UI, rules, call counting, strictness. */
import type { ExecutionKind } from '../core';
import { fakeExecution } from './execution';
import { DEFAULT_NUMBER_FORMAT, SpreadsheetStore, makeSpreadsheetApp } from '../spreadsheet';

function setup(kind: ExecutionKind = 'trigger', store = new SpreadsheetStore()) {
  const { exec, realm } = fakeExecution(kind);
  const app = makeSpreadsheetApp(store, exec);
  const ss = app.getActiveSpreadsheet();
  const sheet = ss.getSheets()[0];
  return { store, exec, realm, app, ss, sheet, data: store.active.sheet('Feuille 1') };
}

/** Writes one string in A1 of a fresh sheet and reads it back. */
function typed(input: unknown, format?: string) {
  const t = setup();
  const cell = t.sheet.getRange('A1');
  if (format) cell.setNumberFormat(format);
  cell.setValue(input);
  return { value: cell.getValue(), formula: cell.getFormula(), t };
}

describe('store', () => {
  test('a new spreadsheet has one French sheet of 1000 x 26, in Europe/Paris, fr_FR', () => {
    const store = new SpreadsheetStore({ name: 'Ops' });
    expect(store.active.name).toBe('Ops');
    expect(store.active.sheetNames()).toEqual(['Feuille 1']);
    const s = store.active.sheet('Feuille 1');
    expect([s.maxRows, s.maxColumns, s.lastRow, s.lastColumn]).toEqual([1000, 26, 0, 0]);
    expect(store.active.timeZone).toBe('Europe/Paris');
    expect(store.active.locale).toBe('fr_FR');
    expect(store.list()).toHaveLength(1);
    expect(store.get(store.active.id)).toBe(store.active);
    expect(() => store.active.sheet('Nope')).toThrow(/no sheet named/);
  });

  test('seed writes 100,000 x 19 raw values fast and grows the grid', () => {
    const { store, sheet } = setup();
    const rows: unknown[][] = [];
    for (let i = 0; i < 100000; i++) rows.push(Array.from({ length: 19 }, (_, c) => (c === 0 ? `lead_${i}` : c === 1 ? '0612345678' : i * c)));
    const t0 = Date.now();
    store.active.sheet('Feuille 1').seed(rows, 2);
    expect(Date.now() - t0).toBeLessThan(1000);
    const data = store.active.sheet('Feuille 1');
    expect([data.maxRows, data.lastRow, data.lastColumn]).toEqual([100001, 100001, 19]);
    // raw: no typed-input parsing
    expect(sheet.getRange(100001, 1, 1, 2).getValues()).toEqual([['lead_99999', '0612345678']]);
    const t1 = Date.now();
    const all = sheet.getDataRange().getValues();
    expect(all).toHaveLength(100001);
    expect(Date.now() - t1).toBeLessThan(2000);
  });

  test('seed keeps host Dates as dates and returns realm Dates to the script', () => {
    const { data, sheet, realm } = setup();
    const at = new Date('2026-11-23T08:15:00Z');
    data.seed([[at, '', null]]);
    const v = sheet.getRange('A1').getValue();
    expect(v).toBeInstanceOf(realm.Date);
    expect((v as Date).getTime()).toBe(at.getTime());
    expect(data.values()).toEqual([[at]]);
  });
});

describe('typed input (fr_FR, Europe/Paris)', () => {
  test.each<[string, unknown]>([
    ['0612345678', 612345678],
    ['+33612345678', 33612345678],
    ['-12.5', -12.5],
    ['1,5', 1.5],
    ['1e3', 1000],
    ['1 234,5', 1234.5],
    ['12%', 0.12],
    ['TRUE', true],
    ['false', false],
    ['Vrai', true],
    ['FAUX', false],
    ['06 12 34 56 78', '06 12 34 56 78'],
    ['lead_123', 'lead_123'],
    ['31/02/2026', '31/02/2026'],
    ['', ''],
    ["'0612345678", '0612345678'],
    ["'=1+1", '=1+1'],
    ["'", ''],
  ])('%j reads back as %j', (input, expected) => {
    const { value, formula } = typed(input);
    expect(value).toEqual(expected);
    expect(formula).toBe('');
  });

  test('a string starting with = is a formula: not computed, value empty', () => {
    const { value, formula, t } = typed('=SUM(B1:B3)');
    expect(value).toBe('');
    expect(formula).toBe('=SUM(B1:B3)');
    expect(t.data.formulas()).toEqual([['=SUM(B1:B3)']]);
    expect(t.sheet.getLastRow()).toBe(1); // a formula is content
  });

  test.each(['-abc', '+ hello'])('non-numeric %j starting with a sign becomes an erroring formula', (input) => {
    const { value, formula } = typed(input);
    expect(formula).toBe('=' + input);
    expect(value).toBe('#ERROR!');
  });

  test.each<[string, number]>([
    ['2026-11-23', Date.UTC(2026, 10, 22, 23, 0, 0)],
    ['23/11/2026', Date.UTC(2026, 10, 22, 23, 0, 0)],
    ['2026-11-23 14:30', Date.UTC(2026, 10, 23, 13, 30, 0)],
    ['23/11/2026 14:30:05', Date.UTC(2026, 10, 23, 13, 30, 5)],
    ['2026-07-01 12:00', Date.UTC(2026, 6, 1, 10, 0, 0)], // summer time, UTC+2
    ['2026-03-29 03:30', Date.UTC(2026, 2, 29, 1, 30, 0)], // just after the spring switch
    ['2026-03-29 01:30', Date.UTC(2026, 2, 29, 0, 30, 0)], // just before it
  ])('%j is a date at that wall-clock time in Paris', (input, ms) => {
    const { value, t } = typed(input);
    expect(value).toBeInstanceOf(t.realm.Date);
    expect((value as Date).getTime()).toBe(ms);
  });

  test('a typed date gets a date format, a typed date-time a date-time format', () => {
    const t = setup();
    t.sheet.getRange('A1:B1').setValues([['23/11/2026', '2026-11-23 14:30']]);
    expect(t.sheet.getRange('A1:B1').getNumberFormats()).toEqual([['dd/MM/yyyy', 'dd/MM/yyyy HH:mm:ss']]);
    expect(t.sheet.getRange('A1:B1').getDisplayValues()).toEqual([['23/11/2026', '23/11/2026 14:30:00']]);
  });

  test('a plain-text (@) cell keeps numbers, booleans and dates as text, but = is still a formula and the apostrophe still goes', () => {
    for (const s of ['0612345678', '+33612345678', 'TRUE', '2026-11-23', '1,5']) {
      const { value, formula } = typed(s, '@');
      expect([s, value, formula]).toEqual([s, s, '']);
    }
    expect(typed('=A2', '@')).toMatchObject({ value: '', formula: '=A2' });
    expect(typed("'0612", '@').value).toBe('0612');
    expect(typed('-abc', '@')).toMatchObject({ value: '-abc', formula: '' });
  });

  test('a number written to a @ cell reads back as a number', () => {
    expect(typed(42, '@').value).toBe(42);
  });

  test('numbers, booleans and Dates of any realm are stored as is; null and undefined clear', () => {
    const t = setup();
    const r = t.sheet.getRange('A1:E1');
    const hostDate = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const realmDate = new t.realm.Date(Date.UTC(2027, 0, 1));
    r.setValues([[3.25, true, hostDate, realmDate, 'x']]);
    r.setValues([[3.25, true, hostDate, realmDate, null]]);
    const [row] = r.getValues();
    expect(row.slice(0, 2)).toEqual([3.25, true]);
    expect(row[2]).toBeInstanceOf(t.realm.Date);
    expect((row[2] as Date).getTime()).toBe(hostDate.getTime());
    expect((row[3] as Date).getTime()).toBe(realmDate.getTime());
    expect(row[4]).toBe('');
    t.sheet.getRange('B1').setValue(undefined);
    expect(t.sheet.getRange('B1').getValue()).toBe('');
  });

  test('objects and functions are refused, with an error of the script realm, and nothing is written', () => {
    const t = setup();
    const r = t.sheet.getRange('A1:B1');
    expect(() => r.setValues([['ok', { a: 1 }]])).toThrow(/Cannot write a value of type object/);
    expect(r.getValues()).toEqual([['', '']]);
    expect(() => r.setValue(() => 1)).toThrow(/type function/);
    let caught: unknown;
    try {
      r.setValue({});
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(t.realm.Error);
  });

  test('a string longer than 50,000 characters is refused', () => {
    const t = setup();
    expect(() => t.sheet.getRange('A1').setValue('x'.repeat(50001))).toThrow(
      'Your input contains more than the maximum of 50000 characters in a single cell.',
    );
    t.sheet.getRange('A1').setValue('x'.repeat(50000));
    expect(String(t.sheet.getRange('A1').getValue())).toHaveLength(50000);
  });

  test('appendRow parses typed input too', () => {
    const t = setup();
    t.sheet.appendRow(['0612345678', "'0612345678", '=A1', 'lead_1']);
    expect(t.sheet.getRange(1, 1, 1, 4).getValues()).toEqual([[612345678, '0612345678', '', 'lead_1']]);
    expect(t.sheet.getRange('C1').getFormula()).toBe('=A1');
  });
});

describe('grid', () => {
  test('getRange outside the grid, or with a bad start or size, throws', () => {
    const { sheet } = setup();
    expect(() => sheet.getRange(1001, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => sheet.getRange(1, 1, 1, 27)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => sheet.getRange('AA1')).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => sheet.getRange(0, 1)).toThrow(/starting row/);
    expect(() => sheet.getRange(1, 0)).toThrow(/starting column/);
    expect(() => sheet.getRange(1, 1, 0, 1)).toThrow(/number of rows/);
    expect(() => sheet.getRange(1, 1, 1, 0)).toThrow(/number of columns/);
    expect(sheet.getRange(1000, 26).getA1Notation()).toBe('Z1000');
  });

  test('A1 notation: cells, rectangles, whole columns and open-ended ranges', () => {
    const { sheet } = setup();
    const r = sheet.getRange('B2:D10');
    expect([r.getRow(), r.getColumn(), r.getNumRows(), r.getNumColumns(), r.getLastRow(), r.getLastColumn()]).toEqual([2, 2, 9, 3, 10, 4]);
    expect(r.getA1Notation()).toBe('B2:D10');
    const cols = sheet.getRange('A:C');
    expect([cols.getRow(), cols.getNumRows(), cols.getNumColumns()]).toEqual([1, 1000, 3]);
    const open = sheet.getRange('B2:B');
    expect([open.getRow(), open.getColumn(), open.getNumRows(), open.getWidth()]).toEqual([2, 2, 999, 1]);
    expect(() => sheet.getRange('not a range')).toThrow('Range not found');
  });

  test('setValues with the wrong shape throws the Apps Script messages', () => {
    const { sheet } = setup();
    const r = sheet.getRange(1, 1, 2, 2);
    expect(() => r.setValues([[1, 2]])).toThrow('The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.');
    expect(() => r.setValues([[1, 2], [3]])).toThrow('The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.');
  });

  test('appendRow writes after the last row with content, and grows the grid by one row when full', () => {
    const { sheet, data } = setup();
    sheet.getRange('A5').setValue('x');
    sheet.appendRow(['a', 'b']);
    expect(sheet.getRange('A6:B6').getValues()).toEqual([['a', 'b']]);
    expect(sheet.getMaxRows()).toBe(1000);
    sheet.getRange('A1000').setValue('last');
    sheet.getRange('B1000').setNumberFormat('@');
    sheet.appendRow(['new', '0612']);
    expect(sheet.getMaxRows()).toBe(1001);
    expect(sheet.getRange('A1001:B1001').getValues()).toEqual([['new', '0612']]); // format of the row above inherited
    expect(data.numberFormat(1001, 2)).toBe('@');
  });

  test('appendRow into an existing row keeps that row\'s own format (only a grown row inherits)', () => {
    const { sheet } = setup();
    sheet.getRange('A1').setNumberFormat('@').setValue('h');
    sheet.appendRow(['0612']);
    expect(sheet.getRange('A2').getValue()).toBe(612);
  });

  test('insertRowsAfter / insertRowsBefore / insertRows shift data and copy the formats of the row above', () => {
    const { sheet, data } = setup();
    sheet.getRange('A1:A3').setValues([['r1'], ['r2'], ['r3']]);
    sheet.getRange('B2').setNumberFormat('@');
    sheet.insertRowsAfter(2, 2);
    expect(sheet.getMaxRows()).toBe(1002);
    expect(data.values().map((r) => r[0])).toEqual(['r1', 'r2', '', '', 'r3']);
    expect([data.numberFormat(3, 2), data.numberFormat(4, 2), data.numberFormat(5, 2)]).toEqual(['@', '@', DEFAULT_NUMBER_FORMAT]);
    sheet.insertRowsBefore(1, 1);
    expect(data.values().map((r) => r[0])).toEqual(['', 'r1', 'r2', '', '', 'r3']);
    sheet.insertRows(2);
    expect(sheet.getRange('A3').getValue()).toBe('r1');
    sheet.insertRowAfter(1);
    expect(sheet.getMaxRows()).toBe(1005);
  });

  test('deleteRows / deleteRow shift data up and shrink the grid', () => {
    const { sheet } = setup();
    sheet.getRange('A1:A5').setValues([['1'], ['2'], ['3'], ['4'], ['5']]);
    sheet.deleteRows(2, 2);
    expect(sheet.getRange('A1:A3').getValues()).toEqual([[1], [4], [5]]);
    sheet.deleteRow(1);
    expect(sheet.getRange('A1').getValue()).toBe(4);
    expect(sheet.getMaxRows()).toBe(997);
    expect(sheet.getLastRow()).toBe(2);
    expect(() => sheet.deleteRows(1, 997)).toThrow(/can't delete all the rows/);
    expect(() => sheet.deleteRows(990, 10)).toThrow(/out of bounds/);
  });

  test('insertColumnsAfter / insertColumnAfter shift data right', () => {
    const { sheet } = setup();
    sheet.getRange('A1:C1').setValues([['a', 'b', 'c']]);
    sheet.insertColumnsAfter(1, 2);
    expect(sheet.getRange('A1:E1').getValues()).toEqual([['a', '', '', 'b', 'c']]);
    sheet.insertColumnAfter(5);
    expect(sheet.getMaxColumns()).toBe(29);
    expect(sheet.getLastColumn()).toBe(5);
  });

  test('the spreadsheet may not exceed 10,000,000 cells', () => {
    const { ss, sheet } = setup();
    expect(() => sheet.insertRowsAfter(1, 400000)).toThrow(/above the limit of 10000000 cells/);
    expect(sheet.getMaxRows()).toBe(1000);
    sheet.insertRowsAfter(1, 383000); // 384,000 x 26 = 9,984,000: a new sheet of 26,000 cells no longer fits
    expect(() => ss.insertSheet('Plus')).toThrow(/above the limit of 10000000 cells/);
    expect(() => sheet.insertColumnAfter(1)).toThrow(/above the limit/);
  });

  test('getLastRow / getLastColumn / getDataRange follow the content', () => {
    const { sheet } = setup();
    expect([sheet.getLastRow(), sheet.getLastColumn()]).toEqual([0, 0]);
    expect(sheet.getDataRange().getA1Notation()).toBe('A1');
    sheet.getRange('C7').setValue('x');
    sheet.getRange('B2').setFormula('=1');
    expect([sheet.getLastRow(), sheet.getLastColumn()]).toEqual([7, 3]);
    expect(sheet.getDataRange().getA1Notation()).toBe('A1:C7');
    sheet.getRange('C7').clearContent();
    expect([sheet.getLastRow(), sheet.getLastColumn()]).toEqual([2, 2]);
    sheet.clearContents();
    expect(sheet.getLastRow()).toBe(0);
  });

  test('offset and getCell move within the grid', () => {
    const { sheet } = setup();
    const r = sheet.getRange('B2').offset(1, 2, 2, 3);
    expect(r.getA1Notation()).toBe('D3:F4');
    expect(r.getCell(2, 3).getA1Notation()).toBe('F4');
    expect(() => sheet.getRange('A1').offset(-1, 0)).toThrow(/starting row/);
  });
});

describe('sheets and spreadsheets', () => {
  test('insertSheet(name, index), duplicate names, getIndex, delete, active sheet', () => {
    const { ss, store } = setup();
    ss.insertSheet('Leads');
    ss.insertSheet('Config', 0);
    expect(store.active.sheetNames()).toEqual(['Config', 'Feuille 1', 'Leads']);
    expect(ss.getActiveSheet().getName()).toBe('Config');
    expect(ss.getSheetByName('Leads')!.getIndex()).toBe(3);
    expect(ss.getSheetByName('Nope')).toBeNull();
    expect(() => ss.insertSheet('Leads')).toThrow('A sheet with the name "Leads" already exists. Please enter another name.');
    const leads = ss.getSheetByName('Leads')!;
    expect(leads.getMaxRows()).toBe(1000);
    expect(leads.getMaxColumns()).toBe(26);
    expect(ss.getSheetById(leads.getSheetId())!.getName()).toBe('Leads');
    ss.deleteSheet(ss.getSheetByName('Config')!);
    expect(ss.getNumSheets()).toBe(2);
    ss.setActiveSheet(leads);
    expect(ss.getActiveSheet().getName()).toBe('Leads');
    expect(ss.insertSheet().getName()).toBe('Feuille 2');
    leads.setName('Prospects');
    expect(store.active.sheetNames()).toContain('Prospects');
  });

  test('ids, urls, openById / openByUrl, create, rename, time zone', () => {
    const { app, ss, store } = setup();
    expect(ss.getUrl()).toBe(`https://docs.google.com/spreadsheets/d/${ss.getId()}/edit`);
    expect(app.openById(ss.getId()).getName()).toBe(store.active.name);
    expect(app.openByUrl(ss.getUrl()).getId()).toBe(ss.getId());
    expect(() => app.openById('missing')).toThrow();
    const other = app.create('Archive');
    expect(store.list().map((s) => s.name)).toEqual([store.active.name, 'Archive']);
    expect(other.getSheets()[0].getName()).toBe('Feuille 1');
    other.rename('Archive 2026');
    expect(store.get(other.getId())!.name).toBe('Archive 2026');
    expect(ss.getSpreadsheetTimeZone()).toBe('Europe/Paris');
    expect(ss.getSpreadsheetLocale()).toBe('fr_FR');
    ss.setSpreadsheetTimeZone('America/New_York');
    ss.getSheets()[0].getRange('A1').setValue('2026-11-23');
    expect((ss.getSheets()[0].getRange('A1').getValue() as Date).getTime()).toBe(Date.UTC(2026, 10, 23, 5));
  });

  test('copy is deep', () => {
    const { ss, store, sheet } = setup();
    sheet.getRange('A1').setValue('orig');
    const copy = ss.copy('Copie');
    copy.getSheets()[0].getRange('A1').setValue('changed');
    expect(sheet.getRange('A1').getValue()).toBe('orig');
    expect(store.get(copy.getId())!.sheet('Feuille 1').values()).toEqual([['changed']]);
  });

  test('frozen rows, column widths, tab color, hidden columns and sheets are recorded', () => {
    const { sheet, data, ss } = setup();
    sheet.setFrozenRows(1);
    sheet.setFrozenColumns(2);
    expect([sheet.getFrozenRows(), data.frozenRows, sheet.getFrozenColumns()]).toEqual([1, 1, 2]);
    expect(sheet.getColumnWidth(3)).toBe(100);
    sheet.setColumnWidth(3, 250);
    sheet.setColumnWidths(4, 2, 80);
    expect([data.columnWidth(3), data.columnWidth(4), data.columnWidth(5), data.columnWidth(6)]).toEqual([250, 80, 80, 100]);
    sheet.autoResizeColumns(1, 2);
    expect([...data.autoResizedColumns]).toEqual([1, 2]);
    sheet.hideColumns(2);
    expect(sheet.isColumnHiddenByUser(2)).toBe(true);
    sheet.showColumns(2);
    expect(sheet.isColumnHiddenByUser(2)).toBe(false);
    sheet.setTabColor('#ff0000');
    expect(data.tabColor).toBe('#ff0000');
    expect(() => sheet.hideSheet()).toThrow(/hide all the sheets/);
    ss.insertSheet('B');
    sheet.hideSheet();
    expect(sheet.isSheetHidden()).toBe(true);
  });
});

describe('number formats and display values', () => {
  test('default format, setNumberFormat(s), getNumberFormats', () => {
    const { sheet, data } = setup();
    expect(sheet.getRange('A1').getNumberFormat()).toBe('0.###############');
    sheet.getRange('A1:B2').setNumberFormat('@');
    sheet.getRange('C1:D1').setNumberFormats([['0.00', 'dd/MM/yyyy']]);
    expect(sheet.getRange('A1:D1').getNumberFormats()).toEqual([['@', '@', '0.00', 'dd/MM/yyyy']]);
    expect(data.numberFormat(2, 2)).toBe('@');
    sheet.getRange('A1:D1').clearFormat();
    expect(data.numberFormat(1, 3)).toBe(DEFAULT_NUMBER_FORMAT);
  });

  test('display values: French decimals, number patterns, dates, booleans', () => {
    const { sheet } = setup();
    const r = sheet.getRange('A1:G1');
    r.setValues([[1.5, 1234.5, 0.125, new Date(Date.UTC(2026, 10, 23, 13, 30, 5)), new Date(Date.UTC(2026, 10, 23, 13, 30, 5)), true, 'txt']]);
    sheet.getRange('B1').setNumberFormat('#,##0.00');
    sheet.getRange('C1').setNumberFormat('0.0%');
    sheet.getRange('E1').setNumberFormat('yyyy-MM-dd HH:mm');
    expect(r.getDisplayValues()).toEqual([['1,5', '1 234,50', '12,5%', '23/11/2026 14:30:05', '2026-11-23 14:30', 'VRAI', 'txt']]);
    expect(sheet.getRange('A1').getDisplayValue()).toBe('1,5');
  });
});

describe('TextFinder', () => {
  function finderSheet() {
    const t = setup();
    t.sheet.getRange('A1:C3').setValues([
      ['Lead', 'Élodie', 'lead_1'],
      ['x', 'LEAD', 'y'],
      ['=A1', 'leader', 'lead'],
    ]);
    t.sheet.getRange('A4').setValue(1.5);
    return t;
  }
  const a1 = (ranges: GoogleAppsScript.Spreadsheet.Range[]) => ranges.map((r) => r.getA1Notation());

  test('findAll matches display values, case-insensitive substrings by default, row-major', () => {
    const { sheet, realm } = finderSheet();
    const all = sheet.createTextFinder('lead').findAll();
    expect(all).toBeInstanceOf(realm.Array);
    expect(a1(all)).toEqual(['A1', 'C1', 'B2', 'B3', 'C3']);
    expect(all[1].getValue()).toBe('lead_1');
    expect(a1(sheet.createTextFinder('1,5').findAll())).toEqual(['A4']); // display value, French comma
  });

  test('matchCase, matchEntireCell, useRegularExpression, ignoreDiacritics, matchFormulaText', () => {
    const { sheet } = finderSheet();
    expect(a1(sheet.createTextFinder('Lead').matchCase(true).findAll())).toEqual(['A1']);
    expect(a1(sheet.createTextFinder('lead').matchEntireCell(true).findAll())).toEqual(['A1', 'B2', 'C3']);
    expect(a1(sheet.createTextFinder('^lead_\\d+$').useRegularExpression(true).findAll())).toEqual(['C1']);
    expect(a1(sheet.createTextFinder('elodie').findAll())).toEqual([]);
    expect(a1(sheet.createTextFinder('elodie').ignoreDiacritics(true).findAll())).toEqual(['B1']);
    expect(a1(sheet.createTextFinder('=A1').findAll())).toEqual([]);
    expect(a1(sheet.createTextFinder('=A1').matchFormulaText(true).findAll())).toEqual(['A3']);
  });

  test('findNext walks forward then returns null; findPrevious walks back; startFrom', () => {
    const { sheet } = finderSheet();
    const f = sheet.createTextFinder('lead').matchEntireCell(true);
    expect(f.findNext()!.getA1Notation()).toBe('A1');
    expect(f.findNext()!.getA1Notation()).toBe('B2');
    expect(f.findNext()!.getA1Notation()).toBe('C3');
    expect(f.findNext()).toBeNull();
    expect(f.findPrevious()!.getA1Notation()).toBe('B2');
    const g = sheet.createTextFinder('lead').matchEntireCell(true).startFrom(sheet.getRange('B2'));
    expect(g.findNext()!.getRow()).toBe(3);
    expect(sheet.createTextFinder('nothing').findNext()).toBeNull();
  });

  test('range.createTextFinder searches only the range', () => {
    const { sheet } = finderSheet();
    expect(a1(sheet.getRange('B1:B3').createTextFinder('lead').findAll())).toEqual(['B2', 'B3']);
  });

  test('replaceAllWith replaces in matching cells and returns the count', () => {
    const { sheet } = finderSheet();
    const n = sheet.getRange('A1:C3').createTextFinder('lead').matchCase(true).replaceAllWith('client');
    expect(n).toBe(3);
    expect(sheet.getRange('A1:C3').getValues()).toEqual([
      ['Lead', 'Élodie', 'client_1'],
      ['x', 'LEAD', 'y'],
      ['', 'clienter', 'client'],
    ]);
  });
});

describe('UI and toasts', () => {
  test('getUi throws outside editor and simple-trigger executions', () => {
    for (const kind of ['trigger', 'web'] as const) {
      expect(() => setup(kind).app.getUi()).toThrow('Cannot call SpreadsheetApp.getUi() from this context.');
    }
    expect(() => setup('simple').app.getUi()).not.toThrow();
  });

  test('menus with items, separators and submenus are recorded; re-adding replaces', () => {
    const { app, store, exec } = setup('editor');
    const ui = app.getUi();
    const build = () =>
      ui.createMenu('Sirrius')
        .addItem('Installer', 'setup')
        .addSeparator()
        .addSubMenu(ui.createMenu('Outils').addItem('Relancer', 'retry'))
        .addToUi();
    build();
    build();
    expect(store.ui.menus).toEqual([
      {
        caption: 'Sirrius',
        addon: false,
        items: [
          { type: 'item', caption: 'Installer', fn: 'setup' },
          { type: 'separator' },
          { type: 'submenu', caption: 'Outils', items: [{ type: 'item', caption: 'Relancer', fn: 'retry' }] },
        ],
      },
    ]);
    expect(exec.calls.byMethod('Ui')['Menu.addItem']).toBe(4);
  });

  test('sidebars, dialogs, alerts and prompts are recorded', () => {
    const { app, store } = setup('editor');
    const ui = app.getUi();
    const html = { getTitle: () => 'Panneau' };
    ui.showSidebar(html as unknown as GoogleAppsScript.HTML.HtmlOutput);
    ui.showModalDialog(html as unknown as GoogleAppsScript.HTML.HtmlOutput, 'Titre');
    expect(store.ui.sidebars[0].html).toBe(html);
    expect(store.ui.sidebars[0].title).toBe('Panneau');
    expect(store.ui.dialogs[0]).toMatchObject({ title: 'Titre', modal: true });
    expect(ui.alert('Bonjour')).toBe(ui.Button.OK);
    expect(ui.alert('Sûr ?', 'Vraiment ?', ui.ButtonSet.YES_NO)).toBe(ui.Button.YES);
    store.ui.alertResponses.push('NO');
    expect(ui.alert('Sûr ?', ui.ButtonSet.YES_NO)).toBe(ui.Button.NO);
    expect(store.ui.alerts.map((a) => a.prompt)).toEqual(['Bonjour', 'Vraiment ?', 'Sûr ?']);
    const resp = ui.prompt('Nom ?');
    expect(resp.getSelectedButton()).toBe(ui.Button.OK);
    expect(resp.getResponseText()).toBe('');
    expect(store.ui.prompts).toHaveLength(1);
  });

  test('toast works in any kind of execution', () => {
    const { ss, store } = setup('trigger');
    ss.toast('Terminé', 'Sirrius', 3);
    ss.toast('Sans titre');
    expect(store.toasts.map(({ message, title }) => ({ message, title }))).toEqual([
      { message: 'Terminé', title: 'Sirrius' },
      { message: 'Sans titre', title: '' },
    ]);
  });
});

describe('data validation and conditional formats', () => {
  test('a list validation is stored and read back', () => {
    const { app, sheet, data } = setup();
    const rule = app.newDataValidation().requireValueInList(['new', 'won'], true).setAllowInvalid(false).setHelpText('Statut').build();
    sheet.getRange('D2:D10').setDataValidation(rule);
    const read = sheet.getRange('D5').getDataValidation()!;
    expect(read.getCriteriaType()).toBe(app.DataValidationCriteria.VALUE_IN_LIST);
    expect(read.getCriteriaValues()).toEqual([['new', 'won'], true]);
    expect([read.getAllowInvalid(), read.getHelpText()]).toEqual([false, 'Statut']);
    expect(data.dataValidation(10, 4)!.criteriaType).toBe('VALUE_IN_LIST');
    expect(data.dataValidation(11, 4)).toBeNull();
    expect(sheet.getRange('D1:D2').getDataValidations().map((r) => r[0] && r[0].getCriteriaType())).toEqual([null, 'VALUE_IN_LIST']);
    const copy = read.copy().requireNumberBetween(1, 5).build();
    expect([copy.getCriteriaType(), copy.getHelpText()]).toEqual(['NUMBER_BETWEEN', 'Statut']);
    sheet.getRange('D2:D10').setDataValidation(null);
    expect(data.dataValidation(5, 4)).toBeNull();
  });

  test('other criteria builders', () => {
    const { app } = setup();
    expect(app.newDataValidation().requireCheckbox().build().getCriteriaType()).toBe('CHECKBOX');
    expect(app.newDataValidation().requireNumberGreaterThanOrEqualTo(0).build().getCriteriaValues()).toEqual([0]);
    expect(app.newDataValidation().requireDate().build().getCriteriaType()).toBe('DATE_IS_VALID_DATE');
    expect(app.newDataValidation().requireTextIsEmail().build().getCriteriaType()).toBe('TEXT_IS_VALID_EMAIL');
    expect(() => app.newDataValidation().build()).toThrow(/criteria/);
  });

  test('insertCheckboxes sets a checkbox rule and FALSE in empty cells; removeCheckboxes undoes it', () => {
    const { sheet, data } = setup();
    sheet.getRange('A2').setValue(true);
    sheet.getRange('A1:A3').insertCheckboxes();
    expect(sheet.getRange('A1:A3').getValues()).toEqual([[false], [true], [false]]);
    expect(data.dataValidation(1, 1)!.criteriaType).toBe('CHECKBOX');
    expect(sheet.getRange('A2').isChecked()).toBe(true);
    expect(sheet.getRange('A1:A3').isChecked()).toBeNull();
    sheet.getRange('A1:A3').removeCheckboxes();
    expect(data.dataValidation(1, 1)).toBeNull();
    expect(sheet.getLastRow()).toBe(0);
  });

  test('conditional format rules are built, stored and read back', () => {
    const { app, sheet, data } = setup();
    const rule = app
      .newConditionalFormatRule()
      .whenFormulaSatisfied('=$E2="won"')
      .setBackground('#b7e1cd')
      .setFontColor('#000000')
      .setBold(true)
      .setRanges([sheet.getRange('A2:H1000')])
      .build();
    const other = app.newConditionalFormatRule().whenTextEqualTo('lost').setStrikethrough(true).setRanges([sheet.getRange('E2:E')]).build();
    sheet.setConditionalFormatRules([rule, other]);
    const rules = sheet.getConditionalFormatRules();
    expect(rules).toHaveLength(2);
    const cond = rules[0].getBooleanCondition()!;
    expect(cond.getCriteriaType()).toBe(app.BooleanCriteria.CUSTOM_FORMULA);
    expect(cond.getCriteriaValues()).toEqual(['=$E2="won"']);
    expect([cond.getBackground(), cond.getFontColor()]).toEqual(['#b7e1cd', '#000000']);
    expect(rules[0].getRanges()[0].getA1Notation()).toBe('A2:H1000');
    expect(data.conditionalFormatRules.map((r) => [r.criteriaType, r.a1])).toEqual([
      ['CUSTOM_FORMULA', ['A2:H1000']],
      ['TEXT_EQUAL_TO', ['E2:E1000']],
    ]);
    const copied = rules[1].copy().whenTextContains('perdu').build();
    expect(copied.getBooleanCondition()!.getCriteriaValues()).toEqual(['perdu']);
  });

  test('formatting calls are recorded in the store', () => {
    const { sheet, data, app } = setup();
    sheet.getRange('A1:C1').setFontWeight('bold').setBackground('#eeeeee').setFontColor('#333333').setHorizontalAlignment('center').setWrap(true);
    sheet.getRange('A2').setWrapStrategy(app.WrapStrategy.CLIP).setNote('à vérifier');
    expect([data.style('fontWeight', 1, 3), data.style('background', 1, 1), data.style('horizontalAlignment', 1, 2)]).toEqual(['bold', '#eeeeee', 'center']);
    expect(data.style('wrapStrategy', 2, 1)).toBe('CLIP');
    expect(sheet.getRange('A2').getNote()).toBe('à vérifier');
    expect(sheet.getRange('A1').getFontWeight()).toBe('bold');
    expect(sheet.getRange('A5').getFontWeight()).toBe('normal');
  });
});

describe('calls and strictness', () => {
  test('every call is recorded as Sheets:Class.method', () => {
    const { exec, sheet } = setup();
    const before = exec.calls.count('Sheets');
    const range = sheet.getRange('A1:B2');
    for (let i = 0; i < 5; i++) range.getValues();
    range.setValues([[1, 2], [3, 4]]);
    expect(exec.calls.count('Sheets') - before).toBe(7);
    expect(exec.calls.byMethod('Sheets')['Range.getValues']).toBe(5);
    expect(exec.calls.count('Sheets', ['Range.setValues', 'Sheet.getRange'])).toBe(2);
    expect(exec.calls.sequence().slice(-2)).toEqual(['Sheets:Range.getValues', 'Sheets:Range.setValues']);
    expect(exec.calls.sequence().slice(0, 2)).toEqual(['Sheets:SpreadsheetApp.getActiveSpreadsheet', 'Sheets:Spreadsheet.getSheets']);
  });

  test('cells read and written are counted per execution, whatever the method', () => {
    const { exec, sheet } = setup();
    expect([exec.calls.cells('read'), exec.calls.cells('written')]).toEqual([0, 0]);
    sheet.getRange('A1:C2').setValues([[1, 2, 3], [4, 5, 6]]);
    sheet.getRange('D1').setValue('x');
    sheet.getRange('A3:B3').setValue(0); // setValue on a range writes each of its cells
    sheet.appendRow(['a', 'b']);
    expect(exec.calls.cells('written')).toBe(6 + 1 + 2 + 2);
    sheet.getDataRange().getValues(); // 4 rows x 4 columns
    sheet.getRange('A1').getValue();
    sheet.getRange('A1:A2').getDisplayValues();
    sheet.getRange('A1:D4').createTextFinder('x').findAll(); // searched server-side: no cell comes back
    expect(exec.calls.cells('read')).toBe(16 + 1 + 2);
    expect(exec.calls.cells('written')).toBe(11);
  });

  test('what is not implemented throws, and internals are hidden', () => {
    const { sheet, app, realm } = setup();
    const range = sheet.getRange('A1') as unknown as Record<string, () => unknown>;
    expect(() => range.merge()).toThrow('not implemented: Range.merge');
    expect(() => (sheet as unknown as Record<string, unknown>)._sheet).toThrow('not implemented: Sheet._sheet');
    expect(() => (app as unknown as Record<string, unknown>).getActiveRange).toThrow('not implemented: SpreadsheetApp.getActiveRange');
    expect(() => (app.WrapStrategy as Record<string, unknown>).WRAPPED).toThrow('not implemented: WrapStrategy.WRAPPED');
    let err: unknown;
    try {
      range.merge();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(realm.Error);
  });

  test('values handed to the script belong to its realm', () => {
    const { sheet, realm } = setup();
    sheet.getRange('A1').setValue('2026-11-23');
    const values = sheet.getRange('A1:B1').getValues();
    expect(values).toBeInstanceOf(realm.Array);
    expect(values[0]).toBeInstanceOf(realm.Array);
    expect(values[0][0]).toBeInstanceOf(realm.Date);
    expect(values[0][0]).not.toBeInstanceOf(Date);
  });
});
