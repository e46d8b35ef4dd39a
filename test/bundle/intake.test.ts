/** Webhook intake through the built bundle: doGet/doPost, the journal, Meta leads and their SMS, STOP, reconcile. */
import { ExecutionKilled } from '../../emulator';
import { fixture, fixtureText, TWILIO_ACCOUNT } from '../../emulator/providers';
import { System, TOKEN, MONDAY_10H, json } from '../support/system';
import { TEST_PROPERTIES, sheetWrites, sheetsDataCalls } from '../support/gas';

const MINUTE = 60000;

describe('a Meta lead', () => {
  test('is recorded once and texted once, in French, with a signed opt-out link', () => {
    const s = new System();
    const { leadgenId, response } = s.metaLead({ fullName: 'Camille Durand', phone: '06 12 34 56 78', answers: { type_de_projet: 'cuisine' } });
    expect(json(response!)).toEqual({ ok: true, statuses: ['processed'] });
    const [lead] = s.rows('Leads');
    expect(lead).toMatchObject({
      source: 'facebook',
      fb_lead_id: leadgenId,
      status: 'new',
      first_name: 'Camille',
      last_name: 'Durand',
      phone: '+33612345678',
      email: 'camille.durand@example.fr',
      sms_sent: true,
      notes: 'Type de projet : cuisine',
    });
    expect(lead.id).toMatch(/^lead_\d{13}$/);
    expect(lead.sms_sent_at).toBeInstanceOf(Date);
    expect(s.providers.sms).toHaveLength(1);
    const sms = s.providers.sms[0];
    expect(sms.to).toBe('+33612345678');
    expect(sms.from).toBe('Sirrius');
    expect(sms.body).toMatch(/^Bonjour Camille, merci pour votre demande chez Sirrius/);
    expect(sms.body).toMatch(/STOP SMS : https:\/\/script\.google\.com\/macros\/s\/\S+\/exec\?source=optout&l=\d+&s=[\w-]{12}$/);
    const [message] = s.rows('Messages');
    expect(message).toMatchObject({ channel: 'sms', to: '+33612345678', lead_id: lead.id, template: 'sms_nouveau_lead', status: 'sent', provider_id: sms.sid });
    const [event] = s.rows('Events');
    expect(event).toMatchObject({ source: 'facebook', event_id: leadgenId, type: 'leadgen', status: 'processed', attempts: 1, last_error: '' });
  });

  test('delivered three times gives one row and one SMS', () => {
    const s = new System();
    const { webhook } = s.metaLead();
    for (let i = 0; i < 2; i++) expect(json(s.post('facebook', JSON.stringify(webhook))).ok).toBe(true);
    expect(s.rows('Leads')).toHaveLength(1);
    expect(s.providers.sms).toHaveLength(1);
    expect(s.rows('Events')).toHaveLength(1);
    expect(s.rows('Events')[0].attempts).toBe(3);
  });

  test('the documentation sample (numeric ids, two changes) journals both leads', () => {
    const s = new System();
    const body = fixture('meta/leadgen_webhook.docs_sample.json');
    const res = json(s.post('facebook', JSON.stringify(body)));
    // These leads do not exist at Graph: journalled as ignored (Graph says "does not exist"), nothing else.
    expect(res.statuses).toEqual(['ignored', 'ignored']);
    expect(s.rows('Events').map((e) => e.event_id)).toEqual(body.entry[0].changes.map((c: any) => String(c.value.leadgen_id)));
    expect(s.rows('Leads')).toHaveLength(0);
  });

  test('an unparseable phone is kept as given, flagged, and not texted', () => {
    const s = new System();
    s.metaLead({ phone: '12' });
    const [lead] = s.rows('Leads');
    expect(lead.phone).toBe('12');
    expect(lead.notes).toMatch(/Téléphone non reconnu.*« 12 »/);
    expect(lead.sms_sent).toBe(false);
    expect(s.providers.sms).toHaveLength(0);
  });

  test('a number in Opt_Outs is recorded but never texted', () => {
    const s = new System();
    s.reply('+33612345678', 'STOP');
    s.metaLead({ phone: '0612345678' });
    const [lead] = s.rows('Leads');
    expect(lead.sms_sent).toBe(false);
    expect(lead.status).toBe('opted_out');
    expect(s.providers.sms).toHaveLength(0);
    s.reconcile(24 * 60 * MINUTE);
    expect(s.providers.sms).toHaveLength(0);
  });

  test('in the quiet hours it waits as queued, then reconcile sends it when the window opens', () => {
    const sunday = new Date('2026-11-22T15:00:00Z');
    const s = new System({ now: sunday });
    s.metaLead({});
    expect(s.providers.sms).toHaveLength(0);
    // Only queued: written now, not sent (issue 19: no sent_at for an SMS that only waits).
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'queued', sent_at: '', queued_at: sunday });
    expect(s.rows('Leads')[0]).toMatchObject({ sms_sent: false, sms_sent_at: '', sms_status: 'queued' });
    s.reconcile(0);
    expect(s.providers.sms).toHaveLength(0);
    expect(s.rows('Messages')[0].sent_at).toBe('');
    const monday = new Date('2026-11-23T07:05:00Z'); // Monday 8:05 in Paris
    s.gas.clock.set(monday);
    s.reconcile(0);
    s.reconcile(10 * MINUTE);
    expect(s.providers.sms).toHaveLength(1);
    expect(s.rows('Messages')).toHaveLength(1);
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'sent', sent_at: monday, queued_at: sunday });
    expect(s.rows('Leads')[0]).toMatchObject({ sms_sent: true, sms_sent_at: monday });
    // The 9h routine still finds the row by when it was written (no second SMS, not listed as missing).
    s.gas.clock.set(new Date('2026-11-23T08:00:00Z'));
    s.gas.run('routineMorning');
    expect(s.providers.sms).toHaveLength(1);
  });

  test('a queued SMS (no sent_at) is found by the 9h catch-up before reconcile sent it: one SMS, one row', () => {
    const s = new System({ now: new Date('2026-11-22T15:00:00Z') }); // Sunday 16h in Paris
    s.metaLead({});
    s.gas.clock.set(new Date('2026-11-23T08:00:00Z')); // Monday 9h: no reconcile ran since the window opened
    s.gas.run('routineMorning');
    s.reconcile(5 * MINUTE);
    s.reconcile(60 * MINUTE);
    expect(s.providers.sms).toHaveLength(1);
    expect(s.rows('Messages')).toHaveLength(1);
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'delivered', queued_at: new Date('2026-11-22T15:00:00Z') });
  });
});

describe('failures lose nothing', () => {
  test('Twilio down: the lead is kept, the SMS fails, reconcile sends it exactly once', () => {
    const s = new System();
    s.providers.fail('twilio', 1);
    s.metaLead();
    expect(s.rows('Leads')[0].sms_sent).toBe(false);
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(String(s.rows('Messages')[0].error)).toMatch(/503/);
    s.reconcile(1 * MINUTE); // backoff not elapsed
    expect(s.providers.sms).toHaveLength(0);
    s.reconcile(5 * MINUTE);
    s.reconcile(60 * MINUTE);
    expect(s.providers.sms).toHaveLength(1);
    expect(s.rows('Messages')).toHaveLength(1);
    // An hour later reconcile also asked Twilio how it ended (issue 22): delivered.
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'delivered', attempts: 2, error: '' });
    expect(s.rows('Leads')[0].sms_sent).toBe(true);
  });

  test('Twilio refusing every time: bounded attempts, then one incident', () => {
    const s = new System();
    s.providers.fail('twilio', Infinity, 'network');
    s.metaLead();
    for (let i = 0; i < 12; i++) s.reconcile(6 * 60 * MINUTE);
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'abandoned', attempts: 5 });
    expect(s.rows('Incidents').filter((i) => i.type === 'sms_failure')).toHaveLength(1);
    expect(s.providers.sms).toHaveLength(0);
  });

  test('Graph down: the event fails, reconcile creates the lead exactly once', () => {
    const s = new System();
    s.providers.fail('graph', 1);
    const { leadgenId, response } = s.metaLead();
    expect(json(response!)).toMatchObject({ ok: false, statuses: ['failed'] });
    expect(s.rows('Leads')).toHaveLength(0);
    s.reconcile(6 * MINUTE);
    s.reconcile(30 * MINUTE);
    expect(s.rows('Leads').map((l) => l.fb_lead_id)).toEqual([leadgenId]);
    expect(s.providers.sms).toHaveLength(1);
    expect(s.rows('Events')).toHaveLength(1);
    expect(s.rows('Events')[0]).toMatchObject({ status: 'processed', attempts: 2 });
  });

  test('an execution killed right after the lead is written is completed by reconcile, without a second lead', () => {
    const s = new System();
    let writes = 0;
    s.gas.afterCall = (service, method) => {
      // The 2nd setValues of the delivery writes the lead row: the execution dies right after it.
      if (service === 'Sheets' && method === 'Range.setValues' && ++writes === 2) throw new ExecutionKilled(method);
    };
    expect(() => s.metaLead()).toThrow(ExecutionKilled);
    s.gas.afterCall = undefined;
    expect(s.rows('Leads')).toHaveLength(1);
    expect(s.rows('Events')[0].status).toBe('received');
    expect(s.providers.sms).toHaveLength(0);
    s.reconcile(6 * MINUTE);
    expect(s.rows('Leads')).toHaveLength(1);
    expect(s.providers.sms).toHaveLength(1);
    expect(s.rows('Events')[0].status).toBe('processed') // completing its own unfinished attempt;
  });

  test('a delivery that cannot get the lock writes nothing and answers busy', () => {
    const s = new System();
    const { webhook } = s.providers.metaLead();
    const router = s.gas.fetch!;
    let inner: any = null;
    // While reconcile holds the lock (during its Graph call), the webhook arrives.
    s.gas.fetch = (req) => {
      if (!inner && req.url.includes('graph.facebook.com')) inner = s.post('facebook', JSON.stringify(webhook));
      return router(req);
    };
    s.reconcile(0);
    expect(json(inner)).toEqual({ ok: false, error: 'busy' });
    expect(sheetWrites(inner.calls)).toBe(0);
    s.gas.fetch = router;
    expect(s.rows('Leads')).toHaveLength(1); // reconcile itself found the lead in the form
  });
});

describe('the web app refuses what it must', () => {
  const bodies = (s: System) => ({
    facebook: JSON.stringify(s.providers.metaLead().webhook),
    stripe: JSON.stringify(fixture('stripe/events/invoice.paid.json')),
    sms: fixtureText('twilio/inbound_sms.stop.form.txt'),
  });

  test.each([[undefined], [''], ['wrong'], [`${TOKEN} `], [TOKEN.toUpperCase()], [TOKEN.slice(0, -1)]])('token %j: nothing written, nothing fetched', (token) => {
    const s = new System();
    const before = JSON.stringify(s.gas.spreadsheet.active.sheetNames().map((n) => s.gas.spreadsheet.active.sheet(n).values()));
    for (const [source, body] of Object.entries(bodies(s))) {
      const res = s.post(source, body, { token: token ?? null, contentType: source === 'sms' ? 'application/x-www-form-urlencoded' : 'application/json' });
      if (source === 'sms') expect(res.content).toContain('<Response/>');
      else expect(json(res)).toEqual({ ok: false, error: 'unauthorized' });
      expect(sheetWrites(res.calls)).toBe(0);
    }
    expect(json(s.get({ source: 'facebook', token: token ?? '', 'hub.mode': 'subscribe', 'hub.verify_token': 'test-verify-token', 'hub.challenge': '42' }))).toEqual({
      ok: false,
      error: 'unauthorized',
    });
    expect(s.gas.fetchLog).toHaveLength(0);
    expect(JSON.stringify(s.gas.spreadsheet.active.sheetNames().map((n) => s.gas.spreadsheet.active.sheet(n).values()))).toBe(before);
  });

  test('Meta verification answers the challenge only with both tokens right', () => {
    const s = new System();
    const ok = s.get({ source: 'facebook', token: TOKEN, 'hub.mode': 'subscribe', 'hub.verify_token': 'test-verify-token', 'hub.challenge': '1158201444' });
    expect(ok.mimeType).toBe('text/plain');
    expect(ok.content).toBe('1158201444');
    const wrong = s.get({ source: 'facebook', token: TOKEN, 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' });
    expect(json(wrong)).toEqual({ ok: false, error: 'verification_refused' });
  });

  test('a forged Stripe body changes nothing: only what the API returns counts', () => {
    const s = new System();
    const real = s.providers.stripeEvent(fixture('stripe/events/invoice.paid.json'));
    const forged = { ...real, type: 'checkout.session.completed', data: { object: { object: 'checkout.session', client_reference_id: 'lead_1' } } };
    expect(json(s.post('stripe', JSON.stringify(forged)))).toMatchObject({ ok: true });
    expect(s.rows('Events')[0]).toMatchObject({ event_id: real.id, type: 'invoice.paid' });
    const unknown = json(s.post('stripe', JSON.stringify({ ...forged, id: 'evt_doesnotexist123' })));
    expect(unknown).toMatchObject({ ok: true, status: 'ignored' });
    expect(s.rows('Events')[1]).toMatchObject({ event_id: 'evt_doesnotexist123', status: 'ignored' });
    expect(String(s.rows('Events')[1].last_error)).toMatch(/404.*No such event/);
    expect(s.rows('Leads')).toHaveLength(0);
  });

  test('bad JSON is journalled as ignored, with a clear answer', () => {
    const s = new System();
    expect(json(s.post('stripe', '{"id": "evt_'))).toEqual({ ok: false, error: 'invalid_json' });
    expect(json(s.post('facebook', '=HYPERLINK("x")'))).toEqual({ ok: false, error: 'invalid_json' });
    const events = s.rows('Events');
    expect(events.map((e) => [e.source, e.status, e.last_error])).toEqual([
      ['stripe', 'ignored', 'invalid_json'],
      ['facebook', 'ignored', 'invalid_json'],
    ]);
    expect(events[1].payload).toBe('=HYPERLINK("x")');
    expect(s.formulas()).toEqual([]);
  });

  test('before setup(), a webhook still gets an answer', () => {
    const s = new System({ setup: false });
    const res = s.post('facebook', JSON.stringify(s.providers.metaLead().webhook));
    expect(json(res)).toEqual({ ok: false, error: 'internal_error' });
  });
});

describe('STOP and the opt-out link', () => {
  test.each([['STOP'], ['stop'], ['Arrêt'], ['ARRET'], [' Stop SMS '], ['stopall'], ['Unsubscribe']])('%j opts the number out, once', (word) => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    s.metaLead({ phone: '06 12 34 56 78', fullName: 'Camille Bis' });
    const first = s.reply('+33612345678', word);
    expect(first.response.content).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    s.reply('+33612345678', word);
    expect(s.rows('Opt_Outs')).toHaveLength(1);
    expect(s.rows('Opt_Outs')[0]).toMatchObject({ phone: '+33612345678', reason: 'réponse STOP', source: 'sms' });
    for (const lead of s.rows('Leads')) {
      expect(lead.status).toBe('opted_out');
      expect(lead.notes).toMatch(/STOP SMS - date: 23\/11\/2026 10:00 - raison: réponse STOP$/);
    }
    expect(s.rows('Events').filter((e) => e.source === 'sms').map((e) => e.type)).toEqual(['stop', 'stop']);
  });

  test('the real Twilio STOP body is confirmed with the API before acting', () => {
    const s = new System();
    const form = fixtureText('twilio/inbound_sms.stop.form.txt').replace(/AccountSid=\w+/, `AccountSid=${TWILIO_ACCOUNT}`);
    const res = s.post('sms', form, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.content).toContain('<Response/>');
    // Unknown to Twilio's API (forged): journalled, with Twilio's answer, and nobody opted out.
    expect(s.rows('Opt_Outs')).toHaveLength(0);
    expect(s.rows('Events')[0]).toMatchObject({ source: 'sms', event_id: 'SM0a1b2c3d4e5f60718293a4b5c6d7e8f0', status: 'ignored' });
    expect(String(s.rows('Events')[0].last_error)).toMatch(/twilio 20404/);
  });

  test('a message of another Twilio account is journalled and ignored, without a call', () => {
    const s = new System();
    s.post('sms', fixtureText('twilio/inbound_sms.stop.form.txt'), { contentType: 'application/x-www-form-urlencoded' });
    expect(s.rows('Events')[0]).toMatchObject({ source: 'sms', status: 'ignored', last_error: 'other_twilio_account' });
    expect(s.gas.fetchLog).toHaveLength(0);
  });

  test('any other reply is noted on the lead and the operator is told', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    s.reply('+33612345678', 'Oui, rappelez-moi demain');
    expect(s.rows('Leads')[0].notes).toMatch(/SMS reçu le 23\/11\/2026 10:00 : « Oui, rappelez-moi demain »/);
    expect(s.rows('Leads')[0].status).toBe('new');
    expect(s.gas.mail.outbox.map((m) => m.subject)).toEqual(['[Sirrius] SMS reçu de 06 12 34 56 78']);
  });

  test('the signed link confirms, then opts out; a tampered link is refused', () => {
    const s = new System();
    s.metaLead({ phone: '+33698765432' });
    const url = new URL(/https:\S+/.exec(s.providers.sms[0].body)![0]);
    const query = Object.fromEntries(url.searchParams);
    const page = s.get(query);
    expect(page.mimeType).toBe('text/html');
    expect(page.content).toContain('data-state="confirm"');
    expect(page.content).toContain('Oui, ne plus recevoir de SMS');
    expect(s.rows('Opt_Outs')).toHaveLength(0);
    const tampered = s.get({ ...query, l: String(Number(query.l) + 1), confirm: '1' });
    expect(tampered.content).toContain('data-state="invalid"');
    expect(sheetWrites(tampered.calls)).toBe(0);
    const done = s.get({ ...query, confirm: '1' });
    expect(done.content).toContain('data-state="done"');
    expect(s.rows('Opt_Outs')[0]).toMatchObject({ phone: '+33698765432', reason: 'lien de désinscription', source: 'lien' });
    expect(s.rows('Leads')[0].status).toBe('opted_out');
  });
});

describe('reconcile', () => {
  test('finds a lead whose webhook never came, and a Stripe event whose webhook never came in 30 minutes (one webhook_failure incident)', () => {
    const s = new System();
    const { leadgenId } = s.metaLead({ createdAt: new Date(MONDAY_10H.getTime() - 3600000) }, false);
    const checkout = fixture('stripe/events/checkout.session.completed.json');
    s.providers.stripeSubscription({ id: checkout.data.object.subscription, customer: checkout.data.object.customer });
    const event = s.providers.stripeEvent(checkout, { created: new Date(MONDAY_10H.getTime() - 40 * MINUTE), object: { customer_details: { email: 'client.stripe@example.fr', name: 'Client Stripe' } } });
    const run = s.reconcile(0);
    expect(run.error).toBeUndefined();
    expect(s.rows('Leads').map((l) => [l.source, l.fb_lead_id])).toEqual([
      ['facebook', leadgenId],
      ['stripe', ''],
    ]);
    expect(s.providers.sms).toHaveLength(1);
    expect(s.rows('Events').map((e) => [e.source, e.event_id])).toEqual([
      ['facebook', leadgenId],
      ['stripe', event.id],
    ]);
    expect(String(s.rows('Events')[1].payload)).toMatch(/^\[reconcile\] /);
    const incidents = s.rows('Incidents');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ type: 'webhook_failure', severity: 'high', status: 'open', ref: 'stripe-webhooks-2026-11-23' });
    expect(String(incidents[0].title)).toContain(event.id);
    expect(s.gas.mail.outbox.map((m) => m.to)).toEqual(['client.stripe@example.fr', 'operateur@sirrius.example']);
    s.reconcile(5 * MINUTE);
    expect(s.rows('Incidents')).toHaveLength(1);
    expect(s.rows('Leads')).toHaveLength(2);
  });

  describe('replies whose webhook was lost (our sender a number that receives)', () => {
    const OUR_NUMBER = '+33757001122'; // the To of Twilio's inbound sample
    const withNumber = () => new System({ properties: { ...TEST_PROPERTIES, TWILIO_FROM: OUR_NUMBER } });

    test('a STOP that never came by webhook is applied by the next reconcile, once', () => {
      const s = withNumber();
      s.metaLead({ phone: '+33612345678' });
      s.providers.inboundSms('+33612345678', 'ARRET'); // Twilio got it; its webhook was lost
      s.reconcile(MINUTE);
      expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', reason: 'réponse STOP', source: 'sms' })]);
      expect(s.rows('Leads')[0].status).toBe('opted_out');
      const events = s.rows('Events').filter((e) => e.source === 'sms');
      expect(events).toEqual([expect.objectContaining({ type: 'stop', status: 'processed' })]);
      expect(String(events[0].payload)).toMatch(/^\[reconcile\] /);
      s.reconcile(5 * MINUTE);
      expect(s.rows('Events').filter((e) => e.source === 'sms')).toHaveLength(1);
      expect(s.rows('Opt_Outs')).toHaveLength(1);
    });

    test('a reply that came by webhook is not applied again, and an idle run costs one Twilio call and no Sheets call more', () => {
      const s = withNumber();
      s.metaLead({ phone: '+33612345678' });
      s.reply('+33612345678', 'Oui, rappelez-moi');
      s.reconcile(MINUTE);
      expect(s.rows('Events').filter((e) => e.source === 'sms')).toEqual([expect.objectContaining({ attempts: 1, status: 'processed' })]);
      expect(s.gas.mail.outbox.filter((m) => m.subject.startsWith('[Sirrius] SMS reçu'))).toHaveLength(1);
      const idle = s.reconcile(5 * MINUTE);
      expect(sheetsDataCalls(idle.calls)).toBeLessThanOrEqual(5);
      expect(s.gas.fetchLog.slice(-3).filter((f) => f.url.includes('api.twilio.com')).map((f) => f.url)).toEqual([expect.stringContaining(`To=${encodeURIComponent(OUR_NUMBER)}`)]);
    });

    test('with an alphanumeric sender (the default in France) Twilio is not polled', () => {
      const s = new System();
      s.reconcile(MINUTE);
      expect(s.gas.fetchLog.filter((f) => f.url.includes('api.twilio.com'))).toHaveLength(0);
    });
  });

  test('idle, it costs at most 5 Sheets calls that read or write', () => {
    const s = new System();
    s.metaLead();
    s.reconcile(5 * MINUTE);
    const idle = s.reconcile(5 * MINUTE);
    expect(sheetsDataCalls(idle.calls)).toBeLessThanOrEqual(5);
    expect(sheetWrites(idle.calls)).toBe(0);
  });
});

describe('Sheets calls do not grow with the rows', () => {
  function leadCost(rows: number, opts: { advancedServices?: string[]; email?: string } = {}) {
    const s = new System({ advancedServices: opts.advancedServices });
    if (rows > 0) {
      const header = s.gas.spreadsheet.active.sheet('Leads').values()[0] as string[];
      const data = Array.from({ length: rows }, (_, i) => header.map((h) => (h === 'id' ? `lead_${1600000000000 + i}` : h === 'phone' ? `+3361${String(i).padStart(7, '0')}` : h === 'fb_lead_id' ? String(1000000 + i) : '')));
      s.gas.spreadsheet.active.sheet('Leads').seed(data, 2);
      s.gas.spreadsheet.active.sheet('Events').seed(data.slice(0, rows / 2).map((_, i) => ['', 'facebook', String(1000000 + i), 'leadgen', 'processed', 1, '', '', '']), 2);
      // Steady state: the grids have room below the data (growing them is a rare, separate cost).
      for (const tab of ['Leads', 'Events']) {
        const sheet = s.gas.spreadsheet.active.sheet(tab);
        sheet.seed(Array.from({ length: 10 }, () => ['']), sheet.lastRow + 1);
      }
    }
    // Warm: Config is then cached and today's Capacity row exists, as between two webhooks of a day.
    s.metaLead({ phone: '+33699999999', email: 'first@example.fr' });
    const res = s.metaLead({ email: opts.email ?? 'second@example.fr' }).response!;
    expect(json(res).ok).toBe(true);
    expect(s.providers.sms).toHaveLength(2);
    return {
      data: sheetsDataCalls(res.calls),
      fetches: res.calls.count('UrlFetch', ['UrlFetchApp.fetch']),
      byMethod: res.calls.byMethod('Sheets'),
      propertyWrites: res.calls.count('Properties', ['Properties.setProperty', 'Properties.setProperties', 'Properties.deleteProperty']),
    };
  }

  test('a Meta lead costs at most 13 Sheets calls and 3 fetches, the same at 100 and 100,000 Leads rows', () => {
    const small = leadCost(100);
    const large = leadCost(100000);
    expect(large).toEqual(small);
    expect(small.fetches).toBe(2); // the lead from Graph, the SMS to Twilio
    // One batchGet (five headers, two append rows checked), the journal lookup, its row and its
    // status; the leadgen guard, the lead and its sms_sent; Opt_Outs; capacity's row read and
    // written; the `sending` SMS row and its outcome; and, after the Twilio call, one batchGet that
    // checks the Events, Leads and Messages rows still hold their keys (an operator may sort meanwhile).
    expect(small.data).toBeLessThanOrEqual(13);
    expect(small.byMethod['Spreadsheets.Values.batchGet']).toBe(2);
    expect(small.byMethod['Sheet.getLastRow'] ?? 0).toBe(0);
    // Script Properties writes (a round trip each): the lead id counter, the lead counted in
    // capacity, the SMS awaiting its status, and the three tabs' tail hints in one write.
    expect(small.propertyWrites).toBeLessThanOrEqual(4);
  });


  test('without the Sheets API (service off, or its quota spent) a lead is recorded the same way, at more calls', () => {
    const off = leadCost(100, { advancedServices: [] });
    expect(off.byMethod['Spreadsheets.Values.batchGet']).toBeUndefined();
    expect(off.data).toBeLessThanOrEqual(22); // a header read per tab, a getLastRow per append, a read per row checked after the Twilio call
    expect(off.data).toBeGreaterThan(leadCost(100).data);

    const s = new System();
    s.metaLead({ phone: '+33699999999' });
    s.gas.beforeCall = (_service, method) => (method === 'Spreadsheets.Values.batchGet' ? 'API call to sheets.spreadsheets.values.batchGet failed with error: Quota exceeded (injected)' : undefined);
    const res = s.metaLead().response!;
    expect(json(res)).toEqual({ ok: true, statuses: ['processed'] });
    expect(s.rows('Leads')).toHaveLength(2);
    expect(s.rows('Leads')[1]).toMatchObject({ sms_sent: true });
    expect(s.rows('Events').map((e) => e.status)).toEqual(['processed', 'processed']);
  });

  test("a row an operator typed below the data between two leads is kept: the next lead goes under it", () => {
    const s = new System();
    s.metaLead({ phone: '+33611111111' });
    const sheet = s.gas.spreadsheet.active.sheet('Leads');
    const header = sheet.values()[0] as string[];
    sheet.seed([header.map((h) => (h === 'id' ? 'lead_manual' : h === 'last_name' ? 'Saisi à la main' : ''))], 3);
    s.gas.spreadsheet.active.sheet('Messages').seed([['', 'sms', '+33600000000', 'lead_manual', 'note', 'sent']], 3);
    s.metaLead({ phone: '+33622222222' });
    expect(s.rows('Leads').map((l) => [l.id === 'lead_manual' ? 'manual' : 'meta', l.phone])).toEqual([
      ['meta', '+33611111111'],
      ['manual', ''],
      ['meta', '+33622222222'],
    ]);
    expect(s.rows('Messages').map((m) => m.lead_id === 'lead_manual')).toEqual([false, true, false]);
  });
});
