/**
 * The one lock wrapper: every execution that writes takes the script lock, so that two
 * deliveries of one event, a trigger and a menu click never interleave their writes.
 */

/** Thrown when the lock could not be had in time: nothing was done, the caller answers "retry". */
export class LockBusy extends Error {
  constructor(message = 'lock busy') {
    super(message);
    this.name = 'LockBusy';
  }
}

/**
 * The lock could not even be asked for: a simple trigger (onOpen, onEdit) where Google refuses it
 * LockService (not documented either way: docs/platform.md). Nothing was done, as when busy.
 */
export class LockUnavailable extends LockBusy {
  constructor(cause: unknown) {
    super(`lock unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'LockUnavailable';
  }
}

/** Runs `fn` holding the script lock, released in `finally` whatever happens. */
export function withScriptLock<T>(fn: () => T, waitMs = 20000): T {
  let lock: GoogleAppsScript.Lock.Lock;
  let held: boolean;
  try {
    lock = LockService.getScriptLock();
    held = lock.tryLock(waitMs);
  } catch (e) {
    throw new LockUnavailable(e);
  }
  if (!held) throw new LockBusy();
  try {
    return fn();
  } finally {
    // Writes are flushed before others can read them under the lock.
    SpreadsheetApp.flush();
    lock.releaseLock();
  }
}
