/**
 * Bad input, injection, secrets and concurrency (issue 10), over the built bundle.
 */
import fc from 'fast-check';
import * as entry from '../../src/entry';
import { ExecutionKilled } from '../../emulator';
import { TEST_PROPERTIES, sheetWrites } from '../support/gas';
import { System, json } from '../support/system';
import { fixture } from '../../emulator/providers';
import { recordFigure } from './figures';

const RUNS = Number(process.env.RELIABILITY_RUNS ?? 40);

/** Globals a person calls with arguments: they answer a result and write nothing on bad input. */
const ACTIONS = ['replayStripeEvent', 'convertLead', 'addManualLead', 'optOutLead', 'resolveIncident', 'setTodayCapacity', 'pauseCampaigns', 'eraseLead', 'exportLead', 'markContacted'].filter(
  (name) => name in entry,
);

const junk = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom('=IMPORTXML("http://x","//a")', '+33', '-', '@', "'", '', ' ', 'lead_', 'inc_', 'evt_', 'cus_', 'x'.repeat(60000)),
);

test(`malformed arguments to every person-started global: no exception, a French refusal, nothing written (${RUNS} each)`, () => {
  const s = new System();
  s.metaLead({});
  let calls = 0;
  for (const name of ACTIONS) {
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 3 }), (args) => {
        calls++;
        const run = s.gas.runDetailed(name, args);
        expect(run.error).toBeUndefined();
        const result = run.result as { ok: unknown; error?: unknown; message?: unknown };
        expect(typeof result.ok).toBe('boolean');
        if (result.ok === false) {
          expect(typeof result.error).toBe('string');
          expect(sheetWrites(run.calls)).toBe(0);
        }
      }),
      { numRuns: RUNS },
    );
  }
  expect(s.formulas()).toEqual([]);
  recordFigure('bad_arguments', { functions: ACTIONS.length, calls });
});

test('no cell ever holds a formula that came from outside, whatever the text', () => {
  const s = new System();
  const evil = ['=HYPERLINK("http://evil","clic")', '+SUM(1)', '-1+2', '@A1', '\t=1', '\r=1', "'=1"];
  let person = 0; // a different person each time: a second form of the same phone is only a note
  fc.assert(
    fc.property(fc.constantFrom(...evil), fc.string({ maxLength: 20 }), (start, rest) => {
      const text = start + rest;
      s.metaLead({ firstName: text, lastName: text, phone: `+336123${String(10000 + person++)}`, email: `${text}@example.fr`, answers: { [text.slice(0, 30) || 'q']: text } });
      s.reply('+33699887766', text);
      s.post('stripe', text);
      if ('addManualLead' in entry) s.gas.run('addManualLead', [{ first_name: text, last_name: text, phone: '0611223344', email: 'a@b.fr', source_detail: text }]);
    }),
    { numRuns: 30 },
  );
  expect(s.formulas()).toEqual([]);
  // And the text is kept as received.
  expect(s.rows('Leads').some((l) => String(l.first_name).startsWith('=HYPERLINK'))).toBe(true);
});

test('after a day of every flow, no secret appears in a cell, a log line, an email, a page or an answer', () => {
  const s = new System();
  const secrets = Object.entries(TEST_PROPERTIES)
    .filter(([k]) => /TOKEN|KEY|SECRET|SID/.test(k))
    .map(([, v]) => v);
  const answers: string[] = [];
  // A provider that echoes the key in its error (Stripe's 401 masks it; a proxy might not).
  const router = s.gas.fetch!;
  let echoes = 2;
  s.gas.fetch = (req) => (req.url.includes('api.stripe.com') && echoes-- > 0 ? { status: 401, body: { error: { message: `Invalid API Key provided: ${TEST_PROPERTIES.STRIPE_SECRET_KEY} (${req.headers.Authorization})` } } } : router(req));
  const { leadgenId } = s.metaLead({});
  const lead = s.rows('Leads')[0];
  const sub = s.providers.stripeSubscription({ customer: 'cus_Secret0001' });
  const checkout = s.providers.stripeEvent(fixture('stripe/events/checkout.session.completed.json'), { object: { client_reference_id: lead.id, customer: 'cus_Secret0001', subscription: sub.id } });
  answers.push(s.post('stripe', JSON.stringify(checkout)).content);
  answers.push(s.post('stripe', JSON.stringify(checkout)).content);
  answers.push(s.reply('+33612345678', 'Bonjour').response.content);
  answers.push(s.reply('+33612345678', 'STOP').response.content);
  answers.push(s.get({ source: 'facebook', token: TEST_PROPERTIES.WEBHOOK_TOKEN, 'hub.mode': 'subscribe', 'hub.verify_token': 'x', 'hub.challenge': '1' }).content);
  answers.push(s.get({ source: 'optout', l: '1', s: 'x' }).content);
  for (let i = 0; i < 4; i++) s.reconcile(30 * 60000);
  for (const fn of ['routineMorning', 'routineNoon', 'routineAfternoon', 'routineEvening', 'replayStripeEvent', 'exportLead']) {
    if (s.gas.hasGlobal(fn)) answers.push(JSON.stringify(s.gas.run(fn, fn === 'replayStripeEvent' ? [checkout.id] : fn === 'exportLead' ? [lead.id] : [])));
  }
  void leadgenId;
  expect(String(s.rows('Events').find((e) => e.event_id === checkout.id)?.last_error ?? '') + JSON.stringify(s.rows('Events'))).toContain('***');
  const ss = s.gas.spreadsheet.active;
  const haystacks = [
    JSON.stringify(ss.sheetNames().map((n) => ss.sheet(n).values())),
    s.gas.logs.join('\n'),
    JSON.stringify(s.gas.mail.outbox),
    JSON.stringify(s.gas.spreadsheet.ui),
    answers.join('\n'),
  ];
  for (const secret of secrets) for (const hay of haystacks) expect(hay.includes(secret) ? secret : '').toBe('');
});

describe('concurrency: two executions with one event meet at the lock', () => {
  test('a Stripe event redelivered while the first delivery holds the lock: one effect', () => {
    const s = new System();
    s.metaLead({});
    const lead = s.rows('Leads')[0];
    const sub = s.providers.stripeSubscription({ customer: 'cus_Twice0001' });
    const event = s.providers.stripeEvent(fixture('stripe/events/checkout.session.completed.json'), { object: { client_reference_id: lead.id, customer: 'cus_Twice0001', subscription: sub.id } });
    const router = s.gas.fetch!;
    let second: ReturnType<System['post']> | null = null;
    s.gas.fetch = (req) => {
      if (!second && req.url.includes('/v1/subscriptions')) second = s.post('stripe', JSON.stringify(event));
      return router(req);
    };
    const first = s.post('stripe', JSON.stringify(event));
    expect(json(first)).toEqual({ ok: true, status: 'processed' });
    expect(json(second!)).toEqual({ ok: false, error: 'busy' });
    expect(sheetWrites(second!.calls)).toBe(0);
    s.gas.fetch = router;
    s.post('stripe', JSON.stringify(event)); // the provider's retry
    expect(s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !')).toHaveLength(1);
    expect(s.rows('Events').filter((e) => e.event_id === event.id)).toHaveLength(1);
  });

  test('a delivery killed while holding the lock frees it: the next delivery completes the work once', () => {
    const s = new System();
    const { webhook } = s.providers.metaLead();
    s.gas.afterCall = (_service, method) => {
      if (method === 'UrlFetchApp.fetch') throw new ExecutionKilled(method);
    };
    expect(() => s.post('facebook', JSON.stringify(webhook))).toThrow(ExecutionKilled);
    s.gas.afterCall = undefined;
    expect(s.gas.locks.holder('script')).toBeUndefined();
    expect(json(s.post('facebook', JSON.stringify(webhook))).ok).toBe(true);
    expect(s.rows('Leads')).toHaveLength(1);
    expect(s.providers.sms).toHaveLength(1);
  });
});
