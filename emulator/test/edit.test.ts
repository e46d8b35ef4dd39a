/** AppsScript.edit: a person's edit runs onEdit with an event object like Sheets'. */
import { AppsScript } from '../runtime';

const BUNDLE = `
function onEdit(e) {
  return { value: e.value, oldValue: e.oldValue, hasValue: 'value' in e, hasOld: 'oldValue' in e, a1: e.range.getA1Notation(),
    sheet: e.range.getSheet().getName(), source: e.source.getId(), user: e.user.getEmail(), authMode: String(e.authMode) };
}`;

test('onEdit gets range, source, user, authMode LIMITED, and value / oldValue for one cell', () => {
  const gas = new AppsScript({ bundle: BUNDLE });
  const out = gas.edit({ sheet: 'Feuille 1', row: 2, col: 3, value: 'contacted', oldValue: 'new' });
  expect(out!.result).toEqual({
    value: 'contacted', oldValue: 'new', hasValue: true, hasOld: true, a1: 'C2', sheet: 'Feuille 1',
    source: gas.spreadsheet.active.id, user: 'owner@example.com', authMode: 'LIMITED',
  });
  // A range (paste) has neither value nor oldValue.
  const block = gas.edit({ sheet: 'Feuille 1', row: 2, col: 3, numRows: 2, numCols: 2 });
  expect(block!.result).toMatchObject({ hasValue: false, hasOld: false, a1: 'C2:D3' });
});

test('no onEdit in the bundle: nothing runs', () => {
  expect(new AppsScript({ bundle: 'function other() {}' }).edit({ sheet: 'Feuille 1', row: 1, col: 1 })).toBeUndefined();
});
