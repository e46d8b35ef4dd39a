/**
 * Opting a number out (SOP OK #2), whichever way it comes: a STOP reply, the signed link of an
 * SMS, or the operator. One Opt_Outs row per number; every lead with that number `opted_out`
 * with the SOP's note. The send path checks Opt_Outs before every SMS. The caller holds the lock.
 */
import { LEADS, OPT_OUTS } from '../domain/schema';
import { phoneKey } from '../domain/phone';
import { formatParis } from '../adapters/gas-services';
import type { Ctx } from './context';
import { FR } from '../ui/strings.fr';

export type OptOutSource = 'sms' | 'lien' | 'manuel';

/** Opts a number out; returns whether it was new in Opt_Outs and how many leads changed. */
export function optOutNumber(ctx: Ctx, phone: string, reason: string, source: OptOutSource): { added: boolean; leadsUpdated: number } {
  const key = phoneKey(phone);
  if (!key) return { added: false, leadsUpdated: 0 };
  const optOuts = ctx.table(OPT_OUTS);
  const row = optOuts.findRow('phone', key);
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
  const note = FR.notes.optOut(formatParis(since, 'dd/MM/yyyy HH:mm'), why);
  const leads = ctx.table(LEADS);
  let leadsUpdated = 0;
  for (const r of leads.findRows('phone', key)) {
    const lead = leads.readRow(r);
    if (lead.status === 'opted_out') continue;
    // The note first, then the status: an execution that dies between the two writes leaves a
    // lead the retry still sees as not opted out, and the note is not written twice.
    if (!lead.notes.includes(note)) leads.update(lead._row, { notes: lead.notes ? `${lead.notes}\n${note}` : note, updated_at: ctx.now() });
    leads.update(lead._row, { status: 'opted_out' });
    leadsUpdated++;
  }
  return { added, leadsUpdated };
}
