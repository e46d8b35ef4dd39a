/**
 * The sandbox's HTTP server (Node's `http`, no framework): the web app at /exec exactly as Apps
 * Script serves it, the control page (/ and /control), the Sheet in the browser (/sheet), and the
 * JSON API both pages use (and tests). `startSandbox` is what `npm start`, jest and browser tests call.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FailureMode, Provider } from '../emulator';
import { Sandbox, type SandboxOptions, TIME_FUNCTIONS } from './sandbox';
import { changeFilter, changeRows, clearCells, pasteCells, sheetView, sortSheet, tabsView, typeCells, UserError } from './sheet-view';

const PUBLIC = join(__dirname, 'public');
const STATIC_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.png': 'image/png' };
const MAX_BODY = 10 * 1024 * 1024;
/** Files served from node_modules at /vendor/: the charting library the Sheet page draws charts with (no CDN). */
const VENDOR: Record<string, string> = { 'chart.umd.min.js': join(__dirname, '..', 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js') };
const PROVIDERS: Provider[] = ['stripe', 'graph', 'twilio'];

/** Options of `startSandbox`. */
export interface StartOptions extends SandboxOptions {
  /** TCP port (0: any free port). Default env PORT, else 8080. */
  port?: number;
  /** Interface to listen on (default env HOST, else 127.0.0.1: the sandbox is not for the network). */
  host?: string;
  /** How often due time-driven triggers run, in ms (default 15000; 0: never on their own). */
  triggerIntervalMs?: number;
}

/** A running sandbox. */
export interface RunningSandbox {
  /** e.g. http://localhost:8080 */
  url: string;
  port: number;
  sandbox: Sandbox;
  /** Stops the trigger timer, lets the current execution finish, saves, closes the server. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'Requête trop volumineuse'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, any>> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error();
    return v as Record<string, any>;
  } catch {
    throw new HttpError(400, 'Corps JSON invalide');
  }
}

/** The query as the web app event wants it: repeated keys become arrays. */
function queryOf(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The sidebar/dialog HTML with the google.script shim loaded first. */
function withShim(content: string): string {
  const tag = '<script src="/static/gas-shim.js"></script>';
  const head = /<head[^>]*>/i.exec(content);
  if (head) return content.slice(0, head.index + head[0].length) + tag + content.slice(head.index + head[0].length);
  return `<!DOCTYPE html><html><head><meta charset="utf-8">${tag}</head><body>${content}</body></html>`;
}

function staticFile(res: ServerResponse, file: string): void {
  if (!/^[\w.-]+$/.test(file)) throw new HttpError(404, 'Introuvable');
  let body: Buffer;
  try {
    body = readFileSync(join(PUBLIC, file));
  } catch {
    throw new HttpError(404, 'Introuvable');
  }
  const ext = file.slice(file.lastIndexOf('.'));
  send(res, 200, `${STATIC_TYPES[ext] ?? 'application/octet-stream'}; charset=utf-8`, body);
}

function bool(v: unknown, fallback = true): boolean {
  return v === undefined ? fallback : v === true || v === 'true' || v === 'on' || v === 1 || v === '1';
}

/** Everything the control page shows besides the grid. */
function stateJson(sandbox: Sandbox): unknown {
  const g = sandbox.gas;
  const token = g.properties.script.get('WEBHOOK_TOKEN') ?? '';
  return {
    now: sandbox.now(),
    clockOffsetMs: sandbox.clockOffsetMs,
    followsRealTime: sandbox.clockOffsetMs === 0,
    webAppUrl: `${sandbox.baseUrl}/exec`,
    webhooks: {
      facebook: `${sandbox.baseUrl}/exec?source=facebook&token=${encodeURIComponent(token)}`,
      stripe: `${sandbox.baseUrl}/exec?source=stripe&token=${encodeURIComponent(token)}`,
      sms: `${sandbox.baseUrl}/exec?source=sms&token=${encodeURIComponent(token)}`,
    },
    timeFunctions: TIME_FUNCTIONS.map((fn) => ({ fn, available: sandbox.hasGlobal(fn) })),
    triggers: g.triggers.list().map((t) => ({ uid: t.uid, handler: t.handler, schedule: t.schedule ?? null, nextDue: t.nextDue })),
    outages: sandbox.outages(),
    realProviders: [...sandbox.realProviders],
    campaigns: [...sandbox.providers.campaigns.values()],
    // What Meta's Conversions API received (lead stages), newest first.
    capiEvents: sandbox.providers.capiEvents.slice(-50).reverse().map((e) => ({ datasetId: e.datasetId, at: e.at.getTime(), event: e.event })),
    menus: g.spreadsheet.ui.menus,
    sheets: g.spreadsheet.active.sheetNames(),
    tabs: tabsView(sandbox),
    counts: { sms: sandbox.providers.sms.length, mail: g.mail.outbox.length },
    lastSavedAt: sandbox.lastSavedAt,
    lastSaveError: sandbox.lastSaveError,
    files: { workbook: sandbox.xlsxFile, state: sandbox.stateFile },
  };
}

function outboxJson(sandbox: Sandbox): unknown {
  // Whose phone it is: the lead(s) with that number in Leads (one read of the tab).
  const leads = sandbox.gas.spreadsheet.active.findSheet('Leads');
  const names = new Map<string, string>();
  if (leads) {
    const [header = [], ...rows] = leads.values();
    const col = (n: string) => (header as unknown[]).indexOf(n);
    for (const r of rows) {
      const name = `${String(r[col('first_name')] ?? '')} ${String(r[col('last_name')] ?? '')}`.trim();
      if (name && col('phone') >= 0) names.set(String(r[col('phone')]), name);
    }
  }
  const sms = sandbox.providers.sms
    .map((m) => ({ sid: m.sid, to: m.to, from: m.from, lead: names.get(m.to) ?? null, body: sandbox.localize(m.body), at: m.at.getTime(), status: String(sandbox.providers.twilioMessages.get(m.sid)?.status ?? '') }))
    .reverse();
  const mail = sandbox.gas.mail.outbox
    .map((m, i) => ({
      id: i,
      to: m.to,
      subject: m.subject,
      body: sandbox.localize(m.body),
      htmlBody: m.htmlBody === undefined ? null : sandbox.localize(String(m.htmlBody)),
      cc: (m.options.cc as string | undefined) ?? null,
      at: m.at,
    }))
    .reverse();
  return { sms, mail };
}

/** Routes one request. */
async function handle(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (path === '/exec' || path === '/exec/') {
    if (method !== 'GET' && method !== 'POST') throw new HttpError(405, 'Méthode non prise en charge par le web app');
    const body = method === 'POST' ? await readBody(req) : undefined;
    const contentType = method === 'POST' ? (req.headers['content-type'] ?? 'text/plain') : undefined;
    const label = `${method} /exec${url.searchParams.get('source') ? ` (${url.searchParams.get('source')})` : ''}`;
    const out = await sandbox.enqueue(label, () => sandbox.webRequest({ method, query: queryOf(url), body, contentType }, label));
    if (!out.response) {
      // Apps Script shows an error page when doGet/doPost throws.
      send(res, 500, 'text/html; charset=utf-8', `<!DOCTYPE html><meta charset="utf-8"><title>Erreur</title><p>Le script a échoué : ${escape(out.error ?? '')}</p>`);
      return;
    }
    const type = out.response.mimeType;
    send(res, 200, `${type}; charset=utf-8`, type === 'text/html' ? sandbox.localize(out.response.content) : out.response.content);
    return;
  }

  if (method === 'GET') {
    if (path === '/' || path === '/control') return staticFile(res, 'control.html');
    if (path === '/sheet') return staticFile(res, 'sheet.html');
    if (path.startsWith('/static/')) return staticFile(res, path.slice('/static/'.length));
    if (path.startsWith('/vendor/')) {
      const file = VENDOR[path.slice('/vendor/'.length)];
      if (!file) throw new HttpError(404, 'Introuvable');
      return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(file));
    }
    if (path === '/api/health') return json(res, { ok: true });
    if (path === '/api/state') return json(res, stateJson(sandbox));
    if (path === '/api/sheets') return json(res, { sheets: sandbox.gas.spreadsheet.active.sheetNames() });
    if (path.startsWith('/api/sheet/')) return json(res, sheetView(sandbox, decodeURIComponent(path.slice('/api/sheet/'.length))));
    if (path === '/api/outbox') return json(res, outboxJson(sandbox));
    if (path === '/api/events') {
      const since = Number(url.searchParams.get('since') ?? 0);
      return json(res, { events: sandbox.events.filter((e) => e.seq > since), menus: sandbox.gas.spreadsheet.ui.menus });
    }
    if (path === '/api/journal') {
      const since = Number(url.searchParams.get('since') ?? 0);
      return json(res, { journal: sandbox.journal.filter((e) => e.seq > since) });
    }
    if (path.startsWith('/ui/html/')) {
      const shown = sandbox.shownHtml(path.slice('/ui/html/'.length));
      if (!shown) throw new HttpError(404, 'Cette fenêtre a été fermée.');
      return send(res, 200, 'text/html; charset=utf-8', withShim(sandbox.localize(shown.content)));
    }
    throw new HttpError(404, 'Page introuvable');
  }

  if (method !== 'POST') throw new HttpError(405, 'Méthode non autorisée');
  const body = await jsonBody(req);

  if (path === '/api/open') {
    // Opening the Sheet runs the onOpen simple trigger: it (re)builds the menu and refreshes a stale Dashboard.
    const out = await sandbox.enqueue('onOpen()', () => (sandbox.hasGlobal('onOpen') ? sandbox.openSheet() : { ok: true, events: [] }));
    return json(res, { ...out, menus: sandbox.gas.spreadsheet.ui.menus });
  }
  if (path === '/api/run') {
    const fn = String(body.fn ?? '');
    const args = Array.isArray(body.args) ? body.args : [];
    // google.script.run cannot call private functions (a trailing underscore), nor anything not global.
    if (!/^[A-Za-z_$][\w$]*$/.test(fn) || fn.endsWith('_') || !sandbox.hasGlobal(fn)) {
      return json(res, { ok: false, error: `Fonction introuvable : ${fn}` }, 404);
    }
    const out = await sandbox.enqueue(`${fn}()`, () => sandbox.execute(fn, args, 'editor'));
    return json(res, out);
  }
  if (path === '/api/clock') return json(res, await clock(sandbox, body));
  // What a person does in the Sheet (sheet-view.ts): one queued job each, saved like any execution.
  const edits: Record<string, (s: Sandbox, b: Record<string, unknown>) => unknown> = {
    '/api/cells/type': typeCells,
    '/api/cells/paste': pasteCells,
    '/api/cells/clear': clearCells,
    '/api/rows': changeRows,
    '/api/sort': sortSheet,
    '/api/filter': changeFilter,
  };
  if (edits[path]) return json(res, await sandbox.enqueue('Édition', () => edits[path](sandbox, body)));
  if (path === '/api/meta/lead') {
    return json(res, await sandbox.enqueue('Meta', () => sandbox.metaLead({ name: body.name, phone: body.phone, email: body.email, send: bool(body.send) })));
  }
  if (path === '/api/stripe/checkout') {
    const leadId = String(body.leadId ?? '').trim();
    if (!leadId) throw new HttpError(400, 'Indiquez l’identifiant du lead (lead_…)');
    const amount = body.amount === undefined || body.amount === '' ? undefined : Math.round(Number(body.amount) * 100);
    if (amount !== undefined && !(amount > 0)) throw new HttpError(400, 'Montant invalide');
    return json(res, await sandbox.enqueue('Stripe', () => sandbox.stripeCheckout({ leadId, amount, send: bool(body.send) })));
  }
  if (path === '/api/stripe/payment-failed') {
    const leadId = String(body.leadId ?? '').trim();
    if (!leadId) throw new HttpError(400, 'Indiquez l’identifiant du lead (lead_…)');
    const attempt = body.attempt === undefined || body.attempt === '' ? undefined : Number(body.attempt);
    if (attempt !== undefined && !(Number.isInteger(attempt) && attempt > 0)) throw new HttpError(400, 'Numéro de tentative invalide');
    return json(res, await sandbox.enqueue('Stripe', () => sandbox.paymentFailed({ leadId, attempt, send: bool(body.send) })));
  }
  if (path === '/api/twilio/reply') {
    const from = String(body.from ?? '').trim();
    if (!/^\+\d{8,15}$/.test(from)) throw new HttpError(400, 'Numéro invalide : format international attendu (+33612345678)');
    const text = body.body === undefined ? 'STOP' : String(body.body);
    return json(res, await sandbox.enqueue('Twilio', () => sandbox.smsReply({ from, body: text, send: bool(body.send) })));
  }
  if (path === '/api/outage') {
    const provider = String(body.provider) as Provider;
    if (!PROVIDERS.includes(provider)) throw new HttpError(400, 'Fournisseur inconnu (stripe, graph, twilio)');
    if (bool(body.restore, false)) {
      await sandbox.enqueue('Panne', () => sandbox.restore(provider));
      return json(res, { ok: true, outages: sandbox.outages() });
    }
    const times = body.times === undefined || body.times === null || body.times === '' ? null : Number(body.times);
    if (times !== null && !(Number.isInteger(times) && times > 0)) throw new HttpError(400, "Nombre d'appels invalide");
    const mode: FailureMode = body.mode === 'network' ? 'network' : 'status';
    await sandbox.enqueue('Panne', () => sandbox.outage(provider, times, mode));
    return json(res, { ok: true, outages: sandbox.outages() });
  }
  throw new HttpError(404, 'Action inconnue');
}

/** POST /api/clock: `run` a time-driven function, `set` the clock to the next Paris hour, `advance`, or follow real time (`now`). */
async function clock(sandbox: Sandbox, body: Record<string, any>): Promise<unknown> {
  const action = String(body.action ?? '');
  if (action === 'run') {
    const fn = String(body.fn ?? '');
    const known = (TIME_FUNCTIONS as readonly string[]).includes(fn) || sandbox.gas.triggers.list().some((t) => t.handler === fn && t.eventType === 'CLOCK');
    if (!known) throw new HttpError(400, `Ce n'est pas une fonction horaire : ${fn}`);
    if (!sandbox.hasGlobal(fn)) return { ok: false, error: `Pas encore disponible dans cette version : ${fn}` };
    return sandbox.enqueue(`${fn}()`, () => sandbox.runAsTrigger(fn));
  }
  let at: number | null;
  if (action === 'set') {
    if (body.at !== undefined) {
      at = new Date(body.at).getTime();
      if (Number.isNaN(at)) throw new HttpError(400, 'Date invalide');
    } else {
      const hour = Number(body.hour);
      if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new HttpError(400, 'Heure invalide (0 à 23)');
      at = sandbox.nextParisHour(hour);
    }
  } else if (action === 'advance') {
    const minutes = Number(body.minutes);
    if (!Number.isFinite(minutes) || minutes <= 0) throw new HttpError(400, 'Durée invalide');
    at = sandbox.now() + minutes * 60000;
  } else if (action === 'now') at = null;
  else throw new HttpError(400, 'Action inconnue (run, set, advance, now)');
  // The triggers that became due at the new time run at once, as they would have while time passed.
  const ran = await sandbox.enqueue('Horloge', () => {
    sandbox.setClock(at);
    return sandbox.fireDueTriggers();
  });
  return { ok: true, now: sandbox.now(), followsRealTime: sandbox.clockOffsetMs === 0, ran };
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Starts the sandbox: loads (or creates) the workbook in `dir`, listens on `port`, fires due triggers
 * every `triggerIntervalMs`. Resolves once it answers requests.
 */
export async function startSandbox(opts: StartOptions = {}): Promise<RunningSandbox> {
  const sandbox = await Sandbox.open(opts);
  const port = opts.port ?? Number(process.env.PORT ?? 8080);
  const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(sandbox, req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : e instanceof UserError ? 400 : 500;
      if (!(e instanceof HttpError) && !(e instanceof UserError)) opts.log?.(`Erreur : ${(e as Error)?.stack ?? e}`);
      if (!res.headersSent) json(res, { ok: false, error: e instanceof Error ? e.message : String(e) }, status);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${actual}`;
  sandbox.baseUrl = url;

  const interval = opts.triggerIntervalMs ?? 15000;
  let timer: NodeJS.Timeout | undefined;
  if (interval > 0) {
    timer = setInterval(() => {
      // Only queue (and save) when something is due: an idle sandbox does not rewrite its files.
      const due = sandbox.gas.triggers.due(sandbox.now()).length > 0;
      if (due) sandbox.enqueue('Déclencheurs', () => sandbox.fireDueTriggers()).catch(() => undefined);
      sandbox.providers.twilioDelivery.delayMs = Math.max(sandbox.providers.twilioDelivery.delayMs, 1000);
      if (sandbox.providers.statusCallbacksDue()) sandbox.enqueue('Statuts Twilio', () => sandbox.deliverStatusCallbacks()).catch(() => undefined);
    }, interval);
    timer.unref();
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (timer) clearInterval(timer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Queued last: the execution in progress (and any already queued) finishes first, then one final save.
      await sandbox.enqueue('Arrêt', () => undefined);
      server.closeAllConnections();
      await stopped;
    })());
  return { url, port: actual, sandbox, close };
}
