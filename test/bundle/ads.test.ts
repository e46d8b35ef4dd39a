/**
 * Issue 21 through the bundle: the ad account's campaigns found by themselves in Ads_Control, the
 * 90 % step pausing them at Meta, each Meta lead's campaign, the day's spend into Ads_Daily and
 * KPI_Daily, the reports per campaign, and the lead stages sent to Meta's Conversions API once each,
 * in order, retried after a failure without doubling.
 */
import { System, convert } from '../support/system';
import { TEST_PROPERTIES, sheetWrites, sheetsDataCalls } from '../support/gas';

const ACCOUNT = 'act_1184563209871245';
const DATASET = '987654321012345';
const PROPS = { ...TEST_PROPERTIES, FB_AD_ACCOUNT_ID: ACCOUNT, META_DATASET_ID: DATASET };
const CUISINE = { id: '120212345678900123', name: 'Leads – Rénovation cuisine – Sept. 2026' };
const BAIN = { id: '120212345678900789', name: 'Leads – Salle de bain – Sept. 2026' };
const MIN = 60000;
/** Paris, November 2026 (UTC+1). */
const SUNDAY_18H = new Date('2026-11-22T17:00:00Z');
const MONDAY_10H = new Date('2026-11-23T09:00:00Z');
const MONDAY_18H = new Date('2026-11-23T17:00:00Z');
const TUESDAY_9H = new Date('2026-11-24T08:00:00Z');

function account(s: System) {
  s.providers.campaign(CUISINE.id, CUISINE.name, 'ACTIVE');
  s.providers.campaign(BAIN.id, BAIN.name, 'PAUSED');
}

function run(s: System, fn: string, args: unknown[] = []) {
  const r = s.gas.runDetailed(fn, args, { kind: fn.startsWith('routine') || fn === 'reconcile' ? 'trigger' : 'editor' });
  if (r.error) throw r.error;
  return r as typeof r & { result: any };
}

describe('campaigns found by themselves (issue 21)', () => {
  test('setup() lists the account’s campaigns into Ads_Control with no typing; the 9h routine adds a new one and keeps the operator’s columns and decisions', () => {
    const s = new System({ properties: PROPS, setup: false });
    account(s);
    s.providers.campaign('120212345678900999', 'Ancienne campagne', 'ARCHIVED');
    const report = run(s, 'setup').result;
    expect(report.campaignsAdded).toEqual([CUISINE.id, BAIN.id]);
    expect(s.rows('Ads_Control').map((r) => [r.campaign_id, r.campaign_name, r.effective_status, r.ads_paused])).toEqual([
      [CUISINE.id, CUISINE.name, 'ACTIVE', false],
      [BAIN.id, BAIN.name, 'PAUSED', false],
    ]);
    // A second setup() writes nothing (one Graph call to compare).
    const second = run(s, 'setup');
    expect(second.result.campaignsAdded).toEqual([]);
    expect(sheetWrites(second.calls)).toBe(0);

    // The operator adds a column of their own and pauses Cuisine by hand; Meta renames it; a new campaign starts.
    const sheet = s.gas.spreadsheet.active.sheet('Ads_Control');
    const width = (sheet.values()[0] as string[]).length;
    sheet.writeValue(1, width + 1, 'budget_note');
    sheet.writeValue(2, width + 1, 'garder 30 €/jour');
    expect(run(s, 'pauseCampaigns', ['test opérateur']).result.ok).toBe(true);
    s.providers.campaigns.get(CUISINE.id)!.name = 'Cuisine – renommée';
    s.providers.campaign('120212345678900555', 'Leads – Dressing – Nov. 2026', 'ACTIVE');
    s.gas.clock.set(TUESDAY_9H);
    run(s, 'routineMorning');
    const rows = s.rows('Ads_Control');
    expect(rows.map((r) => r.campaign_id)).toEqual([CUISINE.id, BAIN.id, '120212345678900555']);
    expect(rows[0]).toMatchObject({ campaign_name: 'Cuisine – renommée', ads_paused: true, paused_reason: 'test opérateur', budget_note: 'garder 30 €/jour' });
    expect(rows[2]).toMatchObject({ campaign_name: 'Leads – Dressing – Nov. 2026', effective_status: 'ACTIVE', ads_paused: false });
  });

  test('the Capacity sidebar’s "Synchroniser" finds the campaigns too', () => {
    const s = new System({ properties: PROPS, setup: false });
    run(s, 'setup');
    expect(s.rows('Ads_Control')).toHaveLength(0);
    account(s);
    const r = run(s, 'syncCampaigns').result;
    expect(r).toMatchObject({ ok: true });
    expect(r.message).toMatch(/2 nouvelles campagnes ajoutées/);
    expect(s.rows('Ads_Control').map((c) => c.campaign_id)).toEqual([CUISINE.id, BAIN.id]);
  });

  test('an account with more than a page of campaigns: every page is read', () => {
    const s = new System({ properties: PROPS, setup: false });
    for (let i = 0; i < 130; i++) s.providers.campaign(String(120212345678910000n + BigInt(i)), `Campagne ${i}`, 'ACTIVE');
    const r = run(s, 'setup');
    expect(r.result.campaignsAdded).toHaveLength(130);
    expect(r.calls.count('UrlFetch', ['UrlFetchApp.fetch'])).toBe(2); // two pages of 100
  });

  test('the 90 % step really pauses the campaigns found, at Meta', () => {
    const s = new System({ properties: PROPS, setup: false });
    account(s);
    s.providers.campaign(BAIN.id, BAIN.name, 'ACTIVE');
    run(s, 'setup');
    for (let i = 0; i < 18; i++) {
      s.metaLead({ fullName: `Lead ${i}`, phone: `+336000000${String(i).padStart(2, '0')}`, email: `l${i}@example.fr` });
      s.gas.clock.advance(MIN);
    }
    expect(s.providers.campaigns.get(CUISINE.id)!.status).toBe('PAUSED');
    expect(s.providers.campaigns.get(BAIN.id)!.status).toBe('PAUSED');
    expect(s.rows('Ads_Control').every((r) => r.ads_paused === true && r.paused_by === 'capacity')).toBe(true);
  });

  test('capacity short at 12h: the email says which campaigns are running (not one paused at Meta)', () => {
    const s = new System({ properties: PROPS, setup: false });
    account(s); // Cuisine active, Salle de bain paused in Ads Manager
    run(s, 'setup');
    for (let i = 0; i < 17; i++) {
      s.metaLead({ fullName: `Lead ${i}`, phone: `+336000000${String(i).padStart(2, '0')}`, email: `l${i}@example.fr` });
      s.gas.clock.advance(MIN);
    }
    s.gas.clock.set(new Date('2026-11-23T11:00:00Z'));
    run(s, 'routineNoon');
    const mail = s.gas.mail.outbox.find((m) => /capacit/i.test(m.subject) && m.body.includes(CUISINE.name))!;
    expect(mail.body).toContain(CUISINE.name);
    expect(mail.body).not.toContain(BAIN.name);
  });

  test('without FB_AD_ACCOUNT_ID the Configuration sidebar and the morning report say capacity cannot pause anything', () => {
    const s = new System();
    const config = run(s, 'configStatus').result;
    expect(config.config.adsWarning).toMatch(/la capacité ne peut mettre aucune campagne en pause/);
    s.gas.clock.set(TUESDAY_9H);
    run(s, 'routineMorning');
    const mail = s.gas.mail.outbox.find((m) => /Routine du matin/.test(m.subject))!;
    expect(mail.body).toMatch(/- Indiquer les campagnes Facebook à Sirrius : [^\n]*FB_AD_ACCOUNT_ID[^\n]*Sans elles, la capacité ne peut mettre aucune campagne en pause\./);
    // With the account set, no warning.
    const t = new System({ properties: PROPS });
    expect(run(t, 'configStatus').result.config.adsWarning).toBeUndefined();
  });
});

describe('where each lead came from (issue 21)', () => {
  test('a Meta lead records campaign_id, campaign_name, ad_id, form_id from the same Graph fetch (webhook: still 2 fetches)', () => {
    const s = new System({ properties: { ...PROPS, META_DATASET_ID: '' } });
    const { response } = s.metaLead({ campaign: CUISINE });
    expect(response!.calls.count('UrlFetch', ['UrlFetchApp.fetch'])).toBe(2); // the Graph lead, the SMS
    expect(s.rows('Leads')[0]).toMatchObject({ campaign_id: CUISINE.id, campaign_name: CUISINE.name, ad_id: '120212345678901234', form_id: '1187654321098765' });
  });

  test('a lead found by reconcile’s form polling records them too', () => {
    const s = new System({ properties: { ...PROPS, META_DATASET_ID: '' } });
    s.metaLead({ campaign: BAIN, fullName: 'Perdu Webhook' }, false);
    s.reconcile(MIN);
    expect(s.rows('Leads')[0]).toMatchObject({ first_name: 'Perdu', campaign_id: BAIN.id, campaign_name: BAIN.name, form_id: '1187654321098765' });
  });
});

describe('spend into Ads_Daily and KPI_Daily (issue 21)', () => {
  function week(): System {
    const s = new System({ properties: { ...PROPS, META_DATASET_ID: '' }, now: SUNDAY_18H, setup: false });
    account(s);
    run(s, 'setup');
    s.providers.adSpend(CUISINE.id, '2026-11-22', 10);
    s.providers.adSpend(CUISINE.id, '2026-11-23', 24.5, 1843);
    s.providers.adSpend(BAIN.id, '2026-11-23', 9.12, 702);
    return s;
  }

  test('a day with spend but no lead: the spend is there, the costs are empty (no division by zero)', () => {
    const s = week();
    run(s, 'routineEvening');
    expect(s.rows('Ads_Daily')).toEqual([
      expect.objectContaining({ campaign_id: CUISINE.id, campaign_name: CUISINE.name, spend: 10, leads: 0, conversions: 0, mrr_added: 0, cost_per_lead: '', cost_per_conversion: '' }),
    ]);
    expect(s.rows('KPI_Daily')[0]).toMatchObject({ leads_received: 0, ad_spend: 10, cost_per_lead: '', cost_per_conversion: '' });
  });

  test('a day with spend, leads and a conversion: per campaign and in total; rewritten, not duplicated; yesterday corrected at 9h', () => {
    const s = week();
    run(s, 'routineEvening'); // Sunday: 10 € without a lead
    s.gas.clock.set(MONDAY_10H);
    s.metaLead({ campaign: CUISINE, fullName: 'Camille Durand', phone: '+33612345678', email: 'camille@example.fr' });
    s.gas.clock.advance(10 * MIN);
    s.metaLead({ campaign: CUISINE, fullName: 'Julien Martin', phone: '+33698765432', email: 'julien@example.fr' });
    s.gas.clock.advance(10 * MIN);
    s.metaLead({ fullName: 'Organique Sans Pub', phone: '+33611112222', email: 'orga@example.fr' });
    s.gas.clock.advance(60 * MIN);
    convert(s, 0, 'cus_Camille01');
    s.gas.clock.set(MONDAY_18H);
    run(s, 'routineEvening');
    const monday = () => s.rows('Ads_Daily').filter((r) => (r.date as Date).getTime() === new Date('2026-11-22T23:00:00Z').getTime());
    expect(monday()).toEqual([
      expect.objectContaining({ campaign_id: CUISINE.id, spend: 24.5, impressions: 1843, leads: 2, conversions: 1, mrr_added: 29, cost_per_lead: 12.25, cost_per_conversion: 24.5 }),
      expect.objectContaining({ campaign_id: BAIN.id, spend: 9.12, impressions: 702, leads: 0, conversions: 0, cost_per_lead: '', cost_per_conversion: '' }),
    ]);
    // KPI: Meta's spend of the day, divided by the leads and clients the campaigns brought (the organic lead is not bought).
    expect(s.rows('KPI_Daily')[1]).toMatchObject({ leads_received: 3, leads_converted: 1, ad_spend: 33.62, cost_per_lead: 16.81, cost_per_conversion: 33.62 });

    // The Dashboard: per campaign, yesterday (Sunday: 10 € without a lead) and the last 7 days.
    const dash = s.gas.spreadsheet.active.sheet('Dashboard').values();
    expect(dash[42].slice(0, 6)).toEqual(['Campagne', 'Dépense', 'Leads', 'Clients', 'Coût / lead', 'Coût / client']);
    expect(dash[43].slice(0, 6)).toEqual([CUISINE.name, 10, 0, 0, '', '']);
    expect(dash[56].slice(0, 6)).toEqual([CUISINE.name, 10, 0, 0, '', '']);

    // Run again: same rows, nothing appended.
    s.gas.clock.advance(MIN);
    const again = run(s, 'routineEvening');
    expect(again.result.kpiWritten).toBe(false);
    expect(monday()).toHaveLength(2);

    // Tuesday 9h: Meta's figures for Monday settled higher; the row and the KPI follow.
    s.providers.spend.find((x) => x.campaignId === CUISINE.id && x.day === '2026-11-23')!.spend = 26;
    s.gas.clock.set(TUESDAY_9H);
    run(s, 'routineMorning');
    expect(monday()).toHaveLength(2);
    expect(monday()[0]).toMatchObject({ spend: 26, cost_per_lead: 13, cost_per_conversion: 26 });
    expect(s.rows('KPI_Daily')[1]).toMatchObject({ ad_spend: 35.12, cost_per_lead: 17.56, cost_per_conversion: 35.12 });

    // The 9h email: per campaign, yesterday and 7 days; Salle de bain spent without a client.
    const mail = s.gas.mail.outbox.find((m) => /Routine du matin/.test(m.subject))!;
    expect(mail.body).toMatch(/Publicité : dépense et résultats par campagne – Hier \(23\/11\/2026\)\n-+\n- Leads – Rénovation cuisine – Sept\. 2026 \| 26,00 € \| 2 \| 1 \| 13,00 € \| 26,00 €\n- Leads – Salle de bain – Sept\. 2026 \| 9,12 € \| 0 \| 0 \| — \| —/);
    expect(mail.body).toMatch(/7 derniers jours\n-+\n- Leads – Rénovation cuisine – Sept\. 2026 \| 36,00 € \| 2 \| 1 \| 18,00 € \| 36,00 €/);
    expect(mail.body).toMatch(/La campagne Leads – Salle de bain – Sept\. 2026 a dépensé 9,12 € en 7 jours sans aucun client/);
  });

  test('Graph down at 18h: the spend already written stays, and the run still ends well', () => {
    const s = week();
    run(s, 'routineEvening');
    s.providers.fail('graph', Infinity);
    s.gas.clock.advance(MIN);
    expect(run(s, 'routineEvening').result.ok).toBe(true);
    expect(s.rows('KPI_Daily')[0]).toMatchObject({ ad_spend: 10 });
    expect(s.rows('Ads_Daily')).toHaveLength(1);
  });

  test('the evening with spend costs the same Sheets calls at any size of Leads', () => {
    const costs: number[] = [];
    for (const extra of [0, 300]) {
      const s = week();
      s.gas.clock.set(MONDAY_10H);
      const sheet = s.gas.spreadsheet.active.sheet('Leads');
      sheet.seed(Array.from({ length: extra }, (_, i) => [`lead_old${i}`, new Date('2026-01-01T10:00:00Z'), 'facebook', `9${i}`, 'rejected']), 2);
      s.metaLead({ campaign: CUISINE });
      s.gas.clock.set(MONDAY_18H);
      const r = run(s, 'routineEvening');
      costs.push(sheetsDataCalls(r.calls));
    }
    expect(costs[1]).toBe(costs[0]);
  });
});

describe('lead stages to Meta (Conversions API for Conversion Leads)', () => {
  test('a lead that becomes a client sends received, contacted, converted once each, in order, shaped as Meta specifies', () => {
    const s = new System({ properties: PROPS });
    const { leadgenId } = s.metaLead({ campaign: CUISINE });
    const id = s.rows('Leads')[0].id as string;
    s.gas.clock.advance(30 * MIN);
    expect(run(s, 'markContacted', [id]).result.ok).toBe(true);
    s.gas.clock.advance(60 * MIN);
    convert(s, 0, 'cus_Camille01');
    // Redeliveries and reconcile change nothing.
    s.reconcile(10 * MIN);
    s.reconcile(10 * MIN);
    const sent = s.providers.capiEvents.filter((e) => e.event.user_data.lead_id === leadgenId);
    expect(sent.map((e) => e.event.event_name)).toEqual(['received', 'contacted', 'converted']);
    expect(sent.every((e) => e.datasetId === DATASET)).toBe(true);
    expect(sent[0].event).toEqual({
      event_name: 'received',
      event_time: Math.floor(new Date(s.rows('Leads')[0].created_at as Date).getTime() / 1000),
      action_source: 'system_generated',
      event_id: `${leadgenId}_received`,
      user_data: { lead_id: leadgenId },
      custom_data: { event_source: 'crm', lead_event_source: 'Sirrius Ops' },
    });
    expect(sent[1].event.event_time - sent[0].event.event_time).toBe(30 * 60);
    // Journalled like every outbound effect: a Messages row per stage.
    expect(s.rows('Messages').filter((m) => m.channel === 'meta').map((m) => [m.template, m.status, m.provider_id])).toEqual([
      ['meta_received', 'sent', `${leadgenId}_received`],
      ['meta_contacted', 'sent', `${leadgenId}_contacted`],
      ['meta_converted', 'sent', `${leadgenId}_converted`],
    ]);
  });

  test('a Graph failure during a stage send is retried once by reconcile, never doubled; later stages wait their turn', () => {
    const s = new System({ properties: PROPS });
    const { leadgenId } = s.metaLead();
    const id = s.rows('Leads')[0].id as string;
    s.providers.fail('graph', 1);
    expect(run(s, 'markContacted', [id]).result.ok).toBe(true);
    expect(s.rows('Messages').find((m) => m.template === 'meta_contacted')).toMatchObject({ status: 'failed', attempts: 1 });
    convert(s, 0, 'cus_Camille01'); // converted must not overtake contacted
    expect(s.providers.capiEvents.map((e) => e.event.event_name)).toEqual(['received']);
    s.reconcile(2 * MIN); // backoff not over: nothing
    expect(s.providers.capiEvents).toHaveLength(1);
    s.reconcile(4 * MIN);
    s.reconcile(10 * MIN);
    s.reconcile(60 * MIN);
    const names = s.providers.capiEvents.filter((e) => e.event.user_data.lead_id === leadgenId).map((e) => e.event.event_name);
    expect(names).toEqual(['received', 'contacted', 'converted']);
    expect(s.rows('Messages').find((m) => m.template === 'meta_contacted')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  test('a stage older than Meta’s 7 days is dropped with a note, not sent', () => {
    const s = new System({ properties: { ...PROPS, META_DATASET_ID: '' } });
    s.metaLead();
    const id = s.rows('Leads')[0].id as string;
    s.gas.properties.script.set('META_DATASET_ID', DATASET);
    s.gas.clock.advance(8 * 24 * 3600000);
    run(s, 'markContacted', [id]);
    expect(s.providers.capiEvents.map((e) => e.event.event_name)).toEqual(['contacted']);
    expect(s.rows('Messages').find((m) => m.template === 'meta_received')).toMatchObject({ status: 'skipped', error: expect.stringMatching(/plus de 7 jours/) });
  });

  test('without META_DATASET_ID nothing is sent and a lead costs what it did', () => {
    const s = new System();
    const { response } = s.metaLead();
    expect(response!.calls.count('UrlFetch', ['UrlFetchApp.fetch'])).toBe(2);
    expect(s.providers.capiEvents).toHaveLength(0);
  });
});
