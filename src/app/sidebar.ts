/**
 * The server side of the operator's sidebars (issue 7): showing a page, and the read-only data
 * the lists need (capacity, failed payments, call list, configuration, connection tests,
 * "run now"). Every action a sidebar takes goes to the same global functions as triggers and
 * tests (SPEC §5); nothing here changes a lead, an incident or a campaign.
 */
import { CONFIG, LEADS } from '../domain/schema';
import { configProblems } from '../domain/config';
import { callList } from '../domain/routines';
import { leadName } from '../domain/routines';
import { SECRET_KEYS, SETTING_KEYS, DEFAULT_FB_API_VERSION } from '../adapters/settings';
import { base64, parisDay, randomSecret } from '../adapters/gas-services';
import { MIN_WEBHOOK_TOKEN_LENGTH } from '../domain/triggers';
import { isDate } from '../adapters/sheets';
import { done, refused, type ActionResult } from '../shared/types';
import {
  RUNNABLE,
  type CallView,
  type CampaignView,
  type CapacityOverview,
  type ConfigView,
  type ConnectionView,
  type FailedPaymentView,
  type PropertyView,
  type Runnable,
  type SidebarPage,
  type WebhookView,
} from '../shared/sidebar';
import { Ctx } from './context';
import { adAccount, campaignRows } from './ads';
import { todayCapacity } from './capacity';
import { formsMissingFromConfig } from './forms';
import { relayBase } from './delivery';
import { providerProblem, FR, LEAD_STATUS_FR, campaignStatusFr, phoneFr } from '../ui/strings.fr';

const UI = FR.ui;

/** The French texts of each page (its `t` template variable, and the client's strings). */
const PAGE_STRINGS: Record<SidebarPage, { title: string }> = {
  'manual-lead': UI.manualLead,
  'opt-out': UI.optOut,
  convert: UI.convert,
  replay: UI.replay,
  capacity: UI.capacity,
  payments: UI.payments,
  incidents: UI.incidents,
  'follow-up': UI.followUp,
  'run-now': UI.runNow,
  config: UI.config,
  resources: UI.resources,
};

/**
 * JSON for a `<script type="application/json">` block: `<` is escaped so that no text can close
 * the script element. Functions (French texts that take numbers) are dropped: the server writes
 * those texts into the data it answers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Evaluates src/ui/<page>.html with its texts and shows it in the sidebar. The page receives
 * only texts: no Script Property reaches a template (the Configuration page asks for a masked
 * view through google.script.run).
 */
export function showSidebarPage(page: SidebarPage): void {
  const strings = PAGE_STRINGS[page];
  const template = HtmlService.createTemplateFromFile(page);
  template.t = strings;
  template.stringsJson = scriptJson({ common: UI.common, page: strings });
  SpreadsheetApp.getUi().showSidebar(template.evaluate().setTitle(strings.title));
}

/** The content of src/ui/<name>.html, for `<?!= include_('_style') ?>` in a page (evaluated on the server). */
export function includeFile(name: string): string {
  return HtmlService.createHtmlOutputFromFile(name).getContent();
}

function iso(d: unknown): string | null {
  return isDate(d) && !isNaN(d.getTime()) ? d.toISOString() : null;
}

// ---- KO #2: capacity and campaigns --------------------------------------------------------------

/** Today's capacity and the campaigns of Ads_Control. The caller holds the lock (runAction). */
export function capacityOverview(ctx: Ctx): ActionResult<{ overview: CapacityOverview }> {
  const row = todayCapacity(ctx);
  const max = row ? row.max_leads : ctx.config().max_leads_per_day;
  const current = row ? row.current_leads : 0;
  const usagePct = row ? row.usage_pct : 0;
  const status = row ? row.status : 'open';
  const campaigns: CampaignView[] = campaignRows(ctx).map((c) => ({
    id: c.campaign_id,
    name: c.campaign_name || c.campaign_id,
    paused: c.ads_paused === true,
    effectiveStatus: c.effective_status ? campaignStatusFr(c.effective_status) : '',
    pausedReason: c.paused_reason,
    lastSync: iso(c.last_sync),
    lastError: c.last_error,
  }));
  const summary = row ? FR.ui.capacity.figures(current, max, usagePct, status) : FR.ui.capacity.noRow;
  return done(summary, { overview: { date: parisDay(ctx.now()), summary, current, max, usagePct, status, campaigns } });
}

// ---- KO #3: failed payments ---------------------------------------------------------------------

/**
 * Leads with at least one failed payment, most failures first. Reads the Leads tab once: the
 * sidebar is opened by a person, not by a webhook, so its cost may follow the tab's size.
 */
export function listFailedPayments(ctx: Ctx): ActionResult<{ payments: FailedPaymentView[] }> {
  const maxFailures = ctx.config().payment_max_failures;
  const payments = ctx
    .table(LEADS)
    .readAll()
    .filter((l) => l.payment_failures > 0)
    .sort((a, b) => b.payment_failures - a.payment_failures)
    .map((l) => ({
      id: l.id,
      name: leadName(l),
      email: l.email,
      phone: phoneFr(l.phone),
      customerId: l.stripe_customer_id,
      failures: l.payment_failures,
      failuresText: FR.ui.payments.failures(l.payment_failures),
      // "rejeté" would read as a refused prospect: after the last failure the client is suspended.
      status: l.status === 'rejected' && l.payment_failures >= maxFailures ? FR.ui.payments.suspended : (LEAD_STATUS_FR[l.status] ?? l.status),
      stripeUrl: /^cus_\w+$/.test(l.stripe_customer_id) ? `https://dashboard.stripe.com/customers/${l.stripe_customer_id}` : '',
    }));
  return done(payments.length ? FR.routines.morning.failedPayments(payments.length) : FR.ui.payments.none, { payments });
}

// ---- SOP 15h: the call list ---------------------------------------------------------------------

/** The 15h call list (new leads never contacted, under 6 h first), as the routine emails it. */
export function followUpList(ctx: Ctx): ActionResult<{ leads: CallView[] }> {
  const leads = callList(ctx.table(LEADS).readAll(), ctx.now()).map((c) => ({
    id: c.id,
    name: c.name,
    phone: phoneFr(c.phone),
    ageText: FR.ui.common.hoursAgo(Math.floor(c.ageHours)),
    fresh: c.fresh,
    notes: c.notes,
    smsSent: c.smsSent,
  }));
  return done(leads.length ? FR.ui.followUp.listed(leads.length) : FR.ui.followUp.none, { leads });
}

// ---- Configuration ------------------------------------------------------------------------------

/** Script Properties whose absence is a choice. */
const OPTIONAL_KEYS: readonly string[] = ['RELAY_TOKEN', 'RELAY_URL', 'FB_API_VERSION', 'FB_AD_ACCOUNT_ID', 'META_DATASET_ID', 'WEBAPP_URL'];

/** What is wrong with a property's value, in French ('' when nothing). */
function propertyProblem(ctx: Ctx, key: string, value: string): string {
  if (key === 'WEBHOOK_TOKEN' && value.length < MIN_WEBHOOK_TOKEN_LENGTH) return FR.ui.config.weakToken(MIN_WEBHOOK_TOKEN_LENGTH);
  if (key === 'RELAY_URL' && value === '' && ctx.settings.get('RELAY_TOKEN') !== '') return FR.ui.config.relayUrlMissing;
  if (key === 'RELAY_URL' && value !== '' && relayBase(value) === '') return FR.ui.config.relayUrlInvalid;
  return '';
}

/** Which Script Properties are set (a secret: set or not, nothing of its value), and the webhook URLs with a token placeholder. */
export function configStatus(ctx: Ctx): ActionResult<{ config: ConfigView }> {
  const secrets: readonly string[] = SECRET_KEYS;
  const properties: PropertyView[] = SETTING_KEYS.map((key) => {
    const value = ctx.settings.get(key);
    const secret = secrets.includes(key);
    const problem = propertyProblem(ctx, key, value);
    return { key, set: value !== '', shown: secret ? '' : key === 'ALERT_PHONE' ? phoneFr(value) : value, secret, problem, optional: OPTIONAL_KEYS.includes(key) };
  });
  const adsWarning = adsWarningOf(ctx);
  const { url, source } = ctx.webApp();
  // The token is a secret (SPEC §2): the page shows where it goes, never its value.
  return done(FR.ui.config.status, {
    config: {
      properties,
      webhooks: webhookUrls(ctx, '<WEBHOOK_TOKEN>'),
      webAppDeployed: url !== '',
      webAppUrl: url,
      webAppUrlSource: source,
      warnings: configWarnings(ctx),
      ...(adsWarning ? { adsWarning } : {}),
    },
  });
}

/** The webhook URLs to register at each provider, with `token` (the placeholder, or a new token for the editor who made it). */
function webhookUrls(ctx: Ctx, token: string): WebhookView[] {
  const url = ctx.webAppUrl();
  const names = FR.ui.config.providers;
  return url ? (['stripe', 'facebook', 'sms'] as const).map((provider) => ({ provider, label: names[provider], url: `${url}?source=${provider}&token=${token}` })) : [];
}

/** Issue 21: without the ad account and with Ads_Control empty, the capacity step pauses nothing. */
function adsWarningOf(ctx: Ctx): string | undefined {
  return adAccount(ctx) || campaignRows(ctx).length > 0 ? undefined : FR.adsAccount.noAccount;
}

/**
 * Replaces WEBHOOK_TOKEN by a strong random one (64 hex characters) and answers it, with the
 * webhook URLs, to the editor who asked (runAction: nobody else gets here). A token already strong
 * is replaced only when `confirm` is true: every provider's URL must then be updated.
 */
export function generateWebhookToken(ctx: Ctx, confirm: unknown): ActionResult<{ token: string; webhooks: WebhookView[] }> {
  const current = ctx.settings.get('WEBHOOK_TOKEN');
  if (current.length >= MIN_WEBHOOK_TOKEN_LENGTH && confirm !== true) return refused(FR.ui.config.tokenConfirm, 'confirm');
  const token = randomSecret();
  ctx.settings.setState('WEBHOOK_TOKEN', token);
  return done(FR.ui.config.tokenGenerated, { token, webhooks: webhookUrls(ctx, token) });
}

/** The Config values refused (out of range: the default is used) and the page's forms FB_FORM_IDS lacks, in French. */
export function configWarnings(ctx: Ctx): string[] {
  const pairs = ctx.table(CONFIG).readAll().map((r) => ({ key: r.key.trim(), value: r.value }));
  const refused = configProblems(pairs).map((p) => FR.ui.config.outOfRange(p.key, p.value, String(p.used), p.accepts));
  const forms = formsMissingFromConfig(ctx);
  return forms.length ? [...refused, FR.ui.config.formsMissing(forms)] : refused;
}

/** A failed GET in French: what it means and what to do (the raw answer is only logged, secrets removed). */
function failure(ctx: Ctx, label: string, keyName: string, status: number, text: string): string {
  console.warn(`${label}: ${ctx.redact(status === 0 ? text : `HTTP ${status}`).slice(0, 160)}`);
  return FR.ui.config.failed(status === 0 ? FR.ui.config.unreachable(label) : FR.ui.config.httpProblem(label, status, keyName));
}

/**
 * One cheap GET per provider with the configured credentials: Stripe `GET /v1/events?limit=1`,
 * Graph `GET /me`, Twilio `GET /Accounts/{sid}.json`. Answers what worked, never a secret.
 */
export function testConnections(ctx: Ctx): ActionResult<{ connections: ConnectionView[]; allOk: boolean }> {
  const s = ctx.settings;
  const checks: Array<{ provider: ConnectionView['provider']; label: string; keyName: string; keys: string[]; call: () => { status: number; text: string } }> = [
    {
      provider: 'stripe',
      label: 'Stripe',
      keyName: 'STRIPE_SECRET_KEY',
      keys: [s.get('STRIPE_SECRET_KEY')],
      call: () => ctx.http({ method: 'get', url: 'https://api.stripe.com/v1/events?limit=1', headers: { Authorization: `Bearer ${s.get('STRIPE_SECRET_KEY')}` } }),
    },
    {
      provider: 'graph',
      label: 'Meta (Graph API)',
      keyName: 'FB_ACCESS_TOKEN',
      keys: [s.get('FB_ACCESS_TOKEN')],
      call: () =>
        ctx.http({
          method: 'get',
          url: `https://graph.facebook.com/${s.get('FB_API_VERSION') || DEFAULT_FB_API_VERSION}/me?fields=id,name`,
          headers: { Authorization: `Bearer ${s.get('FB_ACCESS_TOKEN')}` },
        }),
    },
    {
      provider: 'twilio',
      label: 'Twilio',
      keyName: 'TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN',
      keys: [s.get('TWILIO_ACCOUNT_SID'), s.get('TWILIO_AUTH_TOKEN')],
      call: () =>
        ctx.http({
          method: 'get',
          url: `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(s.get('TWILIO_ACCOUNT_SID'))}.json`,
          headers: { Authorization: `Basic ${base64(`${s.get('TWILIO_ACCOUNT_SID')}:${s.get('TWILIO_AUTH_TOKEN')}`)}` },
        }),
    },
  ];
  const connections = checks.map(({ provider, label, keyName, keys, call }): ConnectionView => {
    if (keys.some((k) => !k)) return { provider, label, ok: false, detail: FR.ui.config.notConfigured };
    const res = call();
    return res.status === 200 ? { provider, label, ok: true, detail: FR.ui.config.ok } : { provider, label, ok: false, detail: failure(ctx, label, keyName, res.status, res.text) };
  });
  const failed = connections.filter((c) => !c.ok).map((c) => c.label);
  // Any failure leads the message, which the page then shows as an error, never in green.
  const message = failed.length ? FR.ui.config.testedWithFailures(failed, connections.length) : FR.ui.config.tested(connections.length, connections.length);
  return done(message, { connections, allOk: failed.length === 0 });
}

// ---- Lancer maintenant --------------------------------------------------------------------------

/** A JSON-safe copy (google.script.run returns null for a result holding a Date). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

/**
 * Runs one routine or reconcile now, with a toast before and after (a routine may take a while).
 * `fns` are the globals themselves, given by src/entry.ts: each takes the lock itself, so this
 * function must not (runAction would hold the lock they wait for).
 */
export function runNow(name: unknown, fns: Record<Runnable, () => unknown>): ActionResult<{ name: string; report: unknown }> {
  const R = FR.ui.runNow;
  if (typeof name !== 'string' || !(RUNNABLE as readonly string[]).includes(name)) return refused(R.unknown, 'name');
  const key = name as Runnable;
  const label = R.labels[key];
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  ss.toast(R.started(label), FR.menu.title, 30);
  try {
    const report = plain(fns[key]()) as Record<string, unknown> | null;
    if (report && report.ok === false) {
      const error = String(report.error ?? '');
      ss.toast(R.failed(label, error), FR.menu.title, 10);
      return refused(R.failed(label, error), 'name');
    }
    let detail = '';
    if (key === 'reconcile' && report) {
      const r = report as { stripe?: { applied?: number; error?: string }; facebook?: { applied?: number; error?: string }; sms?: { sent?: number; error?: string } };
      detail = ` ${R.reconciled(r.stripe?.applied ?? 0, r.facebook?.applied ?? 0, r.sms?.sent ?? 0)}`;
      // A provider that did not answer: nothing could be checked there, so no green "Rien à rattraper".
      const unchecked = [r.stripe?.error, r.facebook?.error, r.sms?.error].filter((e): e is string => !!e).map(providerProblem);
      if (unchecked.length) {
        const caught = (r.stripe?.applied ?? 0) + (r.facebook?.applied ?? 0) + (r.sms?.sent ?? 0) > 0 ? detail : '';
        const message = `${label} : ${R.notChecked([...new Set(unchecked)])}${caught}`;
        ss.toast(message, FR.menu.title, 10);
        return refused(message, 'name');
      }
    } else if (report) {
      // Exactly what went out: the address and subject, or why nothing did.
      const mail = report.mail as { to: string; subject: string } | undefined;
      if (report.emailed && mail) detail = ` ${R.emailed(mail.to, mail.subject, report.scheduledSent === true)}`;
      else if (report.notSent === 'no_alert_email') detail = ` ${R.noAlertEmail}`;
      else if (report.notSent === 'nothing_to_report') detail = ` ${R.nothingToReport}`;
      else if (report.skipped) detail = ` ${R.skipped}`;
    }
    ss.toast(R.done(label), FR.menu.title, 5);
    return done(`${R.done(label)}${detail}`, { name: key, report });
  } catch (e) {
    const error = Ctx.gas().redact(e instanceof Error ? e.message : String(e));
    ss.toast(R.failed(label, error), FR.menu.title, 10);
    return refused(R.failed(label, error), 'name');
  }
}
