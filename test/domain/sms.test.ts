/** The SMS domain: window, text, segments, STOP words; the opt-out signature; Stripe helpers. */
import { composeLeadSms, inSmsWindow, isStopWord, smsSegments } from '../../src/domain/sms';
import { optOutUrl, verifyOptOut } from '../../src/domain/optout';
import { invoiceSubscriptionId, monthlyAmount } from '../../src/domain/stripe';
import { CONFIG_DEFAULTS } from '../../src/domain/config';
import { createHmac } from 'node:crypto';

const window = { sms_hours_start: 8, sms_hours_end: 20, sms_days: 'lun,mar,mer,jeu,ven,sam' };

test.each([
  [{ weekday: 1, hour: 8, minute: 0 }, true],
  [{ weekday: 1, hour: 7, minute: 59 }, false],
  [{ weekday: 6, hour: 19, minute: 59 }, true],
  [{ weekday: 6, hour: 20, minute: 0 }, false],
  [{ weekday: 7, hour: 12, minute: 0 }, false],
])('SMS window at %j: %p', (at, expected) => {
  expect(inSmsWindow(at, window)).toBe(expected);
});

test('the SMS names the lead and Sirrius, ends with the mention, and fits two segments with the link', () => {
  const url = `https://script.google.com/macros/s/${'A'.repeat(72)}/exec?source=optout&l=1795420800000&s=AbCdEfGhIjKl`;
  const text = composeLeadSms(CONFIG_DEFAULTS.sms_template, 'Camille', `STOP SMS : ${url}`);
  expect(text).toMatch(/^Bonjour Camille, merci pour votre demande chez Sirrius ! .* STOP SMS : https:\/\/\S+$/);
  expect(smsSegments(text)).toBe(2);
  expect(composeLeadSms('Bonjour {prenom}, merci !', '', 'Répondez STOP.')).toBe('Bonjour, merci ! Répondez STOP.');
  expect(smsSegments('a'.repeat(160))).toBe(1);
  expect(smsSegments('a'.repeat(161))).toBe(2);
  expect(smsSegments('ê'.repeat(70))).toBe(1); // not GSM-7: UCS-2
  expect(smsSegments('ê'.repeat(71))).toBe(2);
});

test.each(['STOP', 'stop', 'Stop SMS', 'ARRÊT', 'arret', 'Arrêt.', ' STOPALL ', 'unsubscribe', 'Cancel', 'END', 'quit'])('%j is a STOP word', (w) => {
  expect(isStopWord(w)).toBe(true);
});

test.each(['stop please call me', 'Arrêtez de m appeler demain', 'OK', '', 'STOPS'])('%j is not', (w) => {
  expect(isStopWord(w)).toBe(false);
});

describe('opt-out signature', () => {
  const hmac = (m: string, k: string) => createHmac('sha256', k).update(m).digest('base64url');
  const url = optOutUrl('https://example/exec', 'lead_1795420800000', 'secret', hmac);
  const params = Object.fromEntries(new URL(url).searchParams);

  test('a link verifies to its lead', () => {
    expect(params.source).toBe('optout');
    expect(verifyOptOut(params.l, params.s, 'secret', hmac)).toBe('lead_1795420800000');
  });

  test('another lead, another key, or a cut signature do not', () => {
    expect(verifyOptOut('1795420800001', params.s, 'secret', hmac)).toBeNull();
    expect(verifyOptOut(params.l, params.s, 'other', hmac)).toBeNull();
    expect(verifyOptOut(params.l, params.s.slice(1), 'secret', hmac)).toBeNull();
    expect(verifyOptOut('=1+1', params.s, 'secret', hmac)).toBeNull();
    expect(verifyOptOut(undefined, undefined, 'secret', hmac)).toBeNull();
  });
});

test('an invoice subscription is read from both API versions', () => {
  expect(invoiceSubscriptionId({ parent: { subscription_details: { subscription: 'sub_new' } } })).toBe('sub_new');
  expect(invoiceSubscriptionId({ parent: null, subscription: 'sub_old' })).toBe('sub_old');
  expect(invoiceSubscriptionId({ subscription: { id: 'sub_expanded' } })).toBe('sub_expanded');
  expect(invoiceSubscriptionId({})).toBeNull();
});

test('monthly amount', () => {
  const item = (unitAmount: number, interval: 'day' | 'week' | 'month' | 'year' | null, quantity = 1, intervalCount = 1) => ({ unitAmount, interval, quantity, intervalCount, currency: 'eur' });
  const sub = (items: ReturnType<typeof item>[]) => ({ id: 'sub_x', status: 'active' as const, customer: 'cus_x', items });
  expect(monthlyAmount(sub([item(2900, 'month')]))).toBe(29);
  expect(monthlyAmount(sub([item(24000, 'year'), item(500, 'month', 3)]))).toBe(35);
  expect(monthlyAmount(sub([item(1000, 'week')]))).toBe(43.33);
  expect(monthlyAmount(sub([item(9900, null)]))).toBe(0);
});
