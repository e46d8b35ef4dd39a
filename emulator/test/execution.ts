/** What the emulator's own unit tests share: one execution of its own realm, outside AppsScript. */
import * as vm from 'vm';
import { CallLog, type Execution, type ExecutionKind, FakeClock, type Realm } from '../core';

/** A fresh execution (its own V8 context, call log and clock), as a service facade receives it. */
export function fakeExecution(kind: ExecutionKind = 'editor'): { exec: Execution; realm: Realm } {
  const realm = vm.runInContext('({Date, Error, TypeError, Object, Array})', vm.createContext()) as Realm;
  return { exec: { realm, kind, calls: new CallLog(), clock: new FakeClock(), id: 1 }, realm };
}
