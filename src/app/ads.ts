/**
 * The Facebook campaigns of Ads_Control (KO #2): pausing and resuming them through the Graph API
 * (`POST /{campaign_id}` with `status`), and reading back their name and effective_status. The
 * tab is a short list typed by the operator, so it is read whole (two calls whatever its size).
 * The caller holds the script lock.
 */
import { ADS_CONTROL, type RowOf } from '../domain/schema';
import { CAMPAIGN_ID, adAccountPath, isGoneStatus, isPausedStatus, type PausedBy } from '../domain/campaigns';
import type { Stored } from '../adapters/sheets';
import type { Ctx } from './context';
import { FR } from '../ui/strings.fr';

type CampaignRow = Stored<typeof ADS_CONTROL>;

/** What a pause, resume or sync did, campaign by campaign. */
export interface CampaignsReport {
  /** Campaign ids changed (paused, resumed or synced). */
  changed: string[];
  /** Campaigns already in the wanted state: nothing sent. */
  unchanged: number;
  /** Campaigns the Graph API refused, with its error (also written to Ads_Control.last_error). */
  failed: Array<{ id: string; error: string }>;
}

/** The rows of Ads_Control that name a campaign. */
export function campaignRows(ctx: Ctx): CampaignRow[] {
  return ctx
    .table(ADS_CONTROL)
    .readAll()
    .filter((r) => r.campaign_id.trim() !== '');
}

/**
 * Pauses every campaign of Ads_Control that is not paused yet, and marks it: ads_paused TRUE,
 * effective_status PAUSED, paused_at, paused_reason and who paused (only capacity pauses resume
 * by themselves the next day). A campaign the API refuses keeps ads_paused FALSE, with the error.
 */
export function pauseAllCampaigns(ctx: Ctx, reason: string, by: PausedBy, rows: CampaignRow[] = campaignRows(ctx)): CampaignsReport {
  const report: CampaignsReport = { changed: [], unchanged: 0, failed: [] };
  for (const row of rows) {
    if (row.ads_paused) {
      report.unchanged++;
      continue;
    }
    const id = row.campaign_id.trim();
    const error = setStatus(ctx, id, 'PAUSED');
    if (error) {
      record(ctx, row, { last_error: error });
      report.failed.push({ id, error });
      continue;
    }
    record(ctx, row, { ads_paused: true, effective_status: 'PAUSED', paused_at: ctx.now(), paused_reason: reason, paused_by: by, last_error: '' });
    report.changed.push(id);
  }
  return report;
}

/**
 * Resumes the paused campaigns of Ads_Control (`only`: just those paused by that step, e.g.
 * `capacity` for the next-day resume), and clears their pause columns.
 */
export function resumeAllCampaigns(ctx: Ctx, only?: PausedBy, rows: CampaignRow[] = campaignRows(ctx)): CampaignsReport {
  const report: CampaignsReport = { changed: [], unchanged: 0, failed: [] };
  for (const row of rows) {
    if (!row.ads_paused || (only && row.paused_by !== only)) {
      report.unchanged++;
      continue;
    }
    const id = row.campaign_id.trim();
    const error = setStatus(ctx, id, 'ACTIVE');
    if (error) {
      record(ctx, row, { last_error: error });
      report.failed.push({ id, error });
      continue;
    }
    record(ctx, row, { ads_paused: false, effective_status: 'ACTIVE', paused_at: null, paused_reason: '', paused_by: '', last_error: '' });
    report.changed.push(id);
  }
  return report;
}

/**
 * Reads each campaign's name and effective_status from the Graph API into Ads_Control, with
 * last_sync. A campaign paused or resumed in Ads Manager has its ads_paused brought in line.
 */
export function syncAllCampaigns(ctx: Ctx, rows: CampaignRow[] = campaignRows(ctx)): CampaignsReport {
  const report: CampaignsReport = { changed: [], unchanged: 0, failed: [] };
  for (const row of rows) {
    const id = row.campaign_id.trim();
    const fetched = CAMPAIGN_ID.test(id) ? ctx.graph().campaign(id) : { ok: false as const, error: FR.ads.badCampaignId };
    if (!fetched.ok) {
      const error = ctx.redact(fetched.error).slice(0, 500);
      record(ctx, row, { last_error: error });
      report.failed.push({ id, error });
      continue;
    }
    const { name, effectiveStatus } = fetched.value;
    const changes: Partial<RowOf<typeof ADS_CONTROL>> = { campaign_name: name, effective_status: effectiveStatus, last_sync: ctx.now(), last_error: '' };
    const paused = isPausedStatus(effectiveStatus);
    if (paused && !row.ads_paused) {
      Object.assign(changes, { ads_paused: true, paused_at: ctx.now(), paused_reason: FR.ads.pausedElsewhere, paused_by: 'ads_manager' });
    } else if (!paused && effectiveStatus === 'ACTIVE' && row.ads_paused) {
      Object.assign(changes, { ads_paused: false, paused_at: null, paused_reason: '', paused_by: '' });
    }
    record(ctx, row, changes);
    report.changed.push(id);
  }
  return report;
}

/** What finding the account's campaigns did. */
export interface DiscoveryReport {
  /** FB_AD_ACCOUNT_ID is set (else nothing was asked). */
  configured: boolean;
  /** Every campaign id the account listed (known or new). */
  listed: string[];
  added: string[];
  updated: string[];
  error?: string;
}

/** The ad account of FB_AD_ACCOUNT_ID as a Graph path (`act_…`), or null when unset or malformed. */
export function adAccount(ctx: Ctx): string | null {
  return adAccountPath(ctx.settings.get('FB_AD_ACCOUNT_ID'));
}

/**
 * Keeps Ads_Control in step with the ad account (`GET /act_{id}/campaigns`, every page): a new
 * campaign gets a row, a known one its name and effective_status. Only our columns are written,
 * never ads_paused nor the pause columns of a known row (the operator's and the capacity step's
 * decisions), nor an operator's own columns. Archived and deleted campaigns are not added.
 * `touchSync`: also date last_sync on every listed row (the 9h routine, the sidebar); setup()
 * writes only what changed, so that a second setup() writes nothing. The caller holds the lock.
 */
export function discoverCampaigns(ctx: Ctx, touchSync = true): DiscoveryReport {
  const account = adAccount(ctx);
  if (!account) return { configured: false, listed: [], added: [], updated: [] };
  const listed = ctx.graph().adCampaigns(account);
  if (!listed.ok) return { configured: true, listed: [], added: [], updated: [], error: ctx.redact(listed.error).slice(0, 500) };
  const table = ctx.table(ADS_CONTROL);
  const known = new Map(campaignRows(ctx).map((r) => [r.campaign_id.trim(), r]));
  const report: DiscoveryReport = { configured: true, listed: listed.value.map((c) => c.id), added: [], updated: [] };
  const now = ctx.now();
  const fresh: Array<Partial<RowOf<typeof ADS_CONTROL>>> = [];
  for (const c of listed.value) {
    const row = known.get(c.id);
    if (!row) {
      if (isGoneStatus(c.effectiveStatus)) continue;
      fresh.push({ campaign_id: c.id, campaign_name: c.name, ads_paused: false, effective_status: c.effectiveStatus, last_sync: now, last_error: '' });
      report.added.push(c.id);
      continue;
    }
    const changed = row.campaign_name !== c.name || row.effective_status !== c.effectiveStatus || row.last_error !== '';
    if (!changed && !touchSync) continue;
    record(ctx, row, { campaign_name: c.name, effective_status: c.effectiveStatus, last_sync: now, last_error: '' });
    if (changed) report.updated.push(c.id);
  }
  if (fresh.length) table.append(fresh);
  return report;
}

/** Changes a campaign's status through Graph; the error (redacted, short) or null. */
function setStatus(ctx: Ctx, id: string, status: 'PAUSED' | 'ACTIVE'): string | null {
  if (!CAMPAIGN_ID.test(id)) return FR.ads.badCampaignId;
  const res = ctx.graph().setCampaignStatus(id, status);
  return res.ok ? null : ctx.redact(res.error).slice(0, 500);
}

/** Writes a campaign's changes (the table layer batches adjacent columns into one write). */
function record(ctx: Ctx, row: CampaignRow, changes: Partial<RowOf<typeof ADS_CONTROL>>): void {
  ctx.table(ADS_CONTROL).update(row._row, changes);
}
