/**
 * Who may run the back office (SPEC §5, last paragraph): a person who can edit the Sheet, or the
 * project's own time-driven trigger. Pure: src/app/guard.ts gathers the facts from Apps Script.
 *
 * Google lets any page the web app serves call any global through google.script.run, executing as
 * the owner. There, `Session.getActiveUser().getEmail()` is blank for an anonymous visitor (a
 * visitor of the owner's Workspace domain may be shown), so a caller is a Sheet person only when
 * that email is known and is the Sheet's owner or one of its editors. A time-driven trigger's event
 * carries `triggerUid`, which must name one of the project's triggers for that very function.
 * Anything else, or any doubt, is a refusal.
 */
import { emailKey } from './input';

/** A time-driven trigger as `ScriptApp.getProjectTriggers()` lists it. */
export interface ProjectTrigger {
  uid: string;
  handler: string;
  clock: boolean;
}

/** The `triggerUid` of a time-driven trigger's event object, or null when the argument is no such event. */
export function triggerUidOf(arg: unknown): string | null {
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return null;
  const uid = (arg as { triggerUid?: unknown }).triggerUid;
  if (typeof uid === 'number' && Number.isFinite(uid)) return String(uid);
  return typeof uid === 'string' && uid !== '' && uid.length <= 100 ? uid : null;
}

/** Whether a trigger event is one of this project's clock triggers, installed for the function it runs. */
export function isOwnTrigger(uid: string, handler: string, triggers: readonly ProjectTrigger[]): boolean {
  return triggers.some((t) => t.clock && t.uid === uid && t.handler === handler);
}

/** Whether a known (non-blank) email is the Sheet's owner or one of its editors, in any case. */
export function isSheetPerson(activeEmail: string, owner: string | null, editors: readonly string[]): boolean {
  const me = emailKey(activeEmail);
  if (me === '' || !me.includes('@')) return false;
  return [owner ?? '', ...editors].some((email) => email !== '' && emailKey(email) === me);
}
