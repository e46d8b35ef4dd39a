/**
 * A small world of provider events for the reliability properties: a few leads, their Stripe
 * checkouts and invoices, their SMS replies and the operator's opt-outs. Each event is made at
 * the provider the first time it occurs (so reconcile can only find events that happened), and
 * delivered again on each repetition. The clock moves only when a new event happens, so that two
 * runs with the same first occurrences see the same times and ids.
 */
import { fixture } from '../../emulator/providers';
import { System } from '../support/system';

export const LEADS = [
  { name: 'Camille Durand', phone: '+33612345678', national: '06 12 34 56 78', email: 'camille.durand@example.fr' },
  { name: 'Julien Martin', phone: '+33698765432', national: '0698765432', email: 'julien.martin@example.fr' },
  { name: 'Léa Bernard', phone: '+33611223344', national: '06.11.22.33.44', email: 'lea.bernard@example.fr' },
];

const customer = (i: number) => `cus_Lead0000${i}`;
const subscription = (i: number) => `sub_Lead0000${i}`;

/** Every event of the world, by key. */
export const EVENT_KEYS: string[] = LEADS.flatMap((_, i) => [
  `lead:${i}`,
  `checkout:${i}`,
  `failed:${i}:1`,
  `failed:${i}:2`,
  `failed:${i}:3`,
  `paid:${i}`,
  `deleted:${i}`,
  `stop:${i}`,
  `reply:${i}`,
  `optout:${i}`,
]);

/** A System with the world's subscriptions known to the fake Stripe. */
export function newWorld(): System {
  const s = new System();
  LEADS.forEach((_, i) => s.providers.stripeSubscription({ id: subscription(i), customer: customer(i), amount: 1900 + 1000 * i }));
  return s;
}

/** Makes the event at its provider and returns how to deliver it (again). */
export function makeEvent(s: System, key: string): () => unknown {
  const [kind, index, attempt] = key.split(':');
  const i = Number(index);
  const lead = LEADS[i];
  switch (kind) {
    case 'lead': {
      const { webhook } = s.providers.metaLead({ fullName: lead.name, phone: lead.national, email: lead.email });
      return () => s.post('facebook', JSON.stringify(webhook));
    }
    case 'checkout': {
      const base = fixture('stripe/events/checkout.session.completed.json');
      const event = s.providers.stripeEvent(base, {
        object: { client_reference_id: null, customer: customer(i), subscription: subscription(i), customer_details: { ...base.data.object.customer_details, email: lead.email, name: lead.name, phone: null } },
      });
      return () => s.post('stripe', JSON.stringify(event));
    }
    case 'failed': {
      const base = fixture('stripe/events/invoice.payment_failed.json');
      const invoice = { ...base.data.object, id: `in_Lead${i}Try${attempt}`, customer: customer(i), attempt_count: Number(attempt), parent: { ...base.data.object.parent, subscription_details: { metadata: {}, subscription: subscription(i) } } };
      const event = s.providers.stripeEvent(base, { object: invoice });
      return () => s.post('stripe', JSON.stringify(event));
    }
    case 'paid': {
      const event = s.providers.stripeEvent(fixture('stripe/events/invoice.paid.json'), { object: { customer: customer(i) } });
      return () => s.post('stripe', JSON.stringify(event));
    }
    case 'deleted': {
      const event = s.providers.stripeEvent(fixture('stripe/events/customer.subscription.deleted.json'), { object: { customer: customer(i), id: subscription(i) } });
      return () => s.post('stripe', JSON.stringify(event));
    }
    case 'stop':
    case 'reply': {
      const inbound = s.providers.inboundSms(lead.phone, kind === 'stop' ? 'Stop' : 'Oui, rappelez-moi demain');
      const form = new URLSearchParams(inbound.params).toString();
      return () => s.post('sms', form, { contentType: 'application/x-www-form-urlencoded' });
    }
    case 'optout':
      // The operator's two steps: the preview, then the confirmation with the number it shows.
      return () => {
        const preview = s.gas.run('optOutLead', [lead.national, 'demande par téléphone', '']) as { confirm?: string };
        return s.gas.run('optOutLead', [lead.national, 'demande par téléphone', preview.confirm]);
      };
    default:
      throw new Error(`unknown event ${key}`);
  }
}

/** What a run did: the tabs, and everything that left the system. */
export interface Outcome {
  tabs: Record<string, unknown[][]>;
  sms: Array<{ to: string; body: string; at: number }>;
  mails: Array<{ to: string; subject: string }>;
  graphPosts: string[];
}

/** Plays a sequence: `reconcile` runs reconcile, any other key makes or redelivers an event. */
export function play(sequence: readonly string[], s: System = newWorld()): Outcome {
  const made = new Map<string, () => unknown>();
  for (const key of sequence) {
    if (key === 'reconcile') {
      s.reconcile(0);
      continue;
    }
    let deliver = made.get(key);
    if (!deliver) {
      s.gas.clock.advance(60000);
      deliver = makeEvent(s, key);
      made.set(key, deliver);
    }
    deliver();
  }
  return outcome(s);
}

export function outcome(s: System): Outcome {
  const ss = s.gas.spreadsheet.active;
  return {
    tabs: Object.fromEntries(ss.sheetNames().map((n) => [n, ss.sheet(n).values()])),
    sms: s.providers.sms.map((m) => ({ to: m.to, body: m.body, at: m.at.getTime() })),
    mails: s.gas.mail.outbox.map((m) => ({ to: String(m.to), subject: m.subject })),
    graphPosts: s.gas.fetchLog.filter((r) => r.method.toLowerCase() === 'post' && r.url.includes('graph.facebook.com')).map((r) => `${r.url} ${r.payload}`),
  };
}

/** The sequence delivered once each, in the order of first occurrence, without reconcile runs. */
export function firstOccurrences(sequence: readonly string[]): string[] {
  return [...new Set(sequence.filter((k) => k !== 'reconcile'))];
}

/**
 * The tabs without what legitimately differs between runs: the columns that count deliveries
 * (Events.attempts), and the Dashboard, a summary of the other tabs that reconcile rewrites when
 * they changed (so it depends on when reconcile ran, not on what was delivered).
 */
export function withoutAttempts(all: Record<string, unknown[][]>): Record<string, unknown[][]> {
  const { Dashboard: _derived, ...tabs } = all;
  const events = tabs.Events;
  if (!events) return tabs;
  const col = (events[0] as string[]).indexOf('attempts');
  return { ...tabs, Events: events.map((row) => row.filter((_, c) => c !== col)) };
}
