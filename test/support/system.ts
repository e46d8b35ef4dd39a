/**
 * A whole Sirrius system for bundle tests: the in-memory Apps Script with the bundle, set up,
 * wired to the simulated providers, with helpers to deliver webhooks and read the tabs.
 */
import { AppsScript, FakeProviders, type WebResponse } from '../../emulator';
import { fixture } from '../../emulator/providers';
import { TEST_PROPERTIES, bundleSource, DIST, envSwitches } from './gas';
import type { PlatformSwitches } from '../../emulator';

export const TOKEN = TEST_PROPERTIES.WEBHOOK_TOKEN;
/** Monday 23 November 2026, 10:00 in Paris: inside the SMS window. */
export const MONDAY_10H = new Date('2026-11-23T09:00:00Z');

export class System {
  readonly gas: AppsScript;
  readonly providers: FakeProviders;

  constructor(opts: { now?: Date; properties?: Record<string, string>; setup?: boolean; advancedServices?: string[]; switches?: Partial<PlatformSwitches> } = {}) {
    this.providers = new FakeProviders(() => this.gas.clock.now());
    this.gas = new AppsScript({
      bundle: bundleSource(),
      htmlDir: DIST,
      now: opts.now ?? MONDAY_10H,
      properties: opts.properties ?? TEST_PROPERTIES,
      fetch: this.providers.router,
      switches: opts.switches ?? envSwitches(),
      // As the manifest says (the Sheets API) unless a test turns the advanced services off.
      ...(opts.advancedServices ? { advancedServices: opts.advancedServices } : {}),
    });
    if (opts.setup !== false) this.gas.run('setup');
  }

  /** POSTs a webhook body to the web app. */
  post(source: string, body: string, opts: { token?: string | null; contentType?: string; query?: Record<string, string> } = {}): WebResponse {
    const query: Record<string, string> = { source, ...(opts.query ?? {}) };
    const token = opts.token === undefined ? TOKEN : opts.token;
    if (token !== null) query.token = token;
    return this.gas.request({ method: 'POST', query, body, contentType: opts.contentType ?? 'application/json' });
  }

  /** GETs the web app. */
  get(query: Record<string, string>): WebResponse {
    return this.gas.request({ method: 'GET', query });
  }

  /** Creates a lead at Meta and delivers its webhook. */
  metaLead(input: Parameters<FakeProviders['metaLead']>[0] = {}, deliver = true) {
    const lead = this.providers.metaLead(input);
    const response = deliver ? this.post('facebook', JSON.stringify(lead.webhook)) : null;
    return { ...lead, response };
  }

  /** Replies to an SMS, as Twilio posts it (form-encoded). */
  reply(from: string, body: string) {
    const inbound = this.providers.inboundSms(from, body);
    const form = new URLSearchParams(inbound.params).toString();
    return { ...inbound, response: this.post('sms', form, { contentType: 'application/x-www-form-urlencoded' }) };
  }

  /**
   * Posts the status callbacks Twilio has due (form-encoded, to the URL each SMS asked for);
   * `lose`: drops them instead (a lost callback). Returns how many.
   */
  statusCallbacks(opts: { lose?: boolean } = {}): number {
    const due = this.providers.takeStatusCallbacks();
    if (opts.lose) return due.length;
    for (const c of due) {
      const url = new URL(c.url);
      const query = Object.fromEntries(url.searchParams);
      this.gas.request({ method: 'POST', query, body: new URLSearchParams(c.params).toString(), contentType: 'application/x-www-form-urlencoded' });
    }
    return due.length;
  }

  /** A tab as objects keyed by header (data rows only). */
  rows(tab: string): Array<Record<string, unknown>> {
    const [header, ...data] = this.gas.spreadsheet.active.sheet(tab).values() as unknown[][];
    return data.map((r) => Object.fromEntries((header as string[]).map((h, i) => [h, r[i]])));
  }

  /** Every formula in every tab. */
  formulas(): string[] {
    const ss = this.gas.spreadsheet.active;
    return ss.sheetNames().flatMap((n) => ss.sheet(n).formulas().flat().filter((f) => f !== '')) as string[];
  }

  /** Moves the clock and runs reconcile. */
  reconcile(advanceMs = 0) {
    this.gas.clock.advance(advanceMs);
    return this.gas.runDetailed('reconcile', [], { kind: 'trigger' });
  }
}

/** The JSON answer of the web app. */
export function json(res: WebResponse): any {
  expect(res.mimeType).toBe('application/json');
  return JSON.parse(res.content);
}

/** Sets a Config value in the tab, as an operator types it, and drops the cached Config, as onEdit does. */
export function setConfig(s: System, key: string, value: unknown): void {
  const sheet = s.gas.spreadsheet.active.sheet('Config');
  const row = (sheet.values() as unknown[][]).findIndex((r) => r[0] === key) + 1;
  expect(row).toBeGreaterThan(1);
  sheet.writeValue(row, 2, value);
  s.gas.cache.script.clear();
}

/** A Stripe checkout of `amount` cents a month for the lead of Leads' data row `index`, created at Stripe but not delivered: its subscription and event. */
export function checkoutEvent(s: System, index: number, customer: string, amount = 2900) {
  const lead = s.rows('Leads')[index];
  const sub = s.providers.stripeSubscription({ customer, amount });
  const base = fixture('stripe/events/checkout.session.completed.json');
  const event = s.providers.stripeEvent(base, {
    object: { client_reference_id: lead.id, customer, subscription: sub.id, customer_details: { ...base.data.object.customer_details, email: lead.email, phone: null } },
  });
  return { sub, event };
}

/** Converts the lead of Leads' data row `index` with a Stripe checkout of `amount` cents a month (its webhook delivered); returns the subscription. */
export function convert(s: System, index: number, customer: string, amount = 2900) {
  const { sub, event } = checkoutEvent(s, index, customer, amount);
  s.post('stripe', JSON.stringify(event));
  return sub;
}
