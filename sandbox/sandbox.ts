/**
 * The sandbox's engine, without HTTP: the real bundle in the in-memory Apps Script, the simulated
 * providers, a clock that follows real time (or an offset of it), and persistence to
 * `<dir>/sirrius.xlsx` + `<dir>/state.json` after every execution. Every execution goes through one
 * queue (`enqueue`), so they never overlap and each is on disk before the next starts.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AppsScript,
  type ExecutionKind,
  type FailureMode,
  FakeProviders,
  fixture,
  type FetchReply,
  type FetchRequest,
  nextRun,
  type Provider,
  readHtmlOutput,
  type SentMail,
  type TriggerRecord,
  type WebRequest,
  type WebResponse,
  zonedParts,
  zonedToUtc,
} from '../emulator';
import { readEnvFile } from './env';
import { realFetch } from './real-fetch';
import { loadWorkbook, saveWorkbook, type SheetMeta, toWorkbook } from './workbook';

const ROOT = join(__dirname, '..');
const TZ = 'Europe/Paris';
/** The time-driven globals of SPEC §5, in the order the control page shows them. */
export const TIME_FUNCTIONS = ['reconcile', 'routineMorning', 'routineNoon', 'routineAfternoon', 'routineEvening'] as const;
const SCRIPT_ID = '1SandboxSirriusOps000000000000000000000000000000000000000';
/**
 * The web app URL the emulator gives `ScriptApp.getService().getUrl()` (a script.google.com
 * deployment URL, not configurable): the sandbox shows it as its own /exec wherever the script put it.
 */
const EMULATED_WEBAPP_URL = /https:\/\/script\.google\.com\/macros\/s\/[\w-]+\/exec/g;
/** Credentials that make a provider "real" in SANDBOX_REAL_APIS mode when .env.local sets them. */
const PROVIDER_KEYS: Record<Provider, string[]> = {
  stripe: ['STRIPE_SECRET_KEY'],
  graph: ['FB_ACCESS_TOKEN'],
  twilio: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
};
const HOSTS: Record<string, Provider> = { 'api.stripe.com': 'stripe', 'graph.facebook.com': 'graph', 'api.twilio.com': 'twilio' };
const MAX_JOURNAL = 200;
const MAX_EVENTS = 200;

/** Options of the sandbox engine. */
export interface SandboxOptions {
  /** Data directory: sirrius.xlsx, state.json, .env.local (default: the sandbox/ folder). */
  dir?: string;
  /** The built bundle (default dist/Code.js); its folder holds the .html files. */
  bundlePath?: string;
  /** Start the clock at this instant (it then runs with real time); default: where it was, else real time. */
  now?: Date | number;
  /** Send calls to the real provider hosts whose keys .env.local sets (default: env SANDBOX_REAL_APIS=1). */
  realApis?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Something the spreadsheet UI showed: a sidebar, a dialog, an alert, a prompt or a toast. */
export interface UiEvent {
  seq: number;
  kind: 'sidebar' | 'dialog' | 'alert' | 'prompt' | 'toast';
  title: string | null;
  message?: string;
  /** Sidebars and dialogs: id of the HTML served at /ui/html/:id. */
  htmlId?: string;
  at: number;
}

/** One line of the execution journal shown on the control page. */
export interface JournalEntry {
  seq: number;
  at: number;
  what: string;
  ok: boolean;
  detail: string;
  logs: string[];
}

/** state.json: everything but the cells. */
interface SavedState {
  version: 1;
  savedAt: string;
  clockOffsetMs: number;
  properties: { script: Record<string, string>; user: Record<string, string>; document: Record<string, string> };
  cache: Record<'script' | 'user' | 'document', [string, { value: string; expiresAt: number }][]>;
  triggers: TriggerRecord[];
  mail: SentMail[];
  /** Every data field of FakeProviders, encoded by `encode` (Maps, Sets and Dates tagged). */
  providers: Record<string, unknown>;
  sheets: Record<string, SheetMeta>;
}

/**
 * FakeProviders keeps its state in fields (public maps and lists, private counters and outages). The
 * sandbox saves every field that holds data, whatever its name, so that a new field is persisted
 * without touching this file and ids never repeat after a restart (the counters are saved too).
 */
function providerFields(p: FakeProviders): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (typeof v !== 'function') out[k] = v;
  return out;
}

/** JSON-safe copy with Maps, Sets and Dates tagged, so `decode` gives them back. */
function encode(v: unknown): unknown {
  if (v instanceof Date) return { $date: v.getTime() };
  if (v instanceof Map) return { $map: [...v].map(([k, x]) => [encode(k), encode(x)]) };
  if (v instanceof Set) return { $set: [...v].map(encode) };
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) }; // Infinity: an outage "until restored"
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('$date' in o) return new Date(o.$date as number);
  if ('$map' in o) return new Map((o.$map as [unknown, unknown][]).map(([k, x]) => [decode(k), decode(x)]));
  if ('$set' in o) return new Set((o.$set as unknown[]).map(decode));
  if ('$number' in o) return Number(o.$number);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
}

/** Puts saved values back into the provider's own containers (its fields are readonly references). */
function restoreProviders(p: FakeProviders, saved: Record<string, unknown>): void {
  const fields = providerFields(p);
  for (const [k, raw] of Object.entries(saved)) {
    const target = fields[k];
    const value = decode(raw);
    if (target instanceof Map && value instanceof Map) {
      target.clear();
      for (const [a, b] of value) target.set(a, b);
    } else if (target instanceof Set && value instanceof Set) {
      target.clear();
      for (const a of value) target.add(a);
    } else if (Array.isArray(target) && Array.isArray(value)) {
      target.length = 0;
      target.push(...value);
    } else if (target && typeof target === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
      Object.assign(target, value);
    } else if (typeof target === typeof value && typeof value !== 'object') {
      (p as unknown as Record<string, unknown>)[k] = value; // a plain counter
    }
  }
}

/** A short text for the journal. */
function summary(v: unknown): string {
  if (v === undefined) return '';
  if (v instanceof Error || (typeof v === 'object' && v !== null && 'message' in v && 'stack' in v)) return String((v as Error).message);
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 600 ? s.slice(0, 600) + '…' : s;
  } catch {
    return String(v);
  }
}

/** What an execution run by the sandbox answers: its result, or its error as text, and what the UI showed. */
type ExecuteOutcome = { ok: boolean; result?: unknown; error?: string; events: UiEvent[] };

/** The sandbox engine. Create it with `Sandbox.open`. */
export class Sandbox {
  readonly dir: string;
  readonly xlsxFile: string;
  readonly stateFile: string;
  /** The base URL of the server (set by the HTTP layer once it listens); /exec is the web app. */
  baseUrl = 'http://localhost:8080';
  /** True when the workbook did not exist at start (setup() ran). */
  fresh = false;
  /** Providers whose calls go to the real hosts. */
  readonly realProviders = new Set<Provider>();
  readonly events: UiEvent[] = [];
  readonly journal: JournalEntry[] = [];
  lastSaveError: string | null = null;
  lastSavedAt: number | null = null;

  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private readonly html = new Map<string, { title: string | null; content: string }>();
  private metas: Record<string, SheetMeta> = {};

  private constructor(
    readonly gas: AppsScript,
    readonly providers: FakeProviders,
    private offsetMs: number,
    dir: string,
    private readonly log: (line: string) => void,
  ) {
    this.dir = dir;
    this.xlsxFile = join(dir, 'sirrius.xlsx');
    this.stateFile = join(dir, 'state.json');
  }

  /** Loads (or creates) the sandbox in `dir`: reads the workbook and state.json, or runs setup() on a first start. */
  static async open(opts: SandboxOptions = {}): Promise<Sandbox> {
    const dir = opts.dir ?? join(ROOT, 'sandbox');
    const log = opts.log ?? (() => undefined);
    mkdirSync(dir, { recursive: true });
    const bundlePath = opts.bundlePath ?? join(ROOT, 'dist', 'Code.js');
    if (!existsSync(bundlePath)) throw new Error(`${bundlePath} est introuvable : lancez d'abord « npm run build ».`);
    const bundle = readFileSync(bundlePath, 'utf8');

    const xlsxFile = join(dir, 'sirrius.xlsx');
    const stateFile = join(dir, 'state.json');
    const fresh = !existsSync(xlsxFile);
    // Without the workbook, an old state.json would describe data that no longer exists: start over.
    let saved: SavedState | null = null;
    if (!fresh && existsSync(stateFile)) {
      try {
        saved = JSON.parse(readFileSync(stateFile, 'utf8')) as SavedState;
      } catch (e) {
        throw new Error(`${stateFile} est illisible (${(e as Error).message}) : corrigez-le, ou supprimez-le pour repartir des réglages par défaut.`);
      }
    }
    const spreadsheet = fresh ? undefined : await loadWorkbook(xlsxFile, saved?.sheets ?? {});

    const defaults = readEnvFile(join(ROOT, 'sandbox', 'sandbox.env'));
    const local = readEnvFile(join(dir, '.env.local'));
    const env = { ...defaults, ...local };

    const offsetMs = opts.now !== undefined ? new Date(opts.now).getTime() - Date.now() : (saved?.clockOffsetMs ?? 0);
    let gas: AppsScript | undefined;
    const providers = new FakeProviders(() => (gas ? gas.clock.now() : Date.now() + offsetMs));
    gas = new AppsScript({
      bundle,
      htmlDir: join(bundlePath, '..'),
      now: Date.now() + offsetMs,
      // The script's own properties (cursors, secrets it generated) first; the env files win for their keys.
      properties: { ...(saved?.properties.script ?? {}), ...env },
      spreadsheet,
      scriptId: SCRIPT_ID,
    });
    const sandbox = new Sandbox(gas, providers, offsetMs, dir, log);
    sandbox.fresh = fresh;
    sandbox.metas = saved?.sheets ?? {};
    const real = opts.realApis ?? process.env.SANDBOX_REAL_APIS === '1';
    if (real) {
      for (const [p, keys] of Object.entries(PROVIDER_KEYS) as [Provider, string[]][]) {
        if (keys.every((k) => local[k] && local[k] !== defaults[k])) sandbox.realProviders.add(p);
      }
    }
    gas.fetch = (req) => sandbox.route(req);
    if (saved) sandbox.restoreState(saved);

    if (fresh) {
      log('Premier démarrage : setup() crée les onglets et les déclencheurs.');
      providers.campaign('120210000000000001', 'Sirrius — Rénovation cuisine', 'ACTIVE');
      providers.campaign('120210000000000002', 'Sirrius — Salle de bain', 'ACTIVE');
      if (sandbox.hasGlobal('setup')) await sandbox.enqueue('setup()', () => sandbox.execute('setup', [], 'editor').result);
      else await sandbox.save();
    }
    // Opening the Sheet runs onOpen: the "Sirrius" menu exists from the start.
    if (sandbox.hasGlobal('onOpen')) await sandbox.enqueue('onOpen()', () => sandbox.openSheet().result);
    return sandbox;
  }

  // ---- the clock ------------------------------------------------------------------------------

  /** The fake clock's time: real time plus the offset chosen on the control page. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /** Moves the clock (offset from real time); going back re-plans the triggers so they fire again on time. */
  setClock(at: number | null): void {
    const before = this.gas.clock.now();
    this.offsetMs = at === null ? 0 : at - Date.now();
    const now = this.now();
    this.gas.clock.set(now);
    if (now < before) {
      for (const t of this.gas.triggers.triggers) {
        if (!t.schedule || t.schedule.kind === 'once' || t.nextDue === null) continue;
        // A trigger made "in the future" would otherwise wait until real time gets there.
        if (t.createdAt > now) t.createdAt = now;
        t.nextDue = nextRun(t, now);
      }
    }
  }

  /** The next instant (after now) at which Paris shows `hour`:00. */
  nextParisHour(hour: number): number {
    const now = this.now();
    const p = zonedParts(now, TZ);
    let at = zonedToUtc(TZ, p.year, p.month, p.day, hour, 0, 0);
    if (at <= now) at = zonedToUtc(TZ, p.year, p.month, p.day + 1, hour, 0, 0);
    return at;
  }

  // ---- executions -----------------------------------------------------------------------------

  /**
   * Runs `job` after every job queued before it, then saves the workbook and state. The job runs
   * synchronously (executions are synchronous), so nothing else touches the stores meanwhile.
   */
  enqueue<T>(what: string, job: () => T, opts: { persist?: boolean } = {}): Promise<T> {
    const run = this.queue.then(async () => {
      let out: T;
      try {
        out = job();
      } finally {
        if (opts.persist !== false) await this.save();
      }
      return out;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every queued job is done (and saved). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** True when the bundle defines that global function. */
  hasGlobal(name: string): boolean {
    return this.gas.hasGlobal(name); // the emulator lists the bundle's globals once and caches them
  }

  /** Runs a global in a new execution (call inside `enqueue`). Records the journal and what the UI showed. */
  execute(fn: string, args: unknown[] = [], kind: ExecutionKind = 'editor', label?: string): ExecuteOutcome {
    return this.recorded(label ?? `${fn}()`, () => this.gas.runDetailed(fn, args, { kind }));
  }

  /** A person opens the Sheet: onOpen runs with Sheets' event (call inside `enqueue`). Records the journal. */
  openSheet(): ExecuteOutcome {
    return this.recorded('onOpen()', () => this.gas.open() ?? { logs: [] as string[], result: undefined });
  }

  /** Runs one execution at the sandbox's time, then records it in the journal with what the UI showed. */
  private recorded(label: string, run: () => { result?: unknown; error?: unknown; logs: string[] }): ExecuteOutcome {
    this.gas.clock.set(this.now());
    const out = run();
    const ok = !('error' in out);
    const events = this.collectUi();
    this.record(label, ok, ok ? summary(out.result) : summary(out.error), out.logs);
    return ok ? { ok, result: out.result, events } : { ok, error: summary(out.error) || 'Erreur inconnue', events };
  }

  /** A request to the web app (call inside `enqueue`). A script error is returned as `error`. */
  webRequest(req: WebRequest, label: string): { response?: WebResponse; error?: string } {
    this.gas.clock.set(this.now());
    const logsBefore = this.gas.logs.length;
    try {
      const response = this.gas.request(req);
      this.record(label, true, response.content.slice(0, 600), this.gas.logs.slice(logsBefore));
      this.collectUi();
      return { response };
    } catch (e) {
      this.record(label, false, summary(e), this.gas.logs.slice(logsBefore));
      return { error: summary(e) };
    }
  }

  /** Posts the SMS status callbacks the simulated Twilio has due, as Twilio would (call inside `enqueue`). */
  deliverStatusCallbacks(): number {
    this.gas.clock.set(this.now());
    const due = this.providers.takeStatusCallbacks();
    for (const c of due) {
      const query = Object.fromEntries(new URL(c.url).searchParams);
      this.webRequest({ method: 'POST', query, body: new URLSearchParams(c.params).toString(), contentType: 'application/x-www-form-urlencoded' }, `Statut Twilio ${c.params.MessageStatus} → /exec`);
    }
    return due.length;
  }

  /** Runs the time-driven triggers that are due (call inside `enqueue`). */
  fireDueTriggers(): string[] {
    this.gas.clock.set(this.now());
    const failuresBefore = this.gas.triggers.failures.length;
    const logsBefore = this.gas.logs.length;
    const ran = this.gas.fireDueTriggers();
    const failed = this.gas.triggers.failures.slice(failuresBefore);
    if (ran.length) this.record(`Déclencheurs : ${ran.join(', ')}`, failed.length === 0, failed.map((f) => `${f.handler} : ${summary(f.error)}`).join(' ; '), this.gas.logs.slice(logsBefore));
    this.gas.triggers.failures.splice(0, this.gas.triggers.failures.length - 50);
    this.collectUi();
    return ran;
  }

  /** Runs a time-driven function now, as its trigger would (kind 'trigger', with a clock event). */
  runAsTrigger(fn: string): { ok: boolean; result?: unknown; error?: string } {
    const now = this.now();
    const d = new Date(now);
    const trigger = this.gas.triggers.triggers.find((t) => t.handler === fn);
    const event = {
      authMode: 'FULL',
      triggerUid: trigger?.uid ?? '',
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      'day-of-month': d.getUTCDate(),
      'day-of-week': d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      timezone: 'UTC',
    };
    const { events: _events, ...out } = this.execute(fn, [event], 'trigger', `${fn}() (horloge)`);
    return out;
  }

  /**
   * After a person's edit of cells (made host-side, as the Sheet's UI does, inside `enqueue`): runs
   * the onEdit simple trigger with Sheets' event object, and journals it.
   */
  fireOnEdit(target: Parameters<AppsScript['edit']>[0], what: string): { ok: boolean; error?: string } {
    this.gas.clock.set(this.now());
    const out = this.gas.edit(target);
    const ok = !out || !('error' in out);
    this.record(what, ok, out && !ok ? summary(out.error) : '', out?.logs ?? []);
    this.collectUi();
    return ok ? { ok } : { ok, error: summary(out!.error) };
  }

  /** A line in the execution journal for a person's change in the Sheet that runs no script (sort, filter, rows). */
  note(what: string, detail = ''): void {
    this.record(what, true, detail, []);
  }

  private record(what: string, ok: boolean, detail: string, logs: string[]): void {
    this.journal.push({ seq: ++this.seq, at: this.gas.clock.now(), what, ok, detail: this.localize(detail), logs: logs.slice(-30) });
    if (this.journal.length > MAX_JOURNAL) this.journal.splice(0, this.journal.length - MAX_JOURNAL);
    if (this.gas.logs.length > 2000) this.gas.logs.splice(0, this.gas.logs.length - 1000);
    if (this.gas.fetchLog.length > 1000) this.gas.fetchLog.splice(0, this.gas.fetchLog.length - 500);
  }

  /** Moves what the UI recorder holds into the sandbox's event list (drained, so it never grows). */
  private collectUi(): UiEvent[] {
    const ui = this.gas.spreadsheet.ui;
    const at = this.gas.clock.now();
    const fresh: UiEvent[] = [];
    const push = (e: Omit<UiEvent, 'seq' | 'at'>) => fresh.push({ ...e, seq: ++this.seq, at });
    for (const kind of ['sidebar', 'dialog'] as const) {
      for (const shown of (kind === 'sidebar' ? ui.sidebars : ui.dialogs).splice(0)) {
        const out = readHtmlOutput(shown.html);
        const htmlId = `h${this.seq + 1}`;
        this.html.set(htmlId, { title: shown.title ?? out?.title ?? null, content: out?.content ?? '' });
        if (this.html.size > 50) this.html.delete(this.html.keys().next().value as string);
        push({ kind, title: shown.title ?? out?.title ?? null, htmlId });
      }
    }
    for (const a of ui.alerts.splice(0)) push({ kind: 'alert', title: a.title, message: a.prompt });
    for (const p of ui.prompts.splice(0)) push({ kind: 'prompt', title: p.title, message: p.prompt });
    for (const t of this.gas.spreadsheet.toasts.splice(0)) push({ kind: 'toast', title: t.title || null, message: t.message });
    this.events.push(...fresh);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    return fresh;
  }

  /** A sidebar's or dialog's HTML, by the id given in its UiEvent. */
  shownHtml(id: string): { title: string | null; content: string } | undefined {
    return this.html.get(id);
  }

  /** Replaces the emulated web app URL (what the script puts in SMS and pages) by this server's /exec. */
  localize(text: string): string {
    return text.replace(EMULATED_WEBAPP_URL, `${this.baseUrl}/exec`);
  }

  // ---- the providers ----------------------------------------------------------------------------

  /** UrlFetchApp's router: the fake providers, or the real host for a provider in real mode. */
  private route(req: FetchRequest): FetchReply {
    let host = '';
    try {
      host = new URL(req.url).host;
    } catch {
      /* the fake answers the DNS error */
    }
    const provider = HOSTS[host];
    if (provider && this.realProviders.has(provider)) return realFetch(req);
    return this.providers.router(req);
  }

  /** The webhook query of a source, with the right token. */
  private webhookQuery(source: string): Record<string, string> {
    return { source, token: this.gas.properties.script.get('WEBHOOK_TOKEN') ?? '' };
  }

  /** A new lead in the fake Meta form; `send` posts its webhook to the web app (else `reconcile` finds it). */
  metaLead(input: { name?: string; phone?: string; email?: string; send?: boolean }): { leadgenId: string; webhook: unknown; answer?: string; error?: string } {
    this.gas.clock.set(this.now());
    const { leadgenId, webhook } = this.providers.metaLead({
      fullName: input.name?.trim() || 'Camille Durand',
      // Unset: the simulated provider's defaults, a different person each time (the same phone or
      // email within Config duplicate_window_days is recorded as a second form of the first lead).
      phone: input.phone?.trim() || undefined,
      email: input.email?.trim() || undefined,
      createdAt: new Date(this.now()),
    });
    this.record(`Meta : nouveau lead ${leadgenId}`, true, input.send === false ? 'webhook non envoyé' : '', []);
    if (input.send === false) return { leadgenId, webhook };
    const r = this.webRequest({ method: 'POST', query: this.webhookQuery('facebook'), body: JSON.stringify(webhook), contentType: 'application/json' }, 'Webhook Meta → /exec');
    return { leadgenId, webhook, answer: r.response?.content, error: r.error };
  }

  /** A completed Stripe checkout for a lead (`client_reference_id` = the lead id); `send` posts the webhook. */
  stripeCheckout(input: { leadId: string; amount?: number; send?: boolean }): { eventId: string; answer?: string; error?: string } {
    this.gas.clock.set(this.now());
    const lead = this.leadRow(input.leadId);
    const suffix = Math.random().toString(36).slice(2, 10);
    const base = fixture('stripe/events/checkout.session.completed.json');
    const object = base.data.object;
    const customer = lead?.stripe_customer_id || `cus_Sbx${suffix}`;
    const subscription = lead?.stripe_subscription_id || `sub_Sbx${suffix}`;
    // The subscription exists in the fake Stripe too: the script reads the monthly amount from it.
    if (!this.providers.subscriptions.has(subscription)) this.providers.stripeSubscription({ id: subscription, customer, amount: input.amount ?? object.amount_total });
    const event = this.providers.stripeEvent(base, {
      object: {
        id: `cs_test_sbx${suffix}`,
        client_reference_id: input.leadId,
        customer,
        subscription,
        amount_total: input.amount ?? object.amount_total,
        amount_subtotal: input.amount ?? object.amount_subtotal,
        created: Math.floor(this.now() / 1000),
        customer_details: {
          ...object.customer_details,
          email: lead?.email || object.customer_details.email,
          name: [lead?.first_name, lead?.last_name].filter(Boolean).join(' ') || object.customer_details.name,
          phone: lead?.phone || null,
        },
      },
    });
    return this.postStripe(event, input.send, `Stripe : paiement réussi (${input.leadId})`);
  }

  /** A failed invoice payment of a lead's subscription (`attempt` = Stripe's attempt_count); `send` posts the webhook. */
  paymentFailed(input: { leadId: string; attempt?: number; send?: boolean }): { eventId: string; answer?: string; error?: string } {
    this.gas.clock.set(this.now());
    const lead = this.leadRow(input.leadId);
    const customer = lead?.stripe_customer_id || 'cus_QXg1o8vcGmoR32';
    const subscription = lead?.stripe_subscription_id || 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw';
    // One invoice per subscription in the sandbox: successive failures are attempts of the same invoice.
    const invoiceId = `in_Sbx${subscription.replace(/\W/g, '').slice(-12)}`;
    const previous = [...this.providers.stripeEvents.values()].filter((e) => e.type === 'invoice.payment_failed' && e.data.object.id === invoiceId).length;
    const base = fixture('stripe/events/invoice.payment_failed.json');
    const object = base.data.object;
    const event = this.providers.stripeEvent(base, {
      object: {
        id: invoiceId,
        customer,
        customer_email: lead?.email || object.customer_email,
        customer_phone: lead?.phone || object.customer_phone,
        customer_name: [lead?.first_name, lead?.last_name].filter(Boolean).join(' ') || object.customer_name,
        attempt_count: input.attempt ?? previous + 1,
        parent: { ...object.parent, subscription_details: { ...object.parent?.subscription_details, subscription } },
        subscription,
      },
    });
    return this.postStripe(event, input.send, `Stripe : échec de paiement (${input.leadId})`);
  }

  private postStripe(event: { id: string }, send: boolean | undefined, what: string): { eventId: string; answer?: string; error?: string } {
    this.record(what, true, `${event.id}${send === false ? ' (webhook non envoyé)' : ''}`, []);
    if (send === false) return { eventId: event.id };
    const r = this.webRequest({ method: 'POST', query: this.webhookQuery('stripe'), body: JSON.stringify(event), contentType: 'application/json' }, 'Webhook Stripe → /exec');
    return { eventId: event.id, answer: r.response?.content, error: r.error };
  }

  /** An SMS reply (STOP by default) from a number, known to Twilio; `send` posts Twilio's form webhook. */
  smsReply(input: { from: string; body?: string; send?: boolean }): { sid: string; answer?: string; error?: string } {
    this.gas.clock.set(this.now());
    const { sid, params } = this.providers.inboundSms(input.from.trim(), input.body ?? 'STOP');
    this.record(`Twilio : SMS reçu de ${input.from} (« ${input.body ?? 'STOP'} »)`, true, input.send === false ? 'webhook non envoyé' : sid, []);
    if (input.send === false) return { sid };
    const body = new URLSearchParams(params).toString();
    const r = this.webRequest({ method: 'POST', query: this.webhookQuery('sms'), body, contentType: 'application/x-www-form-urlencoded' }, 'Webhook Twilio → /exec');
    return { sid, answer: r.response?.content, error: r.error };
  }

  /** Takes a provider down for `times` calls (null: until `restore`). */
  outage(provider: Provider, times: number | null, mode: FailureMode): void {
    this.providers.fail(provider, times ?? Infinity, mode);
    this.record(`Panne simulée : ${provider}`, true, `${times ?? '∞'} appel(s), ${mode === 'network' ? 'erreur réseau' : 'HTTP 503'}`, []);
  }

  /** Ends a provider's outage. */
  restore(provider: Provider): void {
    this.providers.restore(provider);
    this.record(`Panne terminée : ${provider}`, true, '', []);
  }

  /** Current outages: calls left (null: until restored) and mode. */
  outages(): Partial<Record<Provider, { left: number | null; mode: FailureMode }>> {
    // FakeProviders has no public reader for its outages: read the field, and show none if it moved.
    const current = (providerFields(this.providers).outages ?? {}) as Partial<Record<Provider, { left: number; mode: FailureMode }>>;
    const out: Partial<Record<Provider, { left: number | null; mode: FailureMode }>> = {};
    for (const [p, o] of Object.entries(current) as [Provider, { left: number; mode: FailureMode }][]) {
      if (o && o.left > 0) out[p] = { left: Number.isFinite(o.left) ? o.left : null, mode: o.mode };
    }
    return out;
  }

  /** A row of Leads by id, as an object keyed by header (host-side read, no execution). */
  leadRow(id: string): Record<string, string> | undefined {
    const sheet = this.gas.spreadsheet.active.findSheet('Leads');
    if (!sheet) return undefined;
    const [header, ...rows] = sheet.values();
    const col = (header as string[]).indexOf('id');
    const row = rows.find((r) => r[col] === id);
    if (!row) return undefined;
    return Object.fromEntries((header as string[]).map((h, i) => [h, row[i] instanceof Date ? (row[i] as Date).toISOString() : String(row[i] ?? '')]));
  }

  // ---- persistence -----------------------------------------------------------------------------

  /** Writes the workbook and state.json (each through a temporary file and a rename). */
  async save(): Promise<void> {
    try {
      const { workbook, meta } = toWorkbook(this.gas.spreadsheet.active);
      this.metas = meta;
      const state = this.snapshot();
      const tmp = `${this.stateFile}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, JSON.stringify(state, null, 1));
      // state.json first: if we die between the two renames, the providers are ahead of the sheet and reconcile catches up.
      await rename(tmp, this.stateFile).catch(async (e) => {
        await unlink(tmp).catch(() => undefined);
        throw e;
      });
      await saveWorkbook(workbook, this.xlsxFile);
      this.lastSaveError = null;
      this.lastSavedAt = Date.now();
    } catch (e) {
      this.lastSaveError = summary(e);
      this.log(`Échec de l'enregistrement : ${this.lastSaveError}`);
    }
  }

  private snapshot(): SavedState {
    const g = this.gas;
    const map = (m: Map<string, string>) => Object.fromEntries(m);
    // The outboxes are capped so that state.json stays small after weeks of use.
    const providers = providerFields(this.providers);
    if (Array.isArray(providers.sms)) providers.sms = providers.sms.slice(-500);
    return {
      version: 1,
      savedAt: new Date().toISOString(),
      clockOffsetMs: this.offsetMs,
      properties: { script: map(g.properties.script), user: map(g.properties.user), document: map(g.properties.document) },
      cache: { script: [...g.cache.script], user: [...g.cache.user], document: [...g.cache.document] },
      triggers: g.triggers.list(),
      mail: g.mail.outbox.slice(-500),
      providers: encode(providers) as Record<string, unknown>,
      sheets: this.metas,
    };
  }

  private restoreState(s: SavedState): void {
    const g = this.gas;
    for (const kind of ['user', 'document'] as const) for (const [k, v] of Object.entries(s.properties?.[kind] ?? {})) g.properties[kind].set(k, v);
    for (const kind of ['script', 'user', 'document'] as const) for (const [k, e] of s.cache?.[kind] ?? []) g.cache[kind].set(k, e);
    let maxUid = 0n;
    for (const t of s.triggers ?? []) {
      g.triggers.triggers.push(t);
      if (/^\d+$/.test(t.uid) && BigInt(t.uid) > maxUid) maxUid = BigInt(t.uid);
    }
    // New triggers must not reuse a restored uid (the store's counter is private: advance it).
    for (let i = 0; i < 10000 && BigInt(g.triggers.newUid()) < maxUid; i++);
    g.mail.outbox.push(...(s.mail ?? []));
    if (s.providers) restoreProviders(this.providers, s.providers);
  }
}
