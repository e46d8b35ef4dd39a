/**
 * Which Meta lead forms reconcile polls: those of FB_FORM_IDS and every active form of the page,
 * listed from the Graph API once an hour, so that a new form nobody added to FB_FORM_IDS (or an
 * empty FB_FORM_IDS) does not leave its lost webhooks unrecovered. The forms the page has and
 * FB_FORM_IDS lacks are shown in the morning report and the Configuration sidebar.
 */
import { fail, ok, type Result } from '../domain/result';
import type { Ctx } from './context';

/** `epoch ms|id,id,…`: the page's forms as last listed (Script Properties). */
const LISTED_KEY = 'FB_FORMS_LISTED';
const LIST_EVERY_MS = 3600000;

/** The form ids of FB_FORM_IDS (well-formed ones). */
export function configuredForms(ctx: Ctx): string[] {
  return ctx.settings
    .get('FB_FORM_IDS')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => /^\d{1,25}$/.test(f));
}

/**
 * The page's active forms: from Script Properties when listed within the hour, else from Graph
 * (`GET /{FB_PAGE_ID or me}/leadgen_forms`). An error when Graph cannot tell and nothing was listed.
 */
export function pageForms(ctx: Ctx): Result<string[]> {
  const [at, ids] = ctx.settings.state(LISTED_KEY).split('|');
  const listed = ids ? ids.split(',').filter(Boolean) : [];
  if (Number(at) > ctx.now().getTime() - LIST_EVERY_MS) return ok(listed);
  const fetched = ctx.graph().leadForms(ctx.settings.state('FB_PAGE_ID') || 'me');
  if (!fetched.ok) return at ? ok(listed) : fail(ctx.redact(fetched.error));
  ctx.settings.setState(LISTED_KEY, `${ctx.now().getTime()}|${fetched.value.join(',')}`);
  return ok(fetched.value);
}

/**
 * The forms reconcile polls: FB_FORM_IDS and the page's forms. When the page's forms cannot be
 * listed, FB_FORM_IDS alone (an error only when it is empty too: then nothing can be polled).
 */
export function pollableForms(ctx: Ctx): Result<string[]> {
  const configured = configuredForms(ctx);
  const page = pageForms(ctx);
  if (!page.ok) return configured.length ? ok(configured) : page;
  return ok([...new Set([...configured, ...page.value])]);
}

/** The page's forms missing from FB_FORM_IDS, as last listed (no Graph call): for the warnings. */
export function formsMissingFromConfig(ctx: Ctx): string[] {
  const ids = ctx.settings.state(LISTED_KEY).split('|')[1] ?? '';
  const configured = new Set(configuredForms(ctx));
  return ids.split(',').filter((id) => id && !configured.has(id));
}
