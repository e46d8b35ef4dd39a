/** The pure parts of issues 21 and 22: insights, costs, stages, speed to lead, Twilio's statuses. */
import { adsDailyRows, costPer, parseInsightsPage, stagesReached, summarizeCampaigns } from '../../src/domain/ads';
import { parseCampaignPage } from '../../src/domain/campaigns';
import { medianMinutesToContact } from '../../src/domain/routines';
import { deliveryDecision, isFinalSmsStatus, parseTwilioMessage, smsStatusRank, twilioPrice } from '../../src/domain/twilio';
import { fixture } from '../../emulator/providers';

const at = (iso: string) => new Date(iso);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

test('insights: every number a string, "18.4" is 18.40, one row per campaign and day', () => {
  const page = parseInsightsPage(fixture('meta/insights.campaign_daily.json'));
  expect(page.ok && page.value.rows).toEqual([
    { day: '2026-09-01', campaignId: '120212345678900123', campaignName: 'Leads – Rénovation cuisine – Sept. 2026', spend: 23.47, impressions: 1843 },
    { day: '2026-09-01', campaignId: '120212345678900789', campaignName: 'Leads – Salle de bain – Sept. 2026', spend: 9.12, impressions: 702 },
    { day: '2026-09-02', campaignId: '120212345678900123', campaignName: 'Leads – Rénovation cuisine – Sept. 2026', spend: 18.4, impressions: 1529 },
    { day: '2026-09-03', campaignId: '120212345678900123', campaignName: 'Leads – Rénovation cuisine – Sept. 2026', spend: 21.05, impressions: 1688 },
  ]);
  expect(page.ok && page.value.after).toBeNull(); // no `next`: the last page
  expect(parseInsightsPage(fixture('meta/insights.empty.json'))).toEqual({ ok: true, value: { rows: [], after: null } });
});

test('the campaigns page of the ad account, with its next cursor', () => {
  const page = parseCampaignPage(fixture('meta/ad_account_campaigns.json'));
  expect(page.ok && page.value.campaigns.map((c) => [c.id, c.effectiveStatus])).toEqual([
    ['120212345678900123', 'ACTIVE'],
    ['120212345678900789', 'PAUSED'],
  ]);
  expect(page.ok && page.value.after).toBe('QVFIUm9YZAk5aMkFLR0hVVGJQeGR5VjNRVGFB');
});

test('costs: rounded to the cent, null with nothing to divide by', () => {
  expect(costPer(33.62, 2)).toBe(16.81);
  expect(costPer(10, 0)).toBeNull();
  const rows = adsDailyRows(
    ['2026-09-01'],
    [{ day: '2026-09-01', campaignId: '1', campaignName: 'A', spend: 30, impressions: 10 }, { day: '2026-09-02', campaignId: '1', campaignName: 'A', spend: 99, impressions: 1 }],
    [
      { source: 'facebook', campaign_id: '1', campaign_name: 'A', created_at: at('2026-09-01T10:00:00Z'), conversion_date: at('2026-09-01T12:00:00Z'), mrr: 29, status: 'converted' },
      { source: 'facebook', campaign_id: '1', campaign_name: 'A', created_at: at('2026-09-01T11:00:00Z'), conversion_date: null, mrr: 0, status: 'new' },
      { source: 'facebook', campaign_id: '2', campaign_name: 'B', created_at: at('2026-09-01T11:00:00Z'), conversion_date: null, mrr: 0, status: 'new' },
      { source: 'manual', campaign_id: '', campaign_name: '', created_at: at('2026-09-01T11:00:00Z'), conversion_date: null, mrr: 0, status: 'new' },
    ],
    dayOf,
  );
  expect(rows).toEqual([
    { day: '2026-09-01', campaign_id: '1', campaign_name: 'A', spend: 30, impressions: 10, leads: 2, conversions: 1, mrr_added: 29, cost_per_lead: 15, cost_per_conversion: 30 },
    { day: '2026-09-01', campaign_id: '2', campaign_name: 'B', spend: 0, impressions: 0, leads: 1, conversions: 0, mrr_added: 0, cost_per_lead: 0, cost_per_conversion: null },
  ]);
  expect(summarizeCampaigns(rows, () => true)[0]).toMatchObject({ id: '1', spend: 30, costPerLead: 15 });
});

test('stages reached, in order, never before the lead nor before the previous stage', () => {
  const base = { source: 'facebook', fb_lead_id: '2456789012345678', created_at: at('2026-09-01T09:00:00Z'), contacted_at: null, conversion_date: null, updated_at: null, status: 'new' };
  const now = at('2026-09-02T09:00:00Z');
  expect(stagesReached(base, now).map((s) => s.stage)).toEqual(['received']);
  expect(stagesReached({ ...base, fb_lead_id: 'MANUAL' }, now)).toEqual([]);
  const converted = stagesReached({ ...base, status: 'converted', conversion_date: at('2026-09-01T12:00:00Z') }, now);
  expect(converted.map((s) => [s.stage, s.at.toISOString()])).toEqual([
    ['received', '2026-09-01T09:00:00.000Z'],
    ['contacted', '2026-09-01T12:00:00.000Z'],
    ['converted', '2026-09-01T12:00:00.000Z'],
  ]);
  expect(stagesReached({ ...base, status: 'rejected', updated_at: at('2026-09-01T08:00:00Z') }, now).map((s) => [s.stage, s.at.toISOString()])).toEqual([
    ['received', '2026-09-01T09:00:00.000Z'],
    ['rejected', '2026-09-01T09:00:00.000Z'],
  ]);
});

test('median minutes to contact: odd, even, none', () => {
  const l = (created: string, contacted: string | null) => ({ created_at: at(created), contacted_at: contacted ? at(contacted) : null });
  expect(medianMinutesToContact([l('2026-09-01T09:00:00Z', '2026-09-01T09:10:00Z'), l('2026-09-01T09:00:00Z', '2026-09-01T10:00:00Z'), l('2026-09-01T09:00:00Z', '2026-09-01T12:00:00Z')])).toBe(60);
  expect(medianMinutesToContact([l('2026-09-01T09:00:00Z', '2026-09-01T09:10:00Z'), l('2026-09-01T09:00:00Z', '2026-09-01T09:31:00Z')])).toBe(21);
  expect(medianMinutesToContact([])).toBeNull();
  expect(medianMinutesToContact([l('2026-09-01T09:00:00Z', null)])).toBeNull();
});

test('Twilio: the final message with its price; statuses never go back; error codes decide', () => {
  const m = parseTwilioMessage(fixture('twilio/message.delivered.json'));
  expect(m.ok && twilioPrice(m.value)).toEqual({ price: 0.079, price_unit: 'USD' });
  expect(twilioPrice({ price: null, price_unit: 'USD' })).toBeNull();
  expect(smsStatusRank('sent')).toBeLessThan(smsStatusRank('delivered'));
  expect(isFinalSmsStatus('sent')).toBe(false);
  expect(isFinalSmsStatus('undelivered')).toBe(true);
  expect([30003, 30005, 30006, 21610, null].map(deliveryDecision)).toEqual(['retry', 'call', 'call', 'opt_out', 'call']);
});
