/** The table layer against the in-memory spreadsheet: columns by name, batching, text kept as text. */
import { Table, SchemaError, columnLetter, contiguousBlocks, toCell } from '../../src/adapters/sheets';
import { LEADS, EVENTS, type TabSpec } from '../../src/domain/schema';
import { hostSpreadsheet } from '../support/host';

const LEAD_HEADER = LEADS.columns.map((c) => c.name);

function leadsSheet(header: string[] = LEAD_HEADER) {
  const h = hostSpreadsheet();
  const sheet = h.spreadsheet.insertSheet('Leads');
  sheet.getRange(1, 1, 1, header.length).setValues([header]);
  return { ...h, sheet, table: new Table(sheet, LEADS) };
}

function seedLeads(store: ReturnType<typeof hostSpreadsheet>['store'], n: number) {
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    rows.push(LEAD_HEADER.map((name) => (name === 'id' ? `lead_${1700000000000 + i}` : name === 'phone' ? `+336${String(10000000 + i)}` : '')));
  }
  store.active.sheet('Leads').seed(rows, 2);
}

describe('Table: text stays text', () => {
  test.each([
    ['=HYPERLINK("http://evil","x")'],
    ['+33612345678'],
    ['0612345678'],
    ['-1+2'],
    ['@SUM(A1)'],
    ['\tcmd'],
    ['\r=1'],
    ['TRUE'],
    ['2026-11-23'],
    ["'already quoted"],
    ['  spaced  '],
  ])('%j reads back exactly, and no formula is stored', (value) => {
    const { table, store } = leadsSheet();
    const row = table.append([{ id: 'lead_1', notes: value, phone: value, first_name: value }]);
    const read = table.readRow(row);
    expect(read.notes).toBe(value);
    expect(read.phone).toBe(value);
    expect(read.first_name).toBe(value);
    expect(store.active.sheet('Leads').formulas().flat().filter((f) => f !== '')).toEqual([]);
  });

  test('dates, booleans and numbers keep their types', () => {
    const { table } = leadsSheet();
    const at = new Date('2026-11-23T08:15:00Z');
    const row = table.append([{ id: 'lead_2', created_at: at, sms_sent: true, mrr: 49.5, payment_failures: 2 }]);
    const read = table.readRow(row);
    expect(read.created_at).toEqual(at);
    expect(read.sms_sent).toBe(true);
    expect(read.mrr).toBe(49.5);
    expect(read.payment_failures).toBe(2);
    expect(read.contacted_at).toBeNull();
    expect(read.stripe_customer_id).toBe('');
  });

  test('a value longer than a cell holds is cut, not refused', () => {
    expect(String(toCell('x'.repeat(60000), 'text')).length).toBeLessThan(50000);
  });
});

describe('Table: columns by header name', () => {
  test('reordered columns and an operator column are respected', () => {
    const header = ['Mon suivi', ...[...LEAD_HEADER].reverse()];
    const { table, sheet } = leadsSheet(header);
    const row = table.append([{ id: 'lead_9', status: 'new', phone: '+33698765432' }]);
    expect(row).toBe(2);
    sheet.getRange(2, 1).setValue('à rappeler');
    table.update(2, { status: 'contacted', notes: 'rappel jeudi' });
    expect(sheet.getRange(2, 1).getValue()).toBe('à rappeler');
    expect(sheet.getRange(2, header.indexOf('id') + 1).getValue()).toBe('lead_9');
    expect(sheet.getRange(2, header.indexOf('phone') + 1).getValue()).toBe('+33698765432');
    expect(table.readRow(2).status).toBe('contacted');
  });

  test('a missing column is a clear error', () => {
    const { table } = leadsSheet(LEAD_HEADER.filter((n) => n !== 'notes'));
    expect(() => table.append([{ notes: 'x' }])).toThrow(SchemaError);
    expect(() => table.append([{ notes: 'x' }])).toThrow(/notes.*setup/);
  });

  test('a duplicate header is refused', () => {
    const { table } = leadsSheet([...LEAD_HEADER, 'phone']);
    expect(() => table.col('id')).toThrow(/phone appears twice/);
  });

  test('update writes only the given columns, one setValues per contiguous block', () => {
    const { table, exec, sheet } = leadsSheet();
    table.append([{ id: 'lead_3', notes: 'garder', status: 'new' }]);
    table.columns();
    const before = exec.calls.count('Sheets', ['Range.setValues']);
    table.update(2, { sms_sent: true, sms_sent_at: new Date(), status: 'contacted' });
    // status (col 5) is one block; sms_sent + sms_sent_at (cols 10-11) another.
    expect(exec.calls.count('Sheets', ['Range.setValues']) - before).toBe(2);
    expect(table.readRow(2).notes).toBe('garder');
    expect(sheet.getRange(2, 5).getValue()).toBe('contacted');
  });
});

describe('Table: calls do not grow with rows', () => {
  function lookupCost(n: number) {
    const h = leadsSheet();
    seedLeads(h.store, n);
    h.sheet.insertRowsAfter(h.sheet.getMaxRows(), 10); // steady state: the grid has room (growth is tested below)
    const key = `lead_${1700000000000 + Math.floor(n / 2)}`;
    const before = h.exec.calls.count('Sheets');
    const found = h.table.find('id', key);
    const appendedAt = h.table.append([{ id: 'lead_new', phone: '+33611223344' }]);
    return { calls: h.exec.calls.count('Sheets') - before, found, appendedAt };
  }

  test('find by key and append cost the same at 100 and 100,000 rows', () => {
    const small = lookupCost(100);
    const large = lookupCost(100000);
    expect(small.found?.id).toBe('lead_1700000000050');
    expect(large.found?.id).toBe('lead_1700000050000');
    expect(large.found?._row).toBe(50002);
    expect(large.appendedAt).toBe(100002);
    expect(large.calls).toBe(small.calls);
  });

  test('findRows returns every match, in sheet order, by whole cell', () => {
    const { table } = leadsSheet();
    table.append([{ id: 'a', phone: '+33611223344' }, { id: 'b', phone: '+336112233445' }, { id: 'c', phone: '+33611223344' }]);
    expect(table.findRows('phone', '+33611223344')).toEqual([2, 4]);
    expect(table.findRow('phone', '')).toBeNull();
  });

  test('append grows a full grid', () => {
    const { table, sheet, store } = leadsSheet();
    seedLeads(store, 999);
    expect(sheet.getMaxRows()).toBe(1000);
    const first = table.append([{ id: 'x1' }, { id: 'x2' }]);
    expect(first).toBe(1001);
    expect(table.readRow(1002).id).toBe('x2');
  });

  test('deleteRows removes runs bottom first', () => {
    const h = hostSpreadsheet();
    const sheet = h.spreadsheet.insertSheet('Events');
    const table = new Table(sheet, EVENTS as TabSpec);
    sheet.getRange(1, 1, 1, EVENTS.columns.length).setValues([EVENTS.columns.map((c) => c.name)]);
    table.append(['a', 'b', 'c', 'd', 'e'].map((id) => ({ event_id: id })));
    table.deleteRows([2, 3, 5]);
    expect(table.readAll().map((r) => r.event_id)).toEqual(['c', 'e']);
  });
});

test('helpers', () => {
  expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  expect(contiguousBlocks([{ col: 5 }, { col: 2 }, { col: 3 }, { col: 9 }]).map((b) => b.map((c) => c.col))).toEqual([[2, 3], [5], [9]]);
});
