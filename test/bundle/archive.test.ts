/**
 * The archive trigger through the bundle: what leaves the live Sheet and what stays, that nothing
 * is lost or doubled (even when the execution dies between the copy and the deletion), the
 * archive spreadsheet created on demand and linked from Config, and Opt_Outs never touched.
 * 5,000 leads keep it quick; the arithmetic at 400,000 leads is in docs/scale.md.
 */
import { CONFIG_DEFAULTS } from '../../src/domain/config';
import { ExecutionKilled, type SheetData } from '../../emulator';
import { System, setConfig } from '../support/system';
import { sheetsDataCalls, sheetWrites } from '../support/gas';

const DAY = 86400000;
const NOW = new Date('2026-11-23T02:00:00Z'); // Monday, 3h in Paris: when the trigger runs

type Row = Record<string, unknown>;

/** A lead row of every kind the archive must tell apart, in creation order (oldest first). */
function leadAt(i: number, total: number): Row {
  const created = new Date(NOW.getTime() - (800 - Math.floor((i * 790) / total)) * DAY);
  const kinds = ['rejected', 'opted_out', 'converted_paying', 'converted_ended', 'new', 'contacted'] as const;
  const kind = kinds[i % kinds.length];
  const status = kind.startsWith('converted') ? 'converted' : kind;
  return {
    id: `lead_${created.getTime() + i}`,
    created_at: created,
    source: 'facebook',
    fb_lead_id: String(900000 + i),
    status,
    first_name: `Prénom${i}`,
    last_name: '=NOM', // text that would be a formula: must stay text in the archive
    phone: `+3361${String(i).padStart(7, '0')}`,
    email: `lead${i}@example.fr`,
    sms_sent: i % 2 === 0,
    mrr: kind === 'converted_paying' ? 29 : 0,
    payment_failures: 0,
    notes: '',
    updated_at: new Date(created.getTime() + 10 * DAY),
  };
}

function seedTab(sheet: SheetData, rows: Row[]): void {
  const header = sheet.values()[0] as string[];
  sheet.seed(
    rows.map((r) => header.map((h) => (r[h] === undefined ? '' : r[h]))),
    2,
  );
}

/** A set-up system with `n` leads over ~800 days, and proportionate Events, Messages and Opt_Outs. */
function seeded(n: number) {
  const s = new System({ now: NOW });
  const ss = s.gas.spreadsheet.active;
  const leads = Array.from({ length: n }, (_, i) => leadAt(i, n));
  seedTab(ss.sheet('Leads'), leads);
  seedTab(
    ss.sheet('Events'),
    leads.map((l, i) => ({
      received_at: l.created_at,
      source: 'facebook',
      event_id: l.fb_lead_id,
      type: 'leadgen',
      status: i % 50 === 0 ? 'failed' : 'processed', // failed rows still have work: they stay
      attempts: 1,
      processed_at: l.created_at,
      payload: '{"entry":[]}',
    })),
  );
  seedTab(
    ss.sheet('Messages'),
    leads.map((l, i) => ({ sent_at: l.created_at, channel: 'sms', to: l.phone, lead_id: l.id, template: 'sms_nouveau_lead', status: i % 40 === 0 ? 'queued' : 'sent', attempts: 1 })),
  );
  seedTab(
    ss.sheet('Opt_Outs'),
    leads.filter((l) => l.status === 'opted_out').map((l) => ({ phone: l.phone, opted_out_at: l.updated_at, reason: 'réponse STOP', source: 'sms' })),
  );
  return { s, ss, leads };
}

/** Rows of a sheet as objects keyed by header. */
function rowsOf(sheet: SheetData): Row[] {
  const [header, ...data] = sheet.values() as unknown[][];
  return data.map((r) => Object.fromEntries((header as string[]).map((h, i) => [h, r[i]])));
}

/** What must leave: closed (converted without a live subscription, rejected, opted_out) and updated longer ago than Config's default. */
function expectedArchived(leads: Row[]): Row[] {
  const cutoff = NOW.getTime() - CONFIG_DEFAULTS.archive_after_days * DAY;
  return leads.filter((l) => ['rejected', 'opted_out', 'converted'].includes(l.status as string) && l.mrr === 0 && (l.updated_at as Date).getTime() < cutoff);
}

function archiveOf(s: System) {
  const archives = s.gas.spreadsheet.list().filter((x) => x.id !== s.gas.spreadsheet.active.id);
  expect(archives).toHaveLength(1);
  return archives[0];
}

const ids = (rows: Row[]) => rows.map((r) => r.id as string);

describe('archive', () => {
  test('moves closed leads and done journal rows past retention, losing and doubling nothing', () => {
    const { s, ss, leads } = seeded(5000);
    const optOutsBefore = ss.sheet('Opt_Outs').values();
    const run = s.gas.runDetailed('archive', [], { kind: 'trigger' });
    expect(run.error).toBeUndefined();
    const report = run.result as { archived: Record<string, number>; complete: boolean; recovered: number; url: string };
    const gone = expectedArchived(leads);
    expect(report).toMatchObject({ complete: true, recovered: 0, archived: { Leads: gone.length } });

    const archive = archiveOf(s);
    expect(archive.name).toBe('Sirrius Ops – Archives 2026');
    expect(archive.sheetNames()).toEqual(['Leads', 'Events', 'Messages']);
    expect(archive.sheet('Events').maxColumns).toBe(9); // trimmed: empty grid columns count against the cell limit
    const archived = rowsOf(archive.sheet('Leads'));
    const live = rowsOf(ss.sheet('Leads'));
    // Every lead is in exactly one place; the archive has exactly the closed ones, in order.
    expect(ids(archived)).toEqual(ids(gone));
    expect([...ids(live), ...ids(archived)].sort()).toEqual(ids(leads).sort());
    // Values survive the trip as they were: text stays text (phones, would-be formulas), dates stay dates.
    expect(archived[0]).toMatchObject({ phone: gone[0].phone, last_name: '=NOM', created_at: gone[0].created_at, sms_sent: gone[0].sms_sent, mrr: 0 });
    expect(archive.sheet('Leads').formulas().flat().filter((f) => f !== '')).toEqual([]);
    // Clients still paying, open leads and recently closed ones stay live.
    expect(live.filter((l) => l.status === 'converted' && l.mrr === 29).length).toBe(leads.filter((l) => l.mrr === 29).length);
    expect(live.filter((l) => l.status === 'new').length).toBe(leads.filter((l) => l.status === 'new').length);

    // Journals: done rows older than 35 days leave, failed/queued ones stay whatever their age.
    const liveEvents = rowsOf(ss.sheet('Events'));
    expect(liveEvents.every((e) => e.status === 'failed' || (e.received_at as Date).getTime() >= NOW.getTime() - 35 * DAY)).toBe(true);
    expect(liveEvents.length + rowsOf(archive.sheet('Events')).length).toBe(5000);
    expect(rowsOf(archive.sheet('Messages')).every((m) => m.status === 'sent')).toBe(true);
    expect(rowsOf(ss.sheet('Messages')).length + rowsOf(archive.sheet('Messages')).length).toBe(5000);

    // Opt_Outs never leave; Config links the archive.
    expect(ss.sheet('Opt_Outs').values()).toEqual(optOutsBefore);
    expect(s.rows('Config').find((c) => c.key === 'archive_spreadsheet_url')?.value).toBe(report.url);
    expect(report.url).toContain(archive.id);
    expect(s.gas.properties.script.get('ARCHIVE_PENDING') ?? '').toBe('');

    // A second run finds nothing, writes nothing, creates nothing.
    const again = s.gas.runDetailed('archive', [], { kind: 'trigger' });
    expect(again.result).toMatchObject({ archived: { Leads: 0, Events: 0, Messages: 0 }, complete: true });
    expect(sheetWrites(again.calls)).toBe(0);
    expect(s.gas.spreadsheet.list()).toHaveLength(2);
  });

  test('Messages rows are dated by when they were written (queued_at): an SMS never sent goes too, one still waiting stays', () => {
    const s = new System({ now: NOW });
    const old = new Date(NOW.getTime() - 400 * DAY);
    const recent = new Date(NOW.getTime() - 2 * DAY);
    const row = (r: Row): Row => ({ channel: 'sms', to: '+33612345678', template: 'sms_nouveau_lead', attempts: 0, ...r });
    seedTab(s.gas.spreadsheet.active.sheet('Messages'), [
      row({ lead_id: 'lead_a', queued_at: old, status: 'blocked' }), // queued, then the number opted out: never sent
      row({ lead_id: 'lead_b', queued_at: old, status: 'skipped' }), // queued, the lead was called first
      row({ lead_id: 'lead_c', queued_at: old, status: 'queued' }), // still waiting: work to do
      row({ lead_id: 'lead_d', sent_at: old, status: 'delivered' }), // written before queued_at existed
      row({ lead_id: 'lead_e', queued_at: old, sent_at: recent, status: 'delivered' }), // sent lately: dated by its send
      row({ lead_id: 'lead_f', queued_at: recent, sent_at: recent, status: 'delivered' }),
    ]);
    const run = s.gas.runDetailed('archive', [], { kind: 'trigger' });
    expect(run.error).toBeUndefined();
    expect(rowsOf(s.gas.spreadsheet.active.sheet('Messages')).map((r) => r.lead_id)).toEqual(['lead_c', 'lead_e', 'lead_f']);
    expect(rowsOf(archiveOf(s).sheet('Messages')).map((r) => r.lead_id)).toEqual(['lead_a', 'lead_b', 'lead_d']);
  });

  test('an idle run reads a few windows and creates no archive', () => {
    const { s } = seeded(3000);
    setConfig(s, 'archive_after_days', 5000);
    setConfig(s, 'events_retention_days', 5000);
    const run = s.gas.runDetailed('archive', [], { kind: 'trigger' });
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ archived: { Leads: 0, Events: 0, Messages: 0 }, url: null });
    expect(sheetWrites(run.calls)).toBe(0);
    expect(s.gas.spreadsheet.list()).toHaveLength(1);
    // Config (header, getLastRow, getValues); GDPR retention: the Leads header, one getLastRow and
    // one getValues for its first window (nothing created 36 months ago: it stops there); then per
    // tab: its header, and one getLastRow and one getValues for the first window, which holds
    // nothing old enough: the scan stops there.
    expect(run.calls.byMethod('Sheets')).toMatchObject({ 'Range.getValues': 2 + 2 + 3 * 2, 'Sheet.getLastRow': 1 + 1 + 3 });
    expect(sheetsDataCalls(run.calls)).toBe(3 + 3 + 3 * 3);
  });

  test.each([
    ['right after the copy', 'Range.setValues'],
    ['after the first deletion', 'Sheet.deleteRows'],
  ])('killed %s, the next run finishes the batch without a second copy', (_label, method) => {
    const { s, ss, leads } = seeded(2000);
    let armed = true;
    s.gas.afterCall = (service, m) => {
      if (!armed || service !== 'Sheets' || m !== method) return;
      const archive = s.gas.spreadsheet.list().find((x) => x.id !== ss.id);
      // The copy of the first batch of leads has landed in the archive: die now.
      if (archive?.findSheet('Leads') && archive.sheet('Leads').lastRow > 1) {
        armed = false;
        throw new ExecutionKilled(m);
      }
    };
    const killed = s.gas.runDetailed('archive', [], { kind: 'trigger' });
    expect(killed.killed).toBe(true);
    s.gas.afterCall = undefined;
    expect(s.gas.properties.script.get('ARCHIVE_PENDING')).toMatch(/^Leads\|/);
    // Between the two runs, some leads are in both places: that is the point of copying first.
    const archive = archiveOf(s);
    const inBoth = ids(rowsOf(archive.sheet('Leads'))).filter((id) => ids(rowsOf(ss.sheet('Leads'))).includes(id));
    expect(inBoth.length).toBeGreaterThan(0);

    const resumed = s.gas.runDetailed('archive', [], { kind: 'trigger' });
    expect(resumed.error).toBeUndefined();
    expect((resumed.result as { recovered: number }).recovered).toBe(inBoth.length);
    const archived = ids(rowsOf(archive.sheet('Leads')));
    expect(new Set(archived).size).toBe(archived.length);
    expect(archived).toEqual(ids(expectedArchived(leads)));
    expect([...ids(rowsOf(ss.sheet('Leads'))), ...archived].sort()).toEqual(ids(leads).sort());
    expect(s.gas.properties.script.get('ARCHIVE_PENDING')).toBe('');
  });

  test('archives into this year\'s spreadsheet: a new year gets a new one, linked from Config', () => {
    const { s } = seeded(600);
    s.gas.run('archive', [], { kind: 'trigger' });
    const first = s.rows('Config').find((c) => c.key === 'archive_spreadsheet_url')?.value;
    s.gas.clock.set(new Date('2027-01-15T02:00:00Z'));
    s.gas.run('archive', [], { kind: 'trigger' });
    const second = s.rows('Config').find((c) => c.key === 'archive_spreadsheet_url')?.value;
    expect(second).not.toBe(first);
    expect(s.gas.spreadsheet.list().map((x) => x.name)).toEqual(['Sirrius Ops', 'Sirrius Ops – Archives 2026', 'Sirrius Ops – Archives 2027']);
  });
});
