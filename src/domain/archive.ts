/**
 * Archiving, the pure part: which rows of which tab leave the live Sheet, in what batches, and how
 * a row is recognised in the archive after a run cut off between its copy and its deletion.
 *
 * Leads leave when closed for longer than `archive_after_days`; the Events and Messages journals
 * when done for longer than `events_retention_days`. Opt_Outs never leave: the suppression list
 * must stay where every SMS checks it. No Sheets call here.
 */
import type { Config } from './config';

const DAY_MS = 86400000;

/** A live row as the archive reads it: header name -> raw cell value (raw: as getValues gives it). */
export type RawRow = Readonly<Record<string, unknown>>;

/** One tab the archive empties: its name, which rows may go, and the date column rows are roughly ordered by. */
export interface ArchivePlan {
  readonly tab: 'Leads' | 'Events' | 'Messages';
  /**
   * The columns of the date rows are appended in order of (creation date), the first filled one
   * counting. A window of rows none of which is older than `oldestCutoff` ends the scan:
   * everything below is younger, so nothing there can go.
   */
  readonly orderColumns: readonly string[];
  /** Rows created after this can never be archivable yet. */
  readonly oldestCutoff: Date;
  /** Whether a row leaves the live tab now. */
  readonly archivable: (row: RawRow) => boolean;
}

/** Lead statuses that close a lead (SPEC §1). `new` and `contacted` stay live however old. */
const CLOSED = new Set(['converted', 'rejected', 'opted_out']);
/** Journal rows in a final state (a `received`, `failed`, `queued`, `sending` row still has work to do). */
const EVENT_DONE = new Set(['processed', 'duplicate', 'ignored']);
const MESSAGE_DONE = new Set(['sent', 'delivered', 'undelivered', 'abandoned', 'skipped', 'blocked']);

/** The plans of one run, in the order they run: Leads first (the largest rows), then the journals. */
export function archivePlans(config: Pick<Config, 'archive_after_days' | 'events_retention_days'>, now: Date): ArchivePlan[] {
  const leadCutoff = cutoff(now, config.archive_after_days);
  const journalCutoff = cutoff(now, config.events_retention_days);
  return [
    {
      tab: 'Leads',
      orderColumns: ['created_at'],
      oldestCutoff: leadCutoff,
      archivable: (row) => {
        const status = text(row.status);
        if (!CLOSED.has(status)) return false;
        // A converted lead with a live subscription is a client: its failed payments find it by
        // stripe_customer_id (KO #3), so it stays until the subscription ends (mrr 0).
        if (status === 'converted' && number(row.mrr) > 0) return false;
        const closedAt = date(row.updated_at) ?? date(row.conversion_date) ?? date(row.created_at);
        return closedAt !== null && closedAt < leadCutoff;
      },
    },
    {
      tab: 'Events',
      orderColumns: ['received_at'],
      oldestCutoff: journalCutoff,
      archivable: (row) => EVENT_DONE.has(text(row.status)) && older(date(row.processed_at) ?? date(row.received_at), journalCutoff),
    },
    {
      tab: 'Messages',
      // queued_at: when the row was written; a row from before that column has only sent_at.
      orderColumns: ['queued_at', 'sent_at'],
      oldestCutoff: journalCutoff,
      // Dated by its last attempt, or when it was written if it never went (skipped, blocked).
      archivable: (row) => MESSAGE_DONE.has(text(row.status)) && older(date(row.sent_at) ?? date(row.queued_at), journalCutoff),
    },
  ];
}

/** `now` minus a number of days (a nonsense setting, negative or not a number, archives nothing). */
function cutoff(now: Date, days: number): Date {
  return Number.isFinite(days) && days > 0 ? new Date(now.getTime() - days * DAY_MS) : new Date(0);
}

function older(d: Date | null, limit: Date): boolean {
  return d !== null && d < limit;
}

/** Runs of consecutive indexes, as [first, count], in ascending order. `indexes` must be ascending. */
export function runsOf(indexes: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const i of indexes) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === i) last[1]++;
    else runs.push([i, 1]);
  }
  return runs;
}

/**
 * The rows a batch takes from a window: the archivable indexes, cut so that deleting them takes
 * at most `maxRuns` deleteRows calls (scattered closed leads would otherwise make one call each,
 * all while webhooks wait for the lock). `more` says the window still holds archivable rows.
 */
export function pickBatch(archivable: readonly boolean[], maxRuns: number): { picked: number[]; more: boolean } {
  const picked: number[] = [];
  let runs = 0;
  for (let i = 0; i < archivable.length; i++) {
    if (!archivable[i]) continue;
    const startsRun = i === 0 || !archivable[i - 1];
    if (startsRun && runs === maxRuns) return { picked, more: true };
    if (startsRun) runs++;
    picked.push(i);
  }
  return { picked, more: false };
}

/**
 * What identifies a row in the archive: its named cells, by header name (the archive's columns may
 * be in another order). Two rows alike in every cell are the same row for recovery purposes; they
 * are counted, so a genuine twin still in the live tab is copied rather than dropped.
 */
export function fingerprint(row: RawRow, names: readonly string[]): string {
  return JSON.stringify(names.map((n) => cellKey(row[n])));
}

function cellKey(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (Object.prototype.toString.call(v) === '[object Date]') return `D${(v as Date).getTime()}`;
  return v;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v);
}

function number(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(String(v ?? '').replace(',', '.'));
  return Number.isFinite(n) ? n : 0;
}

function date(v: unknown): Date | null {
  if (Object.prototype.toString.call(v) !== '[object Date]') return null;
  const d = v as Date;
  return isNaN(d.getTime()) ? null : d;
}

/** The archive spreadsheet's name: one per calendar year (Paris), so none ever nears the cell limit. */
export function archiveName(spreadsheetName: string, year: number): string {
  return `${spreadsheetName} – Archives ${year}`;
}
