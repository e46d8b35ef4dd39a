/**
 * Opting a number out (SOP OK #2), whichever way it comes: a STOP reply, the signed link of an
 * SMS, or the operator. One Opt_Outs row per number; every lead with that number `opted_out`
 * with the SOP's note. The send path checks Opt_Outs before every SMS. The caller holds the lock.
 */
import { LEADS, OPT_OUTS } from '../domain/schema';
import { phoneKey } from '../domain/phone';
import { formatParis } from '../adapters/gas-services';
import type { Ctx } from './context';
import { addNote } from './leads';
import { FR } from '../ui/strings.fr';

export type OptOutSource = 'sms' | 'lien' | 'manuel';

/** Opts a number out; returns whether it was new in Opt_Outs and how many leads changed. */
export function optOutNumber(ctx: Ctx, phone: string, reason: string, source: OptOutSource): { added: boolean; leadsUpdated: number } {
  const key = phoneKey(phone);
  if (!key) return { added: false, leadsUpdated: 0 };
  const now = ctx.now();
  const optOuts = ctx.table(OPT_OUTS);
  const added = optOuts.findRow('phone', key) === null;
  if (added) optOuts.append([{ phone: key, opted_out_at: now, reason, source }]);
  const leads = ctx.table(LEADS);
  let leadsUpdated = 0;
  for (const row of leads.findRows('phone', key)) {
    const lead = leads.readRow(row);
    if (lead.status === 'opted_out') continue;
    addNote(ctx, lead, FR.notes.optOut(formatParis(now, 'dd/MM/yyyy HH:mm'), reason), { status: 'opted_out' });
    leadsUpdated++;
  }
  return { added, leadsUpdated };
}
