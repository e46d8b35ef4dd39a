/**
 * Opting out is absolute (issue 16): every path by which a number opts out, tried as an operator
 * and as a lead would, through the built bundle. Each path records the number once in Opt_Outs
 * with its source, and no SMS ever reaches it afterwards (first send, retry, queued send).
 */
import { createHmac } from 'node:crypto';
import { System } from '../support/system';
import { envSwitches, sheetsDataCalls, TEST_PROPERTIES, testWithSimpleTriggerLock } from '../support/gas';

const MINUTE = 60000;
const run = (s: System, fn: string, ...args: unknown[]) => s.gas.run(fn, args) as any;

/** Column (1-based) of a header in a tab. */
function col(s: System, tab: string, name: string): number {
  const header = s.gas.spreadsheet.active.sheet(tab).values()[0] as string[];
  return header.indexOf(name) + 1;
}

/** The signed opt-out link's query for a lead id, as the SMS carries it. */
function linkQuery(leadId: string): Record<string, string> {
  const sig = createHmac('sha256', TEST_PROPERTIES.OPTOUT_SECRET).update(`optout:${leadId}`).digest('base64url').slice(0, 12);
  return { source: 'optout', l: leadId.replace(/^lead_/, ''), s: sig };
}

/** The state of the opt-out page (its data-state attribute). */
function pageState(html: string): string {
  return /data-state="(\w+)"/.exec(html)?.[1] ?? '';
}

/** Sets a Config value as the operator would, in the Sheet. */
function setConfig(s: System, key: string, value: unknown): void {
  const row = s.rows('Config').findIndex((r) => r.key === key);
  expect(row).toBeGreaterThanOrEqual(0);
  s.gas.userEdit('Config', row + 2, col(s, 'Config', 'value'), [[value]]);
}

/** SMS that Twilio accepted for a number. */
const smsTo = (s: System, to: string) => s.providers.sms.filter((m) => m.to === to);

describe('a lead set opted_out by hand (SOP OK #2 followed in the Sheet)', () => {
  testWithSimpleTriggerLock('onEdit records the number in Opt_Outs (source statut) and the next form is not texted', () => {
    const s = new System();
    // Off, the same person's second form is a lead of its own (issue 17 item 5 would note it on the
    // first lead, never reaching the send): this tries the opt-out rule at send time.
    setConfig(s, 'duplicate_window_days', 0);
    s.metaLead({ phone: '+33612345678' });
    expect(smsTo(s, '+33612345678')).toHaveLength(1);
    s.gas.userEdit('Leads', 2, col(s, 'Leads', 'status'), [['opted_out']]);
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'statut' })]);
    s.metaLead({ phone: '06 12 34 56 78', fullName: 'Camille Encore' });
    expect(smsTo(s, '+33612345678')).toHaveLength(1);
    expect(s.rows('Leads')[1]).toMatchObject({ status: 'opted_out', sms_sent: false });
    expect(s.rows('Opt_Outs')).toHaveLength(1);
  });

  test('where Google refuses a simple trigger the lock, onEdit does nothing and fails nothing; the send-time check still texts nothing', () => {
    const s = new System({ switches: { ...envSwitches(), simpleTriggerLock: false } });
    setConfig(s, 'duplicate_window_days', 0);
    s.metaLead({ phone: '+33612345678' });
    const before = s.rows('Leads')[0].updated_at;
    s.gas.clock.advance(60000);
    const edit = s.gas.userEdit('Leads', 2, col(s, 'Leads', 'status'), [['opted_out']]);
    expect(edit?.error).toBeUndefined();
    expect(s.rows('Opt_Outs')).toHaveLength(0);
    expect(s.rows('Leads')[0].updated_at).toEqual(before); // not stamped
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Encore' });
    expect(smsTo(s, '+33612345678')).toHaveLength(1);
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'statut' })]);
  });

  test('even when onEdit never ran, the send-time check finds the status, records it once, and texts nothing', () => {
    const s = new System();
    setConfig(s, 'duplicate_window_days', 0); // as above: new leads, so the send-time check is what runs
    s.metaLead({ phone: '+33612345678' });
    s.gas.userEdit('Leads', 2, col(s, 'Leads', 'status'), [['opted_out']], { fireOnEdit: false });
    expect(s.rows('Opt_Outs')).toHaveLength(0);
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Encore' });
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Troisième' });
    expect(smsTo(s, '+33612345678')).toHaveLength(1);
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'statut' })]);
    expect(s.rows('Leads').map((l) => l.status)).toEqual(['opted_out', 'opted_out', 'opted_out']);
  });

  test('the evening control records what onEdit missed and says so in its email', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    s.gas.userEdit('Leads', 2, col(s, 'Leads', 'status'), [['opted_out']], { fireOnEdit: false });
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z')); // 18h in Paris
    const report = s.gas.runDetailed('routineEvening', [], { kind: 'trigger' }).result as any;
    expect(report).toMatchObject({ ok: true, optOutsRecorded: 1 });
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'controle' })]);
    const mail = s.gas.mail.outbox.find((m) => /soir|Bilan|18h/i.test(m.subject) || /Opt_Outs/.test(m.body));
    expect(mail?.body ?? '').toMatch(/Ajouté à Opt_Outs \(lead passé au statut « opted_out » à la main\) : 06 12 34 56 78\./);
  });

  test('a Sheet with 60 leads set opted_out by hand: 50 recorded a night (bounded cost), the rest the next, none twice', () => {
    const s = new System();
    const statusCol = col(s, 'Leads', 'status');
    for (let i = 0; i < 60; i++) s.metaLead({ phone: `+336${String(30_000_000 + i).slice(-8)}`, fullName: `Personne ${i}`, email: `p${i}@example.fr` });
    s.gas.userEdit('Leads', 2, statusCol, Array.from({ length: 60 }, () => ['opted_out']), { fireOnEdit: false });
    s.gas.clock.set(new Date('2026-11-23T17:00:00Z'));
    const first = s.gas.runDetailed('routineEvening', [], { kind: 'trigger' });
    expect(first.result).toMatchObject({ ok: true, optOutsRecorded: 50 });
    expect(s.rows('Opt_Outs')).toHaveLength(50);
    s.gas.clock.set(new Date('2026-11-24T17:00:00Z'));
    const second = s.gas.runDetailed('routineEvening', [], { kind: 'trigger' });
    expect(second.result).toMatchObject({ ok: true, optOutsRecorded: 10 });
    const phones = s.rows('Opt_Outs').map((o) => o.phone);
    expect(new Set(phones).size).toBe(60);
    // The 10 cost one append and one search of their leads (and a few reads), not a round of calls each.
    s.gas.clock.set(new Date('2026-11-25T17:00:00Z'));
    const none = s.gas.runDetailed('routineEvening', [], { kind: 'trigger' });
    expect(none.result).toMatchObject({ ok: true, optOutsRecorded: 0 });
    expect(sheetsDataCalls(second.calls) - sheetsDataCalls(none.calls)).toBeLessThanOrEqual(12); // about 5 a number before
  });
});

describe('a number typed into Opt_Outs by hand', () => {
  test.each([['06 12 34 56 78'], ['0033 6 12 34 56 78'], ['06.12.34.56.78'], ['+33 6 12 34 56 78']])(
    '%j, even with onEdit missed, blocks the next SMS',
    (spelling) => {
      const s = new System();
      s.gas.userEdit('Opt_Outs', 2, col(s, 'Opt_Outs', 'phone'), [[spelling]], { fireOnEdit: false });
      s.metaLead({ phone: '+33612345678' });
      expect(s.providers.sms).toHaveLength(0);
      expect(s.rows('Leads')[0]).toMatchObject({ status: 'opted_out', sms_sent: false });
    },
  );

  testWithSimpleTriggerLock('onEdit writes it in E.164 with its date and source (saisie), and opts out the leads that have it', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    s.gas.userEdit('Opt_Outs', 2, col(s, 'Opt_Outs', 'phone'), [['06 12 34 56 78']]);
    expect(s.rows('Opt_Outs')).toEqual([
      { phone: '+33612345678', opted_out_at: expect.any(Date), reason: 'saisi à la main dans Opt_Outs', source: 'saisie' },
    ]);
    expect(s.rows('Leads')[0].status).toBe('opted_out');
    // A STOP later does not add a second row.
    s.reply('+33612345678', 'STOP');
    expect(s.rows('Opt_Outs')).toHaveLength(1);
  });
});

describe('Twilio refuses the number as unsubscribed (21610)', () => {
  test('recorded in Opt_Outs (source twilio), never retried, no sms_failure incident', () => {
    const s = new System();
    s.providers.twilioBlocked.add('+33612345678');
    s.metaLead({ phone: '+33612345678' });
    const posts = () => s.gas.fetchLog.filter((r: any) => /post/i.test(r.method) && /Messages\.json$/.test(r.url)).length;
    expect(posts()).toBe(1);
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'twilio' })]);
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'blocked' });
    expect(s.rows('Leads')[0].status).toBe('opted_out');
    for (let i = 0; i < 8; i++) s.reconcile(60 * MINUTE);
    expect(posts()).toBe(1);
    expect(s.rows('Incidents').filter((i) => i.type === 'sms_failure')).toHaveLength(0);
    // Even if Twilio forgets it (a START there), we never text it again.
    s.providers.twilioBlocked.delete('+33612345678');
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Encore' });
    expect(posts()).toBe(1);
  });
});

describe('the opt-out link', () => {
  test('of a deleted lead row finds the number through Messages and opts it out', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    const id = s.rows('Leads')[0].id as string;
    s.gas.spreadsheet.active.sheet('Leads').deleteRows(2, 1);
    const page = s.get({ ...linkQuery(id), confirm: '1' });
    expect(pageState(page.content)).toBe('done');
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'lien' })]);
    s.metaLead({ phone: '+33612345678' });
    expect(s.providers.sms).toHaveLength(1);
  });

  test('of an archived lead finds the number in the archive', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    const id = s.rows('Leads')[0].id as string;
    // Rejected 200 days ago, its SMS journal long done: the archive run moves both out.
    s.gas.userEdit('Leads', 2, col(s, 'Leads', 'status'), [['rejected']]);
    s.gas.clock.advance(200 * 24 * 60 * MINUTE);
    run(s, 'archive');
    expect(s.rows('Leads')).toHaveLength(0);
    expect(s.rows('Messages')).toHaveLength(0);
    const page = s.get({ ...linkQuery(id), confirm: '1' });
    expect(pageState(page.content)).toBe('done');
    expect(s.rows('Opt_Outs')).toEqual([expect.objectContaining({ phone: '+33612345678', source: 'lien' })]);
  });

  test('whose number cannot be found anywhere does not claim success, and gives the contact', () => {
    const s = new System();
    const page = s.get({ ...linkQuery('lead_1790000000000'), confirm: '1' });
    expect(pageState(page.content)).toBe('unknown');
    expect(page.content).toMatch(/n&#39;a pas pu être enregistrée/);
    expect(page.content).toContain(TEST_PROPERTIES.ALERT_EMAIL);
    expect(page.content).not.toMatch(/aucun SMS ne lui sera envoyé/);
  });

  test('opened again after opting out says the number is already unsubscribed', () => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    const id = s.rows('Leads')[0].id as string;
    expect(pageState(s.get(linkQuery(id)).content)).toBe('confirm');
    expect(pageState(s.get({ ...linkQuery(id), confirm: '1' }).content)).toBe('done');
    expect(pageState(s.get(linkQuery(id)).content)).toBe('already');
    expect(pageState(s.get({ ...linkQuery(id), confirm: '1' }).content)).toBe('already');
    expect(s.rows('Opt_Outs')).toHaveLength(1);
  });

  test('an invalid link gives the operator contact from Config', () => {
    const s = new System();
    const cfg = s.rows('Config').findIndex((r) => r.key === 'contact_email');
    expect(cfg).toBeGreaterThanOrEqual(0);
    s.gas.userEdit('Config', cfg + 2, col(s, 'Config', 'value'), [['contact@sirrius.example']]);
    const page = s.get({ source: 'optout', l: '123', s: 'wrongsignatur' });
    expect(pageState(page.content)).toBe('invalid');
    expect(page.content).toContain('contact@sirrius.example');
  });
});

describe('a queued SMS (quiet hours)', () => {
  const SUNDAY = new Date('2026-11-22T15:00:00Z');
  const MONDAY_8H05 = new Date('2026-11-23T07:05:00Z');

  test('goes to the lead number as corrected since, not the one it was queued for', () => {
    const s = new System({ now: SUNDAY });
    s.metaLead({ phone: '+33612345678' });
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'queued', to: '+33612345678' });
    s.gas.userEdit('Leads', 2, col(s, 'Leads', 'phone'), [['06 98 76 54 32']]);
    s.gas.clock.set(MONDAY_8H05);
    s.reconcile(0);
    expect(s.providers.sms.map((m) => m.to)).toEqual(['+33698765432']);
    expect(s.rows('Messages')[0]).toMatchObject({ status: 'sent', to: '+33698765432' });
  });

  test('is checked at send time: an opt-out recorded while it waited blocks it', () => {
    const s = new System({ now: SUNDAY });
    s.metaLead({ phone: '+33612345678' });
    s.gas.userEdit('Opt_Outs', 2, col(s, 'Opt_Outs', 'phone'), [['06 12 34 56 78']], { fireOnEdit: false });
    s.gas.clock.set(MONDAY_8H05);
    s.reconcile(0);
    expect(s.providers.sms).toHaveLength(0);
    expect(s.rows('Messages')[0].status).toBe('blocked');
  });
});

describe("Twilio's opt-in words", () => {
  test.each([['START'], ['unstop'], ['Start']])('%j after a STOP does not re-subscribe the number, and says so', (word) => {
    const s = new System();
    s.metaLead({ phone: '+33612345678' });
    s.reply('+33612345678', 'STOP');
    s.reply('+33612345678', word);
    expect(s.rows('Opt_Outs')).toHaveLength(1);
    expect(s.rows('Leads')[0].notes).toMatch(/ne réabonne pas ce numéro/);
    const mail = s.gas.mail.outbox.filter((m) => /SMS reçu/.test(m.subject)).pop();
    expect(mail?.body).toMatch(/ne le réabonne pas chez nous/);
    s.metaLead({ phone: '+33612345678', fullName: 'Camille Encore' });
    expect(s.providers.sms).toHaveLength(1);
  });
});
