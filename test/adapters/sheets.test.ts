/** The table layer against the in-memory spreadsheet: columns by name, batching, text kept as text. */
import { Table, SchemaError, columnLetter, contiguousBlocks, primeTables, toCell } from '../../src/adapters/sheets';
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

describe('Table: recent rows wherever they are (readRecent), rows by number (readRowsAt), TextFinder matches', () => {
  const HOUR = 3600000;
  const NOW = new Date('2026-11-23T17:00:00Z').getTime();

  /** `n` leads one hour apart, the last one an hour before NOW; `edit` changes the created_at of some. */
  function dated(n: number, edit: (i: number, at: Date) => Date = (_i, at) => at) {
    const h = leadsSheet();
    const rows = Array.from({ length: n }, (_, i) =>
      LEAD_HEADER.map((name) => {
        const at = edit(i, new Date(NOW - (n - i) * HOUR));
        return name === 'id' ? `lead_${i}` : name === 'created_at' ? at : name === 'status' ? (i % 3 === 0 ? 'new' : 'contacted') : name === 'phone' ? `+3361${String(i).padStart(7, '0')}` : '';
      }),
    );
    h.store.active.sheet('Leads').seed(rows, 2);
    const reads = () => h.exec.calls.count('Sheets', ['Range.getValues']);
    const cells = () => h.exec.calls.cells('read');
    return { ...h, reads, cells };
  }

  test('reads only the recent rows, in a bounded number of windows, in sheet order', () => {
    const small = dated(100);
    const large = dated(30000);
    const since = new Date(NOW - 24.5 * HOUR);
    large.table.columns(); // the header, read once
    const cellsBefore = large.cells();
    const a = small.table.readRecent('created_at', since);
    const b = large.table.readRecent('created_at', since);
    expect(a.map((l) => l.id)).toEqual(Array.from({ length: 24 }, (_, i) => `lead_${76 + i}`));
    expect(b.map((l) => l.id)).toEqual(Array.from({ length: 24 }, (_, i) => `lead_${29976 + i}`));
    expect(b[0]._row).toBe(29978);
    expect(small.reads()).toBe(large.reads());
    // Cells follow the first window (500 rows), not the 30,000 rows of the tab.
    expect(large.cells() - cellsBefore).toBeLessThanOrEqual(500 * LEAD_HEADER.length);
  });

  test('many recent rows: read in a bounded number of calls, the older ones not at all', () => {
    const { table, reads } = dated(20000);
    const rows = table.readRecent('created_at', new Date(NOW - 3000.5 * HOUR));
    expect(rows).toHaveLength(3000);
    expect(reads()).toBeLessThanOrEqual(2);
  });

  test('any row order (issue 17 item 8): recent rows are found wherever they are, old ones skipped', () => {
    // lead_9990 (old) typed among the recent ones; lead_9000 (recent) far above them.
    const { table } = dated(10000, (i, at) => (i === 9990 ? new Date(NOW - 500 * HOUR) : i === 9000 ? new Date(NOW - HOUR) : at));
    const since = new Date(NOW - 40.5 * HOUR);
    const ids = table.readRecent('created_at', since).map((l) => l.id);
    expect(ids).not.toContain('lead_9990');
    expect(ids).toContain('lead_9000');
    expect(ids).toHaveLength(40);
    // Sorted newest first, as an operator does: the same rows.
    const sheet = table.sheet;
    const values = sheet.getRange(2, 1, 10000, LEAD_HEADER.length).getValues();
    const col = LEAD_HEADER.indexOf('created_at');
    sheet.getRange(2, 1, 10000, LEAD_HEADER.length).setValues([...values].sort((a, b) => (b[col] as Date).getTime() - (a[col] as Date).getTime()));
    expect(new Set(table.readRecent('created_at', since).map((l) => l.id))).toEqual(new Set(ids));
  });

  test('with columns, only their span is read and set', () => {
    const { table, cells } = dated(1000);
    table.columns(); // the header, read once
    const before = cells();
    const rows = table.readRecent('created_at', new Date(NOW - 10.5 * HOUR), { columns: ['source', 'status'] });
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({ _row: 992, created_at: expect.any(Date), source: '', status: expect.any(String) });
    expect(cells() - before).toBeLessThanOrEqual(20 * 4); // created_at..status: 4 columns, the rows found (and the day's other rows the finder matched)
  });

  test('from late in a day (the routines start an hour before midnight), the rest of that day is not matched', () => {
    const { table, exec } = dated(100);
    const asked = () => exec.calls.count('Sheets', ['Range.getRow']);
    const before = asked();
    // 22:30 in Paris the day before NOW (18:00): the rows of 23:00 to 17:00, not that day's 22 earlier ones.
    const rows = table.readRecent('created_at', new Date(NOW - 19.5 * HOUR), { columns: ['status'] });
    expect(rows).toHaveLength(19);
    expect(asked() - before).toBeLessThanOrEqual(20); // the TextFinder's matches: 22:00 to 17:00
  });

  test('a date cell shown without its time is matched on the first day too', () => {
    const { table } = dated(30);
    table.sheet.getRange(2, LEAD_HEADER.indexOf('created_at') + 1, 30, 1).setNumberFormat('dd/MM/yyyy');
    expect(table.readRecent('created_at', new Date(NOW - 19.5 * HOUR))).toHaveLength(19);
  });

  test('findRows of a value one row in three holds: the column is read, no match asked its row, the same rows', () => {
    const { table, exec, cells } = dated(3000);
    table.columns();
    const asked = () => exec.calls.count('Sheets', ['Range.getRow']);
    const [askedBefore, cellsBefore] = [asked(), cells()];
    const rows = table.findRows('status', 'new');
    expect(rows).toEqual(Array.from({ length: 1000 }, (_, i) => 2 + 3 * i));
    expect(asked() - askedBefore).toBe(0);
    expect(cells() - cellsBefore).toBe(3000); // the status column, instead of 1,000 matches asked their row
    expect(table.findRows('status', 'NEW', false)).toEqual(rows);
    expect(table.findRows('status', 'NEW')).toEqual([]);
  });

  test('an empty tab reads nothing', () => {
    const { table } = leadsSheet();
    expect(table.readRecent('created_at', new Date(0))).toEqual([]);
    expect(table.readRowsAt([])).toEqual([]);
  });

  test('readRowsAt: the given rows in sheet order, nearby ones together, never more than maxCalls', () => {
    const { table, reads } = dated(5000);
    table.columns(); // the header, read once
    const before = reads();
    const rows = table.readRowsAt([4001, 10, 11, 12, 2000, 10, 3000], { columns: ['id'] });
    expect(rows.map((r) => [r._row, r.id])).toEqual([[10, 'lead_8'], [11, 'lead_9'], [12, 'lead_10'], [2000, 'lead_1998'], [3000, 'lead_2998'], [4001, 'lead_3999']]);
    expect(reads() - before).toBe(4);
    const capped = table.readRowsAt([2, 1000, 2000, 3000, 4000], { maxCalls: 2 });
    expect(capped.map((r) => r._row)).toEqual([2, 1000, 2000, 3000, 4000]);
    expect(reads() - before).toBe(6);
  });

  test('matchRows and countMatches: one TextFinder call whatever the rows', () => {
    const { table, exec } = dated(3000);
    const finds = () => exec.calls.count('Sheets', ['TextFinder.findAll']);
    expect(table.countMatches('status', '^new$')).toBe(1000);
    expect(table.matchRows(['phone'], '^\\+336100022(09|11)$')).toEqual([2211, 2213]);
    expect(finds()).toBe(2);
  });
});

describe('primeTables: headers and append rows of several tabs in one read', () => {
  /**
   * A batch reader over the in-memory store, as values.batchGet answers: the rows of each range,
   * empty trailing rows and cells left out. Counts its calls.
   */
  function batchReader(store: ReturnType<typeof hostSpreadsheet>['store']) {
    const reader = Object.assign(
      (ranges: readonly string[]) => {
        reader.calls++;
        return ranges.map((a1) => {
          const m = /^'((?:[^']|'')+)'!(\d+):(\d+)$/.exec(a1);
          if (!m) throw new Error(`unexpected range ${a1}`);
          const all = store.active.sheet(m[1].replace(/''/g, "'")).values() as unknown[][];
          const rows = all.slice(Number(m[2]) - 1, Number(m[3])).map((r) => {
            const cut = [...r];
            while (cut.length && cut[cut.length - 1] === '') cut.pop();
            return cut;
          });
          while (rows.length && rows[rows.length - 1].length === 0) rows.pop();
          return rows;
        });
      },
      { calls: 0 },
    );
    return reader;
  }

  function setup(hint: number | null) {
    const h = leadsSheet();
    seedLeads(h.store, 3); // rows 2..4
    const eventsSheet = h.spreadsheet.insertSheet('Events');
    eventsSheet.getRange(1, 1, 1, EVENTS.columns.length).setValues([EVENTS.columns.map((c) => c.name)]);
    const saved = new Map<string, number>(hint === null ? [] : [['Leads', hint]]);
    const tails = { get: (tab: string) => saved.get(tab) ?? null, set: (tab: string, row: number) => void saved.set(tab, row) };
    const leads = new Table(h.sheet, LEADS, tails);
    const events = new Table(eventsSheet, EVENTS, tails);
    const read = batchReader(h.store);
    const count = (methods: string[]) => h.exec.calls.count('Sheets', methods);
    return { ...h, leads, events, saved, read, tails, count };
  }

  test('one read primes every header; a hint that holds saves the getLastRow of the append', () => {
    const t = setup(4);
    primeTables(t.read, [t.leads, t.events] as Table<TabSpec>[], t.tails);
    expect(t.read.calls).toBe(1);
    const before = t.count(['Range.getValues', 'Sheet.getLastRow']);
    expect(t.leads.append([{ id: 'lead_new' }])).toBe(5);
    expect(t.events.append([{ event_id: 'evt_1' }])).toBe(2); // no hint: asks getLastRow
    expect(t.count(['Range.getValues', 'Sheet.getLastRow']) - before).toBe(1);
    expect(t.saved.get('Leads')).toBe(5);
    expect(t.saved.get('Events')).toBe(2);
    // Used once: the next append of the execution asks getLastRow.
    expect(t.leads.append([{ id: 'lead_next' }])).toBe(6);
    expect(t.count(['Sheet.getLastRow']) - before).toBe(2);
  });

  test.each([
    ['an operator typed a row below the data', (t: ReturnType<typeof setup>) => t.sheet.getRange(5, 1).setValue('typed by hand'), 6],
    ['an operator deleted the last row', (t: ReturnType<typeof setup>) => t.sheet.deleteRow(4), 4],
    ['an operator inserted a row in the data', (t: ReturnType<typeof setup>) => t.sheet.insertRowBefore(3), 6],
  ])('a stale hint (%s) is not trusted: the append lands below the data, over nothing', (_label, edit, expected) => {
    const t = setup(4);
    edit(t);
    const filled = () => (t.store.active.sheet('Leads').values() as unknown[][]).filter((r) => r.some((v) => v !== '')).map((r) => r.join('|'));
    const before = filled();
    primeTables(t.read, [t.leads] as Table<TabSpec>[], t.tails);
    expect(t.leads.append([{ id: 'lead_new' }])).toBe(expected);
    // Every row there before is still there, unchanged, and the new one was added.
    expect(filled().filter((r) => !r.startsWith('lead_new|'))).toEqual(before);
    expect(filled()).toHaveLength(before.length + 1);
  });

  test('rows deleted after priming: the checked row is forgotten', () => {
    const t = setup(4);
    primeTables(t.read, [t.leads] as Table<TabSpec>[], t.tails);
    t.leads.deleteRows([2]);
    expect(t.leads.append([{ id: 'lead_new' }])).toBe(4);
  });

  test('a duplicate header is left for the table to report when a column is needed', () => {
    const t = setup(null);
    t.sheet.getRange(1, LEAD_HEADER.length + 1).setValue('id');
    primeTables(t.read, [t.leads] as Table<TabSpec>[], t.tails);
    expect(() => t.leads.col('id')).toThrow(SchemaError);
  });
});
