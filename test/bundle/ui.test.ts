/**
 * The operator's UI through the built bundle (issue 7): the Sirrius menu (every item calls an
 * existing global), each sidebar's page (its form fields, no secret in its HTML), the sidebars'
 * data functions, and the validation and conditional-format rules that setup() writes.
 */
import { readHtmlOutput } from '../../emulator';
import { MENU_ITEMS } from '../../src/app/menu';
import { RULES, VALIDATIONS } from '../../src/app/sheet-format';
import { LEADS, INCIDENTS, TABS } from '../../src/domain/schema';
import { RUNNABLE } from '../../src/shared/sidebar';
import { FR } from '../../src/ui/strings.fr';
import { envSwitches, TEST_PROPERTIES, sheetWrites } from '../support/gas';
import { System } from '../support/system';

const run = (s: System, fn: string, ...args: unknown[]) => s.gas.run(fn, args) as any;

/** Opens a sidebar through its menu global; its title and HTML. */
function sidebar(s: System, fn: string): { title: string; html: string } {
  const before = s.gas.spreadsheet.ui.sidebars.length;
  s.gas.run(fn);
  const shown = s.gas.spreadsheet.ui.sidebars.slice(before);
  expect(shown).toHaveLength(1);
  const out = readHtmlOutput(shown[0].html);
  expect(out).toBeDefined();
  return { title: out!.title, html: out!.content };
}

/** The form fields and data-testids a sidebar must have. */
const PAGES: Record<string, { title: string; fields: string[] }> = {
  showManualLeadSidebar: { title: FR.ui.manualLead.title, fields: ['first_name', 'last_name', 'phone', 'email', 'source_detail'] },
  showOptOutSidebar: { title: FR.ui.optOut.title, fields: ['phoneOrLeadId', 'reason'] },
  showConvertSidebar: { title: FR.ui.convert.title, fields: ['leadId', 'stripeCustomerId'] },
  showReplaySidebar: { title: FR.ui.replay.title, fields: ['eventId'] },
  showCapacitySidebar: { title: FR.ui.capacity.title, fields: ['maxLeads', 'reason'] },
  showPaymentsSidebar: { title: FR.ui.payments.title, fields: [] },
  showIncidentsSidebar: { title: FR.ui.incidents.title, fields: ['incidentFilter'] },
  showFollowUpSidebar: { title: FR.ui.followUp.title, fields: [] },
  showRunNowSidebar: { title: FR.ui.runNow.title, fields: [] },
  showConfigSidebar: { title: FR.ui.config.title, fields: [] },
  showResourcesSidebar: { title: FR.ui.resources.title, fields: [] },
};

describe('the Sirrius menu', () => {
  const s = new System();
  s.gas.run('onOpen', [], { kind: 'simple' } as never);
  const menu = s.gas.spreadsheet.ui.menus.find((m) => m.caption === 'Sirrius');

  test('lists every item of issue 7 in French, each calling a global of the bundle', () => {
    expect(menu).toBeDefined();
    const items = menu!.items.filter((i) => i.type === 'item');
    expect(items.map((i) => i.caption)).toEqual(MENU_ITEMS.map((i) => i.caption));
    expect(items.map((i) => i.caption)).toEqual([
      'Tableau de bord',
      'Ajouter un lead manuel (OK #1)',
      'Désinscription SMS (OK #2)',
      'Convertir un lead (OK #3)',
      'Rejouer un événement Stripe (KO #1)',
      'Capacité et publicités (KO #2)',
      'Paiements échoués (KO #3)',
      'Incidents',
      'Suivi commercial',
      'Lancer maintenant',
      'Configuration',
      'Configuration › Diagnostic',
      'Ressources',
      'Installer / mettre à jour',
    ]);
    for (const item of items) {
      expect([item.fn, s.gas.hasGlobal(item.fn!)]).toEqual([item.fn, true]);
      expect(item.fn!.endsWith('_')).toBe(false);
    }
  });

  test('every sidebar global shows its page: title, form fields, shared style and client, no secret', () => {
    for (const [fn, page] of Object.entries(PAGES)) {
      const { title, html } = sidebar(s, fn);
      expect([fn, title]).toEqual([fn, page.title]);
      for (const field of page.fields) expect([fn, html.includes(`name="${field}"`)]).toEqual([fn, true]);
      expect(html).toContain('<style>');
      expect(html).toContain('function run(');
      expect(html).not.toContain('<?');
      for (const [key, secret] of Object.entries(TEST_PROPERTIES)) expect([fn, key, html.includes(secret)]).toEqual([fn, key, false]);
      // The page's texts come from FR through a JSON block that no text can close early.
      const json = /<script type="application\/json" id="strings">([\s\S]*?)<\/script>/.exec(html);
      expect(JSON.parse(json![1]).page.title).toBe(page.title);
    }
  });

  test('include_ is global for the templates but private for google.script.run (trailing underscore)', () => {
    expect(s.gas.hasGlobal('include_')).toBe(true);
    expect(MENU_ITEMS.some((i) => i.fn.endsWith('_'))).toBe(false);
  });
});

describe('the sidebars read JSON-safe data', () => {
  test('configStatus shows which properties are set, secrets masked, and webhook URLs with a token placeholder', () => {
    const s = new System();
    const res = run(s, 'configStatus');
    expect(res.ok).toBe(true);
    const text = JSON.stringify(res);
    for (const [key, secret] of Object.entries(TEST_PROPERTIES)) {
      if (['WEBHOOK_TOKEN', 'STRIPE_SECRET_KEY', 'FB_VERIFY_TOKEN', 'FB_ACCESS_TOKEN', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'OPTOUT_SECRET'].includes(key)) {
        expect([key, text.includes(secret)]).toEqual([key, false]);
      }
    }
    const props = Object.fromEntries(res.config.properties.map((p: any) => [p.key, p]));
    // Set or not set, nothing more: not even the last characters (issue 15).
    expect(props.STRIPE_SECRET_KEY).toMatchObject({ set: true, secret: true, shown: '', problem: '' });
    for (const p of res.config.properties) if (p.secret) expect([p.key, p.shown]).toEqual([p.key, '']);
    expect(props.ALERT_EMAIL).toMatchObject({ set: true, secret: false, shown: TEST_PROPERTIES.ALERT_EMAIL });
    expect(res.config.webhooks.map((w: any) => w.url)).toEqual([
      expect.stringMatching(/\/exec\?source=stripe&token=<WEBHOOK_TOKEN>$/),
      expect.stringMatching(/\/exec\?source=facebook&token=<WEBHOOK_TOKEN>$/),
      expect.stringMatching(/\/exec\?source=sms&token=<WEBHOOK_TOKEN>$/),
    ]);
  });

  test('a missing property is reported as missing', () => {
    const { TWILIO_AUTH_TOKEN: _, ...rest } = TEST_PROPERTIES;
    const s = new System({ properties: rest });
    const props = run(s, 'configStatus').config.properties;
    expect(props.find((p: any) => p.key === 'TWILIO_AUTH_TOKEN')).toEqual({ key: 'TWILIO_AUTH_TOKEN', set: false, shown: '', secret: true, problem: '', optional: false });
    expect(props.find((p: any) => p.key === 'RELAY_TOKEN')).toEqual({ key: 'RELAY_TOKEN', set: false, shown: '', secret: true, problem: '', optional: true });
    const tested = run(s, 'testConnections');
    expect(tested.connections.find((c: any) => c.provider === 'twilio')).toMatchObject({ ok: false, detail: FR.ui.config.notConfigured });
  });

  test('testConnections makes one cheap GET per provider and says which worked', () => {
    const s = new System();
    const res = run(s, 'testConnections');
    expect(res).toMatchObject({ ok: true, message: FR.ui.config.tested(3, 3) });
    expect(res.connections.map((c: any) => [c.provider, c.ok])).toEqual([['stripe', true], ['graph', true], ['twilio', true]]);
    s.providers.fail('stripe', 1, 'status');
    const down = run(s, 'testConnections');
    expect(down.connections[0]).toMatchObject({ provider: 'stripe', ok: false });
    expect(JSON.stringify(down)).not.toContain(TEST_PROPERTIES.STRIPE_SECRET_KEY);
  });

  test('the call list, the failed payments and the capacity overview answer plain objects', () => {
    const s = new System();
    run(s, 'addManualLead', { first_name: 'Julie', last_name: 'Martin', phone: '0698765432', email: '', source_detail: 'salon' });
    const calls = run(s, 'followUpList');
    expect(calls.ok).toBe(true);
    expect(calls.leads).toEqual([expect.objectContaining({ name: 'Julie Martin', phone: '06 98 76 54 32', fresh: true, ageText: "il y a moins d'une heure" })]);
    expect(run(s, 'listFailedPayments')).toMatchObject({ ok: true, payments: [] });
    const cap = run(s, 'capacityOverview');
    expect(cap.overview).toMatchObject({ current: 1, max: 20, status: 'open', campaigns: [] });
    expect(cap.overview.summary).toBe(FR.ui.capacity.figures(1, 20, 5, 'ouvert'));
  });

  test('runNow runs only the routines and reconcile, with toasts', () => {
    const s = new System();
    expect(run(s, 'runNow', 'setup')).toMatchObject({ ok: false, field: 'name', error: FR.ui.runNow.unknown });
    expect(run(s, 'runNow', 'include_')).toMatchObject({ ok: false, field: 'name' });
    const toasts = s.gas.spreadsheet.toasts.length;
    const res = run(s, 'runNow', 'reconcile');
    expect(res.ok).toBe(true);
    expect(res.message).toContain(FR.ui.runNow.done(FR.ui.runNow.labels.reconcile));
    expect(s.gas.spreadsheet.toasts.length).toBe(toasts + 2);
    for (const name of RUNNABLE) expect([name, s.gas.hasGlobal(name)]).toEqual([name, true]);
  });

  test('showDashboard writes the Dashboard summary and shows it', () => {
    const s = new System();
    run(s, 'addManualLead', { first_name: 'Julie', last_name: 'Martin', phone: '0698765432', email: '', source_detail: 'salon' });
    const res = run(s, 'showDashboard');
    expect(res).toMatchObject({ ok: true, figures: { current: 1, max: 20, openIncidents: 0 } });
    // The summary is A:D (the campaigns' block below it is wider).
    const values = s.gas.spreadsheet.active.sheet('Dashboard').values().map((r) => r.slice(0, 4));
    expect(values[0][0]).toBe(FR.ui.dashboard.title);
    expect(values[2]).toEqual([FR.ui.dashboard.capacity, 1, 20, 'ouvert']);
    expect(values[9]).toEqual(FR.ui.dashboard.head);
    expect(values.slice(10, 40)).toHaveLength(30);
    expect(s.gas.spreadsheet.toasts.map((t) => t.message)).toContain(FR.ui.dashboard.refreshed);
  });
});

test('the 18h routine refreshes the Dashboard tab', () => {
  const s = new System({ now: new Date('2026-11-23T17:00:00Z') });
  run(s, 'addManualLead', { first_name: 'Julie', last_name: 'Martin', phone: '0698765432', email: '', source_detail: 'salon' });
  expect(s.gas.run('routineEvening')).toMatchObject({ ok: true });
  const values = s.gas.spreadsheet.active.sheet('Dashboard').values().map((r) => r.slice(0, 4));
  // The last day of the series is today's KPI_Daily row: one lead received.
  expect(values[39]).toEqual(['23/11', 1, 0, 0]);
});

describe('Dashboard charts (issue 7)', () => {
  const D = FR.ui.dashboard;
  const summary = (s: System) =>
    s.gas.spreadsheet.active.sheet('Dashboard').chartList.map((c) => ({ title: c.options.title, type: c.type, a1: c.a1, at: [c.position.row, c.position.col], headers: c.numHeaders }));
  const EXPECTED = [
    { title: D.chartCapacity, type: 'GAUGE', a1: ['A5:B5'], at: [1, 6], headers: 1 },
    { title: D.chartLeads, type: 'LINE', a1: ['A10:C40'], at: [11, 6], headers: 1 },
    { title: D.chartMrr, type: 'COLUMN', a1: ['A10:A40', 'D10:D40'], at: [27, 6], headers: 1 },
    { title: D.chartMedian, type: 'LINE', a1: ['A69:B99'], at: [69, 4], headers: 1 },
  ];

  test('the 18h routine creates the charts once; a second evening run inserts and updates none', () => {
    const s = new System({ now: new Date('2026-11-23T17:00:00Z') });
    run(s, 'addManualLead', { first_name: 'Julie', last_name: 'Martin', phone: '0698765432', email: '', source_detail: 'salon' });
    expect(s.gas.run('routineEvening')).toMatchObject({ ok: true });
    expect(summary(s)).toEqual(EXPECTED);
    // The gauge's scale is the day's maximum (20 by default), red from 90 %.
    const gauge = s.gas.spreadsheet.active.sheet('Dashboard').charts[0];
    expect(gauge.options).toMatchObject({ min: 0, max: 20, redFrom: 18, redTo: 20 });
    // The charts read the summary block: A5:B5 is today's count, row 10 the series' header.
    const values = s.gas.spreadsheet.active.sheet('Dashboard').values().map((r) => r.slice(0, 4));
    expect(values[4]).toEqual([D.leadsToday, 1, D.conversionsToday, 0]);
    expect(values[9]).toEqual(D.head);

    const again = s.gas.runDetailed('routineEvening');
    expect(again.error).toBeUndefined();
    expect(again.calls.count('Sheets', ['Sheet.insertChart', 'Sheet.updateChart', 'Sheet.removeChart', 'Sheet.newChart'])).toBe(0);
    expect(summary(s)).toEqual(EXPECTED);
  });

  test('an unreadable record of the charts\' options: they are read back instead (or, where Google cannot, rewritten in place), no chart added, the record written anew', () => {
    const s = new System();
    expect(run(s, 'showDashboard')).toMatchObject({ ok: true });
    const recorded = s.gas.properties.script.get('DASHBOARD_CHART_OPTIONS');
    const ids = s.gas.spreadsheet.active.sheet('Dashboard').charts.map((c) => c.chartId);
    s.gas.properties.script.set('DASHBOARD_CHART_OPTIONS', '{not json');
    const refresh = s.gas.runDetailed('refreshDashboard');
    expect(refresh.error).toBeUndefined();
    expect(refresh.calls.count('Sheets', ['Sheet.insertChart', 'Sheet.removeChart'])).toBe(0);
    // Options read back (switch chartOptionsReadBack, the default): nothing to update; not readable: each chart updated once.
    expect(refresh.calls.count('Sheets', ['Sheet.updateChart'])).toBe(envSwitches().chartOptionsReadBack === false ? ids.length : 0);
    expect(s.gas.spreadsheet.active.sheet('Dashboard').charts.map((c) => c.chartId)).toEqual(ids);
    expect(s.gas.properties.script.get('DASHBOARD_CHART_OPTIONS')).toBe(recorded);
  });

  test('the menu creates them too; a refresh adds none, and a new daily maximum updates only the gauge', () => {
    const s = new System();
    expect(run(s, 'showDashboard')).toMatchObject({ ok: true });
    expect(summary(s)).toEqual(EXPECTED);
    const ids = s.gas.spreadsheet.active.sheet('Dashboard').charts.map((c) => c.chartId);
    const second = s.gas.runDetailed('refreshDashboard');
    expect(second.calls.count('Sheets', ['Sheet.insertChart', 'Sheet.updateChart'])).toBe(0);
    expect(sheetWrites(second.calls)).toBe(0);

    // The operator raises today's maximum (KO #2 sidebar): the gauge is rescaled in place (same chart id).
    expect(run(s, 'setTodayCapacity', 40)).toMatchObject({ ok: true });
    const third = s.gas.runDetailed('refreshDashboard');
    expect(third.error).toBeUndefined();
    expect(third.calls.count('Sheets', ['Sheet.insertChart'])).toBe(0);
    expect(third.calls.count('Sheets', ['Sheet.updateChart'])).toBe(1);
    const charts = s.gas.spreadsheet.active.sheet('Dashboard').charts;
    expect(charts.map((c) => c.chartId)).toEqual(ids);
    expect(charts[0].options).toMatchObject({ max: 40, redFrom: 36 });
  });

  test('a chart the operator deleted comes back; one they moved stays where they put it', () => {
    const s = new System();
    run(s, 'showDashboard');
    const tab = s.gas.spreadsheet.active.sheet('Dashboard');
    tab.charts.splice(1, 1); // deleted in the Sheets UI
    tab.charts[0] = { ...tab.charts[0], position: { row: 30, col: 1, offsetX: 0, offsetY: 0 } }; // moved
    s.gas.run('refreshDashboard');
    expect(tab.charts.map((c) => c.options.title)).toEqual([D.chartCapacity, D.chartMrr, D.chartMedian, D.chartLeads]);
    expect(tab.charts[0].position.row).toBe(30);
  });
});

describe('setup() writes the Sheet rules', () => {
  const s = new System();
  const ss = s.gas.spreadsheet.active;
  const col = (tab: string, name: string) => (ss.sheet(tab).values()[0] as string[]).indexOf(name) + 1;

  test('status dropdowns and checkboxes on every row of their column', () => {
    for (const v of VALIDATIONS) {
      for (const row of [2, 500, ss.sheet(v.tab).maxRows]) {
        const rule = ss.sheet(v.tab).dataValidation(row, col(v.tab, v.column));
        expect([v.tab, v.column, row, rule?.criteriaType]).toEqual([v.tab, v.column, row, v.list ? 'VALUE_IN_LIST' : 'CHECKBOX']);
        if (v.list) expect(rule!.criteriaValues[0]).toEqual([...v.list]);
        expect(rule!.allowInvalid).toBe(true);
      }
    }
    expect(ss.sheet('Leads').dataValidation(2, col('Leads', 'status'))!.criteriaValues[0]).toEqual(['new', 'contacted', 'converted', 'rejected', 'opted_out']);
    expect(ss.sheet('Leads').dataValidation(2, col('Leads', 'sms_sent'))!.criteriaType).toBe('CHECKBOX');
  });

  test('conditional formats: priority leads (new, under 12 h), opted_out greyed, open high incidents in red', () => {
    const leads = ss.sheet('Leads').conditionalFormatRules;
    const letter = (tab: string, name: string) => String.fromCharCode(64 + col(tab, name));
    const S = letter('Leads', 'status');
    const C = letter('Leads', 'created_at');
    expect(leads.map((r) => [r.criteriaType, r.criteriaValues[0], r.background, r.fontColor])).toEqual([
      ['CUSTOM_FORMULA', `=AND($${S}2="new",ISNUMBER($${C}2),NOW()-$${C}2<0.5)`, '#fce8b2', null],
      ['CUSTOM_FORMULA', `=$${S}2="opted_out"`, '#f1f3f4', '#9aa0a6'],
    ]);
    const lastLeads = String.fromCharCode(64 + LEADS.columns.length);
    expect(leads[0].a1).toEqual([`A2:${lastLeads}${ss.sheet('Leads').maxRows}`]);
    const incidents = ss.sheet('Incidents').conditionalFormatRules;
    expect(incidents.map((r) => [r.criteriaValues[0], r.background])).toEqual([
      [`=AND($${letter('Incidents', 'status')}2="open",$${letter('Incidents', 'severity')}2="high")`, '#f4c7c3'],
    ]);
    expect(incidents[0].a1[0]).toMatch(new RegExp(`^A2:${String.fromCharCode(64 + INCIDENTS.columns.length)}\\d+$`));
    expect(RULES.length).toBe(4);
  });

  test('column widths and the money format', () => {
    expect(ss.sheet('Leads').columnWidth(col('Leads', 'notes'))).toBe(320);
    expect(ss.sheet('Incidents').columnWidth(col('Incidents', 'title'))).toBe(360);
    expect(ss.sheet('Leads').numberFormat(2, col('Leads', 'mrr'))).toBe('#,##0.00 "€"');
  });

  test('a second setup() writes nothing', () => {
    const sheet = ss.sheet('Leads');
    const again = s.gas.runDetailed('setup');
    expect(again.error).toBeUndefined();
    expect(sheetWrites(again.calls)).toBe(0);
    expect(sheet.conditionalFormatRules).toHaveLength(2);
    expect(TABS.length).toBeGreaterThan(0);
  });
});
