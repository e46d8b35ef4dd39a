/**
 * Opting out is absolute (issue 16), as a property: fast-check interleaves every opt-out path (a
 * STOP reply, the link, the operator's optOutLead, a status set `opted_out` by hand and a number
 * typed into Opt_Outs, each with or without onEdit running, Twilio's own STOP list) with sends
 * (Meta leads in any spelling, in and out of the quiet hours, reconcile's queued sends and
 * retries). Whatever the interleaving, no SMS that Twilio accepted ever reaches a number after
 * it opted out, and after the evening control every opted-out number is in Opt_Outs.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { System } from '../support/system';
import { TEST_PROPERTIES } from '../support/gas';

const RUNS = Number(process.env.RELIABILITY_RUNS ?? 25);
const HOUR = 3600000;

const PEOPLE = [
  { e164: '+33612345678', spellings: ['+33612345678', '06 12 34 56 78', '0033612345678'] },
  { e164: '+33698765432', spellings: ['+33698765432', '06.98.76.54.32', '+33 6 98 76 54 32'] },
];

type Command =
  | { kind: 'lead'; who: number; spelling: number }
  | { kind: 'stop' | 'link' | 'operator' | 'twilio'; who: number }
  | { kind: 'status' | 'typed'; who: number; spelling: number; onEdit: boolean }
  | { kind: 'wait'; hours: number };

const who = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const spelling = fc.integer({ min: 0, max: 2 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('lead' as const), who, spelling }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 14 }) }) },
  ...(['stop', 'link', 'operator', 'twilio'] as const).map((kind) => ({ weight: 1, arbitrary: fc.record({ kind: fc.constant(kind), who }) })),
  ...(['status', 'typed'] as const).map((kind) => ({ weight: 1, arbitrary: fc.record({ kind: fc.constant(kind), who, spelling, onEdit: fc.boolean() }) })),
);

function col(s: System, tab: string, name: string): number {
  return (s.gas.spreadsheet.active.sheet(tab).values()[0] as string[]).indexOf(name) + 1;
}

function linkQuery(leadId: string): Record<string, string> {
  const sig = createHmac('sha256', TEST_PROPERTIES.OPTOUT_SECRET).update(`optout:${leadId}`).digest('base64url').slice(0, 12);
  return { source: 'optout', l: leadId.replace(/^lead_/, ''), s: sig, confirm: '1' };
}

/** The row (2-based) of the latest lead with a person's number, or null. */
function latestLeadRow(s: System, e164: string): { row: number; id: string } | null {
  const leads = s.rows('Leads');
  for (let i = leads.length - 1; i >= 0; i--) if (String(leads[i].phone) === e164) return { row: i + 2, id: String(leads[i].id) };
  return null;
}

/** Plays a sequence; returns each number's opt-out instant (first path that reached it) and the system. */
function play(commands: Command[]): { s: System; optedOutAt: Map<string, number>; throughUs: Set<string> } {
  const s = new System({ now: new Date('2026-11-23T17:30:00Z') }); // Monday 18:30 in Paris: the quiet hours are near
  const optedOutAt = new Map<string, number>();
  /** Numbers that opted out through us or the Sheet (Twilio's own list reaches Opt_Outs only when we try to text them). */
  const throughUs = new Set<string>();
  const mark = (e164: string, viaTwilio = false) => {
    if (!optedOutAt.has(e164)) optedOutAt.set(e164, Number(s.gas.clock.now()));
    if (!viaTwilio) throughUs.add(e164);
  };
  for (const c of commands) {
    s.gas.clock.advance(60000); // a minute between two steps: "after" is strict
    if (c.kind === 'wait') {
      s.reconcile(c.hours * HOUR);
      continue;
    }
    const person = PEOPLE[c.who];
    switch (c.kind) {
      case 'lead':
        s.metaLead({ phone: person.spellings[c.spelling], fullName: `Personne ${c.who}` });
        break;
      case 'stop':
        s.reply(person.e164, 'STOP');
        mark(person.e164);
        break;
      case 'link': {
        const lead = latestLeadRow(s, person.e164);
        if (!lead) break;
        s.get(linkQuery(lead.id));
        mark(person.e164);
        break;
      }
      case 'operator': {
        const preview = s.gas.run('optOutLead', [person.spellings[1], 'appel', '']) as { confirm?: string };
        s.gas.run('optOutLead', [person.spellings[1], 'appel', preview.confirm]);
        mark(person.e164);
        break;
      }
      case 'twilio':
        // The person replied STOP on Twilio's side: Twilio refuses every later SMS (21610).
        s.providers.twilioBlocked.add(person.e164);
        mark(person.e164, true);
        break;
      case 'status': {
        const lead = latestLeadRow(s, person.e164);
        if (!lead) break;
        s.gas.userEdit('Leads', lead.row, col(s, 'Leads', 'status'), [['opted_out']], { fireOnEdit: c.onEdit });
        mark(person.e164);
        break;
      }
      case 'typed': {
        const next = s.rows('Opt_Outs').length + 2;
        s.gas.userEdit('Opt_Outs', next, col(s, 'Opt_Outs', 'phone'), [[person.spellings[c.spelling]]], { fireOnEdit: c.onEdit });
        mark(person.e164);
        break;
      }
    }
  }
  return { s, optedOutAt, throughUs };
}

test(`for any interleaving of opt-out paths and sends, no SMS reaches an opted-out number (${RUNS} sequences)`, () => {
  let commands = 0;
  let optOuts = 0;
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 16 }), (sequence) => {
      commands += sequence.length;
      const { s, optedOutAt, throughUs } = play(sequence);
      for (const [e164, since] of optedOutAt) {
        expect(s.providers.sms.filter((m) => m.to === e164 && Number(m.at) >= since)).toEqual([]);
      }
      optOuts += optedOutAt.size;
      // After the evening control, each number that opted out through the Sheet or with us is in
      // Opt_Outs (Twilio's own list reaches it only when we try to text the number).
      s.gas.clock.advance(24 * HOUR);
      s.gas.runDetailed('routineEvening', [], { kind: 'trigger' });
      const recorded = s.rows('Opt_Outs').map((o) => String(o.phone));
      for (const e164 of throughUs) expect(recorded).toContain(e164);
      // Every row is in E.164 after the control, and a number is recorded once unless typed again by hand.
      for (const e164 of recorded) expect(e164).toMatch(/^\+33\d{9}$/);
      const rows = s.rows('Opt_Outs');
      for (const p of PEOPLE) expect(rows.filter((o) => o.phone === p.e164 && o.source !== 'saisie').length).toBeLessThanOrEqual(1);
    }),
    { numRuns: RUNS, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
  );
  expect(commands).toBeGreaterThan(0);
  expect(optOuts).toBeGreaterThan(0);
});
