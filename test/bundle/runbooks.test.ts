/**
 * The operator's runbook functions through the built bundle: OK #1 addManualLead, OK #2
 * optOutLead, resolveIncident/listIncidents, and the GDPR pair eraseLead/exportLead. Every
 * refusal is French, names its field, and leaves every tab as it was.
 */
import { System, json } from '../support/system';

const run = (s: System, fn: string, ...args: unknown[]) => s.gas.run(fn, args) as any;
/** optOutLead as the sidebar plays it: the preview, then the confirmation with the number it returned. */
const optOutConfirmed = (s: System, target: unknown, reason?: unknown) => {
  const preview = run(s, 'optOutLead', target, reason, '');
  if (!preview.ok) return preview;
  return run(s, 'optOutLead', target, reason, preview.confirm);
};
/** Every tab's values, to prove that a refused call wrote nothing. */
const snapshot = (s: System) => JSON.stringify(s.gas.spreadsheet.active.sheetNames().map((n) => s.gas.spreadsheet.active.sheet(n).values()));

const FORM = { first_name: 'Julie', last_name: 'Martin', phone: '06 98 76 54 32', email: 'Julie.Martin@Example.fr', source_detail: 'appel téléphonique' };

/** Expects a refusal on `field` that changed nothing. */
function expectRefused(s: System, fn: string, args: unknown[], field: string | undefined, error?: RegExp) {
  const before = snapshot(s);
  const sms = s.providers.sms.length;
  const res = run(s, fn, ...args);
  expect(res.ok).toBe(false);
  expect(res.field).toBe(field);
  expect(typeof res.error).toBe('string');
  if (error) expect(res.error).toMatch(error);
  expect(snapshot(s)).toBe(before);
  expect(s.providers.sms).toHaveLength(sms);
  return res;
}

describe('addManualLead (OK #1)', () => {
  test('records the lead as the SOP says, counts it in capacity, and sends no SMS', () => {
    const s = new System();
    const res = run(s, 'addManualLead', FORM);
    expect(res).toMatchObject({ ok: true, duplicates: [] });
    expect(res.message).toBe('Lead ajouté : Julie Martin. Aucun SMS automatique : prenez contact vous-même.');
    const [lead] = s.rows('Leads');
    expect(lead).toMatchObject({
      id: res.leadId,
      source: 'manual',
      fb_lead_id: 'MANUAL',
      status: 'new',
      first_name: 'Julie',
      last_name: 'Martin',
      phone: '+33698765432',
      email: 'julie.martin@example.fr',
      sms_sent: false,
      notes: 'Lead manuel - source: appel téléphonique',
    });
    expect(lead.id).toMatch(/^lead_\d{13}$/);
    expect(lead.created_at).toBeInstanceOf(Date);
    expect(s.providers.sms).toHaveLength(0);
    expect(s.rows('Messages')).toHaveLength(0);
    expect(s.rows('Capacity')[0]).toMatchObject({ current_leads: 1, status: 'open' });
    s.reconcile(60 * 60000);
    expect(s.providers.sms).toHaveLength(0);
  });

  test('an email alone or a phone alone is enough', () => {
    const s = new System();
    expect(run(s, 'addManualLead', { email: 'a@b.fr', source_detail: 'salon' })).toMatchObject({ ok: true });
    expect(run(s, 'addManualLead', { phone: '+33 7 12 34 56 78', source_detail: 'salon' })).toMatchObject({ ok: true });
    expect(s.rows('Leads').map((l) => [l.phone, l.email])).toEqual([
      ['', 'a@b.fr'],
      ['+33712345678', ''],
    ]);
  });

  test('a duplicate phone or email (any case) is shown first; the lead is created once the operator confirms', () => {
    const s = new System();
    s.metaLead({ phone: '+33698765432', email: 'julie.martin@example.fr' });
    const meta = s.rows('Leads')[0].id;
    const byPhone = run(s, 'addManualLead', { ...FORM, email: '' });
    expect(byPhone).toMatchObject({ ok: false, field: 'confirmDuplicate', error: expect.stringContaining('Un lead existe déjà avec ce téléphone ou cet e-mail : ') });
    expect(byPhone.error).toContain('06 98 76 54 32');
    const byEmail = run(s, 'addManualLead', { ...FORM, phone: '', email: 'JULIE.martin@EXAMPLE.FR' });
    expect(byEmail).toMatchObject({ ok: false, field: 'confirmDuplicate', error: expect.stringContaining('julie.martin@example.fr') });
    expect(s.rows('Leads')).toHaveLength(1);
    expect(run(s, 'addManualLead', { ...FORM, email: '', confirmDuplicate: true })).toMatchObject({ ok: true, duplicates: [meta] });
    expect(run(s, 'addManualLead', { ...FORM, phone: '', email: 'JULIE.martin@EXAMPLE.FR', confirmDuplicate: '1' })).toMatchObject({ ok: true, duplicates: [meta] });
    expect(s.rows('Leads')).toHaveLength(3);
    expect(s.providers.sms).toHaveLength(1); // the Meta lead's own SMS only
  });

  test('a number that opted out is recorded, with a warning', () => {
    const s = new System();
    s.reply('+33698765432', 'STOP');
    const res = run(s, 'addManualLead', FORM);
    expect(res.ok).toBe(true);
    expect(res.message).toContain('Ce numéro est désinscrit des SMS (Opt_Outs)');
  });

  test.each([
    ['null', null, undefined, /Formulaire invalide/],
    ['a string', 'Julie Martin', undefined, /Formulaire invalide/],
    ['an array', [FORM], undefined, /Formulaire invalide/],
    ['neither phone nor email', { first_name: 'Julie', source_detail: 'appel' }, 'phone', /au moins un téléphone ou un e-mail/],
    ['a phone that is not one', { ...FORM, phone: '12' }, 'phone', /^Téléphone : numéro non reconnu/],
    ['a phone of letters', { ...FORM, phone: 'abcdefghij' }, 'phone', /^Téléphone : numéro non reconnu/],
    ['an email without @', { ...FORM, email: 'julie.example.fr' }, 'email', /^E-mail : adresse non valide/],
    ['an email with a space', { ...FORM, email: 'julie @example.fr' }, 'email', /^E-mail : adresse non valide/],
    ['a formula as first name', { ...FORM, first_name: '=1+1' }, 'first_name', /^Prénom : ne peut pas commencer par « = »/],
    ['a formula as source', { ...FORM, source_detail: '=HYPERLINK("http://x","y")' }, 'source_detail', /^Source : ne peut pas commencer/],
    ['no source', { ...FORM, source_detail: '  ' }, 'source_detail', /^Source : ce champ est obligatoire/],
    ['a number as last name', { ...FORM, last_name: 42 }, 'last_name', /^Nom : valeur invalide/],
    ['an object as email', { ...FORM, email: { a: 1 } }, 'email', /^E-mail : valeur invalide/],
    ['a huge first name', { ...FORM, first_name: 'J'.repeat(100001) }, 'first_name', /^Prénom : trop long \(100 caractères au plus\)/],
    ['a huge phone', { ...FORM, phone: '0'.repeat(5000) }, 'phone', /^Téléphone : trop long/],
    ['a control character', { ...FORM, last_name: 'Mar\u0007tin' }, 'last_name', /caractères invisibles/],
  ])('refuses %s: a French error on its field, nothing written', (_label, form, field, error) => {
    const s = new System();
    expectRefused(s, 'addManualLead', [form], field, error);
  });
});

describe('optOutLead (OK #2)', () => {
  test.each([['06 12 34 56 78'], ['0612345678'], ['06.12.34.56.78'], ['+33 6 12 34 56 78'], ['+33612345678'], ['0033612345678'], ['33612345678']])(
    'by phone %j: every lead with the number opted out, the note, one Opt_Outs row',
    (spelling) => {
      const s = new System();
      // Two leads with the number, more than Config duplicate_window_days apart (closer, the second is a note on the first).
      s.metaLead({ phone: '+33612345678', createdAt: new Date(s.gas.clock.now() - 40 * 86400000) });
      s.metaLead({ phone: '06 12 34 56 78', fullName: 'Camille Bis' });
      s.metaLead({ phone: '+33698765432', fullName: 'Autre Personne' });
      const res = optOutConfirmed(s, spelling, 'demande par téléphone');
      expect(res).toMatchObject({ ok: true, phone: '+33612345678', confirmed: true, added: true, leadsUpdated: 2 });
      expect(res.message).toBe('Le 06 12 34 56 78 est désinscrit des SMS ; 2 leads passent au statut « désinscrit ».');
      expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', reason: 'demande par téléphone', source: 'manuel' })]);
      const leads = s.rows('Leads');
      expect(leads.map((l) => l.status)).toEqual(['opted_out', 'opted_out', 'new']);
      expect(leads[0].notes).toMatch(/\nSTOP SMS - date: 23\/11\/2026 10:00 - raison: demande par téléphone$/);
    },
  );

  test('by lead id; the reason may be left out; a second time changes nothing', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    const id = s.rows('Leads')[0].id;
    const res = optOutConfirmed(s, id);
    expect(res).toMatchObject({ ok: true, added: true, leadsUpdated: 1 });
    expect(s.rows('Leads')[0].notes).toMatch(/raison: non précisée$/);
    const again = optOutConfirmed(s, '06 12 34 56 78', 'encore');
    expect(again).toMatchObject({ ok: true, added: false, leadsUpdated: 0 });
    expect(again.message).toMatch(/était déjà désinscrit/);
    expect(s.rows('Opt_Outs')).toHaveLength(1);
    // Never texted again: a new lead with the number is recorded, not texted.
    s.metaLead({ phone: '+33612345678' });
    expect(s.providers.sms).toHaveLength(1);
  });

  test('first a preview that writes nothing and shows who the number concerns, then the confirmation', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Durand' });
    s.metaLead({ phone: '+33698765432', fullName: 'Autre Personne' });
    const [camille] = s.rows('Leads');
    const before = snapshot(s);
    const preview = run(s, 'optOutLead', '06 12 34 56 78', 'appel', '');
    expect(preview).toMatchObject({ ok: true, confirmed: false, confirm: '+33612345678', phone: '+33612345678', alreadyOptedOut: false });
    expect(preview.leads).toEqual([{ id: camille.id, name: 'Camille Durand', status: 'new' }]);
    expect(preview.message).toBe(
      'Désinscrire le 06 12 34 56 78 ? Concerne : Camille Durand (nouveau). Une désinscription est définitive : vérifiez le numéro, puis confirmez.',
    );
    expect(snapshot(s)).toBe(before);
    // A mistyped number concerns nobody: the preview says so before anything is recorded.
    const typo = run(s, 'optOutLead', '06 99 99 99 99', 'appel', '');
    expect(typo).toMatchObject({ ok: true, confirmed: false, leads: [] });
    expect(typo.message).toMatch(/Concerne : aucun lead connu\./);
    expect(snapshot(s)).toBe(before);
    // A confirmation for another number is refused.
    expectRefused(s, 'optOutLead', ['06 12 34 56 78', 'appel', '+33699999999'], 'phoneOrLeadId', /ne correspond pas/);
    expect(run(s, 'optOutLead', '06 12 34 56 78', 'appel', preview.confirm)).toMatchObject({ ok: true, confirmed: true, added: true, leadsUpdated: 1 });
    expect(s.rows('Opt_Outs')).toHaveLength(1);
  });

  test('called with two arguments, as SPEC §5 lists it (script editor), it records at once', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Durand' });
    expect(run(s, 'optOutLead', '06 12 34 56 78', 'demande par e-mail')).toMatchObject({ ok: true, confirmed: true, added: true, leadsUpdated: 1 });
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'manuel' })]);
    expect(s.rows('Leads')[0].status).toBe('opted_out');
  });

  test.each([
    ['empty', ''],
    ['null', null],
    ['letters', 'abc'],
    ['a number inside text', 'appeler le 06 12 34 56 78'],
    ['a number with letters', '06 12 34 56 78 x'],
    ['an unknown lead id', 'lead_1234567890123'],
    ['a formula', '=1+1'],
    ['a huge string', '0'.repeat(100000)],
    ['an object', { phone: '0612345678' }],
  ])('refuses %s: nothing written', (_label, value) => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    expectRefused(s, 'optOutLead', [value, 'raison'], 'phoneOrLeadId');
  });

  test('refuses a formula or a huge reason, and a lead without a valid phone', () => {
    const s = new System();
    s.metaLead({ phone: '12' });
    expectRefused(s, 'optOutLead', ['0612345678', '=1+1'], 'reason', /^Raison : ne peut pas commencer/);
    expectRefused(s, 'optOutLead', ['0612345678', 'r'.repeat(5000)], 'reason', /^Raison : trop long/);
    expectRefused(s, 'optOutLead', [s.rows('Leads')[0].id, 'x'], 'phoneOrLeadId', /pas de numéro de téléphone valide/);
  });
});

describe('incidents', () => {
  /** A system with one open capacity_overflow incident (max 1 lead, 2 leads). */
  function withIncident() {
    const s = new System();
    const sheet = s.gas.spreadsheet.active.sheet('Config');
    sheet.writeValue((sheet.values() as unknown[][]).findIndex((r) => r[0] === 'max_leads_per_day') + 1, 2, 1);
    s.gas.cache.script.clear();
    // A campaign to pause at 100 % (with Ads_Control empty, an ads_not_paused incident would open too).
    s.providers.campaign('120210000000000001', 'Campagne 1', 'ACTIVE');
    s.gas.spreadsheet.active.sheet('Ads_Control').seed([['120210000000000001', 'Campagne 1', false, 'ACTIVE', '', '', '']], 2);
    s.metaLead({ phone: '+33612345671' });
    s.metaLead({ phone: '+33612345672' });
    const [incident] = s.rows('Incidents');
    expect(incident).toMatchObject({ type: 'capacity_overflow', status: 'open' });
    return { s, id: incident.id as string };
  }

  test('listIncidents gives the active ones by default, JSON-safe', () => {
    const { s, id } = withIncident();
    const res = run(s, 'listIncidents');
    expect(res).toMatchObject({ ok: true, message: '1 incident.' });
    expect(res.incidents).toEqual([
      {
        id,
        created_at: '2026-11-23T09:00:00.000Z',
        type: 'capacity_overflow',
        severity: 'high',
        status: 'open',
        title: 'Capacité dépassée le 23/11/2026 : 2 leads pour 1 au maximum',
        ref: '2026-11-23',
        resolution: '',
        resolved_at: null,
        label: 'capacité dépassée · gravité haute · ouvert',
      },
    ]);
    expect(JSON.parse(JSON.stringify(res))).toEqual(res);
    expect(run(s, 'listIncidents', { type: 'payment_failed' }).incidents).toEqual([]);
  });

  test('resolveIncident closes it with its resolution; a second time is refused', () => {
    const { s, id } = withIncident();
    const res = run(s, 'resolveIncident', id, 'Capacité relevée à 20 pour la journée.');
    expect(res).toMatchObject({ ok: true, message: 'Incident résolu : Capacité dépassée le 23/11/2026 : 2 leads pour 1 au maximum' });
    expect(res.incident).toMatchObject({ id, status: 'resolved', resolution: 'Capacité relevée à 20 pour la journée.', resolved_at: '2026-11-23T09:00:00.000Z' });
    const [row] = s.rows('Incidents');
    expect(row).toMatchObject({ status: 'resolved', resolution: 'Capacité relevée à 20 pour la journée.' });
    expect(row.resolved_at).toBeInstanceOf(Date);
    expectRefused(s, 'resolveIncident', [id, 'encore'], 'incidentId', /déjà résolu/);
    expect(run(s, 'listIncidents').incidents).toEqual([]);
    expect(run(s, 'listIncidents', { status: 'resolved' }).incidents.map((i: any) => i.id)).toEqual([id]);
    expect(run(s, 'listIncidents', { status: 'all', limit: 10 }).incidents).toHaveLength(1);
  });

  test.each([
    ['no resolution', (id: string) => [id, ''], 'resolution', /^Résolution : ce champ est obligatoire/],
    ['a blank resolution', (id: string) => [id, '   '], 'resolution', /obligatoire/],
    ['a formula as resolution', (id: string) => [id, '=1+1'], 'resolution', /ne peut pas commencer/],
    ['a huge resolution', (id: string) => [id, 'x'.repeat(2001)], 'resolution', /trop long \(2000/],
    ['a number as resolution', (id: string) => [id, 12], 'resolution', /valeur invalide/],
    ['an unknown id', () => ['inc_1', 'ok'], 'incidentId', /^Aucun incident avec cet identifiant/],
    ['an id that is not one', () => ['lead_123', 'ok'], 'incidentId', /inc_…/],
    ['no id', () => [undefined, 'ok'], 'incidentId', /obligatoire/],
  ])('resolveIncident refuses %s: nothing changes', (_label, args, field, error) => {
    const { s, id } = withIncident();
    expectRefused(s, 'resolveIncident', args(id), field, error);
  });

  test.each([['a string', 'open'], ['an unknown status', { status: 'closed' }], ['a bad limit', { limit: 0 }], ['a huge limit', { limit: 1e9 }], ['a formula type', { type: '=1+1' }]])(
    'listIncidents refuses %s',
    (_label, filter) => {
      const { s } = withIncident();
      expect(run(s, 'listIncidents', filter)).toMatchObject({ ok: false, error: expect.stringMatching(/^Filtre invalide/) });
    },
  );
});

describe('GDPR: exportLead and eraseLead', () => {
  /** Camille (Meta lead, texted, replied, then STOP) and Julie (another lead, left alone). */
  function twoPeople() {
    const s = new System();
    const camille = s.metaLead({ fullName: 'Camille Durand', phone: '06 12 34 56 78', email: 'camille.durand@example.fr' });
    const julie = s.metaLead({ fullName: 'Julie Martin', phone: '+33698765432', email: 'julie.martin@example.fr' });
    s.reply('+33612345678', 'Rappelez-moi demain');
    s.reply('+33612345678', 'STOP');
    // A manual lead for Camille, by email only (the same person, found through the email).
    run(s, 'addManualLead', { first_name: 'Camille', email: 'Camille.Durand@example.fr', source_detail: 'email direct', confirmDuplicate: true });
    const [c, j] = s.rows('Leads');
    // Incidents about her: one by its ref (her lead id), one naming her in its title; one about Julie.
    const incidents = s.gas.spreadsheet.active.sheet('Incidents');
    incidents.seed(
      [
        ['inc_1', new Date(), 'sms_failure', 'medium', 'resolved', `SMS non envoyé au lead ${c.id}`, c.id, 'ok', new Date()],
        ['inc_2', new Date(), 'payment_failed', 'medium', 'open', 'Paiements échoués répétés : Camille Durand (cus_Q1)', 'cus_Q1', '', ''],
        ['inc_3', new Date(), 'payment_failed', 'medium', 'open', 'Paiements échoués répétés : Julie Martin (cus_Q2)', 'cus_Q2', '', ''],
      ],
      2,
    );
    return { s, camille: { ...camille, id: c.id as string }, julie: { ...julie, id: j.id as string } };
  }

  test('exportLead gives everything held on the person, as JSON', () => {
    const { s, camille } = twoPeople();
    const res = run(s, 'exportLead', '+33 6 12 34 56 78');
    expect(res.ok).toBe(true);
    expect(res.message).toBe('Export : 2 leads, 1 message, 1 désinscription, 3 événements, 2 incidents.');
    const data = JSON.parse(res.json);
    expect(data.leads.map((l: any) => [l.first_name, l.source])).toEqual([
      ['Camille', 'facebook'],
      ['Camille', 'manual'],
    ]);
    expect(data.leads[0].created_at).toMatch(/^2026-11-23T/);
    expect(data.messages).toEqual([expect.objectContaining({ to: '+33612345678', lead_id: camille.id, status: 'sent' })]);
    expect(data.opt_outs).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'sms' })]);
    expect(data.events.map((e: any) => [e.source, e.event_id])).toEqual([
      ['facebook', camille.leadgenId],
      ['sms', expect.stringMatching(/^SM/)],
      ['sms', expect.stringMatching(/^SM/)],
    ]);
    expect(data.incidents.map((i: any) => i.id)).toEqual(['inc_1', 'inc_2']);
    expect(res.json).not.toMatch(/Julie|698765432/);
    // The same by lead id.
    expect(JSON.parse(run(s, 'exportLead', camille.id).json).leads).toHaveLength(2);
  });

  test('eraseLead removes the person, keeps her opt-out as a digest, logs the erasure without personal data', () => {
    const { s, camille, julie } = twoPeople();
    const res = run(s, 'eraseLead', camille.id);
    expect(res).toMatchObject({ ok: true, leads: 2, messages: 1, events: 3, incidents: 2, optOutKept: true });
    expect(res.message).toBe(
      "Données effacées : 2 leads supprimés, 1 message anonymisé, 3 événements anonymisés. 2 incidents anonymisés. Le numéro reste bloqué dans Opt_Outs sous forme d'empreinte (illisible) : il ne recevra plus jamais de SMS. " +
        'Les sauvegardes Drive ne se modifient pas : celles qui contiennent encore cette personne sortent de la rotation (14 gardées) puis de la corbeille Drive ; la dernière aura disparu au plus tard le 06/01/2027.',
    );
    expect(res.backupsGoneBy).toBe('06/01/2027');
    const redacted = 'Incident concernant une personne dont les données ont été effacées (RGPD)';
    expect(s.rows('Incidents').slice(0, 3).map((i) => [i.id, i.type, i.status, i.title, i.ref])).toEqual([
      ['inc_1', 'sms_failure', 'resolved', redacted, ''],
      ['inc_2', 'payment_failed', 'open', redacted, ''],
      ['inc_3', 'payment_failed', 'open', 'Paiements échoués répétés : Julie Martin (cus_Q2)', 'cus_Q2'],
    ]);
    expect(s.rows('Leads').map((l) => l.id)).toEqual([julie.id]);
    const messages = s.rows('Messages');
    expect(messages.map((m) => [m.lead_id, m.to, m.status])).toEqual([
      [camille.id, '', 'sent'],
      [julie.id, '+33698765432', 'sent'],
    ]);
    const events = s.rows('Events');
    expect(events.find((e) => e.event_id === camille.leadgenId)).toMatchObject({ status: 'processed', payload: '' });
    expect(events.find((e) => e.event_id === julie.leadgenId)!.payload).toContain(julie.leadgenId);
    expect(events.filter((e) => e.source === 'sms').every((e) => e.payload === '')).toBe(true);
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: expect.stringMatching(/^hmac:[\w-]{43}$/), source: 'sms' })]);
    const log = s.rows('Incidents').find((i) => i.type === 'gdpr_erasure')!;
    expect(log).toMatchObject({ severity: 'low', status: 'resolved', title: 'Effacement RGPD : 2 leads supprimés, 1 message anonymisé, 3 événements anonymisés', ref: '' });
    expect(log.resolved_at).toBeInstanceOf(Date);
    // Nothing of Camille is left, not even her number in the suppression list.
    const everything = JSON.stringify(['Leads', 'Messages', 'Events', 'Incidents', 'Capacity', 'Opt_Outs'].map((t) => s.rows(t)));
    expect(everything).not.toMatch(/camille|durand|612345678|12 34 56 78|%2B33612|cus_Q1/i);
    expect(everything).toContain('Julie Martin');
    // A redelivery of her Meta lead does not bring her back.
    expect(json(s.post('facebook', JSON.stringify(camille.webhook))).ok).toBe(true);
    expect(s.rows('Leads')).toHaveLength(1);
    // Nor can she be erased twice.
    expectRefused(s, 'eraseLead', [camille.id], 'leadIdOrPhone', /Aucun lead avec cet identifiant/);
  });

  test('by phone, a lead never texted and never opted out', () => {
    const s = new System();
    run(s, 'addManualLead', { phone: '0698765432', source_detail: 'salon' });
    const res = run(s, 'eraseLead', '06 98 76 54 32');
    expect(res).toMatchObject({ ok: true, leads: 1, messages: 0, events: 0, optOutKept: false });
    expect(res.message).not.toMatch(/Opt_Outs/);
    expect(s.rows('Leads')).toHaveLength(0);
  });

  test.each([
    ['empty', ''],
    ['null', null],
    ['letters', 'Camille'],
    ['a formula', '=1+1'],
    ['a huge string', 'x'.repeat(100000)],
    ['an unknown lead', 'lead_1234567890123'],
    ['an unknown phone', '0611111111'],
    ['an array', ['0612345678']],
  ])('both refuse %s: nothing changes', (_label, value) => {
    const { s } = twoPeople();
    expectRefused(s, 'eraseLead', [value], 'leadIdOrPhone');
    expectRefused(s, 'exportLead', [value], 'leadIdOrPhone');
  });
});
