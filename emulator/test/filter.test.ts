/** Sorting and the basic filter of the Sheets fake (Range.sort, Sheet.sort, createFilter, FilterCriteria, hidden rows). */
import { fakeExecution } from './execution';
import { SpreadsheetStore, makeSpreadsheetApp } from '../spreadsheet';
import { hiddenRows } from '../spreadsheet/filter';

function setup() {
  const store = new SpreadsheetStore();
  const { exec } = fakeExecution();
  const app = makeSpreadsheetApp(store, exec);
  const sheet = app.getActiveSpreadsheet().getSheets()[0];
  const data = store.active.sheet('Feuille 1');
  data.seed([
    ['id', 'status', 'n'],
    ['a', 'new', 3],
    ['b', 'contacted', ''],
    ['c', 'New', 1],
    ['d', 'opted_out', 2],
  ]);
  data.notes.set(2, 1, 'note of a');
  return { app, sheet, data };
}

describe('sort', () => {
  test('Range.sort moves whole rows of the range (notes too); empty cells last in both directions', () => {
    const { sheet, data } = setup();
    sheet.getRange('A2:C5').sort({ column: 3, ascending: true });
    expect(data.values().slice(1).map((r) => r[0])).toEqual(['c', 'd', 'a', 'b']);
    expect(data.note(4, 1)).toBe('note of a');
    sheet.getRange('A2:C5').sort({ column: 3, ascending: false });
    expect(data.values().slice(1).map((r) => r[0])).toEqual(['a', 'd', 'c', 'b']);
    sheet.getRange('A2:C5').sort([{ column: 2, ascending: true }, { column: 1, ascending: false }]);
    expect(data.values().slice(1).map((r) => r[1])).toEqual(['contacted', 'New', 'new', 'opted_out']);
    expect(() => sheet.getRange('A2:B5').sort(3)).toThrow(/Sort column is out of range/);
  });

  test('Sheet.sort keeps the frozen header in place', () => {
    const { sheet, data } = setup();
    sheet.setFrozenRows(1);
    sheet.sort(1, false);
    expect(data.values().map((r) => r[0])).toEqual(['id', 'd', 'c', 'b', 'a']);
  });
});

describe('basic filter', () => {
  test('criteria hide rows below the header; getLastRow and getValues are unchanged; remove shows them again', () => {
    const { app, sheet } = setup();
    expect(sheet.getFilter()).toBeNull();
    const filter = sheet.getDataRange().createFilter();
    expect(() => sheet.getRange('A1:C5').createFilter()).toThrow(/already has a filter/);
    filter.setColumnFilterCriteria(2, app.newFilterCriteria().whenTextEqualTo('new').build());
    // Text conditions ignore case, as in Sheets.
    expect([2, 3, 4, 5].map((r) => sheet.isRowHiddenByFilter(r))).toEqual([false, true, false, true]);
    expect(sheet.isRowHiddenByFilter(1)).toBe(false);
    expect(sheet.getLastRow()).toBe(5);
    expect(sheet.getDataRange().getValues()).toHaveLength(5);
    expect(sheet.getFilter()!.getColumnFilterCriteria(2)!.getCriteriaType()).toBe('TEXT_EQUAL_TO');
    filter.setColumnFilterCriteria(2, app.newFilterCriteria().setHiddenValues(['opted_out', 'contacted']).build());
    expect([2, 3, 4, 5].map((r) => sheet.isRowHiddenByFilter(r))).toEqual([false, true, false, true]);
    sheet.getFilter()!.remove();
    expect(sheet.getFilter()).toBeNull();
    expect(sheet.isRowHiddenByFilter(3)).toBe(false);
  });

  test('rows are evaluated when criteria are set, not when values change; inserted and deleted rows move the hidden rows', () => {
    const { app, sheet } = setup();
    const filter = sheet.getRange('A1:C5').createFilter();
    filter.setColumnFilterCriteria(2, app.newFilterCriteria().whenTextEqualTo('new').build());
    sheet.getRange('B3').setValue('new');
    expect(sheet.isRowHiddenByFilter(3)).toBe(true);
    sheet.appendRow(['e', 'contacted', 9]); // below the range: not part of the filter
    expect(sheet.isRowHiddenByFilter(6)).toBe(false);
    sheet.insertRowsBefore(2, 1);
    expect([3, 4, 5, 6].map((r) => sheet.isRowHiddenByFilter(r))).toEqual([false, true, false, true]);
    expect(filter.getRange().getA1Notation()).toBe('A1:C6');
    sheet.deleteRows(2, 2);
    expect([2, 3, 4].map((r) => sheet.isRowHiddenByFilter(r))).toEqual([true, false, true]);
    expect(filter.getRange().getA1Notation()).toBe('A1:C4');
  });

  test('Filter.sort sorts the rows under the header and re-evaluates the criteria', () => {
    const { app, sheet, data } = setup();
    const filter = sheet.getRange('A1:C5').createFilter();
    filter.setColumnFilterCriteria(2, app.newFilterCriteria().whenTextStartsWith('n').build());
    filter.sort(1, false);
    expect(data.values().map((r) => r[0])).toEqual(['id', 'd', 'c', 'b', 'a']);
    expect([2, 3, 4, 5].map((r) => sheet.isRowHiddenByFilter(r))).toEqual([true, false, true, false]);
  });

  test('visible values show only those display values (exact), read back and copied; hiddenRows lists what is hidden', () => {
    const { app, sheet, data } = setup();
    const filter = sheet.getDataRange().createFilter();
    const criteria = app.newFilterCriteria().setVisibleValues(['new', 'opted_out']).build();
    expect(criteria.getVisibleValues()).toEqual(['new', 'opted_out']);
    expect(app.newFilterCriteria().build().getVisibleValues()).toBeNull();
    filter.setColumnFilterCriteria(2, criteria);
    expect([2, 3, 4, 5].map((r) => sheet.isRowHiddenByFilter(r))).toEqual([false, true, true, false]);
    expect(hiddenRows(data)).toEqual([3, 4]);
    const copy = filter.getColumnFilterCriteria(2)!.copy().setHiddenValues(['new']).build();
    expect(copy.getVisibleValues()).toEqual(['new', 'opted_out']);
    filter.setColumnFilterCriteria(2, copy);
    expect(hiddenRows(data)).toEqual([2, 3, 4]);
    filter.remove();
    expect(hiddenRows(data)).toEqual([]);
  });
});
