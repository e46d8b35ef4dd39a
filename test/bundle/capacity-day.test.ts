/** Issue 17 item 10, through the bundle: Capacity counts the Paris day a lead was created, not the day it was processed. */
import { System } from '../support/system';

const MINUTE = 60000;

test("25 of Monday evening's leads recovered after midnight count for Monday: Tuesday is not full, no overflow, no pause", () => {
  // Monday 23 November 2026, 21:00 in Paris.
  const s = new System({ now: new Date('2026-11-23T20:00:00Z') });
  s.providers.campaign('120210000000000001', 'Campagne 1', 'ACTIVE');
  s.gas.spreadsheet.active.sheet('Ads_Control').seed([['120210000000000001', 'Campagne 1', false, 'ACTIVE', '', '', '']], 2);
  const monday = s.gas.clock.now();
  for (let i = 0; i < 25; i++) {
    s.providers.metaLead({ fullName: `Lead Soir${i}`, email: `soir${i}@example.fr`, phone: `+336${String(20000000 + i)}`, createdAt: new Date(monday + i * MINUTE) });
  }
  // Their webhooks were lost; reconcile finds them on Tuesday at 00:10.
  s.gas.clock.set(new Date('2026-11-23T23:10:00Z'));
  s.reconcile(0);
  expect(s.rows('Leads')).toHaveLength(25);
  const days = s.rows('Capacity');
  const tuesday = days.find((d) => (d.date as Date).getTime() === new Date('2026-11-23T23:00:00Z').getTime());
  const mondayRow = days.find((d) => (d.date as Date).getTime() === new Date('2026-11-22T23:00:00Z').getTime());
  expect(mondayRow).toMatchObject({ current_leads: 25 });
  expect(tuesday?.current_leads ?? 0).toBe(0);
  expect(tuesday?.status ?? 'open').toBe('open');
  expect(s.rows('Incidents').filter((i) => i.type === 'capacity_overflow')).toHaveLength(0);
  expect(s.providers.campaigns.get('120210000000000001')!.status).toBe('ACTIVE');
  // A lead of Tuesday counts for Tuesday.
  s.gas.clock.set(new Date('2026-11-24T09:00:00Z'));
  s.metaLead({ fullName: 'Mardi Matin', email: 'mardi@example.fr', phone: '+33633333333' });
  const after = s.rows('Capacity').find((d) => (d.date as Date).getTime() === new Date('2026-11-23T23:00:00Z').getTime());
  expect(after).toMatchObject({ current_leads: 1, status: 'open' });
});
