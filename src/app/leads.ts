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

/** A new lead id, `lead_<epoch ms>` (SPEC §1), unique even when two leads share a millisecond. */
export function nextLeadId(ctx: Ctx): string {
  return ctx.stampedId('lead', 'LAST_LEAD_ID_MS');
}

/**
 * A new lead row, every column set: the given fields over the defaults of a new lead (a fresh id,
 * status new, no SMS, no Stripe, created and updated now).
 */
export function newLead(ctx: Ctx, fields: Partial<RowOf<typeof LEADS>>): RowOf<typeof LEADS> {
  const now = ctx.now();
  return {
    id: nextLeadId(ctx),
    created_at: now,
    source: '',
    fb_lead_id: '',
    status: 'new',
    first_name: '',
    last_name: '',
    phone: '',
    email: '',
    sms_sent: false,
    sms_sent_at: null,
    contacted_at: null,
    stripe_customer_id: '',
    stripe_subscription_id: '',
    conversion_date: null,
    mrr: 0,
    payment_failures: 0,
    notes: '',
    updated_at: now,
    ...fields,
  };
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
  const notes = [...draft.answers];
  if (!draft.phone.ok && draft.phone.raw) notes.push(FR.notes.phoneUnparsed(draft.phone.raw));
  const lead = newLead(ctx, {
    created_at: draft.createdAt,
    source: 'facebook',
    fb_lead_id: draft.fbLeadId,
    first_name: draft.firstName,
    last_name: draft.lastName,
    phone: draft.phone.ok ? draft.phone.e164 : draft.phone.raw,
    email: draft.email,
    notes: notes.join('\n'),
  });
  const row = ctx.table(LEADS).append([lead]);
  return { ...lead, _row: row };
}

/** A lead that a Stripe conversion created (no Meta lead yet) with this email, if any. */
export function findLeadMadeByStripe(ctx: Ctx, email: string): Lead | null {
  if (!email) return null;
  const leads = ctx.table(LEADS);
  for (const row of leads.findRows('email', email, false)) {
    const lead = leads.readRow(row);
    if (lead.source === 'stripe' && !lead.fb_lead_id) return lead;
  }
  return null;
}

/**
 * Completes a lead made by a conversion with its Meta lead: it becomes the Facebook lead it was
 * (leadgen id, names, phone, answers, creation time), keeping its conversion.
 */
export function attachMetaLead(ctx: Ctx, lead: Lead, draft: LeadDraft): Lead {
  const answers = [...draft.answers];
  if (!draft.phone.ok && draft.phone.raw) answers.push(FR.notes.phoneUnparsed(draft.phone.raw));
  const changes = {
    created_at: draft.createdAt,
    source: 'facebook',
    fb_lead_id: draft.fbLeadId,
    first_name: draft.firstName || lead.first_name,
    last_name: draft.lastName || lead.last_name,
    phone: draft.phone.ok ? draft.phone.e164 : lead.phone || draft.phone.raw,
    notes: [...answers, lead.notes].filter(Boolean).join('\n'),
    updated_at: ctx.now(),
  } satisfies Partial<RowOf<typeof LEADS>>;
  ctx.table(LEADS).update(lead._row, changes);
  return { ...lead, ...changes };
}

/** Appends a line to a lead's notes. */
export function addNote(ctx: Ctx, lead: Lead, line: string, changes: Partial<RowOf<typeof LEADS>> = {}): void {
  const notes = lead.notes ? `${lead.notes}\n${line}` : line;
  ctx.table(LEADS).update(lead._row, { ...changes, notes, updated_at: ctx.now() });
}
