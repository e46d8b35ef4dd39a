/**
 * Issue 17 item 1, 2 (Meta poll) and 16, through the bundle: what cannot be reached or read now
 * waits (retried for the providers' own windows), the operator learns why in one incident, and
 * what was given up comes back through a poll or a replay. Form leads are polled gap-free, from
 * every form of the page.
 */
import { fixture } from '../../emulator/providers';
import type { FetchRouter } from '../../emulator';
import { System, checkoutEvent, json } from '../support/system';
import { TEST_PROPERTIES } from '../support/gas';

const MINUTE = 60000;
const HOUR = 60 * MINUTE;

/** Makes every Graph call answer `reply` while `on()` holds; other calls go to the simulated providers. */
function graphAnswers(s: System, on: () => boolean, reply: () => { status: number; body: object }): void {
  const router: FetchRouter = s.providers.router;
  s.gas.fetch = (req) => (on() && req.url.startsWith('https://graph.facebook.com/') ? reply() : router(req));
}

const expiredToken = () => ({ status: 400, body: fixture('meta/graph_error.token_expired.json') });

function incidents(s: System, type?: string) {
  return s.rows('Incidents').filter((i) => !type || i.type === type);
}

/** reconcile every `stepMs` for `totalMs`. */
function reconcileFor(s: System, totalMs: number, stepMs = HOUR): void {
  for (let t = 0; t < totalMs; t += stepMs) s.reconcile(stepMs);
}

describe('an expired Meta token (Graph 400, code 190)', () => {
  test('leads wait as failed, one incident says so in French, and they are recorded once the token is renewed', () => {
    const s = new System();
    let expired = true;
    graphAnswers(s, () => expired, expiredToken);
    for (const name of ['Camille Durand', 'Louis Martin', 'Inès Petit']) s.metaLead({ fullName: name, email: `${name.split(' ')[0].toLowerCase()}@example.fr` });
    expect(s.rows('Events').map((e) => e.status)).toEqual(['failed', 'failed', 'failed']);
    expect(s.rows('Leads')).toHaveLength(0);
    const open = incidents(s, 'provider_failure');
    expect(open).toHaveLength(1);
    expect(open[0].title).toMatch(/^Jeton Meta expiré : les leads attendent/);
    expect(open[0].severity).toBe('high');
    // 30 hours of reconcile with the token still expired: still waiting, still one incident.
    reconcileFor(s, 30 * HOUR);
    expect(s.rows('Events').map((e) => e.status)).toEqual(['failed', 'failed', 'failed']);
    expect(incidents(s, 'provider_failure')).toHaveLength(1);
    expired = false;
    s.reconcile(HOUR);
    expect(s.rows('Leads').map((l) => l.first_name).sort()).toEqual(['Camille', 'Inès', 'Louis']);
    expect(s.providers.sms).toHaveLength(3);
    expect(s.rows('Events').map((e) => e.status)).toEqual(['processed', 'processed', 'processed']);
  });

  test('beyond the retry window the leads are given up with one incident, and replayMetaLead() brings them all back', () => {
    const s = new System();
    let expired = true;
    graphAnswers(s, () => expired, expiredToken);
    s.metaLead({ fullName: 'Camille Durand' });
    s.metaLead({ fullName: 'Louis Martin', email: 'louis@example.fr', phone: '+33611111111' });
    reconcileFor(s, 36 * HOUR);
    expect(s.rows('Events').map((e) => e.status)).toEqual(['failed', 'failed']); // Meta's own 36 h: still retried
    reconcileFor(s, 40 * HOUR);
    const events = s.rows('Events');
    expect(events.map((e) => e.status)).toEqual(['ignored', 'ignored']);
    expect(String(events[0].last_error)).toMatch(/^abandonné après \d+ essais : graph 400/);
    expect(incidents(s, 'event_given_up')).toHaveLength(1);
    expect(incidents(s, 'event_given_up')[0].title).toMatch(/^Leads Meta abandonnés après 72 h/);
    expired = false;
    // Nothing recovers them on its own past the window (the poll's lookback is 36 h)...
    s.reconcile(HOUR);
    expect(s.rows('Leads')).toHaveLength(0);
    // ...the replay does, once, and a second replay changes nothing.
    const res = s.gas.run('replayMetaLead', []) as { ok: boolean; replayed: number };
    expect(res).toMatchObject({ ok: true, replayed: 2 });
    expect(s.rows('Leads')).toHaveLength(2);
    expect(s.providers.sms).toHaveLength(2);
    expect(s.gas.run('replayMetaLead', [])).toMatchObject({ ok: true, replayed: 0 });
    expect(s.gas.run('replayMetaLead', [String(events[0].event_id)])).toMatchObject({ ok: true, status: 'processed', message: 'Ce lead Meta est déjà dans le journal (traité) : rien n\'a été enregistré une seconde fois.' });
    expect(s.rows('Leads')).toHaveLength(2);
  });

  test("reconcile's poll failing on the token is one incident, not only the trigger's log", () => {
    const s = new System();
    graphAnswers(s, () => true, expiredToken);
    s.reconcile(5 * MINUTE);
    s.reconcile(5 * MINUTE);
    const open = incidents(s, 'provider_failure');
    expect(open).toHaveLength(1);
    expect(open[0].title).toMatch(/^Jeton Meta expiré/);
  });
});

describe('a provider down for hours', () => {
  test('Graph down for 12 h: the lead is recorded when it is back, without a replay; one incident after an hour', () => {
    const s = new System();
    s.providers.fail('graph', Infinity);
    s.metaLead();
    expect(incidents(s)).toHaveLength(0); // a blip is not an incident
    reconcileFor(s, 12 * HOUR);
    expect(s.rows('Events')[0].status).toBe('failed');
    expect(incidents(s, 'provider_failure')).toHaveLength(1);
    expect(incidents(s, 'provider_failure')[0].title).toMatch(/^Meta injoignable depuis plus d'une heure : les leads attendent/);
    s.providers.restore('graph');
    s.reconcile(HOUR);
    expect(s.rows('Leads')).toHaveLength(1);
    // 23h in Paris: its SMS waits for the window (queued), once.
    expect(s.rows('Messages').map((m) => m.status)).toEqual(['queued']);
  });

  test('Stripe down past its 3 days: the checkout is given up, then replayStripeEvent applies it', () => {
    const s = new System();
    s.metaLead({ fullName: 'Camille Durand' });
    const { event } = checkoutEvent(s, 0, 'cus_Camille01');
    s.providers.fail('stripe', Infinity);
    expect(json(s.post('stripe', JSON.stringify(event)))).toMatchObject({ ok: false, status: 'failed' });
    reconcileFor(s, 60 * HOUR);
    expect(s.rows('Events').find((e) => e.event_id === event.id)?.status).toBe('failed'); // within Stripe's 3 days
    reconcileFor(s, 14 * HOUR);
    expect(s.rows('Events').find((e) => e.event_id === event.id)?.status).toBe('ignored');
    s.providers.restore('stripe');
    expect(s.gas.run('replayStripeEvent', [event.id])).toMatchObject({ ok: true, status: 'processed' });
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', mrr: 29 });
  });

  test('a Leads column renamed then fixed: the lead waits, the operator is told at once, and it is recorded after the fix', () => {
    const s = new System();
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    const phoneCol = (leads.values()[0] as string[]).indexOf('phone') + 1;
    leads.writeValue(1, phoneCol, 'téléphone');
    s.metaLead();
    expect(s.rows('Events')[0].status).toBe('failed');
    const open = incidents(s, 'provider_failure');
    expect(open).toHaveLength(1);
    expect(open[0].title).toMatch(/^Onglet ou colonne introuvable dans la feuille : les leads attendent/);
    reconcileFor(s, 12 * HOUR);
    expect(s.rows('Events')[0].status).toBe('failed');
    leads.writeValue(1, phoneCol, 'phone');
    s.reconcile(HOUR);
    expect(s.rows('Leads')).toHaveLength(1);
    expect(s.rows('Leads')[0].phone).toBe('+33612345678');
    expect(s.rows('Messages').map((m) => m.status)).toEqual(['queued']);
  });

  test("MailApp's daily quota spent: the welcome email goes out the next day, once", () => {
    const s = new System();
    s.metaLead({ fullName: 'Camille Durand' });
    const { event } = checkoutEvent(s, 0, 'cus_Camille01');
    s.gas.mail.consume(s.gas.clock.now(), s.gas.mail.remaining(s.gas.clock.now()));
    s.post('stripe', JSON.stringify(event));
    const welcome = () => s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !');
    expect(welcome()).toHaveLength(0);
    reconcileFor(s, 20 * HOUR); // 10h Paris + 20 h: the quota came back at midnight UTC
    expect(welcome()).toHaveLength(1);
    reconcileFor(s, 5 * HOUR);
    expect(welcome()).toHaveLength(1);
  });
});

describe('the Meta poll (item 2) and the forms it polls (item 16)', () => {
  /** Leads created at Meta without their webhook, one a minute, ending `endAgoMs` ago. */
  let people = 0;
  function lostLeads(s: System, n: number, endAgoMs: number, formId?: string): string[] {
    const now = s.gas.clock.now();
    return Array.from({ length: n }, (_, i) => {
      const p = people++; // a different person each (the same phone twice would be a second form of one lead)
      return s.metaLead({ fullName: `Lead Numero${p}`, email: `lead${p}@example.fr`, phone: `+336${String(10000000 + p)}`, createdAt: new Date(now - endAgoMs - (n - i) * MINUTE), formId }, false).leadgenId;
    });
  }

  test('a page of the listing failing (a 500 on page 2) loses nothing: the next run resumes below what it read', () => {
    const s = new System();
    const ids = lostLeads(s, 150, 30 * MINUTE);
    const router = s.providers.router;
    let listings = 0;
    s.gas.fetch = (req) => {
      if (/\/leads\?/.test(req.url) && ++listings === 2) return { status: 500, body: { error: { message: 'An unknown error occurred', code: 1 } } };
      return router(req);
    };
    s.reconcile(MINUTE);
    expect(s.rows('Leads').length).toBeLessThan(150);
    s.reconcile(5 * MINUTE);
    s.reconcile(5 * MINUTE);
    expect(new Set(s.rows('Leads').map((l) => l.fb_lead_id))).toEqual(new Set(ids));
    expect(s.rows('Leads')).toHaveLength(150);
    // A lead created later is still found (the cursor reached the newest lead of the walk).
    const [late] = lostLeads(s, 1, 0);
    s.reconcile(5 * MINUTE);
    expect(s.rows('Leads').map((l) => l.fb_lead_id)).toContain(late);
  });

  test('an unreadable walk (Script Property) is read as none: the poll lists from the cursor and recovers the leads', () => {
    const s = new System();
    const ids = lostLeads(s, 3, 20 * MINUTE);
    s.gas.properties.script.set(`WALK_FB_FORM_${TEST_PROPERTIES.FB_FORM_IDS}`, '{not json');
    s.reconcile(MINUTE);
    expect(new Set(s.rows('Leads').map((l) => l.fb_lead_id))).toEqual(new Set(ids));
  });

  test('more than the pages of one run, where Graph ignores the LESS_THAN bound of the walk: every lead is recorded all the same', () => {
    const s = new System();
    s.providers.graphIgnoresLessThan = true; // Meta documents GREATER_THAN for form leads, not LESS_THAN
    lostLeads(s, 510, 10 * MINUTE);
    s.reconcile(MINUTE);
    s.reconcile(5 * MINUTE);
    s.reconcile(5 * MINUTE);
    expect(new Set(s.rows('Leads').map((l) => l.fb_lead_id)).size).toBe(510);
    expect(s.rows('Leads')).toHaveLength(510);
  });

  test('more than the pages of one run (510 leads): every lead is recorded over the next runs', () => {
    const s = new System();
    lostLeads(s, 510, 10 * MINUTE);
    s.reconcile(MINUTE);
    s.reconcile(5 * MINUTE);
    s.reconcile(5 * MINUTE);
    expect(s.rows('Leads')).toHaveLength(510);
    expect(new Set(s.rows('Leads').map((l) => l.fb_lead_id)).size).toBe(510);
  });

  test('FB_FORM_IDS empty: the forms are listed from the page, and a lost lead is recovered', () => {
    const s = new System({ properties: { ...TEST_PROPERTIES, FB_FORM_IDS: '' } });
    const [id] = lostLeads(s, 1, 20 * MINUTE);
    s.reconcile(MINUTE);
    expect(s.rows('Leads').map((l) => l.fb_lead_id)).toEqual([id]);
    expect(s.gas.fetchLog.some((r) => /\/me\/leadgen_forms\?/.test(r.url))).toBe(true);
  });

  test('a new form missing from FB_FORM_IDS is polled too, and the page is listed at most once an hour', () => {
    const s = new System();
    lostLeads(s, 1, 20 * MINUTE); // the configured form
    const [other] = lostLeads(s, 1, 20 * MINUTE, '2299887766554433');
    s.reconcile(MINUTE);
    expect(s.rows('Leads').map((l) => l.fb_lead_id)).toContain(other);
    for (let i = 0; i < 6; i++) s.reconcile(5 * MINUTE);
    expect(s.gas.fetchLog.filter((r) => /leadgen_forms/.test(r.url))).toHaveLength(1);
  });
});
