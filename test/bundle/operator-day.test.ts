/**
 * Issue 19, "the operator's day", through the built bundle: what the operator reads says what
 * happened and what to decide, never an effect that did not happen. Each block is one item of
 * the issue; test/browser/ui.test.ts walks the same day in Chromium.
 */
import { System, MONDAY_10H, setConfig } from '../support/system';
import { fixture } from '../../emulator/providers';

const MINUTE = 60000;
const OPERATOR = 'operateur@sirrius.example';
const CAMPAIGN = '120210000000000001';

let phoneSeq = 0;
/** A Meta lead with its own phone number and name. */
function lead(s: System, name?: string) {
  phoneSeq++;
  return s.metaLead({ phone: `+3367${String(phoneSeq).padStart(7, '0')}`, fullName: name ?? `Lead Numéro${phoneSeq}`, email: `lead${phoneSeq}@example.fr` });
}

const run = (s: System, fn: string, ...args: unknown[]) => s.gas.run(fn, args) as any;
const trigger = (s: System, fn: string) => {
  const r = s.gas.runDetailed(fn, [], { kind: 'trigger' });
  if (r.error) throw r.error;
  return r.result as any;
};
const mailsTo = (s: System, subject: RegExp) => s.gas.mail.outbox.filter((m) => m.to === OPERATOR && subject.test(m.subject));

describe('item 1: no effect is reported that did not happen', () => {
  test('Ads_Control empty: at 90 % nothing is marked paused, and the alert, incident, noon email and sidebar say the ads are NOT stopped', () => {
    const s = new System();
    setConfig(s, 'max_leads_per_day', 10);
    for (let i = 0; i < 11; i++) lead(s);
    const day = s.rows('Capacity')[0];
    expect(day).toMatchObject({ current_leads: 11, status: 'full' });
    expect(day.ads_paused_at).toBe('');
    // The 80 % alert already says it.
    const alert = mailsTo(s, /Capacité du jour à 80/);
    expect(alert).toHaveLength(1);
    expect(alert[0].body).toContain('Aucune campagne connue dans Ads_Control : les publicités ne seront PAS arrêtées');
    // One incident (high, so emailed), with what to do.
    const notPaused = s.rows('Incidents').filter((i) => i.type === 'ads_not_paused');
    expect(notPaused).toHaveLength(1);
    expect(notPaused[0].title).toContain('les publicités ne sont PAS arrêtées');
    const incidentMail = mailsTo(s, /Incident : Capacité à 90/);
    expect(incidentMail).toHaveLength(1);
    expect(incidentMail[0].body).toContain('À décider : Mettre les campagnes en pause dans Ads Manager');
    // Noon: no "déjà en pause", no "la diffusion est arrêtée".
    s.gas.clock.set(new Date('2026-11-23T11:00:00Z'));
    expect(trigger(s, 'routineNoon')).toMatchObject({ emailed: true });
    const noon = mailsTo(s, /Capacité : /)[0];
    expect(noon.body).toContain('aucune campagne connue dans Ads_Control : les publicités ne sont PAS arrêtées');
    expect(noon.body).not.toMatch(/déjà en pause|diffusion est arrêtée/);
    // The capacity sidebar's text and the refusal of a pause by hand.
    const overview = run(s, 'capacityOverview');
    expect(overview.overview.campaigns).toEqual([]);
    expect(run(s, 'pauseCampaigns', 'Capacité atteinte')).toMatchObject({ ok: false, error: expect.stringContaining('les publicités ne sont PAS arrêtées') });
  });

  test('a pause that Meta refused is reported as a failure, never as done', () => {
    const s = new System();
    s.providers.campaign(CAMPAIGN, 'Cuisine', 'ACTIVE');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([[CAMPAIGN, 'Cuisine', false, 'ACTIVE', '', '', '']], 2);
    s.gas.fetch = (req) => (req.method.toLowerCase() === 'post' && req.url.includes(CAMPAIGN) ? { status: 500, body: { error: { message: 'Temporary failure' } } } : s.providers.router(req));
    const answer = run(s, 'pauseCampaigns', 'Capacité atteinte');
    expect(answer.ok).toBe(false);
    expect(answer.error).toContain("Meta n'a rien changé pour cette campagne");
    expect(answer.error).toContain('Ads Manager');
  });
});

describe('item 2: "Lancer maintenant" never uses up the scheduled run; a missed run keeps its own day', () => {
  test('the call list run by hand at 11h says what it sent, and the 15h email still goes out with the leads that came since', () => {
    const s = new System({ now: MONDAY_10H });
    lead(s, 'Alice Lambert');
    s.gas.clock.set(new Date('2026-11-23T10:00:00Z')); // 11h
    const byHand = run(s, 'runNow', 'routineAfternoon');
    expect(byHand.ok).toBe(true);
    expect(byHand.message).toBe(
      `Liste d'appels (15h) : terminé. E-mail envoyé à ${OPERATOR} : « [Sirrius] Appels du 23/11/2026 : 1 lead à contacter ». L'envoi programmé de la journée partira quand même à son heure.`,
    );
    s.gas.clock.set(new Date('2026-11-23T12:00:00Z'));
    lead(s, 'Bruno Caron');
    s.gas.clock.set(new Date('2026-11-23T14:00:00Z')); // 15h
    expect(trigger(s, 'routineAfternoon')).toMatchObject({ emailed: true });
    const lists = mailsTo(s, /Appels du 23\/11/);
    expect(lists.map((m) => m.subject)).toEqual(['[Sirrius] Appels du 23/11/2026 : 1 lead à contacter', '[Sirrius] Appels du 23/11/2026 : 2 leads à contacter']);
    expect(lists[1].body).toContain('Bruno Caron');
    // The 15h run is the scheduled one: a second trigger run the same day sends nothing more.
    expect(trigger(s, 'routineAfternoon')).toMatchObject({ emailed: false, notSent: 'already_sent' });
  });

  test('a run by hand that sends nothing says why', () => {
    const s = new System({ now: MONDAY_10H });
    lead(s);
    const noon = run(s, 'runNow', 'routineNoon');
    expect(noon.message).toBe('Point capacité (12h) : terminé. Aucun e-mail envoyé : il reste plus de 20 % de la capacité du jour, rien à signaler.');
    s.gas.properties.script.delete('ALERT_EMAIL');
    const evening = run(s, 'runNow', 'routineEvening');
    expect(evening.message).toContain("Aucun e-mail envoyé : l'adresse de l'opérateur (propriété ALERT_EMAIL) n'est pas renseignée");
    expect(evening.message).not.toMatch(/Bilan du soir : terminé\.$/);
  });

  test("Sunday's 15h and 18h, caught up at Monday 9h, are dated Sunday, and Monday still gets its own", () => {
    const s = new System({ now: new Date('2026-11-22T09:00:00Z') }); // Sunday 10h: setup installs the triggers
    lead(s, 'Camille Durand');
    s.gas.clock.set(new Date('2026-11-23T08:05:00Z')); // Monday 9h05: the sandbox was stopped since Sunday 11h
    const ran = s.gas.fireDueTriggers();
    expect(ran).toEqual(expect.arrayContaining(['routineAfternoon', 'routineEvening', 'routineMorning']));
    expect(mailsTo(s, /Appels du/).map((m) => m.subject)).toEqual(['[Sirrius] Appels du 22/11/2026 : 1 lead à contacter']);
    expect(mailsTo(s, /Bilan du/).map((m) => m.subject)).toEqual(['[Sirrius] Bilan du 22/11/2026 : 1 lead, 0 conversion, 0,00 €']);
    expect((s.rows('KPI_Daily')[0].date as Date).toISOString()).toBe('2026-11-21T23:00:00.000Z'); // Sunday
    s.gas.clock.set(new Date('2026-11-23T14:01:00Z'));
    s.gas.fireDueTriggers();
    s.gas.clock.set(new Date('2026-11-23T17:01:00Z'));
    s.gas.fireDueTriggers();
    expect(mailsTo(s, /Appels du 23/)).toHaveLength(1);
    expect(mailsTo(s, /Bilan du 23/)).toHaveLength(1);
  });
});

describe('item 3: rejecting the excess names who, never takes a manual lead by default, and the figures agree', () => {
  function overflowing() {
    const s = new System({ now: MONDAY_10H });
    setConfig(s, 'max_leads_per_day', 3);
    lead(s, 'Alice Lambert');
    lead(s, 'Bruno Caron');
    lead(s, 'Chloé Robert');
    s.gas.clock.advance(MINUTE);
    lead(s, 'Denis Morel');
    s.gas.clock.advance(MINUTE);
    // A person who just called: typed in by the operator.
    expect(run(s, 'addManualLead', { first_name: 'Julie', last_name: 'Martin', phone: '06 98 76 54 32', email: '', source_detail: 'appel entrant' }).ok).toBe(true);
    return s;
  }

  test('the preview lists the newest Meta lead ticked, the manual lead unticked; the result names who was rejected', () => {
    const s = overflowing();
    const preview = run(s, 'excessLeadsPreview');
    expect(preview.ok).toBe(true);
    expect(preview.excess).toBe(2);
    const byName = Object.fromEntries(preview.leads.map((l: any) => [l.name, l]));
    expect(byName['Julie Martin']).toMatchObject({ proposed: false, source: 'manual', phone: '06 98 76 54 32' });
    expect(byName['Denis Morel'].proposed).toBe(true);
    expect(byName['Chloé Robert'].proposed).toBe(true);
    expect(byName['Alice Lambert'].proposed).toBe(false);
    // The operator unticks Chloé: only Denis is rejected, and named.
    const result = run(s, 'rejectExcessLeads', [byName['Denis Morel'].id]);
    expect(result).toMatchObject({ ok: true, rejected: [byName['Denis Morel'].id] });
    expect(result.message).toBe('Lead rejeté : Denis Morel. 4 leads acceptés sur 3 (133,3 %) : complet, 1 de trop.');
    const statuses = Object.fromEntries(s.rows('Leads').map((l) => [l.first_name, l.status]));
    expect(statuses).toMatchObject({ Julie: 'new', Chloé: 'new', Denis: 'rejected' });
    // The sidebar's summary says the same as the message.
    expect(run(s, 'capacityOverview').overview.summary).toBe('4 leads acceptés sur 3 (133,3 %) : complet, 1 de trop');
  });

  test('without a choice, the default never rejects the manual lead; at exactly the maximum both texts say "maximum atteint"', () => {
    const s = overflowing();
    const result = run(s, 'rejectExcessLeads');
    expect(result.message).toBe('2 leads rejetés : Denis Morel, Chloé Robert. 3 leads acceptés sur 3 (100 %) : maximum atteint.');
    expect(s.rows('Leads').find((l) => l.first_name === 'Julie')!.status).toBe('new');
    expect(run(s, 'capacityOverview').overview.summary).toBe('3 leads acceptés sur 3 (100 %) : maximum atteint');
    expect(run(s, 'setTodayCapacity', 3).message).toBe('Capacité du jour fixée à 3 leads. 3 leads acceptés sur 3 (100 %) : maximum atteint.');
  });

  test('a lead id that is not one of today’s new leads is refused, nothing written', () => {
    const s = overflowing();
    expect(run(s, 'rejectExcessLeads', ['lead_1'])).toMatchObject({ ok: false, field: 'leadIds' });
    expect(run(s, 'rejectExcessLeads', 'lead_1')).toMatchObject({ ok: false, field: 'leadIds' });
    expect(run(s, 'rejectExcessLeads', [])).toMatchObject({ ok: false, field: 'leadIds' });
    expect(s.rows('Leads').every((l) => l.status === 'new')).toBe(true);
  });
});

/** Writes one cell of a tab by header name, as a person would (row 2 is the first data row). */
function setCell(s: System, tab: string, row: number, header: string, value: unknown) {
  const sheet = s.gas.spreadsheet.active.sheet(tab);
  const col = (sheet.values()[0] as string[]).indexOf(header) + 1;
  sheet.writeValue(row, col, value);
}

/** What an operator must never read: function names, API fields, raw statuses and codes. */
const CODE_WORDS = /markContacted|routine(Morning|Noon|Afternoon|Evening)|client_reference_id|max_leads_per_day|STRIPE_SECRET_KEY|"(new|rejected|opted_out|converted)"|\b(processed|open|investigating|capacity_overflow|ads_not_paused|warning|full|PAUSED|ACTIVE)\b/;

describe('item 5: every "À décider" is a decision, with its people and a link; no code names', () => {
  test('the evening names the leads never contacted instead of "Rien à décider"', () => {
    const s = new System({ now: MONDAY_10H });
    lead(s, 'Alice Lambert');
    lead(s, 'Bruno Caron');
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    trigger(s, 'routineEvening');
    const [mail] = mailsTo(s, /Bilan du 23/);
    expect(mail.body).not.toContain('Rien à décider');
    // With their phones, as the 9h and 15h name them (was names alone).
    expect(mail.body).toMatch(/- Appeler ces 2 leads jamais contactés \(Sirrius › Suivi commercial\) : Bruno Caron \(06 70 \d\d \d\d \d\d\), Alice Lambert \(06 70 \d\d \d\d \d\d\)\.\n/);
    expect(mail.htmlBody).toMatch(/<a href="https:\/\/docs\.google\.com\/spreadsheets\/d\/[^"]+">Ouvrir le classeur \(menu Sirrius\)<\/a>/);
    expect(mail.body).not.toMatch(CODE_WORDS);
  });

  test('the morning names the clients whose payment failed (one client, three failures: one decision, not "4 paiements")', () => {
    const s = new System({ now: MONDAY_10H });
    lead(s, 'Léo Bernard');
    setCell(s, 'Leads', 2, 'status', 'rejected');
    setCell(s, 'Leads', 2, 'payment_failures', 3);
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    trigger(s, 'routineMorning');
    const [mail] = mailsTo(s, /Routine du matin 24/);
    expect(mail.body).toContain('- Appeler ce client dont le paiement a échoué : Léo Bernard (3 échecs, service suspendu).');
    expect(mail.body).not.toMatch(CODE_WORDS);
  });

  test('the first morning raises no "missing KPI" alarm; the capacity incident email gives the KO #2 decision', () => {
    const s = new System({ now: MONDAY_10H });
    s.providers.campaign(CAMPAIGN, 'Cuisine', 'ACTIVE');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([[CAMPAIGN, 'Cuisine', false, 'ACTIVE', '', '', '']], 2);
    setConfig(s, 'max_leads_per_day', 2);
    lead(s, 'Alice Lambert');
    lead(s, 'Bruno Caron');
    lead(s, 'Chloé Robert');
    const [incident] = mailsTo(s, /Incident : Capacité dépassée/);
    expect(incident.body).toContain("À décider : Augmenter la capacité du jour (Sirrius › Capacité et publicités › Changer la capacité) si l'équipe peut rappeler tout le monde, sinon rejeter les leads excédentaires");
    expect(incident.body).toContain('Type : capacité dépassée');
    expect(incident.body).toContain('Référence : 23/11/2026'); // a day, the French way (the tab keeps 2026-11-23)
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    trigger(s, 'routineMorning');
    const [morning] = mailsTo(s, /Routine du matin 24/);
    expect(morning.body).not.toMatch(/KPI d'hier|bilan de 18 h d'hier/);
    for (const m of s.gas.mail.outbox.filter((m) => m.to === OPERATOR)) expect([m.subject, m.body.match(CODE_WORDS)?.[0]]).toEqual([m.subject, undefined]);
  });
});

describe('item 6: the Dashboard says when it was refreshed, and catches up by itself', () => {
  /** The Dashboard's A:D block as text rows. */
  const dashboard = (s: System) => s.gas.spreadsheet.active.sheet('Dashboard').values() as unknown[][];
  // The summary's four columns (the campaigns block below it is wider).
  const figure = (s: System, label: string) => dashboard(s).find((r) => r[0] === label)?.slice(0, 4);

  test('after leads and a conversion, the next reconcile rewrites today’s figures from the tabs; an idle one costs nothing more', () => {
    const s = new System({ now: MONDAY_10H });
    run(s, 'refreshDashboard');
    expect(figure(s, "Leads reçus aujourd'hui")?.[1]).toBe(0);
    for (let i = 0; i < 3; i++) lead(s);
    // A conversion today (the Stripe path writes these columns).
    setCell(s, 'Leads', 2, 'status', 'converted');
    setCell(s, 'Leads', 2, 'conversion_date', new Date(MONDAY_10H.getTime() + MINUTE));
    setCell(s, 'Leads', 2, 'mrr', 49);
    s.gas.clock.set(new Date(MONDAY_10H.getTime() + 6 * MINUTE));
    const r = s.reconcile();
    expect((r.result as any).dashboard).toBe(true);
    expect(figure(s, "Leads reçus aujourd'hui")).toEqual(["Leads reçus aujourd'hui", 3, "Conversions aujourd'hui", 1]);
    // 3 of 20 is "15 %" in French, with its space.
    expect(s.gas.spreadsheet.active.sheet('Dashboard').displayValue(4, 2)).toBe('15 %');
    // The gauge plots the leads received (row 5), not the capacity row's accepted leads: its title says so.
    expect(s.gas.spreadsheet.active.sheet('Dashboard').chartList[0].options.title).toBe("Leads reçus aujourd'hui, sur la capacité du jour");
    // The capacity row counts accepted leads, as the capacity line says everywhere (not "reçus", which may differ).
    expect(figure(s, 'Capacité du jour (leads acceptés, maximum, statut)')).toEqual(['Capacité du jour (leads acceptés, maximum, statut)', 3, 20, 'ouvert']);
    expect(figure(s, 'MRR des clients convertis sur 30 jours, encore payé (€)')?.[1]).toBe(49);
    expect(String(dashboard(s)[0][2])).toMatch(/^Mis à jour le 23\/11\/2026 10:06 \(chiffres lus dans les onglets/);
    // Nothing changed since: reconcile leaves the Dashboard alone.
    const idle = s.reconcile(5 * MINUTE);
    expect((idle.result as any).dashboard).toBe(false);
    expect(idle.calls.count('Sheets', ['Range.setValues'])).toBe(0);
  });
});

describe('item 10: the Sheet opens on the tabs the operator works with', () => {
  test('setup() removes the empty default tab and orders the tabs (Dashboard first, Events last); a second run moves nothing', () => {
    const s = new System({ now: MONDAY_10H });
    const ss = s.gas.spreadsheet.active;
    // The Dashboard is there from the install, first (was created only by the first lead's refresh: the Sheet opened on Leads).
    expect(ss.sheetNames()).toEqual(['Dashboard', 'Leads', 'Capacity', 'Incidents', 'Ads_Control', 'Ads_Daily', 'KPI_Daily', 'Opt_Outs', 'Messages', 'Config', 'Events']);
    expect(ss.sheet('Dashboard').displayValue(3, 1)).toBe('Capacité du jour (leads acceptés, maximum, statut)');
    const again = s.gas.runDetailed('setup', []);
    expect(again.calls.count('Sheets', ['Spreadsheet.moveActiveSheet', 'Spreadsheet.deleteSheet'])).toBe(0);
    // What "Installer / mettre à jour" told the operator the first time: routines by their names in the menu, not function names.
    const first = String(s.gas.spreadsheet.ui.alerts[0]?.prompt ?? s.gas.spreadsheet.ui.alerts[0]?.title);
    expect(first).toContain('Déclencheurs installés : Routine du matin (9h), Point capacité (12h), Liste d\'appels (15h), Bilan du soir (18h), Synchronisation (webhooks manqués), Archivage de la nuit (3h).');
    expect(first).not.toMatch(/routine(Morning|Noon|Afternoon|Evening)|\breconcile\b/);
  });
});

describe('item 8: errors say what they mean and what to do next, in French', () => {
  test('Stripe down: the connection test leads with the failure, never a green "2 sur 3", and says to retry later', () => {
    const s = new System({ now: MONDAY_10H });
    s.gas.fetch = (req) => (req.url.includes('api.stripe.com') ? { status: 503, body: { error: { message: 'Service Unavailable' } } } : s.providers.router(req));
    const res = run(s, 'testConnections');
    expect(res.allOk).toBe(false);
    expect(res.message).toBe('1 connexion en échec sur 3 : Stripe. Le détail et quoi faire sont sous chaque ligne.');
    const stripe = res.connections.find((c: any) => c.provider === 'stripe');
    expect(stripe.detail).toBe('échec : Stripe est indisponible pour le moment (erreur 503) : rien à changer de votre côté, réessayez dans quelques minutes.');
    expect(JSON.stringify(res)).not.toMatch(/HTTP 503|Service Unavailable/);
  });

  test('a replay of an unknown event and a conversion without subscription say what to check', () => {
    const s = new System({ now: MONDAY_10H });
    const replay = run(s, 'replayStripeEvent', 'evt_1DoesNotExist00');
    expect(replay.error).toBe("Stripe ne connaît pas cet événement (evt_1DoesNotExist00) : vérifiez l'identifiant dans Stripe › Développeurs › Événements (Stripe ne garde les événements que 30 jours).");
    const { leadgenId } = lead(s, 'Alice Lambert');
    void leadgenId;
    const id = s.rows('Leads')[0].id as string;
    // Stripe's convertLead reads the customer first: an unknown one is named as such.
    const convert = run(s, 'convertLead', id, 'cus_NoSuchClient01');
    expect(convert.error).toBe("Stripe ne connaît pas ce client (cus_NoSuchClient01) : vérifiez l'identifiant dans Stripe › Clients.");
    s.providers.stripeCustomer({ id: 'cus_NoSubscription1', email: 'alice.lambert@example.fr', name: 'Alice Lambert' });
    const none = run(s, 'convertLead', id, 'cus_NoSubscription1');
    expect(none.error).toMatch(/^Stripe ne trouve aucun abonnement en cours pour ce client : vérifiez l'identifiant dans Stripe › Clients/);
  });
});

describe('item 7: a duplicate is shown before it is added; leads are found by name or e-mail', () => {
  test('a manual lead with a known phone is not added until the operator confirms; the answer shows who exists', () => {
    const s = new System({ now: MONDAY_10H });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'camille@example.fr' });
    const form = { first_name: 'Camille', last_name: 'Durand', phone: '06 12 34 56 78', email: '', source_detail: 'appel entrant' };
    const first = run(s, 'addManualLead', form);
    expect(first).toEqual({
      ok: false,
      field: 'confirmDuplicate',
      error:
        "Un lead existe déjà avec ce téléphone ou cet e-mail : Camille Durand (06 12 34 56 78, camille@example.fr), nouveau, reçu le 23/11/2026. Rien n'a été ajouté : cliquez « Ajouter quand même » si c'est une autre demande.",
    });
    expect(s.rows('Leads')).toHaveLength(1);
    const anyway = run(s, 'addManualLead', { ...form, confirmDuplicate: '1' });
    expect(anyway).toMatchObject({ ok: true, message: 'Lead ajouté : Camille Durand. Aucun SMS automatique : prenez contact vous-même.' });
    expect(s.rows('Leads')).toHaveLength(2);
  });

  test('findLeads finds by name (any case, both words), e-mail, phone in any spelling, or id; bad input refused', () => {
    const s = new System({ now: MONDAY_10H });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'camille@example.fr' });
    s.metaLead({ fullName: 'Camille Petit', phone: '+33622222222', email: 'cpetit@example.fr' });
    const names = (q: unknown) => (run(s, 'findLeads', q).leads ?? []).map((l: any) => l.name);
    expect(names('camille')).toEqual(['Camille Petit', 'Camille Durand']);
    expect(names('durand CAMILLE')).toEqual(['Camille Durand']);
    expect(names('CPETIT@example.fr')).toEqual(['Camille Petit']);
    expect(names('06 12 34 56 78')).toEqual(['Camille Durand']);
    const id = s.rows('Leads')[1].id as string;
    expect(run(s, 'findLeads', id).leads).toEqual([{ id, name: 'Camille Petit', phone: '06 22 22 22 22', email: 'cpetit@example.fr', status: 'nouveau', created: '23/11/2026' }]);
    expect(run(s, 'findLeads', 'Zoé')).toMatchObject({ ok: true, leads: [], message: expect.stringContaining('Aucun lead ne correspond') });
    expect(run(s, 'findLeads', '')).toMatchObject({ ok: false, field: 'query' });
    expect(run(s, 'findLeads', '=HYPERLINK("x")')).toMatchObject({ ok: false, field: 'query' });
    expect(run(s, 'findLeads', 'a')).toMatchObject({ ok: false, field: 'query' });
  });
});

describe('item 9: French as a French operator reads it', () => {
  test('names instead of ids, « » quotes, phones as 06…, translated codes, readable answers, no "marqué"', () => {
    const s = new System({ now: MONDAY_10H });
    setConfig(s, 'max_leads_per_day', 1);
    s.metaLead({ fullName: 'Alice Lambert', phone: '+33612345678', email: 'alice@example.fr', answers: { type_de_projet: 'rénovation_cuisine' } });
    const alice = s.rows('Leads')[0];
    expect(alice.notes).toBe('Type de projet : rénovation cuisine');
    expect(run(s, 'followUpList').leads[0]).toMatchObject({ name: 'Alice Lambert', phone: '06 12 34 56 78' });
    expect(run(s, 'markContacted', alice.id, 'Rappeler jeudi').message).toBe('Appel noté pour Alice Lambert : statut « contacté ».');
    s.reply('+33612345678', 'Oui, demain');
    expect(s.gas.mail.outbox.find((m) => /SMS reçu/.test(m.subject))?.subject).toBe('[Sirrius] SMS reçu de 06 12 34 56 78');
    expect(s.rows('Leads')[0].notes).toMatch(/SMS reçu le 23\/11\/2026 10:00 : « Oui, demain »/);
    lead(s);
    const [incident] = run(s, 'listIncidents').incidents.filter((i: any) => i.type === 'capacity_overflow');
    expect(incident.label).toBe('capacité dépassée · gravité haute · ouvert');
    expect(run(s, 'capacityOverview').overview.summary).toBe('2 leads acceptés sur 1 (200 %) : complet, 1 de trop');
  });
});

/** The "À décider" block of an email's text part: its items, without the link lines. */
const decisionsOf = (body: string): string[] =>
  body
    .split('À décider :\n')[1]
    .split('\n\n')[0]
    .split('\n')
    .filter((l) => l.startsWith('- '));

describe('audit of the issue, as a French operator reads it', () => {
  test('item 1: at 80 % with Ads_Control empty, the 9h email does not promise that the automatic pause will stop the ads', () => {
    const s = new System({ now: MONDAY_10H });
    setConfig(s, 'max_leads_per_day', 10);
    for (let i = 0; i < 8; i++) lead(s);
    s.gas.clock.set(new Date('2026-11-23T10:00:00Z'));
    run(s, 'runNow', 'routineMorning');
    const [morning] = mailsTo(s, /Routine du matin 23/);
    expect(decisionsOf(morning.body)).toContain(
      '- Capacité du jour presque atteinte, 8 leads acceptés sur 10 (80 %) : alerte. Aucune campagne connue dans Ads_Control : les publicités ne seront PAS arrêtées. Augmenter la capacité du jour (Sirrius › Capacité et publicités), ou mettre les campagnes en pause dans Ads Manager.',
    );
    expect(morning.body).not.toContain('laisser la pause automatique');
  });

  test('item 5: each "À décider" item is a decision naming its people; yesterday’s leads never called are one of them the next morning', () => {
    const s = new System({ now: MONDAY_10H });
    s.metaLead({ fullName: 'Alice Lambert', phone: '+33611111111', email: 'alice@example.fr' });
    s.gas.clock.advance(MINUTE);
    // A lead known only by e-mail: no empty "()" where a phone would be.
    expect(run(s, 'addManualLead', { first_name: 'Marc', last_name: 'Dupuis', phone: '', email: 'marc@example.fr', source_detail: 'salon' }).ok).toBe(true);
    s.gas.clock.set(new Date('2026-11-23T14:00:00Z'));
    trigger(s, 'routineAfternoon');
    const [calls] = mailsTo(s, /Appels du 23/);
    // How to note a call is said under the list, not as a second "decision".
    expect(decisionsOf(calls.body)).toEqual(['- Appeler 2 leads de moins de 6 h (Sirrius › Suivi commercial) : Marc Dupuis, Alice Lambert (06 11 11 11 11).']);
    expect(calls.body).toContain("Nouveaux leads (moins de 6 h)\n-----------------------------\nAprès l'appel : Sirrius › Suivi commercial, notez le retour et cliquez « Marquer contacté ».\n- Marc Dupuis | — | 4 h 59 | Lead manuel - source: salon\n- Alice Lambert | 06 11 11 11 11 | 5 h 00 |");
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    trigger(s, 'routineEvening');
    expect(mailsTo(s, /Bilan du 23/)[0].body).toContain('2 leads nouveaux jamais contactés : les appeler en priorité demain.');
    // Delivered SMS and the day's new incidents, not "SMS reçus" (a reply is an "SMS reçu" too) nor "Incidents ouverts" (still open?).
    expect(mailsTo(s, /Bilan du 23/)[0].body).toMatch(/- SMS reçus par les leads \| \d+\n[^]*- Incidents ouverts dans la journée \| 0|- Incidents ouverts dans la journée \| 0\n[^]*- SMS reçus par les leads \| \d+/);
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    trigger(s, 'routineMorning');
    const [morning] = mailsTo(s, /Routine du matin 24/);
    expect(decisionsOf(morning.body)).toEqual([
      '- Appeler ces 2 leads jamais contactés depuis plus de 12 h (Sirrius › Suivi commercial) : Alice Lambert (06 11 11 11 11), Marc Dupuis.',
      "- Indiquer les campagnes Facebook à Sirrius : leurs identifiants dans l'onglet Ads_Control (colonne campaign_id), ou le compte publicitaire dans la propriété FB_AD_ACCOUNT_ID (Sirrius › Configuration). Sans elles, la capacité ne peut mettre aucune campagne en pause.",
    ]);
    expect(morning.body).toContain('Leads prioritaires (nouveaux, moins de 12 h)');
    for (const m of s.gas.mail.outbox.filter((m) => m.to === OPERATOR)) expect([m.subject, /\(\)|\bnew\b|lesappeler/.exec(m.body)?.[0]]).toEqual([m.subject, undefined]);
  });

  test('item 9: opt-out, catch-up, payments, incidents, SMS replies and Configuration answer in French, with names and 06 numbers', () => {
    const s = new System({ now: MONDAY_10H });
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'camille@example.fr' });
    const camille = s.rows('Leads')[0].id as string;
    expect(run(s, 'followUpList').message).toBe('1 lead à appeler.');
    const preview = run(s, 'optOutLead', camille, 'appel', '');
    expect(preview.message).toBe('Désinscrire le 06 12 34 56 78 ? Concerne : Camille Durand (nouveau). Une désinscription est définitive : vérifiez le numéro, puis confirmez.');
    expect(run(s, 'optOutLead', camille, 'appel', preview.confirm).message).toBe('Le 06 12 34 56 78 est désinscrit des SMS ; 1 lead passe au statut « désinscrit ».');
    // A reply from a known number names the person, not the lead's id.
    s.reply('+33612345678', 'Merci');
    expect(s.gas.mail.outbox.find((m) => /SMS reçu/.test(m.subject))!.body).toContain('Lead : Camille Durand.');
    expect(run(s, 'runNow', 'reconcile').message).toBe('Synchronisation (webhooks manqués) : terminé. Rien à rattraper : aucun événement Stripe, lead Facebook ni SMS en retard.');
    // A client suspended after the last failure reads as such, not as a "rejected" prospect.
    s.metaLead({ fullName: 'Léo Bernard', phone: '+33622222222', email: 'leo@example.fr' });
    setCell(s, 'Leads', 3, 'status', 'rejected');
    setCell(s, 'Leads', 3, 'payment_failures', 3);
    expect(run(s, 'listFailedPayments').payments[0]).toMatchObject({ name: 'Léo Bernard', failuresText: '3 échecs', status: 'service suspendu' });
    // Every incident type has its French words (a dispute, a provider down, events given up).
    const incidents = s.gas.spreadsheet.active.sheet('Incidents');
    incidents.seed(
      ['payment_dispute', 'provider_failure', 'event_given_up'].map((type, i) => [`inc_audit${i}`, new Date(MONDAY_10H), type, 'high', 'open', `Titre ${i}`, `ref${i}`, '', '']),
      2,
    );
    expect(run(s, 'listIncidents').incidents.map((i: any) => i.label).sort()).toEqual([
      'litige bancaire · gravité haute · ouvert',
      'service extérieur en panne · gravité haute · ouvert',
      'événements abandonnés · gravité haute · ouvert',
    ]);
    // Configuration: the operator's phone as a person reads it; optional properties are not "manquante".
    const props = run(s, 'configStatus').config.properties;
    expect(props.find((p: any) => p.key === 'ALERT_PHONE').shown).toBe('06 00 00 00 00');
    expect(props.filter((p: any) => ['FB_AD_ACCOUNT_ID', 'META_DATASET_ID'].includes(p.key)).map((p: any) => p.optional)).toEqual([true, true]);
  });
});

describe('audit, item 8: provider failures say what they mean and what to do, never in green', () => {
  test('Meta down: a campaign sync is an error naming the outage; Stripe unreachable at 9h and 18h; an SMS given up names the person', () => {
    const s = new System({ now: MONDAY_10H });
    s.providers.campaign(CAMPAIGN, 'Cuisine', 'ACTIVE');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([[CAMPAIGN, 'Cuisine', false, 'ACTIVE', '', '', '']], 2);
    s.providers.fail('graph', 1000);
    const sync = run(s, 'syncCampaigns');
    expect(sync.ok).toBe(false);
    expect(sync.error).toBe(
      `Aucune campagne synchronisée avec Facebook. Échec pour ${CAMPAIGN} : Meta est indisponible pour le moment (erreur 503) : rien à changer de votre côté, réessayez dans quelques minutes. Meta n'a rien changé pour cette campagne : faites-le dans Ads Manager si besoin (détail dans la colonne last_error d'Ads_Control).`,
    );
    s.providers.restore('graph');
    // Stripe unreachable: the 9h and 18h emails say it is an outage to wait out, not a key to check.
    s.providers.fail('stripe', 1000, 'network');
    run(s, 'runNow', 'routineMorning');
    run(s, 'runNow', 'routineEvening');
    const [morning] = mailsTo(s, /Routine du matin 23/);
    expect(decisionsOf(morning.body)).toContain(
      "- Stripe n'a pas répondu, les paiements échoués d'hier ne sont pas vérifiés. Stripe est injoignable pour le moment (réseau) : réessayez dans quelques minutes. Sirrius › Configuration › Tester les connexions le confirme.",
    );
    const [evening] = mailsTo(s, /Bilan du 23/);
    expect(evening.body).toContain("Vérification impossible, Stripe n'a pas répondu : Stripe est injoignable pour le moment (réseau) : réessayez dans quelques minutes.");
    s.providers.restore('stripe');
    // Twilio down until the SMS is given up: the incident names the lead and what the failure means.
    setConfig(s, 'sms_max_attempts', 1);
    s.providers.fail('twilio', 1000);
    s.metaLead({ fullName: 'Bruno Caron', phone: '+33622222222', email: 'bruno@example.fr' });
    const [given] = s.rows('Incidents').filter((i) => i.type === 'sms_failure');
    expect(given.title).toBe('SMS non envoyé à Bruno Caron (06 22 22 22 22) après plusieurs essais : Twilio est indisponible pour le moment (erreur 503) : rien à changer de votre côté, réessayez dans quelques minutes.');
    for (const m of s.gas.mail.outbox.filter((m) => m.to === OPERATOR)) expect([m.subject, /\b(stripe|graph|twilio)( \d{3})?:|Service Unavailable|Address unavailable/.exec(m.body)?.[0]]).toEqual([m.subject, undefined]);
  });
});

describe('audit, item 9: a capacity percentage is French in the alert, its SMS and the incident', () => {
  test('13 leads of 16 (81.25 %) read "81,3 %", never "81.3 %"', () => {
    const s = new System({ now: MONDAY_10H });
    setConfig(s, 'max_leads_per_day', 16);
    for (let i = 0; i < 15; i++) lead(s);
    expect(mailsTo(s, /Capacité du jour à/).map((m) => m.subject)).toEqual(['[Sirrius] Capacité du jour à 81,3 %']);
    expect(s.providers.sms.filter((m) => m.to === '+33600000000').map((m) => m.body)).toEqual(['Sirrius : capacité du jour à 81,3 % (13/16 leads).']);
    // 15/16: the pause step, with no campaign known.
    expect(s.rows('Incidents').find((i) => i.type === 'ads_not_paused')!.title).toBe(
      'Capacité à 93,8 % le 23/11/2026 : aucune campagne connue dans Ads_Control : les publicités ne sont PAS arrêtées',
    );
  });
});

describe('audit, item 8: "Lancer maintenant" never shows a green "nothing to catch up" when a provider did not answer', () => {
  test('Stripe down during the synchronisation by hand: an error saying what could not be checked and what happens next', () => {
    const s = new System({ now: MONDAY_10H });
    s.providers.fail('stripe', 1000);
    const answer = s.gas.runFromClient('runNow', ['reconcile']) as any;
    expect(answer).toMatchObject({
      ok: false,
      error:
        "Synchronisation (webhooks manqués) : incomplet. Stripe est indisponible pour le moment : rien à changer de votre côté, réessayez dans quelques minutes. Ce qui n'a pas pu être vérifié le sera au prochain passage (toutes les 5 minutes).",
    });
    s.providers.restore('stripe');
    expect((s.gas.runFromClient('runNow', ['reconcile']) as any).message).toBe('Synchronisation (webhooks manqués) : terminé. Rien à rattraper : aucun événement Stripe, lead Facebook ni SMS en retard.');
  });
});

describe('second operator day: counts that add up, in French', () => {
  test('the evening names some of 15 leads never contacted and counts the others: the names and "autres" add up to 15', () => {
    const s = new System({ now: MONDAY_10H });
    for (let i = 0; i < 15; i++) lead(s);
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    trigger(s, 'routineEvening');
    const [mail] = mailsTo(s, /Bilan du 23/);
    // Was "… Lead Numéro8 et 3 autres." (10 names read, the 11th "5 de plus dans l'onglet Leads" counted as a person).
    expect(mail.body).toMatch(/- Appeler ces 15 leads jamais contactés \(Sirrius › Suivi commercial\) : (Lead Numéro\d+ \(06 70 \d\d \d\d \d\d\), ){7}Lead Numéro\d+ \(06 70 \d\d \d\d \d\d\) et 7 autres\.\n/);
    expect(mail.body).not.toContain('de plus dans');
  });

  test('one SMS sent, one Stripe event ignored: "0 sur 1 envoyé", "1 ignoré", never "1 envoyés" or "1 ignorés"', () => {
    const s = new System({ now: MONDAY_10H });
    lead(s, 'Alice Lambert');
    const base = fixture('stripe/events/checkout.session.completed.json');
    const unpaid = s.providers.stripeEvent(base, { object: { client_reference_id: s.rows('Leads')[0].id, payment_status: 'unpaid' } });
    expect(JSON.parse(s.post('stripe', JSON.stringify(unpaid)).content)).toEqual({ ok: true, status: 'ignored' });
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    trigger(s, 'routineEvening');
    expect(mailsTo(s, /Bilan du 23/)[0].body).toContain('SMS reçus par les leads : 0 sur 1 envoyé.');
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    trigger(s, 'routineMorning');
    expect(mailsTo(s, /Routine du matin 24/)[0].body).toContain('Événements Stripe reçus : 1 ignoré.');
  });

  test('a number already unsubscribed by STOP: the opt-out sidebar says there is nothing to do, and asks no confirmation', () => {
    const s = new System({ now: MONDAY_10H });
    s.metaLead({ phone: '+33612345678', fullName: 'Alice Lambert', email: 'alice@example.fr' });
    s.reply('+33612345678', 'ARRÊT');
    const preview = s.gas.runFromClient('optOutLead', [s.rows('Leads')[0].id, 'demande', '']) as any;
    // Was "Le 06 12 34 56 78 est déjà désinscrit des SMS. Désinscrire le 06 12 34 56 78 ? … puis confirmez."
    expect(preview).toMatchObject({ ok: true, confirmed: false, alreadyOptedOut: true });
    expect(preview.message).toBe('Le 06 12 34 56 78 est déjà désinscrit des SMS : il ne recevra plus aucun SMS, rien à faire. Concerne : Alice Lambert (désinscrit des SMS).');
    expect(preview.confirm).toBeUndefined();
  });

  test('the evening lists the high incidents still open (ads NOT paused, overflow) and never advises to "keep the campaigns paused" when none is known', () => {
    const s = new System({ now: MONDAY_10H });
    setConfig(s, 'max_leads_per_day', 4);
    for (let i = 0; i < 5; i++) lead(s);
    for (const l of s.rows('Leads')) expect(run(s, 'markContacted', l.id, 'appelé').ok).toBe(true);
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    trigger(s, 'routineEvening');
    const [mail] = mailsTo(s, /Bilan du 23/);
    expect(mail.body).not.toContain('Rien à décider');
    expect(mail.body).toContain(
      '- Traiter 2 incidents graves encore ouverts (Sirrius › Incidents) : « Capacité à 100 % le 23/11/2026 : aucune campagne connue dans Ads_Control : les publicités ne sont PAS arrêtées », « Capacité dépassée le 23/11/2026 : 5 leads pour 4 au maximum ».',
    );
    expect(mail.body).not.toMatch(/campagnes en pause\./);
    expect(mail.body).toContain('sinon baisser le budget des campagnes dans Ads Manager pour recevoir moins de leads.');
  });

  test('a Stripe customer id typed short says what is wrong with it and where to copy it, not only "(cus_…)" again', () => {
    const s = new System({ now: MONDAY_10H });
    lead(s, 'Alice Lambert');
    const answer = s.gas.runFromClient('convertLead', [s.rows('Leads')[0].id, 'cus_x']) as any;
    // Was "Indiquez l'identifiant du client Stripe (cus_…)." to an operator who had typed cus_…
    expect(answer).toMatchObject({
      ok: false,
      field: 'stripeCustomerId',
      error: "Ce n'est pas un identifiant de client Stripe complet : copiez-le depuis Stripe › Clients (il commence par cus_, suivi d'au moins 6 lettres ou chiffres, sans espace).",
    });
  });

  test('noon with every campaign paused: the "À décider" line is a decision (raise the capacity or not), not a status', () => {
    const s = new System({ now: MONDAY_10H });
    s.providers.campaign(CAMPAIGN, 'Cuisine', 'ACTIVE');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([[CAMPAIGN, 'Cuisine', false, 'ACTIVE', '', '', '']], 2);
    setConfig(s, 'max_leads_per_day', 5);
    for (let i = 0; i < 5; i++) lead(s);
    expect(s.rows('Ads_Control')[0].ads_paused).toBe(true);
    s.gas.clock.set(new Date('2026-11-23T11:00:00Z'));
    expect(trigger(s, 'routineNoon')).toMatchObject({ emailed: true });
    const [noon] = mailsTo(s, /Capacité : /);
    // Was "- Moins de 20 % de capacité restante : les campagnes d'Ads_Control sont en pause." (a status under "À décider").
    expect(noon.body).toContain(
      "À décider :\n- Moins de 20 % de capacité restante, toutes les campagnes d'Ads_Control en pause : augmenter la capacité du jour (Sirrius › Capacité et publicités) seulement si l'équipe peut rappeler plus de leads aujourd'hui, sinon rien à changer.",
    );
  });

  test('9h with campaigns typed in Ads_Control but no ad account: no "tant qu\'Ads_Control est vide" beside the campaigns it lists', () => {
    const s = new System({ now: MONDAY_10H });
    s.providers.campaign(CAMPAIGN, 'Cuisine', 'ACTIVE');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([[CAMPAIGN, 'Cuisine', false, 'ACTIVE', '', '', '']], 2);
    s.gas.clock.set(new Date('2026-11-24T08:00:00Z'));
    trigger(s, 'routineMorning');
    const [morning] = mailsTo(s, /Routine du matin 24/);
    expect(morning.body).toMatch(/- Cuisine \(120210000000000001\) \| diffuse/);
    expect(morning.body).not.toContain("tant qu'Ads_Control est vide");
    expect(morning.body).toContain(
      "FB_AD_ACCOUNT_ID n'est pas renseigné : la dépense publicitaire n'est pas lue et une nouvelle campagne n'est pas ajoutée toute seule à Ads_Control (celles qui y sont restent mises en pause par la capacité).",
    );
  });

  test('a checkout whose webhook never came, caught up by reconcile: the incident and its email name the event in words, not "checkout.session.completed"', () => {
    const s = new System({ now: MONDAY_10H });
    lead(s, 'Alice Lambert');
    const sub = s.providers.stripeSubscription({ customer: 'cus_Alice0001', email: 'lead1@example.fr', amount: 2900 });
    const base = fixture('stripe/events/checkout.session.completed.json');
    const event = s.providers.stripeEvent(base, { object: { client_reference_id: s.rows('Leads')[0].id, customer: 'cus_Alice0001', subscription: sub.id } });
    s.reconcile(10 * MINUTE);
    s.reconcile(35 * MINUTE);
    const [incident] = s.rows('Incidents').filter((i) => i.type === 'webhook_failure');
    expect(incident.title).toBe(`Webhooks Stripe non reçus : 1 événement rattrapé par la synchronisation : paiement par lien de paiement (${event.id}). Vérifiez l'endpoint dans Stripe › Développeurs › Webhooks.`);
    const [mail] = mailsTo(s, /Incident : Webhooks Stripe/);
    expect(mail.subject).not.toContain('checkout.session');
    expect(mail.body).not.toContain('checkout.session');
    // The day it stands for, not the tab's key (was "Référence : stripe-webhooks-2026-11-23").
    expect(mail.body).toContain('Type : webhook Stripe manqué\nRéférence : 23/11/2026\n');
  });

  test('"Lancer maintenant" after the scheduled 9h email went out says so, not that it "partira quand même à son heure"', () => {
    const s = new System({ now: new Date('2026-11-23T08:00:00Z') }); // 9h
    lead(s, 'Alice Lambert');
    expect(trigger(s, 'routineMorning')).toMatchObject({ emailed: true });
    s.gas.clock.set(new Date('2026-11-23T10:00:00Z')); // 11h
    const answer = s.gas.runFromClient('runNow', ['routineMorning']) as any;
    expect(answer.ok).toBe(true);
    expect(answer.message).toMatch(/^Routine du matin \(9h\) : terminé\. E-mail envoyé à operateur@sirrius\.example : « \[Sirrius\] Routine du matin 23\/11\/2026 : [^»]+ »\. L'envoi programmé de la journée était déjà parti à son heure : celui-ci s'y ajoute\.$/);
    // Before the hour, the scheduled one is still to come.
    const before = s.gas.runFromClient('runNow', ['routineEvening']) as any;
    expect(before.message).toContain("L'envoi programmé de la journée partira quand même à son heure.");
  });

  test('an SMS sent after an opt-out: the incident, its email and the evening read 06 12 34 56 78, never +33612345678 nor its key', () => {
    const s = new System({ now: MONDAY_10H });
    s.metaLead({ phone: '+33612345678', fullName: 'Alice Lambert', email: 'alice@example.fr' });
    // The opt-out recorded an hour before the SMS (typed late in Opt_Outs): the 18h control raises it.
    s.gas.spreadsheet.active.sheet('Opt_Outs').seed([['+33612345678', new Date('2026-11-23T08:00:00Z'), 'réponse STOP', 'sms']], 2);
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    trigger(s, 'routineEvening');
    expect(s.rows('Incidents').map((i) => i.title)).toEqual(['1 SMS envoyé après désinscription au 06 12 34 56 78']);
    const [alert] = mailsTo(s, /Incident : /);
    const [evening] = mailsTo(s, /Bilan du 23/);
    for (const text of [alert.subject, alert.body, evening.body]) expect(text).not.toMatch(/\+336|@2026/);
    expect(evening.body).toContain('06 12 34 56 78 : 1 SMS envoyé après la désinscription (dernier le 23/11/2026 10:00).');
  });

  test('a client converted and suspended the same day: the evening\'s successes say so beside the 0,00 €', () => {
    const s = new System({ now: MONDAY_10H });
    lead(s, 'Léo Bernard');
    lead(s, 'Camille Durand');
    // Both converted today (the Stripe path writes these columns); Léo's three payments failed since.
    for (const row of [2, 3]) {
      setCell(s, 'Leads', row, 'status', 'converted');
      setCell(s, 'Leads', row, 'conversion_date', new Date(MONDAY_10H.getTime() + MINUTE));
      setCell(s, 'Leads', row, 'mrr', 49);
    }
    setCell(s, 'Leads', 2, 'status', 'rejected');
    setCell(s, 'Leads', 2, 'mrr', 0);
    setCell(s, 'Leads', 2, 'payment_failures', 3);
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    trigger(s, 'routineEvening');
    const [evening] = mailsTo(s, /Bilan du 23/);
    expect(evening.body).toContain('- Léo Bernard | 0,00 € (service suspendu depuis : paiements échoués)');
    expect(evening.body).toContain('- Camille Durand | 49,00 €\n');
  });

  test('one campaign, then a capacity of 1: "La campagne Facebook … sera mise", "1 lead sur 1", never "Les 1 campagne" nor "1 leads"', () => {
    const s = new System({ now: MONDAY_10H });
    s.providers.campaign(CAMPAIGN, 'Cuisine', 'ACTIVE');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([[CAMPAIGN, 'Cuisine', false, 'ACTIVE', '', '', '']], 2);
    setConfig(s, 'max_leads_per_day', 5);
    for (let i = 0; i < 4; i++) lead(s);
    const [alert] = mailsTo(s, /Capacité du jour à 80/);
    // Was "Les 1 campagne Facebook d'Ads_Control sera mise en pause…".
    expect(alert.body).toContain("La capacité du 23/11/2026 atteint 4 leads sur 5.\n\nLa campagne Facebook d'Ads_Control sera mise en pause automatiquement à 90 %.");

    const one = new System({ now: MONDAY_10H });
    setConfig(one, 'max_leads_per_day', 1);
    lead(one, 'Bruno Caron');
    expect(mailsTo(one, /Capacité du jour à/)[0].body).toContain('La capacité du 23/11/2026 atteint 1 lead sur 1.');
    one.gas.clock.set(new Date('2026-11-23T11:00:00Z'));
    expect(trigger(one, 'routineNoon')).toMatchObject({ emailed: true });
    expect(mailsTo(one, /Capacité : /)[0].body).toContain('1 lead sur 1 (100 % utilisés), reste 0.');
    for (const m of one.gas.mail.outbox) expect(`${m.subject}\n${m.body}`).not.toMatch(/\b1 leads\b/);
  });
});
