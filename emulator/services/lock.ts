/**
 * LockService fake. Locks are real between executions of one emulator: while an execution holds a
 * lock, another (nested) execution cannot get it. Everything runs on one thread, so the holder
 * cannot release while the other waits: waiting just advances the fake clock by the timeout, then fails.
 */
import type { Execution } from '../core';
import { scriptError, strict } from '../core';
import { requireAuth } from './common';

/** Which lock: the script's, the document's, or one user's. */
export type LockKey = 'script' | 'document' | `user:${string}`;

/** The persistent lock table: which execution holds which lock. */
export class LockStore {
  private readonly holders = new Map<LockKey, number>();
  /** The id of the execution holding a lock, if any. */
  holder(key: LockKey): number | undefined {
    return this.holders.get(key);
  }
  /** Takes a lock for an execution; false if another execution holds it. */
  acquire(key: LockKey, execId: number): boolean {
    const h = this.holders.get(key);
    if (h !== undefined && h !== execId) return false;
    this.holders.set(key, execId);
    return true;
  }
  /** Releases a lock if the execution holds it. */
  release(key: LockKey, execId: number): void {
    if (this.holders.get(key) === execId) this.holders.delete(key);
  }
  /** Releases every lock an execution holds (called when it ends, as Apps Script does). */
  releaseAll(execId: number): void {
    for (const [k, h] of [...this.holders]) if (h === execId) this.holders.delete(k);
  }
}

function makeLock(exec: Execution, store: LockStore, key: LockKey): GoogleAppsScript.Lock.Lock {
  const attempt = (ms: unknown) => {
    if (store.acquire(key, exec.id)) return true;
    const timeout = Math.max(0, Number(ms) || 0);
    exec.clock.advance(timeout);
    return store.acquire(key, exec.id);
  };
  return strict(exec, 'Lock', 'Lock', {
    tryLock: (ms: number) => attempt(ms),
    waitLock: (ms: number) => {
      if (!attempt(ms)) throw scriptError(exec, 'Lock timeout: another process was holding the lock for too long.');
    },
    releaseLock: () => store.release(key, exec.id),
    hasLock: () => store.holder(key) === exec.id,
  }) as unknown as GoogleAppsScript.Lock.Lock;
}

/** The `LockService` global of one execution. */
export function makeLockService(store: LockStore, exec: Execution, userEmail: string, inSimpleTrigger = true): GoogleAppsScript.Lock.LockService {
  // The switch `simpleTriggerLock: false`: a simple trigger is refused the service, as a service needing authorization is.
  const lock = (key: LockKey) => () => {
    if (!inSimpleTrigger) requireAuth(exec, 'LockService.getScriptLock', 'https://www.googleapis.com/auth/script.scriptapp');
    return makeLock(exec, store, key);
  };
  return strict(exec, 'Lock', 'LockService', {
    getScriptLock: lock('script'),
    getDocumentLock: lock('document'),
    getUserLock: lock(`user:${userEmail}`),
  }) as unknown as GoogleAppsScript.Lock.LockService;
}
