/** onEdit through the built bundle: a person types a lead's status in the Sheet (SOP Après-midi 6). */
import { LEADS } from '../../src/domain/schema';
import { newScript, sheetsDataCalls, testWithSimpleTriggerLock } from '../support/gas';

const NOW = new Date('2026-11-24T14:00:00Z');
const COLS: string[] = LEADS.columns.map((c) => c.name);
const col = (name: string) => COLS.indexOf(name) + 1;

function withLeads() {
  const gas = newScript({ now: NOW });
  gas.run('setup');
  const leads = gas.spreadsheet.active.sheet('Leads');
  const row = (id: string, status: string) => COLS.map((c) => (c === 'id' ? id : c === 'status' ? status : c === 'created_at' ? new Date('2026-11-24T08:00:00Z') : ''));
  leads.seed([row('lead_1', 'new'), row('lead_2', 'new')], 2);
  return { gas, leads };
}

/** What Sheets does when a person types `text` in a cell: the typed value is stored, then onEdit runs. */
function type(gas: ReturnType<typeof newScript>, tab: string, r: number, c: number, text: string) {
  const sheet = gas.spreadsheet.active.sheet(tab);
  const oldValue = sheet.displayValue(r, c);
  sheet.writeValue(r, c, text);
  return gas.edit({ sheet: tab, row: r, col: c, value: text, oldValue: oldValue || undefined });
}

describe('onEdit', () => {
  testWithSimpleTriggerLock('typing "contacted" stamps contacted_at and updated_at of that lead only, once', () => {
    const { gas, leads } = withLeads();
    const out = type(gas, 'Leads', 3, col('status'), 'contacted');
    expect(out && 'error' in out ? out.error : undefined).toBeUndefined();
    expect(leads.values()[2][col('contacted_at') - 1]).toEqual(NOW);
    expect(leads.values()[2][col('updated_at') - 1]).toEqual(NOW);
    expect(leads.values()[1][col('contacted_at') - 1]).toBe('');
    // A second edit does not move the first contact.
    gas.clock.set(NOW.getTime() + 3600000);
    type(gas, 'Leads', 3, col('status'), 'new');
    type(gas, 'Leads', 3, col('status'), 'contacted');
    expect(leads.values()[2][col('contacted_at') - 1]).toEqual(NOW);
    expect(leads.values()[2][col('updated_at') - 1]).toEqual(new Date(NOW.getTime() + 3600000));
  });

  testWithSimpleTriggerLock('a status typed by hand costs one header read, one read of the row and one write per stamped block', () => {
    const { gas } = withLeads();
    const contacted = type(gas, 'Leads', 3, col('status'), 'contacted')!;
    // contacted_at and updated_at are not adjacent: two setValues, through the table layer.
    expect(contacted.calls.byMethod('Sheets')).toMatchObject({ 'Range.getValues': 2, 'Range.setValues': 2 });
    expect(contacted.calls.count('Sheets', ['Range.setValue'])).toBe(0);
    expect(sheetsDataCalls(contacted.calls)).toBe(4);
    // One script lock for the opt-out check and the stamp.
    expect(contacted.calls.count('Lock', ['Lock.tryLock'])).toBe(1);
    const other = type(gas, 'Leads', 2, col('status'), 'rejected')!;
    expect(sheetsDataCalls(other.calls)).toBe(3);
  });

  testWithSimpleTriggerLock('a pasted block of statuses is stamped row by row as typed, each column in one write per run of rows', () => {
    const { gas, leads } = withLeads();
    const earlier = new Date('2026-11-23T10:00:00Z');
    const row = (id: string, status: string) => COLS.map((c) => (c === 'id' ? id : c === 'status' ? status : c === 'created_at' ? earlier : ''));
    leads.seed([row('lead_3', 'new'), row('lead_4', 'new'), row('lead_5', 'new')], 4);
    leads.writeValue(4, col('contacted_at'), earlier);
    // Rows 2..6: contacted, contacted, contacted (already contacted earlier), contacted, new.
    const out = gas.userEdit('Leads', 2, col('status'), [['contacted'], ['contacted'], ['contacted'], ['contacted'], ['']])!;
    expect(out && 'error' in out ? out.error : undefined).toBeUndefined();
    const at = (r: number, name: string) => leads.values()[r - 1][col(name) - 1];
    expect([2, 3, 4, 5, 6].map((r) => at(r, 'contacted_at'))).toEqual([NOW, NOW, earlier, NOW, '']);
    expect([2, 3, 4, 5, 6].map((r) => at(r, 'updated_at'))).toEqual([NOW, NOW, NOW, NOW, '']);
    // contacted_at: rows 2-3, then 5; updated_at: rows 2-5.
    expect(out.calls.count('Sheets', ['Range.setValues'])).toBe(3);
    expect(out.calls.count('Sheets', ['Range.setValue'])).toBe(0);
  });

  testWithSimpleTriggerLock('"opted_out" typed by hand: the number recorded and the row stamped from one read, under one lock', () => {
    const { gas, leads } = withLeads();
    leads.writeValue(2, col('phone'), '+33612345678');
    leads.writeValue(3, col('phone'), '06 12 34 56 78');
    // A paste: lead_1 opted out, lead_2 (the same number) "contacted": opting the number out wins.
    const out = gas.userEdit('Leads', 2, col('status'), [['opted_out'], ['contacted']])!;
    expect(out && 'error' in out ? out.error : undefined).toBeUndefined();
    expect(out.calls.count('Lock', ['Lock.tryLock'])).toBe(1);
    expect(gas.spreadsheet.active.sheet('Opt_Outs').values().slice(1).map((r) => r[0])).toEqual(['+33612345678']);
    const at = (r: number, name: string) => leads.values()[r - 1][col(name) - 1];
    expect([at(2, 'status'), at(3, 'status')]).toEqual(['opted_out', 'opted_out']);
    expect([at(2, 'updated_at'), at(3, 'updated_at')]).toEqual([NOW, NOW]);
    expect(at(3, 'contacted_at')).toBe('');
  });

  test('an edit elsewhere in Leads stamps nothing; an edit of Config still applies at once', () => {
    const { gas, leads } = withLeads();
    type(gas, 'Leads', 2, col('notes'), 'rappeler');
    expect(leads.values()[1][col('updated_at') - 1]).toBe('');
    const out = type(gas, 'Config', 2, 2, '42');
    expect(out && 'error' in out ? out.error : undefined).toBeUndefined();
  });
});

describe('onEdit and the script lock', () => {
  test('stamps under the script lock; while another execution holds it, the edit stays and nothing is stamped', () => {
    const { gas, leads } = withLeads();
    const out = type(gas, 'Leads', 2, col('status'), 'contacted');
    expect(out!.calls.count('Lock')).toBeGreaterThan(0);
    // A webhook holds the lock (an execution still running): onEdit gives up after 10 s.
    gas.locks.acquire('script', 999_999);
    type(gas, 'Leads', 3, col('status'), 'contacted');
    expect(leads.values()[2][col('status') - 1]).toBe('contacted');
    expect(leads.values()[2][col('contacted_at') - 1]).toBe('');
  });
});
