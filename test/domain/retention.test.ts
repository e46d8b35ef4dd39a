import { lastOwnAction, pastRetention, retentionHorizon } from '../../src/domain/retention';

const NOW = new Date('2026-11-23T02:00:00Z');
const CONFIG = { prospect_retention_months: 36, client_retention_months: 36 };
const monthsAgo = (m: number) => new Date(Date.UTC(2026, 10 - m, 23, 2));
const lead = (over: Record<string, unknown> = {}) => ({
  status: 'new',
  created_at: monthsAgo(37),
  updated_at: monthsAgo(37),
  conversion_date: null,
  stripe_subscription_id: '',
  mrr: 0,
  notes: '',
  ...over,
});

describe('retention', () => {
  test('a prospect untouched for 37 months is past it; 35 months is not', () => {
    expect(pastRetention(lead(), CONFIG, NOW)).toBe(true);
    expect(pastRetention(lead({ created_at: monthsAgo(35) }), CONFIG, NOW)).toBe(false);
  });

  test('a reply or an opt-out noted on the lead is their own action; an edit of ours is not', () => {
    expect(pastRetention(lead({ notes: 'x\nSMS reçu le 23/09/2026 10:00 : "oui"' }), CONFIG, NOW)).toBe(false);
    expect(pastRetention(lead({ notes: 'STOP SMS - date: 01/01/2026 10:00 - raison: réponse STOP' }), CONFIG, NOW)).toBe(false);
    expect(pastRetention(lead({ updated_at: monthsAgo(1), contacted_at: monthsAgo(1) }), CONFIG, NOW)).toBe(true);
    expect(lastOwnAction(lead({ notes: 'SMS reçu le 05/09/2026 22:00 : "x"' }))).toEqual(new Date(Date.UTC(2026, 8, 5, 12)));
  });

  test('a paying client is kept; a former client counts from the end of the subscription', () => {
    expect(pastRetention(lead({ status: 'converted', mrr: 49, conversion_date: monthsAgo(60) }), CONFIG, NOW)).toBe(false);
    expect(pastRetention(lead({ status: 'converted', mrr: 0, updated_at: monthsAgo(12) }), CONFIG, NOW)).toBe(false);
    expect(pastRetention(lead({ status: 'converted', mrr: 0, updated_at: monthsAgo(40) }), CONFIG, NOW)).toBe(true);
  });

  test('a nonsense setting deletes nothing', () => {
    expect(pastRetention(lead({ created_at: monthsAgo(100) }), { prospect_retention_months: 0, client_retention_months: -1 }, NOW)).toBe(false);
    expect(retentionHorizon({ prospect_retention_months: NaN, client_retention_months: 0 }, NOW)).toBeNull();
    expect(retentionHorizon(CONFIG, NOW)).toEqual(monthsAgo(36));
  });
});
