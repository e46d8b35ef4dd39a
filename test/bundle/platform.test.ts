/**
 * Issue 18, through the built bundle: what the first real deployment depends on and the emulator
 * can disagree with (emulator/switches.ts, docs/platform.md). WEBAPP_URL for every link; the
 * spreadsheet's own zone and locale; text correct whatever plain-text cells do with an
 * apostrophe; daily triggers at any minute of their hour; google.script.run and Dates; a filter
 * left on Leads; and the Diagnostic (Configuration › Diagnostic).
 */
import { System } from '../support/system';
import { TEST_PROPERTIES } from '../support/gas';
import { hiddenRows, readHtmlOutput, type PlatformSwitches } from '../../emulator';

const EXEC = 'https://script.google.com/macros/s/AKfyKEPT000/exec';
const WITH_URL = { ...TEST_PROPERTIES, WEBAPP_URL: EXEC };

/** The raw cells of a tab's column (what the Sheet holds, not what the table layer reads). */
function rawColumn(s: System, tab: string, header: string): unknown[] {
  const [head, ...rows] = s.gas.spreadsheet.active.sheet(tab).values() as unknown[][];
  const col = (head as string[]).indexOf(header);
  return rows.map((r) => r[col]);
}

describe('WEBAPP_URL: every link the project sends', () => {
  test("the SMS opt-out link and the opt-out page use WEBAPP_URL, not getService().getUrl()", () => {
    const s = new System({ properties: WITH_URL });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678' });
    const sms = s.providers.sms[0].body;
    expect(sms).toContain(`STOP SMS : ${EXEC}?source=optout&l=`);
    const link = new URL(/https:\S+/.exec(sms)![0]);
    const page = s.get(Object.fromEntries(link.searchParams));
    expect(page.content).toContain(`${EXEC}?source=optout&amp;l=`);
  });

  test('unset, the link falls back to Apps Script’s URL and the Configuration sidebar says which is in use', () => {
    const s = new System({ properties: WITH_URL });
    const set = s.gas.run('configStatus') as any;
    expect(set.config).toMatchObject({ webAppUrl: EXEC, webAppUrlSource: 'property' });
    expect(set.config.webhooks[0].url).toBe(`${EXEC}?source=stripe&token=<WEBHOOK_TOKEN>`);
    const bare = new System();
    const unset = bare.gas.run('configStatus') as any;
    expect(unset.config.webAppUrlSource).toBe('service');
    expect(unset.config.webAppUrl).toMatch(/^https:\/\/script\.google\.com\/macros\/s\/AKfycbEmu\w+\/exec$/);
    bare.metaLead({ phone: '+33612345678' });
    expect(bare.providers.sms[0].body).toContain(`STOP SMS : ${unset.config.webAppUrl}?source=optout`);
  });
});

describe("the spreadsheet's own time zone", () => {
  test('setup() sets Europe/Paris and fr_FR on a Sheet created in New York, once', () => {
    const s = new System({ switches: { spreadsheetTimeZone: 'America/New_York' }, setup: false });
    s.gas.spreadsheet.active.locale = 'en_US';
    const report = s.gas.run('setup') as any;
    expect(report.zoneReplaced).toBe('America/New_York');
    expect(s.gas.spreadsheet.active.timeZone).toBe('Europe/Paris');
    expect(s.gas.spreadsheet.active.locale).toBe('fr_FR');
    expect(s.gas.spreadsheet.ui.alerts.at(-1)?.prompt).toContain('America/New_York remplacé par Europe/Paris');
    const again = s.gas.runDetailed('setup');
    expect(again.result).not.toHaveProperty('zoneReplaced');
    expect(again.calls.count('Sheets', ['Spreadsheet.setSpreadsheetTimeZone', 'Spreadsheet.setSpreadsheetLocale'])).toBe(0);
  });

  test('the 18h KPI counts a lead contacted at 00:30 Paris even when the Sheet displays dates in New York (22/11)', () => {
    const s = new System({ now: new Date('2026-11-21T09:00:00Z') });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678' });
    // An owner set the Sheet back to New York after setup: 23/11 00:30 Paris is displayed 22/11 18:30.
    s.gas.spreadsheet.active.timeZone = 'America/New_York';
    s.gas.clock.set(new Date('2026-11-22T23:30:00Z'));
    const lead = s.rows('Leads')[0];
    expect(s.gas.run('markContacted', [lead.id, 'appel de nuit'])).toMatchObject({ ok: true });
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    const col = (leads.values()[0] as string[]).indexOf('contacted_at') + 1;
    expect(leads.displayValue(2, col)).toMatch(/^22\/11\/2026/);
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    const evening = s.gas.runDetailed('routineEvening', [], { kind: 'trigger' });
    expect((evening.result as any).ok).toBe(true);
    const kpi = s.rows('KPI_Daily').at(-1)!;
    expect(kpi.leads_contacted).toBe(1);
  });
});

describe('text whatever a plain-text cell does with a leading apostrophe', () => {
  const texts = { fullName: '=HYPERLINK("http://x") Dupont', phone: '+33612345678', email: "'quote@example.fr" };
  for (const plainTextApostrophe of ['strip', 'keep'] as const) {
    test(`${plainTextApostrophe}: setup() probes and records it; ids, phones and formula-looking text are stored exactly, and read back`, () => {
      const s = new System({ switches: { plainTextApostrophe } });
      expect(s.gas.properties.script.get('TEXT_APOSTROPHE')).toBe(plainTextApostrophe);
      expect(s.gas.spreadsheet.active.sheetNames()).not.toContain('_sirrius_probe');
      const { leadgenId } = s.metaLead(texts);
      const raw = Object.fromEntries(['id', 'fb_lead_id', 'first_name', 'phone', 'status', 'email'].map((h) => [h, rawColumn(s, 'Leads', h)[0]]));
      // Text that itself starts with an apostrophe is the one case stored with one more where they are kept.
      const quoted = plainTextApostrophe === 'keep' ? "''quote@example.fr" : "'quote@example.fr";
      expect(raw).toEqual({ id: expect.stringMatching(/^lead_\d{13}$/), fb_lead_id: leadgenId, first_name: '=HYPERLINK("http://x")', phone: '+33612345678', status: 'new', email: quoted });
      expect(s.formulas()).toEqual([]);
      // Lookups find the lead by its id (a Stripe conversion) and by phone (a STOP).
      s.reply('+33612345678', 'STOP');
      expect(rawColumn(s, 'Leads', 'status')[0]).toBe('opted_out');
      expect(rawColumn(s, 'Opt_Outs', 'phone')).toEqual(['+33612345678']);
      const exported = JSON.parse((s.gas.run('exportLead', ['+33612345678']) as any).json);
      expect(exported.leads[0]).toMatchObject({ first_name: '=HYPERLINK("http://x")', email: "'quote@example.fr", phone: '+33612345678' });
    });
  }

  test('keep: when an append grows the grid below rows that are not plain text (pasted with their own formats), the phone and ids stay text', () => {
    const s = new System({ switches: { plainTextApostrophe: 'keep' } });
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    const header = leads.values()[0] as string[];
    const rows = leads.maxRows; // every row of the grid filled: the next lead grows it
    leads.seed(Array.from({ length: rows - 1 }, (_, i) => header.map((h) => (h === 'id' ? `lead_${1600000000000 + i}` : h === 'status' ? 'contacted' : ''))), 2);
    for (let r = rows - 5; r <= rows; r++) leads.formats.set(r, header.indexOf('phone') + 1, '0'); // a block pasted as numbers
    const { leadgenId } = s.metaLead({ phone: '+33612345679' });
    expect(leads.maxRows).toBeGreaterThan(rows);
    expect(rawColumn(s, 'Leads', 'phone').at(-1)).toBe('+33612345679');
    expect(rawColumn(s, 'Leads', 'fb_lead_id').at(-1)).toBe(leadgenId);
  });

  test('keep: rows written before the probe with an apostrophe are still found and read without it', () => {
    const s = new System({ switches: { plainTextApostrophe: 'keep' } });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678' });
    // As the old table layer wrote them on such a Sheet: a quote kept as a character.
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    const header = leads.values()[0] as string[];
    for (const h of ['id', 'status', 'phone']) leads.writeValue(2, header.indexOf(h) + 1, `'${rawColumn(s, 'Leads', h)[0]}`);
    const id = String(rawColumn(s, 'Leads', 'id')[0]).slice(1);
    expect(s.gas.run('markContacted', [id, 'rappel'])).toMatchObject({ ok: true, status: 'contacted' });
    expect(rawColumn(s, 'Leads', 'status')[0]).toBe('contacted');
    expect(s.gas.run('optOutLead', ['06 12 34 56 78', 'appel'])).toMatchObject({ ok: true });
    expect(rawColumn(s, 'Leads', 'status')[0]).toBe('opted_out');
    // The erasure finds the old Messages row too (its address written with the quote kept).
    const messages = s.gas.spreadsheet.active.sheet('Messages');
    const mHeader = messages.values()[0] as string[];
    messages.writeValue(2, mHeader.indexOf('to') + 1, "'+33612345678");
    messages.writeValue(2, mHeader.indexOf('lead_id') + 1, ''); // found by its address alone
    expect(s.gas.run('eraseLead', [id])).toMatchObject({ ok: true });
    expect(rawColumn(s, 'Messages', 'to')[0]).not.toContain('612345678');
  });

  test('keep: an opt-out written before the probe with an apostrophe still stops every SMS to the number', () => {
    const s = new System({ switches: { plainTextApostrophe: 'keep' } });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678' });
    s.reply('+33612345678', 'STOP');
    // As the old table layer wrote it on such a Sheet: a quote kept as a character.
    const optOuts = s.gas.spreadsheet.active.sheet('Opt_Outs');
    optOuts.writeValue(2, (optOuts.values()[0] as string[]).indexOf('phone') + 1, "'+33612345678");
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    leads.writeValue(2, (leads.values()[0] as string[]).indexOf('phone') + 1, "'+33612345678");
    const sent = s.providers.sms.length;
    s.metaLead({ fullName: 'Camille Durand', phone: '06 12 34 56 78' });
    expect(s.providers.sms).toHaveLength(sent);
  });

  test('keep, without the Sheets API: formula-looking text gets an apostrophe, and reads back without it', () => {
    const s = new System({ switches: { plainTextApostrophe: 'keep' }, advancedServices: [] });
    s.metaLead({ fullName: '=1+1 Dupont', phone: '+33612345678' });
    expect(rawColumn(s, 'Leads', 'first_name')[0]).toBe("'=1+1");
    expect(s.formulas()).toEqual([]);
    const exported = JSON.parse((s.gas.run('exportLead', ['+33612345678']) as any).json);
    expect(exported.leads[0].first_name).toBe('=1+1');
  });
});

describe('time-driven triggers at any minute of their hour', () => {
  test('three days of triggers, each daily one at a random minute: each routine runs once a day in its hour and does its work', () => {
    const s = new System({ now: new Date('2026-11-22T23:00:00Z'), switches: { triggerMinute: 'random', triggerSeed: 7 } });
    // Only the daily triggers (reconcile's 5 minutes are not what this switch changes): the clock jumps from one run to the next.
    const store = s.gas.triggers.triggers;
    store.splice(store.findIndex((t) => t.handler === 'reconcile'), 1);
    const end = s.gas.clock.now() + 3 * 86400000;
    const ran: Array<{ handler: string; at: Date }> = [];
    let leads = 0;
    for (;;) {
      const next = Math.min(...store.map((t) => t.nextDue ?? Infinity));
      if (next > end) break;
      // A lead now and then, between runs.
      if (leads < 6 && next - s.gas.clock.now() > 3600000) {
        s.gas.clock.advance(1800000);
        s.metaLead({ phone: `+3361234567${leads++}` });
      }
      s.gas.clock.set(new Date(next));
      for (const handler of s.gas.fireDueTriggers()) ran.push({ handler, at: new Date(s.gas.clock.now()) });
    }
    expect(s.gas.triggers.failures).toEqual([]);
    const hourOf = (d: Date) => Number(d.toLocaleString('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }));
    const minutes = new Set<number>();
    for (const [handler, hour] of [['routineMorning', 9], ['routineNoon', 12], ['routineAfternoon', 15], ['routineEvening', 18], ['archive', 3]] as const) {
      const runs = ran.filter((r) => r.handler === handler);
      expect(runs).toHaveLength(3);
      runs.forEach((r) => expect(hourOf(r.at)).toBe(hour));
      runs.forEach((r) => minutes.add(r.at.getUTCMinutes()));
    }
    expect(minutes.size).toBeGreaterThan(3); // not all at :00
    expect(s.rows('KPI_Daily')).toHaveLength(3);
    expect(s.gas.mail.outbox.filter((m) => /Routine du matin|matin/i.test(m.subject)).length).toBeGreaterThanOrEqual(1);
  });
});

describe('google.script.run returns null for a result holding a Date', () => {
  test('every list and action the sidebars call answers a result, never null', () => {
    const s = new System({ properties: WITH_URL, switches: { clientDates: 'null' } });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678' });
    const calls: Array<[string, unknown[]]> = [
      ['listIncidents', [{ status: 'all' }]],
      ['listFailedPayments', []],
      ['followUpList', []],
      ['capacityOverview', []],
      ['configStatus', []],
      ['markContacted', [s.rows('Leads')[0].id, 'note']],
      ['showDiagnostic', []],
    ];
    for (const [fn, args] of calls) {
      if (!s.gas.hasGlobal(fn)) continue;
      expect([fn, s.gas.runFromClient(fn, args)]).toEqual([fn, expect.objectContaining({ ok: expect.any(Boolean) })]);
    }
  });
});

describe('a basic filter left on Leads (status = new)', () => {
  test('appends, lookups and counts stay right with rows hidden', () => {
    const switches: Partial<PlatformSwitches> = { leadsFilter: true };
    const s = new System({ switches });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678' });
    const first = s.rows('Leads')[0].id as string;
    expect(s.gas.run('markContacted', [first, 'rappel'])).toMatchObject({ ok: true });
    s.metaLead({ fullName: 'Julie Martin', phone: '+33698765432' });
    s.metaLead({ fullName: 'Léa Petit', phone: '+33611112222' });
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    expect(hiddenRows(leads)).toEqual([2]);
    // The hidden lead is still found by id and by phone.
    expect(s.gas.run('markContacted', [first, 'encore'])).toMatchObject({ ok: true, message: expect.stringMatching(/déjà/) });
    s.reply('+33612345678', 'STOP');
    expect(s.rows('Leads').map((l) => l.status)).toEqual(['opted_out', 'new', 'new']);
    expect(s.rows('Capacity')[0]).toMatchObject({ current_leads: 3 });
  });
});

describe("Dashboard charts when getOptions() does not return the builder's options", () => {
  test('found by their data ranges: refreshes add none, and a new maximum updates the gauge once', () => {
    const s = new System({ switches: { chartOptionsReadBack: false } });
    expect(s.gas.run('showDashboard')).toMatchObject({ ok: true });
    const tab = s.gas.spreadsheet.active.sheet('Dashboard');
    const ids = tab.charts.map((c) => c.chartId);
    expect(ids).toHaveLength(4); // gauge, leads, MRR, and the median minutes to contact (issue 22)
    const again = s.gas.runDetailed('refreshDashboard');
    expect(again.calls.count('Sheets', ['Sheet.insertChart', 'Sheet.updateChart'])).toBe(0);
    expect(s.gas.run('setTodayCapacity', [40])).toMatchObject({ ok: true });
    const rescaled = s.gas.runDetailed('refreshDashboard');
    expect(rescaled.calls.count('Sheets', ['Sheet.insertChart'])).toBe(0);
    expect(rescaled.calls.count('Sheets', ['Sheet.updateChart'])).toBe(1);
    expect(tab.charts.map((c) => c.chartId)).toEqual(ids);
    expect(tab.charts[0].options).toMatchObject({ max: 40 });
  });
});

describe('Configuration › Diagnostic', () => {
  test('is in the menu, runs every safe check, and says all is well on a well set-up script', () => {
    const s = new System({ properties: WITH_URL });
    s.gas.run('onOpen', [], { kind: 'simple' });
    const items = s.gas.spreadsheet.ui.menus[0].items.map((i) => [i.caption, i.fn]);
    expect(items).toContainEqual(['Configuration › Diagnostic', 'showDiagnostic']);
    const res = s.gas.run('showDiagnostic') as any;
    expect(res.ok).toBe(true);
    const byId = Object.fromEntries(res.checks.map((c: any) => [c.id, c]));
    expect(Object.keys(byId)).toEqual(['apostrophe', 'timezone', 'webapp', 'triggers', 'scopes', 'stripe', 'graph', 'twilio']);
    for (const id of ['apostrophe', 'timezone', 'webapp', 'triggers', 'scopes']) expect([id, byId[id].ok]).toEqual([id, true]);
    expect(byId.scopes.detail).toBe('6 scopes accordés sur 6.');
    expect(byId.triggers.detail).toContain('owner@example.com');
    const dialog = s.gas.spreadsheet.ui.dialogs.at(-1)!;
    expect(dialog.title).toBe('Diagnostic de la plateforme');
    const page = readHtmlOutput(dialog.html)!.content;
    expect(page).toContain('Texte brut et apostrophe');
    expect(page).toContain(`${EXEC} (propriété WEBAPP_URL).`);
    // Without a UI (the script editor, a trigger) the answer is returned, nothing thrown.
    const headless = s.gas.runDetailed('showDiagnostic', [], { kind: 'trigger' });
    expect(headless.error).toBeUndefined();
    expect((headless.result as any).ok).toBe(true);
  });

  test('names each problem in French: zone, missing WEBAPP_URL, a trigger owned by someone else, no provider keys', () => {
    const s = new System({ properties: { ...TEST_PROPERTIES, STRIPE_SECRET_KEY: '' } });
    s.gas.spreadsheet.active.timeZone = 'America/New_York';
    s.gas.triggers.triggers.splice(s.gas.triggers.triggers.findIndex((t) => t.handler === 'routineEvening'), 1);
    const res = s.gas.run('showDiagnostic') as any;
    const byId = Object.fromEntries(res.checks.map((c: any) => [c.id, c]));
    expect(byId.timezone).toMatchObject({ ok: false, detail: expect.stringContaining('America/New_York') });
    expect(byId.webapp).toMatchObject({ ok: null, detail: expect.stringContaining("WEBAPP_URL n'est pas définie") });
    expect(byId.triggers).toMatchObject({ ok: false, detail: expect.stringContaining('Manquants : Bilan du soir (18h)') });
    expect(byId.stripe).toMatchObject({ ok: false, detail: 'clé absente' });
    expect(res.message).toMatch(/problème/);
  });
});
