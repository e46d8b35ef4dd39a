/**
 * Opting a number out (SOP OK #2: "Ne JAMAIS réenvoyer de SMS à ce numéro"), whichever way it
 * comes, and the one rule every SMS to a lead is checked against at the moment it is sent.
 *
 * The rule (isOptedOut): a number is opted out when Opt_Outs holds it in any spelling (national,
 * spaced, 0033, E.164) or holds its keyed digest (a person erased or past retention), or when any
 * lead with that number has status `opted_out` (an operator's hand edit that nothing recorded).
 * Twilio refusing the number as unsubscribed (21610) records it through optOutNumber.
 *
 * Every path that learns of an opt-out records it once in Opt_Outs with its source (OptOutSource)
 * and sets every lead with the number `opted_out` with the SOP's note. The caller holds the lock.
 */
import { LEADS, MESSAGES, OPT_OUTS, type RowOf } from '../domain/schema';
import { normalizePhone, phoneKey, phonesPattern } from '../domain/phone';
import { formatParis, randomSecret } from '../adapters/gas-services';
import { apostropheTolerant, type Stored } from '../adapters/sheets';
import { Ctx } from './context';
import { withScriptLock } from '../adapters/lock';
import { findLead } from './leads';
import { archivedRowsMatching, archiveSpreadsheets } from './archive';
import { FR } from '../ui/strings.fr';

/**
 * Where an opt-out came from (Opt_Outs.source): a STOP reply, the link, optOutLead, a status set
 * `opted_out` by hand, a row typed in Opt_Outs, Twilio's 21610, or the evening control.
 */
export type OptOutSource = 'sms' | 'lien' | 'manuel' | 'statut' | 'saisie' | 'twilio' | 'controle';

/** Script Property: the key of the digests kept in Opt_Outs instead of a number (issue 24). Never change it. */
export const DIGEST_KEY = 'OPTOUT_DIGEST_KEY' as const;
/** How a digest starts in Opt_Outs.phone (never a spelling of a number). */
export const DIGEST_PREFIX = 'hmac:';

/** The key of Opt_Outs digests, created once (setup() creates it too). */
export function digestKey(ctx: Ctx): string {
  let key = ctx.settings.get(DIGEST_KEY);
  if (!key) {
    key = randomSecret();
    ctx.settings.setState(DIGEST_KEY, key);
  }
  return key;
}

/** The keyed digest of an E.164 number, as Opt_Outs keeps it for a person erased or past retention. */
export function optOutDigest(ctx: Ctx, e164: string): string {
  return DIGEST_PREFIX + ctx.hmac(e164, digestKey(ctx)).replace(/=+$/, '');
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A whole-cell regular expression for any spelling of the number, or its digest. */
function numberOrDigestPattern(ctx: Ctx, e164: string): string {
  const spellings = phonesPattern([e164]);
  const digest = `^${escapeRegex(optOutDigest(ctx, e164))}$`;
  // One anchor around both, so that a leading apostrophe (apostropheTolerant) is accepted before either.
  const inner = (p: string) => p.slice(1, -1);
  return spellings ? `^(?:${inner(spellings)}|${inner(digest)})$` : digest;
}

/** Options of isOptedOut: the lead being texted (its own row need not be read again). */
export interface OptOutCheck {
  self?: { _row: number; status: string };
}

/**
 * THE send-time check: whether a number must never get an SMS. One Sheets call in the usual case
 * (a TextFinder over the whole spreadsheet for every spelling of the number and its digest); one
 * more when another lead has the number (its status is read). Call it under the lock, right before
 * the SMS is handed to the provider. A number that does not parse is not checked (it cannot be sent).
 */
export function isOptedOut(ctx: Ctx, phone: string, check: OptOutCheck = {}): boolean {
  return optOutFound(ctx, phone, check) !== null;
}

/**
 * isOptedOut, telling where the opt-out was found: in Opt_Outs, or only on a lead's status (a hand
 * edit that nothing recorded: the caller records it).
 */
export function optOutFound(ctx: Ctx, phone: string, check: OptOutCheck = {}): 'opt_outs' | 'lead_status' | null {
  const parsed = normalizePhone(phone);
  if (!parsed.ok) return null;
  if (check.self?.status === 'opted_out') return 'lead_status';
  const found = ctx.spreadsheet.createTextFinder(apostropheTolerant(numberOrDigestPattern(ctx, parsed.e164), ctx.textMode())).useRegularExpression(true).matchEntireCell(true).matchCase(true).findAll();
  if (found.length === 0) return null;
  const leads = ctx.table(LEADS);
  const leadRows: number[] = [];
  let phoneCol = 0;
  for (const cell of found) {
    const tab = cell.getSheet().getName();
    if (tab === OPT_OUTS.name) {
      if (cell.getColumn() === ctx.table(OPT_OUTS).col('phone')) return 'opt_outs';
    } else if (tab === LEADS.name) {
      phoneCol ||= leads.col('phone');
      if (cell.getColumn() === phoneCol && cell.getRow() !== check.self?._row) leadRows.push(cell.getRow());
    }
  }
  if (leadRows.length === 0) return null;
  return leads.readRowsAt(leadRows, { columns: ['status'] }).some((l) => l.status === 'opted_out') ? 'lead_status' : null;
}

/** The Opt_Outs row of a number (any spelling, or its digest), or null. One TextFinder call. */
function findOptOutRow(ctx: Ctx, e164: string): number | null {
  const rows = ctx.table(OPT_OUTS).findRowsMatching('phone', numberOrDigestPattern(ctx, e164));
  return rows.length ? rows[0] : null;
}

/** Opts a number out; returns whether it was new in Opt_Outs and how many leads changed. */
export function optOutNumber(ctx: Ctx, phone: string, reason: string, source: OptOutSource): { added: boolean; leadsUpdated: number } {
  const key = phoneKey(phone);
  if (!key) return { added: false, leadsUpdated: 0 };
  const parsed = normalizePhone(key);
  const optOuts = ctx.table(OPT_OUTS);
  const row = parsed.ok ? findOptOutRow(ctx, parsed.e164) : optOuts.findRow('phone', key);
  const added = row === null;
  // The note tells the first opt-out (its date and reason), so that a retry or a second request
  // finds it on each lead and writes it once.
  let since = ctx.now();
  let why = reason;
  if (added) optOuts.append([{ phone: key, opted_out_at: since, reason, source }]);
  else {
    const first = optOuts.readRow(row);
    since = first.opted_out_at ?? since;
    why = first.reason || reason;
  }
  const leadsUpdated = markLeadsOptedOut(ctx, [key], FR.notes.optOut(formatParis(since, 'dd/MM/yyyy HH:mm'), why));
  return { added, leadsUpdated };
}

/**
 * Sets every lead with one of the numbers (any spelling) `opted_out` with the note; returns how
 * many changed. One search for all the numbers; their leads read a few at a time (a lead row is 24
 * columns wide: reading the rows between scattered leads would cost more than a call).
 */
function markLeadsOptedOut(ctx: Ctx, keys: readonly string[], note: string): number {
  const leads = ctx.table(LEADS);
  const pattern = phonesPattern(keys);
  const rows = pattern ? leads.findRowsMatching('phone', pattern) : keys.flatMap((key) => leads.findRows('phone', key));
  const wanted = new Set(keys);
  let leadsUpdated = 0;
  for (const lead of leads.readRowsAt(rows, { maxCalls: Math.max(20, 2 * keys.length) })) {
    if (lead.status === 'opted_out' || !wanted.has(phoneKey(lead.phone))) continue;
    // The note first, then the status: an execution that dies between the two writes leaves a
    // lead the retry still sees as not opted out, and the note is not written twice.
    if (!lead.notes.includes(note)) leads.update(lead._row, { notes: lead.notes ? `${lead.notes}\n${note}` : note, updated_at: ctx.now() });
    leads.update(lead._row, { status: 'opted_out' });
    leadsUpdated++;
  }
  return leadsUpdated;
}

/** Rows an onEdit looks at (a paste of more is left to the evening control). */
const EDIT_MAX_ROWS = 200;

/**
 * onEdit of Opt_Outs: a number typed (or pasted) by hand is written in E.164, dated and given its
 * source `saisie` when those are empty, and every lead with it becomes `opted_out`. A row already
 * in Opt_Outs under another spelling is left as typed (the rule matches any spelling).
 */
export function recordTypedOptOuts(ctx: Ctx, firstRow: number, count: number): number {
  const optOuts = ctx.table(OPT_OUTS);
  const start = Math.max(2, firstRow);
  const end = Math.min(firstRow + count - 1, start + EDIT_MAX_ROWS - 1);
  let recorded = 0;
  for (const row of optOuts.readRows(start, end - start + 1)) {
    const e164 = completeTypedRow(ctx, row);
    if (!e164) continue;
    markLeadsOptedOut(ctx, [e164], FR.notes.optOut(formatParis(row.opted_out_at ?? ctx.now(), 'dd/MM/yyyy HH:mm'), row.reason || FR.reasons.typedRow));
    recorded++;
  }
  return recorded;
}

/**
 * A row of Opt_Outs as a person may have typed it, completed: the number in E.164, the date, the
 * reason and the source `saisie` when empty. Returns the number, or null when the cell holds no
 * number (a digest, or text).
 */
function completeTypedRow(ctx: Ctx, row: { _row: number; phone: string; opted_out_at: Date | null; reason: string; source: string }): string | null {
  const parsed = normalizePhone(row.phone);
  if (!parsed.ok) return null;
  const changes: Partial<RowOf<typeof OPT_OUTS>> = {};
  if (row.phone !== parsed.e164) changes.phone = parsed.e164;
  if (!row.opted_out_at) changes.opted_out_at = ctx.now();
  if (!row.reason) changes.reason = FR.reasons.typedRow;
  if (!row.source) changes.source = 'saisie';
  if (Object.keys(changes).length) ctx.table(OPT_OUTS).update(row._row, changes);
  Object.assign(row, changes);
  return parsed.e164;
}

/**
 * onEdit of Leads: a status set `opted_out` by hand (SOP OK #2 followed in the Sheet) records the
 * number in Opt_Outs (source `statut`) and opts out the other leads with it. `leads`: the edited
 * rows as onEdit read them (see recordStatusEdit), of which the first EDIT_MAX_ROWS are looked at.
 * Returns the numbers recorded (phoneKey): every lead with one of them is now `opted_out`.
 */
export function recordStatusOptOuts(ctx: Ctx, leads: ReadonlyArray<{ status: string; phone: string }>): string[] {
  const recorded: string[] = [];
  for (const lead of leads.slice(0, EDIT_MAX_ROWS)) {
    if (lead.status !== 'opted_out' || !normalizePhone(lead.phone).ok) continue;
    optOutNumber(ctx, lead.phone, FR.reasons.statusByHand, 'statut');
    recorded.push(phoneKey(lead.phone));
  }
  return recorded;
}

/** What the evening control brought into agreement. */
export interface OptOutRepair {
  /** Numbers of leads set `opted_out` by hand that Opt_Outs lacked, now recorded (source `controle`). */
  recorded: string[];
  /** Opt_Outs rows typed by hand, now completed (E.164, date, source `saisie`). */
  normalised: number;
  /** Rows of a number already in Opt_Outs (typed twice), removed: the earliest stays. */
  duplicates: number;
  /** Leads still to record, beyond this evening's cap: the next evening's (the send check already blocks them). */
  left: number;
}

/**
 * Numbers the evening control records at most per run: each costs a few calls (the opt-out's rows),
 * and a first run over a Sheet kept by hand for years may find thousands. The send-time rule
 * already blocks an `opted_out` lead's number, so waiting a day changes no SMS.
 */
const REPAIRS_PER_EVENING = 50;

/**
 * Evening control (SOP 18h "Contrôler les opt-outs SMS"), what onEdit may have missed: every
 * Opt_Outs row typed by hand is completed and a number typed twice keeps one row (the earliest);
 * every lead whose status is `opted_out` has its number in Opt_Outs. (The other half, leads whose
 * number is in Opt_Outs set `opted_out`, is the routine's.) `optOuts`: the tab, read whole by the
 * routine; rows completed here are updated in place, duplicates removed from it.
 */
export function repairOptOuts(ctx: Ctx, optOuts: Array<Stored<typeof OPT_OUTS>>): OptOutRepair {
  let normalised = 0;
  const first = new Map<string, Stored<typeof OPT_OUTS>>();
  const duplicateRows: number[] = [];
  for (const o of optOuts) {
    const before = JSON.stringify(o);
    const e164 = completeTypedRow(ctx, o);
    if (JSON.stringify(o) !== before) normalised++;
    const key = e164 ?? o.phone;
    const kept = first.get(key);
    if (!kept) first.set(key, o);
    else duplicateRows.push((kept.opted_out_at?.getTime() ?? 0) <= (o.opted_out_at?.getTime() ?? 0) ? o._row : (first.set(key, o), kept._row));
  }
  if (duplicateRows.length) {
    ctx.table(OPT_OUTS).deleteRows(duplicateRows);
    const gone = new Set(duplicateRows);
    optOuts.splice(0, optOuts.length, ...optOuts.filter((o) => !gone.has(o._row)));
  }
  const known = new Set(first.keys());
  const leads = ctx.table(LEADS);
  const recorded: string[] = [];
  let left = 0;
  // The TextFinder matched the whole status cell, under the lock: only the phones are read (a Sheet
  // may hold thousands of opted-out leads, and the span from status to phone is four columns wide).
  for (const lead of leads.readRowsAt(leads.findRows('status', 'opted_out'), { columns: ['phone'], maxCalls: 5 })) {
    const parsed = normalizePhone(lead.phone);
    if (!parsed.ok || known.has(parsed.e164)) continue;
    known.add(parsed.e164);
    if (recorded.length >= REPAIRS_PER_EVENING) {
      left++;
      continue;
    }
    // A number erased since keeps only its digest: it is known too.
    if (!known.has(optOutDigest(ctx, parsed.e164))) recorded.push(parsed.e164);
  }
  if (recorded.length) {
    // None is in Opt_Outs (read whole above, under the lock): one append for all, one search for their leads.
    const at = ctx.now();
    ctx.table(OPT_OUTS).append(recorded.map((phone) => ({ phone, opted_out_at: at, reason: FR.reasons.eveningControl, source: 'controle' as const })));
    markLeadsOptedOut(ctx, recorded, FR.notes.optOut(formatParis(at, 'dd/MM/yyyy HH:mm'), FR.reasons.eveningControl));
  }
  if (left) console.warn(`opt-out control: ${left} numbers left for the next evening`);
  return { recorded, normalised, duplicates: duplicateRows.length, left };
}

/**
 * The number an opt-out link's lead id stands for: the lead's, else (a lead row deleted or
 * archived) the number its SMS went to (Messages.to), else the archived lead's. Null when nothing
 * holds it: the link then says so and claims nothing.
 */
export function phoneOfLeadId(ctx: Ctx, leadId: string): string | null {
  const lead = findLead(ctx, leadId);
  const live = lead ? normalizePhone(lead.phone) : null;
  if (live?.ok) return live.e164;
  const messages = ctx.table(MESSAGES);
  for (const m of messages.readRowsAt(messages.findRows('lead_id', leadId), { columns: ['channel', 'to'] })) {
    const to = normalizePhone(m.to);
    if (m.channel === 'sms' && to.ok) return to.e164;
  }
  const id = `^${escapeRegex(leadId)}$`;
  for (const ss of archiveSpreadsheets(ctx)) {
    for (const { values } of [...archivedRowsMatching(ss, LEADS.name, 'id', id, true, ctx.textMode()), ...archivedRowsMatching(ss, MESSAGES.name, 'lead_id', id, true, ctx.textMode())]) {
      const phone = normalizePhone(values.phone ?? values.to);
      if (phone.ok) return phone.e164;
    }
  }
  return null;
}

/** How long onEdit waits for the lock (a simple trigger has 30 s; the evening control catches what it misses). */
export const EDIT_LOCK_MS = 10000;

/**
 * onEdit of Opt_Outs (a person's edit in the Sheet): a row typed there is recorded at once (see
 * recordTypedOptOuts; a status set `opted_out` in Leads is recordStatusEdit's). Never throws: what
 * it cannot do (lock busy, a paste too large) the evening control does.
 */
export function recordOptOutEdit(range: GoogleAppsScript.Spreadsheet.Range, ctx: Ctx = Ctx.gas()): void {
  try {
    const firstCol = range.getColumn();
    const lastCol = firstCol + range.getNumColumns() - 1;
    const column = ctx.table(OPT_OUTS).col('phone');
    if (column < firstCol || column > lastCol) return;
    withScriptLock(() => recordTypedOptOuts(ctx, range.getRow(), range.getNumRows()), EDIT_LOCK_MS);
  } catch (e) {
    console.warn(`onEdit opt-out: ${ctx.redact(e instanceof Error ? e.message : String(e))}`);
  }
}
