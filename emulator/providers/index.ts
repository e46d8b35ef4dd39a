/**
 * Simulated Stripe, Meta Graph and Twilio APIs behind UrlFetchApp, with state, built on the real
 * payloads of emulator/fixtures. Tests and the sandbox create leads, events and SMS replies here,
 * take a provider down for a while, and read the SMS outbox.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchReply, FetchRequest, FetchRouter } from '../runtime';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** A fixture file, parsed. */
export function fixture<T = any>(path: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as T;
}

/** A fixture's raw text (form-encoded Twilio bodies). */
export function fixtureText(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8').trim();
}

export type Provider = 'stripe' | 'graph' | 'twilio';
/** How a provider fails: an HTTP 503 answer, or a network error (UrlFetchApp throws). */
export type FailureMode = 'status' | 'network';

export interface SentSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  at: Date;
}

export interface Campaign {
  id: string;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED' | 'DELETED';
}

/** A campaign's figures for one day of the ad account, as insights report them. */
export interface DaySpend {
  campaignId: string;
  day: string;
  spend: number;
  impressions: number;
}

/** An event Meta's Conversions API received (`POST /{dataset_id}/events`), as posted. */
export interface CapiEvent {
  datasetId: string;
  event: any;
  at: Date;
}

/** How the simulated carriers answer: a share of SMS undelivered (deterministic), after a delay. */
export interface TwilioDelivery {
  /** 0..1: every so many messages ends `undelivered` with `errorCode`. */
  undeliveredShare: number;
  errorCode: number;
  /** From the create to the final status (the `sent` status comes after a second). */
  delayMs: number;
}

/** A status callback Twilio is to post (the test or the sandbox delivers it, or loses it). */
export interface StatusCallback {
  url: string;
  sid: string;
  params: Record<string, string>;
}

/** Options of a simulated Meta lead. */
export interface MetaLeadInput {
  fullName?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
  answers?: Record<string, string>;
  createdAt?: Date;
  formId?: string;
  /** The campaign the lead answered (the Lead object's campaign_id and campaign_name). */
  campaign?: { id: string; name: string };
}

/** The Twilio account of the test properties and the sandbox (AC + 32 hex). */
export const TWILIO_ACCOUNT = 'AC00000000000000000000000000000001';

export class FakeProviders {
  readonly stripeEvents = new Map<string, any>();
  readonly subscriptions = new Map<string, any>();
  /** Customers (`GET /v1/customers/{id}`): the email Stripe holds is where billing emails go. */
  readonly customers = new Map<string, any>();
  /**
   * Invoices and charges as Stripe holds them now: each event that carries one records its state,
   * so `GET /v1/invoices/{id}` answers the latest (a paid invoice stays paid when an older
   * `invoice.payment_failed` is redelivered). Tests may also set them directly.
   */
  readonly invoices = new Map<string, any>();
  readonly charges = new Map<string, any>();
  /** The query of each `GET /v1/events` (pages read, `types[]` asked). */
  readonly eventListings: URLSearchParams[] = [];
  /** Portal sessions created (`POST /v1/billing_portal/sessions`), by customer. */
  readonly portalSessions: string[] = [];
  readonly graphLeads = new Map<string, any>();
  readonly forms = new Map<string, string[]>();
  readonly campaigns = new Map<string, Campaign>();
  readonly sms: SentSms[] = [];
  /** Inbound and outbound messages as Twilio's API returns them, by sid. */
  readonly twilioMessages = new Map<string, any>();
  /** Numbers Twilio refuses (its own STOP list: error 21610). */
  readonly twilioBlocked = new Set<string>();
  /** The ad account (`act_…`) whose campaigns and insights Graph answers, and its time zone. */
  adAccount = { id: 'act_1184563209871245', timezone: 'Europe/Paris' };
  /** Spend per campaign and day of the ad account. */
  readonly spend: DaySpend[] = [];
  /** What the Conversions API received, in order. */
  readonly capiEvents: CapiEvent[] = [];
  /** How SMS end (see TwilioDelivery); per number, an outcome that wins over the share. */
  twilioDelivery: TwilioDelivery = { undeliveredShare: 0, errorCode: 30003, delayMs: 5000 };
  readonly twilioOutcomes = new Map<string, { status: 'delivered' | 'undelivered' | 'failed'; errorCode?: number }>();
  /** Status callbacks due, oldest first: `takeStatusCallbacks()` hands them over. */
  private readonly callbacks: Array<StatusCallback & { due: number }> = [];
  /** Outbound messages still moving (sid → when each status is due). */
  private readonly moving = new Map<string, { sentAt: number; finalAt: number; final: 'delivered' | 'undelivered' | 'failed'; errorCode: number | null; callback: string }>();
  private outbound = 0;
  /**
   * Graph's `LESS_THAN` filter on form leads' `time_created`: honoured (false, the default) or
   * ignored (true). Meta documents GREATER_THAN for this listing, not LESS_THAN.
   */
  graphIgnoresLessThan = false;
  /** Calls each provider will fail, and how (after `skip` calls that succeed). */
  private readonly outages: Partial<Record<Provider, { left: number; mode: FailureMode; skip: number }>> = {};
  /** One counter per kind of id, so that ids do not depend on how calls interleave (retries, faults). */
  private readonly seqs: Record<string, number> = {};

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** The UrlFetchApp router to give the emulator. */
  readonly router: FetchRouter = (req) => this.route(req);

  /**
   * Makes the next `times` calls to a provider fail (Infinity: until `restore`); `skip` calls
   * succeed first (e.g. page 2 of a listing failing: `fail('stripe', 1, 'status', 1)`).
   */
  fail(provider: Provider, times = 1, mode: FailureMode = 'status', skip = 0): void {
    this.outages[provider] = { left: times, mode, skip };
  }

  /** Ends an outage. */
  restore(provider: Provider): void {
    delete this.outages[provider];
  }

  // ---- builders -------------------------------------------------------------------------------

  /** A lead in a form (Graph), and the webhook body that announces it. */
  metaLead(input: MetaLeadInput = {}): { leadgenId: string; lead: any; webhook: any } {
    const n = this.next('lead');
    const leadgenId = String(2456789012345678n + BigInt(n * 7919));
    const formId = input.formId ?? '1187654321098765';
    const created = input.createdAt ?? new Date(this.now());
    const fields: Array<{ name: string; values: string[] }> = [];
    if (input.firstName !== undefined || input.lastName !== undefined) {
      fields.push({ name: 'first_name', values: [input.firstName ?? ''] }, { name: 'last_name', values: [input.lastName ?? ''] });
    } else fields.push({ name: 'full_name', values: [input.fullName ?? 'Camille Durand'] });
    // Each lead is a different person unless the test says otherwise (a second form from the same
    // phone or email is recorded on the first lead): the first keeps the fixture's contact details.
    fields.push({ name: 'email', values: [input.email ?? (n === 1 ? 'camille.durand@example.fr' : `camille.durand.${n}@example.fr`)] });
    fields.push({ name: 'phone_number', values: [input.phone ?? (n === 1 ? '+33612345678' : `+336${String(20000000 + n * 7)}`)] });
    for (const [k, v] of Object.entries(input.answers ?? { type_de_projet: 'rénovation_cuisine' })) fields.push({ name: k, values: [v] });
    const lead = {
      created_time: created.toISOString().replace(/\.\d{3}Z$/, '+0000'),
      id: leadgenId,
      ad_id: '120212345678901234',
      form_id: formId,
      ...(input.campaign ? { campaign_id: input.campaign.id, campaign_name: input.campaign.name } : {}),
      field_data: fields,
    };
    this.graphLeads.set(leadgenId, lead);
    this.forms.set(formId, [...(this.forms.get(formId) ?? []), leadgenId]);
    const webhook = fixture('meta/leadgen_webhook.json');
    const change = webhook.entry[0].changes[0];
    change.value.leadgen_id = leadgenId;
    change.value.form_id = formId;
    change.value.created_time = Math.floor(created.getTime() / 1000);
    webhook.entry[0].time = change.value.created_time + 2;
    return { leadgenId, lead, webhook };
  }

  /** A Stripe event (stored, so the API returns it), from a fixture or a type and object. */
  stripeEvent(base: any, overrides: { created?: Date; object?: Record<string, unknown> } = {}): any {
    const event = JSON.parse(JSON.stringify(base));
    event.id = `evt_${this.next('event').toString(36).padStart(6, '0')}Sim${Math.floor(this.now() / 1000).toString(36)}`;
    event.created = Math.floor((overrides.created?.getTime() ?? this.now()) / 1000);
    if (overrides.object) Object.assign(event.data.object, overrides.object);
    this.stripeEvents.set(event.id, event);
    const object = event.data.object;
    if (object.object === 'invoice' && typeof object.id === 'string') this.invoices.set(object.id, JSON.parse(JSON.stringify(object)));
    if (object.object === 'charge' && typeof object.id === 'string') this.charges.set(object.id, JSON.parse(JSON.stringify(object)));
    // A subscription event says what became of it (e.g. `customer.subscription.deleted`: canceled).
    const known = object.object === 'subscription' ? this.subscriptions.get(object.id) : null;
    if (known && typeof object.status === 'string') known.status = object.status;
    return event;
  }

  /** A customer (from the fixture) with the email Stripe holds for them. */
  stripeCustomer(opts: { id: string; email: string | null; name?: string; phone?: string | null }): any {
    const customer = { ...fixture('stripe/customer.json'), id: opts.id, email: opts.email, name: opts.name ?? null, phone: opts.phone ?? null, currency: 'eur' };
    this.customers.set(opts.id, customer);
    return customer;
  }

  /**
   * A charge (shaped like `GET /v1/charges/{id}`), e.g. for a refund or a dispute:
   * `stripeCharge({ customer: 'cus_x', amount: 2900, amountRefunded: 2900 })`.
   */
  stripeCharge(opts: { id?: string; customer: string; amount: number; amountRefunded?: number; invoice?: string | null; email?: string | null }): any {
    const refunded = opts.amountRefunded ?? 0;
    const charge = {
      id: opts.id ?? `ch_${this.next('charge').toString(36).padStart(6, '0')}Sim`,
      object: 'charge',
      amount: opts.amount,
      amount_captured: opts.amount,
      amount_refunded: refunded,
      billing_details: { address: null, email: opts.email ?? null, name: null, phone: null },
      captured: true,
      created: Math.floor(this.now() / 1000),
      currency: 'eur',
      customer: opts.customer,
      disputed: false,
      invoice: opts.invoice ?? null,
      livemode: false,
      paid: true,
      payment_intent: `pi_${this.next('pi').toString(36).padStart(6, '0')}Sim`,
      refunded: refunded >= opts.amount,
      status: 'succeeded',
    };
    this.charges.set(charge.id, charge);
    return charge;
  }

  /**
   * A subscription (from the fixture), e.g. 29 € a month: `stripeSubscription({ customer: 'cus_x', amount: 2900 })`.
   * Several items: pass `items: [{ amount, interval, quantity }]`.
   */
  stripeSubscription(opts: {
    id?: string;
    customer: string;
    /** The customer's email at Stripe, when the customer is new (none by default). */
    email?: string | null;
    status?: string;
    amount?: number;
    interval?: 'day' | 'week' | 'month' | 'year';
    items?: Array<{ amount: number; interval?: 'day' | 'week' | 'month' | 'year'; quantity?: number; intervalCount?: number }>;
  }): any {
    const sub = fixture('stripe/subscription.json');
    const template = sub.items.data[0];
    sub.id = opts.id ?? `sub_${this.next('sub').toString(36)}Sim`;
    sub.customer = opts.customer;
    sub.status = opts.status ?? 'active';
    const items = opts.items ?? [{ amount: opts.amount ?? 2900, interval: opts.interval ?? 'month' }];
    sub.items.data = items.map((i, n) => ({
      ...template,
      id: `si_${sub.id}_${n}`,
      quantity: i.quantity ?? 1,
      price: { ...template.price, currency: 'eur', unit_amount: i.amount, recurring: { ...template.price.recurring, interval: i.interval ?? 'month', interval_count: i.intervalCount ?? 1 } },
    }));
    this.subscriptions.set(sub.id, sub);
    if (!this.customers.has(opts.customer)) this.stripeCustomer({ id: opts.customer, email: opts.email ?? null });
    return sub;
  }

  /** An inbound SMS known to Twilio, and the form fields its webhook posts. */
  inboundSms(from: string, body: string): { sid: string; params: Record<string, string> } {
    const sid = this.sid('SM', 'in');
    const params = Object.fromEntries(new URLSearchParams(fixtureText('twilio/inbound_sms.form.txt')));
    Object.assign(params, { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, From: from, Body: body, AccountSid: TWILIO_ACCOUNT });
    const created = new Date(this.now()).toUTCString().replace('GMT', '+0000');
    this.twilioMessages.set(sid, { sid, from, to: params.To, body, direction: 'inbound', status: 'received', account_sid: TWILIO_ACCOUNT, date_created: created });
    return { sid, params };
  }

  /** A day's spend of a campaign (yyyy-MM-dd of the ad account). */
  adSpend(campaignId: string, day: string, spend: number, impressions = 1000): void {
    this.spend.push({ campaignId, day, spend, impressions });
  }

  /**
   * The status callbacks due now (the messages' statuses move as the clock does), removed from
   * the queue: post them to the web app, or drop them to simulate a lost callback.
   */
  takeStatusCallbacks(): StatusCallback[] {
    this.settleTwilio();
    return this.callbacks.splice(0).map(({ due: _due, ...c }) => c);
  }

  /** Whether a status callback is due (without taking it). */
  statusCallbacksDue(): boolean {
    this.settleTwilio();
    return this.callbacks.length > 0;
  }

  /** A campaign in Ads Manager. */
  campaign(id: string, name: string, status: Campaign['status'] = 'ACTIVE'): Campaign {
    const c = { id, name, status };
    this.campaigns.set(id, c);
    return c;
  }

  // ---- the router ---------------------------------------------------------------------------

  private route(request: FetchRequest): FetchReply {
    const req = { ...request, method: request.method.toLowerCase() };
    const url = new URL(req.url);
    const provider: Provider | null =
      url.host === 'api.stripe.com' ? 'stripe' : url.host === 'graph.facebook.com' ? 'graph' : url.host === 'api.twilio.com' ? 'twilio' : null;
    if (!provider) throw new Error(`DNS error: ${url.host}`);
    const outage = this.outages[provider];
    if (outage && outage.skip > 0) outage.skip--;
    else if (outage && outage.left > 0) {
      outage.left--;
      if (outage.mode === 'network') throw new Error(`Address unavailable: ${url.origin}`);
      return { status: 503, body: { error: { message: 'Service Unavailable (simulated)' } } };
    }
    if (provider === 'stripe') return this.stripe(req, url);
    if (provider === 'graph') return this.graph(req, url);
    return this.twilio(req, url);
  }

  private stripe(req: FetchRequest, url: URL): FetchReply {
    if (!/^Bearer (sk|rk)_(test|live)_\w+/.test(req.headers.Authorization ?? req.headers.authorization ?? '')) {
      return { status: 401, body: { error: { message: 'Invalid API Key provided', type: 'invalid_request_error' } } };
    }
    const path = url.pathname.replace(/^\/v1\//, '');
    const one = /^events\/([^/]+)$/.exec(path);
    if (req.method === 'get' && one) {
      const event = this.stripeEvents.get(decodeURIComponent(one[1]));
      return event
        ? { status: 200, body: event }
        : { status: 404, body: { error: { code: 'resource_missing', message: `No such event: '${one[1]}'`, type: 'invalid_request_error' } } };
    }
    const held = /^(customers|invoices|charges)\/([^/]+)$/.exec(path);
    if (req.method === 'get' && held) {
      const store = held[1] === 'customers' ? this.customers : held[1] === 'invoices' ? this.invoices : this.charges;
      const found = store.get(decodeURIComponent(held[2]));
      const noun = held[1].slice(0, -1);
      return found
        ? { status: 200, body: found }
        : { status: 404, body: { error: { code: 'resource_missing', message: `No such ${noun}: '${held[2]}'`, param: 'id', type: 'invalid_request_error' } } };
    }
    const sub = /^subscriptions\/([^/]+)$/.exec(path);
    if (sub) {
      const found = this.subscriptions.get(decodeURIComponent(sub[1]));
      if (!found) return { status: 404, body: { error: { code: 'resource_missing', message: `No such subscription: '${sub[1]}'`, type: 'invalid_request_error' } } };
      if (req.method === 'delete') found.status = 'canceled';
      if (req.method === 'post' && new URLSearchParams(req.payload).get('pause_collection[behavior]')) found.pause_collection = { behavior: 'void' };
      return { status: 200, body: found };
    }
    if (req.method === 'get' && path === 'subscriptions') {
      const customer = url.searchParams.get('customer');
      // Stripe's default (no status) lists every status but canceled; `all` lists them all.
      const status = url.searchParams.get('status');
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), 100);
      const after = url.searchParams.get('starting_after');
      let data = [...this.subscriptions.values()]
        .filter((x) => !customer || x.customer === customer)
        .filter((x) => (status === 'all' ? true : status ? x.status === status : x.status !== 'canceled'))
        .reverse();
      if (after) data = data.slice(data.findIndex((x) => x.id === after) + 1);
      return { status: 200, body: { object: 'list', data: data.slice(0, limit), has_more: data.length > limit, url: '/v1/subscriptions' } };
    }
    if (req.method === 'post' && path === 'billing_portal/sessions') {
      const customer = new URLSearchParams(req.payload).get('customer') ?? '';
      this.portalSessions.push(customer);
      return { status: 200, body: { object: 'billing_portal.session', customer, url: `https://billing.stripe.com/p/session/test_${customer}` } };
    }
    if (req.method === 'get' && path === 'events') {
      // Newest first (Stripe's order); `types[]` keeps only those types (Stripe accepts up to 20).
      this.eventListings.push(url.searchParams);
      const since = Number(url.searchParams.get('created[gte]') ?? 0);
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), 100);
      const after = url.searchParams.get('starting_after');
      const types = url.searchParams.getAll('types[]');
      if (types.length > 20) return { status: 400, body: { error: { message: 'types: too many values (at most 20)', param: 'types', type: 'invalid_request_error' } } };
      let all = [...this.stripeEvents.values()]
        .filter((e) => e.created >= since && (types.length === 0 || types.includes(e.type)))
        .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
      if (after) all = all.slice(all.findIndex((e) => e.id === after) + 1);
      return { status: 200, body: { object: 'list', data: all.slice(0, limit), has_more: all.length > limit, url: '/v1/events' } };
    }
    return { status: 404, body: { error: { message: `Unrecognized request URL (${req.method.toUpperCase()}: /v1/${path})`, type: 'invalid_request_error' } } };
  }

  private graph(req: FetchRequest, url: URL): FetchReply {
    if (!/^Bearer \S+/.test(req.headers.Authorization ?? '')) return { status: 400, body: fixture('meta/graph_error.json') };
    const parts = url.pathname.split('/').filter(Boolean); // [version, id, edge?]
    const [, id, edge] = parts;
    if (id === this.adAccount.id) return this.adAccountRoute(req, url, edge);
    if (req.method === 'post' && edge === 'events' && /^\d+$/.test(id)) {
      const data = JSON.parse(new URLSearchParams(req.payload).get('data') ?? '[]') as any[];
      if (!Array.isArray(data) || data.length === 0) return { status: 400, body: fixture('meta/capi_error.json') };
      for (const event of data) this.capiEvents.push({ datasetId: id, event, at: new Date(this.now()) });
      return { status: 200, body: { ...fixture<Record<string, unknown>>('meta/capi_events_response.json'), events_received: data.length } };
    }
    if (req.method === 'get' && edge === 'leads') {
      const filtering = JSON.parse(url.searchParams.get('filtering') ?? '[]') as Array<{ field: string; operator?: string; value: number }>;
      const since = filtering.find((f) => f.field === 'time_created' && f.operator !== 'LESS_THAN')?.value ?? 0;
      const before = (this.graphIgnoresLessThan ? undefined : filtering.find((f) => f.field === 'time_created' && f.operator === 'LESS_THAN')?.value) ?? Infinity;
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const offset = Number(url.searchParams.get('after') ?? 0);
      const leads = (this.forms.get(id) ?? [])
        .map((lid) => this.graphLeads.get(lid))
        .filter((l) => Date.parse(l.created_time.replace('+0000', 'Z')) / 1000 > since && Date.parse(l.created_time.replace('+0000', 'Z')) / 1000 < before)
        .reverse();
      const page = leads.slice(offset, offset + limit);
      const more = offset + limit < leads.length;
      return {
        status: 200,
        body: {
          data: page,
          paging: page.length ? { cursors: { before: String(offset), after: String(offset + page.length) }, ...(more ? { next: `${url.origin}${url.pathname}?after=${offset + page.length}` } : {}) } : undefined,
        },
      };
    }
    // The page's lead forms (`GET /{page_id}/leadgen_forms`, or `me` with a Page token): every form that has a lead here.
    if (req.method === 'get' && edge === 'leadgen_forms') {
      return { status: 200, body: { data: [...this.forms.keys()].map((formId) => ({ id: formId, name: `Formulaire ${formId}`, status: 'ACTIVE' })) } };
    }
    // The token's own user or page (the Configuration sidebar's connection test).
    if (req.method === 'get' && id === 'me' && !edge) return { status: 200, body: { id: '100000000000001', name: 'Sirrius (simulé)' } };
    if (req.method === 'get' && this.graphLeads.has(id)) return { status: 200, body: this.graphLeads.get(id) };
    const campaign = this.campaigns.get(id);
    if (campaign && req.method === 'get') return { status: 200, body: { name: campaign.name, effective_status: campaign.status, id } };
    if (campaign && req.method === 'post') {
      const status = new URLSearchParams(req.payload).get('status');
      if (status === 'PAUSED' || status === 'ACTIVE') campaign.status = status;
      return { status: 200, body: { success: true } };
    }
    const error = fixture('meta/graph_error.unsupported_get.json');
    return { status: 400, body: error };
  }

  /** `GET /act_{id}` (time zone), `/act_{id}/campaigns` and `/act_{id}/insights`, paged by an offset cursor. */
  private adAccountRoute(req: FetchRequest, url: URL, edge: string | undefined): FetchReply {
    if (req.method !== 'get') return { status: 400, body: fixture('meta/graph_error.unsupported_get.json') };
    const page = (items: any[], limit: number) => {
      const offset = Number(Buffer.from(url.searchParams.get('after') ?? '', 'base64').toString() || 0);
      const data = items.slice(offset, offset + limit);
      const after = Buffer.from(String(offset + data.length)).toString('base64');
      const more = offset + data.length < items.length;
      return { data, ...(data.length ? { paging: { cursors: { before: Buffer.from(String(offset)).toString('base64'), after }, ...(more ? { next: `${url.origin}${url.pathname}?after=${after}` } : {}) } } : {}) };
    };
    if (!edge) return { status: 200, body: { ...fixture<Record<string, unknown>>('meta/ad_account.json'), id: this.adAccount.id, timezone_name: this.adAccount.timezone } };
    if (edge === 'campaigns') {
      // Graph leaves archived and deleted campaigns out unless filtered for.
      const items = [...this.campaigns.values()].filter((c) => c.status !== 'ARCHIVED' && c.status !== 'DELETED').map((c) => ({ id: c.id, name: c.name, status: c.status, effective_status: c.status }));
      return { status: 200, body: page(items, Math.min(Number(url.searchParams.get('limit') ?? 25), 100)) };
    }
    if (edge === 'insights') {
      const range = JSON.parse(url.searchParams.get('time_range') ?? '{}') as { since?: string; until?: string };
      const rows = this.spend
        .filter((s) => (!range.since || s.day >= range.since) && (!range.until || s.day <= range.until))
        .map((s) => ({
          campaign_id: s.campaignId,
          campaign_name: this.campaigns.get(s.campaignId)?.name ?? '',
          spend: String(Math.round(s.spend * 100) / 100),
          impressions: String(s.impressions),
          date_start: s.day,
          date_stop: s.day,
        }));
      return { status: 200, body: page(rows, Math.min(Number(url.searchParams.get('limit') ?? 25), 500)) };
    }
    return { status: 400, body: fixture('meta/graph_error.unsupported_get.json') };
  }

  /**
   * Moves each outbound message along as the clock goes: `sent` a second after the create, then
   * its final status at `delayMs` with its error code and price; each step queues its callback.
   */
  private settleTwilio(): void {
    const now = this.now();
    for (const [sid, m] of this.moving) {
      const message = this.twilioMessages.get(sid);
      if (!message) continue;
      const stamp = (t: number) => new Date(t).toUTCString().replace('GMT', '+0000');
      if (message.status === 'queued' && now >= m.sentAt + 1000) {
        Object.assign(message, { status: 'sent', date_sent: stamp(m.sentAt + 1000), date_updated: stamp(m.sentAt + 1000) });
        this.queueCallback(m.callback, message, m.sentAt + 1000);
      }
      if (message.status === 'sent' && now >= m.finalAt) {
        const segments = Number(message.num_segments) || 1;
        Object.assign(message, {
          status: m.final,
          error_code: m.errorCode,
          date_updated: stamp(m.finalAt),
          price: (-0.079 * segments).toFixed(5),
          price_unit: 'USD',
        });
        this.queueCallback(m.callback, message, m.finalAt);
        this.moving.delete(sid);
      }
    }
  }

  private queueCallback(url: string, message: any, due: number): void {
    if (!url) return;
    const params: Record<string, string> = { SmsSid: message.sid, SmsStatus: message.status, MessageStatus: message.status, To: message.to, MessageSid: message.sid, AccountSid: message.account_sid, From: message.from ?? '', ApiVersion: '2010-04-01' };
    if (message.error_code !== null && message.error_code !== undefined) params.ErrorCode = String(message.error_code);
    this.callbacks.push({ url, sid: message.sid, params, due });
  }

  private twilio(req: FetchRequest, url: URL): FetchReply {
    this.settleTwilio();
    if (!(req.headers.Authorization ?? '').startsWith('Basic ')) return { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } };
    // The account itself (the Configuration sidebar's connection test).
    const account = /^\/2010-04-01\/Accounts\/(\w+)\.json$/.exec(url.pathname);
    if (req.method === 'get' && account) return { status: 200, body: { sid: account[1], friendly_name: 'Sirrius (simulé)', status: 'active', type: 'Full' } };
    const sent = /\/Messages\.json$/.test(url.pathname);
    const one = /\/Messages\/(\w+)\.json$/.exec(url.pathname);
    if (req.method === 'post' && sent) {
      const form = new URLSearchParams(req.payload);
      const to = form.get('To') ?? '';
      if (!/^\+\d{8,15}$/.test(to)) return { status: 400, body: { ...fixture<Record<string, unknown>>('twilio/error_21211.json'), message: `Invalid 'To' Phone Number: ${to.slice(0, 8)}XXXX` } };
      if (this.twilioBlocked.has(to)) return { status: 400, body: fixture('twilio/error_21610.json') };
      const sid = this.sid('SM');
      const body = form.get('Body') ?? '';
      const created = new Date(this.now()).toUTCString().replace('GMT', '+0000');
      const segments = body.length <= 160 ? 1 : Math.ceil(body.length / 153);
      const message = { ...fixture<Record<string, unknown>>('twilio/message_create.201.json'), sid, to, from: form.get('From'), body, status: 'queued', date_created: created, date_updated: created, num_segments: String(segments), account_sid: TWILIO_ACCOUNT };
      this.sms.push({ sid, to, from: form.get('From') ?? '', body, at: new Date(this.now()) });
      this.twilioMessages.set(sid, { ...message, direction: 'outbound-api' });
      // Where it ends: the number's own outcome, else every so many undelivered (the configured share).
      const n = this.outbound++;
      const share = this.twilioDelivery.undeliveredShare;
      const unlucky = share > 0 && Math.floor((n + 1) * share) > Math.floor(n * share);
      const outcome = this.twilioOutcomes.get(to) ?? (unlucky ? { status: 'undelivered' as const, errorCode: this.twilioDelivery.errorCode } : { status: 'delivered' as const });
      this.moving.set(sid, { sentAt: this.now(), finalAt: this.now() + Math.max(1000, this.twilioDelivery.delayMs), final: outcome.status, errorCode: outcome.errorCode ?? null, callback: form.get('StatusCallback') ?? '' });
      return { status: 201, body: message };
    }
    if (req.method === 'get' && sent) {
      const to = url.searchParams.get('To');
      const since = url.searchParams.get('DateSent>') ?? '';
      const messages = [...this.twilioMessages.values()]
        .filter((m) => (!to || m.to === to) && new Date(m.date_created).toISOString().slice(0, 10) >= since)
        .reverse();
      const pageSize = Math.min(1000, Number(url.searchParams.get('PageSize')) || 50);
      return { status: 200, body: { messages: messages.slice(0, pageSize), page: 0, page_size: pageSize } };
    }
    if (req.method === 'get' && one) {
      const message = this.twilioMessages.get(one[1]);
      return message
        ? { status: 200, body: message }
        : { status: 404, body: { code: 20404, message: `The requested resource /Messages/${one[1]}.json was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 } };
    }
    return { status: 404, body: { code: 20404, message: 'not found', status: 404 } };
  }

  private next(kind: string): number {
    this.seqs[kind] = (this.seqs[kind] ?? 0) + 1;
    return this.seqs[kind];
  }

  /** A Twilio sid; inbound and outbound messages count apart (the first hex digit tells them apart). */
  private sid(prefix: string, direction: 'in' | 'out' = 'out'): string {
    return prefix + (direction === 'in' ? '1' : '0') + this.next(`${prefix}-${direction}`).toString(16).padStart(31, '0');
  }
}
