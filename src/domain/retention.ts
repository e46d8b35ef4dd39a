/**
 * GDPR retention, the pure part (CNIL référentiel « gestion des activités commerciales »): a
 * prospect is kept `prospect_retention_months` after their last own action, a former client
 * `client_retention_months` after the end of their subscription; a live client is kept.
 * No Apps Script globals here.
 */
import type { Config } from './config';

/** The lead fields retention reads (a live row, or an archived one read by header name). */
export interface RetentionLead {
  status: unknown;
  created_at: unknown;
  updated_at: unknown;
  conversion_date: unknown;
  stripe_subscription_id: unknown;
  mrr: unknown;
  notes: unknown;
}

/**
 * The dates our own notes give to the lead's actions: a reply (`SMS reçu le 23/11/2026 10:00`) and
 * an opt-out (`STOP SMS - date: 23/11/2026 10:00`, a STOP, the link, or the operator on their
 * request). Notes are Paris wall-clock; a day's precision is all retention needs (taken as UTC noon).
 */
const ACTION_DATES = /(?:SMS reçu le|STOP SMS - date:) (\d{2})\/(\d{2})\/(\d{4})/g;

/**
 * A lead's last own action: the form (created_at), a reply or an opt-out (their notes), a payment
 * (conversion_date). An email or SMS we sent is not one, nor an operator's edit (updated_at).
 */
export function lastOwnAction(lead: RetentionLead): Date | null {
  const times: number[] = [];
  for (const v of [lead.created_at, lead.conversion_date]) {
    const d = asDate(v);
    if (d) times.push(d.getTime());
  }
  for (const m of String(lead.notes ?? '').matchAll(ACTION_DATES)) {
    const t = Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), 12);
    if (Number.isFinite(t)) times.push(t);
  }
  return times.length ? new Date(Math.max(...times)) : null;
}

/** Whether the lead was ever a paying client (converted, or a Stripe subscription on it). */
function wasClient(lead: RetentionLead): boolean {
  return String(lead.status ?? '').trim() === 'converted' || String(lead.stripe_subscription_id ?? '').trim() !== '';
}

/** `months` before `now` (a nonsense setting, 0 or negative or not a number, deletes nothing). */
function monthsBefore(now: Date, months: number): Date | null {
  if (!Number.isFinite(months) || months <= 0) return null;
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - Math.floor(months));
  return d;
}

/**
 * Whether a lead is past its retention and must be deleted. A live client (MRR above 0) never is.
 * A former client is dated by the end of their subscription: the lead's updated_at when its MRR
 * went to 0 (a later edit only keeps it longer), or their last own action if later.
 */
export function pastRetention(lead: RetentionLead, config: Pick<Config, 'prospect_retention_months' | 'client_retention_months'>, now: Date): boolean {
  const last = lastOwnAction(lead);
  if (wasClient(lead)) {
    if (Number(lead.mrr) > 0) return false;
    const cutoff = monthsBefore(now, config.client_retention_months);
    const ended = [asDate(lead.updated_at), last].filter((d): d is Date => d !== null).map((d) => d.getTime());
    return cutoff !== null && ended.length > 0 && Math.max(...ended) < cutoff.getTime();
  }
  const cutoff = monthsBefore(now, config.prospect_retention_months);
  return cutoff !== null && last !== null && last.getTime() < cutoff.getTime();
}

/** The oldest creation date a lead past retention can have: rows created after it need not be read. */
export function retentionHorizon(config: Pick<Config, 'prospect_retention_months' | 'client_retention_months'>, now: Date): Date | null {
  const dates = [monthsBefore(now, config.prospect_retention_months), monthsBefore(now, config.client_retention_months)].filter((d): d is Date => d !== null);
  return dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null;
}

function asDate(v: unknown): Date | null {
  if (Object.prototype.toString.call(v) !== '[object Date]') return null;
  const d = v as Date;
  return isNaN(d.getTime()) ? null : d;
}
