/** Session fake: the script's time zone and locale, and the active / effective users. */
import type { Execution } from '../core';
import { strict } from '../core';

/** The time zone of the script project (appsscript.json). */
export const SCRIPT_TIME_ZONE = 'Europe/Paris';

/**
 * The `Session` global of one execution. `identity` comes from the runner: in a web app executing
 * as the owner the active user is blank for an anonymous visitor and the effective user is the
 * owner; at a sidebar both are the person; in a trigger, its creator (see AppsScript's RunOptions).
 */
export function makeSession(exec: Execution, identity: { active: string; effective: string }): GoogleAppsScript.Base.Session {
  const user = (email: string) => strict(exec, 'Session', 'User', { getEmail: () => email, toString: () => email });
  return strict(exec, 'Session', 'Session', {
    getScriptTimeZone: () => SCRIPT_TIME_ZONE,
    getActiveUser: () => user(identity.active),
    getEffectiveUser: () => user(identity.effective),
    getActiveUserLocale: () => 'fr',
    getTemporaryActiveUserKey: () => 'emulator-temp-key-' + Buffer.from(identity.active || `anonymous-${exec.id}`).toString('base64url'),
  }) as unknown as GoogleAppsScript.Base.Session;
}
