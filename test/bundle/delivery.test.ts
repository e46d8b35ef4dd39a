/**
 * Issue 22 through the bundle: each SMS to a lead asks for status callbacks, the status is read
 * from Twilio's API (never from the callback's body), reconcile settles a lost callback, an
 * undelivered SMS is handled by its error code, the KPI has the speed to lead, the morning report
 * lists the leads not called yet, and the month's SMS cost is in the evening report.
 */
import { System, MONDAY_10H, json } from '../support/system';
import { TEST_PROPERTIES, sheetsDataCalls } from '../support/gas';

const MIN = 60000;
/** Sheets calls of a status callback (see its test). */
// 9, plus the key check of the rows read before the Twilio fetch (issue 17 item 9: a sort during the call moves no write)
const COST = 10;

function lead(s: System, phone = '+33612345678', name = 'Camille Durand') {
  return s.metaLead({ fullName: name, phone, email: `${phone.slice(-4)}@example.fr` });
}

function leadRow(s: System, phone: string) {
  return s.rows('Leads').find((l) => l.phone === phone)!;
}

function smsRow(s: System, phone: string) {
  return s.rows('Messages').filter((m) => m.to === phone && m.channel === 'sms');
}

describe('SMS delivery status (issue 22)', () => {
  test('the SMS asks Twilio for status callbacks; a delivered SMS ends `delivered` on the lead and its Messages row, with its price', () => {
    const s = new System();
    lead(s);
    expect(leadRow(s, '+33612345678')).toMatchObject({ sms_sent: true });
    s.gas.clock.advance(10000);
    expect(s.statusCallbacks()).toBe(2); // sent, then delivered
    expect(leadRow(s, '+33612345678').sms_status).toBe('delivered');
    const [m] = smsRow(s, '+33612345678');
    expect(m).toMatchObject({ status: 'delivered', price: 0.158, price_unit: 'USD' }); // two segments (the opt-out link)
    // Journalled once per sid and status, as `sms_status`.
    const events = s.rows('Events').filter((e) => e.type === 'sms_status');
    expect(events.map((e) => [e.event_id, e.status])).toEqual([
      [`${m.provider_id}:sent`, 'processed'],
      [`${m.provider_id}:delivered`, 'processed'],
    ]);
  });

  test("an unreadable month's SMS cost (Script Property) starts again from the next price, nothing thrown", () => {
    const s = new System();
    lead(s);
    s.gas.properties.script.set('SMS_COST_2026-11', '{not json');
    s.gas.clock.advance(10000);
    expect(s.statusCallbacks()).toBe(2);
    expect(leadRow(s, '+33612345678').sms_status).toBe('delivered');
    expect(JSON.parse(s.gas.properties.script.get('SMS_COST_2026-11') ?? '')).toEqual({ USD: { amount: 0.158, count: 1 } });
  });

  test('the callback body is never trusted: a forged "delivered" for an SMS Twilio still has `sent` changes nothing beyond `sent`', () => {
    const s = new System();
    s.providers.twilioDelivery.delayMs = 3600000;
    lead(s);
    s.gas.clock.advance(2000);
    s.statusCallbacks({ lose: true });
    const sid = smsRow(s, '+33612345678')[0].provider_id as string;
    const form = new URLSearchParams({ MessageSid: sid, SmsSid: sid, MessageStatus: 'delivered', SmsStatus: 'delivered', AccountSid: 'AC00000000000000000000000000000001', To: '+33612345678' }).toString();
    s.post('sms', form, { contentType: 'application/x-www-form-urlencoded', query: { kind: 'status' } });
    expect(leadRow(s, '+33612345678').sms_status).toBe('sent');
    expect(smsRow(s, '+33612345678')[0].status).toBe('sent');
  });

  test('a lost callback is settled by reconcile (Twilio polled for the SMS not final), and a second reconcile asks nothing', () => {
    const s = new System();
    lead(s);
    s.gas.clock.advance(10000);
    expect(s.statusCallbacks({ lose: true })).toBe(2);
    expect(leadRow(s, '+33612345678').sms_status).toBe('');
    const early = s.reconcile(5 * MIN) as { result: any }; // the first poll waits 15 minutes for the callback
    expect(early.result.deliveries).toEqual({ polled: 0, settled: 0 });
    const r = s.reconcile(11 * MIN) as { result: any };
    expect(r.result.deliveries).toEqual({ polled: 1, settled: 1 });
    expect(leadRow(s, '+33612345678').sms_status).toBe('delivered');
    expect(smsRow(s, '+33612345678')[0]).toMatchObject({ status: 'delivered', price: 0.158 });
    const again = s.reconcile(20 * MIN) as { result: any; calls: any };
    expect(again.result.deliveries).toEqual({ polled: 0, settled: 0 });
    // Only reconcile's usual polls (Stripe's events, the lead form): no Twilio call.
    expect(again.calls.count('UrlFetch', ['UrlFetchApp.fetch'])).toBe(2);
  });

  test('an SMS to a landline (failed 30006) asks the operator to call and is never resent', () => {
    const s = new System();
    s.providers.twilioOutcomes.set('+33478123456', { status: 'failed', errorCode: 30006 });
    lead(s, '+33478123456', 'Paul Fixe');
    s.gas.clock.advance(10000);
    s.statusCallbacks();
    const l = leadRow(s, '+33478123456');
    expect(l.sms_status).toBe('failed');
    expect(l.notes).toMatch(/erreur Twilio 30006 : numéro fixe ou inconnu\) : appeler le lead, aucun SMS renvoyé/);
    expect(smsRow(s, '+33478123456')).toEqual([expect.objectContaining({ status: 'undelivered', error: 'twilio 30006' })]);
    for (let i = 0; i < 6; i++) s.reconcile(60 * MIN);
    expect(s.providers.sms.filter((m) => m.to === '+33478123456')).toHaveLength(1);
    // The morning report puts it first among the decisions.
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    s.gas.runDetailed('routineMorning', [], { kind: 'trigger' });
    const mail = s.gas.mail.outbox.find((m) => /Routine du matin/.test(m.subject))!;
    expect(mail.body).toMatch(/- Appeler ce lead dont le SMS n'est pas arrivé \(fixe ou numéro inconnu\) : [^\n]+\(04 78 12 34 56\)\./);
  });

  test('an unreachable handset (undelivered 30003) is retried an hour later, at most 3 sends in all', () => {
    const s = new System();
    s.providers.twilioOutcomes.set('+33698765432', { status: 'undelivered', errorCode: 30003 });
    lead(s, '+33698765432', 'Julien Martin');
    for (let i = 0; i < 8; i++) {
      s.gas.clock.advance(10000);
      s.statusCallbacks();
      s.reconcile(61 * MIN);
    }
    expect(s.providers.sms.filter((m) => m.to === '+33698765432')).toHaveLength(3);
    const l = leadRow(s, '+33698765432');
    expect(l.sms_status).toBe('undelivered');
    expect(l.notes).toMatch(/toujours non distribué \(erreur Twilio 30003\) après plusieurs essais : appeler le lead/);
  });

  test('unsubscribed at Twilio (21610 in a status) records the opt-out', () => {
    const s = new System();
    s.providers.twilioOutcomes.set('+33611112222', { status: 'failed', errorCode: 21610 });
    lead(s, '+33611112222', 'Léa Petit');
    s.gas.clock.advance(10000);
    s.statusCallbacks();
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33611112222', source: 'twilio' })]);
    // The same record as a send Twilio refuses with 21610 (app/sms.ts): the row and the lead say `blocked`.
    expect(leadRow(s, '+33611112222')).toMatchObject({ status: 'opted_out', sms_status: 'blocked' });
    expect(smsRow(s, '+33611112222')).toEqual([expect.objectContaining({ status: 'blocked', error: 'twilio 21610' })]);
  });

  test('a status callback without the token is refused: nothing journalled, nothing changed', () => {
    const s = new System();
    lead(s);
    s.gas.clock.advance(10000);
    const due = s.providers.takeStatusCallbacks();
    expect(due.length).toBeGreaterThan(0);
    for (const c of due) {
      const url = new URL(c.url);
      expect(url.searchParams.get('token')).toBeTruthy(); // the StatusCallback URL carries the token in its query
      const query = Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'token'));
      s.gas.request({ method: 'POST', query, body: new URLSearchParams({ ...c.params, token: url.searchParams.get('token')! }).toString(), contentType: 'application/x-www-form-urlencoded' });
    }
    expect(s.rows('Events').filter((e) => e.type === 'sms_status')).toEqual([]);
    expect(leadRow(s, '+33612345678').sms_status).not.toBe('delivered');
  });

  test('relay-only mode: the StatusCallback is refused (no relay_token), and reconcile\'s polling settles the SMS', () => {
    const relayToken = 'relay-only-0123456789abcdef';
    const s = new System({ properties: { ...TEST_PROPERTIES, RELAY_TOKEN: relayToken } });
    const { webhook } = s.providers.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'c@example.fr' });
    expect(json(s.post('facebook', JSON.stringify(webhook), { query: { relay: '1', relay_token: relayToken } })).ok).toBe(true);
    s.gas.clock.advance(10000);
    expect(s.statusCallbacks()).toBe(2);
    expect(s.rows('Events').filter((e) => e.type === 'sms_status')).toEqual([]);
    expect(leadRow(s, '+33612345678').sms_status).toBe('');
    s.reconcile(16 * MIN);
    expect(leadRow(s, '+33612345678').sms_status).toBe('delivered');
  });

  test('in the quiet hours the lead shows `queued`, then follows Twilio once sent', () => {
    const s = new System({ now: new Date('2026-11-22T10:00:00Z') }); // Sunday: no SMS
    lead(s);
    expect(leadRow(s, '+33612345678').sms_status).toBe('queued');
    s.gas.clock.set(new Date('2026-11-23T07:05:00Z')); // Monday 8h05
    s.reconcile();
    s.gas.clock.advance(10000);
    s.statusCallbacks();
    expect(leadRow(s, '+33612345678').sms_status).toBe('delivered');
  });

  test('a number already opted out is recorded `blocked`, never texted', () => {
    const s = new System();
    s.reply('+33612345678', 'STOP');
    lead(s);
    expect(leadRow(s, '+33612345678')).toMatchObject({ sms_status: 'blocked', sms_sent: false });
  });

  test('the callback costs a bounded number of Sheets calls, the same at any size', () => {
    const s = new System();
    lead(s);
    s.gas.clock.advance(1500);
    const [sent] = s.providers.takeStatusCallbacks();
    const url = new URL(sent.url);
    const r = s.gas.request({ method: 'POST', query: Object.fromEntries(url.searchParams), body: new URLSearchParams(sent.params).toString(), contentType: 'application/x-www-form-urlencoded' });
    // Headers (one batchGet), the journal's lookup, row and status, the Messages row found, read and
    // written, the lead found and its sms_status; one Twilio fetch.
    expect(sheetsDataCalls(r.calls)).toBe(COST);
    expect(r.calls.count('UrlFetch', ['UrlFetchApp.fetch'])).toBe(1);
  });
});

describe('speed to lead and the reports (issue 22)', () => {
  test('KPI median_minutes_to_contact on a day with contacted leads, empty on a day without; sms_delivered counts', () => {
    const s = new System();
    lead(s, '+33612345678', 'Camille Durand'); // 10:00
    s.gas.clock.advance(10 * MIN);
    lead(s, '+33698765432', 'Julien Martin'); // 10:10
    s.gas.clock.advance(10 * MIN);
    lead(s, '+33611112222', 'Léa Petit'); // 10:20
    s.statusCallbacks();
    const ids = s.rows('Leads').map((l) => l.id as string);
    s.gas.clock.set(new Date(MONDAY_10H.getTime() + 30 * MIN)); // 10:30: 30 min after Camille
    expect(s.gas.run('markContacted', [ids[0]])).toMatchObject({ ok: true });
    s.gas.clock.set(new Date(MONDAY_10H.getTime() + 100 * MIN)); // 11:40: 90 min after Julien
    expect(s.gas.run('markContacted', [ids[1]])).toMatchObject({ ok: true });
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    s.statusCallbacks();
    s.gas.runDetailed('routineEvening', [], { kind: 'trigger' });
    const [kpi] = s.rows('KPI_Daily');
    expect(kpi).toMatchObject({ median_minutes_to_contact: 60, sms_delivered: 3, sms_sent: 3, ad_spend: 0, cost_per_lead: '', cost_per_conversion: '' });
    const evening = s.gas.mail.outbox.find((m) => /Bilan/.test(m.subject))!;
    expect(evening.body).toMatch(/Délai médian formulaire → appel : 60 min\./);
    expect(evening.body).toMatch(/11\/2026 : 0,47 USD pour 3 SMS facturés/);
    // The Dashboard plots the median over 30 days: its series ends with today.
    const dash = s.gas.spreadsheet.active.sheet('Dashboard').values();
    expect(dash[68].slice(0, 2)).toEqual(['Date', 'Délai médian (min)']);
    expect(dash[98].slice(0, 2)).toEqual(['23/11', 60]);
    expect(s.gas.spreadsheet.active.sheet('Dashboard').chartList.map((c) => c.options.title)).toContain('Délai médian formulaire → appel (min)');

    // A day without a contacted lead: the median is empty, not 0.
    s.gas.clock.set(new Date('2026-11-24T17:00:00Z'));
    s.gas.runDetailed('routineEvening', [], { kind: 'trigger' });
    expect(s.rows('KPI_Daily')[1]).toMatchObject({ leads_contacted: 0, median_minutes_to_contact: '' });
  });

  test('the 9h and 15h emails list the leads not called yet with their age, oldest first', () => {
    const s = new System({ now: new Date('2026-11-22T17:00:00Z') }); // Sunday 18h
    lead(s, '+33612345678', 'Camille Ancienne');
    s.gas.clock.set(new Date('2026-11-23T06:30:00Z')); // Monday 7h30
    lead(s, '+33698765432', 'Julien Récent');
    s.gas.clock.set(new Date('2026-11-23T08:00:00Z')); // 9h
    s.gas.runDetailed('routineMorning', [], { kind: 'trigger' });
    const morning = s.gas.mail.outbox.find((m) => /Routine du matin/.test(m.subject))!;
    const section = morning.body.split('Leads pas encore appelés (le plus ancien en premier)')[1];
    expect(section).toMatch(/^\n-+\n- Camille Ancienne \| 06 12 34 56 78 \| 15 h 00 \| [^\n]+\n- Julien Récent \| 06 98 76 54 32 \| 1 h 30 \|/);
    s.gas.clock.set(new Date('2026-11-23T14:00:00Z'));
    s.gas.runDetailed('routineAfternoon', [], { kind: 'trigger' });
    const afternoon = s.gas.mail.outbox.find((m) => /appeler|Appels|rappeler/i.test(m.subject) && m !== morning) ?? s.gas.mail.outbox[s.gas.mail.outbox.length - 1];
    expect(afternoon.body).toMatch(/Leads pas encore appelés[^\n]*\n-+\n- Camille Ancienne | 06 12 34 56 78 | 21 h 00 \|[^\n]*\n- Julien Récent/);
  });
});
