/**
 * Malformed input at every source (issue 4): fast-check throws bodies at doPost and doGet.
 * No exception escapes, every answer is well formed, no lead appears, no formula reaches a cell,
 * and nothing but journal rows is written.
 */
import fc from 'fast-check';
import { System, TOKEN } from '../support/system';
import { recordFigure } from '../reliability/figures';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** Text an attacker or a broken proxy could send: formulas, control characters, huge strings, deep JSON. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('=HYPERLINK("http://x","y")', '+33612345678', '-1+1', '@SUM(A1)', '\t=1', '\r=1', "'=1", 'TRUE', '2026-11-23', 'null', '{}', '[]'),
  fc.string({ minLength: 60000, maxLength: 70000 }).map((s) => s || 'x'.repeat(60000)),
);

const deepJson = fc.integer({ min: 50, max: 400 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

const jsonish = fc.oneof(
  nasty,
  deepJson,
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  // Plausible shapes with wrong types or missing ids.
  fc.record({ object: fc.oneof(fc.constant('page'), nasty), entry: fc.anything() }).map((v) => JSON.stringify(v)),
  fc
    .record({ entry: fc.array(fc.record({ changes: fc.array(fc.record({ field: fc.constant('leadgen'), value: fc.record({ leadgen_id: fc.oneof(nasty, fc.integer(), fc.constant(null)) }) })) })) })
    .map((v) => JSON.stringify({ object: 'page', ...v })),
  fc.record({ id: fc.oneof(nasty, fc.constant('evt_'), fc.constant('evt_123')), object: fc.oneof(fc.constant('event'), nasty), type: nasty }).map((v) => JSON.stringify(v)),
);

const twilioForm = fc
  .record({ MessageSid: fc.oneof(nasty, fc.constant('SM' + '0'.repeat(32))), AccountSid: nasty, From: nasty, Body: nasty, To: nasty }, { requiredKeys: [] })
  .map((o) => new URLSearchParams(o as Record<string, string>).toString());

describe.each([
  ['stripe', jsonish, 'application/json'],
  ['facebook', jsonish, 'application/json'],
  ['sms', fc.oneof(twilioForm, nasty), 'application/x-www-form-urlencoded'],
] as const)('%s: malformed bodies', (source, bodies, contentType) => {
  test(`no exception, a well-formed answer, no lead, no formula (${RUNS} bodies)`, () => {
    const s = new System();
    // Every outbound call says "not found": a body naming a plausible id still creates nothing.
    s.gas.fetch = () => ({ status: 404, body: { error: { message: 'not found' } } });
    let tried = 0;
    fc.assert(
      fc.property(bodies, (body) => {
        tried++;
        const res = s.post(source, body, { contentType });
        if (source === 'sms') expect(res.content).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
        else {
          const answer = JSON.parse(res.content);
          expect(typeof answer.ok).toBe('boolean');
        }
        const writes = res.calls.sequence().filter((c) => /Range\.setValues|appendRow|insert|delete/.test(c));
        // At most the journal row and its update, and a redelivery count.
        expect(writes.length).toBeLessThanOrEqual(3);
      }),
      { numRuns: RUNS },
    );
    expect(tried).toBeGreaterThanOrEqual(RUNS);
    recordFigure(`malformed_bodies_${source}`, { bodies: tried });
    expect(s.rows('Leads')).toHaveLength(0);
    expect(s.rows('Opt_Outs')).toHaveLength(0);
    expect(s.formulas()).toEqual([]);
    for (const e of s.rows('Events')) expect(['ignored', 'failed']).toContain(e.status);
  });
});

test('doGet with malformed parameters always answers', () => {
  const s = new System();
  fc.assert(
    fc.property(fc.dictionary(fc.oneof(fc.constantFrom('source', 'token', 'l', 's', 'confirm', 'hub.mode', 'hub.challenge', 'hub.verify_token'), fc.string()), nasty), fc.boolean(), (query, withToken) => {
      const res = s.get({ ...query, ...(withToken ? { token: TOKEN } : {}) });
      expect(['application/json', 'text/plain', 'text/html']).toContain(res.mimeType);
      expect(res.content.length).toBeGreaterThan(0);
    }),
    { numRuns: Math.min(RUNS, 500) },
  );
  expect(s.rows('Opt_Outs')).toHaveLength(0);
  expect(s.formulas()).toEqual([]);
});
