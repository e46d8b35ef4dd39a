/**
 * The `relay=1` hint through the built bundle: a delivery forwarded by the edge relay (relay/) is
 * journalled with its payload tagged `[relay] `, counts as a redelivery like a direct webhook, and
 * changes nothing else (the token is still required, the body is still only a hint).
 */
import { fixture } from '../../emulator/providers';
import { System, json } from '../support/system';
import { sheetWrites } from '../support/gas';

const RELAY = { relay: '1' };

describe('the relay hint', () => {
  test('a Meta lead through the relay is processed as usual and its payload tagged [relay]', () => {
    const s = new System();
    const { leadgenId, webhook } = s.metaLead({}, false);
    const body = JSON.stringify(webhook);
    expect(json(s.post('facebook', body, { query: RELAY }))).toEqual({ ok: true, statuses: ['processed'] });
    expect(s.rows('Leads')).toHaveLength(1);
    expect(s.providers.sms).toHaveLength(1);
    const [event] = s.rows('Events');
    expect(event).toMatchObject({ source: 'facebook', event_id: leadgenId, status: 'processed', attempts: 1 });
    expect(event.payload).toBe(`[relay] ${body}`);
  });

  test('a direct webhook keeps its payload as is; relay=0 or any other value is no hint', () => {
    const s = new System();
    const a = s.metaLead({}, false);
    const b = s.metaLead({}, false);
    s.post('facebook', JSON.stringify(a.webhook));
    s.post('facebook', JSON.stringify(b.webhook), { query: { relay: 'yes' } });
    expect(s.rows('Events').map((e) => e.payload)).toEqual([JSON.stringify(a.webhook), JSON.stringify(b.webhook)]);
  });

  test('a redelivery counts once more, whichever path each copy took, and applies nothing again', () => {
    const s = new System();
    const { webhook } = s.metaLead({}, false);
    const body = JSON.stringify(webhook);
    s.post('facebook', body, { query: RELAY });
    s.post('facebook', body);
    s.post('facebook', body, { query: RELAY });
    expect(s.rows('Events')).toHaveLength(1);
    expect(s.rows('Events')[0]).toMatchObject({ attempts: 3, payload: `[relay] ${body}` });
    expect(s.rows('Leads')).toHaveLength(1);
    expect(s.providers.sms).toHaveLength(1);
  });

  test('a Stripe event through the relay is fetched from the API and tagged', () => {
    const s = new System();
    const event = s.providers.stripeEvent(fixture('stripe/events/invoice.payment_failed.json'));
    const body = JSON.stringify(event);
    expect(json(s.post('stripe', body, { query: RELAY })).ok).toBe(true);
    const [row] = s.rows('Events');
    expect(row).toMatchObject({ source: 'stripe', event_id: event.id });
    expect(row.status).not.toBe('failed');
    expect(row.payload).toBe(`[relay] ${body}`);
  });

  test('a Twilio STOP through the relay opts the number out and is tagged', () => {
    const s = new System();
    const inbound = s.providers.inboundSms('+33612345678', 'STOP');
    const form = new URLSearchParams(inbound.params).toString();
    const res = s.post('sms', form, { contentType: 'application/x-www-form-urlencoded', query: RELAY });
    expect(res.content).toMatch(/<Response\s*\/>|<Response><\/Response>/);
    expect(s.rows('Opt_Outs').map((o) => o.phone)).toContain('+33612345678');
    const [event] = s.rows('Events');
    expect(event).toMatchObject({ source: 'sms', event_id: inbound.sid });
    // Tagged, and redacted as any payload (the account SID is masked).
    expect(event.payload).toMatch(/^\[relay\] ToCountry=FR&.*&Body=STOP&.*AccountSid=\*\*\*/);
  });

  test('an unusable body through the relay is journalled ignored, tagged too', () => {
    const s = new System();
    expect(json(s.post('stripe', '{"not":"an event"}', { query: RELAY })).ok).toBe(false);
    const [event] = s.rows('Events');
    expect(event).toMatchObject({ source: 'stripe', status: 'ignored', type: 'invalid' });
    expect(event.payload).toBe('[relay] {"not":"an event"}');
  });

  test('the hint is no credential: without the token nothing is written', () => {
    const s = new System();
    const { webhook } = s.metaLead({}, false);
    const res = s.post('facebook', JSON.stringify(webhook), { token: null, query: RELAY });
    expect(json(res)).toEqual({ ok: false, error: 'unauthorized' });
    expect(sheetWrites(res.calls)).toBe(0);
    expect(s.rows('Events')).toHaveLength(0);
  });
});
