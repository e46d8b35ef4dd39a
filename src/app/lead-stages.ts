/**
 * Lead stages to Meta (issue 21, SPEC §3): with META_DATASET_ID set, each Meta lead's CRM stage
 * (received, contacted, converted, rejected) is sent to the Conversions API for Conversion Leads
 * (`POST /{dataset_id}/events`), once per lead and stage, in order, within Meta's 7-day window.
 *
 * Each stage is an outbound effect like an SMS: a Messages row (channel `meta`, template
 * `meta_<stage>`, provider_id the event id `<leadgen id>_<stage>`) written `sending` before the
 * call and settled after it. A failure leaves the row `failed` with a backoff and the lead in a
 * Script Property that reconcile reads (idle: no Sheets call); later stages wait for it, so Meta
 * gets them in order. A stage is never sent twice: a `sent` row is final, and a `sending` row left
 * by a dead execution is sent again with the same event_id, which Meta deduplicates. A stage older
 * than 7 days is not sent: its row says `skipped` with a note. The caller holds the script lock.
 */
import { MESSAGES } from '../domain/schema';
import { STAGE_WINDOW_MS, stageEvent, stageEventId, stagesReached, type LeadStage } from '../domain/ads';
import type { Stored } from '../adapters/sheets';
import type { Ctx } from './context';
import { findLead, type Lead } from './leads';
import { FR } from '../ui/strings.fr';

type Message = Stored<typeof MESSAGES>;

/** Messages.channel of a stage sent to Meta. */
export const META_CHANNEL = 'meta';
const PENDING_KEY = 'META_STAGES_PENDING';
/** Attempts of one stage before it is abandoned (about a day with the backoff). */
const MAX_ATTEMPTS = 8;
/** Leads retried per reconcile run. */
const PER_RUN = 10;

const template = (stage: LeadStage) => `meta_${stage}`;

function pending(ctx: Ctx): string[] {
  return ctx.settings.state(PENDING_KEY).split(',').filter(Boolean);
}

function setPending(ctx: Ctx, ids: string[]): void {
  const text = [...new Set(ids)].slice(-200).join(',');
  if (text !== ctx.settings.state(PENDING_KEY)) ctx.settings.setState(PENDING_KEY, text);
}

/** 5 min, 10, 20… between attempts, at most 6 h. */
function backoffMs(attempts: number): number {
  return Math.min(5 * 60000 * 2 ** Math.max(0, attempts - 1), 6 * 3600000);
}

/**
 * Sends the stages the lead has reached and Meta does not have yet, in order; stops at the first
 * failure (the rest wait for reconcile). `fresh`: the lead was created in this execution, so it has
 * no stage row yet (saves a lookup). Nothing without META_DATASET_ID or for a lead not from Meta.
 */
export function sendLeadStages(ctx: Ctx, lead: Lead, fresh = false): { sent: number; failed: number } {
  const dataset = ctx.settings.get('META_DATASET_ID').trim();
  const result = { sent: 0, failed: 0 };
  if (!/^\d{1,25}$/.test(dataset)) return result;
  const now = ctx.now();
  const stages = stagesReached(lead, now);
  if (stages.length === 0) return result;
  const messages = ctx.table(MESSAGES);
  const rows = new Map<string, Message>();
  if (!fresh) {
    for (const r of messages.findRows('lead_id', lead.id)) {
      const m = messages.readRow(r);
      if (m.channel === META_CHANNEL) rows.set(m.template, m);
    }
  }
  for (const { stage, at } of stages) {
    const row = rows.get(template(stage));
    if (row && /^(sent|skipped|abandoned)$/.test(row.status)) continue;
    if (row && row.status === 'failed' && row.next_attempt_at && row.next_attempt_at.getTime() > now.getTime()) {
      result.failed++;
      break; // its backoff runs: this stage and the later ones wait
    }
    const base = { channel: META_CHANNEL, to: lead.fb_lead_id, lead_id: lead.id, template: template(stage), provider_id: stageEventId(lead.fb_lead_id, stage) };
    if (now.getTime() - at.getTime() > STAGE_WINDOW_MS) {
      // Never sent: an existing row keeps the time of its last attempt, a new one has none.
      const skipped = { ...base, status: 'skipped', error: FR.adsAccount.stageDropped(stage), next_attempt_at: null };
      if (row) messages.update(row._row, skipped);
      else messages.append([{ ...skipped, queued_at: now, attempts: 0 }]);
      continue;
    }
    const attempts = (row?.attempts ?? 0) + 1;
    const marked = { ...base, sent_at: now, status: 'sending', attempts, error: '', next_attempt_at: null };
    const rowNumber = row ? (messages.update(row._row, marked), row._row) : messages.append([{ ...marked, queued_at: now }]);
    const res = ctx.graph().sendEvents(dataset, [stageEvent(lead.fb_lead_id, stage, at)]);
    if (res.ok) {
      messages.update(rowNumber, { status: 'sent', error: '' });
      result.sent++;
      continue;
    }
    const error = ctx.redact(res.error).slice(0, 500);
    const abandoned = attempts >= MAX_ATTEMPTS;
    messages.update(rowNumber, { status: abandoned ? 'abandoned' : 'failed', error, next_attempt_at: abandoned ? null : new Date(now.getTime() + backoffMs(attempts)) });
    if (abandoned) continue; // the later stages may still go (Meta then misses one step, noted on the row)
    result.failed++;
    setPending(ctx, [...pending(ctx), lead.id]);
    break;
  }
  return result;
}

/** From anywhere a lead's stage changes: sends what is due, never failing the caller. */
export function leadStageChanged(ctx: Ctx, lead: Lead, fresh = false): void {
  if (!ctx.settings.get('META_DATASET_ID') || !/^\d/.test(lead.fb_lead_id)) return;
  try {
    sendLeadStages(ctx, lead, fresh);
  } catch (e) {
    console.error(`lead stages: ${ctx.redact(e instanceof Error ? e.message : String(e))}`);
    setPending(ctx, [...pending(ctx), lead.id]);
  }
}

/** reconcile: the leads whose stage failed before (a Script Property: idle, no Sheets call). */
export function retryLeadStages(ctx: Ctx): { sent: number; failed: number } {
  const ids = pending(ctx);
  const total = { sent: 0, failed: 0 };
  if (ids.length === 0) return total;
  const still: string[] = [];
  for (const id of ids.slice(0, PER_RUN)) {
    const lead = findLead(ctx, id);
    if (!lead) continue;
    const r = sendLeadStages(ctx, lead);
    total.sent += r.sent;
    total.failed += r.failed;
    if (r.failed) still.push(id);
  }
  // sendLeadStages may have re-added a lead: keep what failed again and those not reached this run.
  setPending(ctx, [...still, ...ids.slice(PER_RUN)]);
  return total;
}
