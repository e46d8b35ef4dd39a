/**
 * The edge relay (relay/src/index.ts, issue 11) in the real Workers runtime (miniflare/workerd),
 * forwarding to a web app on 127.0.0.1 that answers like Apps Script: a 302 to a second URL holding
 * the answer. That web app is either a recorder with a canned answer, or the BUILT bundle in the
 * emulator (the same System as the bundle tests). Samples are the real payloads of emulator/fixtures
 * (the project's copy of ../shared/fixtures), signed here with node:crypto and Stripe's own library,
 * independently of the worker's WebCrypto code. No call leaves the loopback interface.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import Stripe from 'stripe';
import { fixture } from '../../emulator/providers';
import { TEST_PROPERTIES } from '../support/gas';
import { System, TOKEN } from '../support/system';

const FIXTURES = join(__dirname, '..', '..', 'emulator', 'fixtures');
/** A fixture's bytes as a provider sends them (signatures are over the raw body, whitespace included). */
const raw = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

/** The relay's public URL, as the providers call it (Twilio signs it). */
const RELAY = 'https://sirrius-relay.example.workers.dev';
const STRIPE_SECRET = 'whsec_relay_test_5b2c';
const META_SECRET = 'meta-app-secret-test-77';
const TWILIO_TOKEN = TEST_PROPERTIES.TWILIO_AUTH_TOKEN;
const ATTEMPTS = 3;

const stripeLib = new Stripe('sk_test_relay_unused');

// ---- signing, as each provider does it ----------------------------------------------------------

function stripeHeaders(body: string, opts: { secret?: string; timestamp?: number } = {}): Record<string, string> {
  const header = stripeLib.webhooks.generateTestHeaderString({ payload: body, secret: opts.secret ?? STRIPE_SECRET, timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000) });
  return { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header };
}

function metaHeaders(body: string, secret = META_SECRET): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
}

/** Twilio's scheme, written out: URL, then each POST parameter name+value sorted by name, HMAC-SHA1, base64. */
function twilioSignature(url: string, form: string, token = TWILIO_TOKEN): string {
  const params = [...new URLSearchParams(form)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', token).update(url + params.map(([k, v]) => k + v).join('')).digest('base64');
}

function twilioHeaders(url: string, form: string, token?: string): Record<string, string> {
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(url, form, token) };
}

// ---- a web app on loopback that answers like Apps Script -----------------------------------------

interface Hit {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  body: string;
}

interface Answer {
  status: number;
  type: string;
  body: string;
}

/**
 * Every request is recorded. A call to /exec gets a 302 to /echo/<n>, which then answers; `down`
 * makes /exec answer 503 the next `down` times (Infinity: always), `busy` answers Apps Script's
 * "busy" JSON. With a System, /exec runs the real doPost/doGet of the bundle.
 */
class FakeWebApp {
  readonly hits: Hit[] = [];
  system: System | null = null;
  down = 0;
  busy = 0;
  /** How long /exec takes to answer (Apps Script takes seconds). */
  delayMs = 0;
  /** Answers waiting at /echo/<n>; kept across tests, so a relay still following a redirect finds its answer. */
  private readonly echoes = new Map<string, Answer>();
  private echoSeq = 0;
  private server!: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://127.0.0.1');
        const hit: Hit = { method: req.method ?? '', path: u.pathname, query: Object.fromEntries(u.searchParams), contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') };
        this.hits.push(hit);
        const answer = this.answer(hit);
        setTimeout(() => respond(res, answer), hit.path.endsWith('/exec') ? this.delayMs : 0);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The deliveries that reached /exec (whatever the answer). */
  posts(): Hit[] {
    return this.hits.filter((h) => h.method === 'POST' && h.path.endsWith('/exec'));
  }

  /** The redirects followed (one per answered /exec call). */
  echoed(): number {
    return this.hits.filter((h) => h.path.startsWith('/echo/')).length;
  }

  reset(system: System | null = null): void {
    this.hits.length = 0;
    this.system = system;
    this.down = 0;
    this.busy = 0;
    this.delayMs = 0;
  }

  private answer(hit: Hit): Answer {
    if (hit.path.startsWith('/echo/')) return this.echoes.get(hit.path) ?? { status: 404, type: 'text/html', body: 'gone' };
    if (!hit.path.endsWith('/exec')) return { status: 404, type: 'text/html', body: 'not found' };
    if (this.down > 0) {
      this.down--;
      return { status: 503, type: 'text/html', body: 'Service Unavailable' };
    }
    let answer: Answer;
    if (this.busy > 0) {
      this.busy--;
      answer = { status: 200, type: 'application/json', body: '{"ok":false,"error":"busy"}' };
    } else if (this.system) {
      const { source = '', token, ...rest } = hit.query;
      const res =
        hit.method === 'GET'
          ? this.system.get(hit.query)
          : this.system.post(source, hit.body, { token: token ?? null, contentType: hit.contentType, query: rest });
      answer = { status: 200, type: res.mimeType, body: res.content };
    } else {
      answer = { status: 200, type: 'application/json', body: '{"ok":true,"status":"processed"}' };
    }
    const path = `/echo/${++this.echoSeq}`;
    this.echoes.set(path, answer);
    return { status: 302, type: 'text/html', body: `${this.url}${path}` };
  }
}

/** Writes an answer; a 302 carries Apps Script's little HTML page, as the real one does. */
function respond(res: http.ServerResponse, answer: Answer): void {
  if (answer.status === 302) {
    res.writeHead(302, { location: answer.body, 'content-type': 'text/html; charset=UTF-8' });
    res.end('<HTML><HEAD><TITLE>Moved Temporarily</TITLE></HEAD></HTML>');
  } else {
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  }
}

// ---- the worker ---------------------------------------------------------------------------------

const web = new FakeWebApp();
const logs: string[] = [];
let script = '';
let relay: Miniflare;

async function workerSource(): Promise<string> {
  const out = await build({ entryPoints: [join(__dirname, '..', '..', 'relay', 'src', 'index.ts')], bundle: true, format: 'esm', target: 'es2022', platform: 'neutral', write: false, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

function startRelay(bindings: Record<string, string>): Miniflare {
  return new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2025-06-01',
    bindings,
    // The worker's console goes to `logs` (the "not forwarded" line is checked), not to jest's output.
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) stream.on('data', (d: Buffer) => logs.push(String(d)));
    },
  });
}

function bindings(extra: Record<string, string> = {}): Record<string, string> {
  return {
    APPS_SCRIPT_URL: `${web.url}/macros/s/AKfyTEST/exec?token=${TOKEN}`,
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    META_APP_SECRET: META_SECRET,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    FORWARD_ATTEMPTS: String(ATTEMPTS),
    FORWARD_BACKOFF_MS: '20',
    FORWARD_TIMEOUT_MS: '5000',
    ...extra,
  };
}

/** A delivery to the relay, as the provider makes it. */
async function deliver(path: string, body: string, headers: Record<string, string>, on: Miniflare = relay) {
  const res = await on.dispatchFetch(`${RELAY}${path}`, { method: 'POST', headers, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Waits (polling) until `cond` holds; the forward runs after the answer, in waitUntil. */
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const gaveUp = (source: string) => logs.some((l) => l.includes(`relay: ${source} delivery not forwarded`));

beforeAll(async () => {
  await web.start();
  script = await workerSource();
  relay = startRelay(bindings());
  await relay.ready;
});

afterAll(async () => {
  await relay?.dispose();
  await web.stop();
});

beforeEach(() => {
  web.reset();
  logs.length = 0;
});

// ---- (a) signatures, against a recording web app -------------------------------------------------

describe('a signed delivery is answered 200 and forwarded after the answer', () => {
  test('Stripe: the same bytes, with source=stripe, the token and relay=1, through the 302', async () => {
    const body = raw('stripe/events/checkout.session.completed.json');
    const res = await deliver('/stripe', body, stripeHeaders(body));
    expect(res).toMatchObject({ status: 200, text: '{"received":true}' });
    await until(() => web.hits.length === 2, 'the forward and its redirect');
    const [post, echo] = web.hits;
    expect(post).toMatchObject({ method: 'POST', path: '/macros/s/AKfyTEST/exec', query: { token: TOKEN, source: 'stripe', relay: '1' }, body });
    expect(post.contentType).toBe('application/json; charset=utf-8');
    expect(echo).toMatchObject({ method: 'GET', body: '' });
    expect(echo.path).toMatch(/^\/echo\/\d+$/);
  });

  test('Meta: X-Hub-Signature-256 over the raw body', async () => {
    const body = raw('meta/leadgen_webhook.json');
    expect(await deliver('/facebook', body, metaHeaders(body))).toMatchObject({ status: 200 });
    await until(() => web.echoed() === 1, 'the forward');
    expect(web.posts()[0]).toMatchObject({ query: { token: TOKEN, source: 'facebook', relay: '1' }, body });
  });

  test('Twilio: X-Twilio-Signature over the public URL, its query included, and the sorted form', async () => {
    const form = raw('twilio/inbound_sms.form.txt').trim();
    const url = `${RELAY}/sms?account=sirrius`;
    const res = await relay.dispatchFetch(url, { method: 'POST', headers: twilioHeaders(url, form), body: form });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    expect(await res.text()).toMatch(/<Response\/>$/);
    await until(() => web.echoed() === 1, 'the forward');
    // The form keeps its content type: Apps Script parses it into e.parameter only then.
    expect(web.posts()[0]).toMatchObject({ query: { token: TOKEN, source: 'sms', relay: '1' }, contentType: 'application/x-www-form-urlencoded', body: form });
  });

  test('aliases /meta and /twilio, and ?source= like the web app URL, route the same', async () => {
    const meta = raw('meta/leadgen_webhook.docs_sample.json');
    expect((await deliver('/meta', meta, metaHeaders(meta))).status).toBe(200);
    expect((await deliver('/?source=facebook', meta, metaHeaders(meta))).status).toBe(200);
    const form = raw('twilio/inbound_sms.stop.form.txt').trim();
    expect((await deliver('/twilio', form, twilioHeaders(`${RELAY}/twilio`, form))).status).toBe(200);
    await until(() => web.echoed() === 3, 'three forwards');
    expect(web.posts().map((p) => p.query.source).sort()).toEqual(['facebook', 'facebook', 'sms']);
  });

  test('the answer does not wait on the web app: a slow Apps Script gets the delivery later', async () => {
    web.delayMs = 1200;
    const body = raw('stripe/events/invoice.payment_failed.json');
    const started = Date.now();
    expect((await deliver('/stripe', body, stripeHeaders(body))).status).toBe(200);
    const answeredIn = Date.now() - started;
    await until(() => web.echoed() === 1, 'the slow forward');
    expect(answeredIn).toBeLessThan(800);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
  });

  test('Stripe: while a rolled secret overlaps, any v1 of the header may match', async () => {
    const body = raw('stripe/events/invoice.paid.json');
    const t = Math.floor(Date.now() / 1000);
    const good = stripeHeaders(body, { timestamp: t })['stripe-signature'];
    const old = stripeHeaders(body, { timestamp: t, secret: 'whsec_old' })['stripe-signature'].split(',')[1];
    const header = `${old},${good},v0=${'0'.repeat(64)}`;
    expect((await deliver('/stripe', body, { 'content-type': 'application/json', 'stripe-signature': header })).status).toBe(200);
    await until(() => web.echoed() === 1, 'the forward');
  });
});

describe('a bad or missing signature gets a 400 and nothing is forwarded', () => {
  const stripeBody = raw('stripe/events/invoice.payment_failed.json');
  const metaBody = raw('meta/leadgen_webhook.json');
  const form = raw('twilio/inbound_sms.form.txt').trim();
  const now = () => Math.floor(Date.now() / 1000);
  /** A changed body: another lead, another attempt count, another SMS text. */
  const tamper = (s: string) => {
    const out = s.replace('"leadgen_id": "2456789012345678"', '"leadgen_id": "2456789012345679"').replace('"attempt_count": 1', '"attempt_count": 4').replace('Body=Bonjour', 'Body=STOP');
    if (out === s) throw new Error('tamper changed nothing');
    return out;
  };
  const { 'stripe-signature': _s, ...stripeNoHeader } = stripeHeaders(stripeBody);
  const { 'x-hub-signature-256': _m, ...metaNoHeader } = metaHeaders(metaBody);

  test.each([
    ['Stripe, tampered body', '/stripe', tamper(stripeBody), stripeHeaders(stripeBody), 'bad_signature'],
    ['Stripe, wrong secret', '/stripe', stripeBody, stripeHeaders(stripeBody, { secret: 'whsec_not_ours' }), 'bad_signature'],
    ['Stripe, no header', '/stripe', stripeBody, stripeNoHeader, 'missing_signature'],
    ['Stripe, no v1', '/stripe', stripeBody, { 'stripe-signature': `t=${now()},v0=${'a'.repeat(64)}` }, 'malformed_signature'],
    ['Stripe, timestamp replayed after the 300 s tolerance', '/stripe', stripeBody, stripeHeaders(stripeBody, { timestamp: now() - 301 }), 'stale_timestamp'],
    ['Stripe, a day-old delivery replayed', '/stripe', stripeBody, stripeHeaders(stripeBody, { timestamp: now() - 86400 }), 'stale_timestamp'],
    ['Stripe, timestamp far ahead', '/stripe', stripeBody, stripeHeaders(stripeBody, { timestamp: now() + 3600 }), 'stale_timestamp'],
    ['Stripe, signed timestamp changed', '/stripe', stripeBody, { 'stripe-signature': stripeHeaders(stripeBody)['stripe-signature'].replace(/^t=(\d+)/, (_, t) => `t=${Number(t) - 1}`) }, 'bad_signature'],
    ['Meta, tampered body', '/facebook', tamper(metaBody), metaHeaders(metaBody), 'bad_signature'],
    ['Meta, wrong secret', '/facebook', metaBody, metaHeaders(metaBody, 'not-the-app-secret'), 'bad_signature'],
    ['Meta, no header', '/facebook', metaBody, metaNoHeader, 'missing_signature'],
    ['Meta, no sha256= prefix', '/facebook', metaBody, { 'x-hub-signature-256': metaHeaders(metaBody)['x-hub-signature-256'].slice(7) }, 'malformed_signature'],
    ['Twilio, tampered form', '/sms', tamper(form), twilioHeaders(`${RELAY}/sms`, form), 'bad_signature'],
    ['Twilio, wrong auth token', '/sms', form, twilioHeaders(`${RELAY}/sms`, form, 'not-the-auth-token'), 'bad_signature'],
    ['Twilio, signed for another URL', '/sms', form, twilioHeaders(`${RELAY}/sms?other=1`, form), 'bad_signature'],
    ['Twilio, no header', '/sms', form, { 'content-type': 'application/x-www-form-urlencoded' }, 'missing_signature'],
  ])('%s', async (_name, path, body, headers, error) => {
    const res = await deliver(path, body, headers as Record<string, string>);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ ok: false, error });
    // A valid delivery afterwards is the only one to reach the web app.
    const sentinel = raw('meta/leadgen_webhook.no_ad.json');
    await deliver('/facebook', sentinel, metaHeaders(sentinel));
    await until(() => web.echoed() >= 1, 'the sentinel forward');
    await new Promise((r) => setTimeout(r, 30));
    expect(web.posts().map((p) => p.body)).toEqual([sentinel]);
  });

  test('unknown paths and other methods are refused, nothing forwarded', async () => {
    expect((await relay.dispatchFetch(`${RELAY}/exec`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await relay.dispatchFetch(`${RELAY}/stripe`)).status).toBe(405);
    expect(web.hits).toHaveLength(0);
  });
});

// ---- (b) the real bundle behind the relay ---------------------------------------------------------

describe('through the relay into the real bundle', () => {
  test('a Meta lead is recorded and texted once, journalled [relay], after Apps Script\'s redirect', async () => {
    const s = new System();
    web.reset(s);
    const { leadgenId, webhook } = s.providers.metaLead({ fullName: 'Camille Durand' });
    const body = JSON.stringify(webhook);
    expect((await deliver('/facebook', body, metaHeaders(body))).status).toBe(200);
    await until(() => web.echoed() === 1, 'the redirect');
    expect(s.rows('Leads')).toEqual([expect.objectContaining({ fb_lead_id: leadgenId, first_name: 'Camille', sms_sent: true })]);
    expect(s.providers.sms).toHaveLength(1);
    expect(s.rows('Events')).toEqual([expect.objectContaining({ event_id: leadgenId, status: 'processed', attempts: 1, payload: `[relay] ${body}` })]);
  });

  test('a Stripe event and a Twilio STOP are journalled [relay]', async () => {
    const s = new System();
    web.reset(s);
    const event = s.providers.stripeEvent(fixture('stripe/events/invoice.payment_failed.json'));
    const stripeBody = JSON.stringify(event);
    expect((await deliver('/stripe', stripeBody, stripeHeaders(stripeBody))).status).toBe(200);
    const inbound = s.providers.inboundSms('+33612345678', 'STOP');
    const form = new URLSearchParams(inbound.params).toString();
    expect((await deliver('/sms', form, twilioHeaders(`${RELAY}/sms`, form))).status).toBe(200);
    await until(() => web.echoed() === 2, 'both forwards and their redirects');
    const events = s.rows('Events');
    expect(events.find((e) => e.event_id === event.id)?.payload).toBe(`[relay] ${stripeBody}`);
    expect(String(events.find((e) => e.event_id === inbound.sid)?.payload)).toMatch(/^\[relay\] .*Body=STOP/);
    expect(s.rows('Opt_Outs').map((o) => o.phone)).toEqual(['+33612345678']);
  });

  test('the web app busy once: the retry delivers it, once', async () => {
    const s = new System();
    web.reset(s);
    web.busy = 1;
    const { leadgenId, webhook } = s.providers.metaLead({});
    const body = JSON.stringify(webhook);
    expect((await deliver('/facebook', body, metaHeaders(body))).status).toBe(200);
    await until(() => web.echoed() === 2, 'the retried forward and its redirect');
    expect(web.posts()).toHaveLength(2);
    expect(s.rows('Events')).toEqual([expect.objectContaining({ event_id: leadgenId, status: 'processed', attempts: 1 })]);
    expect(s.rows('Leads')).toHaveLength(1);
  });

  test('the web app down for every retry: the providers still got 200, and reconcile loses nothing', async () => {
    const s = new System();
    web.reset(s);
    web.down = Infinity;
    const { leadgenId, webhook } = s.providers.metaLead({ fullName: 'Julien Martin', phone: '0698765432' });
    const meta = JSON.stringify(webhook);
    const event = s.providers.stripeEvent(fixture('stripe/events/invoice.payment_failed.json'));
    const stripeBody = JSON.stringify(event);
    const started = Date.now();
    expect((await deliver('/facebook', meta, metaHeaders(meta))).status).toBe(200);
    expect((await deliver('/stripe', stripeBody, stripeHeaders(stripeBody))).status).toBe(200);
    // The answers did not wait for the forwards (3 attempts, 20 + 40 ms apart, each refused).
    await until(() => gaveUp('facebook') && gaveUp('stripe'), 'both forwards to give up');
    expect(web.posts().filter((p) => p.query.source === 'facebook')).toHaveLength(ATTEMPTS);
    expect(web.posts().filter((p) => p.query.source === 'stripe')).toHaveLength(ATTEMPTS);
    expect(Date.now() - started).toBeLessThan(5000);
    // The log line says what happened without the URL (it carries the token).
    expect(logs.join('')).not.toContain(TOKEN);
    expect(s.rows('Events')).toHaveLength(0);
    expect(s.rows('Leads')).toHaveLength(0);

    // reconcile lists Meta's form leads and Stripe's events: each is found and applied once (a
    // Stripe event once its webhook has had 30 minutes to come).
    expect(s.reconcile(5 * 60000)).not.toHaveProperty('error');
    s.reconcile(30 * 60000);
    expect(s.rows('Leads')).toEqual([expect.objectContaining({ fb_lead_id: leadgenId, first_name: 'Julien' })]);
    expect(s.providers.sms).toHaveLength(1);
    const events = s.rows('Events');
    expect(events.filter((e) => e.event_id === leadgenId)).toHaveLength(1);
    expect(events.filter((e) => e.event_id === event.id)).toEqual([expect.objectContaining({ source: 'stripe' })]);
    expect(events.filter((e) => e.event_id === event.id)[0].status).not.toBe('failed');
  });

  test("Meta's verification GET is passed to the web app, which holds FB_VERIFY_TOKEN", async () => {
    const s = new System();
    web.reset(s);
    const verify = (token: string) => relay.dispatchFetch(`${RELAY}/facebook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    const ok = await verify(TEST_PROPERTIES.FB_VERIFY_TOKEN);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    expect(web.hits[0]).toMatchObject({ method: 'GET', query: { token: TOKEN, source: 'facebook', 'hub.mode': 'subscribe', 'hub.challenge': '1158201444' } });
    const refused = await verify('wrong');
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('1158201444');
  });
});

describe('a relay with META_VERIFY_TOKEN and no Twilio token', () => {
  let own: Miniflare;
  beforeAll(async () => {
    own = startRelay(bindings({ META_VERIFY_TOKEN: 'relay-verify-token', TWILIO_AUTH_TOKEN: '' }));
    await own.ready;
  });
  afterAll(() => own?.dispose());

  test("answers Meta's verification itself, without calling the web app", async () => {
    const ok = await own.dispatchFetch(`${RELAY}/facebook?hub.mode=subscribe&hub.verify_token=relay-verify-token&hub.challenge=42`);
    expect([ok.status, await ok.text()]).toEqual([200, '42']);
    const refused = await own.dispatchFetch(`${RELAY}/facebook?hub.mode=subscribe&hub.verify_token=relay-verify-tokem&hub.challenge=42`);
    expect(refused.status).toBe(403);
    expect(web.hits).toHaveLength(0);
  });

  test('refuses Twilio deliveries with a 500 (retried by Twilio) rather than forward them unchecked', async () => {
    const form = raw('twilio/inbound_sms.form.txt').trim();
    const res = await deliver('/sms', form, twilioHeaders(`${RELAY}/sms`, form), own);
    expect(res.status).toBe(500);
    expect(web.hits).toHaveLength(0);
  });
});

describe('relay-only mode: the web app takes posts only from the relay (RELAY_TOKEN on both)', () => {
  const RELAY_ONLY = 'relay-only-secret-5d0e9a7c41b2f8e6';
  let own: Miniflare;
  beforeAll(async () => {
    own = startRelay(bindings({ RELAY_TOKEN: RELAY_ONLY }));
    await own.ready;
  });
  afterAll(() => own?.dispose());

  test('a signed delivery through the relay is applied; the same post straight to the web app, token and all, is refused', async () => {
    const s = new System({ properties: { ...TEST_PROPERTIES, RELAY_TOKEN: RELAY_ONLY } });
    web.reset(s);
    const { webhook } = s.providers.metaLead({ fullName: 'Julien Martin', phone: '0698765432' });
    const meta = JSON.stringify(webhook);
    // Direct, with WEBHOOK_TOKEN (and even relay=1): refused, nothing recorded.
    expect(JSON.parse(s.post('facebook', meta, { query: { relay: '1' } }).content)).toEqual({ ok: false, error: 'unauthorized' });
    expect(s.rows('Events')).toHaveLength(0);
    expect((await deliver('/facebook', meta, metaHeaders(meta), own)).status).toBe(200);
    await until(() => s.rows('Leads').length === 1, 'the relayed lead');
    expect(web.posts()[0].query).toMatchObject({ token: TOKEN, source: 'facebook', relay: '1', relay_token: RELAY_ONLY });
    // The relay's token never reaches the journal or a log.
    expect(JSON.stringify(s.rows('Events')) + logs.join('') + s.gas.logs.join('')).not.toContain(RELAY_ONLY);
  });

  test("with RELAY_URL, Twilio's delivery statuses come through the relay too, and are applied", async () => {
    const s = new System({ properties: { ...TEST_PROPERTIES, RELAY_TOKEN: RELAY_ONLY, RELAY_URL: `${RELAY}/` } });
    web.reset(s);
    const { webhook } = s.providers.metaLead({ fullName: 'Julien Martin', phone: '0698765432' });
    const meta = JSON.stringify(webhook);
    expect((await deliver('/facebook', meta, metaHeaders(meta), own)).status).toBe(200);
    await until(() => s.rows('Messages').length === 1, 'the relayed lead and its SMS');
    s.gas.clock.advance(60000);
    const [callback] = s.providers.takeStatusCallbacks();
    // No web app URL and no token in what Twilio holds: the relay's public address.
    expect(callback.url).toBe(`${RELAY}/sms?kind=status`);
    const form = new URLSearchParams(callback.params).toString();
    expect((await deliver('/sms?kind=status', form, twilioHeaders(callback.url, form), own)).status).toBe(200);
    await until(() => s.rows('Messages')[0].status === 'delivered', 'the relayed status');
    expect(s.rows('Leads')[0].sms_status).toBe('delivered');
    expect(s.rows('Events').find((e) => e.type === 'sms_status')).toMatchObject({ status: 'processed', payload: expect.stringMatching(/^\[relay\] /) });
  });
});
