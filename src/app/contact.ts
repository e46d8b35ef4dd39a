/**
 * SOP Après-midi 6, "Mettre à jour status vers contacted" and "Noter les feedbacks": marks a lead
 * contacted (status, contacted_at) with the operator's note. The sidebar and the 15h call list
 * point to this one function. Idempotent: marking a contacted lead again changes nothing.
 */
import { LEAD_ID, checkText } from '../domain/input';
import { leadName } from '../domain/routines';
import { formatParis } from '../adapters/gas-services';
import { done, refused, type ActionResult } from '../shared/types';
import { runAction, textArg } from './actions';
import { addNote, findLead } from './leads';
import { leadStageChanged } from './lead-stages';
import { FR } from '../ui/strings.fr';

/** Statuses a call no longer applies to. */
const CLOSED = new Set(['converted', 'opted_out', 'rejected']);

/** Marks a lead contacted, with an optional note (the call's feedback). Never throws. */
export function markContacted(leadId: unknown, note?: unknown): ActionResult<{ leadId: string; status: string }> {
  const C = FR.routines.contacted;
  const id = textArg(leadId, 60);
  if (!LEAD_ID.test(id)) return refused(C.badLeadId, 'leadId');
  const text = checkText(note, { required: false, max: 500 });
  if (!text.ok) return refused(C.badNote(FR.input.error(text.problem, FR.labels.reason, 500)), 'note');
  return runAction((ctx) => {
    const lead = findLead(ctx, id);
    if (!lead) return refused(C.unknownLead, 'leadId');
    const name = leadName(lead);
    if (CLOSED.has(lead.status)) return refused(C.closed(name, lead.status), 'leadId');
    const now = ctx.now();
    const line = text.value ? `${FR.routines.notes.contacted(formatParis(now, 'dd/MM/yyyy HH:mm'))} : ${text.value}` : FR.routines.notes.contacted(formatParis(now, 'dd/MM/yyyy HH:mm'));
    if (lead.status === 'contacted') {
      // A second call's feedback is worth keeping; the same note twice is not.
      if (!text.value || lead.notes.split('\n').some((l) => l.endsWith(` : ${text.value}`))) return done(C.already(name), { leadId: id, status: lead.status });
      addNote(ctx, lead, line);
      return done(C.noteAdded(name), { leadId: id, status: lead.status });
    }
    addNote(ctx, lead, line, { status: 'contacted', contacted_at: now });
    leadStageChanged(ctx, { ...lead, status: 'contacted', contacted_at: now });
    return done(C.done(name), { leadId: id, status: 'contacted' });
  });
}
