/**
 * Leads from Meta: one row per leadgen id, with an id `lead_<epoch ms>` unique across executions.
 * The caller holds the script lock.
 */
import { LEADS, type RowOf } from '../domain/schema';
import { emailKey } from '../domain/input';
import type { LeadDraft } from '../domain/meta';
import { parseJson } from '../domain/result';
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
    sms_status: '',
    campaign_id: '',
    campaign_name: '',
    ad_id: '',
    form_id: '',
    ...fields,
  };
}

/**
 * The leads holding this leadgen id, or this person's phone or email (exact, emails lower-case):
 * one TextFinder over the columns fb_lead_id to email, then one read of what it found. A new Meta
 * lead costs the same one call as the leadgen-id guard alone.
 */
export function findLeadsFor(ctx: Ctx, fbLeadId: string, phone: string, email: string): Lead[] {
  const keys = [fbLeadId, phone, email].filter((k) => k !== '').map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (keys.length === 0) return [];
  const leads = ctx.table(LEADS);
  const rows = leads.matchRows(['fb_lead_id', 'phone', 'email'], `^(${keys.join('|')})$`);
  return rows.length ? leads.readRowsAt(rows) : [];
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
    ...draft.origin,
  });
  const row = ctx.table(LEADS).append([lead]);
  return { ...lead, _row: row };
}

/**
 * Leads a conversion created before their Meta lead (a client who paid first), listed in Script
 * Properties by a digest of their email: a Meta lead searches Leads by email only when its email is
 * listed, so that the usual lead costs no search. Graph keeps a lead 90 days, so an entry older than
 * that is dropped. Beyond PAID_FIRST_KEEP entries the oldest go and the list is marked incomplete
 * until their 90 days are over: every Meta lead then searches, as it did before the list existed.
 * setup() rebuilds the list from the tab.
 */
const PAID_FIRST_KEY = 'PAID_FIRST_LEADS';
const PAID_FIRST_MS = 90 * 86400000;
const PAID_FIRST_KEEP = 150;

interface PaidFirst {
  /** [email digest, lead id]; the id's epoch ms dates the entry. */
  entries: Array<[string, string]>;
  /** Epoch ms until which the list may miss leads (entries were dropped), 0 when complete. */
  incompleteUntil: number;
}

function emailDigest(ctx: Ctx, email: string): string {
  return ctx.hmac(emailKey(email), 'sirrius-paid-first').slice(0, 16);
}

function leadMs(id: string): number {
  return Number(id.replace(/^lead_/, '')) || 0;
}

function loadPaidFirst(ctx: Ctx): PaidFirst {
  const raw = ctx.settings.state(PAID_FIRST_KEY);
  const parsed = parseJson(raw);
  const list = parsed.ok ? (parsed.value as PaidFirst | null) : null;
  if (list && Array.isArray(list.entries)) return { entries: list.entries, incompleteUntil: Number(list.incompleteUntil) || 0 };
  // Unreadable: treated as incomplete, so nothing is missed.
  return { entries: [], incompleteUntil: raw ? Number.MAX_SAFE_INTEGER : 0 };
}

function savePaidFirst(ctx: Ctx, list: PaidFirst): void {
  const now = ctx.now().getTime();
  const fresh = list.entries.filter(([, id]) => now - leadMs(id) < PAID_FIRST_MS).sort((a, b) => leadMs(a[1]) - leadMs(b[1]));
  const dropped = fresh.slice(0, Math.max(0, fresh.length - PAID_FIRST_KEEP));
  const incompleteUntil = Math.max(list.incompleteUntil > now ? list.incompleteUntil : 0, ...dropped.map(([, id]) => leadMs(id) + PAID_FIRST_MS));
  const value = JSON.stringify({ entries: fresh.slice(dropped.length), incompleteUntil });
  if (value !== ctx.settings.state(PAID_FIRST_KEY)) ctx.settings.setState(PAID_FIRST_KEY, value);
}

/** Lists a lead that a conversion has just created (see PAID_FIRST_KEY). */
export function rememberPaidFirst(ctx: Ctx, lead: Pick<Lead, 'id' | 'email'>): void {
  if (!lead.email) return;
  const list = loadPaidFirst(ctx);
  savePaidFirst(ctx, { ...list, entries: [...list.entries, [emailDigest(ctx, lead.email), lead.id]] });
}

/** Unlists leads (attached to their Meta lead, or erased). */
export function forgetPaidFirst(ctx: Ctx, ids: readonly string[]): void {
  const list = loadPaidFirst(ctx);
  const kept = list.entries.filter(([, id]) => !ids.includes(id));
  if (kept.length !== list.entries.length) savePaidFirst(ctx, { ...list, entries: kept });
}

/** setup(): lists again the paid-first leads of the tab (the list is only a shortcut to them). */
export function rebuildPaidFirst(ctx: Ctx): void {
  const leads = ctx.table(LEADS);
  const found = leads.readRowsAt(leads.findRows('source', 'stripe'), { columns: ['id', 'source', 'fb_lead_id', 'email'] });
  const entries = found.filter((l) => !l.fb_lead_id && l.email).map((l): [string, string] => [emailDigest(ctx, l.email), l.id]);
  savePaidFirst(ctx, { entries, incompleteUntil: 0 });
}

function madeByStripe(lead: Lead, email: string): boolean {
  return lead.source === 'stripe' && !lead.fb_lead_id && emailKey(lead.email) === emailKey(email);
}

/**
 * A lead that a Stripe conversion created (no Meta lead yet) with this email, if any. No Sheets call
 * unless the email is listed as paid first (or the list is incomplete).
 */
export function findLeadMadeByStripe(ctx: Ctx, email: string): Lead | null {
  if (!email) return null;
  const list = loadPaidFirst(ctx);
  if (list.incompleteUntil <= ctx.now().getTime()) {
    const digest = emailDigest(ctx, email);
    const id = list.entries.find(([d]) => d === digest)?.[1];
    if (!id) return null;
    const listed = findLead(ctx, id);
    if (listed && madeByStripe(listed, email)) return listed;
    // Listed but changed since (an operator's edit): the search below decides.
  }
  const leads = ctx.table(LEADS);
  for (const row of leads.findRows('email', email, false)) {
    const lead = leads.readRow(row);
    if (madeByStripe(lead, email)) return lead;
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
    ...draft.origin,
  } satisfies Partial<RowOf<typeof LEADS>>;
  ctx.table(LEADS).update(lead._row, changes);
  forgetPaidFirst(ctx, [lead.id]);
  return { ...lead, ...changes };
}

/** Appends a line to a lead's notes. */
export function addNote(ctx: Ctx, lead: Lead, line: string, changes: Partial<RowOf<typeof LEADS>> = {}): void {
  const notes = lead.notes ? `${lead.notes}\n${line}` : line;
  ctx.table(LEADS).update(lead._row, { ...changes, notes, updated_at: ctx.now() });
}
