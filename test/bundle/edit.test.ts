/** onEdit through the built bundle: a person types a lead's status in the Sheet (SOP Après-midi 6). */
import { LEADS } from '../../src/domain/schema';
import { newScript } from '../support/gas';

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
  test('typing "contacted" stamps contacted_at and updated_at of that lead only, once', () => {
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
    // A webhook holds the lock (an execution still running): onEdit gives up after 5 s.
    gas.locks.acquire('script', 999_999);
    type(gas, 'Leads', 3, col('status'), 'contacted');
    expect(leads.values()[2][col('status') - 1]).toBe('contacted');
    expect(leads.values()[2][col('contacted_at') - 1]).toBe('');
  });
});
