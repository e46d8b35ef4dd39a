/**
 * Any order, any repetition (issue 10): fast-check generates sequences of provider events and
 * operator calls, each delivered any number of times, with reconcile runs in between. The final
 * Sheet equals the one from delivering each event once, in the order of first occurrence
 * (only Events.attempts differs: it counts deliveries), and nothing leaves the system twice.
 * And after a number opts out, no SMS ever goes to it.
 */
import fc from 'fast-check';
import { EVENT_KEYS, LEADS, firstOccurrences, newWorld, play, withoutAttempts } from './world';
import { recordFigure } from './figures';

const RUNS = Number(process.env.RELIABILITY_RUNS ?? 40);

const keys = () => {
  const s = newWorld();
  // Operator calls join the world once the bundle has them.
  return EVENT_KEYS.filter((k) => !k.startsWith('optout:') || s.gas.hasGlobal('optOutLead'));
};

const sequences = (pool: string[]) => fc.array(fc.constantFrom(...pool, 'reconcile', 'reconcile'), { minLength: 1, maxLength: 28 });

test(`delivered in any order, any number of times, with reconcile in between: the Sheet of one delivery each (${RUNS} sequences)`, () => {
  const pool = keys();
  let events = 0;
  fc.assert(
    fc.property(sequences(pool), (sequence) => {
      events += sequence.length;
      const reference = play(firstOccurrences(sequence));
      const actual = play(sequence);
      expect(withoutAttempts(actual.tabs)).toEqual(withoutAttempts(reference.tabs));
      expect(actual.sms).toEqual(reference.sms);
      expect(actual.mails).toEqual(reference.mails);
      expect(actual.graphPosts).toEqual(reference.graphPosts);
    }),
    { numRuns: RUNS, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
  );
  recordFigure('order_and_repetition', { sequences: RUNS, deliveries: events });
});

test(`after a number opts out, it never gets an SMS, whatever the sequence (${RUNS} sequences)`, () => {
  const pool = keys();
  fc.assert(
    fc.property(sequences(pool), (sequence) => {
      const run = play(sequence);
      const [header, ...optOuts] = run.tabs.Opt_Outs as unknown[][];
      const phoneCol = (header as string[]).indexOf('phone');
      const atCol = (header as string[]).indexOf('opted_out_at');
      for (const row of optOuts) {
        const since = (row[atCol] as Date).getTime();
        expect(run.sms.filter((m) => m.to === row[phoneCol] && m.at >= since)).toEqual([]);
      }
      // Each number is in Opt_Outs once.
      expect(new Set(optOuts.map((r) => r[phoneCol])).size).toBe(optOuts.length);
      for (const lead of LEADS) expect(optOuts.filter((r) => r[phoneCol] === lead.phone).length).toBeLessThanOrEqual(1);
    }),
    { numRuns: RUNS },
  );
});
