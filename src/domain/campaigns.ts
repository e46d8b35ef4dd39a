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
