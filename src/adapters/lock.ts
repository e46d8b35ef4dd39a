/**
 * The one lock wrapper: every execution that writes takes the script lock, so that two
 * deliveries of one event, a trigger and a menu click never interleave their writes.
 */

/** Thrown when the lock could not be had in time: nothing was done, the caller answers "retry". */
export class LockBusy extends Error {
  constructor() {
    super('lock busy');
    this.name = 'LockBusy';
  }
}

/** Runs `fn` holding the script lock, released in `finally` whatever happens. */
export function withScriptLock<T>(fn: () => T, waitMs = 20000): T {
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(waitMs)) throw new LockBusy();
  try {
    return fn();
  } finally {
    // Writes are flushed before others can read them under the lock.
    SpreadsheetApp.flush();
    lock.releaseLock();
  }
}
