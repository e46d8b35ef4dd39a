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
 * - Archives (every yearly archive spreadsheet the project made): the person's Leads, Messages and
 *   Events rows are deleted (a redelivery of an archived event is long past).
 * - Opt_Outs: the row stays, so the number is never texted again, but its number is replaced by
 *   its keyed digest (app/optout.ts): the send check still matches it, nobody can read it back.
 * - Drive backups cannot be edited: they leave the rotation after `backup_keep` days, then Drive's
 *   trash deletes them 30 days later; the answer gives that date.
 * - The erasure is logged as a resolved Incidents row of type gdpr_erasure, with counts only.
 * Retention (runRetention, from the nightly archive run) deletes leads past their retention the
 * same way, with their messages and journal rows. The caller holds the script lock.
 */
import { EVENTS, INCIDENTS, LEADS, MESSAGES, OPT_OUTS } from '../domain/schema';
import { checkText, emailKey, isLeadId } from '../domain/input';
import { normalizePhone, phonesPattern } from '../domain/phone';
import { pastRetention, retentionHorizon } from '../domain/retention';
import type { RawRow } from '../domain/archive';
import { columnRowsMatching, isDate, type Stored, type Table, type TextMode } from '../adapters/sheets';
import { formatParis } from '../adapters/gas-services';
import { archivedRows, archivedRowsMatching, archiveSpreadsheets, deleteArchivedRows, type ArchivedRow } from './archive';
import { optOutDigest } from './optout';
import { done, refused, type ActionResult } from '../shared/types';
import type { Ctx } from './context';
import { findLead, forgetPaidFirst, type Lead } from './leads';
import { newIncidentId } from './incidents';
import { FR } from '../ui/strings.fr';

/** What is known to identify the person, and their leads. */
interface Person {
  leads: Lead[];
  /** Their leads found in the archives (values by header name). */
  archivedLeads: RawRow[];
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
  const archives = archiveSpreadsheets(ctx);
  let archivedLeads: RawRow[] = [];
  if (isLeadId(text.value)) {
    const lead = findLead(ctx, text.value);
    if (lead) {
      byRow.set(lead._row, lead);
      const phone = normalizePhone(lead.phone);
      if (phone.ok) phones.add(phone.e164);
    } else {
      // Archived: its row in an archive gives the number and email to look for.
      archivedLeads = archives.flatMap((ss) => archivedRowsMatching(ss, LEADS.name, 'id', `^${escapeRegex(text.value)}$`, true, ctx.textMode()).map((r) => r.values));
      if (archivedLeads.length === 0) return { error: FR.gdpr.unknownLead };
      for (const l of archivedLeads) {
        const phone = normalizePhone(l.phone);
        if (phone.ok) phones.add(phone.e164);
      }
    }
  } else {
    const phone = normalizePhone(text.value);
    if (!phone.ok) return { error: FR.gdpr.badTarget };
    phones.add(phone.e164);
  }
  // Any spelling of the number (a lead typed by hand may hold `06 12 34 56 78`).
  const spelled = phonesPattern([...phones]);
  for (const r of spelled ? leads.findRowsMatching('phone', spelled) : []) if (!byRow.has(r)) byRow.set(r, leads.readRow(r));
  const emails = new Set([...byRow.values(), ...archivedLeads].map((l) => emailKey(String(l.email ?? ''))).filter((e) => e !== ''));
  for (const email of emails) for (const r of leads.findRows('email', email, false)) if (!byRow.has(r)) byRow.set(r, leads.readRow(r));
  const all = [...byRow.values()].sort((a, b) => a._row - b._row);
  for (const lead of all) {
    const phone = normalizePhone(lead.phone);
    if (phone.ok) phones.add(phone.e164);
    if (emailKey(lead.email)) emails.add(emailKey(lead.email));
  }
  // Their leads in the archives, by number or email (in any case).
  const seen = new Set(archivedLeads.map((l) => String(l.id ?? '')));
  for (const ss of archives) {
    for (const l of archivedLeadsOf(ss, [], [...phones], [...emails], ctx.textMode())) {
      if (seen.has(String(l.values.id ?? ''))) continue;
      seen.add(String(l.values.id ?? ''));
      archivedLeads.push(l.values);
    }
  }
  const text_ = (v: unknown) => (typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v));
  const everyLead = [...all, ...archivedLeads].map((l) => ({
    id: text_(l.id),
    fb: text_(l.fb_lead_id),
    customer: text_(l.stripe_customer_id),
    name: `${text_(l.first_name)} ${text_(l.last_name)}`,
    email: emailKey(text_(l.email)),
  }));
  for (const l of everyLead) if (l.email) emails.add(l.email);
  return {
    leads: all,
    archivedLeads,
    leadIds: [...new Set(everyLead.map((l) => l.id).filter((id) => id !== ''))],
    phones: [...phones],
    emails: [...emails],
    fbLeadIds: [...new Set(everyLead.map((l) => l.fb).filter((id) => /^\d{5,25}$/.test(id)))],
    customers: [...new Set(everyLead.map((l) => l.customer).filter((c) => /^cus_\w+$/.test(c)))],
    names: [...new Set(everyLead.map((l) => l.name).filter((n) => /\S{2,} \S{2,}/.test(n)))],
  };
}

/** Archived leads with one of these ids, numbers (any spelling) or emails (any case). */
function archivedLeadsOf(ss: Spreadsheet, ids: readonly string[], phones: readonly string[], emails: readonly string[], mode: TextMode): ArchivedRow[] {
  const byRow = new Map<number, ArchivedRow>();
  const add = (rows: ArchivedRow[]) => rows.forEach((r) => byRow.set(r.row, r));
  if (ids.length) add(archivedRowsMatching(ss, LEADS.name, 'id', ids.map(escapeRegex).join('|'), true, mode));
  const phonePattern = phonesPattern(phones);
  if (phonePattern) add(archivedRowsMatching(ss, LEADS.name, 'phone', phonePattern, true, mode));
  if (emails.length) add(archivedRowsMatching(ss, LEADS.name, 'email', emails.map(escapeRegex).join('|'), true, mode));
  return [...byRow.values()].sort((a, b) => a.row - b.row);
}

/** What one archive spreadsheet holds on the person. */
interface ArchiveHits {
  ss: Spreadsheet;
  name: string;
  leads: ArchivedRow[];
  messages: ArchivedRow[];
  events: ArchivedRow[];
}

/** The person's rows in every archive: their leads, the messages to them, the journal rows that mention them. */
function archiveHits(ctx: Ctx, person: Person): ArchiveHits[] {
  return archiveSpreadsheets(ctx).map((ss) => {
    const messages = new Map<number, ArchivedRow>();
    const byLead = person.leadIds.map(escapeRegex).join('|');
    if (byLead) archivedRowsMatching(ss, MESSAGES.name, 'lead_id', byLead, true, ctx.textMode()).forEach((r) => messages.set(r.row, r));
    const to = [...person.phones, ...person.emails].map(escapeRegex).join('|');
    if (to) archivedRowsMatching(ss, MESSAGES.name, 'to', to, true, ctx.textMode()).forEach((r) => messages.set(r.row, r));
    return {
      ss,
      name: ss.getName(),
      leads: archivedLeadsOf(ss, person.leadIds, person.phones, person.emails, ctx.textMode()),
      messages: [...messages.values()].sort((a, b) => a.row - b.row),
      events: archivedRowsMatching(ss, EVENTS.name, 'payload', mentionPattern(person), false, ctx.textMode()),
    };
  });
}

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

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
  // A whole cell may start with an apostrophe on a Sheet that keeps them (rows written before the probe: TextMode).
  const whole = entireCell && table.textMode === 'keep' && pattern !== '' ? `'?(?:${pattern})` : pattern;
  return columnRowsMatching(table.sheet, table.col(column), whole, entireCell);
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

/** The person's Opt_Outs rows: their numbers in any spelling, or their digests. */
function optOutRows(ctx: Ctx, person: Person): Stored<typeof OPT_OUTS>[] {
  const optOuts = ctx.table(OPT_OUTS);
  const pattern = [phonesPattern(person.phones), ...person.phones.map((p) => `^${escapeRegex(optOutDigest(ctx, p))}$`)].filter(Boolean).join('|');
  return pattern ? optOuts.readRowsAt(optOuts.findRowsMatching('phone', pattern)) : [];
}

/** Replaces the numbers of Opt_Outs rows by their digests; returns how many were in clear. */
function digestOptOuts(ctx: Ctx, rows: ReadonlyArray<Stored<typeof OPT_OUTS>>): number {
  let n = 0;
  for (const row of rows) {
    const phone = normalizePhone(row.phone);
    if (!phone.ok) continue; // already a digest
    ctx.table(OPT_OUTS).update(row._row, { phone: optOutDigest(ctx, phone.e164) });
    n++;
  }
  return n;
}

/** Deletes the person's rows in the archives; the counts by archive name. */
function eraseFromArchives(hits: readonly ArchiveHits[]): Array<{ name: string; leads: number; messages: number; events: number }> {
  return hits
    .filter((h) => h.leads.length + h.messages.length + h.events.length > 0)
    .map((h) => ({
      name: h.name,
      leads: deleteArchivedRows(h.ss, LEADS.name, h.leads.map((r) => r.row)),
      messages: deleteArchivedRows(h.ss, MESSAGES.name, h.messages.map((r) => r.row)),
      events: deleteArchivedRows(h.ss, EVENTS.name, h.events.map((r) => r.row)),
    }));
}

/** Days Drive keeps a trashed file before deleting it for good. */
const DRIVE_TRASH_DAYS = 30;

/**
 * The day by which no Drive backup holds what was erased now: the newest backup made before now
 * leaves the rotation after `backup_keep` more daily backups, then Drive's trash deletes it.
 */
function backupsGoneBy(ctx: Ctx): string {
  const days = Math.max(0, ctx.config().backup_keep) + DRIVE_TRASH_DAYS;
  return formatParis(new Date(ctx.now().getTime() + days * 86400000), 'dd/MM/yyyy');
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
    archives: archiveHits(ctx, person)
      .filter((h) => h.leads.length + h.messages.length + h.events.length > 0)
      .map((h) => ({ archive: h.name, leads: h.leads.map((r) => r.values), messages: h.messages.map((r) => r.values), events: h.events.map((r) => r.values) })),
  };
  const archived = data.archives.reduce((n, a) => n + a.leads.length + a.messages.length + a.events.length, 0);
  const total = data.leads.length + data.messages.length + data.opt_outs.length + data.events.length + data.incidents.length + archived;
  if (total === 0) return refused(FR.gdpr.notFound, 'leadIdOrPhone');
  const message = FR.gdpr.exported(data.leads.length, data.messages.length, data.opt_outs.length, data.events.length, data.incidents.length);
  return done(archived ? `${message} ${FR.gdpr.exportedArchives(archived)}` : message, { json: JSON.stringify(data) });
}

/** Erases a person's data (see the policy at the top of this file). */
export function eraseLead(
  ctx: Ctx,
  leadIdOrPhone: unknown,
): ActionResult<{ leads: number; messages: number; events: number; incidents: number; optOutKept: boolean; archives: Array<{ name: string; leads: number; messages: number; events: number }>; backupsGoneBy: string }> {
  const person = findPerson(ctx, leadIdOrPhone);
  if ('error' in person) return refused(person.error, 'leadIdOrPhone');
  const messageList = messageRows(ctx, person);
  const eventList = eventRows(ctx, person);
  const incidentList = incidentRows(ctx, person);
  const hits = archiveHits(ctx, person);
  const inArchives = hits.reduce((n, h) => n + h.leads.length + h.messages.length + h.events.length, 0);
  const optOuts = optOutRows(ctx, person);
  const optOutKept = optOuts.length > 0;
  // A number known only to Opt_Outs is still personal data: its row becomes a digest.
  if (person.leads.length + messageList.length + eventList.length + incidentList.length + inArchives === 0 && optOuts.every((o) => !normalizePhone(o.phone).ok)) {
    return refused(FR.gdpr.notFound, 'leadIdOrPhone');
  }
  const stripeCustomers = person.leads.map((l) => l.stripe_customer_id).filter((c) => c !== '');

  digestOptOuts(ctx, optOuts);
  const messages = ctx.table(MESSAGES);
  for (const row of messageList) messages.update(row, { to: '', error: '' });
  const events = ctx.table(EVENTS);
  for (const row of eventList) events.update(row, { payload: '' });
  const incidents = ctx.table(INCIDENTS);
  for (const row of incidentList) incidents.update(row, { title: FR.gdpr.redactedTitle, ref: '' });
  ctx.table(LEADS).deleteRows(person.leads.map((l) => l._row));
  forgetPaidFirst(ctx, person.leads.map((l) => l.id));
  const archives = eraseFromArchives(hits);

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
  if (archives.length) message.push(FR.gdpr.archivesErased(archives));
  if (optOutKept) message.push(FR.gdpr.optOutKept);
  const goneBy = backupsGoneBy(ctx);
  message.push(FR.gdpr.backups(ctx.config().backup_keep, goneBy));
  if (stripeCustomers.length) message.push(FR.gdpr.stripeLeft(stripeCustomers));
  return done(message.join(' '), { ...counts, incidents: incidentList.length, optOutKept, archives, backupsGoneBy: goneBy });
}

/** What one retention run deleted: counts only (SPEC: the log holds no personal data). */
export interface RetentionReport {
  /** Leads deleted, live and archived. */
  leads: number;
  messages: number;
  events: number;
  /** Opt_Outs rows whose number became a digest. */
  optOutsDigested: number;
  /** False when more leads were due than one run deletes: the next night goes on. */
  complete: boolean;
}

/** Leads one run deletes (each costs a few TextFinder calls per tab and archive). */
const RETENTION_MAX_PER_RUN = 50;
/** Live rows read per window while looking for leads old enough to be due. */
const RETENTION_WINDOW_ROWS = 500;

/**
 * Deletes the leads past their retention (domain/retention.ts), live and archived, with their
 * messages and journal rows; an opted-out number keeps its Opt_Outs row as a digest. A number or
 * email still carried by a lead that stays is left in the journal (it is that lead's too). Logs
 * one resolved `gdpr_retention` incident with counts only. The caller holds the script lock.
 */
export function runRetention(ctx: Ctx): RetentionReport {
  const report: RetentionReport = { leads: 0, messages: 0, events: 0, optOutsDigested: 0, complete: true };
  const config = ctx.config();
  const now = ctx.now();
  const horizon = retentionHorizon(config, now);
  if (!horizon) return report;
  const due: RawRow[] = [];
  const leads = ctx.table(LEADS);
  // Leads are appended in creation order and retention dates from creation at the earliest: read
  // from the top while the window still holds leads created before the horizon.
  const last = leads.lastRow();
  for (let first = 2; first <= last; first += RETENTION_WINDOW_ROWS) {
    const rows = leads.readRows(first, Math.min(RETENTION_WINDOW_ROWS, last - first + 1));
    rows.filter((l) => l.id !== '' && pastRetention(l, config, now)).forEach((l) => due.push(l));
    if (!rows.some((l) => isDate(l.created_at) && l.created_at < horizon)) break;
  }
  for (const ss of archiveSpreadsheets(ctx)) {
    for (const r of archivedRows(ss, LEADS.name)) if (String(r.values.id ?? '') !== '' && pastRetention(r.values as never, config, now)) due.push(r.values);
  }
  if (due.length > RETENTION_MAX_PER_RUN) report.complete = false;
  const dueIds = new Set(due.map((l) => String(l.id)));
  for (const lead of due.slice(0, RETENTION_MAX_PER_RUN)) {
    const counts = eraseExpiredLead(ctx, lead, dueIds);
    report.leads += counts.leads;
    report.messages += counts.messages;
    report.events += counts.events;
    report.optOutsDigested += counts.optOutsDigested;
  }
  if (report.leads > 0) {
    ctx.table(INCIDENTS).append([
      {
        id: newIncidentId(ctx),
        created_at: now,
        type: 'gdpr_retention',
        severity: 'low',
        status: 'resolved',
        title: FR.gdpr.retentionTitle(report.leads, report.messages, report.events),
        ref: '',
        resolution: FR.gdpr.retentionResolution(report.optOutsDigested),
        resolved_at: now,
      },
    ]);
  }
  return report;
}

/** Deletes one lead past retention, wherever it is, with its messages and journal rows. */
function eraseExpiredLead(ctx: Ctx, lead: RawRow, dueIds: ReadonlySet<string>): { leads: number; messages: number; events: number; optOutsDigested: number } {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v));
  const id = text(lead.id);
  const table = ctx.table(LEADS);
  // A number or email that a lead staying live also has is not this lead's alone.
  const others = (rows: number[]) => table.readRowsAt(rows, { columns: ['id'] }).some((l) => !dueIds.has(l.id));
  const phone = normalizePhone(lead.phone);
  const phones = phone.ok && !others(table.findRowsMatching('phone', phonesPattern([phone.e164]))) ? [phone.e164] : [];
  const email = emailKey(text(lead.email));
  const emails = email && !others(table.findRows('email', email, false)) ? [email] : [];
  const live = findLead(ctx, id);
  const person: Person = {
    leads: live ? [live] : [],
    archivedLeads: live ? [] : [lead],
    leadIds: [id],
    phones,
    emails,
    fbLeadIds: /^\d{5,25}$/.test(text(lead.fb_lead_id)) ? [text(lead.fb_lead_id)] : [],
    customers: /^cus_\w+$/.test(text(lead.stripe_customer_id)) ? [text(lead.stripe_customer_id)] : [],
    names: [],
  };
  const messageList = messageRows(ctx, person);
  const eventList = eventRows(ctx, person);
  const incidents = ctx.table(INCIDENTS);
  for (const row of incidentRows(ctx, person)) incidents.update(row, { title: FR.gdpr.redactedTitle, ref: '' });
  // The digest first and the lead last: a run cut off anywhere leaves the lead due, and the next
  // night finishes it (the digest row is found again as the number's).
  const optOutsDigested = digestOptOuts(ctx, phones.length ? optOutRows(ctx, person) : []);
  const archives = eraseFromArchives(archiveHits(ctx, person));
  ctx.table(MESSAGES).deleteRows(messageList);
  ctx.table(EVENTS).deleteRows(eventList);
  if (live) table.deleteRows([live._row]);
  forgetPaidFirst(ctx, [id]);
  const sum = (k: 'leads' | 'messages' | 'events') => archives.reduce((n, a) => n + a[k], 0);
  return { leads: (live ? 1 : 0) + sum('leads'), messages: messageList.length + sum('messages'), events: eventList.length + sum('events'), optOutsDigested };
}
