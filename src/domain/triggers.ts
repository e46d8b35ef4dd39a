/**
 * The time-driven triggers setup() installs (SPEC §5): one daily trigger per routine at its
 * Paris hour, and `reconcile` every 5 minutes. Pure: the app layer reads what exists and applies the plan.
 */

/** A trigger to install. */
export type TriggerSpec =
  | { readonly handler: string; readonly kind: 'daily'; readonly hour: number }
  | { readonly handler: string; readonly kind: 'minutes'; readonly every: 1 | 5 | 10 | 15 | 30 };

/** The schedule of the SOPs' routines and of the polling that makes webhooks optional. */
export const TRIGGER_PLAN: readonly TriggerSpec[] = [
  { handler: 'routineMorning', kind: 'daily', hour: 9 },
  { handler: 'routineNoon', kind: 'daily', hour: 12 },
  { handler: 'routineAfternoon', kind: 'daily', hour: 15 },
  { handler: 'routineEvening', kind: 'daily', hour: 18 },
  // Every 5 minutes: 288 runs a day; an idle run costs a few Sheets calls (see bench/).
  { handler: 'reconcile', kind: 'minutes', every: 5 },
  // Daily at 3h, when nobody works and no SMS goes out: moves closed leads and old journal rows to the archive.
  { handler: 'archive', kind: 'daily', hour: 3 },
];

/**
 * What to create: each planned trigger whose handler has no trigger yet (triggers are matched
 * by handler name: Apps Script does not expose a trigger's schedule), and whose handler exists
 * in the bundle (a trigger to a missing function would fail every time it fires).
 */
export function planTriggers(
  existingHandlers: readonly string[],
  handlerExists: (name: string) => boolean,
  plan: readonly TriggerSpec[] = TRIGGER_PLAN,
): { create: TriggerSpec[]; missingHandlers: string[] } {
  const existing = new Set(existingHandlers);
  const create: TriggerSpec[] = [];
  const missingHandlers: string[] = [];
  for (const spec of plan) {
    if (existing.has(spec.handler)) continue;
    if (handlerExists(spec.handler)) create.push(spec);
    else missingHandlers.push(spec.handler);
  }
  return { create, missingHandlers };
}

/**
 * Whether the account running setup() may install the triggers. Google runs an installable trigger
 * as the account that created it and shows it only to that account, so a second editor running
 * setup() would see none and install a second set. The triggers belong to whoever installed them
 * first (`recorded`, Script Property TRIGGERS_OWNER), by default the Sheet's owner; an unknown
 * account never installs.
 */
export function triggerOwnership(recorded: string, installer: string, sheetOwner: string): { install: boolean; owner: string } {
  const key = (email: string) => email.trim().toLowerCase();
  if (key(installer) === '') return { install: false, owner: recorded || sheetOwner };
  const owner = recorded || sheetOwner || installer;
  return { install: key(owner) === key(installer), owner };
}

/** WEBHOOK_TOKEN is in every webhook URL: shorter than this, it could be guessed, and the web app refuses it. */
export const MIN_WEBHOOK_TOKEN_LENGTH = 24;
