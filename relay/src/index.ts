/**
 * The optional edge relay (issue 11): a Cloudflare Worker in front of the Apps Script web app.
 *
 * Apps Script cannot read request headers and answers every POST with a 302, so behind it no
 * signature can be checked and Stripe counts every delivery as failed. This worker checks each
 * provider's signature on the raw body, answers 200 at once, and forwards the same body to the web
 * app after the answer (`ctx.waitUntil`), retrying a few times. It adds safety and speed but is never
 * needed for correctness: the web app keeps its token and re-fetches every event from the provider's
 * API, and `reconcile` finds whatever a forward failed to deliver.
 *
 * Routes (the path names the source; `?source=` works too, like the web app's own URL):
 *   POST /stripe    Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">        (STRIPE_WEBHOOK_SECRET)
 *   POST /facebook  X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>          (META_APP_SECRET)
 *   POST /sms       X-Twilio-Signature: base64 HMAC-SHA1 of URL + sorted form params   (TWILIO_AUTH_TOKEN)
 *   GET  /facebook?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…   Meta's verification
 * `/meta` and `/twilio` are accepted as aliases of `/facebook` and `/sms`.
 *
 * Self-contained on purpose (no imports): it is deployed on its own with `wrangler deploy`, and the
 * tests bundle this one file for miniflare.
 */

/** The worker's configuration: secrets (`wrangler secret put`) and plain vars (wrangler.toml). */
export interface Env {
  /** The web app's /exec URL with its token: `https://script.google.com/macros/s/<id>/exec?token=<WEBHOOK_TOKEN>`. */
  APPS_SCRIPT_URL: string;
  /** The Stripe endpoint's signing secret (`whsec_…`). */
  STRIPE_WEBHOOK_SECRET?: string;
  /** The Meta app's secret (App settings > Basic), which keys X-Hub-Signature-256. */
  META_APP_SECRET?: string;
  /** The Twilio account's auth token, which keys X-Twilio-Signature. */
  TWILIO_AUTH_TOKEN?: string;
  /**
   * Optional, the relay-only mode: the web app's Script Property RELAY_TOKEN. The relay adds it to
   * every URL it calls (`relay_token=`); with it set on the web app, a post that did not come
   * through the relay is refused even with WEBHOOK_TOKEN.
   */
  RELAY_TOKEN?: string;
  /** Optional: when set, the relay answers Meta's verification GET itself; else it asks the web app. */
  META_VERIFY_TOKEN?: string;
  /** Seconds a Stripe timestamp may differ from now (default 300, Stripe's own libraries' default). */
  STRIPE_TOLERANCE_S?: string;
  /** Forward attempts in all (default 4). */
  FORWARD_ATTEMPTS?: string;
  /** Wait before the 2nd attempt, doubled each time after (default 1000 ms: 1 s, 2 s, 4 s). */
  FORWARD_BACKOFF_MS?: string;
  /** Time limit of one forward attempt, redirect included (default 15000 ms). */
  FORWARD_TIMEOUT_MS?: string;
}

/** The part of the Workers ExecutionContext this worker uses (declared here rather than installing @cloudflare/workers-types). */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** The web app's `source` values. */
export type Source = 'stripe' | 'facebook' | 'sms';

const ROUTES: Readonly<Record<string, Source>> = { stripe: 'stripe', facebook: 'facebook', meta: 'facebook', sms: 'sms', twilio: 'sms' };

/** Content types the web app expects; Apps Script parses a form body into `e.parameter` only when told it is one. */
const DEFAULT_TYPE: Readonly<Record<Source, string>> = { stripe: 'application/json', facebook: 'application/json', sms: 'application/x-www-form-urlencoded' };

/** Why a delivery was refused (the 400's body: says what is wrong, never a secret). */
type Refusal = 'missing_signature' | 'malformed_signature' | 'bad_signature' | 'stale_timestamp';

const encoder = new TextEncoder();

/** Bytes on an ordinary ArrayBuffer, which is what WebCrypto and fetch bodies take. */
type Bytes = Uint8Array<ArrayBuffer>;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const source = ROUTES[url.pathname.split('/').filter(Boolean)[0] ?? ''] ?? ROUTES[url.searchParams.get('source') ?? ''];
    if (!source) return text(404, 'not found');
    if (request.method === 'GET' && source === 'facebook' && url.searchParams.has('hub.mode')) return metaVerification(url, env);
    if (request.method !== 'POST') return text(405, 'method not allowed');
    if (!env.APPS_SCRIPT_URL || !secretOf(env, source)) {
      // 500, not 400: the provider retries a 5xx, which is right while the operator fixes the configuration.
      console.error(`relay: ${source} is not configured (APPS_SCRIPT_URL or its secret is missing)`);
      return text(500, 'relay not configured');
    }
    const body = new Uint8Array(await request.arrayBuffer());
    const refusal = await verify(source, request, body, env);
    if (refusal) return json(400, { ok: false, error: refusal });
    const contentType = request.headers.get('content-type') || DEFAULT_TYPE[source];
    // After the answer: the provider never waits on Apps Script (seconds per call, sometimes more).
    ctx.waitUntil(forward(env, source, body, contentType));
    return source === 'sms' ? twiml() : json(200, { received: true });
  },
};

// ---- signatures ------------------------------------------------------------------------------

function secretOf(env: Env, source: Source): string | undefined {
  if (source === 'stripe') return env.STRIPE_WEBHOOK_SECRET;
  if (source === 'facebook') return env.META_APP_SECRET;
  return env.TWILIO_AUTH_TOKEN;
}

/** Checks the provider's signature on the raw body; null when it holds. */
async function verify(source: Source, request: Request, body: Bytes, env: Env): Promise<Refusal | null> {
  if (source === 'stripe') return verifyStripe(request.headers.get('stripe-signature'), body, env.STRIPE_WEBHOOK_SECRET!, tolerance(env));
  if (source === 'facebook') return verifyMeta(request.headers.get('x-hub-signature-256'), body, env.META_APP_SECRET!);
  return verifyTwilio(request.headers.get('x-twilio-signature'), request.url, body, env.TWILIO_AUTH_TOKEN!);
}

function tolerance(env: Env): number {
  const n = Number(env.STRIPE_TOLERANCE_S);
  return Number.isFinite(n) && n > 0 ? n : 300;
}

/**
 * Stripe: `t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`; v1 is HMAC-SHA256 of `<t>.<raw body>` keyed by the
 * endpoint secret. Several v1 appear while a rolled secret overlaps the old one: any may match. The
 * timestamp is checked after the signature (so "stale" is only said of a genuine delivery), in both
 * directions: a replayed old delivery and a clock far ahead are both refused.
 */
async function verifyStripe(header: string | null, body: Bytes, secret: string, toleranceS: number): Promise<Refusal | null> {
  if (!header) return 'missing_signature';
  let timestamp = '';
  const v1: Bytes[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') {
      const bytes = fromHex(value);
      if (bytes) v1.push(bytes);
    }
  }
  if (!/^\d{1,12}$/.test(timestamp) || v1.length === 0) return 'malformed_signature';
  const signed = concat(encoder.encode(`${timestamp}.`), body);
  if (!(await anyMatches('SHA-256', secret, signed, v1))) return 'bad_signature';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceS) return 'stale_timestamp';
  return null;
}

/** Meta: `sha256=<hex>`, HMAC-SHA256 of the raw body (as sent, escapes included) keyed by the app secret. */
async function verifyMeta(header: string | null, body: Bytes, secret: string): Promise<Refusal | null> {
  if (!header) return 'missing_signature';
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  const mac = m ? fromHex(m[1]) : null;
  if (!mac) return 'malformed_signature';
  return (await anyMatches('SHA-256', secret, body, [mac])) ? null : 'bad_signature';
}

/**
 * Twilio: base64 HMAC-SHA1, keyed by the auth token, of the full URL Twilio called (query included)
 * followed by each POST parameter's name and value, sorted by name (case-sensitive, code-unit order),
 * values decoded, no separators. Like Twilio's helper libraries, the URL is tried with and without the
 * default port, as a proxy may add or drop it.
 */
async function verifyTwilio(header: string | null, url: string, body: Bytes, token: string): Promise<Refusal | null> {
  if (!header) return 'missing_signature';
  const mac = fromBase64(header.trim());
  if (!mac || mac.length !== 20) return 'malformed_signature';
  const params = [...new URLSearchParams(new TextDecoder().decode(body))].sort(([ka, va], [kb, vb]) => compare(ka, kb) || compare(va, vb));
  const tail = params.map(([k, v]) => k + v).join('');
  for (const candidate of urlVariants(url)) {
    if (await anyMatches('SHA-1', token, encoder.encode(candidate + tail), [mac])) return null;
  }
  return 'bad_signature';
}

/** The URL as received, then without and with its scheme's default port. */
function urlVariants(raw: string): string[] {
  const out = [raw];
  const m = /^(https?):\/\/([^/:?#]+)(:\d+)?(.*)$/i.exec(raw);
  if (m) {
    const port = m[1].toLowerCase() === 'https' ? ':443' : ':80';
    out.push(`${m[1]}://${m[2]}${m[4]}`, `${m[1]}://${m[2]}${port}${m[4]}`);
  }
  return [...new Set(out)];
}

/**
 * Whether one of the given MACs is the HMAC of `data`. crypto.subtle.verify compares in constant
 * time, so a forger learns nothing from how long a refusal takes.
 */
async function anyMatches(hash: 'SHA-256' | 'SHA-1', secret: string, data: Bytes, macs: Bytes[]): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, ['verify']);
  let ok = false;
  // Every candidate is checked (no early exit), so the time does not say which one matched.
  for (const mac of macs) ok = (await crypto.subtle.verify('HMAC', key, mac, data)) || ok;
  return ok;
}

// ---- Meta's verification GET -----------------------------------------------------------------

/**
 * Meta subscribes an endpoint with a GET carrying hub.mode, hub.verify_token and hub.challenge, and
 * expects the challenge back. With META_VERIFY_TOKEN set the relay answers itself; otherwise it asks
 * the web app (which holds FB_VERIFY_TOKEN) and passes its answer on.
 */
async function metaVerification(url: URL, env: Env): Promise<Response> {
  const challenge = url.searchParams.get('hub.challenge') ?? '';
  if (env.META_VERIFY_TOKEN) {
    const ok = url.searchParams.get('hub.mode') === 'subscribe' && challenge !== '' && (await sameSecret(url.searchParams.get('hub.verify_token') ?? '', env.META_VERIFY_TOKEN));
    return ok ? text(200, challenge) : text(403, 'verification refused');
  }
  if (!env.APPS_SCRIPT_URL) return text(500, 'relay not configured');
  const target = forwardUrl(env.APPS_SCRIPT_URL, 'facebook', false, env.RELAY_TOKEN);
  // Only Meta's hub.* parameters go on: the token and source come from the configuration, never the caller.
  for (const [k, v] of url.searchParams) if (k.startsWith('hub.')) target.searchParams.append(k, v);
  try {
    const res = await fetchFollowing(target.toString(), { method: 'GET' }, timeoutMs(env));
    const answer = await res.text();
    return res.ok && challenge !== '' && answer === challenge ? text(200, challenge) : text(403, 'verification refused');
  } catch {
    return text(502, 'web app unreachable');
  }
}

/** Equality of two secrets in constant time (an HMAC of each under a throwaway key, compared by verify). */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(expected)));
  return crypto.subtle.verify('HMAC', key, mac, encoder.encode(given));
}

// ---- forwarding ------------------------------------------------------------------------------

/** The web app URL for a source: APPS_SCRIPT_URL (with its token) + source, + relay=1 on deliveries. */
function forwardUrl(base: string, source: Source, relayed: boolean, relayToken?: string): URL {
  const url = new URL(base);
  url.searchParams.set('source', source);
  if (relayed) url.searchParams.set('relay', '1');
  if (relayToken) url.searchParams.set('relay_token', relayToken);
  return url;
}

function timeoutMs(env: Env): number {
  const n = Number(env.FORWARD_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 15000;
}

/**
 * POSTs the body to the web app, retrying with a doubling backoff. Runs inside waitUntil, which
 * Cloudflare lets run about 30 s after the answer: the defaults (4 attempts, 1 + 2 + 4 s apart) fit.
 * A delivery that still fails is only logged: reconcile lists the provider's events and finds it.
 */
async function forward(env: Env, source: Source, body: Bytes, contentType: string): Promise<void> {
  const attemptsN = Number(env.FORWARD_ATTEMPTS);
  const attempts = Number.isInteger(attemptsN) && attemptsN > 0 ? attemptsN : 4;
  const backoffN = Number(env.FORWARD_BACKOFF_MS);
  const backoff = Number.isFinite(backoffN) && backoffN >= 0 ? backoffN : 1000;
  const target = forwardUrl(env.APPS_SCRIPT_URL, source, true, env.RELAY_TOKEN).toString();
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetchFollowing(target, { method: 'POST', body, headers: { 'content-type': contentType } }, timeoutMs(env));
      const outcome = delivered(res.status, res.headers.get('content-type') ?? '', await res.text());
      if (outcome === 'done') return;
      last = outcome;
      if (outcome === 'refused') break; // a wrong token: retrying cannot help, the operator must fix APPS_SCRIPT_URL
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (attempt < attempts) await sleep(backoff * 2 ** (attempt - 1));
  }
  // Never the URL: it carries the web app's token.
  console.error(`relay: ${source} delivery not forwarded (${last}); reconcile will find it`);
}

/**
 * Whether the web app took the delivery. It answers 200 with JSON whatever happened, so the body
 * says more than the status: "busy" (the script lock) and "internal_error" are worth another try,
 * "unauthorized" is not. Any other answer (processed, duplicate, ignored, even failed, which
 * reconcile retries from the journal) means the event is in the web app's hands.
 */
function delivered(status: number, type: string, body: string): 'done' | 'refused' | string {
  if (status < 200 || status > 299) return `HTTP ${status}`;
  if (!type.includes('json')) return 'done';
  try {
    const answer = JSON.parse(body) as { ok?: unknown; error?: unknown };
    if (answer.ok === false && answer.error === 'unauthorized') return 'refused';
    if (answer.ok === false && (answer.error === 'busy' || answer.error === 'internal_error')) return `web app ${answer.error}`;
  } catch {
    // Not JSON after all: the web app answered, which is what matters here.
  }
  return 'done';
}

/**
 * fetch with the redirects followed by hand: Apps Script answers /exec with a 302 to a one-time
 * script.googleusercontent.com URL that must be fetched with GET (301-303 turn into a GET without
 * body, 307/308 keep method and body, as browsers do). Manual, so the behaviour does not depend on
 * the runtime's redirect mode and every hop's body is drained (Workers cap open connections).
 */
async function fetchFollowing(url: string, init: { method: string; body?: Bytes; headers?: Record<string, string> }, timeout: number): Promise<Response> {
  const signal = AbortSignal.timeout(timeout);
  let current = url;
  let req = init;
  for (let hop = 0; hop <= 5; hop++) {
    const res = await fetch(current, { method: req.method, body: req.body, headers: req.headers, redirect: 'manual', signal });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location) return res;
    await res.body?.cancel();
    current = new URL(location, current).toString();
    if (res.status !== 307 && res.status !== 308) req = { method: 'GET' };
  }
  throw new Error('too many redirects');
}

// ---- small helpers ---------------------------------------------------------------------------

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** Twilio expects TwiML; an empty Response sends no reply, like the web app's own answer. */
function twiml(): Response {
  return new Response('<?xml version="1.0" encoding="UTF-8"?><Response/>', { status: 200, headers: { 'content-type': 'text/xml' } });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function concat(a: Bytes, b: Bytes): Bytes {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function fromHex(s: string): Bytes | null {
  if (s.length === 0 || s.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function fromBase64(s: string): Bytes | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null;
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
