/**
 * The daily routines through the bundle (SOP "Routine Quotidienne"), at fixed clock times: a
 * Sunday 18h (KPI, checks, backup, run twice), the Monday 9h report of that Sunday, the 12h
 * recount, the 15h call list, and the Sheets calls of each routine at two sizes of Leads.
 */
import { fixture } from '../../emulator/providers';
import { System, convert } from '../support/system';
import { sheetWrites, sheetsDataCalls } from '../support/gas';

/** Paris times in November 2026 (UTC+1). */
const SUNDAY_10H = new Date('2026-11-22T09:00:00Z');
const SUNDAY_18H = new Date('2026-11-22T17:00:00Z');
const MONDAY_9H = new Date('2026-11-23T08:00:00Z');
const MONDAY_11H = new Date('2026-11-23T10:00:00Z');
const MONDAY_12H = new Date('2026-11-23T11:00:00Z');
const MONDAY_15H = new Date('2026-11-23T14:00:00Z');
const MONDAY_18H = new Date('2026-11-23T17:00:00Z');

const OPERATOR = 'operateur@sirrius.example';

function run(s: System, fn: string, at?: Date) {
  if (at) s.gas.clock.set(at);
  const r = s.gas.runDetailed(fn, [], { kind: 'trigger' });
  if (r.error) throw r.error;
  return r as typeof r & { result: any };
}

function mails(s: System, subject: RegExp) {
  return s.gas.mail.outbox.filter((m) => m.to === OPERATOR && subject.test(m.subject));
}

/** Writes one cell of a tab by header name, as a person would (row 2 is the first data row). */
function setCell(s: System, tab: string, row: number, header: string, value: unknown) {
  const sheet = s.gas.spreadsheet.active.sheet(tab);
  const col = (sheet.values()[0] as string[]).indexOf(header) + 1;
  sheet.writeValue(row, col, value);
}

/** A Sunday: three Meta leads (SMS queued: no SMS on Sundays), one converted, one opting out. */
function sunday(): System {
  const s = new System({ now: SUNDAY_10H });
  s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'camille@example.fr' });
  s.gas.clock.advance(60000);
  s.metaLead({ fullName: 'Julien <b>Martin</b>', phone: '+33698765432', email: 'julien@example.fr' });
  s.gas.clock.advance(60000);
  s.metaLead({ fullName: 'Léa Petit', phone: '+33611112222', email: 'lea@example.fr' });
  s.gas.clock.advance(3600000);
  convert(s, 0, 'cus_Camille01');
  s.reply('+33611112222', 'STOP');
  return s;
}

describe('routineEvening (18h)', () => {
  test('a Sunday: one KPI_Daily row with the day’s numbers; a second run writes nothing and sends nothing', () => {
    const s = sunday();
    const first = run(s, 'routineEvening', SUNDAY_18H);
    expect(first.result).toMatchObject({ ok: true, emailed: true, kpiWritten: true });
    const kpi = s.rows('KPI_Daily');
    expect(kpi).toHaveLength(1);
    expect(kpi[0]).toMatchObject({
      leads_received: 3,
      sms_sent: 0, // Sunday: the SMS wait for Monday 8h
      leads_contacted: 0,
      leads_converted: 1,
      conversion_rate: 33.3,
      mrr_added: 29,
      opt_outs: 1,
      payments_failed: 0,
      incidents_opened: 0,
      capacity_used_pct: 15, // 3 leads of 20
    });
    expect(kpi[0].date).toEqual(new Date('2026-11-21T23:00:00Z')); // Sunday 0h in Paris

    const evening = mails(s, /Bilan du 22\/11\/2026/);
    expect(evening).toHaveLength(1);
    expect(evening[0].subject).toBe('[Sirrius] Bilan du 22/11/2026 : 3 leads, 1 conversion, 29,00 €');
    expect(evening[0].body).toMatch(/Rapports de succès : conversions du jour\n-+\n- Camille Durand \| 29,00 €/);
    expect(evening[0].body).toMatch(/Leads reçus \| 3 \| 20 \| non atteint/);
    expect(evening[0].body).toMatch(/Moins de leads que l'objectif/);
    expect(evening[0].htmlBody).toContain('<td style="border-bottom:1px solid #eee;vertical-align:top">Camille Durand</td>');
    // The backup: a copy of the whole spreadsheet, in its folder, named to be found.
    const items = [...s.gas.drive.items.values()];
    const folder = items.find((i) => i.name === 'Sirrius - Sauvegardes');
    expect(folder).toBeDefined();
    const copies = items.filter((i) => i.parentId === folder!.id);
    expect(copies.map((c) => c.name)).toEqual(['Sirrius Ops - sauvegarde 2026-11-22 18h00']);
    const copy = s.gas.spreadsheet.get(copies[0].id)!;
    expect(copy.sheet('Leads').values()).toHaveLength(4);
    expect(s.gas.spreadsheet.active.id).not.toBe(copy.id);

    const second = run(s, 'routineEvening', new Date(SUNDAY_18H.getTime() + 60000));
    expect(second.result).toMatchObject({ ok: true, emailed: false, kpiWritten: false, incidentsOpened: 0 });
    expect(sheetWrites(second.calls)).toBe(0);
    expect(s.rows('KPI_Daily')).toHaveLength(1);
    expect(mails(s, /Bilan/)).toHaveLength(1);
    expect([...s.gas.drive.items.values()].filter((i) => i.parentId === folder!.id)).toHaveLength(1);
  });

  test('the KPI row of the day is replaced in place when a figure changed, never appended', () => {
    const s = sunday();
    run(s, 'routineEvening', SUNDAY_18H);
    s.gas.clock.set(new Date(SUNDAY_18H.getTime() + 3600000));
    s.metaLead({ fullName: 'Tard Soir', phone: '+33633334444' });
    const again = run(s, 'routineEvening');
    expect(again.result).toMatchObject({ kpiWritten: true, emailed: false });
    expect(s.rows('KPI_Daily')).toEqual([expect.objectContaining({ leads_received: 4, conversion_rate: 25 })]);
  });

  test('Stripe sync check: an active subscription with no lead and a converted lead whose subscription is gone open one incident each, once', () => {
    const s = sunday();
    // A client who paid outside any lead, and Camille's subscription cancelled in Stripe without the webhook.
    const orphan = s.providers.stripeSubscription({ customer: 'cus_Orphan01', amount: 4900 });
    const camille = s.rows('Leads')[0];
    s.providers.subscriptions.get(camille.stripe_subscription_id as string).status = 'canceled';
    // A past_due subscription is not listed by status=active but is still a client: no incident.
    s.metaLead({ fullName: 'Paul Retard', phone: '+33655556666', email: 'paul@example.fr' });
    const paulSub = convert(s, 3, 'cus_Paul0001');
    paulSub.status = 'past_due';

    const first = run(s, 'routineEvening', SUNDAY_18H);
    expect(first.result.unlinked).toEqual([orphan.id]);
    expect(first.result.gone).toEqual([camille.id]);
    const incidents = s.rows('Incidents').filter((i) => i.type === 'stripe_sync');
    expect(incidents).toEqual([
      expect.objectContaining({ ref: orphan.id, severity: 'medium', status: 'open', title: `Abonnement Stripe actif ${orphan.id} (client cus_Orphan01) sans lead converti` }),
      expect.objectContaining({ ref: camille.id, severity: 'medium', status: 'open' }),
    ]);
    expect(s.rows('KPI_Daily')[0].incidents_opened).toBe(2);
    const body = mails(s, /Bilan/)[0].body;
    expect(body).toContain(`Abonnement actif ${orphan.id} (client cus_Orphan01) sans lead converti.`);
    expect(body).toContain(`Camille Durand est client dans le classeur, mais son abonnement ${camille.stripe_subscription_id} n'est plus actif dans Stripe (résilié).`);
    expect(body.indexOf('incidents ouverts par les contrôles du soir')).toBeLessThan(body.indexOf('KPI du jour'));

    run(s, 'routineEvening', new Date(SUNDAY_18H.getTime() + 60000));
    expect(s.rows('Incidents').filter((i) => i.type === 'stripe_sync')).toHaveLength(2);
    expect(s.rows('KPI_Daily')).toEqual([expect.objectContaining({ incidents_opened: 2 })]);
  });

  test('the active subscriptions are listed page after page', () => {
    const s = sunday();
    for (let i = 0; i < 230; i++) s.providers.stripeSubscription({ customer: `cus_Many${String(i).padStart(5, '0')}` });
    const r = run(s, 'routineEvening', SUNDAY_18H);
    expect(r.result.unlinked).toHaveLength(230);
    const lists = s.gas.fetchLog.filter((f: any) => /\/v1\/subscriptions\?.*status=active/.test(f.url));
    expect(lists).toHaveLength(3);
    expect(lists[1].url).toMatch(/starting_after=sub_/);
  });

  test('opt-out control: a lead with an opted-out number is set opted_out; an SMS after the opt-out opens an incident', () => {
    const s = sunday();
    // A second lead with Léa's number, typed by hand as a national number and left `new`.
    // (created 40 days back: closer than Config duplicate_window_days, it would be a note on Léa's lead)
    s.metaLead({ fullName: 'Léa Bis', phone: '06 11 11 22 22', createdAt: new Date(s.gas.clock.now() - 40 * 86400000) });
    setCell(s, 'Leads', 5, 'status', 'new');
    // An SMS recorded to that number after the opt-out (sent by hand through another tool, say).
    const messages = s.gas.spreadsheet.active.sheet('Messages');
    const header = messages.values()[0] as string[];
    const row = header.map((h) => ({ sent_at: new Date(SUNDAY_10H.getTime() + 5 * 3600000), channel: 'sms', to: '+33611112222', lead_id: '', template: 'manuel', status: 'sent' } as Record<string, unknown>)[h] ?? '');
    messages.seed([row], messages.lastRow + 1);

    const r = run(s, 'routineEvening', SUNDAY_18H);
    expect(r.result).toMatchObject({ optOutsFixed: 1, optOutBreaches: 1 });
    expect(s.rows('Leads')[3]).toMatchObject({ status: 'opted_out' });
    expect(s.rows('Leads')[3].notes).toMatch(/Statut passé à « opted_out » \(désinscrit\) le 22\/11\/2026/);
    expect(s.rows('Incidents')).toEqual([expect.objectContaining({ type: 'optout_breach', severity: 'high', title: '1 SMS envoyé après désinscription au 06 11 11 22 22' })]);
    const again = run(s, 'routineEvening', new Date(SUNDAY_18H.getTime() + 60000));
    expect(again.result).toMatchObject({ optOutsFixed: 0, incidentsOpened: 0 });
    expect(sheetWrites(again.calls)).toBe(0);
  });

  test('backups: one a day, the newest backup_keep kept, older ones trashed', () => {
    const s = sunday();
    setCell(s, 'Config', (s.rows('Config').findIndex((r) => r.key === 'backup_keep') as number) + 2, 'value', 2);
    s.gas.cache.script.clear();
    for (let d = 0; d < 4; d++) run(s, 'routineEvening', new Date(SUNDAY_18H.getTime() + d * 86400000));
    const items = [...s.gas.drive.items.values()];
    const folder = items.find((i) => i.name === 'Sirrius - Sauvegardes')!;
    const copies = items.filter((i) => i.parentId === folder.id);
    expect(copies.map((c) => [c.name, c.trashed])).toEqual([
      ['Sirrius Ops - sauvegarde 2026-11-22 18h00', true],
      ['Sirrius Ops - sauvegarde 2026-11-23 18h00', true],
      ['Sirrius Ops - sauvegarde 2026-11-24 18h00', false],
      ['Sirrius Ops - sauvegarde 2026-11-25 18h00', false],
    ]);
  });

  test('journal retention: done Events rows the archive left behind are removed in one deleteRows', () => {
    const s = sunday();
    const events = s.gas.spreadsheet.active.sheet('Events');
    const live = events.values().slice(1);
    const old = Array.from({ length: 50 }, (_, i) => [new Date(SUNDAY_18H.getTime() - (60 - i / 10) * 86400000), 'stripe', `evt_old${i}`, 'invoice.paid', 'processed', 1, '', '', '']);
    const kept = [new Date(SUNDAY_18H.getTime() - 59 * 86400000), 'stripe', 'evt_failed', 'invoice.paid', 'failed', 3, 'x', '', ''];
    events.seed([...old, kept, ...live], 2);
    const r = run(s, 'routineEvening', SUNDAY_18H);
    expect(r.result.journalRemoved).toBe(50);
    expect(r.calls.count('Sheets', ['Sheet.deleteRows'])).toBe(1);
    expect(s.rows('Events')[0].event_id).toBe('evt_failed');
    expect(s.rows('Events')).toHaveLength(1 + live.length);
  });
});

describe('routineMorning (9h)', () => {
  test('Monday 9h: yesterday’s KPI against the objectives, campaigns synced, leads, SMS sent, incidents, Stripe; once', () => {
    const s = sunday();
    s.providers.campaign('120210000000000001', 'Cuisine Paris', 'ACTIVE');
    s.providers.campaign('120210000000000002', 'Salle de bain', 'PAUSED');
    const ads = s.gas.spreadsheet.active.sheet('Ads_Control');
    ads.seed([["'120210000000000001"], ["'120210000000000002"]].map((r) => [r[0].slice(1)]), 2);
    run(s, 'routineEvening', SUNDAY_18H);
    s.gas.clock.set(new Date(MONDAY_9H.getTime() - 3 * 3600000));
    s.metaLead({ fullName: 'Nuit Blanche', phone: '+33677778888' }); // 6h: SMS queued until 8h
    s.gas.clock.set(MONDAY_9H);
    s.post('stripe', JSON.stringify(s.providers.stripeEvent(fixture('stripe/events/invoice.payment_failed.json'))));

    const r = run(s, 'routineMorning');
    expect(r.result).toMatchObject({ ok: true, emailed: true, kpiFound: true, smsRetried: 2 });
    const leads = s.rows('Leads');
    expect(r.result.newLeads).toBe(leads.filter((l) => l.status === 'new').length);
    // The SMS queued on Sunday and in the night go out (Léa opted out; Camille's is sms.ts's retry, see README).
    expect(s.providers.sms.map((m) => m.to)).not.toContain('+33611112222');
    expect(s.providers.sms.map((m) => m.to)).toEqual(expect.arrayContaining(['+33677778888', '+33698765432']));

    const [mail] = mails(s, /Routine du matin 23\/11\/2026/);
    expect(mail.body).toMatch(/^Routine du matin – 23\/11\/2026\n\nÀ décider :\n- Appeler 1 lead prioritaire \(moins de 12 h, Sirrius › Suivi commercial\) : Nuit Blanche \(06 77 77 88 88\)\.\n  Ouvrir le classeur \(menu Sirrius\) : https:\/\/docs\.google\.com\/spreadsheets\//);
    expect(mail.body).toContain('KPI de la veille (22/11/2026)');
    expect(mail.body).toMatch(/Conversions \| 1 \| 2 \| non atteint/);
    expect(mail.body).toMatch(/MRR ajouté \| 29,00 € \| 100,00 € \| non atteint/);
    expect(mail.body).toMatch(/Cuisine Paris \(120210000000000001\) \| diffuse \| non \| 23\/11\/2026 09:00/);
    expect(mail.body).toMatch(/Salle de bain \(120210000000000002\) \| en pause \| oui/);
    expect(mail.body).toContain('Leads nouveaux (jamais contactés) : 2.');
    expect(mail.body).toMatch(/- Nuit Blanche \| 06 77 77 88 88 \| 3 h 00 \| oui/);
    expect(mail.htmlBody).toContain('<a href="tel:+33677778888">06 77 77 88 88</a>');
    expect(mail.body).toMatch(/Abonnements actifs : 1\./);
    expect(mail.body).toContain('Événements Stripe reçus : 1 traité, 1 ignoré.');
    expect(s.rows('Ads_Control')).toEqual([
      expect.objectContaining({ campaign_name: 'Cuisine Paris', effective_status: 'ACTIVE' }),
      expect.objectContaining({ campaign_name: 'Salle de bain', effective_status: 'PAUSED', ads_paused: true }),
    ]);
    // The HTML escapes what comes from the Sheet.
    expect(mail.htmlBody).not.toContain('<b>Martin</b>');

    const again = run(s, 'routineMorning', new Date(MONDAY_9H.getTime() + 60000));
    expect(again.result).toMatchObject({ emailed: false, skipped: true });
    expect(sheetWrites(again.calls)).toBe(0);
    expect(mails(s, /Routine du matin/)).toHaveLength(1);
  });

  test('without yesterday’s KPI row the report says so and asks for a decision (not on the first day)', () => {
    const first = new System({ now: MONDAY_9H });
    run(first, 'routineMorning');
    const [day1] = mails(first, /Routine du matin/);
    expect(day1.body).toContain('Pas encore de bilan pour le 22/11/2026 : le premier bilan sera fait ce soir à 18 h.');
    // No false alarm on the first day (the ad-account warning of issue 21 may still be a decision).
    expect(day1.body).not.toContain("Le bilan de 18 h d'hier n'a pas été enregistré");
    expect(day1.body).toContain('Leads nouveaux (jamais contactés) : 0.');

    const s = new System({ now: SUNDAY_10H });
    run(s, 'routineEvening', new Date(SUNDAY_18H.getTime() - 86400000)); // Saturday's row exists
    run(s, 'routineMorning', MONDAY_9H); // Sunday's does not
    const [mail] = mails(s, /Routine du matin/);
    expect(mail.body).toContain("Pas de bilan enregistré pour le 22/11/2026 (onglet KPI_Daily) : le bilan de 18 h n'a pas tourné ce jour-là.");
    expect(mail.body).toContain("Le bilan de 18 h d'hier n'a pas été enregistré : vérifier que les déclencheurs sont installés (Sirrius › Installer / mettre à jour).");
  });
});

describe('routineAfternoon (15h) and markContacted', () => {
  test('the call list: leads under 6 h first, then older never contacted, with tel: links; markContacted', () => {
    const s = new System({ now: new Date(MONDAY_15H.getTime() - 26 * 3600000) });
    s.metaLead({ fullName: 'Ancien Lead', phone: '+33610000001' });
    s.gas.clock.set(new Date(MONDAY_15H.getTime() - 2 * 3600000));
    s.metaLead({ fullName: 'Frais Lead', phone: '+33610000002' });
    s.metaLead({ fullName: 'Deja Appele', phone: '+33610000003' });
    const [, , called] = s.rows('Leads');
    expect(s.gas.run('markContacted', [called.id, 'Rappeler jeudi'])).toMatchObject({ ok: true, status: 'contacted' });
    expect(s.gas.run('markContacted', [called.id, 'Rappeler jeudi'])).toMatchObject({ ok: true, message: expect.stringMatching(/déjà/) });
    expect(s.gas.run('markContacted', ['lead_inconnu'])).toMatchObject({ ok: false });
    expect(s.gas.run('markContacted', [42])).toMatchObject({ ok: false, field: 'leadId' });
    const after = s.rows('Leads')[2];
    expect(after).toMatchObject({ status: 'contacted' });
    expect(after.contacted_at).toEqual(new Date(MONDAY_15H.getTime() - 2 * 3600000));
    expect(after.notes).toMatch(/Contacté le 23\/11\/2026 13:00 : Rappeler jeudi$/);

    const r = run(s, 'routineAfternoon', MONDAY_15H);
    expect(r.result).toMatchObject({ emailed: true, toCall: 2, fresh: 1 });
    const [mail] = mails(s, /Appels du 23\/11\/2026/);
    expect(mail.subject).toBe('[Sirrius] Appels du 23/11/2026 : 2 leads à contacter');
    const fresh = mail.body.indexOf('Frais Lead');
    const older = mail.body.indexOf('Ancien Lead');
    expect(fresh).toBeGreaterThan(0);
    expect(older).toBeGreaterThan(fresh);
    expect(mail.body).not.toContain('Deja Appele');
    expect(mail.body).toMatch(/- Frais Lead \| 06 10 00 00 02 \| 2 h/);
    expect(mail.htmlBody).toContain('<a href="tel:+33610000001">06 10 00 00 01</a>');
    run(s, 'routineAfternoon', new Date(MONDAY_15H.getTime() + 60000));
    expect(mails(s, /Appels du/)).toHaveLength(1);
  });
});

describe('routineNoon (12h)', () => {
  test('recounts current_leads from Leads; silent above 20 % remaining', () => {
    const s = new System({ now: MONDAY_11H });
    s.metaLead({ phone: '+33620000001' });
    s.metaLead({ phone: '+33620000002' });
    // A person deletes the count: the Capacity row says 0.
    setCell(s, 'Capacity', 2, 'current_leads', 0);
    const r = run(s, 'routineNoon', MONDAY_12H);
    expect(r.result).toMatchObject({ counted: 2, rewritten: true, emailed: false });
    expect(s.rows('Capacity')).toEqual([expect.objectContaining({ current_leads: 2, remaining_capacity: 18, usage_pct: 10, status: 'open' })]);
    const again = run(s, 'routineNoon', new Date(MONDAY_12H.getTime() + 60000));
    expect(again.result).toMatchObject({ rewritten: false });
    expect(sheetWrites(again.calls)).toBe(0);
  });

  test('below 20 % remaining: the capacity rules apply and the operator learns which campaigns are still active', () => {
    const s = new System({ now: MONDAY_11H });
    s.providers.campaign('120210000000000001', 'Cuisine Paris', 'ACTIVE');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([['120210000000000001', 'Cuisine Paris', false, 'ACTIVE']], 2);
    const maxRow = s.rows('Config').findIndex((r) => r.key === 'max_leads_per_day') + 2;
    setCell(s, 'Config', maxRow, 'value', 6);
    s.gas.cache.script.clear();
    for (let i = 0; i < 3; i++) s.metaLead({ phone: `+3362000000${i}` });
    // Two leads typed by hand into the tab: the running count missed them.
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    const header = leads.values()[0] as string[];
    const typed = (id: string) => header.map((h) => ({ id, created_at: MONDAY_11H, source: 'manual', status: 'new', phone: '+33620000009' } as Record<string, unknown>)[h] ?? '');
    leads.seed([typed('lead_1'), typed('lead_2')], leads.lastRow + 1);
    const r = run(s, 'routineNoon', MONDAY_12H);
    expect(r.result).toMatchObject({ before: 3, counted: 5, emailed: true });
    expect(s.rows('Capacity')[0]).toMatchObject({ current_leads: 5, remaining_capacity: 1, usage_pct: 83.3, status: 'warning' });
    // The 80 % rule ran as for a lead arriving: one alert by email (and SMS) to the operator.
    expect(s.rows('Capacity')[0].alerted_at).toBeInstanceOf(Date);
    expect(s.rows('Messages').filter((m) => m.template === 'alerte_capacite')).toHaveLength(2);
    const [mail] = mails(s, /Capacité : 16,7 % restant/);
    expect(mail.body).toContain('Recompte depuis l\'onglet Leads : 3 → 5.');
    expect(mail.body).toMatch(/Campagnes encore actives\n-+\n- Cuisine Paris \| 120210000000000001 \| diffuse/);
    run(s, 'routineNoon', new Date(MONDAY_12H.getTime() + 60000));
    expect(mails(s, /Capacité : 16,7 % restant/)).toHaveLength(1);
  });
});

describe('cost', () => {
  /** Sheets calls of each routine with `rows` leads in the tab (plus the day's few real ones). */
  function costs(rows: number) {
    const s = new System({ now: SUNDAY_10H });
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    const header = leads.values()[0] as string[];
    const old = new Date('2026-01-01T10:00:00Z');
    leads.seed(
      Array.from({ length: rows }, (_, i) =>
        header.map((h) => ({ id: `lead_${1600000000000 + i}`, created_at: old, source: 'facebook', status: 'contacted', phone: `+3361${String(i).padStart(7, '0')}`, sms_sent: true, contacted_at: old } as Record<string, unknown>)[h] ?? ''),
      ),
      2,
    );
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'camille@example.fr' });
    const out: Record<string, number> = {};
    const measure = (fn: string, at: Date) => {
      const r = run(s, fn, at);
      expect(r.result.ok).toBe(true);
      out[fn] = sheetsDataCalls(r.calls);
    };
    measure('routineEvening', SUNDAY_18H);
    measure('routineMorning', MONDAY_9H);
    measure('routineNoon', MONDAY_12H);
    measure('routineAfternoon', MONDAY_15H);
    measure('routineEvening', MONDAY_18H);
    return out;
  }

  /** The 18h routine on a tab holding `rows` old leads of `status` (opted-out ones recorded in Opt_Outs) and today's two. */
  function evening(rows: number, status: 'new' | 'opted_out', sortNewestFirst = false) {
    const s = new System({ now: MONDAY_11H });
    const old = new Date('2026-09-01T10:00:00Z');
    const phone = (i: number) => `+3361${String(i).padStart(7, '0')}`;
    const seed = (tab: string, lines: Array<Record<string, unknown>>) => {
      const sheet = s.gas.spreadsheet.active.sheet(tab);
      const header = sheet.values()[0] as string[];
      sheet.seed(lines.map((l) => header.map((h) => l[h] ?? '')), 2);
    };
    seed('Leads', Array.from({ length: rows }, (_, i) => ({ id: `lead_${1600000000000 + i}`, created_at: new Date(old.getTime() + i * 60000), source: 'facebook', status, first_name: `Prénom${i}`, last_name: 'Nom', phone: phone(i), sms_sent: true })));
    if (status === 'opted_out') seed('Opt_Outs', Array.from({ length: rows }, (_, i) => ({ phone: phone(i), opted_out_at: old, reason: 'STOP', source: 'sms' })));
    s.metaLead({ fullName: 'Alice Lambert', phone: '+33612345678', email: 'alice@example.fr' });
    s.gas.clock.advance(60000);
    s.metaLead({ fullName: 'Bruno Caron', phone: '+33612345679', email: 'bruno@example.fr' });
    if (sortNewestFirst) {
      const sheet = s.gas.spreadsheet.active.sheet('Leads');
      sheet.seed((sheet.values().slice(1) as unknown[][]).reverse(), 2);
    }
    const r = run(s, 'routineEvening', MONDAY_18H);
    expect(r.result.ok).toBe(true);
    const [mail] = mails(s, /Bilan du 23/);
    return { body: mail.body, asked: r.calls.byMethod('Sheets')['Range.getRow'] ?? 0, cells: r.calls.cells('read') };
  }

  test('the 18h routine counts thousands of leads never contacted without reading them, and names the day’s', () => {
    const few = evening(300, 'new');
    const many = evening(3000, 'new');
    expect(many.body).toContain('- Appeler ces 3002 leads jamais contactés (Sirrius › Suivi commercial) : Bruno Caron (06 12 34 56 79), Alice Lambert (06 12 34 56 78) et 3000 autres.');
    expect([many.asked, many.cells]).toEqual([few.asked, few.cells]);
  });

  test('with few leads never contacted, the 18h email names the newest by their date, whatever the sort', () => {
    const newest = 'Appeler ces 32 leads jamais contactés (Sirrius › Suivi commercial) : Bruno Caron (06 12 34 56 79), Alice Lambert (06 12 34 56 78), Prénom29 Nom (06 10 00 00 29), Prénom28 Nom (06 10 00 00 28), Prénom27 Nom (06 10 00 00 27), Prénom26 Nom (06 10 00 00 26), Prénom25 Nom (06 10 00 00 25), Prénom24 Nom (06 10 00 00 24) et 24 autres.'; // the decision lists 8
    expect(evening(30, 'new').body).toContain(newest);
    expect(evening(30, 'new', true).body).toContain(newest);
  });

  test('the 18h opt-out control reads one cell per opted-out lead (its phone), not the columns between status and phone', () => {
    const few = evening(30, 'opted_out');
    const many = evening(3030, 'opted_out');
    // Opt_Outs is read whole (4 columns a row); the leads' phones, one cell each; and, so many
    // leads holding the status, the status column rather than each match asked its row.
    expect(many.cells - few.cells).toBeLessThanOrEqual(3000 * (4 + 1) + 3032); // 3,032 rows in the tab
    expect(many.asked - few.asked).toBeLessThan(100);
  });

  test('the Sheets calls of each routine do not grow with the rows of Leads', () => {
    const small = costs(100);
    const large = costs(30000);
    console.log(`routine Sheets calls at 100 and 30,000 leads: ${JSON.stringify(small)} / ${JSON.stringify(large)}`);
    expect(large).toEqual(small);
  });
});
