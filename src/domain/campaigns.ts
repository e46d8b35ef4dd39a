/**
 * Meta ad campaigns as the Graph API returns them (`GET /{campaign_id}?fields=name,effective_status`)
 * and as Ads_Control records them. Ids stay strings: they have 18 digits, beyond a JS number.
 */
import * as v from 'valibot';
import { fail, ok, type Result } from './result';

/** A campaign id: digits only (an id typed with spaces or a letter is refused before any call). */
export const CAMPAIGN_ID = /^\d{1,25}$/;

/** Who paused a campaign (Ads_Control.paused_by): the capacity step, or a person. */
export type PausedBy = 'capacity' | 'operator' | 'ads_manager';

const GraphCampaign = v.looseObject({
  name: v.pipe(v.string(), v.maxLength(1000)),
  effective_status: v.pipe(v.string(), v.regex(/^[A-Z_]{1,40}$/)),
});

/** What Ads_Control keeps of a campaign. */
export interface Campaign {
  name: string;
  effectiveStatus: string;
}

/** Parses the Graph answer of `GET /{campaign_id}?fields=name,effective_status`. */
export function parseCampaign(json: unknown): Result<Campaign> {
  const parsed = v.safeParse(GraphCampaign, json);
  return parsed.success ? ok({ name: parsed.output.name, effectiveStatus: parsed.output.effective_status }) : fail('graph: invalid campaign');
}

/** Whether Graph's answer to `POST /{campaign_id}` says the change was made (`{"success": true}`). */
export function updateSucceeded(json: unknown): boolean {
  return (json as { success?: unknown } | null)?.success === true;
}

/** Whether an effective_status means that the campaign does not deliver because it is paused. */
export function isPausedStatus(status: string): boolean {
  return status === 'PAUSED' || status === 'CAMPAIGN_PAUSED';
}

const ListedCampaign = v.looseObject({
  id: v.pipe(v.string(), v.regex(CAMPAIGN_ID)),
  name: v.pipe(v.string(), v.maxLength(1000)),
  effective_status: v.pipe(v.string(), v.regex(/^[A-Z_]{1,40}$/)),
});

/** A campaign of the ad account, as `GET /act_{id}/campaigns?fields=id,name,status,effective_status` lists it. */
export interface ListedCampaign {
  id: string;
  name: string;
  effectiveStatus: string;
}

/** A page of a Graph edge: its items, and the cursor of the next page (only when Graph gives `next`). */
export function parseGraphPage(json: unknown): Result<{ data: unknown[]; after: string | null }> {
  const page = v.safeParse(v.looseObject({ data: v.array(v.unknown()), paging: v.optional(v.looseObject({ cursors: v.optional(v.looseObject({ after: v.optional(v.string()) })), next: v.optional(v.string()) })) }), json);
  if (!page.success) return fail('graph: invalid page');
  const paging = page.output.paging;
  return ok({ data: page.output.data, after: paging?.next && paging.cursors?.after ? paging.cursors.after : null });
}

/** One page of the account's campaigns, and the cursor of the next one. */
export function parseCampaignPage(json: unknown): Result<{ campaigns: ListedCampaign[]; after: string | null }> {
  const page = parseGraphPage(json);
  if (!page.ok) return page;
  const campaigns: ListedCampaign[] = [];
  for (const item of page.value.data) {
    const c = v.safeParse(ListedCampaign, item);
    if (c.success) campaigns.push({ id: c.output.id, name: c.output.name, effectiveStatus: c.output.effective_status });
  }
  return ok({ campaigns, after: page.value.after });
}

/** Campaigns that will never deliver again: not listed in Ads_Control. */
export function isGoneStatus(status: string): boolean {
  return status === 'ARCHIVED' || status === 'DELETED';
}

/** An ad account id as Graph wants it in a path (`act_` and digits), or null. */
export function adAccountPath(id: string): string | null {
  const digits = id.trim().replace(/^act_/, '');
  return /^\d{1,25}$/.test(digits) ? `act_${digits}` : null;
}
