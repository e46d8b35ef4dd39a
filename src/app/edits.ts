/**
 * What a person's edit in the Sheet sets by itself (the onEdit simple trigger). SOP Après-midi 6
 * has the operator set a lead's status to "contacted" by hand: the lead then gets its
 * `contacted_at` (when it had none), as `markContacted` would give it, and `updated_at`; any other
 * status typed by hand stamps `updated_at`. Only the status column of Leads is watched, and the
 * cost is one header read and at most two writes per edited row, whatever the size of the tab.
 */
import { LEADS } from '../domain/schema';
import { readHeader } from '../adapters/sheets';
import { LockBusy, withScriptLock } from '../adapters/lock';
import { Ctx } from './context';

type Range = GoogleAppsScript.Spreadsheet.Range;

/**
 * onEdit's stamp, under the script lock so that a webhook rewriting the same row cannot undo it. A
 * simple trigger has 30 s: busy for 5 s, the stamp is skipped (the person's edit itself is kept).
 */
export function stampEdit(range: Range): void {
  try {
    withScriptLock(() => stampEditedLeads(range, Ctx.gas().now()), 5000);
  } catch (e) {
    if (!(e instanceof LockBusy)) throw e;
    console.warn('onEdit: script lock busy, contacted_at/updated_at not stamped');
  }
}

/** Stamps the leads whose status the edit changed. */
export function stampEditedLeads(range: Range, now: Date): void {
  const sheet = range.getSheet();
  if (sheet.getName() !== LEADS.name || range.getLastRow() < 2) return;
  const header = readHeader(sheet);
  const statusCol = header.get('status');
  if (!statusCol || statusCol < range.getColumn() || statusCol > range.getLastColumn()) return;
  const first = Math.max(2, range.getRow());
  const count = range.getLastRow() - first + 1;
  const statuses = sheet.getRange(first, statusCol, count, 1).getValues();
  const contactedCol = header.get('contacted_at');
  const updatedCol = header.get('updated_at');
  const contactedAt = contactedCol ? sheet.getRange(first, contactedCol, count, 1).getValues() : [];
  statuses.forEach(([status], i) => {
    if (String(status).trim() === '') return;
    if (contactedCol && String(status).trim() === 'contacted' && contactedAt[i][0] === '') sheet.getRange(first + i, contactedCol).setValue(now);
    if (updatedCol) sheet.getRange(first + i, updatedCol).setValue(now);
  });
}
