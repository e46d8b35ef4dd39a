/**
 * The global functions of the Apps Script project (SPEC §5): the only exports that the build
 * turns into top-level functions. Each is a thin shell over src/app/.
 */
import { withScriptLock } from './adapters/lock';
import { GasTriggers } from './adapters/triggers';
import { currentUi, gasNotifier } from './adapters/ui';
import { respond } from './adapters/web';
import { Ctx } from './app/context';
import { addMenu } from './app/menu';
import { applyEdit } from './app/edits';
import { runReconcile, type ReconcileReport } from './app/reconcile';
import { runArchive, type ArchiveReport } from './app/archive';
import { describeSetup, runSetup, type SetupReport } from './app/setup';
import { handleGet, handlePost } from './app/webapp';
import { replayMetaLead as replayMetaLeadAction } from './app/meta-actions';
import { CONFIG } from './domain/schema';
import { convertLead as convertLeadAction, replayStripeEvent as replayStripeEventAction } from './app/stripe-actions';
import { runAction } from './app/actions';
import * as capacity from './app/capacity';
import * as gdpr from './app/gdpr';
import * as manual from './app/manual-lead';
import * as operator from './app/operator';
import { runAfternoon, runEvening, runMorning, runNoon, runRoutine, type RoutineReport } from './app/routines';
import { markContacted as markContactedAction } from './app/contact';
import * as dashboard from './app/dashboard';
import * as sidebar from './app/sidebar';
import * as platform from './app/platform';
import * as search from './app/search';
import { FR } from './ui/strings.fr';
import { guarded } from './app/guard';

/** Adds the "Sirrius" menu when the Sheet opens. */
export function onOpen(e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  addMenu(SpreadsheetApp.getUi());
  // Then the Dashboard, if a figure changed since its last refresh (issue 19): what the operator
  // reads at 9h is never older than the Sheet's opening. A simple trigger (30 s, no UrlFetch): the
  // refresh only reads and writes the Sheet; a busy lock leaves it to reconcile; never throws.
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (!dashboard.isOpenEvent(e, ss.getId())) return;
  try {
    withScriptLock(() => dashboard.refreshIfStale(Ctx.gas()), OPEN_LOCK_MS);
  } catch (err) {
    console.error(`onOpen dashboard: ${err instanceof Error ? err.name : 'error'}`);
  }
}

/** How long opening the Sheet waits for a webhook or a trigger before leaving the Dashboard to reconcile. */
const OPEN_LOCK_MS = 2000;

/**
 * A person's edit: on the Config tab the cached Config is dropped so that the change applies at
 * once; a number typed in Opt_Outs or a lead set `opted_out` by hand is recorded as an opt-out; a
 * lead's status typed by hand stamps contacted_at / updated_at (src/app/edits.ts).
 */
export function onEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  const range = e?.range;
  if (!range) return;
  if (range.getSheet().getName() === CONFIG.name) return Ctx.forgetConfig();
  applyEdit(range);
}

/** Creates or migrates the tabs and Config, installs the triggers. Safe to run any number of times. */
export function setup() {
  return guarded('setup', (): SetupReport => {
    const report = withScriptLock(() => runSetup(SpreadsheetApp.getActiveSpreadsheet(), new GasTriggers(), Ctx.gas()), 60000);
    gasNotifier().alert(describeSetup(report));
    return report;
  });
}

/** The web app, GET: Meta's verification handshake and the SMS opt-out page. Never throws. */
export function doGet(e: GoogleAppsScript.Events.DoGet) {
  return respond(handleGet(e));
}

/** The web app, POST: Stripe, Meta and Twilio webhooks. Never throws. */
export function doPost(e: GoogleAppsScript.Events.DoPost) {
  return respond(handlePost(e));
}

/** KO #1: replays a Stripe event by its id (evt_…); a processed event is never applied twice. */
export function replayStripeEvent(eventId: string) {
  return guarded('replayStripeEvent', () => replayStripeEventAction(eventId));
}

/** KO #1 for Meta: replays a lead by its leadgen id, or (no id) every Meta lead given up after its retry window. */
export function replayMetaLead(leadgenId?: string) {
  return guarded('replayMetaLead', () => replayMetaLeadAction(leadgenId));
}

/** OK #3 by hand: converts a lead with the live subscription of a Stripe customer (cus_…). */
export function convertLead(leadId: string, stripeCustomerId: string) {
  return guarded('convertLead', () => convertLeadAction(leadId, stripeCustomerId));
}

/** OK #1: records a lead received outside Facebook ({first_name, last_name, phone, email, source_detail}); never texted. */
export function addManualLead(form: unknown) {
  return runAction((ctx) => manual.addManualLead(ctx, form));
}

/**
 * OK #2 by hand: opts a number out of SMS, given as a phone (any spelling) or a lead id, with the
 * reason if known. Two steps: without `confirm` it only shows who the number concerns and returns
 * `confirm`; called again with that value, it records the opt-out (which cannot be undone).
 */
export function optOutLead(phoneOrLeadId: unknown, reason: unknown, confirm?: unknown) {
  return runAction((ctx) => operator.optOutLead(ctx, phoneOrLeadId, reason, confirm));
}

/** OK #2 and OK #3 sidebars: the leads matching a name, an e-mail, a phone or a lead id (at most 20, newest first). */
export function findLeads(query: unknown) {
  return runAction((ctx) => search.findLeads(ctx, query));
}

/** Closes an incident (inc_…) with its resolution. */
export function resolveIncident(incidentId: unknown, resolution: unknown) {
  return runAction((ctx) => operator.resolveIncident(ctx, incidentId, resolution));
}

/** Lists incidents, newest first: {status: active|open|investigating|resolved|all, type, limit} (default: active). */
export function listIncidents(filter?: unknown) {
  return runAction((ctx) => operator.listIncidents(ctx, filter));
}

/** KO #2: raises or lowers today's maximum number of leads and recomputes the day's capacity. */
export function setTodayCapacity(maxLeads: unknown) {
  return runAction((ctx) => capacity.setTodayCapacity(ctx, maxLeads));
}

/** KO #2: today's new leads beyond the maximum become rejected, with a note: those given (lead ids), else the newest non-manual ones. */
export function rejectExcessLeads(leadIds?: unknown) {
  return runAction((ctx) => capacity.rejectExcessLeads(ctx, leadIds));
}

/** KO #2: who rejectExcessLeads would reject (today's new leads, the proposed ones ticked), for the confirmation. */
export function excessLeadsPreview() {
  return runAction((ctx) => capacity.excessLeadsPreview(ctx));
}

/** KO #2 by hand: pauses every campaign of Ads_Control through the Graph API, with the reason. */
export function pauseCampaigns(reason: unknown) {
  return runAction((ctx) => capacity.pauseCampaigns(ctx, reason));
}

/** Resumes every paused campaign of Ads_Control through the Graph API. */
export function resumeCampaigns() {
  return runAction((ctx) => capacity.resumeCampaigns(ctx));
}

/** Reads each campaign's name and effective status from Facebook into Ads_Control. */
export function syncCampaigns() {
  return runAction((ctx) => capacity.syncCampaigns(ctx));
}

/** GDPR: erases a person's data (by lead id or phone); the number stays in Opt_Outs if it opted out. */
export function eraseLead(leadIdOrPhone: unknown) {
  return runAction((ctx) => gdpr.eraseLead(ctx, leadIdOrPhone));
}

/** GDPR: everything held on a person (by lead id or phone), as a JSON string. */
export function exportLead(leadIdOrPhone: unknown) {
  return runAction((ctx) => gdpr.exportLead(ctx, leadIdOrPhone));
}

/** 9h (SOP Matin 1–4): emails the operator yesterday's KPI, campaigns, capacity, leads to handle, incidents and Stripe. */
export function routineMorning(e?: unknown): RoutineReport {
  return runRoutine('routineMorning', runMorning, { event: e });
}

/** 12h (SOP Midi 5): recounts today's leads into Capacity, applies the capacity rules, warns below 20 % remaining. */
export function routineNoon(e?: unknown): RoutineReport {
  return runRoutine('routineNoon', runNoon, { event: e });
}

/** 15h (SOP Après-midi 6): emails the operator the call list (new leads under 6 h first). */
export function routineAfternoon(e?: unknown): RoutineReport {
  return runRoutine('routineAfternoon', runAfternoon, { event: e });
}

/** 18h (SOP Fin de journée 7–8): KPI_Daily, Stripe sync check, opt-out control, backup, journal retention, evening report. */
export function routineEvening(e?: unknown): RoutineReport {
  return runRoutine('routineEvening', runEvening, { event: e });
}

/** SOP Après-midi 6: marks a lead contacted (status, contacted_at) with the call's note. */
export function markContacted(leadId: unknown, note?: unknown) {
  return guarded('markContacted', () => markContactedAction(leadId, note));
}

/** Every 5 minutes: applies the Stripe events and Meta leads no webhook brought, retries what failed. */
export function reconcile(e?: unknown) {
  return guarded('reconcile', (): ReconcileReport => withScriptLock(() => runReconcile(Ctx.gas()), 30000), e);
}

/**
 * Daily at 3h: moves leads closed for longer than Config archive_after_days, and Events/Messages
 * rows past events_retention_days, to this year's archive spreadsheet (linked from Config), in
 * batches that each take the script lock briefly; resumable, and never archives Opt_Outs.
 */
export function archive(e?: unknown) {
  return guarded('archive', (): ArchiveReport => runArchive(Ctx.gas()), e);
}

// ---- The operator's UI (issue 7): menu-opening globals and the sidebars' data -----------------

/** Menu "Tableau de bord": refreshes the Dashboard tab and shows it. */
export function showDashboard() {
  return guarded('showDashboard', () => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    ss.toast(FR.ui.dashboard.refreshing, FR.menu.title, 10);
    const result = runAction((ctx) => dashboard.refreshDashboard(ctx));
    ss.getSheetByName(FR.ui.dashboard.tab)?.activate();
    ss.toast(result.ok ? result.message : result.error, FR.menu.title, 5);
    return result;
  });
}

/**
 * Menu "Configuration › Diagnostic": checks the live Sheet against what the project assumes of
 * Google (docs/platform.md) and shows the answer in a dialog; returns it too.
 */
export function showDiagnostic() {
  const result = runAction((ctx) => platform.runDiagnostic(ctx));
  // From the script editor there is no UI: the answer is still returned (and logged by the editor).
  currentUi()?.showModelessDialog(HtmlService.createHtmlOutput(platform.diagnosticHtml(result)).setWidth(560).setHeight(520), FR.ui.diagnostic.title);
  return result;
}

/** Rewrites the Dashboard tab's summary (the 18h routine does it too). */
export function refreshDashboard() {
  return runAction((ctx) => dashboard.refreshDashboard(ctx));
}

/** Menu OK #1: the manual lead form. */
export function showManualLeadSidebar() {
  return guarded('showManualLeadSidebar', () => sidebar.showSidebarPage('manual-lead'));
}

/** Menu OK #2: the opt-out form. */
export function showOptOutSidebar() {
  return guarded('showOptOutSidebar', () => sidebar.showSidebarPage('opt-out'));
}

/** Menu OK #3: the conversion form. */
export function showConvertSidebar() {
  return guarded('showConvertSidebar', () => sidebar.showSidebarPage('convert'));
}

/** Menu KO #1: the replay form. */
export function showReplaySidebar() {
  return guarded('showReplaySidebar', () => sidebar.showSidebarPage('replay'));
}

/** Menu KO #2: today's capacity and the campaigns. */
export function showCapacitySidebar() {
  return guarded('showCapacitySidebar', () => sidebar.showSidebarPage('capacity'));
}

/** Menu KO #3: the clients with failed payments. */
export function showPaymentsSidebar() {
  return guarded('showPaymentsSidebar', () => sidebar.showSidebarPage('payments'));
}

/** Menu: list, filter and resolve incidents. */
export function showIncidentsSidebar() {
  return guarded('showIncidentsSidebar', () => sidebar.showSidebarPage('incidents'));
}

/** Menu: the 15h call list. */
export function showFollowUpSidebar() {
  return guarded('showFollowUpSidebar', () => sidebar.showSidebarPage('follow-up'));
}

/** Menu: run a routine or reconcile now. */
export function showRunNowSidebar() {
  return guarded('showRunNowSidebar', () => sidebar.showSidebarPage('run-now'));
}

/** Menu: Script Properties (masked), webhook URLs, connection test. */
export function showConfigSidebar() {
  return guarded('showConfigSidebar', () => sidebar.showSidebarPage('config'));
}

/** Menu: links of the SOP and emergency contacts. */
export function showResourcesSidebar() {
  return guarded('showResourcesSidebar', () => sidebar.showSidebarPage('resources'));
}

/**
 * Private (trailing `_`: google.script.run cannot call it): a page's `<?!= include_('_style') ?>`
 * scriptlet, evaluated on the server when the template is.
 */
export function include_(name: string): string {
  const html = guarded('include_', () => sidebar.includeFile(name));
  return typeof html === 'string' ? html : '';
}

/** Capacity sidebar: today's capacity and the campaigns of Ads_Control. */
export function capacityOverview() {
  return runAction((ctx) => sidebar.capacityOverview(ctx));
}

/** Payments sidebar: the leads with failed payments. */
export function listFailedPayments() {
  return runAction((ctx) => sidebar.listFailedPayments(ctx));
}

/** Follow-up sidebar: the 15h call list. */
export function followUpList() {
  return runAction((ctx) => sidebar.followUpList(ctx));
}

/** Configuration sidebar: which Script Properties are set (secrets masked) and the webhook URLs. */
export function configStatus() {
  return runAction((ctx) => sidebar.configStatus(ctx));
}

/** Configuration sidebar: replaces WEBHOOK_TOKEN by a strong one (a strong one only with `confirm` true) and shows it to this editor once. */
export function generateWebhookToken(confirm?: unknown) {
  return runAction((ctx) => sidebar.generateWebhookToken(ctx, confirm));
}

/** Configuration sidebar: one cheap GET per provider with the configured credentials. */
export function testConnections() {
  return runAction((ctx) => sidebar.testConnections(ctx));
}

/** "Lancer maintenant": runs one routine or reconcile now (only those). */
export function runNow(name: unknown) {
  // By hand: the routine sends its email now and the scheduled run still sends at its hour. The
  // guard checks the caller once here; the routines it runs are then the same caller's.
  const byHand = { byHand: true };
  return guarded('runNow', () =>
    sidebar.runNow(name, {
      routineMorning: () => runRoutine('routineMorning', runMorning, byHand),
      routineNoon: () => runRoutine('routineNoon', runNoon, byHand),
      routineAfternoon: () => runRoutine('routineAfternoon', runAfternoon, byHand),
      routineEvening: () => runRoutine('routineEvening', runEvening, byHand),
      reconcile,
    }),
  );
}
