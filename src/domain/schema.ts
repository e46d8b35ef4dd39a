/**
 * The tabs of the Sheet and their columns (SPEC §1): the one place where header names live.
 * Code reads and writes columns by these names, never by position, because an operator may
 * reorder columns or add their own.
 */

/** How a column's values are typed, written and formatted. */
/** `optional`: a number or empty (a cost with nothing to divide by, a median of no value). */
export type ColumnKind = 'text' | 'date' | 'day' | 'bool' | 'number' | 'optional' | 'any';

/** One column of a tab. */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** One tab: its name and its columns in SPEC order (the order of a fresh setup). */
export interface TabSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /**
   * The adjacent columns that identify a row: before writing to a row read before an outbound
   * call, the table layer checks that the row still holds them (an operator may have sorted).
   */
  readonly key?: readonly string[];
}

const column =
  <K extends ColumnKind>(kind: K) =>
  <N extends string>(name: N) => ({ name, kind }) as const;
const text = column('text');
const date = column('date');
const day = column('day');
const bool = column('bool');
const num = column('number');
const opt = column('optional');

export const LEADS = {
  name: 'Leads',
  columns: [
    text('id'), date('created_at'), text('source'), text('fb_lead_id'), text('status'),
    text('first_name'), text('last_name'), text('phone'), text('email'),
    bool('sms_sent'), date('sms_sent_at'), date('contacted_at'),
    text('stripe_customer_id'), text('stripe_subscription_id'), date('conversion_date'),
    num('mrr'), num('payment_failures'), text('notes'), date('updated_at'),
    text('sms_status'), text('campaign_id'), text('campaign_name'), text('ad_id'), text('form_id'),
  ],
  key: ['id'],
} as const satisfies TabSpec;

export const CAPACITY = {
  name: 'Capacity',
  columns: [
    day('date'), num('max_leads'), num('current_leads'), num('remaining_capacity'),
    num('usage_pct'), text('status'), date('updated_at'),
    // Beyond SPEC §1: the day's capacity steps already taken, so that each runs once a day.
    date('alerted_at'), date('ads_paused_at'), text('overflow_incident'),
  ],
} as const satisfies TabSpec;

export const ADS_CONTROL = {
  name: 'Ads_Control',
  columns: [
    text('campaign_id'), text('campaign_name'), bool('ads_paused'), text('effective_status'),
    date('paused_at'), text('paused_reason'), date('last_sync'),
    // Beyond SPEC §1: who paused (only capacity pauses resume the next day), the last Graph error.
    text('paused_by'), text('last_error'),
  ],
} as const satisfies TabSpec;

export const INCIDENTS = {
  name: 'Incidents',
  columns: [
    text('id'), date('created_at'), text('type'), text('severity'), text('status'),
    text('title'), text('ref'), text('resolution'), date('resolved_at'),
  ],
} as const satisfies TabSpec;

export const KPI_DAILY = {
  name: 'KPI_Daily',
  columns: [
    day('date'), num('leads_received'), num('sms_sent'), num('leads_contacted'), num('leads_converted'),
    num('conversion_rate'), num('mrr_added'), num('opt_outs'), num('payments_failed'),
    num('incidents_opened'), num('capacity_used_pct'),
    num('sms_delivered'), opt('median_minutes_to_contact'), num('ad_spend'), opt('cost_per_lead'), opt('cost_per_conversion'),
  ],
} as const satisfies TabSpec;

export const ADS_DAILY = {
  name: 'Ads_Daily',
  columns: [
    day('date'), text('campaign_id'), text('campaign_name'), num('spend'), num('impressions'),
    num('leads'), num('conversions'), num('mrr_added'), opt('cost_per_lead'), opt('cost_per_conversion'),
  ],
} as const satisfies TabSpec;

export const EVENTS = {
  name: 'Events',
  columns: [
    date('received_at'), text('source'), text('event_id'), text('type'), text('status'),
    num('attempts'), text('last_error'), date('processed_at'), text('payload'),
  ],
  key: ['source', 'event_id'],
} as const satisfies TabSpec;

export const OPT_OUTS = {
  name: 'Opt_Outs',
  columns: [text('phone'), date('opted_out_at'), text('reason'), text('source')],
} as const satisfies TabSpec;

export const MESSAGES = {
  name: 'Messages',
  columns: [
    date('sent_at'), text('channel'), text('to'), text('lead_id'), text('template'),
    text('status'), text('provider_id'), text('error'),
    // Beyond SPEC §1 ("more may follow"): the retry bookkeeping of reconcile; what Twilio charged
    // once the SMS is final (`price`, positive, in `price_unit`); when the row was written
    // (`queued_at`: an SMS waiting for the sending window has it and no `sent_at` yet, which is
    // only the time of the last attempt handed to the provider).
    num('attempts'), date('next_attempt_at'), opt('price'), text('price_unit'), date('queued_at'),
  ],
  key: ['lead_id', 'template'],
} as const satisfies TabSpec;

export const CONFIG = {
  name: 'Config',
  columns: [text('key'), column('any')('value'), text('description')],
} as const satisfies TabSpec;

/** Every tab, in the order setup() creates them. */
export const TABS: readonly TabSpec[] = [LEADS, CAPACITY, ADS_CONTROL, INCIDENTS, KPI_DAILY, ADS_DAILY, EVENTS, OPT_OUTS, MESSAGES, CONFIG];

/** The header names of a tab, as a union type. */
export type ColumnName<T extends TabSpec> = T['columns'][number]['name'];

/** The TypeScript type of a column kind, as the table layer reads it. */
export type ValueOf<K extends ColumnKind> = K extends 'text'
  ? string
  : K extends 'optional'
    ? number | null
  : K extends 'date' | 'day'
    ? Date | null
    : K extends 'bool'
      ? boolean
      : K extends 'number'
        ? number
        : unknown;

/** A row of a tab as the table layer reads it: every known column by name (an operator's own columns are not read). */
export type RowOf<T extends TabSpec> = { -readonly [C in T['columns'][number] as C['name']]: ValueOf<C['kind']> };

/** Values of the status-like columns (SPEC §1). */
export const LEAD_STATUSES = ['new', 'contacted', 'converted', 'rejected', 'opted_out'] as const;
export const LEAD_SOURCES = ['facebook', 'manual', 'stripe'] as const;
export const CAPACITY_STATUSES = ['open', 'warning', 'full'] as const;
export const INCIDENT_SEVERITIES = ['high', 'medium', 'low'] as const;
export const INCIDENT_STATUSES = ['open', 'investigating', 'resolved'] as const;
export const EVENT_SOURCES = ['stripe', 'facebook', 'sms'] as const;
export const EVENT_STATUSES = ['received', 'processed', 'duplicate', 'failed', 'ignored'] as const;
/**
 * Messages.status: an SMS is queued (waits for the SMS window), sending (outcome unknown yet), sent,
 * failed (retried by reconcile), abandoned or skipped; once sent it follows Twilio's delivery status
 * (delivered, undelivered; failed with Twilio's error code). An email is sent or error (retried with
 * its event). A lead stage to Meta (channel `meta`) is sending, sent, failed or skipped.
 */
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'abandoned', 'skipped', 'error'] as const;
/** Leads.sms_status (SPEC §1). */
export const SMS_STATUSES = ['queued', 'sent', 'delivered', 'undelivered', 'failed', 'blocked'] as const;

/** Number format of each column kind ('@' is plain text: ids and phones stay text when a person types them). */
export const NUMBER_FORMATS: Record<ColumnKind, string | null> = {
  text: '@',
  date: 'dd/MM/yyyy HH:mm:ss',
  day: 'dd/MM/yyyy',
  bool: null,
  number: null,
  optional: null,
  any: null,
};
