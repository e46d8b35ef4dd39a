/**
 * GDPR (issue 24) through the bundle: erasure reaches the archive spreadsheets, prospects are not
 * kept past their retention (with their messages and journal rows), and an erased opted-out
 * number stays blocked by a digest without appearing in clear anywhere.
 */
import { System } from '../support/system';

const DAY = 86400000;
const run = (s: System, fn: string, ...args: unknown[]) => s.gas.run(fn, args) as any;

/** Column (1-based) of a header in a tab of the live Sheet. */
function col(s: System, tab: string, name: string): number {
  return (s.gas.spreadsheet.active.sheet(tab).values()[0] as string[]).indexOf(name) + 1;
}

/** Every cell of every spreadsheet the emulator holds (the live Sheet and the archives), as text. */
function everyCell(s: System): string {
  return JSON.stringify(s.gas.spreadsheet.list().map((ss) => ss.sheetNames().map((n) => ss.sheet(n).values())));
}

/** The archive spreadsheet's rows of a tab (data rows, by header), across every archive. */
function archived(s: System, tab: string): Array<Record<string, unknown>> {
  const active = s.gas.spreadsheet.active;
  return s.gas.spreadsheet
    .list()
    .filter((ss) => ss !== active && ss.sheetNames().includes(tab))
    .flatMap((ss) => {
      const [header, ...rows] = ss.sheet(tab).values() as unknown[][];
      return rows.filter((r) => r.some((v) => v !== '')).map((r) => Object.fromEntries((header as string[]).map((h, i) => [h, r[i]])));
    });
}

/** Runs the nightly archive trigger (3h in Paris) at a given instant. */
function archiveAt(s: System, at: Date) {
  s.gas.clock.set(at);
  const out = s.gas.runDetailed('archive', [], { kind: 'trigger' });
  expect(out.error).toBeUndefined();
  return out.result as any;
}

const START = new Date('2023-10-02T08:00:00Z'); // a Monday, 10h in Paris

describe('eraseLead after archiving', () => {
  test('removes every row of the person in the archive, and says how many where', () => {
    const s = new System({ now: START });
    const camille = s.metaLead({ phone: '+33612345678', fullName: 'Camille Durand', email: 'camille@example.fr' });
    s.metaLead({ phone: '+33698765432', fullName: 'Julie Martin', email: 'julie@example.fr' });
    s.gas.userEdit('Leads', 2, col(s, 'Leads', 'status'), [['rejected']]);
    const report = archiveAt(s, new Date(START.getTime() + 200 * DAY));
    expect(report.archived).toMatchObject({ Leads: 1, Events: 2, Messages: 2 });
    expect(archived(s, 'Leads').map((l) => l.first_name)).toEqual(['Camille']);
    const id = archived(s, 'Leads')[0].id as string;

    const exported = run(s, 'exportLead', id);
    expect(exported.ok).toBe(true);
    const data = JSON.parse(exported.json);
    expect(data.archives).toHaveLength(1);
    expect(data.archives[0]).toMatchObject({ leads: [expect.objectContaining({ id })], messages: [expect.objectContaining({ lead_id: id })] });
    expect(data.archives[0].events.map((e: any) => e.event_id)).toEqual([camille.leadgenId]);

    const res = run(s, 'eraseLead', id);
    expect(res.ok).toBe(true);
    expect(res.archives).toEqual([{ name: expect.stringMatching(/Archives 2024$/), leads: 1, messages: 1, events: 1 }]);
    expect(res.message).toMatch(/Archives : Sirrius Ops – Archives 2024 : 1 lead, 1 message, 1 événement supprimés\./);
    expect(res.message).toMatch(/la dernière aura disparu au plus tard le \d{2}\/\d{2}\/\d{4}/);
    expect(archived(s, 'Leads')).toEqual([]);
    expect(archived(s, 'Messages').map((m) => m.to)).toEqual(['+33698765432']);
    expect(archived(s, 'Events').map((e) => e.event_id)).not.toContain(camille.leadgenId);
    expect(everyCell(s)).not.toMatch(/camille|612345678/i);
    expect(everyCell(s)).toMatch(/julie/i);
  });
});

describe('retention', () => {
  test('a prospect untouched for 37 months is deleted with its messages and journal rows; one who replied 2 months ago stays', () => {
    const s = new System({ now: START });
    const old = s.metaLead({ phone: '+33612345678', fullName: 'Ancien Prospect', email: 'ancien@example.fr' });
    const kept = s.metaLead({ phone: '+33698765432', fullName: 'Prospect Fidèle', email: 'fidele@example.fr' });
    // A year later the journals are archived; the leads, still `new`, stay live.
    archiveAt(s, new Date(START.getTime() + 365 * DAY));
    expect(archived(s, 'Messages')).toHaveLength(2);
    expect(archived(s, 'Events')).toHaveLength(2);
    const now = new Date(START.getTime() + (37 * 30.5 + 2) * DAY);
    // Two months before "now", the second one replies.
    s.gas.clock.set(new Date(now.getTime() - 61 * DAY));
    s.reply('+33698765432', 'Toujours intéressé, rappelez-moi');
    const report = archiveAt(s, now);
    expect(report.retention).toEqual({ leads: 1, messages: 1, events: 1, optOutsDigested: 0, complete: true });
    expect(s.rows('Leads').map((l) => l.first_name)).toEqual(['Prospect']);
    expect(archived(s, 'Messages').map((m) => m.to)).toEqual(['+33698765432']);
    // Her form stays, and her reply (archived in the same run, being past the journal's 35 days).
    expect(archived(s, 'Events').map((e) => e.source)).toEqual(['facebook', 'sms']);
    expect(archived(s, 'Events')[0].event_id).toBe(kept.leadgenId);
    expect(everyCell(s)).not.toMatch(/ancien@|"Ancien"|612345678/);
    expect(everyCell(s)).not.toContain(old.leadgenId);
    // The log holds counts only.
    const log = s.rows('Incidents').find((i) => i.type === 'gdpr_retention')!;
    expect(log).toMatchObject({ status: 'resolved', ref: '', title: 'Durée de conservation (RGPD) : 1 lead supprimé, 1 message supprimé, 1 événement supprimé' });
    // A second night finds nothing more.
    expect(archiveAt(s, new Date(now.getTime() + DAY)).retention).toMatchObject({ leads: 0 });
  });

  test('a client is kept while paying; an opted-out prospect past retention keeps only a digest in Opt_Outs', () => {
    const s = new System({ now: START });
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Stop' });
    s.reply('+33612345678', 'STOP');
    s.metaLead({ phone: '+33698765432', fullName: 'Client Payant' });
    s.gas.userEdit('Leads', 3, col(s, 'Leads', 'status'), [['converted']]);
    s.gas.userEdit('Leads', 3, col(s, 'Leads', 'mrr'), [[49]]);
    const report = archiveAt(s, new Date(START.getTime() + 40 * 31 * DAY));
    expect(report.retention).toMatchObject({ leads: 1, optOutsDigested: 1 });
    expect(s.rows('Leads').map((l) => l.first_name)).toEqual(['Client']);
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: expect.stringMatching(/^hmac:/), source: 'sms' })]);
    expect(everyCell(s)).not.toMatch(/612345678/);
  });
});

describe('an erased opted-out number', () => {
  test('known only to Opt_Outs (typed there by hand), it becomes a digest; a second erasure finds nothing', () => {
    const s = new System({ now: START });
    s.gas.userEdit('Opt_Outs', 2, 1, [['06 12 34 56 78']]);
    const res = run(s, 'eraseLead', '+33 6 12 34 56 78');
    expect(res).toMatchObject({ ok: true, leads: 0, optOutKept: true });
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: expect.stringMatching(/^hmac:/), source: 'saisie' })]);
    expect(everyCell(s)).not.toMatch(/612345678|12 34 56 78/);
    expect(run(s, 'eraseLead', '06 12 34 56 78')).toMatchObject({ ok: false, field: 'leadIdOrPhone' });
    s.metaLead({ phone: '+33612345678' });
    expect(s.providers.sms).toHaveLength(0);
  });

  test('is never texted again and appears in clear nowhere, in the workbook or the archives', () => {
    const s = new System({ now: START });
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Durand' });
    s.reply('+33612345678', 'STOP');
    archiveAt(s, new Date(START.getTime() + 200 * DAY)); // the opted-out lead and its journal go to the archive
    expect(archived(s, 'Leads')).toHaveLength(1);
    const res = run(s, 'eraseLead', '06 12 34 56 78');
    expect(res).toMatchObject({ ok: true, optOutKept: true });
    expect(everyCell(s)).not.toMatch(/612345678|12 34 56 78|camille/i);
    expect(s.rows('Opt_Outs')).toHaveLength(1);
    // She fills a form again: recorded (a new collection), never texted.
    s.gas.clock.set(new Date(START.getTime() + 201 * DAY));
    s.metaLead({ phone: '06 12 34 56 78', fullName: 'Camille Durand' });
    expect(s.providers.sms.filter((m) => m.to === '+33612345678' && Number(m.at) > START.getTime() + 200 * DAY)).toEqual([]);
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'opted_out', sms_sent: false });
    expect(s.rows('Opt_Outs')).toHaveLength(1);
  });
});

describe('eraseLead after archiving, on a Sheet that keeps a leading apostrophe', () => {
  test('rows written before the probe with the quote kept are found and erased in the archive too', () => {
    const s = new System({ now: START, switches: { plainTextApostrophe: 'keep' } });
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Durand', email: 'camille@example.fr' });
    s.metaLead({ phone: '+33698765432', fullName: 'Julie Martin', email: 'julie@example.fr' });
    // As the old table layer wrote them on such a Sheet: a quote kept as a character.
    const leads = s.gas.spreadsheet.active.sheet('Leads');
    const id = String(leads.values()[1][col(s, 'Leads', 'id') - 1]);
    for (const h of ['id', 'phone', 'email']) leads.writeValue(2, col(s, 'Leads', h), `'${leads.values()[1][col(s, 'Leads', h) - 1]}`);
    const messages = s.gas.spreadsheet.active.sheet('Messages');
    messages.writeValue(2, col(s, 'Messages', 'to'), "'+33612345678");
    messages.writeValue(2, col(s, 'Messages', 'lead_id'), `'${id}`);
    s.gas.userEdit('Leads', 2, col(s, 'Leads', 'status'), [['rejected']]);
    archiveAt(s, new Date(START.getTime() + 200 * DAY));
    expect(archived(s, 'Leads').map((l) => l.first_name)).toEqual(['Camille']);
    const res = run(s, 'eraseLead', id);
    expect(res).toMatchObject({ ok: true });
    expect(archived(s, 'Leads')).toEqual([]);
    expect(archived(s, 'Messages').map((m) => m.to)).toEqual(['+33698765432']);
    expect(everyCell(s)).not.toMatch(/camille|612345678/i);
  });
});
