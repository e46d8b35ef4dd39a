/**
 * What a person's edit in the Sheet sets by itself (the onEdit simple trigger). SOP Après-midi 6
 * has the operator set a lead's status to "contacted" by hand: the lead then gets its
 * `contacted_at` (when it had none), as `markContacted` would give it, and `updated_at`; any other
 * status typed by hand stamps `updated_at`, and `opted_out` records the number (SOP OK #2, see
 * recordStatusOptOuts). Only the status column of Leads is watched, and the cost is one header
 * read, one read of the edited rows and, per stamped column, one write per run of consecutive
 * rows (two for one "contacted": contacted_at and updated_at are apart), whatever the size of the tab.
 */
import { LEADS, OPT_OUTS } from '../domain/schema';
import { phoneKey } from '../domain/phone';
import type { Table } from '../adapters/sheets';
import { LockBusy, withScriptLock } from '../adapters/lock';
import { EDIT_LOCK_MS, recordOptOutEdit, recordStatusOptOuts } from './optout';
import { Ctx } from './context';

type Range = GoogleAppsScript.Spreadsheet.Range;

/** onEdit past Config: a number typed in Opt_Outs, or a status typed in Leads. */
export function applyEdit(range: Range): void {
  const tab = range.getSheet().getName();
  if (tab === OPT_OUTS.name) recordOptOutEdit(range);
  else if (tab === LEADS.name) recordStatusEdit(range);
}

/**
 * A status typed in Leads: the opt-outs recorded, then the stamps, from one read of the edited
 * rows under one script lock (so that a webhook rewriting the same row cannot undo the stamp). A
 * simple trigger has 30 s: busy for EDIT_LOCK_MS (or the lock refused to a simple trigger), nothing
 * is done here (the person's edit itself is kept; the send-time rule already blocks a number set
 * `opted_out`, and the evening control records it).
 */
export function recordStatusEdit(range: Range, ctx: Ctx = Ctx.gas()): void {
  if (range.getLastRow() < 2) return;
  const leads = ctx.table(LEADS);
  const header = leads.columns();
  const statusCol = header.get('status');
  if (!statusCol || statusCol < range.getColumn() || statusCol > range.getLastColumn()) return;
  try {
    withScriptLock(() => stampEditedLeads(ctx, leads, Math.max(2, range.getRow()), range.getLastRow()), EDIT_LOCK_MS);
  } catch (e) {
    if (!(e instanceof LockBusy)) throw e;
    console.warn(`onEdit: ${e.message}: opt-outs not recorded, contacted_at/updated_at not stamped`);
  }
}

/** Records the opt-outs of rows first..last and stamps the leads whose status the edit set. */
function stampEditedLeads(ctx: Ctx, leads: Table<typeof LEADS>, first: number, last: number): void {
  const header = leads.columns();
  // A column the operator deleted is left out (col() would throw): the rest still runs.
  const present = (['status', 'phone', 'contacted_at'] as const).filter((name) => header.has(name));
  const rows = leads.readRowsAt(rowsFrom(first, last), { columns: present });
  let optedOut = new Set<string>();
  if (header.has('phone')) {
    try {
      optedOut = new Set(recordStatusOptOuts(ctx, rows));
    } catch (e) {
      // Never in the way of the stamp: the evening control records what this missed.
      console.warn(`onEdit opt-out: ${ctx.redact(e instanceof Error ? e.message : String(e))}`);
    }
  }
  const contacted: number[] = [];
  const updated: number[] = [];
  for (const lead of rows) {
    // A lead whose number was just opted out is `opted_out` now, whatever was typed on its row.
    const status = header.has('phone') && optedOut.has(phoneKey(lead.phone)) ? 'opted_out' : String(lead.status).trim();
    if (status === '') continue;
    if (status === 'contacted' && header.has('contacted_at') && !lead.contacted_at) contacted.push(lead._row);
    updated.push(lead._row);
  }
  const now = ctx.now();
  stampRows(leads, 'contacted_at', contacted, now);
  if (header.has('updated_at')) stampRows(leads, 'updated_at', updated, now);
}

/** Writes `now` into one column of the rows (ascending) through the table layer: one updateRange per run of consecutive rows. */
function stampRows(leads: Table<typeof LEADS>, column: 'contacted_at' | 'updated_at', rows: readonly number[], now: Date): void {
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i] === rows[i - 1] + 1) continue;
    leads.updateRange(rows[start], rows.slice(start, i).map(() => ({ [column]: now })), [column]);
    start = i;
  }
}

function rowsFrom(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}
