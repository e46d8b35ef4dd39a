/**
 * Issue 17 items 8, 9 and 14, through the bundle: nothing depends on row order or on what was
 * read before the lock. The operator sorts a tab while an execution waits on a provider; a
 * webhook waits for the lock while another one changes the shared state.
 */
import { fixture } from '../../emulator/providers';
import { System } from '../support/system';

const MINUTE = 60000;

describe('shared state is read after the lock (item 14)', () => {
  test('a webhook that waited for the lock does not write back a stale lead counter or capacity list', () => {
    const s = new System();
    const first = s.providers.metaLead({ fullName: 'Camille Durand', email: 'camille@example.fr', phone: '+33611111111' });
    const second = s.providers.metaLead({ fullName: 'Louis Martin', email: 'louis@example.fr', phone: '+33622222222' });
    let nested = false;
    // While the second webhook asks for the lock (its Script Properties already read), the first one runs to the end.
    s.gas.beforeCall = (service, method) => {
      if (service === 'Lock' && method === 'Lock.tryLock' && !nested) {
        nested = true;
        s.post('facebook', JSON.stringify(first.webhook));
      }
    };
    s.post('facebook', JSON.stringify(second.webhook));
    s.gas.beforeCall = undefined;
    const leads = s.rows('Leads');
    expect(leads).toHaveLength(2);
    expect(new Set(leads.map((l) => l.id)).size).toBe(2);
    const counted = s.gas.properties.script.get('CAPACITY_COUNTED_LEADS')!.split(',');
    expect(counted).toEqual(expect.arrayContaining(leads.map((l) => String(l.id))));
    expect(s.rows('Capacity')[0].current_leads).toBe(2);
    // A retry of the first lead (its execution "died") does not count it a second time.
    s.post('facebook', JSON.stringify(first.webhook));
    s.reconcile(10 * MINUTE);
    expect(s.rows('Capacity')[0].current_leads).toBe(2);
  });
});

/** Sorts a tab's data rows newest first (by created_at for Leads), as an operator does with the SOPs' filter view. */
function sortNewestFirst(s: System, tab: string, dateColumn: string): void {
  const sheet = s.gas.spreadsheet.active.sheet(tab);
  const [header, ...rows] = sheet.values() as unknown[][];
  const col = (header as string[]).indexOf(dateColumn);
  const sorted = [...rows].filter((r) => r.some((v) => v !== '' && v !== null)).sort((a, b) => (b[col] as Date).getTime() - (a[col] as Date).getTime());
  sheet.seed(sorted, 2);
}

describe('writes follow the row, not its number, across an outbound call (item 9)', () => {
  test('the operator sorts Leads during the Twilio call: sms_sent goes to the lead texted, no other lead changes', () => {
    const s = new System();
    s.metaLead({ fullName: 'Camille Durand', email: 'camille@example.fr', phone: '+33611111111' });
    s.gas.clock.advance(MINUTE);
    s.metaLead({ fullName: 'Louis Martin', email: 'louis@example.fr', phone: '+33622222222' });
    s.gas.clock.advance(MINUTE);
    const before = s.rows('Leads');
    const router = s.providers.router;
    s.gas.fetch = (req) => {
      const reply = router(req);
      if (req.method.toLowerCase() === 'post' && /\/Messages\.json$/.test(req.url)) sortNewestFirst(s, 'Leads', 'created_at');
      return reply;
    };
    s.metaLead({ fullName: 'Inès Petit', email: 'ines@example.fr', phone: '+33633333333' });
    const after = new Map(s.rows('Leads').map((l) => [l.id, l]));
    const ines = [...after.values()].find((l) => l.first_name === 'Inès')!;
    expect(ines).toMatchObject({ sms_sent: true });
    for (const lead of before) expect(after.get(lead.id)).toEqual(lead);
    expect(s.rows('Messages').find((m) => m.lead_id === ines.id)).toMatchObject({ status: 'sent' });
    expect(s.rows('Events').map((e) => e.status)).toEqual(['processed', 'processed', 'processed']);
  });

  test('the operator sorts Leads during the Stripe call of a third failed payment: the right client is rejected', () => {
    const s = new System();
    s.metaLead({ fullName: 'Camille Durand', email: 'camille@example.fr', phone: '+33611111111' });
    const client = s.rows('Leads')[0];
    const sub = s.providers.stripeSubscription({ customer: 'cus_Camille01', amount: 2900 });
    s.post('stripe', JSON.stringify(s.providers.stripeEvent(fixture('stripe/events/checkout.session.completed.json'), { object: { client_reference_id: client.id, customer: 'cus_Camille01', subscription: sub.id } })));
    for (const [i, name] of ['Louis Martin', 'Inès Petit', 'Paul Bernard'].entries()) {
      s.gas.clock.advance(MINUTE);
      s.metaLead({ fullName: name, email: `autre${i}@example.fr`, phone: `+3364444444${i}` });
    }
    const failed = (attempt: number) => {
      const base = fixture('stripe/events/invoice.payment_failed.json');
      const invoice = { ...base.data.object, customer: 'cus_Camille01', attempt_count: attempt, parent: { ...base.data.object.parent, subscription_details: { metadata: {}, subscription: sub.id } } };
      return s.providers.stripeEvent(base, { object: invoice });
    };
    s.post('stripe', JSON.stringify(failed(1)));
    s.post('stripe', JSON.stringify(failed(2)));
    const others = s.rows('Leads').filter((l) => l.id !== client.id);
    const router = s.providers.router;
    s.gas.fetch = (req) => {
      const reply = router(req);
      if (req.method.toLowerCase() === 'delete' && /\/v1\/subscriptions\//.test(req.url)) sortNewestFirst(s, 'Leads', 'created_at');
      return reply;
    };
    s.post('stripe', JSON.stringify(failed(3)));
    const after = new Map(s.rows('Leads').map((l) => [l.id, l]));
    expect(after.get(client.id)).toMatchObject({ status: 'rejected', payment_failures: 3 });
    expect(String(after.get(client.id)!.notes)).toMatch(/Service suspendu/);
    for (const lead of others) expect(after.get(lead.id)).toEqual(lead);
  });
});

describe('nothing depends on row order (item 8)', () => {
  test('Leads sorted newest first past 600 rows: the noon recount and the evening KPI still count today’s leads', () => {
    const monday9h = new Date('2026-11-23T08:00:00Z');
    const s = new System({ now: monday9h });
    const sheet = s.gas.spreadsheet.active.sheet('Leads');
    const header = sheet.values()[0] as string[];
    // A month at 20 a day, then 7 leads this morning (Monday before 9h in Paris).
    const rows: unknown[][] = [];
    for (let i = 0; i < 607; i++) {
      const at = i < 600 ? new Date(monday9h.getTime() - (31 * 86400000 - i * 72 * MINUTE)) : new Date(monday9h.getTime() - (607 - i) * 10 * MINUTE);
      const lead: Record<string, unknown> = { id: `lead_${at.getTime()}`, created_at: at, source: 'facebook', status: i < 600 ? 'contacted' : 'new', phone: `+33650${String(100000 + i)}`, sms_sent: true };
      rows.push(header.map((h) => lead[h] ?? ''));
    }
    sheet.seed(rows.reverse(), 2); // newest first, as the operator sorted it
    s.gas.clock.set(new Date('2026-11-23T11:00:00Z')); // 12h
    const noon = s.gas.runDetailed('routineNoon', [], { kind: 'trigger' });
    expect(noon.result).toMatchObject({ ok: true });
    const today = s.rows('Capacity').find((c) => (c.date as Date).getTime() === new Date('2026-11-22T23:00:00Z').getTime());
    expect(today?.current_leads).toBe(7);
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z')); // 18h
    s.gas.runDetailed('routineEvening', [], { kind: 'trigger' });
    const kpi = s.rows('KPI_Daily').find((k) => (k.date as Date).getTime() === new Date('2026-11-22T23:00:00Z').getTime());
    expect(kpi?.leads_received).toBe(7);
  });
});
