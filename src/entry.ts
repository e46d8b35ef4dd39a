/**
 * The global functions of the Apps Script project (SPEC §5): the only exports that the build
 * turns into top-level functions. Each is a thin shell over src/app/.
 */
import { withScriptLock } from './adapters/lock';
import { GasTriggers } from './adapters/triggers';
import { gasNotifier } from './adapters/ui';
import { respond } from './adapters/web';
import { Ctx } from './app/context';
import { addMenu } from './app/menu';
import { runReconcile, type ReconcileReport } from './app/reconcile';
import { describeSetup, runSetup, type SetupReport } from './app/setup';
import { handleGet, handlePost } from './app/webapp';
import { CONFIG } from './domain/schema';
import { convertLead as convertLeadAction, replayStripeEvent as replayStripeEventAction } from './app/stripe-actions';

/** Adds the "Sirrius" menu when the Sheet opens. */
export function onOpen(): void {
  addMenu(SpreadsheetApp.getUi());
}

/** When a person edits the Config tab, the cached Config is dropped so that the change applies at once. */
export function onEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  if (e?.range?.getSheet().getName() === CONFIG.name) Ctx.forgetConfig();
}

/** Creates or migrates the tabs and Config, installs the triggers. Safe to run any number of times. */
export function setup(): SetupReport {
  const report = withScriptLock(() => runSetup(SpreadsheetApp.getActiveSpreadsheet(), new GasTriggers(), Ctx.gas()), 60000);
  gasNotifier().alert(describeSetup(report));
  return report;
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
  return replayStripeEventAction(eventId);
}

/** OK #3 by hand: converts a lead with the live subscription of a Stripe customer (cus_…). */
export function convertLead(leadId: string, stripeCustomerId: string) {
  return convertLeadAction(leadId, stripeCustomerId);
}

/** Every 5 minutes: applies the Stripe events and Meta leads no webhook brought, retries what failed. */
export function reconcile(): ReconcileReport {
  return withScriptLock(() => runReconcile(Ctx.gas()), 30000);
}
