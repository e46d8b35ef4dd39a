/** setup() and onOpen() through the built bundle in the in-memory Apps Script. */
import { TABS, LEADS } from '../../src/domain/schema';
import { CONFIG_KEYS, CONFIG_DEFAULTS } from '../../src/domain/config';
import { TRIGGER_PLAN } from '../../src/domain/triggers';
import { MENU_ITEMS } from '../../src/app/menu';
import { newScript, sheetWrites } from '../support/gas';
import { System } from '../support/system';

const TEXT_COLUMNS: Record<string, string[]> = {
  Leads: ['id', 'fb_lead_id', 'phone', 'stripe_customer_id', 'stripe_subscription_id'],
  Opt_Outs: ['phone'],
  Events: ['event_id'],
  Messages: ['to', 'lead_id', 'provider_id'],
};

describe('setup() on an empty spreadsheet', () => {
  const gas = newScript();
  const report = gas.run('setup') as { tabsCreated: string[]; triggersCreated: string[]; triggersUnavailable: string[]; configAdded: string[] };
  const ss = gas.spreadsheet.active;

  test('creates every tab with its SPEC header in order, row 1 frozen, the grid no wider than its columns', () => {
    expect(report.tabsCreated).toEqual(expect.arrayContaining(TABS.map((t) => t.name)));
    for (const tab of TABS) {
      const sheet = ss.sheet(tab.name);
      expect(sheet.values()[0]).toEqual(tab.columns.map((c) => c.name));
      expect(sheet.frozenRows).toBe(1);
      expect(sheet.maxColumns).toBe(tab.columns.length);
    }
  });

  test('formats id and phone columns as text, dates as dates', () => {
    for (const [tab, cols] of Object.entries(TEXT_COLUMNS)) {
      const header = ss.sheet(tab).values()[0] as string[];
      for (const col of cols) expect([tab, col, ss.sheet(tab).numberFormat(500, header.indexOf(col) + 1)]).toEqual([tab, col, '@']);
    }
    const leadHeader = LEADS.columns.map((c) => c.name);
    expect(ss.sheet('Leads').numberFormat(2, leadHeader.indexOf('created_at') + 1)).toBe('dd/MM/yyyy HH:mm:ss');
    expect(ss.sheet('Capacity').numberFormat(2, 1)).toBe('dd/MM/yyyy');
  });

  test('writes the Config defaults with a French description each', () => {
    const rows = ss.sheet('Config').values().slice(1);
    expect(rows.map((r) => r[0])).toEqual(CONFIG_KEYS);
    for (const [key, value, description] of rows) {
      expect(value).toEqual(CONFIG_DEFAULTS[key as keyof typeof CONFIG_DEFAULTS]);
      expect(String(description).length).toBeGreaterThan(10);
    }
    expect(report.configAdded).toEqual(CONFIG_KEYS);
  });

  test('installs a trigger for each planned routine that the bundle defines', () => {
    const installed = gas.triggers.list().map((t) => t.handler).sort();
    expect(installed).toEqual([...report.triggersCreated].sort());
    expect([...report.triggersCreated, ...report.triggersUnavailable].sort()).toEqual(TRIGGER_PLAN.map((t) => t.handler).sort());
    for (const t of gas.triggers.list()) {
      const spec = TRIGGER_PLAN.find((p) => p.handler === t.handler);
      expect(spec).toBeDefined();
    }
  });

  test('a second setup() changes nothing: no cell written, no trigger added', () => {
    const before = JSON.stringify(TABS.map((t) => ss.sheet(t.name).values()));
    const triggers = gas.triggers.list().length;
    const second = gas.runDetailed('setup');
    expect(second.error).toBeUndefined();
    expect(second.result).toEqual({
      tabsCreated: [],
      columnsAdded: {},
      configAdded: [],
      triggersCreated: [],
      triggersUnavailable: report.triggersUnavailable,
      triggersOwner: 'owner@example.com',
      triggersNotMine: false,
      webhookTokenWeak: false,
    });
    expect(sheetWrites(second.calls)).toBe(0);
    expect(second.calls.count('Script', ['TriggerBuilder.create', 'ClockTriggerBuilder.create'])).toBe(0);
    expect(gas.triggers.list().length).toBe(triggers);
    expect(JSON.stringify(TABS.map((t) => ss.sheet(t.name).values()))).toBe(before);
  });
});

describe('setup() on an existing Leads tab with custom columns and data', () => {
  const gas = newScript();
  const ss = gas.spreadsheet.active;
  const header = ['phone', 'Mon commentaire', 'id', 'status', 'first_name'];
  const created = new Date('2026-11-20T10:00:00Z');
  const data = [
    ['+33612345678', 'client fidèle', 'lead_1700000000001', 'new', 'Camille'],
    ['0698765432', '=1+1', 'lead_1700000000002', 'contacted', 'Julien'],
    ['+33611223344', created, 'lead_1700000000003', 'converted', 'Léa'],
  ];

  test('nothing is lost or moved, and missing columns are added after the last one', () => {
    // The spreadsheet is prepared directly in the store (as an operator would have it).
    const leads = ss.addSheet('Leads');
    leads.seed([header, ...data], 1);
    const report = gas.run('setup') as { columnsAdded: Record<string, string[]> };
    const values = ss.sheet('Leads').values();
    const missing = LEADS.columns.map((c) => c.name).filter((n) => !header.includes(n));
    expect(report.columnsAdded).toEqual({ Leads: missing });
    expect(values[0]).toEqual([...header, ...missing]);
    for (let r = 0; r < data.length; r++) {
      expect(values[r + 1].slice(0, header.length)).toEqual(data[r]);
      expect(values[r + 1].slice(header.length)).toEqual(missing.map(() => ''));
    }
    expect(values).toHaveLength(data.length + 1);
  });
});

describe('a deploy that brings a new column, with nobody running setup()', () => {
  test('reconcile adds it within one run; a lead that came before is recorded and its SMS queued once', () => {
    const s = new System({ now: new Date('2026-11-22T21:00:00Z') }); // Sunday 22h: the SMS waits
    const messages = s.gas.spreadsheet.active.sheet('Messages');
    // The Sheet as the previous version left it: Messages without queued_at, its shape recorded.
    const header = messages.values()[0] as string[];
    messages.deleteColumns(header.indexOf('queued_at') + 1, 1);
    const previousShape = TABS.map((t) => `${t.name}:${t.columns.length - (t.name === 'Messages' ? 1 : 0)}`).join(',');
    s.gas.properties.script.set('SCHEMA_COLUMNS', previousShape);
    s.metaLead({ phone: '06 12 34 56 78' });
    expect(s.rows('Leads')).toHaveLength(1); // recorded; its SMS row could not be written yet
    expect(s.rows('Messages')).toHaveLength(0);
    const run = s.reconcile(5 * 60000);
    expect(run.error).toBeUndefined();
    expect((run.result as { columnsAdded: unknown }).columnsAdded).toEqual({ Messages: ['queued_at'] });
    expect((messages.values()[0] as string[]).at(-1)).toBe('queued_at');
    s.reconcile(10 * 60000); // the failed event's retry (backoff) records the SMS row
    expect(s.rows('Leads')).toHaveLength(1);
    expect(s.rows('Messages')).toEqual([expect.objectContaining({ status: 'queued', sent_at: '', queued_at: expect.any(Date) })]);
    // Recorded: the next runs compare one property and touch no tab header.
    const idle = s.reconcile(5 * 60000);
    expect((idle.result as { columnsAdded: unknown }).columnsAdded).toEqual({});
  });
});

describe('onOpen()', () => {
  test('adds the French "Sirrius" menu whose every item calls a global of the bundle', () => {
    const gas = newScript();
    gas.run('onOpen', [], { kind: 'simple' });
    const menus = gas.spreadsheet.ui.menus;
    expect(menus).toHaveLength(1);
    expect(menus[0].caption).toBe('Sirrius');
    const fns = menus[0].items.filter((i: { fn?: string }) => i.fn).map((i: { fn?: string }) => i.fn);
    expect(fns).toEqual(MENU_ITEMS.map((i) => i.fn));
    for (const fn of fns) expect(gas.hasGlobal(fn as string)).toBe(true);
  });

  test('makes no call that a simple trigger may not make', () => {
    const gas = newScript();
    const run = gas.runDetailed('onOpen', [], { kind: 'simple' });
    expect(run.error).toBeUndefined();
    expect(run.calls.count('UrlFetch') + run.calls.count('Mail') + run.calls.count('Script')).toBe(0);
  });
});
