/** Issue 17 item 17, through the bundle: a morning report refused by MailApp is resent once the quota returns, and the incident says so. */
import { System } from '../support/system';

const MONDAY_9H = new Date('2026-11-23T08:00:00Z');
const HOUR = 3600000;

test('MailApp quota spent at 9h: one incident saying the report will be resent; reconcile resends it once when the quota is back', () => {
  const s = new System({ now: MONDAY_9H });
  s.gas.mail.consume(s.gas.clock.now(), s.gas.mail.remaining(s.gas.clock.now()));
  const r = s.gas.runDetailed('routineMorning', [], { kind: 'trigger' });
  expect(r.result).toMatchObject({ ok: false, emailed: false });
  const incidents = s.rows('Incidents').filter((i) => i.type === 'routine_failure');
  expect(incidents).toHaveLength(1);
  expect(incidents[0].title).toMatch(/rapport refusé par MailApp .* il sera renvoyé automatiquement dès que le quota d'e-mails le permet/);
  const reports = () => s.gas.mail.outbox.filter((m) => /matin|9h|Rapport|rapport/i.test(m.subject));
  const before = s.gas.mail.outbox.length;
  for (let h = 0; h < 6; h++) s.reconcile(HOUR); // same UTC day: still refused
  expect(s.gas.mail.outbox.length).toBe(before);
  s.gas.clock.set(new Date('2026-11-24T00:05:00Z')); // the quota is back (UTC midnight)
  s.reconcile(0);
  s.reconcile(5 * 60000);
  const resent = s.gas.mail.outbox.slice(before);
  expect(resent).toHaveLength(1);
  expect(resent[0].to).toBe('operateur@sirrius.example');
  expect(reports().length).toBeGreaterThan(0);
  expect(s.rows('Incidents').find((i) => i.type === 'routine_failure')?.resolution).toMatch(/E-mail « Routine du matin \(9h\) » renvoyé/);
  // Resent once: later runs send nothing more.
  s.reconcile(HOUR);
  expect(s.gas.mail.outbox.slice(before)).toHaveLength(1);
});

test('an unreadable pending report (Script Property) is dropped: nothing sent, reconcile runs on', () => {
  const s = new System({ now: MONDAY_9H });
  s.gas.properties.script.set('ROUTINE_PENDING_routineMorning', '{not json');
  const before = s.gas.mail.outbox.length;
  s.reconcile(0);
  expect(s.gas.properties.script.get('ROUTINE_PENDING_routineMorning') ?? '').toBe('');
  expect(s.gas.mail.outbox.length).toBe(before);
  expect(s.rows('Incidents').filter((i) => i.type === 'routine_failure')).toHaveLength(0);
});
