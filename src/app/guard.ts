/**
 * The guard of every global other than doGet, doPost, onOpen and onEdit (SPEC §5): called by each
 * frame (runAction, runRoutine, guarded) before anything reads a property or a cell or calls a
 * provider. The decision is src/domain/guard.ts; this file only asks Apps Script the facts, and
 * refuses when asking fails (fail closed).
 */
import { isOwnTrigger, isSheetPerson, triggerUidOf } from '../domain/guard';
import { refused } from '../shared/types';
import { FR } from '../ui/strings.fr';

/** The answer to a caller who may not run the back office (no data, no detail). */
export type Refusal = { ok: false; error: string };

/**
 * Whether this execution's person was found to be the Sheet's (Apps Script gives each execution a
 * fresh top level, so this never outlives the call: runNow calling a routine asks once).
 */
let personChecked: boolean | null = null;
/** Set once a frame let this execution's caller in. */
let allowed = false;

/** Whether the person running this execution can edit the Sheet (menu, sidebar, script editor). */
function sheetPerson(): boolean {
  if (personChecked !== null) return personChecked;
  try {
    // Blank for an anonymous web-app visitor: refused before any other call.
    const email = Session.getActiveUser().getEmail();
    if (!email) return (personChecked = false);
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const owner = ss.getOwner();
    const editors = ss.getEditors().map((u) => u.getEmail());
    personChecked = isSheetPerson(email, owner ? owner.getEmail() : null, editors);
  } catch (e) {
    personChecked = false;
  }
  return personChecked;
}

/** Whether `event` is the event of one of this project's clock triggers installed for `handler`. */
function ownTrigger(handler: string, event: unknown): boolean {
  const uid = triggerUidOf(event);
  if (uid === null) return false;
  try {
    const triggers = ScriptApp.getProjectTriggers().map((t) => ({
      uid: String(t.getUniqueId()),
      handler: t.getHandlerFunction(),
      clock: String(t.getEventType()) === String(ScriptApp.EventType.CLOCK),
    }));
    return isOwnTrigger(uid, handler, triggers);
  } catch (e) {
    return false;
  }
}

/**
 * Null when the caller may run `handler` (its own time-driven trigger, given its event object,
 * or a person who can edit the Sheet); otherwise the refusal to answer. Logs only the function's name.
 */
export function refusal(handler: string, event?: unknown): Refusal | null {
  if (allowed || ownTrigger(handler, event) || sheetPerson()) {
    // Whatever this execution calls next (runNow runs a routine) is the same caller's.
    allowed = true;
    return null;
  }
  console.warn(`${handler}: refusé (ni un éditeur du classeur, ni un déclencheur du projet)`);
  return refused(FR.guard.refused) as Refusal;
}

/** The frame of a global that is neither a runAction nor a routine: the guard, then the function. */
export function guarded<T>(handler: string, fn: () => T, event?: unknown): T | Refusal {
  return refusal(handler, event) ?? fn();
}
