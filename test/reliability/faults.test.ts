/**
 * Any single fault (issue 10): for every outbound call of a scenario (Stripe, Graph, Twilio:
 * an error status or a thrown exception), every email, every Sheets API read (refused, as when its
 * quota is spent) and every Sheets write (the execution killed right after it), the scenario is played with that one fault, then reconcile runs; the
 * end state equals the fault-free one: nothing lost, nothing doubled.
 */
import { ExecutionKilled } from '../../emulator';
import { SHEET_WRITE_METHODS } from '../support/gas';
import type { System } from '../support/system';
import { LEADS, makeEvent, newWorld, outcome, type Outcome } from './world';
import { recordFigure } from './figures';

const SCENARIO = ['lead:0', 'lead:1', 'checkout:0', 'failed:0:1', 'reply:0', 'stop:1', 'failed:0:2', 'paid:0'];
/**
 * After each delivery, reconcile runs twice (6 and 16 minutes later: past the first backoff), as
 * its 5-minute trigger would, so that a fault is recovered before the next event: two events
 * that depend on each other (a lead, then its STOP) keep their order, as in the fault-free run.
 */
const RECONCILE_AFTER_EACH = [6 * 60000, 10 * 60000];

type Fault = { kind: 'fetch-status' | 'fetch-throw' | 'mail' | 'sheets-api' | 'kill-after-write'; nth: number };

/** Plays the scenario with at most one fault, then lets reconcile recover; counts the calls it saw. */
function run(fault: Fault | null): { result: Outcome; seen: { fetch: number; mail: number; api: number; write: number } } {
  const s = newWorld();
  const seen = { fetch: 0, mail: 0, api: 0, write: 0 };
  let armed = true;
  const router = s.gas.fetch!;
  s.gas.fetch = (req) => {
    if (armed) seen.fetch++;
    if (armed && fault?.nth === seen.fetch && fault.kind === 'fetch-status') return { status: 503, body: { error: { message: 'injected' } } };
    return router(req);
  };
  s.gas.beforeCall = (service, method) => {
    if (!armed) return undefined;
    if (method === 'UrlFetchApp.fetch' && fault?.kind === 'fetch-throw' && fault.nth === seen.fetch + 1) return 'Address unavailable (injected)';
    if (method === 'MailApp.sendEmail' && ++seen.mail === fault?.nth && fault.kind === 'mail') return 'Service invoked too many times for one day: email.';
    if (method === 'Spreadsheets.Values.batchGet' && ++seen.api === fault?.nth && fault.kind === 'sheets-api') return 'API call to sheets.spreadsheets.values.batchGet failed with error: Quota exceeded (injected)';
    return undefined;
  };
  s.gas.afterCall = (service, method) => {
    if (!armed || service !== 'Sheets' || !SHEET_WRITE_METHODS.includes(method)) return;
    if (++seen.write === fault?.nth && fault.kind === 'kill-after-write') throw new ExecutionKilled(method);
  };
  for (const key of SCENARIO) {
    s.gas.clock.advance(60000);
    const deliver = makeEvent(s, key);
    try {
      deliver();
    } catch (e) {
      if (!(e instanceof ExecutionKilled)) throw e;
    }
    armed = false;
    for (const wait of RECONCILE_AFTER_EACH) s.reconcile(wait);
    armed = true;
  }
  armed = false;
  return { result: normalize(s, outcome(s)), seen };
}

/**
 * What must be equal: the tabs without times, lead ids by the lead's email, Twilio sids and the
 * bookkeeping columns of retries (attempts, errors, payload tags); rows in a stable order.
 */
function normalize(s: System, o: Outcome): Outcome {
  const [leadHeader, ...leads] = o.tabs.Leads as string[][];
  const byId = new Map(leads.map((r) => [r[leadHeader.indexOf('id')], `LEAD<${r[leadHeader.indexOf('email')]}>`]));
  const text = (v: unknown): unknown => {
    if (v instanceof Date || Object.prototype.toString.call(v) === '[object Date]') return 'DATE';
    if (typeof v !== 'string') return v;
    return v
      .replace(/lead_\d{13}(-\d+)?/g, (id) => byId.get(id) ?? 'LEAD<?>')
      .replace(/\d\d\/\d\d\/\d{4}( \d\d:\d\d)?/g, 'DATE')
      .replace(/\bSM[0-9a-f]{32}\b/g, 'SID')
      .replace(/inc_\d+/g, 'INC')
      .replace(/https:\/\/script\.google\.com\/\S+/g, 'URL');
  };
  const drop: Record<string, string[]> = {
    Events: ['attempts', 'last_error', 'payload', 'received_at', 'processed_at'],
    Messages: ['attempts', 'error', 'next_attempt_at', 'provider_id'],
  };
  const tabs: Record<string, unknown[][]> = {};
  for (const [name, [header, ...rows]] of Object.entries(o.tabs)) {
    if (!header) continue; // the spreadsheet's empty default sheet
    if (name === 'Dashboard') continue; // a summary of the other tabs, rewritten whenever reconcile runs after a change
    const keep = (header as string[]).map((h, i) => (drop[name]?.includes(h) ? -1 : i)).filter((i) => i >= 0);
    const clean = rows.map((r) => keep.map((i) => text(r[i])));
    tabs[name] = [keep.map((i) => header[i]), ...clean.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))];
  }
  void s;
  const sortBy = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    tabs,
    sms: sortBy(o.sms.map((m) => ({ to: m.to, body: String(text(m.body)), at: 0 }))),
    mails: sortBy(o.mails),
    graphPosts: sortBy(o.graphPosts),
  };
}

const clean = run(null);

test('the fault-free scenario does what it says', () => {
  const leads = clean.result.tabs.Leads as unknown[][];
  expect(leads).toHaveLength(LEADS.length - 1 + 1); // header + Camille + Julien
  expect(clean.result.sms.map((m) => m.to).sort()).toEqual([LEADS[0].phone, LEADS[1].phone].sort());
  expect(clean.seen.fetch).toBeGreaterThan(10);
  expect(clean.seen.write).toBeGreaterThan(20);
  expect(clean.seen.api).toBeGreaterThan(3); // each webhook reads its headers in one Sheets API call
});

const faults: Fault[] = [
  ...Array.from({ length: clean.seen.fetch }, (_, i) => ({ kind: 'fetch-status' as const, nth: i + 1 })),
  ...Array.from({ length: clean.seen.fetch }, (_, i) => ({ kind: 'fetch-throw' as const, nth: i + 1 })),
  ...Array.from({ length: clean.seen.mail }, (_, i) => ({ kind: 'mail' as const, nth: i + 1 })),
  ...Array.from({ length: clean.seen.api }, (_, i) => ({ kind: 'sheets-api' as const, nth: i + 1 })),
  ...Array.from({ length: clean.seen.write }, (_, i) => ({ kind: 'kill-after-write' as const, nth: i + 1 })),
];

test.each(faults.map((f) => [`${f.kind} #${f.nth}`, f] as const))('%s: after reconcile, the fault-free end state', (_name, fault) => {
  const { result } = run(fault);
  expect(result).toEqual(clean.result);
});

afterAll(() => recordFigure('single_faults', { faults: faults.length, fetches: clean.seen.fetch, emails: clean.seen.mail, sheets_api_reads: clean.seen.api, sheet_writes: clean.seen.write }));
