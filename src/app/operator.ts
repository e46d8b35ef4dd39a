/**
 * Runbook functions a person starts that are not about capacity: OK #2 by hand (opt a lead out
 * by phone or id), and the Incidents tab (resolve one, list them for the sidebar). The caller
 * (runAction) holds the script lock; bad input is refused before anything is written.
 */
import { INCIDENTS, LEADS } from '../domain/schema';
import { checkText, isLeadId } from '../domain/input';
import { normalizePhone, phoneKey, phonesPattern } from '../domain/phone';
import { isDate, type Stored } from '../adapters/sheets';
import { done, refused, type ActionResult } from '../shared/types';
import type { Ctx } from './context';
import { findLead } from './leads';
import { isOptedOut, optOutNumber } from './optout';
import { markDashboardStale } from './dashboard-stale';
import { FR, INCIDENT_STATUS_FR, SEVERITY_FR, incidentType } from '../ui/strings.fr';

/** What a person may type as a phone number: digits, spaces, dots, dashes, brackets, a leading +. */
const PHONE_TYPED = /^\+?[0-9][0-9 .\-()]{5,24}$/;

/** A lead as optOutLead's preview shows it. */
export interface OptOutLeadView {
  id: string;
  name: string;
  status: string;
}

/**
 * OK #2. Called as SPEC §5 has it, `optOutLead(phoneOrLeadId, reason)` (the script editor, another
 * system), it records at once. The sidebar plays it in two steps, because an opt-out cannot be
 * undone: with `confirm` empty nothing is written, and the answer shows the number (E.164) and who
 * it concerns (the leads with it in any spelling, or none) and carries `confirm`, the number to send
 * back; with `confirm` equal to that number it records. Recording: every lead with the number becomes
 * `opted_out` with the SOP's note and Opt_Outs gets one row (source `manuel`), which every SMS checks.
 * A target that is neither a phone number nor a known lead id is refused.
 */
export function optOutLead(
  ctx: Ctx,
  phoneOrLeadId: unknown,
  reason: unknown,
  confirm?: unknown,
): ActionResult<{ phone: string; confirmed: boolean; confirm?: string; leads?: OptOutLeadView[]; alreadyOptedOut?: boolean; added?: boolean; leadsUpdated?: number }> {
  const target = checkText(typeof phoneOrLeadId === 'number' ? String(phoneOrLeadId) : phoneOrLeadId, { required: true, max: 60 });
  if (!target.ok) return refused(FR.input.error(target.problem, FR.labels.phoneOrLeadId, 60), 'phoneOrLeadId');
  const why = checkText(reason, { required: false, max: 200 });
  if (!why.ok) return refused(FR.input.error(why.problem, FR.labels.reason, 200), 'reason');
  let phone: string;
  if (isLeadId(target.value)) {
    const lead = findLead(ctx, target.value);
    if (!lead) return refused(FR.optOutLead.unknownLead, 'phoneOrLeadId');
    const parsed = normalizePhone(lead.phone);
    if (!parsed.ok) return refused(FR.optOutLead.leadWithoutPhone, 'phoneOrLeadId');
    phone = parsed.e164;
  } else {
    const parsed = PHONE_TYPED.test(target.value) ? normalizePhone(target.value) : null;
    if (!parsed?.ok) return refused(FR.optOutLead.badPhone, 'phoneOrLeadId');
    phone = parsed.e164;
  }
  if (confirm === null || confirm === '') {
    const leads = ctx.table(LEADS);
    const views = leads
      .readRowsAt(leads.findRowsMatching('phone', phonesPattern([phone])), { columns: ['id', 'status', 'first_name', 'last_name', 'phone'] })
      .filter((l) => phoneKey(l.phone) === phone)
      .map((l) => ({ id: l.id, name: `${l.first_name} ${l.last_name}`.trim(), status: l.status }));
    const alreadyOptedOut = isOptedOut(ctx, phone);
    // Nothing left to write: no `confirm`, so the sidebar offers no confirmation step.
    const nothingToDo = alreadyOptedOut && views.every((l) => l.status === 'opted_out');
    return done(FR.optOutLead.preview(phone, views, alreadyOptedOut), { phone, confirmed: false, ...(nothingToDo ? {} : { confirm: phone }), leads: views, alreadyOptedOut });
  }
  if (confirm !== undefined && confirm !== phone) return refused(FR.optOutLead.confirmMismatch(phone), 'phoneOrLeadId');
  const result = optOutNumber(ctx, phone, why.value || FR.optOutLead.reasonUnknown, 'manuel');
  const message = result.added ? FR.optOutLead.done(phone, result.leadsUpdated) : FR.optOutLead.already(phone, result.leadsUpdated);
  return done(message, { phone, confirmed: true, ...result });
}

/** An incident id as openIncident writes them. */
const INCIDENT_ID = /^inc_[A-Za-z0-9_-]{1,40}$/;

/** Closes an incident with its resolution (required). An unknown or already resolved one is refused. */
export function resolveIncident(ctx: Ctx, incidentId: unknown, resolution: unknown): ActionResult<{ incident: IncidentView }> {
  const id = checkText(incidentId, { required: true, max: 60 });
  if (!id.ok) return refused(FR.input.error(id.problem, FR.labels.incidentId, 60), 'incidentId');
  if (!INCIDENT_ID.test(id.value)) return refused(FR.incidentsAdmin.badId, 'incidentId');
  const text = checkText(resolution, { required: true, max: 2000, multiline: true });
  if (!text.ok) return refused(FR.input.error(text.problem, FR.labels.resolution, 2000), 'resolution');
  const incidents = ctx.table(INCIDENTS);
  const incident = incidents.find('id', id.value);
  if (!incident) return refused(FR.incidentsAdmin.unknown, 'incidentId');
  if (incident.status === 'resolved') return refused(FR.incidentsAdmin.alreadyResolved, 'incidentId');
  const changes = { status: 'resolved', resolution: text.value, resolved_at: ctx.now() };
  incidents.update(incident._row, changes);
  markDashboardStale(ctx);
  return done(FR.incidentsAdmin.resolved(incident.title), { incident: incidentView({ ...incident, ...changes }) });
}

/** An incident as the sidebar receives it (dates as ISO strings). */
export interface IncidentView {
  id: string;
  created_at: string | null;
  type: string;
  severity: string;
  status: string;
  title: string;
  ref: string;
  resolution: string;
  resolved_at: string | null;
  /** Type, severity and status in French, for the sidebar ("capacité dépassée · gravité haute · ouvert"). */
  label: string;
}

/** Which incidents to list: `active` (open or investigating, the default), one status, or `all`. */
export interface IncidentFilter {
  status?: 'active' | 'open' | 'investigating' | 'resolved' | 'all';
  type?: string;
  /** Most incidents returned, newest first (default 100, at most 500). */
  limit?: number;
}

const STATUS_FILTERS = ['active', 'open', 'investigating', 'resolved', 'all'];

/**
 * Lists incidents, newest first. Active ones are found with a TextFinder on the status column
 * and read in one range; resolved or all come from the last rows (the tab only grows at the bottom).
 */
export function listIncidents(ctx: Ctx, filter: unknown): ActionResult<{ incidents: IncidentView[] }> {
  const f = filter === undefined || filter === null ? {} : filter;
  if (typeof f !== 'object' || Array.isArray(f)) return refused(FR.incidentsAdmin.badFilter, 'filter');
  const { status = 'active', type, limit = 100 } = f as IncidentFilter;
  if (typeof status !== 'string' || !STATUS_FILTERS.includes(status)) return refused(FR.incidentsAdmin.badFilter, 'status');
  if (type !== undefined && (typeof type !== 'string' || !/^[a-z_]{1,40}$/.test(type))) return refused(FR.incidentsAdmin.badFilter, 'type');
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 500) return refused(FR.incidentsAdmin.badFilter, 'limit');
  const incidents = ctx.table(INCIDENTS);
  let rows: Stored<typeof INCIDENTS>[];
  if (status === 'active' || status === 'open' || status === 'investigating') {
    const wanted = status === 'active' ? '^(open|investigating)$' : `^${status}$`;
    const found = incidents.matchRows(['status'], wanted);
    const set = new Set(found);
    rows = found.length ? incidents.readRows(Math.min(...found), Math.max(...found) - Math.min(...found) + 1).filter((r) => set.has(r._row)) : [];
  } else {
    const last = incidents.lastRow();
    // Resolved incidents are most of the tab: reading the last rows finds the newest of them.
    const span = Math.min(Math.max(0, last - 1), status === 'all' && !type ? limit : 2000);
    rows = incidents.readRows(last - span + 1, span);
    if (status === 'resolved') rows = rows.filter((r) => r.status === 'resolved');
  }
  const list = rows
    .filter((r) => r.id !== '' && (!type || r.type === type))
    .reverse()
    .slice(0, limit)
    .map(incidentView);
  return done(FR.incidentsAdmin.listed(list.length), { incidents: list });
}

function iso(d: unknown): string | null {
  return isDate(d) && !isNaN(d.getTime()) ? d.toISOString() : null;
}

function incidentView(r: Omit<Stored<typeof INCIDENTS>, '_row'>): IncidentView {
  return {
    id: r.id,
    created_at: iso(r.created_at),
    type: r.type,
    severity: r.severity,
    status: r.status,
    title: r.title,
    ref: r.ref,
    resolution: r.resolution,
    resolved_at: iso(r.resolved_at),
    label: [incidentType(r.type), SEVERITY_FR[r.severity] ?? r.severity, INCIDENT_STATUS_FR[r.status] ?? r.status].join(' · '),
  };
}
