/**
 * Issue 15: only the Sheet's people run the back office. Every global the bundle defines (read from
 * the bundle, not from a list kept here), other than doGet/doPost/onOpen/onEdit, is called as a
 * web-app visitor would through google.script.run, with plausible arguments taken from a seeded
 * Sheet: nothing changes, nothing is fetched or sent, and nothing personal or secret comes back.
 * The same calls from an editor's sidebar still work, and the project's own triggers still run.
 */
import { fixture } from '../../emulator/providers';
import type { AppsScript, RunOptions } from '../../emulator';
import { TEST_PROPERTIES } from '../support/gas';
import { System } from '../support/system';
import { FR } from '../../src/ui/strings.fr';

const PUBLIC = ['doGet', 'doPost', 'onOpen', 'onEdit'];
const OWNER = 'owner@example.com';
const EDITOR = 'associee@sirrius.example';
const STRANGER = 'curieux@sirrius.example';

/** A Sheet with two leads, a converted client with failed payments, an incident and a journalled Stripe event. */
function seeded() {
  const s = new System();
  s.gas.spreadsheet.editors.push(EDITOR);
  s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'camille.durand@example.fr' });
  s.metaLead({ fullName: 'Julie Martin', phone: '+33698765432', email: 'julie.martin@example.fr' });
  const lead = s.rows('Leads')[0];
  const sub = s.providers.stripeSubscription({ customer: 'cus_Camille01', amount: 2900 });
  const base = fixture('stripe/events/checkout.session.completed.json');
  const checkout = s.providers.stripeEvent(base, {
    object: { client_reference_id: lead.id, customer: 'cus_Camille01', subscription: sub.id, customer_details: { ...base.data.object.customer_details, email: 'camille.durand@example.fr' } },
  });
  s.post('stripe', JSON.stringify(checkout));
  const failedBase = fixture('stripe/events/invoice.payment_failed.json');
  for (const attempt of [1, 2, 3]) {
    const invoice = { ...failedBase.data.object, customer: 'cus_Camille01', attempt_count: attempt, parent: { ...failedBase.data.object.parent, subscription_details: { metadata: {}, subscription: sub.id } } };
    s.post('stripe', JSON.stringify(s.providers.stripeEvent(failedBase, { object: invoice })));
  }
  const incident = s.rows('Incidents')[0];
  expect(incident?.id).toMatch(/^inc_/);
  const leads = s.rows('Leads');
  const routineUid = s.gas.triggers.list().find((t) => t.handler === 'routineMorning')!.uid;
  return { s, leadIds: leads.map((l) => String(l.id)), eventId: checkout.id as string, incidentId: String(incident.id), routineUid };
}

/** Plausible arguments for any global: real ids, phones, forms, names, and trigger events (forged, or real but for another function). */
function argumentSets(w: ReturnType<typeof seeded>): unknown[][] {
  const [camille, julie] = w.leadIds;
  return [
    [],
    [camille],
    [julie, 'Rappelée'],
    ['+33612345678', 'STOP demandé'],
    ['06 98 76 54 32'],
    [camille, 'cus_Camille01'],
    [w.eventId],
    [w.incidentId, 'Réglé'],
    [{ first_name: 'Eve', last_name: 'Pirate', phone: '0611223344', email: 'eve@evil.example', source_detail: 'web' }],
    [{ status: 'all', limit: 500 }],
    [1],
    ['routineMorning'],
    ['reconcile'],
    ['manual-lead'],
    [{ triggerUid: '4711000000000000999', authMode: 'FULL' }],
    [{ triggerUid: w.routineUid, authMode: 'FULL' }],
  ];
}

/** Everything a call could change: every spreadsheet, properties, cache, triggers, outboxes, fetches, UI. */
function snapshot(gas: AppsScript, s: System): string {
  return JSON.stringify({
    sheets: gas.spreadsheet.list().map((ss) => [ss.id, ss.name, ss.sheetNames().map((n) => [n, ss.sheet(n).values()])]),
    properties: [...gas.properties.script.entries()],
    cache: [...gas.cache.script.keys()],
    triggers: gas.triggers.list().map((t) => t.uid),
    mail: gas.mail.outbox.length,
    fetches: gas.fetchLog.length,
    sms: s.providers.sms.length,
    ui: [gas.spreadsheet.ui.sidebars.length, gas.spreadsheet.ui.dialogs.length, gas.spreadsheet.ui.alerts.length, gas.spreadsheet.toasts.length],
    drive: gas.spreadsheet.list().length,
  });
}

/** What must never reach a stranger: the leads' and client's data, the operator's contacts, every secret. */
const PRIVATE = [
  '+33612345678',
  '612345678',
  '698765432',
  'camille',
  'durand',
  'julie',
  'martin',
  'cus_Camille01',
  'sub_',
  TEST_PROPERTIES.ALERT_EMAIL,
  TEST_PROPERTIES.ALERT_PHONE,
  TEST_PROPERTIES.FB_FORM_IDS,
  ...Object.entries(TEST_PROPERTIES)
    .filter(([k]) => /TOKEN|KEY|SECRET|SID/.test(k))
    .flatMap(([, v]) => [v, v.slice(-4)]),
];

function leaks(value: unknown): string[] {
  const text = JSON.stringify(value ?? null).toLowerCase();
  return PRIVATE.filter((p) => text.includes(p.toLowerCase()));
}

describe('a caller who is not the Sheet\'s is refused by every global, whatever the arguments', () => {
  // Every argument set for the anonymous visitor; a few for the named one (the guard never looks at them).
  const callers: Array<[string, RunOptions, number[]]> = [
    ['an anonymous visitor of a page the web app served', { kind: 'web' }, []],
    ['a visitor Google names (same Workspace domain) who cannot edit the Sheet', { kind: 'web', user: STRANGER }, [0, 1, 5, 8, 14]],
  ];

  test.each(callers)('%s', (_label, opts, only) => {
    const w = seeded();
    const gas = w.s.gas;
    const globals = gas.globals().filter((g) => !PUBLIC.includes(g));
    // The bundle defines the back office: a list read from it, not kept by hand.
    expect(globals).toEqual(expect.arrayContaining(['setup', 'exportLead', 'eraseLead', 'configStatus', 'runNow', 'reconcile', 'routineMorning', 'archive']));
    const before = snapshot(gas, w.s);
    let calls = 0;
    for (const fn of globals) {
      for (const args of argumentSets(w).filter((_a, i) => only.length === 0 || only.includes(i))) {
        // The one call let in: routineMorning given its own trigger's event. A trigger's unique id is
        // the trust anchor Google gives (it never leaves the script: only the owner's
        // getProjectTriggers lists it), so only a forgery of another function's or a made-up id is tried.
        if (fn === 'routineMorning' && (args[0] as { triggerUid?: string })?.triggerUid === w.routineUid) continue;
        calls++;
        const run = gas.runDetailed(fn, args, opts);
        const where = `${fn}(${JSON.stringify(args)})`;
        if (fn.endsWith('_')) {
          // google.script.run cannot name a private function at all.
          expect([where, String((run.error as Error)?.message)]).toEqual([where, `Script function not found: ${fn}`]);
          continue;
        }
        expect([where, run.error]).toEqual([where, undefined]);
        const result = run.result as { ok?: unknown; error?: unknown };
        expect([where, result?.ok, result?.error]).toEqual([where, false, FR.guard.refused]);
        expect([where, leaks(result)]).toEqual([where, []]);
        // Refused before reading a property or a cell, or asking a provider.
        expect([where, run.calls.count('Properties'), run.calls.count('UrlFetch'), run.calls.count('Mail'), run.calls.cells('read')]).toEqual([where, 0, 0, 0, 0]);
        expect([where, leaks(run.logs)]).toEqual([where, []]);
      }
    }
    expect(snapshot(gas, w.s)).toBe(before);
    expect(calls).toBeGreaterThan(globals.length * (only.length || 10) - 1);
  });
});

describe('the Sheet\'s people and the project\'s triggers still run everything', () => {
  test('an editor at a sidebar (not the owner): each global answers, none with the refusal', () => {
    const w = seeded();
    const gas = w.s.gas;
    const [camille] = w.leadIds;
    const plausible: Record<string, unknown[]> = {
      replayStripeEvent: [w.eventId],
      convertLead: [w.leadIds[1], 'cus_Camille01'],
      addManualLead: [{ first_name: 'Léa', last_name: 'Petit', phone: '0611223344', email: 'lea.petit@example.fr', source_detail: 'salon' }],
      optOutLead: ['+33698765432', 'demande orale'],
      resolveIncident: [w.incidentId, 'Réglé'],
      listIncidents: [{ status: 'all' }],
      setTodayCapacity: [40],
      pauseCampaigns: ['test'],
      eraseLead: [w.leadIds[1]],
      exportLead: [camille],
      markContacted: [camille, 'Rappelée'],
      runNow: ['reconcile'],
      include_: ['_style'],
    };
    for (const fn of gas.globals().filter((g) => !PUBLIC.includes(g))) {
      const run = gas.runDetailed(fn, plausible[fn] ?? [], { user: EDITOR });
      const result = run.result as { error?: unknown } | string | undefined;
      expect([fn, run.error, typeof result === 'object' && result ? result.error : undefined]).not.toEqual([fn, undefined, FR.guard.refused]);
      expect([fn, run.error]).toEqual([fn, undefined]);
    }
    // The editor's calls did what they say.
    expect(w.s.rows('Leads').some((l) => l.first_name === 'Léa')).toBe(true);
    expect(gas.spreadsheet.ui.sidebars.length).toBeGreaterThan(5);
  });

  test('the owner in the script editor is let in; an editor named in another case too', () => {
    const w = seeded();
    expect((w.s.gas.run('exportLead', [w.leadIds[0]]) as { ok: boolean }).ok).toBe(true);
    expect((w.s.gas.run('exportLead', [w.leadIds[0]], { user: EDITOR.toUpperCase() }) as { ok: boolean }).ok).toBe(true);
    expect((w.s.gas.run('exportLead', [w.leadIds[0]], { user: STRANGER }) as { error: string }).error).toBe(FR.guard.refused);
  });

  test('a shared-drive Sheet (no owner): its editors only', () => {
    const w = seeded();
    w.s.gas.spreadsheet.owner = null;
    expect((w.s.gas.run('listIncidents', []) as { error: string }).error).toBe(FR.guard.refused);
    expect((w.s.gas.run('listIncidents', [], { user: EDITOR }) as { ok: boolean }).ok).toBe(true);
  });

  test.each([['creator'], ['blank']] as const)('every trigger setup() installs runs with its real event over a day (active user in a trigger: %s)', (mode) => {
    const w = seeded();
    (w.s.gas as unknown as { triggerActiveUser: string }).triggerActiveUser = mode;
    const gas = w.s.gas;
    // Google does not say who the active user of a time-driven trigger is: a global run by a trigger
    // must hand its event to its frame (runRoutine(name, fn, e), guarded(name, fn, e)), or it is refused here.
    const ran = new Set<string>();
    const logsBefore = gas.logs.length;
    for (let h = 1; h <= 24; h++) {
      gas.clock.set(new Date(Date.UTC(2026, 10, 23, 9 + h, 0, 30)));
      for (const fn of gas.fireDueTriggers()) ran.add(fn);
    }
    expect([...ran].sort()).toEqual(gas.triggers.list().map((t) => t.handler).sort());
    expect(gas.logs.slice(logsBefore).filter((l) => l.includes('refusé'))).toEqual([]);
    expect(gas.triggers.failures).toEqual([]);
    expect(gas.mail.outbox.some((m) => m.to === TEST_PROPERTIES.ALERT_EMAIL && /Rapport du matin|matin/i.test(m.subject))).toBe(true);
    const morning = gas.triggers.list().find((t) => t.handler === 'routineMorning')!;
    expect(morning.createdBy).toBe(OWNER);
  });

  test('a real trigger event given to another function, or a made-up one, is refused even to the owner\'s trigger list', () => {
    const w = seeded();
    const gas = w.s.gas;
    const before = snapshot(gas, w.s);
    for (const fn of ['reconcile', 'archive', 'routineEvening', 'exportLead', 'setup']) {
      const run = gas.runDetailed(fn, [{ triggerUid: w.routineUid, authMode: 'FULL', year: 2026 }], { kind: 'web' });
      expect([fn, (run.result as { error?: string }).error]).toEqual([fn, FR.guard.refused]);
    }
    expect(snapshot(gas, w.s)).toBe(before);
  });
});
