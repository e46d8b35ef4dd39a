/** The routines' pure part: KPI of a day, call list order, checks, retention block, backups, and the email renderer. */
import { adjustments, backupsToTrash, callList, checkObjectives, computeKpi, expiredPrefix, optOutCheck, subscriptionGaps } from '../../src/domain/routines';
import { afternoonEmail, phoneCell, render } from '../../src/ui/reports';

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const at = (iso: string) => new Date(iso);
const lead = (over: Record<string, unknown> = {}): any => ({
  id: 'lead_1', created_at: at('2026-11-23T08:00:00Z'), source: 'facebook', fb_lead_id: '1', status: 'new', first_name: 'Ana', last_name: 'Lopez',
  phone: '+33612345678', email: '', sms_sent: false, sms_sent_at: null, contacted_at: null, stripe_customer_id: '', stripe_subscription_id: '',
  conversion_date: null, mrr: 0, payment_failures: 0, notes: '', updated_at: null, ...over,
});

test('computeKpi counts each figure on its own date column, conversion rate in percent', () => {
  const day = '2026-11-23';
  const kpi = computeKpi({
    day,
    dayOf,
    leads: [
      lead({ conversion_date: at('2026-11-23T12:00:00Z'), mrr: 29.5, status: 'converted' }),
      lead({ id: 'lead_2', contacted_at: at('2026-11-23T13:00:00Z') }),
      lead({ id: 'lead_3', created_at: at('2026-11-22T08:00:00Z'), conversion_date: at('2026-11-23T09:00:00Z'), mrr: 10 }),
    ],
    messages: [
      { sent_at: at('2026-11-23T09:00:00Z'), channel: 'sms', to: '+33612345678', lead_id: 'lead_1', template: 'sms_nouveau_lead', status: 'sent', provider_id: '', error: '', attempts: 1, next_attempt_at: null },
      { sent_at: at('2026-11-23T09:00:00Z'), channel: 'sms', to: '+33600000000', lead_id: '', template: 'alerte_capacite', status: 'sent', provider_id: '', error: '', attempts: 1, next_attempt_at: null },
    ],
    optOuts: [{ phone: '+33611111111', opted_out_at: at('2026-11-23T10:00:00Z'), reason: '', source: '' }],
    events: [{ received_at: at('2026-11-23T10:00:00Z'), source: 'stripe', event_id: 'evt_1', type: 'invoice.payment_failed', status: 'processed', attempts: 1, last_error: '', processed_at: null, payload: '' }],
    incidents: [],
    capacityUsedPct: 10,
  });
  expect(kpi).toEqual({
    leads_received: 2, sms_sent: 1, leads_contacted: 1, leads_converted: 2, conversion_rate: 100, mrr_added: 39.5, opt_outs: 1, payments_failed: 1, incidents_opened: 0, capacity_used_pct: 10,
    // Issue 22: lead_2, created at 8h, called at 13h; no SMS delivered yet. Issue 21: the ad figures are the caller's.
    sms_delivered: 0, median_minutes_to_contact: 300, ad_spend: 0, cost_per_lead: null, cost_per_conversion: null,
  });
  const checks = checkObjectives(kpi, { objective_leads_per_day: 20, objective_conversions_per_day: 2, objective_mrr_per_day: 100 });
  expect(checks.map((c) => c.met)).toEqual([false, true, false]);
  expect(adjustments(kpi, checks, 3)).toEqual(['leads_low', 'contact_backlog', 'mrr_low']);
});

test('callList: new and never contacted, under 6 h first, newest first', () => {
  const now = at('2026-11-23T14:00:00Z');
  const list = callList(
    [
      lead({ id: 'old', created_at: at('2026-11-20T08:00:00Z') }),
      lead({ id: 'fresh1', created_at: at('2026-11-23T10:00:00Z') }),
      lead({ id: 'fresh2', created_at: at('2026-11-23T12:00:00Z') }),
      lead({ id: 'done', contacted_at: now, status: 'contacted' }),
      lead({ id: 'out', status: 'opted_out' }),
    ],
    now,
  );
  expect(list.map((l) => [l.id, l.fresh, l.ageHours])).toEqual([['fresh2', true, 2], ['fresh1', true, 4], ['old', false, 78]]);
});

test('subscriptionGaps and optOutCheck', () => {
  const gaps = subscriptionGaps([{ id: 'sub_a', customer: 'cus_a' }, { id: 'sub_b', customer: 'cus_b' }], [
    lead({ status: 'converted', stripe_subscription_id: 'sub_a', mrr: 10 }),
    lead({ id: 'lead_gone', status: 'converted', stripe_subscription_id: 'sub_x', mrr: 10 }),
    lead({ id: 'lead_cancelled', status: 'converted', stripe_subscription_id: 'sub_y', mrr: 0 }),
  ]);
  expect(gaps.unlinked.map((s) => s.id)).toEqual(['sub_b']);
  expect(gaps.suspects.map((l) => l.id)).toEqual(['lead_gone']);

  const check = optOutCheck(
    [{ phone: '+33612345678', opted_out_at: at('2026-11-23T10:00:00Z'), reason: '', source: '' }],
    [lead({ phone: '06 12 34 56 78' }), lead({ id: 'ok', status: 'opted_out' })],
    [
      { sent_at: at('2026-11-23T09:00:00Z'), channel: 'sms', to: '+33612345678', lead_id: '', template: 't', status: 'sent', provider_id: '', error: '', attempts: 1, next_attempt_at: null },
      { sent_at: at('2026-11-23T11:00:00Z'), channel: 'sms', to: '+33612345678', lead_id: '', template: 't', status: 'sent', provider_id: '', error: '', attempts: 1, next_attempt_at: null },
    ],
  );
  expect(check.toFix.map((l) => l.id)).toEqual(['lead_1']);
  expect(check.breaches).toEqual([expect.objectContaining({ phone: '+33612345678', sent: 1 })]);
});

test('expiredPrefix stops at the first recent, undated or unfinished row; backupsToTrash keeps the newest', () => {
  const cutoff = at('2026-11-01T00:00:00Z');
  const row = (d: string | null, status = 'processed') => ({ received_at: d ? at(d) : null, status });
  expect(expiredPrefix([row('2026-10-01'), row('2026-10-02'), row('2026-11-05'), row('2026-10-03')], cutoff)).toBe(2);
  expect(expiredPrefix([row('2026-10-01'), row('2026-10-02', 'failed'), row('2026-10-03')], cutoff)).toBe(1);
  expect(expiredPrefix([row(null), row('2026-10-02')], cutoff)).toBe(0);
  const files = [1, 2, 3, 4].map((d) => ({ id: `f${d}`, name: `P ${d}`, created: at(`2026-11-0${d}T00:00:00Z`), trashed: false }));
  expect(backupsToTrash([...files, { id: 'mine', name: 'notes', created: at('2026-01-01'), trashed: false }], 'P ', 2).map((f) => f.id)).toEqual(['f2', 'f1']);
});

test('render: plain text and HTML say the same, values escaped, phones as tel: links', () => {
  const mail = render({ subject: 's', title: 'T <x>', decisions: ['Décider & agir'], sections: [{ title: 'Tab', table: { head: ['a', 'b'], rows: [['<script>', phoneCell('+33612345678')]] } }] });
  expect(mail.text).toContain('- <script> | 06 12 34 56 78');
  expect(mail.html).toContain('&lt;script&gt;');
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('<a href="tel:+33612345678">06 12 34 56 78</a>');
  expect(mail.html).toContain('Décider &amp; agir');
  expect(afternoonEmail('23/11/2026', []).subject).toBe('[Sirrius] Appels du 23/11/2026 : aucun lead à contacter');
});
