/**
 * Thin clients of the three provider APIs (SPEC §4). Each call returns a Result: the parsed,
 * schema-checked answer, or a short error for the journal (never the request's secrets).
 */
import type { Http, HttpResponse } from './http';
import { query } from './http';
import { type Result, fail, ok } from '../domain/result';
import {
  parseCharge,
  parseCustomer,
  parseEventList,
  parseInvoice,
  parseStripeEvent,
  parseSubscription,
  parseSubscriptionList,
  type StripeCharge,
  type StripeCustomer,
  type StripeEvent,
  type StripeInvoice,
  type StripeSubscription,
} from '../domain/stripe';
import { twilioError, parseMessageList, parseTwilioMessage, type TwilioMessage } from '../domain/twilio';
import { parseCampaign, parseCampaignPage, updateSucceeded, type Campaign, type ListedCampaign } from '../domain/campaigns';
import { eventsReceived, parseInsightsPage, type DailySpend } from '../domain/ads';

function httpError(provider: string, res: HttpResponse): string {
  if (res.status === 0) return `${provider}: ${res.text.slice(0, 200)}`;
  const err = (res.json as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  const message = err && typeof err.message === 'string' ? err.message : res.text.slice(0, 200);
  return `${provider} ${res.status}: ${message}`;
}

/**
 * A Graph error with its code and subcode (`graph 400: … [code 190/463]`): the code, not the HTTP
 * status, tells an expired token from a rate limit from a lead that does not exist (domain/failures.ts).
 */
function graphError(res: HttpResponse): string {
  const err = (res.json as { error?: { code?: unknown; error_subcode?: unknown } } | null)?.error;
  const code = typeof err?.code === 'number' ? `${err.code}${typeof err.error_subcode === 'number' ? `/${err.error_subcode}` : ''}` : '';
  return code ? `${httpError('graph', res)} [code ${code}]` : httpError('graph', res);
}

/** Stripe REST API, Bearer STRIPE_SECRET_KEY. */
export class StripeApi {
  constructor(
    private readonly http: Http,
    private readonly key: string,
  ) {}

  private call(method: 'get' | 'post' | 'delete', path: string, form?: Record<string, string>): Result<unknown> {
    if (!this.key) return fail('stripe: STRIPE_SECRET_KEY is not set');
    const res = this.http({ method, url: `https://api.stripe.com/v1/${path}`, headers: { Authorization: `Bearer ${this.key}` }, form });
    return res.status === 200 ? ok(res.json) : fail(httpError('stripe', res));
  }

  /** `GET /v1/events/{id}`. */
  event(id: string): Result<StripeEvent> {
    const res = this.call('get', `events/${encodeURIComponent(id)}`);
    return res.ok ? parseStripeEvent(res.value) : res;
  }

  /**
   * One page of `GET /v1/events` created at or after `since` (epoch s), newest first, of these
   * `types` only (`types[]`, at most 20), the page after `startingAfter` (older events).
   */
  events(since: number, types: readonly string[], startingAfter?: string): Result<{ events: StripeEvent[]; hasMore: boolean }> {
    const only = types.map((t) => `&${encodeURIComponent('types[]')}=${encodeURIComponent(t)}`).join('');
    const res = this.call('get', `events?${query({ 'created[gte]': since, limit: 100, starting_after: startingAfter })}${only}`);
    return res.ok ? parseEventList(res.value) : res;
  }

  /** `GET /v1/invoices/{id}`: the invoice as Stripe holds it now (a webhook's copy may be old). */
  invoice(id: string): Result<StripeInvoice> {
    const res = this.call('get', `invoices/${encodeURIComponent(id)}`);
    return res.ok ? parseInvoice(res.value) : res;
  }

  /** `GET /v1/customers/{id}`: the email Stripe holds for the customer (where billing emails go). */
  customer(id: string): Result<StripeCustomer> {
    const res = this.call('get', `customers/${encodeURIComponent(id)}`);
    return res.ok ? parseCustomer(res.value) : res;
  }

  /** `GET /v1/charges/{id}`: whose payment a dispute is about. */
  charge(id: string): Result<StripeCharge> {
    const res = this.call('get', `charges/${encodeURIComponent(id)}`);
    return res.ok ? parseCharge(res.value) : res;
  }

  /** `GET /v1/subscriptions/{id}`. */
  subscription(id: string): Result<StripeSubscription> {
    const res = this.call('get', `subscriptions/${encodeURIComponent(id)}`);
    return res.ok ? parseSubscription(res.value) : res;
  }

  /** The customer's subscriptions, newest first (`GET /v1/subscriptions?customer=…&status=all`). */
  subscriptionsOf(customerId: string): Result<StripeSubscription[]> {
    const res = this.call('get', `subscriptions?${query({ customer: customerId, status: 'all', limit: 20 })}`);
    return res.ok ? parseSubscriptionList(res.value) : res;
  }

  /**
   * Every active subscription (`GET /v1/subscriptions?status=active&limit=100`, following
   * `starting_after` while `has_more`), for the evening sync check. At most `maxPages` pages
   * (10,000 subscriptions by default): a longer list is an error rather than a partial answer.
   */
  activeSubscriptions(maxPages = 100): Result<StripeSubscription[]> {
    const all: StripeSubscription[] = [];
    let after: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const res = this.call('get', `subscriptions?${query({ status: 'active', limit: 100, starting_after: after })}`);
      if (!res.ok) return res;
      const list = parseSubscriptionList(res.value);
      if (!list.ok) return list;
      all.push(...list.value);
      const more = (res.value as { has_more?: unknown }).has_more === true;
      if (!more || list.value.length === 0) return ok(all);
      after = list.value[list.value.length - 1].id;
    }
    return fail('stripe: too many active subscriptions to list');
  }

  /** Suspends a subscription as Config says: cancel it, or pause its collection (invoices voided). */
  suspend(subscriptionId: string, how: 'cancel_subscription' | 'pause_collection'): Result<unknown> {
    const path = `subscriptions/${encodeURIComponent(subscriptionId)}`;
    return how === 'cancel_subscription' ? this.call('delete', path) : this.call('post', path, { 'pause_collection[behavior]': 'void' });
  }

  /** A customer portal session where the client updates their card (`POST /v1/billing_portal/sessions`). */
  portalUrl(customerId: string): Result<string> {
    const res = this.call('post', 'billing_portal/sessions', { customer: customerId });
    if (!res.ok) return res;
    const url = (res.value as { url?: unknown } | null)?.url;
    return typeof url === 'string' && url.startsWith('https://') ? ok(url) : fail('stripe: invalid portal session');
  }
}

/** Meta Graph API, the token in the Authorization header (never in a URL that an error could echo). */
export class GraphApi {
  constructor(
    private readonly http: Http,
    private readonly token: string,
    private readonly version: string,
  ) {}

  private call(method: 'get' | 'post', path: string, form?: Record<string, string>): Result<unknown> {
    if (!this.token) return fail('graph: FB_ACCESS_TOKEN is not set');
    const res = this.http({ method, url: `https://graph.facebook.com/${this.version}/${path}`, headers: { Authorization: `Bearer ${this.token}` }, form });
    return res.status === 200 ? ok(res.json) : fail(graphError(res));
  }

  /** `GET /{leadgen_id}`: the lead with its answers. */
  lead(leadgenId: string): Result<unknown> {
    return this.call('get', `${encodeURIComponent(leadgenId)}?${query({ fields: LEAD_FIELDS })}`);
  }

  /**
   * One page of `GET /{form_id}/leads` created after `since` and, with `before`, before it
   * (epoch s, both strict), newest first.
   */
  formLeads(formId: string, since: number, after?: string, before?: number): Result<unknown> {
    const filters = [{ field: 'time_created', operator: 'GREATER_THAN', value: since }];
    if (before !== undefined) filters.push({ field: 'time_created', operator: 'LESS_THAN', value: before });
    const filtering = JSON.stringify(filters);
    return this.call('get', `${encodeURIComponent(formId)}/leads?${query({ fields: LEAD_FIELDS, filtering, limit: 100, after })}`);
  }

  /**
   * The ids of a page's active lead forms (`GET /{page}/leadgen_forms?fields=id,status`, following
   * `paging.next` for at most 5 pages); `page` is a page id, or `me` with a Page access token.
   */
  leadForms(page: string): Result<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (let n = 0; n < 5; n++) {
      const res = this.call('get', `${encodeURIComponent(page)}/leadgen_forms?${query({ fields: 'id,status', limit: 100, after })}`);
      if (!res.ok) return res;
      const body = res.value as { data?: Array<{ id?: unknown; status?: unknown }>; paging?: { next?: unknown; cursors?: { after?: unknown } } } | null;
      if (!body || !Array.isArray(body.data)) return fail('graph: invalid leadgen_forms');
      for (const form of body.data) if (typeof form.id === 'string' && /^\d{1,25}$/.test(form.id) && (form.status ?? 'ACTIVE') === 'ACTIVE') ids.push(form.id);
      after = body.paging?.next && typeof body.paging.cursors?.after === 'string' ? body.paging.cursors.after : undefined;
      if (!after) break;
    }
    return ok(ids);
  }

  /** `GET /{campaign_id}?fields=name,effective_status`: the campaign's name and delivery status. */
  campaign(campaignId: string): Result<Campaign> {
    const res = this.call('get', `${encodeURIComponent(campaignId)}?${query({ fields: 'name,effective_status' })}`);
    return res.ok ? parseCampaign(res.value) : res;
  }

  /**
   * Every campaign of the ad account (`GET /act_{id}/campaigns?fields=id,name,status,effective_status`,
   * following `after` while Graph gives `next`), at most `maxPages` pages of 100.
   */
  adCampaigns(account: string, maxPages = 10): Result<ListedCampaign[]> {
    return this.allPages((after) => `${account}/campaigns?${query({ fields: 'id,name,status,effective_status', limit: 100, after })}`, (json) => {
      const page = parseCampaignPage(json);
      return page.ok ? ok({ items: page.value.campaigns, after: page.value.after }) : page;
    }, maxPages);
  }

  /** Every page of a Graph edge (`after` while Graph gives `next`), at most `maxPages`: a longer list is an error, not a partial answer. */
  private allPages<T>(path: (after?: string) => string, parse: (json: unknown) => Result<{ items: T[]; after: string | null }>, maxPages: number): Result<T[]> {
    const all: T[] = [];
    let after: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const res = this.call('get', path(after));
      if (!res.ok) return res;
      const parsed = parse(res.value);
      if (!parsed.ok) return parsed;
      all.push(...parsed.value.items);
      if (!parsed.value.after) return ok(all);
      after = parsed.value.after;
    }
    return fail('graph: too many pages to read');
  }

  /** The ad account's time zone (`GET /act_{id}?fields=timezone_name`): the days of its insights. */
  adAccountTimezone(account: string): Result<string> {
    const res = this.call('get', `${account}?${query({ fields: 'timezone_name' })}`);
    if (!res.ok) return res;
    const tz = (res.value as { timezone_name?: unknown } | null)?.timezone_name;
    return typeof tz === 'string' && /^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/.test(tz) ? ok(tz) : fail('graph: invalid ad account');
  }

  /**
   * Each campaign's spend and impressions per day from `since` to `until` (yyyy-MM-dd, days of the
   * ad account), `GET /act_{id}/insights?level=campaign&time_increment=1`, every page.
   */
  dailySpend(account: string, since: string, until: string, maxPages = 10): Result<DailySpend[]> {
    const fields = 'campaign_id,campaign_name,spend,impressions,date_start,date_stop';
    return this.allPages((after) => `${account}/insights?${query({ level: 'campaign', time_increment: 1, time_range: JSON.stringify({ since, until }), fields, limit: 500, after })}`, (json) => {
      const page = parseInsightsPage(json);
      return page.ok ? ok({ items: page.value.rows, after: page.value.after }) : page;
    }, maxPages);
  }

  /** `POST /{dataset_id}/events` (Conversions API) with the events as the `data` parameter. */
  sendEvents(datasetId: string, events: ReadonlyArray<Record<string, unknown>>): Result<true> {
    const res = this.call('post', `${encodeURIComponent(datasetId)}/events`, { data: JSON.stringify(events) });
    if (!res.ok) return res;
    return eventsReceived(res.value) ? ok(true) : fail('graph: events not received');
  }

  /** `POST /{campaign_id}` with `status=PAUSED|ACTIVE` (needs ads_management). */
  setCampaignStatus(campaignId: string, status: 'PAUSED' | 'ACTIVE'): Result<true> {
    const res = this.call('post', encodeURIComponent(campaignId), { status });
    if (!res.ok) return res;
    return updateSucceeded(res.value) ? ok(true) : fail('graph: status not changed');
  }
}

/** Twilio's own error text when the answer has its shape, else the HTTP status and body. */
function twilioFailure(res: HttpResponse): string {
  return twilioError(res.json) ?? httpError('twilio', res);
}

/** The Lead object's fields, with where it came from (same fetch: no extra call for the campaign). */
const LEAD_FIELDS = 'id,created_time,form_id,ad_id,campaign_id,campaign_name,field_data';

/** Twilio Messages API, Basic auth. */
export class TwilioApi {
  constructor(
    private readonly http: Http,
    private readonly sid: string,
    private readonly authToken: string,
    private readonly encode: (s: string) => string,
  ) {}

  private url(path: string): string {
    return `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(this.sid)}/${path}`;
  }

  private headers(): Record<string, string> {
    return { Authorization: `Basic ${this.encode(`${this.sid}:${this.authToken}`)}` };
  }

  /** `POST Messages.json`: sends one SMS; with `statusCallback`, Twilio posts its delivery statuses there. */
  send(to: string, from: string, body: string, statusCallback = ''): Result<TwilioMessage> {
    if (!this.sid || !this.authToken) return fail('twilio: TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set');
    const form: Record<string, string> = { To: to, From: from, Body: body };
    if (statusCallback) form.StatusCallback = statusCallback;
    const res = this.http({ method: 'post', url: this.url('Messages.json'), headers: this.headers(), form });
    if (res.status !== 200 && res.status !== 201) return fail(twilioFailure(res));
    return parseTwilioMessage(res.json);
  }

  /** Messages sent to a number since an instant (`GET Messages.json?To=…&DateSent>=…`), newest first. */
  sentTo(to: string, since: Date, pageSize = 20): Result<Array<{ sid: string; date_created: string }>> {
    if (!this.sid || !this.authToken) return fail('twilio: TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set');
    const day = since.toISOString().slice(0, 10);
    const res = this.http({ method: 'get', url: this.url(`Messages.json?${query({ To: to, 'DateSent>': day, PageSize: pageSize })}`), headers: this.headers() });
    if (res.status !== 200) return fail(twilioFailure(res));
    return parseMessageList(res.json);
  }

  /**
   * Messages received on our number since a day (`GET Messages.json?To=<our number>&DateSent>=…`),
   * newest first, up to 1,000 (one page): reconcile's catch-up of replies whose webhook was lost.
   */
  receivedOn(ourNumber: string, since: Date): Result<Array<{ sid: string; date_created: string }>> {
    return this.sentTo(ourNumber, since, 1000);
  }

  /** `GET Messages/{sid}.json`: the message as Twilio has it. */
  message(sid: string): Result<TwilioMessage> {
    if (!this.sid || !this.authToken) return fail('twilio: TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set');
    const res = this.http({ method: 'get', url: this.url(`Messages/${encodeURIComponent(sid)}.json`), headers: this.headers() });
    if (res.status !== 200) return fail(twilioFailure(res));
    return parseTwilioMessage(res.json);
  }
}
