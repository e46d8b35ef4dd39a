/**
 * Telling the operator why events wait: one incident per cause (an expired Meta token, Stripe
 * down, MailApp's quota spent, a renamed column), never one per event, and never for a single
 * blip that the next retry absorbs. The caller holds the script lock.
 */
import { failedProvider, failureKind, needsOperatorNow } from '../domain/failures';
import type { Ctx } from './context';
import { openIncident } from './incidents';
import { FR } from '../ui/strings.fr';

/** A cause that fixes itself (an outage, a rate limit, a quota) is reported once it has lasted this long. */
export const REPORT_AFTER_MS = 3600000;

/**
 * An attempt failed with `error` for an event of `source`, failing since `since`: opens the
 * cause's incident when the cause will not fix itself (a token, the Sheet) or has lasted an hour.
 * A missing object is not a cause (the event is ignored). Never throws.
 */
export function noticeFailure(ctx: Ctx, source: string, error: string, since: Date | null): void {
  try {
    const kind = failureKind(error);
    if (kind === 'missing') return;
    const age = ctx.now().getTime() - (since?.getTime() ?? ctx.now().getTime());
    if (!needsOperatorNow(kind) && age < REPORT_AFTER_MS) return;
    const provider = failedProvider(error);
    const title = FR.incidents.withDetail(FR.incidents.cause(kind, provider, FR.incidents.waiting(source)), ctx.redact(error));
    openIncident(ctx, { type: 'provider_failure', severity: 'high', title, ref: `${provider || source}:${kind}` });
  } catch (e) {
    console.error(`noticeFailure: ${ctx.redact(e instanceof Error ? e.message : String(e))}`);
  }
}

/**
 * reconcile's own poll of a source failed (or succeeded: error null). The time of the first
 * failure is kept in Script Properties, so that a poll failing for an hour (or at once, for a
 * token) reaches the operator as one incident, not only the trigger's log.
 */
export function noticePollFailure(ctx: Ctx, source: string, error: string | undefined): void {
  const key = `POLL_FAILING_${source.toUpperCase()}`;
  const since = Number(ctx.settings.state(key)) || 0;
  if (!error) {
    if (since) ctx.settings.setState(key, '');
    return;
  }
  if (!since) ctx.settings.setState(key, String(ctx.now().getTime()));
  noticeFailure(ctx, source, error, new Date(since || ctx.now().getTime()));
}
