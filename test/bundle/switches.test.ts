/**
 * One day of the product under every platform switch (emulator/switches.ts): each behaviour of
 * Google the project relies on without documentation, in each setting the emulator offers. A Meta
 * lead texted, a second one, a manual lead, a conversion, a STOP, the call list, the 18h routine and
 * the Dashboard, checked by their outcome. `npm run test:switches` runs the whole representative
 * suites under each setting.
 */
import { fixture } from '../../emulator/providers';
import { DEFAULT_SWITCHES, SWITCH_ALTERNATIVES, type PlatformSwitches } from '../../emulator';
import { System } from '../support/system';

const SETTINGS: Array<Partial<PlatformSwitches>> = [{}, ...SWITCH_ALTERNATIVES, { plainTextApostrophe: 'keep', spreadsheetTimeZone: 'America/New_York', batchGetSeesUnflushed: false, leadsFilter: true, chartOptionsReadBack: false }];

const name = (s: Partial<PlatformSwitches>) => JSON.stringify(s) === '{}' ? 'defaults' : Object.entries(s).map(([k, v]) => `${k}=${String(v)}`).join(', ');

test('the alternatives cover every switch', () => {
  const covered = new Set(SWITCH_ALTERNATIVES.flatMap((a) => Object.keys(a)));
  expect([...covered].sort()).toEqual(Object.keys(DEFAULT_SWITCHES).filter((k) => k !== 'triggerSeed').sort());
});

describe.each(SETTINGS.map((s) => [name(s), s] as const))('a day under %s', (_label, switches) => {
  test('leads, SMS, conversion, STOP, call list, KPI and Dashboard are right', () => {
    const s = new System({ now: new Date('2026-11-23T08:00:00Z'), switches });
    const camille = s.metaLead({ fullName: 'Camille Durand', phone: '06 12 34 56 78', email: 'camille@example.fr' });
    s.gas.clock.advance(60000);
    s.metaLead({ fullName: '=Julie Martin', phone: '+33698765432', email: 'julie@example.fr' });
    expect(s.gas.run('addManualLead', [{ first_name: 'Léa', last_name: 'Petit', phone: '0611112222', email: '', source_detail: 'salon' }])).toMatchObject({ ok: true });
    expect(s.providers.sms).toHaveLength(2);
    const leads = s.rows('Leads');
    expect(leads.map((l) => [l.first_name, l.phone, l.status])).toEqual([
      ['Camille', '+33612345678', 'new'],
      ['=Julie', '+33698765432', 'new'],
      ['Léa', '+33611112222', 'new'],
    ]);
    expect(s.formulas()).toEqual([]);
    expect(camille.response && JSON.parse(camille.response.content).ok).toBe(true);

    // Camille pays (lookup by id), Julie answers STOP (lookup by phone), Léa is called.
    s.gas.clock.advance(3600000);
    const sub = s.providers.stripeSubscription({ customer: 'cus_Camille01', amount: 2900 });
    const base = fixture('stripe/events/checkout.session.completed.json');
    s.post('stripe', JSON.stringify(s.providers.stripeEvent(base, { object: { client_reference_id: leads[0].id, customer: 'cus_Camille01', subscription: sub.id, customer_details: { ...base.data.object.customer_details, email: 'camille@example.fr', phone: null } } })));
    s.reply('+33698765432', 'STOP');
    expect(s.gas.run('markContacted', [leads[2].id, 'rappelée'])).toMatchObject({ ok: true });
    expect(s.rows('Leads').map((l) => l.status)).toEqual(['converted', 'opted_out', 'contacted']);
    expect(s.rows('Leads')).toHaveLength(3);
    expect(s.rows('Capacity')[0]).toMatchObject({ current_leads: 3 });

    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    expect(s.gas.run('routineEvening')).toMatchObject({ ok: true });
    expect(s.rows('KPI_Daily').at(-1)).toMatchObject({ leads_received: 3, leads_contacted: 1, leads_converted: 1, mrr_added: 29 });
    const charts = () => s.gas.spreadsheet.active.sheet('Dashboard').charts.length;
    expect(charts()).toBe(4);
    s.gas.run('refreshDashboard');
    expect(charts()).toBe(4);
    const calls = s.gas.runFromClient('followUpList') as { ok: boolean };
    expect(calls).toMatchObject({ ok: true });

    // The night: a lead waits for the sending window; in the morning the installed triggers, fired
    // as Google fires them (with the active user this setting gives), send it once.
    s.gas.clock.set(new Date('2026-11-23T21:00:00Z'));
    s.metaLead({ fullName: 'Nora Nuit', phone: '+33655554444', email: 'nora@example.fr' });
    expect(s.rows('Messages').at(-1)).toMatchObject({ status: 'queued', sent_at: '' });
    s.gas.clock.set(new Date('2026-11-24T07:10:00Z')); // Tuesday 8:10 in Paris
    expect(s.gas.fireDueTriggers()).toContain('reconcile');
    expect(s.gas.triggers.failures).toEqual([]);
    expect(s.providers.sms.filter((m) => m.to === '+33655554444')).toHaveLength(1);
  });
});
