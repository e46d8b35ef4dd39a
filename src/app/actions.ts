/**
 * The frame of every function a person starts (menu, sidebar, script editor): it takes the
 * script lock, builds the context, and turns any exception into a French refusal, so that no
 * exception ever reaches the sidebar or the caller (SPEC §5 functions never throw).
 */
import { LockBusy, withScriptLock } from '../adapters/lock';
import { refused, type ActionResult } from '../shared/types';
import { Ctx } from './context';
import { FR } from '../ui/strings.fr';
import { refusal } from './guard';

/** How long a person's action waits for a webhook or a trigger to finish. */
const ACTION_LOCK_MS = 20000;

/**
 * Runs an action under the script lock; never throws. Only for a person who can edit the Sheet:
 * anyone else is refused before anything is read (src/app/guard.ts).
 */
export function runAction<T extends object>(fn: (ctx: Ctx) => ActionResult<T>, ctx?: Ctx): ActionResult<T> {
  const denied = refusal('action');
  if (denied) return denied;
  let context: Ctx | null = ctx ?? null;
  try {
    return withScriptLock(() => {
      // A context passed in was built before the lock: its shared state is read again now.
      if (context) context.settings.reload();
      return fn((context ??= Ctx.gas()));
    }, ACTION_LOCK_MS);
  } catch (e) {
    if (e instanceof LockBusy) return refused(FR.actions.busy);
    const message = e instanceof Error ? e.message : String(e);
    return refused(FR.actions.failed(context ? context.redact(message) : 'erreur interne'));
  }
}

/** A text argument, trimmed, or '' when the caller passed anything else. */
export function textArg(value: unknown, max = 500): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}
