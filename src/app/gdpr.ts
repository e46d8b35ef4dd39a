/**
 * GDPR requests about one person (OK #2 step 6, "vérifier conformité RGPD"): export everything
 * held on them, or erase it. A person is found by a lead id or a phone number; their leads are
 * the leads with that id or number, plus the leads sharing one of those leads' emails.
 *
 * Erasure policy:
 * - Leads: the person's rows are deleted.
 * - Messages: rows are kept as delivery statistics (date, channel, template, status, lead id,
 *   which no longer leads anywhere) with `to` and `error` blanked.
 * - Events: the payload of every journal row that mentions a leadgen id, lead id, phone (any
 *   spelling) or email of the person is blanked; the row (event_id, status) stays, so that a
 *   redelivery of the same Meta lead is still recognised and never re-creates the person.
 * - Incidents: a row about the person (its ref is one of their lead ids, Stripe customer ids or
 *   numbers, or its title mentions them or their full name) keeps its type, dates and status; its
 *   title is replaced by a neutral one and its ref blanked.
 * - Opt_Outs: kept. The suppression list must outlive the lead, or the number could be texted again.
 * - The erasure is logged as a resolved Incidents row of type gdpr_erasure, with counts only.
 * The caller holds the script lock.
 */
import { EVENTS, INCIDENTS, LEADS, MESSAGES, OPT_OUTS } from '../domain/schema';
import { checkText, emailKey, isLeadId } from '../domain/input';
import { normalizePhone } from '../domain/phone';
import { columnLetter, type Stored, type Table } from '../adapters/sheets';
import { done, refused, type ActionResult } from '../shared/types';
import type { Ctx } from './context';
import { findLead, forgetPaidFirst, type Lead } from './leads';
import { newIncidentId } from './incidents';
import { FR } from '../ui/strings.fr';

/** What is known to identify the person, and their leads. */
interface Person {
  leads: Lead[];
  leadIds: string[];
  phones: string[];
  emails: string[];
  fbLeadIds: string[];
  /** Stripe customer ids (`cus_…`) of their leads. */
  customers: string[];
  /** Full names (`first last`), as incident titles write them; a first name alone is too common to search. */
  names: string[];
}

/** Finds the person of a lead id or phone; a French refusal when the argument is unusable. */
function findPerson(ctx: Ctx, target: unknown): Person | { error: string } {
  const text = checkText(typeof target === 'number' ? String(target) : target, { required: true, max: 60 });
  if (!text.ok) return { error: FR.input.error(text.problem, FR.labels.leadIdOrPhone, 60) };
  const leads = ctx.table(LEADS);
  const byRow = new Map<number, Lead>();
  const phones = new Set<string>();
  if (isLeadId(text.value)) {
    const lead = findLead(ctx, text.value);
    if (!lead) return { error: FR.gdpr.unknownLead };
    byRow.set(lead._row, lead);
    const phone = normalizePhone(lead.phone);
    if (phone.ok) phones.add(phone.e164);
  } else {
    const phone = normalizePhone(text.value);
    if (!phone.ok) return { error: FR.gdpr.badTarget };
    phones.add(phone.e164);
  }
  for (const phone of phones) for (const r of leads.findRows('phone', phone)) if (!byRow.has(r)) byRow.set(r, leads.readRow(r));
  const emails = new Set([...byRow.values()].map((l) => emailKey(l.email)).filter((e) => e !== ''));
  for (const email of emails) for (const r of leads.findRows('email', email, false)) if (!byRow.has(r)) byRow.set(r, leads.readRow(r));
  const all = [...byRow.values()].sort((a, b) => a._row - b._row);
  for (const lead of all) {
    const phone = normalizePhone(lead.phone);
    if (phone.ok) phones.add(phone.e164);
    if (emailKey(lead.email)) emails.add(emailKey(lead.email));
  }
  return {
    leads: all,
    leadIds: all.map((l) => l.id).filter((id) => id !== ''),
    phones: [...phones],
    emails: [...emails],
    fbLeadIds: all.map((l) => l.fb_lead_id).filter((id) => /^\d{5,25}$/.test(id)),
    customers: [...new Set(all.map((l) => l.stripe_customer_id.trim()).filter((c) => /^cus_\w+$/.test(c)))],
    names: [...new Set(all.map((l) => `${l.first_name.trim()} ${l.last_name.trim()}`).filter((n) => /\S{2,} \S{2,}/.test(n)))],
  };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Digits of a number as people and providers write them: with or without spaces, dots or dashes. */
const spaced = (digits: string): string => digits.split('').join('[ .-]?');

/**
 * One regular expression for every spelling of the person's identifiers in a journal payload:
 * ids and emails as they are, phones in E.164, `%2B` (a form-encoded Twilio body), `00` and, for
 * French numbers, the national `06 12 34 56 78`. Digits are fenced so that a number inside a
 * longer one does not match.
 */
function mentionPattern(person: Person): string {
  const parts = [...person.fbLeadIds, ...person.leadIds, ...person.emails, ...person.customers].map(escapeRegex);
  for (const phone of person.phones) {
    const digits = phone.slice(1);
    parts.push(`(^|[^0-9])(\\+|%2B|00)${spaced(digits)}([^0-9]|$)`);
    if (digits.startsWith('33')) parts.push(`(^|[^0-9])0${spaced(digits.slice(2))}([^0-9]|$)`);
  }
  return parts.join('|');
}

/** Rows of a column matching a regular expression (one TextFinder call, whatever the size of the tab). */
function matchingRows(table: Table<any>, column: string, pattern: string, entireCell: boolean): number[] {
  if (pattern === '') return [];
  const letter = columnLetter(table.col(column));
  // A whole cell may start with an apostrophe on a Sheet that keeps them (rows written before the probe: TextMode).
  const whole = entireCell && table.textMode === 'keep' ? `'?(?:${pattern})` : pattern;
  return table.sheet
    .getRange(`${letter}2:${letter}`)
    .createTextFinder(whole)
    .useRegularExpression(true)
    .matchCase(false)
    .matchEntireCell(entireCell)
    .findAll()
    .map((r) => r.getRow());
}

/** The person's Messages rows: by lead id, or sent to one of their numbers or emails. */
function messageRows(ctx: Ctx, person: Person): number[] {
  const messages = ctx.table(MESSAGES);
  const rows = new Set<number>();
  for (const id of person.leadIds) messages.findRows('lead_id', id).forEach((r) => rows.add(r));
  matchingRows(messages, 'to', [...person.phones, ...person.emails].map(escapeRegex).join('|'), true).forEach((r) => rows.add(r));
  return [...rows].sort((a, b) => a - b);
}

function eventRows(ctx: Ctx, person: Person): number[] {
  return matchingRows(ctx.table(EVENTS), 'payload', mentionPattern(person), false);
}

/** Incidents about the person (by ref, or mentioned in the title), the erasure log aside. */
function incidentRows(ctx: Ctx, person: Person): number[] {
  const incidents = ctx.table(INCIDENTS);
  const rows = new Set<number>();
  const refs = [...person.leadIds, ...person.customers, ...person.phones].map(escapeRegex).join('|');
  matchingRows(incidents, 'ref', refs, true).forEach((r) => rows.add(r));
  const mentions = [mentionPattern(person), ...person.names.map(escapeRegex)].filter((p) => p !== '').join('|');
  matchingRows(incidents, 'title', mentions, false).forEach((r) => rows.add(r));
  return [...rows].sort((a, b) => a - b);
}

function optOutRows(ctx: Ctx, person: Person): Stored<typeof OPT_OUTS>[] {
  const optOuts = ctx.table(OPT_OUTS);
  return person.phones.map((p) => optOuts.find('phone', p)).filter((r): r is Stored<typeof OPT_OUTS> => r !== null);
}

const withoutRow = <T extends { _row: number }>(r: T): Omit<T, '_row'> => {
  const { _row, ...rest } = r;
  return rest;
};

/** Everything held on a person, as JSON (dates as ISO strings): their right of access. */
export function exportLead(ctx: Ctx, leadIdOrPhone: unknown): ActionResult<{ json: string }> {
  const person = findPerson(ctx, leadIdOrPhone);
  if ('error' in person) return refused(person.error, 'leadIdOrPhone');
  const messages = ctx.table(MESSAGES);
  const events = ctx.table(EVENTS);
  const incidents = ctx.table(INCIDENTS);
  const data = {
    exported_at: ctx.now(),
    leads: person.leads.map(withoutRow),
    messages: messageRows(ctx, person).map((r) => withoutRow(messages.readRow(r))),
    opt_outs: optOutRows(ctx, person).map(withoutRow),
    events: eventRows(ctx, person).map((r) => withoutRow(events.readRow(r))),
    incidents: incidentRows(ctx, person).map((r) => withoutRow(incidents.readRow(r))),
  };
  const total = data.leads.length + data.messages.length + data.opt_outs.length + data.events.length + data.incidents.length;
  if (total === 0) return refused(FR.gdpr.notFound, 'leadIdOrPhone');
  return done(FR.gdpr.exported(data.leads.length, data.messages.length, data.opt_outs.length, data.events.length, data.incidents.length), { json: JSON.stringify(data) });
}

/** Erases a person's data (see the policy at the top of this file). */
export function eraseLead(ctx: Ctx, leadIdOrPhone: unknown): ActionResult<{ leads: number; messages: number; events: number; incidents: number; optOutKept: boolean }> {
  const person = findPerson(ctx, leadIdOrPhone);
  if ('error' in person) return refused(person.error, 'leadIdOrPhone');
  const messageList = messageRows(ctx, person);
  const eventList = eventRows(ctx, person);
  const incidentList = incidentRows(ctx, person);
  if (person.leads.length + messageList.length + eventList.length + incidentList.length === 0) return refused(FR.gdpr.notFound, 'leadIdOrPhone');
  const optOutKept = optOutRows(ctx, person).length > 0;
  const stripeCustomers = person.leads.map((l) => l.stripe_customer_id).filter((c) => c !== '');

  const messages = ctx.table(MESSAGES);
  for (const row of messageList) messages.update(row, { to: '', error: '' });
  const events = ctx.table(EVENTS);
  for (const row of eventList) events.update(row, { payload: '' });
  const incidents = ctx.table(INCIDENTS);
  for (const row of incidentList) incidents.update(row, { title: FR.gdpr.redactedTitle, ref: '' });
  ctx.table(LEADS).deleteRows(person.leads.map((l) => l._row));
  forgetPaidFirst(ctx, person.leads.map((l) => l.id));

  const now = ctx.now();
  const counts = { leads: person.leads.length, messages: messageList.length, events: eventList.length };
  incidents.append([
    {
      id: newIncidentId(ctx),
      created_at: now,
      type: 'gdpr_erasure',
      severity: 'low',
      status: 'resolved',
      title: FR.gdpr.logTitle(counts.leads, counts.messages, counts.events),
      ref: '',
      resolution: FR.gdpr.logResolution(optOutKept),
      resolved_at: now,
    },
  ]);
  const message = [FR.gdpr.erased(counts.leads, counts.messages, counts.events)];
  if (incidentList.length) message.push(FR.gdpr.incidentsRedacted(incidentList.length));
  if (optOutKept) message.push(FR.gdpr.optOutKept);
  if (stripeCustomers.length) message.push(FR.gdpr.stripeLeft(stripeCustomers));
  return done(message.join(' '), { ...counts, incidents: incidentList.length, optOutKept });
}
