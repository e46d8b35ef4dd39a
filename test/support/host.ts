/**
 * The in-memory SpreadsheetApp used directly from a test (host realm), for unit tests of the
 * table layer. Bundle tests use test/support/gas.ts instead.
 */
import { CallLog, FakeClock, type Execution } from '../../emulator/core';
import { SpreadsheetStore, makeSpreadsheetApp } from '../../emulator/spreadsheet';

/** A spreadsheet facade with its store and the log of its calls. */
export function hostSpreadsheet(store: SpreadsheetStore = new SpreadsheetStore()) {
  const exec: Execution = {
    realm: { Date, Error, TypeError, Object, Array },
    kind: 'editor',
    calls: new CallLog(),
    clock: new FakeClock(),
    id: 1,
  };
  const app = makeSpreadsheetApp(store, exec);
  return { app, store, exec, spreadsheet: app.getActiveSpreadsheet() };
}
