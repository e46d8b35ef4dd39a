/**
 * The routines' emails to the operator: pure functions from the figures of src/domain/routines.ts
 * to `{ subject, text, html }`. Each email opens with what needs a decision, then the details.
 * One model (a title, decisions, sections of lines and tables) is rendered twice, as plain text
 * and as HTML, so both parts always say the same. Every value from the Sheet is escaped in the
 * HTML; every French word comes from strings.fr.ts.
 */
import { FR, INCIDENT_STATUS_FR, SEVERITY_FR, campaignStatusFr, euros, numberFr, phoneFr } from './strings.fr';
import { escapeHtml } from './pages';
import { PRIORITY_HOURS, type Adjustment, type CallEntry, type Conversion, type KpiFigures, type ObjectiveCheck, type OptOutBreach, type UncalledLead } from '../domain/routines';
import type { CampaignSummary } from '../domain/ads';

/** A table cell: text, or text with a link (a `tel:` link for a phone). */
export type Cell = string | { text: string; href: string };

/** A part of a report. */
export interface Section {
  title: string;
  lines?: string[];
  table?: { head: readonly string[]; rows: Cell[][] };
  /** Shown instead of an empty table. */
  empty?: string;
}

/**
 * Something the operator has to decide: what, the people it concerns by name, and where to act
 * (the Sheet, whose Sirrius menu does it).
 */
export interface Decision {
  text: string;
  people?: string[];
  href?: string;
  /** How many people it concerns in all, when `people` names only the first of them. */
  total?: number;
}

/** A report before rendering. */
export interface Report {
  subject: string;
  title: string;
  decisions: Array<string | Decision>;
  sections: Section[];
}

/** A decision with its people and the link to the Sheet. */
function decision(text: string, people: readonly string[] = [], href = '', total = people.length): Decision {
  return { text, people: [...people], href, total };
}

const decisionText = (d: string | Decision): string => {
  if (typeof d === 'string') return d;
  const text = d.text.replace(/\.$/, '');
  return d.people && d.people.length ? `${text} : ${R.names(d.people, undefined, d.total)}.` : `${text}.`;
};

/** A rendered email: plain text and HTML parts. */
export interface Email {
  subject: string;
  text: string;
  html: string;
}

/** Most rows of a list shown in an email (the rest is counted). */
export const MAX_LIST = 100;

const R = FR.routines;

const cellText = (c: Cell): string => (typeof c === 'string' ? c : c.text);

/** Renders a report as a plain-text and an HTML email. */
export function render(report: Report): Email {
  const decisions: Array<string | Decision> = report.decisions.length ? report.decisions : [R.nothingToDecide];
  const text: string[] = [report.title, '', `${R.decisionsTitle} :`];
  for (const d of decisions) {
    text.push(`- ${decisionText(d)}`);
    if (typeof d !== 'string' && d.href) text.push(`  ${R.openSheet} : ${d.href}`);
  }
  for (const s of report.sections) {
    text.push('', `${s.title}`, '-'.repeat(Math.min(60, s.title.length)));
    for (const line of s.lines ?? []) text.push(line);
    if (s.table) {
      if (s.table.rows.length === 0) text.push(s.empty ?? R.none);
      for (const row of s.table.rows) text.push(`- ${row.map(cellText).filter((c) => c !== '').join(' | ')}`);
    }
  }
  text.push('', R.footer);

  const h = escapeHtml;
  const html: string[] = [
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#202124;line-height:1.45;max-width:46rem">',
    `<h1 style="font-size:1.25rem">${h(report.title)}</h1>`,
    `<div style="background:#fef7e0;border-left:4px solid #f9ab00;padding:.5rem 1rem"><h2 style="font-size:1.05rem;margin:.25rem 0">${h(R.decisionsTitle)}</h2><ul>`,
    ...decisions.map((d) => `<li>${h(decisionText(d))}${typeof d !== 'string' && d.href ? ` <a href="${h(d.href)}">${h(R.openSheet)}</a>` : ''}</li>`),
    '</ul></div>',
  ];
  for (const s of report.sections) {
    html.push(`<h2 style="font-size:1.05rem;margin-top:1.25rem">${h(s.title)}</h2>`);
    for (const line of s.lines ?? []) html.push(`<p style="margin:.25rem 0">${h(line)}</p>`);
    if (s.table) {
      if (s.table.rows.length === 0) {
        html.push(`<p style="margin:.25rem 0">${h(s.empty ?? R.none)}</p>`);
      } else {
        html.push('<table style="border-collapse:collapse" cellpadding="4">');
        html.push(`<tr>${s.table.head.map((c) => `<th style="text-align:left;border-bottom:1px solid #ccc">${h(c)}</th>`).join('')}</tr>`);
        for (const row of s.table.rows) {
          const cells = row.map((c) => (typeof c === 'string' ? h(c) : `<a href="${h(c.href)}">${h(c.text)}</a>`));
          html.push(`<tr>${cells.map((c) => `<td style="border-bottom:1px solid #eee;vertical-align:top">${c}</td>`).join('')}</tr>`);
        }
        html.push('</table>');
      }
    }
  }
  html.push(`<p style="color:#5f6368;font-size:.85rem;margin-top:1.5rem">${h(R.footer)}</p></body></html>`);
  return { subject: report.subject, text: text.join('\n'), html: html.join('\n') };
}

/** A `tel:` link for a phone (digits and a leading + only), shown as a person reads it (06 12 34 56 78). */
export function phoneCell(phone: string): Cell {
  const digits = phone.replace(/[^\d+]/g, '');
  if (!phone.trim()) return FR.adsAccount.dash; // no phone (a manual lead with an e-mail): the columns stay in place
  return /^\+?\d{6,15}$/.test(digits) ? { text: phoneFr(phone), href: `tel:${digits}` } : phone;
}

/** A person in a decision: the name, with the phone when there is one (`Alice Lambert (06 12 34 56 78)`). */
const withPhone = (name: string, phone: string): string => (phone ? `${name} (${phoneFr(phone)})` : name);

/** A percentage the French way (`12,5 %`). */
const pct = (n: number) => R.percent(n);

/** Caps a list, with a last line counting what was left out. */
function capped<T>(items: readonly T[], max = MAX_LIST): { shown: T[]; more: string[] } {
  return { shown: items.slice(0, max), more: items.length > max ? [R.andMore(items.length - max)] : [] };
}

// ---- KPI ---------------------------------------------------------------------------------------

/** The KPI table: every figure, with the objective where Config has one. */
export function kpiTable(kpi: KpiFigures, checks: readonly ObjectiveCheck[]): Section['table'] {
  const objective: Partial<Record<keyof KpiFigures, ObjectiveCheck>> = {
    leads_received: checks.find((c) => c.key === 'leads'),
    leads_converted: checks.find((c) => c.key === 'conversions'),
    mrr_added: checks.find((c) => c.key === 'mrr'),
  };
  const money = new Set<keyof KpiFigures>(['mrr_added', 'ad_spend', 'cost_per_lead', 'cost_per_conversion']);
  const show = (k: keyof KpiFigures, v: number | null) =>
    v === null ? FR.adsAccount.dash : money.has(k) ? euros(v) : k === 'conversion_rate' || k === 'capacity_used_pct' ? pct(v) : String(v);
  const rows = (Object.keys(R.kpiLabels) as Array<keyof KpiFigures>).map((k): Cell[] => {
    const o = objective[k];
    return [R.kpiLabels[k], show(k, kpi[k]), o ? show(k, o.objective) : '', o ? (o.met ? R.met : R.missed) : ''];
  });
  return { head: R.kpiHead, rows };
}

// ---- 9h ----------------------------------------------------------------------------------------

/** What the morning email reports (SOP Matin 1–4). */
export interface MorningData {
  date: string;
  yesterday: string;
  kpi: { figures: KpiFigures; checks: ObjectiveCheck[] } | null;
  campaigns: Array<{ id: string; name: string; status: string; paused: boolean; lastSync: string; error: string }>;
  capacity: { current: number; max: number; remaining: number; usagePct: number; status: string };
  /** The leads without SMS that no retry will reach (opted out, no valid number): to call. */
  leads: { newCount: number; withoutSms: number; smsRetried: number; smsWaiting: number; smsBlocked: number; priority: CallEntry[]; blockedNames?: string[] };
  incidents: Array<{ title: string; severity: string; status: string; created: string; type?: string }>;
  stripe: { events: Record<string, number>; activeSubscriptions: number | null; failedPayments: number; failing: Array<{ name: string; failures: number; suspended: boolean }>; error: string };
  /** No KPI_Daily row at all yet: the first day, when yesterday's missing figures are no alarm. */
  firstDay?: boolean;
  /** The Sheet, for the link under each decision. */
  sheetUrl?: string;
  /** Issue 21: the ad account, and each campaign's spend and results (yesterday, 7 days). */
  ads?: { configured: boolean; canPause: boolean; figures: { yesterday: CampaignSummary[]; week: CampaignSummary[] }; error: string; otherTimezone: string };
  /** Issue 22: the leads not called yet, oldest first. */
  uncalled?: UncalledLead[];
}

/** The 9h email. */
export function morningEmail(d: MorningData): Email {
  const M = R.morning;
  const D = M.decide;
  const url = d.sheetUrl ?? '';
  const decisions: Decision[] = [];
  if (d.leads.priority.length) decisions.push(decision(D.priority(d.leads.priority.length), d.leads.priority.map((l) => withPhone(l.name, l.phone)), url));
  // Older leads still never called (yesterday's, typically): a decision too, not only a list below.
  const older = (d.uncalled ?? []).filter((l) => l.minutes >= PRIORITY_MINUTES && !unreachedBySms(l));
  if (older.length) decisions.push(decision(D.olderUncalled(older.length), older.map((l) => withPhone(l.name, l.phone)), url));
  // Titles hold colons of their own: quoted, they stay apart.
  if (d.incidents.length) decisions.push(decision(D.incidents(d.incidents.length), d.incidents.map((i) => `« ${i.title} »`), url));
  const blocked = d.leads.blockedNames ?? [];
  if (blocked.length) decisions.push(decision(D.withoutSms(blocked.length), blocked, url));
  const line = FR.capacity.dayLine(d.capacity.current, d.capacity.max, d.capacity.usagePct, d.capacity.status);
  if (d.capacity.status === 'full') decisions.push(decision(D.capacityFull(line, d.capacity.max), [], url));
  else if (d.capacity.status === 'warning') decisions.push(decision(D.capacityWarning(line, d.campaigns.length > 0), [], url));
  for (const c of d.campaigns) {
    if (c.error) decisions.push(decision(D.campaignSync(c.name || c.id), [], url));
    else if (!c.paused && c.status && c.status !== 'ACTIVE') decisions.push(decision(D.campaignOff(c.name || c.id, c.status), [], url));
  }
  // Named people, not a count of Stripe events (one client's retries are several events).
  if (d.stripe.failing.length) decisions.push(decision(D.payments(d.stripe.failing.length), d.stripe.failing.map((f) => D.failing(f.name, f.failures, f.suspended)), url));
  if (d.stripe.error) decisions.push(decision(D.stripe(d.stripe.error), [], url));
  if (!d.kpi && !d.firstDay) decisions.push(decision(D.kpiMissing, [], url));
  decisions.push(...adsDecisions(d.ads).map((text) => decision(text, [], url)), ...uncalledDecisions(d.uncalled, url));

  const priority = capped(d.leads.priority);
  const sections: Section[] = [
    d.kpi
      ? { title: M.kpiTitle(d.yesterday), table: kpiTable(d.kpi.figures, d.kpi.checks) }
      : { title: M.kpiTitle(d.yesterday), lines: [d.firstDay ? M.kpiFirstDay(d.yesterday) : M.kpiMissing(d.yesterday)] },
    {
      title: M.campaignsTitle,
      table: {
        head: M.campaignsHead,
        rows: d.campaigns.map((c) => [c.name ? `${c.name} (${c.id})` : c.id, c.error ? M.syncError(c.error) : c.status ? campaignStatusFr(c.status) : R.unknown, c.paused ? R.yes : R.no, c.lastSync || R.never]),
      },
      empty: M.noCampaigns,
    },
    { title: M.capacityTitle, lines: [M.capacity(d.capacity.current, d.capacity.max, d.capacity.remaining, d.capacity.usagePct, d.capacity.status)] },
    {
      title: M.leadsTitle,
      lines: [M.newLeads(d.leads.newCount), M.withoutSms(d.leads.withoutSms), M.smsRetried(d.leads.smsRetried), M.smsWaiting(d.leads.smsWaiting), M.smsBlocked(d.leads.smsBlocked)],
    },
    {
      title: M.priorityTitle,
      table: { head: M.priorityHead, rows: priority.shown.map((l) => [l.name, phoneCell(l.phone), FR.delivery.age(l.ageMinutes), l.smsSent ? R.yes : R.no]) },
      lines: priority.more,
    },
    {
      title: M.incidentsTitle,
      table: { head: M.incidentsHead, rows: d.incidents.map((i) => [i.title, SEVERITY_FR[i.severity] ?? i.severity, INCIDENT_STATUS_FR[i.status] ?? i.status, i.created]) },
    },
    {
      title: M.stripeTitle,
      lines: [
        M.stripeEvents(Object.entries(d.stripe.events).map(([st, n]) => M.eventStatus(st, n)).join(', ')),
        M.activeSubscriptions(d.stripe.activeSubscriptions),
        M.failedPayments(d.stripe.failedPayments),
        ...(d.stripe.failing.length ? [M.failingClients(d.stripe.failing.map((f) => D.failing(f.name, f.failures, f.suspended)).join(', '))] : []),
        ...(d.stripe.error ? [M.stripeError(d.stripe.error)] : []),
      ],
    },
    ...adsSections(d.ads, d.yesterday),
    ...uncalledSections(d.uncalled),
  ];
  return render({ subject: M.subject(d.date, decisions.length), title: M.title(d.date), decisions, sections });
}

// ---- issue 21: the ads, per campaign -----------------------------------------------------------

const money = (n: number | null) => (n === null ? FR.adsAccount.dash : euros(n));

/** The decisions the ads call for: no way to pause, a campaign spending for 7 days without a client. */
function adsDecisions(ads: MorningData['ads']): string[] {
  if (!ads) return [];
  const out: string[] = [];
  if (!ads.canPause) out.push(FR.adsAccount.decideNoAccount);
  for (const c of ads.figures.week) if (c.spend > 0 && c.conversions === 0) out.push(FR.adsAccount.decideNoConversion(c.name || c.id, euros(c.spend)));
  return out;
}

/** Yesterday's and the last 7 days' spend, leads, clients and costs per campaign. */
function adsSections(ads: MorningData['ads'], yesterday: string): Section[] {
  if (!ads) return [];
  const A = FR.adsAccount;
  const row = (c: CampaignSummary): Cell[] => [c.name || c.id, euros(c.spend), String(c.leads), String(c.conversions), money(c.costPerLead), money(c.costPerConversion)];
  const lines = [
    ...(ads.configured ? [] : [ads.canPause ? A.noAccountWithCampaigns : A.noAccount]),
    ...(ads.error ? [A.spendError(ads.error)] : []),
    ...(ads.otherTimezone ? [A.otherTimezone(ads.otherTimezone)] : []),
  ];
  return [
    { title: `${A.spendTitle} – ${A.spendYesterday(yesterday)}`, lines, table: { head: A.spendHead, rows: ads.figures.yesterday.map(row) }, empty: A.noSpend },
    { title: `${A.spendTitle} – ${A.spendWeek}`, table: { head: A.spendHead, rows: ads.figures.week.map(row) }, empty: A.noSpend },
  ];
}

// ---- issue 22: leads not called yet --------------------------------------------------------------

/** The leads whose SMS never arrived and that no one called: to call directly. */
function uncalledDecisions(uncalled: readonly UncalledLead[] | undefined, url: string): Decision[] {
  const unreached = (uncalled ?? []).filter(unreachedBySms);
  return unreached.length ? [decision(FR.delivery.decideCallInstead(unreached.length), unreached.map((l) => withPhone(l.name, l.phone)), url)] : [];
}

/** A lead whose SMS never arrived: it has its own decision (call instead). */
const unreachedBySms = (l: UncalledLead): boolean => l.smsStatus === 'undelivered' || l.smsStatus === 'failed';

/** The morning's priority window (PRIORITY_HOURS of the domain), in minutes. */
const PRIORITY_MINUTES = PRIORITY_HOURS * 60;

/** The leads not called yet with their wait since the form, oldest first. */
export function uncalledSections(uncalled: readonly UncalledLead[] | undefined): Section[] {
  if (!uncalled) return [];
  const D = FR.delivery;
  const list = capped(uncalled);
  return [
    {
      title: D.uncalledTitle,
      table: { head: D.uncalledHead, rows: list.shown.map((l) => [l.name, phoneCell(l.phone), D.age(l.minutes), D.smsStatus[l.smsStatus] ?? l.smsStatus]) },
      lines: list.more,
    },
  ];
}

// ---- 12h ---------------------------------------------------------------------------------------

/** What the noon email reports when less than 20 % of the day's capacity remains. */
export interface NoonData {
  date: string;
  before: number;
  current: number;
  max: number;
  remaining: number;
  usagePct: number;
  active: Array<{ id: string; name: string; status: string }>;
  sheetUrl?: string;
  /** Campaigns in Ads_Control (0: Sirrius cannot stop the ads, and must not say they are stopped). */
  known: number;
}

/** The 12h email (sent only below 20 % remaining). */
export function noonEmail(d: NoonData): Email {
  const N = R.noon;
  const remainingPct = d.max > 0 ? Math.max(0, Math.round((d.remaining * 1000) / d.max) / 10) : 0;
  const lines = [N.figures(d.current, d.max, d.remaining, pct(d.usagePct))];
  if (d.before !== d.current) lines.push(N.recount(d.before, d.current));
  return render({
    subject: N.subject(pct(remainingPct)),
    title: N.title(d.date),
    decisions: [decision(N.decide(d.active.length, d.known), d.active.map((c) => c.name || c.id), d.sheetUrl ?? '')],
    sections: [
      { title: R.morning.capacityTitle, lines },
      { title: N.activeTitle, table: { head: N.activeHead, rows: d.active.map((c) => [c.name || c.id, c.id, c.status ? campaignStatusFr(c.status) : R.unknown]) }, empty: d.known ? N.noneActive : N.noneKnown },
    ],
  });
}

// ---- 15h ---------------------------------------------------------------------------------------

/**
 * The 15h call list email. `olderBeyond`: older `new` leads not in `list` (the routine lists the
 * recent leads in full and only counts the older ones): counted in the totals and the "more" line.
 */
export function afternoonEmail(date: string, list: readonly CallEntry[], olderBeyond = 0, sheetUrl = '', uncalled?: readonly UncalledLead[]): Email {
  const A = R.afternoon;
  const fresh = list.filter((l) => l.fresh);
  const older = list.filter((l) => !l.fresh);
  const row = (l: CallEntry): Cell[] => [l.name, phoneCell(l.phone), FR.delivery.age(l.ageMinutes), l.notes.split('\n').slice(-3).join(' / ')];
  const f = capped(fresh);
  const o = capped(older);
  const olderMore = older.length + olderBeyond > MAX_LIST || olderBeyond > 0 ? [R.andMore(older.length + olderBeyond - o.shown.length)] : [];
  const total = list.length + olderBeyond;
  return render({
    subject: A.subject(date, total),
    title: A.title(date),
    decisions: total ? [decision(A.decide(fresh.length, older.length + olderBeyond), list.map((l) => withPhone(l.name, l.phone)), sheetUrl)] : [],
    sections: [
      { title: A.freshTitle, table: { head: A.head, rows: f.shown.map(row) }, lines: [...f.more, ...(total ? [A.howTo] : [])] },
      { title: A.olderTitle, table: { head: A.head, rows: o.shown.map(row) }, lines: olderMore },
      ...uncalledSections(uncalled),
    ],
  });
}

// ---- 18h ---------------------------------------------------------------------------------------

/** What the evening email reports (SOP Fin de journée 7–8). */
export interface EveningData {
  date: string;
  kpi: KpiFigures;
  checks: ObjectiveCheck[];
  adjustments: Adjustment[];
  uncontacted: number;
  conversions: Conversion[];
  stripe: { active: number; unlinked: Array<{ id: string; customer: string }>; gone: Array<{ id: string; name: string; sub: string; status: string }>; error: string };
  optOuts: { numbers: number; fixed: number; recorded: string[]; normalised: number; duplicates: number; breaches: Array<OptOutBreach & { last: string }> };
  backup: { name: string; made: boolean; trashed: number; error: string };
  journal: { removed: number; days: number };
  incidentsOpened: number;
  /** Issue 22: the month's SMS cost so far (Twilio's prices, by currency). */
  smsCost?: { month: string; amounts: Array<{ unit: string; amount: number }>; count: number };
  /** The `new` leads never contacted, by name and phone (the newest; `uncontacted` counts them all). */
  uncontactedLeads?: Array<{ name: string; phone: string }>;
  /** Titles of the high incidents still open from before this run. */
  openHigh?: string[];
  /** The day's capacity (for the "capacity reached" decision). */
  capacity?: { current: number; max: number; usagePct: number; status: string };
  sheetUrl?: string;
}

/** The 18h email. */
export function eveningEmail(d: EveningData): Email {
  const E = R.evening;
  const url = d.sheetUrl ?? '';
  const decisions: Decision[] = [];
  // Every "adjust" line that needs a person is a decision too: "Rien à décider" never sits above leads to call.
  if (d.uncontacted > 0) {
    // Only the newest are read by name: the others are counted in "et N autres", never as a name.
    decisions.push(decision(E.decide.uncontacted(d.uncontacted), (d.uncontactedLeads ?? []).map((l) => withPhone(l.name, l.phone)), url, d.uncontacted));
  }
  if (d.capacity && d.capacity.status === 'full') {
    const c = d.capacity;
    decisions.push(decision(R.morning.decide.capacityFull(FR.capacity.dayLine(c.current, c.max, c.usagePct, c.status), c.max), [], url));
  }
  if (d.incidentsOpened) decisions.push(decision(E.decide.incidents(d.incidentsOpened), [], url));
  if (d.openHigh?.length) decisions.push(decision(E.decide.openHigh(d.openHigh.length), d.openHigh.map((t) => `« ${t} »`), url));
  if (d.optOuts.breaches.length) decisions.push(decision(E.decide.breach(d.optOuts.breaches.length), d.optOuts.breaches.map((b) => phoneFr(b.phone)), url));
  if (d.backup.error) decisions.push(decision(E.decide.backup, [], url));
  if (d.stripe.error) decisions.push(decision(E.decide.stripe(d.stripe.error), [], url));
  const adjust = d.adjustments.map((a) => (a === 'contact_backlog' ? E.adjust.contact_backlog(d.uncontacted) : E.adjust[a]));

  const stripeLines = d.stripe.error
    ? [E.stripeError(d.stripe.error)]
    : d.stripe.unlinked.length === 0 && d.stripe.gone.length === 0
      ? [E.stripeOk(d.stripe.active)]
      : [...d.stripe.unlinked.map((s) => E.unlinked(s.id, s.customer)), ...d.stripe.gone.map((g) => E.gone(g.name, g.id, g.sub, g.status))];
  const optLines = [
    ...(d.optOuts.recorded.length ? [E.optOutRecorded(d.optOuts.recorded)] : []),
    ...(d.optOuts.normalised ? [E.optOutNormalised(d.optOuts.normalised)] : []),
    ...(d.optOuts.duplicates ? [E.optOutDuplicates(d.optOuts.duplicates)] : []),
    ...(d.optOuts.fixed ? [E.optOutFixed(d.optOuts.fixed)] : []),
    ...d.optOuts.breaches.map((b) => E.optOutBreach(b.phone, b.sent, b.last)),
  ];
  const backupLines = d.backup.error
    ? [E.backupFailed(d.backup.error)]
    : [d.backup.made ? E.backupDone(d.backup.name) : E.backupAlready(d.backup.name), ...(d.backup.trashed ? [E.backupTrashed(d.backup.trashed)] : [])];
  return render({
    subject: E.subject(d.date, d.kpi.leads_received, d.kpi.leads_converted, euros(d.kpi.mrr_added)),
    title: E.title(d.date),
    decisions,
    sections: [
      { title: E.kpiTitle, table: kpiTable(d.kpi, d.checks) },
      { title: E.adjustTitle, lines: adjust },
      { title: E.successTitle, table: { head: E.successHead, rows: d.conversions.map((c) => [c.name, c.suspended ? E.suspendedSince(euros(c.mrr)) : euros(c.mrr)]) }, empty: E.noConversion },
      { title: E.stripeTitle, lines: stripeLines },
      { title: E.optOutTitle, lines: optLines.length ? optLines : [E.optOutOk(d.optOuts.numbers)] },
      { title: E.backupTitle, lines: backupLines },
      ...(d.journal.removed ? [{ title: E.journalTitle, lines: [E.journalRemoved(d.journal.removed, d.journal.days)] }] : []),
      ...deliverySections(d),
    ],
  });
}

/** Issue 22 in the evening: speed to lead, SMS received, and what SMS cost this month. */
function deliverySections(d: EveningData): Section[] {
  const D = FR.delivery;
  const sections: Section[] = [{ title: D.speedTitle, lines: [D.median(d.kpi.median_minutes_to_contact), D.delivered(d.kpi.sms_delivered, d.kpi.sms_sent)] }];
  if (d.smsCost) {
    const c = d.smsCost;
    const amount = c.amounts.map((a) => `${numberFr(a.amount, 2, 2)} ${a.unit}`).join(' + ');
    sections.push({ title: D.costTitle, lines: [c.count ? D.monthCost(c.month, amount, c.count) : D.noCost(c.month)] });
  }
  return sections;
}
