/**
 * The burst model of `npm run bench` (issue 23): how long the 25th lead of a burst waits for its
 * SMS when 10, 30 or 100 Meta leads arrive within a minute, and how long 200 Stripe renewals sent in
 * one second take to be applied. The per-execution costs are measured on the built bundle (the same
 * call logs and cost model as the rest of the bench); the contention between executions is a
 * seeded discrete-event simulation of the script lock, Apps Script's 30 simultaneous executions, the
 * "busy" answer and reconcile's trigger. bench/README.md states every assumption.
 */
import { fixture } from '../emulator/providers';
import { System } from '../test/support/system';
import { breakdown, segments } from './model';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The model's assumptions (bench/README.md, "The burst model", gives the source of each). */
export const BURST = {
  /** Google's front end and a fresh V8 execution before doPost runs: not published; "a few hundred ms". */
  webAppStartMs: 300,
  /** Meta posts the webhook this long after the form is sent: not published; seconds in practice. */
  metaDelayMs: [1 * SECOND, 5 * SECOND] as const,
  /** How long a webhook waits for the script lock before answering "busy" (src/app/webapp.ts). */
  lockWaitMs: 8 * SECOND,
  /** How long reconcile waits for the lock (src/entry.ts). */
  reconcileLockWaitMs: 30 * SECOND,
  /** Apps Script: 30 simultaneous executions per user; one more fails at once. */
  maxConcurrent: 30,
  /** reconcile's trigger period (setup installs every 5 minutes). */
  reconcilePeriodMs: 5 * MINUTE,
  /** How late Google runs a time-driven trigger: not published; up to 90 s assumed. */
  triggerLatenessMs: [0, 90 * SECOND] as const,
  /**
   * Meta's and Stripe's redelivery of a webhook answered "busy": Meta retries for 36 h and Stripe for
   * 3 days, on schedules they do not publish; the model assumes none inside the burst (worst case):
   * reconcile alone recovers them.
   */
  providerRetry: 'none within the burst',
  seed: 23,
} as const;

/** Mulberry32: a small seeded generator, so the report is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What one kind of webhook costs, split at the script lock, and reconcile's cost per recovered item. */
export interface Costs {
  /** Before the lock (token check, properties), while holding it, after releasing it. */
  webhook: { beforeLock: number; held: number; afterLock: number };
  /** Provider calls and emails made while holding the lock (what a narrower lock would move out). */
  heldOutbound: number;
  /** reconcile: its fixed cost, and each recovered item's. */
  reconcileBase: number;
  reconcilePerItem: number;
  /** Where one webhook's time goes (ms by kind of call). */
  breakdown?: Record<string, number>;
}

export interface BurstResult {
  name: string;
  count: number;
  /** Form (or Stripe's send) to the SMS (or the event applied), in ms, for each item. */
  latencies: number[];
  busy: number;
  refused: number;
  lost: number;
  webhookSeconds: number;
  triggerSeconds: number;
  reconcileRuns: number;
  /** reconcile runs that found something to apply. */
  catchUpRuns: number;
}

interface Waiter {
  id: number;
  since: number;
  kind: 'webhook' | 'reconcile';
}

/**
 * Simulates `count` items arriving over `spreadMs` (Meta leads or Stripe events): each webhook
 * execution takes the lock for its held time, or answers busy after lockWaitMs; reconcile fires
 * every period (random phase, random lateness), takes the lock and applies every item that has
 * arrived at the provider and is still not applied. `narrowLock`: the provider calls of a webhook
 * are made outside the lock (the design alternative of issue 23).
 */
export function simulate(name: string, count: number, spreadMs: number, costs: Costs, opts: { narrowLock?: boolean; delay?: readonly [number, number] } = {}): BurstResult {
  const random = rng(BURST.seed + count);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const delay = opts.delay ?? BURST.metaDelayMs;
  const held = opts.narrowLock ? costs.webhook.held - costs.heldOutbound : costs.webhook.held;
  const outside = opts.narrowLock ? costs.heldOutbound : 0;
  const created = Array.from({ length: count }, (_, i) => (count === 1 ? 0 : (i * spreadMs) / (count - 1)));
  const arrivals = created.map((t, i) => ({ id: i, at: t + between(delay[0], delay[1]) })).sort((a, b) => a.at - b.at);
  const appliedAt: Array<number | null> = created.map(() => null);
  let busy = 0;
  let refused = 0;
  let webhookMs = 0;
  let triggerMs = 0;
  let reconcileRuns = 0;
  let catchUpRuns = 0;

  // The lock: free at `lockFreeAt`; waiters queue; when it frees, one waiter (chosen at random:
  // Apps Script does not document the order) takes it, unless its wait has run out.
  let lockFreeAt = 0;
  const running: number[] = []; // end times of executions in progress (for the 30-execution limit)
  const phase = between(0, BURST.reconcilePeriodMs);
  const triggers: number[] = [];
  for (let k = 0; k < 40; k++) triggers.push(phase + k * BURST.reconcilePeriodMs + between(BURST.triggerLatenessMs[0], BURST.triggerLatenessMs[1]));

  type Job = { at: number; kind: 'webhook' | 'reconcile'; id: number };
  const jobs: Job[] = [...arrivals.map((a) => ({ at: a.at + BURST.webAppStartMs + costs.webhook.beforeLock, kind: 'webhook' as const, id: a.id })), ...triggers.map((t, k) => ({ at: t, kind: 'reconcile' as const, id: k }))];
  jobs.sort((a, b) => a.at - b.at);
  const waiting: Array<Waiter & { deadline: number }> = [];

  const start = (job: Waiter, at: number) => {
    if (job.kind === 'webhook') {
      const end = at + held;
      lockFreeAt = end;
      if (appliedAt[job.id] === null) appliedAt[job.id] = end;
      webhookMs += end - job.since + costs.webhook.afterLock + outside;
      running.push(end + costs.webhook.afterLock);
    } else {
      reconcileRuns++;
      const backlog = created.map((c, i) => ({ c, i })).filter(({ c, i }) => appliedAt[i] === null && c <= at);
      if (backlog.length > 0) catchUpRuns++;
      let t = at + costs.reconcileBase;
      for (const { i } of backlog) {
        t += costs.reconcilePerItem;
        appliedAt[i] = t;
      }
      lockFreeAt = t;
      triggerMs += t - job.since;
      running.push(t);
    }
  };

  // Events in time order: job arrivals, and lock releases handing the lock to a waiter.
  let now = 0;
  const grant = () => {
    // Expire the waits that ran out before the lock freed.
    for (let w = waiting.length - 1; w >= 0; w--) {
      if (waiting[w].deadline < lockFreeAt) {
        const [gone] = waiting.splice(w, 1);
        if (gone.kind === 'webhook') {
          busy++;
          webhookMs += gone.deadline - gone.since;
        } else triggerMs += gone.deadline - gone.since;
        running.push(gone.deadline);
      }
    }
    if (waiting.length === 0) return;
    const [next] = waiting.splice(Math.floor(random() * waiting.length), 1);
    start(next, Math.max(lockFreeAt, next.since));
  };
  for (const job of jobs) {
    while (waiting.length > 0 && lockFreeAt <= job.at) grant();
    now = job.at;
    if (job.kind === 'reconcile' && appliedAt.every((a) => a !== null) && now > arrivals[arrivals.length - 1].at) break;
    // Apps Script refuses an execution beyond 30 in progress (those waiting for the lock count).
    const inProgress = running.filter((end) => end > now).length + waiting.length;
    if (inProgress >= BURST.maxConcurrent) {
      if (job.kind === 'webhook') refused++;
      continue;
    }
    const wait = job.kind === 'webhook' ? BURST.lockWaitMs : BURST.reconcileLockWaitMs;
    if (lockFreeAt <= now && waiting.length === 0) start({ id: job.id, since: now, kind: job.kind }, now);
    else waiting.push({ id: job.id, since: now, kind: job.kind, deadline: now + wait });
  }
  while (waiting.length > 0) grant();
  const latencies = appliedAt.map((a, i) => (a === null ? Infinity : a - created[i]));
  return { name, count, latencies, busy, refused, lost: latencies.filter((l) => !Number.isFinite(l)).length, webhookSeconds: webhookMs / 1000, triggerSeconds: triggerMs / 1000, reconcileRuns, catchUpRuns };
}

/** The p-th percentile (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ---- the costs, measured on the bundle ----------------------------------------------------------

function metaCosts(): Costs {
  const s = new System();
  s.metaLead({ phone: '+33699999999' }); // warm-up: Config cached, today's Capacity row made
  const one = s.metaLead({ fullName: 'Camille Durand', phone: '+33612349999', email: 'camille.burst@example.fr' }).response!.calls;
  const seg = segments(one);
  const outbound = one.count('UrlFetch', ['UrlFetchApp.fetch']) * 200 + one.count('Mail', ['MailApp.sendEmail']) * 300;
  const reconcileWith = (k: number) => {
    const r = new System();
    r.reconcile(0); // first run: the cursors
    for (let i = 0; i < k; i++) r.metaLead({ fullName: `Manqué ${i}`, phone: `+336${String(20_000_000 + i).slice(-8)}`, email: `m${i}@example.fr` }, false);
    const out = r.reconcile(5 * MINUTE);
    if (out.error) throw out.error;
    return segments(out.calls).total;
  };
  const [r0, r20] = [reconcileWith(0), reconcileWith(20)];
  return { webhook: seg, heldOutbound: outbound, reconcileBase: r0, reconcilePerItem: (r20 - r0) / 20, breakdown: breakdown(one) };
}

function stripeCosts(): Costs {
  const s = new System();
  const lead = s.metaLead({ fullName: 'Client Renouvelé', phone: '+33612340000', email: 'renouvele@example.fr' });
  void lead;
  const leadId = String(s.rows('Leads').at(-1)?.id);
  const sub = s.providers.stripeSubscription({ customer: 'cus_Burst01', amount: 2900 });
  const checkout = fixture('stripe/events/checkout.session.completed.json');
  s.post('stripe', JSON.stringify(s.providers.stripeEvent(checkout, { object: { client_reference_id: leadId, customer: 'cus_Burst01', subscription: sub.id } })));
  const paid = fixture('stripe/events/invoice.paid.json');
  const renewal = () => s.providers.stripeEvent(paid, { object: { customer: 'cus_Burst01', parent: { ...paid.data.object.parent, subscription_details: { metadata: {}, subscription: sub.id } } } });
  s.post('stripe', JSON.stringify(renewal())); // warm-up
  const one = s.post('stripe', JSON.stringify(renewal())).calls;
  const seg = segments(one);
  const outbound = one.count('UrlFetch', ['UrlFetchApp.fetch']) * 200 + one.count('Mail', ['MailApp.sendEmail']) * 300;
  s.reconcile(5 * MINUTE);
  const r0 = segments(s.reconcile(5 * MINUTE).calls).total;
  for (let i = 0; i < 20; i++) renewal();
  const out = s.reconcile(5 * MINUTE);
  if (out.error) throw out.error;
  const r20 = segments(out.calls).total;
  return { webhook: seg, heldOutbound: outbound, reconcileBase: r0, reconcilePerItem: (r20 - r0) / 20 };
}

// ---- the report ---------------------------------------------------------------------------------

interface Row {
  scenario: string;
  design: string;
  result: BurstResult;
  target: string;
  pass: boolean;
}

const fmt = (ms: number) => (Number.isFinite(ms) ? (ms >= MINUTE ? `${(ms / MINUTE).toFixed(1)} min` : `${(ms / SECOND).toFixed(1)} s`) : 'never');

/** Runs the burst scenarios under both lock designs and returns the printed table and the data. */
export function burstReport(): { lines: string[]; rows: Array<Omit<Row, 'result'> & { p50: number; p95: number; worst: number; busy: number; refused: number; lost: number; triggerSeconds: number; webhookSeconds: number }>; costs: Record<string, Costs> } {
  const meta = metaCosts();
  const stripe = stripeCosts();
  const rows: Row[] = [];
  for (const narrowLock of [false, true]) {
    const design = narrowLock ? 'lock around writes only (model)' : 'lock for the whole run (built)';
    for (const n of [10, 30, 100]) {
      const result = simulate(`${n} Meta leads in 60 s`, n, 60 * SECOND, meta, { narrowLock });
      const p95 = percentile(result.latencies, 95);
      const worst = Math.max(...result.latencies);
      const [target, pass] =
        n === 30 ? ['p95 <= 60 s, none lost', p95 <= 60 * SECOND && result.lost === 0] : n === 100 ? ['all within 10 min', worst <= 10 * MINUTE && result.lost === 0] : ['(no target)', result.lost === 0];
      rows.push({ scenario: result.name, design, result, target, pass });
    }
    const renewals = simulate('200 invoice.paid in 1 s', 200, SECOND, stripe, { narrowLock, delay: [0, 0] });
    // "All applied within one reconcile period after the burst": the first reconcile run after the
    // burst applies every event the webhooks could not (none is left for a second period).
    rows.push({ scenario: renewals.name, design, result: renewals, target: 'all applied by the first reconcile after the burst', pass: renewals.catchUpRuns <= 1 && renewals.lost === 0 });
  }
  const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));
  const lpad = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
  const lines = [
    'Bursts (issue 23): time from the form (or Stripe\'s send) to the SMS (or the event applied), simulated',
    `  costs measured on the bundle: Meta lead ${fmt(meta.webhook.beforeLock)} before the lock, ${fmt(meta.webhook.held)} holding it (${fmt(meta.heldOutbound)} of provider calls); reconcile ${fmt(meta.reconcileBase)} + ${fmt(meta.reconcilePerItem)} a lead`,
    `  where a Meta lead's time goes: ${Object.entries(meta.breakdown ?? {}).sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${k} ${Math.round(ms)} ms`).join(', ')}`,
    `  invoice.paid ${fmt(stripe.webhook.held)} holding the lock; reconcile ${fmt(stripe.reconcileBase)} + ${fmt(stripe.reconcilePerItem)} an event`,
    [pad('scenario', 25), pad('design', 33), lpad('p50', 8), lpad('p95', 8), lpad('worst', 9), lpad('busy', 6), lpad('refused', 8), lpad('lost', 5), lpad('trigger s', 10), '  target'].join(''),
  ];
  for (const r of rows) {
    const l = r.result.latencies;
    lines.push(
      [
        pad(r.scenario, 25),
        pad(r.design, 33),
        lpad(fmt(percentile(l, 50)), 8),
        lpad(fmt(percentile(l, 95)), 8),
        lpad(fmt(Math.max(...l)), 9),
        lpad(String(r.result.busy), 6),
        lpad(String(r.result.refused), 8),
        lpad(String(r.result.lost), 5),
        lpad(r.result.triggerSeconds.toFixed(0), 10),
        `  ${r.pass ? 'PASS' : 'FAIL'} ${r.target}`,
      ].join(''),
    );
  }
  return {
    lines,
    rows: rows.map(({ result, ...r }) => ({
      ...r,
      p50: Math.round(percentile(result.latencies, 50)),
      p95: Math.round(percentile(result.latencies, 95)),
      worst: Math.round(Math.max(...result.latencies)),
      busy: result.busy,
      refused: result.refused,
      lost: result.lost,
      triggerSeconds: Math.round(result.triggerSeconds),
      webhookSeconds: Math.round(result.webhookSeconds),
    })),
    costs: { meta, stripe },
  };
}

if (require.main === module) process.stdout.write(burstReport().lines.join('\n') + '\n');
