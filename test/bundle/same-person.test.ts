/** Issue 17 item 5, through the bundle: the same person's second form within Config duplicate_window_days is recorded on their lead, not texted or counted again. */
import { System, json } from '../support/system';
import { sheetsDataCalls } from '../support/gas';

const DAY = 86400000;

test('a second form from the same phone: a note with the new answers on the existing lead, its own Events row, no SMS, no count', () => {
  const s = new System();
  s.metaLead({ fullName: 'Camille Durand', phone: '06 12 34 56 78', email: 'camille@example.fr', answers: { type_de_projet: 'cuisine' } });
  s.gas.clock.advance(2 * DAY);
  const second = s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'autre.adresse@example.fr', answers: { type_de_projet: 'salle de bain' } });
  expect(json(second.response!)).toEqual({ ok: true, statuses: ['duplicate'] });
  const leads = s.rows('Leads');
  expect(leads).toHaveLength(1);
  expect(String(leads[0].notes)).toMatch(new RegExp(`Nouveau formulaire le \\d\\d/\\d\\d/2026 \\d\\d:\\d\\d \\(lead Meta ${second.leadgenId}\\).*\\nType de projet : salle de bain`));
  expect(s.providers.sms).toHaveLength(1);
  const events = s.rows('Events');
  expect(events.map((e) => [e.event_id, e.status])).toEqual([
    [expect.any(String), 'processed'],
    [second.leadgenId, 'duplicate'],
  ]);
  expect(String(events[1].last_error)).toBe(`same_person: ${leads[0].id}`);
  const today = s.rows('Capacity').find((c) => (c.date as Date).getTime() === new Date('2026-11-24T23:00:00Z').getTime());
  expect(today?.current_leads ?? 0).toBe(0);
  // Redelivered and polled again: still one note.
  s.post('facebook', JSON.stringify(second.webhook));
  s.reconcile(10 * 60000);
  expect(String(s.rows('Leads')[0].notes).match(/Nouveau formulaire/g)).toHaveLength(1);
});

test('the same email in any case counts as the same person; beyond the window it is a new lead', () => {
  const s = new System();
  s.metaLead({ fullName: 'Camille Durand', phone: '+33611111111', email: 'camille@example.fr' });
  s.gas.clock.advance(DAY);
  s.metaLead({ fullName: 'Camille D.', phone: '+33622222222', email: 'Camille@Example.fr' });
  expect(s.rows('Leads')).toHaveLength(1);
  s.gas.clock.advance(31 * DAY);
  s.metaLead({ fullName: 'Camille Durand', phone: '+33611111111', email: 'camille@example.fr' });
  expect(s.rows('Leads')).toHaveLength(2);
  expect(s.providers.sms).toHaveLength(2);
});

test('a second form of the same person costs fewer Sheets calls than a new lead (one search finds both)', () => {
  const cost = (sameEmail: boolean) => {
    const s = new System();
    s.metaLead({ fullName: 'Camille Durand', phone: '+33611111111', email: 'camille@example.fr' });
    s.metaLead({ fullName: 'Autre Personne', phone: '+33622222222', email: 'autre@example.fr' });
    const res = s.metaLead({ fullName: 'Camille Durand', phone: '+33633333333', email: sameEmail ? 'camille@example.fr' : 'nouvelle@example.fr' }).response!;
    return sheetsDataCalls(res.calls);
  };
  expect(cost(true)).toBeLessThan(cost(false));
});
