/**
 * Issue 19 item 6, the rest: opening the Sheet refreshes a stale Dashboard (the onOpen simple
 * trigger), so the operator never reads figures older than the opening; a fresh one costs nothing;
 * a web visitor calling the global `onOpen` changes nothing; a new day makes it stale.
 */
import { System, MONDAY_10H } from '../support/system';
import { envSwitches } from '../support/gas';
import { isOpenEvent } from '../../src/app/dashboard';

/** Whether this run's emulator lets a simple trigger take the script lock (not documented: docs/platform.md). */
const LOCK_IN_SIMPLE_TRIGGER = envSwitches().simpleTriggerLock !== false;
const describeWithLock = LOCK_IN_SIMPLE_TRIGGER ? describe : describe.skip;

const MINUTE = 60000;

const figure = (s: System, label: string) => (s.gas.spreadsheet.active.sheet('Dashboard').values() as unknown[][]).find((r) => r[0] === label)?.slice(0, 4);
const LEADS_TODAY = "Leads reçus aujourd'hui";

function withDashboard(): System {
  const s = new System({ now: MONDAY_10H });
  s.gas.run('refreshDashboard');
  expect(figure(s, LEADS_TODAY)?.[1]).toBe(0);
  return s;
}

describeWithLock('opening the Sheet', () => {
  test('after leads that reconcile has not caught up with, the Dashboard shows them as the Sheet opens, with only Sheet calls', () => {
    const s = withDashboard();
    s.metaLead({ phone: '+33611111111' });
    s.metaLead({ phone: '+33622222222' });
    s.gas.clock.advance(MINUTE);
    const open = s.gas.open()!;
    expect(open.error).toBeUndefined();
    expect(s.gas.spreadsheet.ui.menus[0].caption).toBe('Sirrius'); // the menu first
    expect(figure(s, LEADS_TODAY)).toEqual([LEADS_TODAY, 2, "Conversions aujourd'hui", 0]);
    expect(String(s.gas.spreadsheet.active.sheet('Dashboard').values()[0][2])).toMatch(/^Mis à jour le 23\/11\/2026 10:01/);
    expect(open.calls.count('UrlFetch') + open.calls.count('Mail') + open.calls.count('Script')).toBe(0);
    // Refreshed: reconcile has nothing left to do.
    expect((s.reconcile(5 * MINUTE).result as { dashboard: boolean }).dashboard).toBe(false);
  });

  test('its cost does not grow with the tab: the same Sheets calls at 100 and 50,000 older leads', () => {
    const cost = (rows: number) => {
      const s = new System({ now: MONDAY_10H });
      const leads = s.gas.spreadsheet.active.sheet('Leads');
      const header = leads.values()[0] as string[];
      const old = new Date(MONDAY_10H.getTime() - 90 * 86400000);
      const value = (h: string, i: number) =>
        h === 'id' ? `lead_${1600000000000 + i}` : h === 'created_at' ? old : h === 'status' ? (i % 3 ? 'new' : 'converted') : h === 'phone' ? `+3361${String(i).padStart(7, '0')}` : h === 'conversion_date' && i % 3 === 0 ? old : h === 'mrr' ? (i % 3 ? 0 : 29) : '';
      leads.seed(Array.from({ length: rows }, (_, i) => header.map((h) => value(h, i))), 2);
      s.gas.run('refreshDashboard');
      s.metaLead({ phone: '+33699999999' });
      const open = s.gas.open()!;
      expect(open.error).toBeUndefined();
      expect(figure(s, LEADS_TODAY)?.[1]).toBe(1);
      return open.calls.count('Sheets');
    };
    const small = cost(100);
    expect(cost(50000)).toBe(small);
  });

  test('a Dashboard already fresh is not read nor written again', () => {
    const s = withDashboard();
    const open = s.gas.open()!;
    expect(open.error).toBeUndefined();
    expect(open.calls.count('Sheets', ['Range.getValues', 'Range.setValues'])).toBe(0);
  });

  test('a new day makes it stale: at the first opening, today starts at 0 again', () => {
    const s = withDashboard();
    s.metaLead({ phone: '+33611111111' });
    s.gas.open();
    expect(figure(s, LEADS_TODAY)?.[1]).toBe(1);
    s.gas.clock.set(new Date('2026-11-24T07:30:00Z')); // Tuesday 8:30, nothing happened overnight
    s.gas.open();
    expect(figure(s, LEADS_TODAY)?.[1]).toBe(0);
    expect(String(s.gas.spreadsheet.active.sheet('Dashboard').values()[0][2])).toMatch(/^Mis à jour le 24\/11\/2026 08:30/);
  });

  test('while a webhook holds the lock, the Sheet still opens with its menu; the Dashboard is left to reconcile', () => {
    const s = withDashboard();
    s.metaLead({ phone: '+33611111111' });
    s.gas.locks.acquire('script', 999_999); // another execution
    const open = s.gas.open()!;
    expect(open.error).toBeUndefined();
    expect(s.gas.spreadsheet.ui.menus[0].caption).toBe('Sirrius');
    expect(figure(s, LEADS_TODAY)?.[1]).toBe(0);
    s.gas.locks.release('script', 999_999);
    expect((s.reconcile(5 * MINUTE).result as { dashboard: boolean }).dashboard).toBe(true);
    expect(figure(s, LEADS_TODAY)?.[1]).toBe(1);
  });

  test('only a real opening passes: google.script.run carries JSON, never the Spreadsheet object itself', () => {
    const sheet = { getId: () => 'sheet-1' };
    expect(isOpenEvent({ source: sheet }, 'sheet-1')).toBe(true);
    for (const forged of [undefined, null, {}, { source: 'sheet-1' }, { source: { getId: 'sheet-1' } }, { source: { getId: () => 'other' } }, { source: { getId: () => { throw new Error('x'); } } }]) {
      expect(isOpenEvent(forged, 'sheet-1')).toBe(false);
    }
    // What crosses google.script.run: JSON, where a function cannot survive.
    expect(isOpenEvent(JSON.parse(JSON.stringify({ source: sheet })), 'sheet-1')).toBe(false);
  });

  test('a web visitor calling the global onOpen with a forged event changes no cell', () => {
    const s = withDashboard();
    s.metaLead({ phone: '+33611111111' });
    const before = JSON.stringify(s.gas.spreadsheet.active.sheet('Dashboard').values());
    const forged = { source: { getId: 'x' }, authMode: 'LIMITED', user: {} };
    for (const args of [[], [forged], [{ source: s.gas.spreadsheet.active.id }]]) {
      try {
        s.gas.runFromClient('onOpen', args, { kind: 'web' });
      } catch {
        // refused or failed: either way nothing may change
      }
    }
    expect(JSON.stringify(s.gas.spreadsheet.active.sheet('Dashboard').values())).toBe(before);
  });
});

describe('opening the Sheet where Google refuses a simple trigger the lock', () => {
  test('the menu is there, nothing fails, and the next reconcile refreshes the Dashboard', () => {
    const s = new System({ now: MONDAY_10H, switches: { ...envSwitches(), simpleTriggerLock: false } });
    s.gas.run('refreshDashboard');
    s.metaLead({ phone: '+33611111111' });
    const open = s.gas.open()!;
    expect(open.error).toBeUndefined();
    expect(s.gas.spreadsheet.ui.menus[0].caption).toBe('Sirrius');
    expect(figure(s, LEADS_TODAY)?.[1]).toBe(0);
    expect((s.reconcile(5 * MINUTE).result as { dashboard: boolean }).dashboard).toBe(true);
    expect(figure(s, LEADS_TODAY)?.[1]).toBe(1);
  });
});
