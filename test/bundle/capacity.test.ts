/**
 * KO #2, capacity, through the built bundle: the 80/90/100 % steps on Meta leads, the next day's
 * fresh row and the resume from reconcile, and the operator's functions (set today's maximum,
 * reject the excess, pause/resume/sync the campaigns) with their refusals of bad input.
 */
import { System, MONDAY_10H, json, setConfig } from '../support/system';
import { sheetWrites, sheetsDataCalls } from '../support/gas';

const MINUTE = 60000;
const DAY = 24 * 60 * MINUTE;
const CAMPAIGN = '120210000000000001';
const ALERT_PHONE = '+33600000000';

/** A system with max 10 leads a day and one active campaign in Ads_Control (and at Meta). */
function tenADay(opts: { campaigns?: string[] } = {}): System {
  const s = new System();
  setConfig(s, 'max_leads_per_day', 10);
  const ids = opts.campaigns ?? [CAMPAIGN];
  ids.forEach((id, i) => s.providers.campaign(id, `Campagne ${i + 1}`, 'ACTIVE'));
  s.gas.spreadsheet.active.sheet('Ads_Control').seed(
    ids.map((id, i) => [id, `Campagne ${i + 1}`, false, 'ACTIVE', '', '', '']),
    2,
  );
  return s;
}

let phoneSeq = 0;
/** A Meta lead with its own phone number. */
function lead(s: System) {
  phoneSeq++;
  return s.metaLead({ phone: `+3361${String(phoneSeq).padStart(7, '0')}`, fullName: `Lead ${phoneSeq}` });
}

const capacityRows = (s: System) => s.rows('Capacity');
const alertMails = (s: System) => s.gas.mail.outbox.filter((m) => /Capacité du jour/.test(m.subject));
const alertSms = (s: System) => s.providers.sms.filter((m) => m.to === ALERT_PHONE);
const graphPosts = (s: System, id = CAMPAIGN) => s.gas.fetchLog.filter((r) => r.method.toLowerCase() === 'post' && r.url.includes(`graph.facebook.com/v21.0/${id}`));
const overflowIncidents = (s: System) => s.rows('Incidents').filter((i) => i.type === 'capacity_overflow');
/** Every tab's values, to prove that a refused call wrote nothing. */
const snapshot = (s: System) => JSON.stringify(s.gas.spreadsheet.active.sheetNames().map((n) => s.gas.spreadsheet.active.sheet(n).values()));
const run = (s: System, fn: string, ...args: unknown[]) => s.gas.run(fn, args) as any;
/** The next-day resume part of a reconcile report. */
const adsOf = (execution: { result?: unknown }) => (execution.result as { ads: unknown }).ads;

describe('the capacity steps on Meta leads (max 10 a day)', () => {
  const s = tenADay();
  const leads: string[] = [];
  const upTo = (n: number) => {
    while (leads.length < n) leads.push(lead(s).leadgenId);
  };

  test('7 leads: one Capacity row for today, open, nothing else', () => {
    upTo(7);
    const rows = capacityRows(s);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ max_leads: 10, current_leads: 7, remaining_capacity: 3, usage_pct: 70, status: 'open', alerted_at: '', ads_paused_at: '', overflow_incident: '' });
    // The date is a real Date, at midnight in Paris (UTC+1 in November).
    expect((rows[0].date as Date).toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(rows[0].updated_at).toBeInstanceOf(Date);
    expect(alertMails(s)).toHaveLength(0);
    expect(alertSms(s)).toHaveLength(0);
    expect(graphPosts(s)).toHaveLength(0);
  });

  test('the 8th (80 %): one email and one SMS to the operator, status warning', () => {
    upTo(8);
    expect(capacityRows(s)[0]).toMatchObject({ current_leads: 8, remaining_capacity: 2, usage_pct: 80, status: 'warning' });
    expect(capacityRows(s)[0].alerted_at).toBeInstanceOf(Date);
    expect(alertMails(s)).toHaveLength(1);
    expect(alertMails(s)[0]).toMatchObject({ to: 'operateur@sirrius.example', subject: '[Sirrius] Capacité du jour à 80 %' });
    expect(alertSms(s)).toHaveLength(1);
    // To the operator: no opt-out mention.
    expect(alertSms(s)[0].body).toBe('Sirrius : capacité du jour à 80 % (8/10 leads).');
    const logged = s.rows('Messages').filter((m) => m.template === 'alerte_capacite');
    expect(logged.map((m) => [m.channel, m.to, m.status])).toEqual([
      ['email', 'operateur@sirrius.example', 'sent'],
      ['sms', ALERT_PHONE, 'sent'],
    ]);
    expect(graphPosts(s)).toHaveLength(0);
  });

  test('the 9th (90 %): the campaign is paused through Graph once, and marked', () => {
    upTo(9);
    expect(graphPosts(s)).toHaveLength(1);
    expect(new URLSearchParams(graphPosts(s)[0].payload).get('status')).toBe('PAUSED');
    expect(s.providers.campaigns.get(CAMPAIGN)!.status).toBe('PAUSED');
    const [ads] = s.rows('Ads_Control');
    expect(ads).toMatchObject({ campaign_id: CAMPAIGN, ads_paused: true, effective_status: 'PAUSED', paused_reason: 'Capacité atteinte (90 %) le 23/11/2026', paused_by: 'capacity', last_error: '' });
    expect(ads.paused_at).toBeInstanceOf(Date);
    expect(capacityRows(s)[0]).toMatchObject({ current_leads: 9, usage_pct: 90, status: 'warning' });
    expect(capacityRows(s)[0].ads_paused_at).toBeInstanceOf(Date);
    expect(alertMails(s)).toHaveLength(1);
    expect(alertSms(s)).toHaveLength(1);
  });

  test('the 10th (100 %) is still warning; the 11th is full with one high incident', () => {
    upTo(10);
    expect(capacityRows(s)[0]).toMatchObject({ current_leads: 10, remaining_capacity: 0, usage_pct: 100, status: 'warning' });
    expect(overflowIncidents(s)).toHaveLength(0);
    upTo(11);
    expect(capacityRows(s)[0]).toMatchObject({ current_leads: 11, remaining_capacity: 0, usage_pct: 110, status: 'full' });
    const incidents = overflowIncidents(s);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ severity: 'high', status: 'open', ref: '2026-11-23', title: 'Capacité dépassée le 23/11/2026 : 11 leads pour 10 au maximum' });
    expect(capacityRows(s)[0].overflow_incident).toBe(incidents[0].id);
    expect(s.gas.mail.outbox.filter((m) => m.subject.startsWith('[Sirrius] Incident : Capacité dépassée'))).toHaveLength(1);
  });

  test('the 12th is recorded and texted, and adds nothing new', () => {
    const mails = s.gas.mail.outbox.length;
    const posts = s.gas.fetchLog.filter((r) => r.url.includes('graph.facebook.com') && !r.url.includes('/leads')).length;
    upTo(12);
    expect(s.rows('Leads')).toHaveLength(12);
    expect(s.rows('Leads')[11].sms_sent).toBe(true);
    expect(capacityRows(s)[0]).toMatchObject({ current_leads: 12, usage_pct: 120, status: 'full' });
    expect(overflowIncidents(s)).toHaveLength(1);
    expect(s.gas.mail.outbox.length).toBe(mails);
    expect(alertSms(s)).toHaveLength(1);
    expect(graphPosts(s)).toHaveLength(1);
    // Only the lead's own Graph GET: no campaign call.
    expect(s.gas.fetchLog.filter((r) => r.url.includes('graph.facebook.com') && !r.url.includes('/leads')).length).toBe(posts + 1);
    expect(capacityRows(s)).toHaveLength(1);
  });

  test('a redelivered lead is not counted twice', () => {
    const { webhook } = s.providers.metaLead({ phone: '+33699999901' });
    for (let i = 0; i < 3; i++) expect(json(s.post('facebook', JSON.stringify(webhook))).ok).toBe(true);
    expect(capacityRows(s)[0].current_leads).toBe(13);
    expect(s.rows('Leads')).toHaveLength(13);
  });

  test('the next day starts a fresh row, and reconcile resumes the campaign paused for capacity, once', () => {
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z')); // Tuesday 9:00 in Paris
    const first = s.reconcile(0);
    expect(first.error).toBeUndefined();
    expect(adsOf(first)).toEqual({ resumed: 1, failed: 0 });
    expect(s.providers.campaigns.get(CAMPAIGN)!.status).toBe('ACTIVE');
    expect(s.rows('Ads_Control')[0]).toMatchObject({ ads_paused: false, effective_status: 'ACTIVE', paused_at: '', paused_reason: '', paused_by: '' });
    const again = s.reconcile(5 * MINUTE);
    expect(adsOf(again)).toBeNull();
    expect(graphPosts(s)).toHaveLength(2);
    lead(s);
    const rows = capacityRows(s);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ max_leads: 10, current_leads: 1, usage_pct: 10, status: 'open', alerted_at: '', ads_paused_at: '', overflow_incident: '' });
    expect((rows[1].date as Date).toISOString()).toBe('2026-11-23T23:00:00.000Z');
  });
});

describe('the next-day resume', () => {
  function pausedYesterday(resume: boolean) {
    const s = tenADay();
    if (!resume) setConfig(s, 'capacity_resume_next_day', false);
    for (let i = 0; i < 9; i++) lead(s);
    expect(s.providers.campaigns.get(CAMPAIGN)!.status).toBe('PAUSED');
    return s;
  }

  test('waits for the next day: reconcile the same day resumes nothing', () => {
    const s = pausedYesterday(true);
    const same = s.reconcile(30 * MINUTE);
    expect(adsOf(same)).toBeNull();
    expect(s.providers.campaigns.get(CAMPAIGN)!.status).toBe('PAUSED');
  });

  test('is off with capacity_resume_next_day FALSE', () => {
    const s = pausedYesterday(false);
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    expect(adsOf(s.reconcile(0))).toBeNull();
    expect(s.providers.campaigns.get(CAMPAIGN)!.status).toBe('PAUSED');
    expect(s.rows('Ads_Control')[0].ads_paused).toBe(true);
  });

  test('resumes only what the capacity step paused, not a campaign the operator paused', () => {
    const operators = '120210000000000002';
    const s = tenADay({ campaigns: [CAMPAIGN] });
    s.providers.campaign(operators, 'Été', 'PAUSED');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([[operators, 'Été', true, 'PAUSED', new Date(MONDAY_10H.getTime() - DAY), 'Fin de saison', '', 'operator', '']], 3);
    for (let i = 0; i < 9; i++) lead(s);
    expect(graphPosts(s, operators)).toHaveLength(0);
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    expect(adsOf(s.reconcile(0))).toEqual({ resumed: 1, failed: 0 });
    expect(s.providers.campaigns.get(CAMPAIGN)!.status).toBe('ACTIVE');
    expect(s.providers.campaigns.get(operators)!.status).toBe('PAUSED');
    expect(s.rows('Ads_Control')[1]).toMatchObject({ ads_paused: true, paused_reason: 'Fin de saison', paused_by: 'operator' });
  });

  test('an idle reconcile stays within its budget with capacity in place', () => {
    const s = pausedYesterday(true);
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    s.reconcile(0);
    const idle = s.reconcile(5 * MINUTE);
    expect(adsOf(idle)).toBeNull();
    expect(sheetsDataCalls(idle.calls)).toBeLessThanOrEqual(5);
    expect(sheetWrites(idle.calls)).toBe(0);
  });

  test('a campaign Graph refuses to pause: an incident, the error kept, and a retry with the next lead', () => {
    const s = tenADay();
    for (let i = 0; i < 8; i++) lead(s);
    s.gas.fetch = (req) => (req.method.toLowerCase() === 'post' && req.url.includes(CAMPAIGN) ? { status: 500, body: { error: { message: 'Temporary failure' } } } : s.providers.router(req));
    lead(s);
    expect(s.rows('Ads_Control')[0]).toMatchObject({ ads_paused: false, last_error: 'graph 500: Temporary failure' });
    const failed = s.rows('Incidents').filter((i) => i.type === 'ads_pause_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ severity: 'high', ref: CAMPAIGN });
    expect(capacityRows(s)[0].ads_paused_at).toBe('');
    s.gas.fetch = s.providers.router;
    lead(s);
    expect(s.rows('Ads_Control')[0]).toMatchObject({ ads_paused: true, last_error: '' });
    expect(capacityRows(s)[0].ads_paused_at).toBeInstanceOf(Date);
  });
});

describe('Sheets calls of a capacity-counted lead do not grow with the rows', () => {
  function cost(leadRows: number, capacityDays: number) {
    const s = new System();
    const ss = s.gas.spreadsheet.active;
    const header = ss.sheet('Leads').values()[0] as string[];
    ss.sheet('Leads').seed(
      Array.from({ length: leadRows }, (_, i) => header.map((h) => (h === 'id' ? `lead_${1600000000000 + i}` : h === 'phone' ? `+3361${String(i).padStart(7, '0')}` : h === 'fb_lead_id' ? String(1000000 + i) : ''))),
      2,
    );
    // Past days, oldest first: today's row is then appended last, as in a year of use.
    ss.sheet('Capacity').seed(
      Array.from({ length: capacityDays }, (_, i) => [new Date(MONDAY_10H.getTime() - (capacityDays - i) * DAY), 20, 20, 0, 100, 'warning', new Date()]),
      2,
    );
    for (const tab of ['Leads', 'Capacity']) {
      const sheet = ss.sheet(tab);
      sheet.seed(Array.from({ length: 10 }, () => ['']), sheet.lastRow + 1);
    }
    s.metaLead({ phone: '+33699999999' }); // the day's first lead (creates today's row), and warms the Config cache
    const res = s.metaLead({ phone: '+33699999998' }).response!;
    expect(json(res).ok).toBe(true);
    expect(s.rows('Capacity').at(-1)).toMatchObject({ current_leads: 2, status: 'open' });
    return sheetsDataCalls(res.calls);
  }

  test('the same at 100 and 100,000 Leads rows, and 10 or 1,000 days of Capacity', () => {
    const small = cost(100, 10);
    expect(cost(100000, 1000)).toBe(small);
  });
});

describe("finding today's row", () => {
  test('after an operator inserted a row above it, or added tomorrow below it', () => {
    const s = tenADay();
    for (let i = 0; i < 3; i++) lead(s);
    const sheet = s.gas.spreadsheet.active.sheet('Capacity');
    sheet.insertRows(2, 1); // today's row moves to row 3
    lead(s);
    expect(capacityRows(s).map((r) => r.current_leads)).toEqual(['', 4]);
    // Tomorrow planned in advance, below today: today's row is no longer the last.
    sheet.seed([[new Date('2026-11-23T23:00:00Z'), 30, 0, 30, 0, 'open', '']], 4);
    sheet.insertRows(2, 1); // and the remembered row number is stale again
    lead(s);
    expect(capacityRows(s).map((r) => [r.max_leads, r.current_leads])).toEqual([
      ['', ''],
      ['', ''],
      [10, 5],
      [30, 0],
    ]);
    s.gas.clock.set(new Date('2026-11-24T09:00:00Z'));
    lead(s);
    expect(capacityRows(s).at(-1)).toMatchObject({ max_leads: 30, current_leads: 1 });
    expect(capacityRows(s)).toHaveLength(4);
  });
});

describe('setTodayCapacity', () => {
  test.each([
    ['0', 0],
    ['-1', -1],
    ['1.5', 1.5],
    ['10001', 10001],
    ['"abc"', 'abc'],
    ['"=1+1"', '=1+1'],
    ['""', ''],
    ['null', null],
    ['undefined', undefined],
    ['{}', {}],
    ['[12]', [12]],
    ['100,000 digits', '9'.repeat(100000)],
    ['NaN', NaN],
    ['true', true],
  ])('refuses %s and writes nothing', (_label, value) => {
    const s = tenADay();
    lead(s);
    const before = snapshot(s);
    const res = run(s, 'setTodayCapacity', value);
    expect(res).toMatchObject({ ok: false, field: 'maxLeads' });
    expect(res.error).toMatch(/nombre entier de leads entre 1 et 10000/);
    expect(snapshot(s)).toBe(before);
  });

  test('before any lead, creates today\'s row with the new maximum', () => {
    const s = tenADay();
    const res = run(s, 'setTodayCapacity', '25');
    expect(res).toMatchObject({ ok: true, capacity: { date: '2026-11-23', max_leads: 25, current_leads: 0, status: 'open' } });
    lead(s);
    expect(capacityRows(s)).toHaveLength(1);
    expect(capacityRows(s)[0]).toMatchObject({ max_leads: 25, current_leads: 1, usage_pct: 4 });
  });

  test('raising clears the steps that no longer apply; lowering takes them at once, without alerting the operator', () => {
    const s = tenADay();
    for (let i = 0; i < 11; i++) lead(s);
    const incident = overflowIncidents(s)[0].id;
    const raised = run(s, 'setTodayCapacity', 15);
    expect(raised).toMatchObject({ ok: true, capacity: { max_leads: 15, current_leads: 11, remaining_capacity: 4, usage_pct: 73.3, status: 'open' } });
    expect(raised.message).toBe('Capacité du jour fixée à 15 leads. 11 leads acceptés sur 15 (73,3 %) : ouvert.');
    expect(capacityRows(s)[0]).toMatchObject({ alerted_at: '', ads_paused_at: '', overflow_incident: '' });
    // The campaign stays paused: resuming is the operator's choice.
    expect(s.providers.campaigns.get(CAMPAIGN)!.status).toBe('PAUSED');
    const alerts = alertSms(s).length;
    const lowered = run(s, 'setTodayCapacity', 5);
    expect(lowered).toMatchObject({ ok: true, capacity: { max_leads: 5, status: 'full' } });
    expect(alertSms(s)).toHaveLength(alerts);
    const row = capacityRows(s)[0];
    expect(row.alerted_at).toBeInstanceOf(Date);
    expect(row.ads_paused_at).toBeInstanceOf(Date);
    // The first overflow incident is still open: the same one, not a second.
    expect(row.overflow_incident).toBe(incident);
    expect(overflowIncidents(s)).toHaveLength(1);
  });
});

describe('rejectExcessLeads', () => {
  test('today\'s newest new leads beyond the maximum become rejected, with a note; then nothing is left', () => {
    const s = tenADay();
    for (let i = 0; i < 13; i++) lead(s);
    // The newest lead was already called back: it is not rejected, the three before it are.
    const leadsTab = s.gas.spreadsheet.active.sheet('Leads');
    const header = leadsTab.values()[0] as string[];
    leadsTab.writeValue(14, header.indexOf('status') + 1, 'contacted');
    const ids = s.rows('Leads').map((l) => l.id);
    const res = run(s, 'rejectExcessLeads');
    expect(res).toMatchObject({ ok: true, message: '3 leads rejetés : Lead 103, Lead 102, Lead 101. 10 leads acceptés sur 10 (100 %) : maximum atteint.' });
    expect(res.rejected).toEqual([ids[11], ids[10], ids[9]]);
    const leads = s.rows('Leads');
    expect(leads.map((l) => l.status)).toEqual([...Array(9).fill('new'), 'rejected', 'rejected', 'rejected', 'contacted']);
    expect(leads[9].notes).toMatch(/\nRejeté le 23\/11\/2026 10:00 : capacité du jour dépassée \(10 leads au maximum\)$/);
    expect(capacityRows(s)[0]).toMatchObject({ current_leads: 10, remaining_capacity: 0, status: 'warning' });
    const again = run(s, 'rejectExcessLeads');
    expect(again).toMatchObject({ ok: true, rejected: [] });
    expect(again.message).toMatch(/rien à rejeter/);
  });

  test('with no excess, nothing changes', () => {
    const s = tenADay();
    for (let i = 0; i < 3; i++) lead(s);
    const before = snapshot(s);
    expect(run(s, 'rejectExcessLeads')).toMatchObject({ ok: true, rejected: [] });
    expect(snapshot(s)).toBe(before);
  });
});

describe('pauseCampaigns, resumeCampaigns, syncCampaigns', () => {
  test.each([
    ['empty', ''],
    ['blank', '   '],
    ['null', null],
    ['a number', 42],
    ['a formula', '=1+1'],
    ['201 characters', 'x'.repeat(201)],
    ['a control character', 'a\u0000b'],
    ['an object', { reason: 'x' }],
  ])('pauseCampaigns with %s is refused: nothing written, nothing sent', (_label, reason) => {
    const s = tenADay();
    const before = snapshot(s);
    const res = run(s, 'pauseCampaigns', reason);
    expect(res).toMatchObject({ ok: false, field: 'reason' });
    expect(res.error).toMatch(/^Raison : /);
    expect(snapshot(s)).toBe(before);
    expect(s.gas.fetchLog).toHaveLength(0);
  });

  test('pause, resume and sync all of Ads_Control', () => {
    const second = '120210000000000002';
    const s = tenADay({ campaigns: [CAMPAIGN, second] });
    const paused = run(s, 'pauseCampaigns', 'Fermeture exceptionnelle');
    expect(paused).toMatchObject({ ok: true, message: '2 campagnes mises en pause.' });
    expect(s.rows('Ads_Control').map((r) => [r.ads_paused, r.effective_status, r.paused_reason, r.paused_by])).toEqual([
      [true, 'PAUSED', 'Fermeture exceptionnelle', 'operator'],
      [true, 'PAUSED', 'Fermeture exceptionnelle', 'operator'],
    ]);
    expect(run(s, 'pauseCampaigns', 'Encore')).toMatchObject({ ok: true, message: 'Aucune campagne mise en pause, 2 déjà en pause.' });
    const resumed = run(s, 'resumeCampaigns');
    expect(resumed).toMatchObject({ ok: true, message: '2 campagnes relancées.' });
    expect([...s.providers.campaigns.values()].map((c) => c.status)).toEqual(['ACTIVE', 'ACTIVE']);
    expect(s.rows('Ads_Control').map((r) => [r.ads_paused, r.effective_status, r.paused_reason])).toEqual([
      [false, 'ACTIVE', ''],
      [false, 'ACTIVE', ''],
    ]);
    // Someone renames one and pauses it in Ads Manager: sync brings the tab in line.
    s.providers.campaigns.get(second)!.name = 'Cuisine - hiver';
    s.providers.campaigns.get(second)!.status = 'PAUSED';
    const synced = run(s, 'syncCampaigns');
    expect(synced).toMatchObject({ ok: true, message: '2 campagnes synchronisées avec Facebook.' });
    const rows = s.rows('Ads_Control');
    expect(rows[1]).toMatchObject({ campaign_name: 'Cuisine - hiver', effective_status: 'PAUSED', ads_paused: true, paused_by: 'ads_manager' });
    expect(rows[0]).toMatchObject({ campaign_name: 'Campagne 1', effective_status: 'ACTIVE', ads_paused: false });
    expect(rows.every((r) => r.last_sync instanceof Date)).toBe(true);
  });

  test('a campaign id that is not one, or unknown at Meta: the error is kept on its row', () => {
    const s = tenADay({ campaigns: [CAMPAIGN] });
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([['Cuisine 12', 'typo', false, '', '', '', ''], ['999', 'inconnue', false, '', '', '', '']], 3);
    const synced = run(s, 'syncCampaigns');
    // Something failed: the answer is an error (never a green success), and says what each failure means.
    expect(synced.ok).toBe(false);
    expect(synced.error).toBe(
      "1 campagne synchronisée avec Facebook. Échec pour Cuisine 12 : identifiant de campagne invalide (des chiffres uniquement). Échec pour 999 : Meta ne connaît pas cet identifiant (ou ce compte n'y a pas accès) : vérifiez-le dans Ads Manager et dans l'onglet Ads_Control. Meta n'a rien changé pour ces campagnes : faites-le dans Ads Manager si besoin (détail dans la colonne last_error d'Ads_Control).",
    );
    const rows = s.rows('Ads_Control');
    expect(rows[1].last_error).toBe('identifiant de campagne invalide (des chiffres uniquement)');
    expect(String(rows[2].last_error)).toMatch(/^graph 400: /);
    // Only the two valid ids were asked.
    expect(s.gas.fetchLog.map((r) => new URL(r.url).pathname)).toEqual([`/v21.0/${CAMPAIGN}`, '/v21.0/999']);
  });

  test('with an empty Ads_Control, a clear refusal', () => {
    const s = new System();
    for (const fn of ['resumeCampaigns', 'syncCampaigns']) expect(run(s, fn)).toMatchObject({ ok: false, error: expect.stringMatching(/Aucune campagne connue dans l'onglet Ads_Control : les publicités ne sont PAS arrêtées/) });
    expect(run(s, 'pauseCampaigns', 'test')).toMatchObject({ ok: false });
  });
});
