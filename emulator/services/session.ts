/** Session fake: the script's time zone and locale, and the active / effective users. */
import type { Execution } from '../core';
import { strict } from '../core';

/** The time zone of the script project (appsscript.json). */
export const SCRIPT_TIME_ZONE = 'Europe/Paris';

/** The `Session` global of one execution. `userEmail` is the script owner, who runs every execution. */
export function makeSession(exec: Execution, userEmail: string): GoogleAppsScript.Base.Session {
  const user = (email: string) => strict(exec, 'Session', 'User', { getEmail: () => email, toString: () => email });
  return strict(exec, 'Session', 'Session', {
    getScriptTimeZone: () => SCRIPT_TIME_ZONE,
    // A web app executing as the owner does not see an anonymous visitor's identity.
    getActiveUser: () => user(exec.kind === 'web' ? '' : userEmail),
    getEffectiveUser: () => user(userEmail),
    getActiveUserLocale: () => 'fr',
    getTemporaryActiveUserKey: () => 'emulator-temp-key-' + Buffer.from(userEmail).toString('base64url'),
  }) as unknown as GoogleAppsScript.Base.Session;
}
