/**
 * Incidents: one open incident per type and reference (no flood), an email to ALERT_EMAIL for
 * severity high. The caller holds the script lock.
 */
import { INCIDENTS } from '../domain/schema';
import type { Ctx } from './context';
import { markDashboardStale } from './dashboard-stale';
import { FR } from '../ui/strings.fr';

export interface NewIncident {
  type: string;
  severity: 'high' | 'medium' | 'low';
  title: string;
  /** What it is about: an event id, a lead id, a date. One open incident per (type, ref). */
  ref: string;
  /** For a high one: what the operator has to decide, in the alert email (SOP KO runbooks). */
  decision?: string;
}

/** Opens an incident unless one of that type and ref is still open or investigating. */
export function openIncident(ctx: Ctx, incident: NewIncident): { id: string; created: boolean } {
  const incidents = ctx.table(INCIDENTS);
  for (const row of incidents.findRows('ref', incident.ref)) {
    const existing = incidents.readRow(row);
    if (existing.type === incident.type && existing.status !== 'resolved') return { id: existing.id, created: false };
  }
  const now = ctx.now();
  const id = newIncidentId(ctx);
  const { decision: _decision, ...row } = incident;
  incidents.append([{ id, created_at: now, ...row, status: 'open' }]);
  markDashboardStale(ctx);
  const to = ctx.settings.get('ALERT_EMAIL');
  if (incident.severity === 'high' && to) {
    ctx.mail({ to, subject: FR.incidents.alertSubject(incident.title), body: FR.incidents.alertBody(incident.title, incident.type, incident.ref, incident.decision) });
  }
  return { id, created: true };
}

/**
 * A new incident id, `inc_<epoch ms>`, unique even when one execution opens two incidents in the
 * same millisecond (the capacity step may open an overflow and a pause failure together):
 * resolveIncident finds incidents by this id.
 */
export function newIncidentId(ctx: Ctx): string {
  return ctx.stampedId('inc', 'LAST_INCIDENT_ID_MS');
}
