/**
 * Leads from Meta: one row per leadgen id, with an id `lead_<epoch ms>` unique across executions.
 * The caller holds the script lock.
 */
import { LEADS, type RowOf } from '../domain/schema';
import type { LeadDraft } from '../domain/meta';
import type { Stored } from '../adapters/sheets';
import type { Ctx } from './context';
import { FR } from '../ui/strings.fr';

export type Lead = Stored<typeof LEADS>;

const LAST_LEAD_MS = 'LAST_LEAD_ID_MS';

/**
 * A new lead id: `lead_<epoch ms>`, one more than the last issued when two leads share a
 * millisecond (kept in Script Properties, so no Sheets call is needed to stay unique).
 */
export function nextLeadId(ctx: Ctx): string {
  const last = Number(ctx.settings.state(LAST_LEAD_MS)) || 0;
  const ms = Math.max(ctx.now().getTime(), last + 1);
  ctx.settings.setState(LAST_LEAD_MS, String(ms));
  return `lead_${ms}`;
}

/** The lead of a leadgen id, if recorded. */
export function findLeadByFbId(ctx: Ctx, fbLeadId: string): Lead | null {
  return ctx.table(LEADS).find('fb_lead_id', fbLeadId);
}

/** The lead of an id, if any. */
export function findLead(ctx: Ctx, id: string): Lead | null {
  return ctx.table(LEADS).find('id', id);
}

/** Records a Meta lead (status new, sms_sent FALSE). */
export function createMetaLead(ctx: Ctx, draft: LeadDraft): Lead {
  const now = ctx.now();
  const notes = [...draft.answers];
  if (!draft.phone.ok && draft.phone.raw) notes.push(FR.notes.phoneUnparsed(draft.phone.raw));
  const lead: RowOf<typeof LEADS> = {
    id: nextLeadId(ctx),
    created_at: draft.createdAt,
    source: 'facebook',
    fb_lead_id: draft.fbLeadId,
    status: 'new',
    first_name: draft.firstName,
    last_name: draft.lastName,
    phone: draft.phone.ok ? draft.phone.e164 : draft.phone.raw,
    email: draft.email,
    sms_sent: false,
    sms_sent_at: null,
    contacted_at: null,
    stripe_customer_id: '',
    stripe_subscription_id: '',
    conversion_date: null,
    mrr: 0,
    payment_failures: 0,
    notes: notes.join('\n'),
    updated_at: now,
  };
  const row = ctx.table(LEADS).append([lead]);
  return { ...lead, _row: row };
}

/** Appends a line to a lead's notes. */
export function addNote(ctx: Ctx, lead: Lead, line: string, changes: Partial<RowOf<typeof LEADS>> = {}): void {
  const notes = lead.notes ? `${lead.notes}\n${line}` : line;
  ctx.table(LEADS).update(lead._row, { ...changes, notes, updated_at: ctx.now() });
}
