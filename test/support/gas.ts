/**
 * Shared set-up for tests that drive the built bundle (dist/Code.js) in the in-memory Apps Script.
 * `npm test` builds first; running jest alone needs a prior `npm run build`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppsScript, parseSwitches, type CallLog, type FetchRouter, type PlatformSwitches } from '../../emulator';

export const DIST = join(__dirname, '..', '..', 'dist');

let cached: string | null = null;

/** The built bundle's source. */
export function bundleSource(): string {
  if (cached === null) {
    const file = join(DIST, 'Code.js');
    if (!existsSync(file)) throw new Error('dist/Code.js is missing: run `npm run build` (npm test does it).');
    cached = readFileSync(file, 'utf8');
  }
  return cached;
}

/** Safe test values for every Script Property of SPEC §2. */
export const TEST_PROPERTIES: Record<string, string> = {
  WEBHOOK_TOKEN: 'test-webhook-token-3f9a-7b1c',
  STRIPE_SECRET_KEY: 'sk_test_emulator_0000',
  FB_VERIFY_TOKEN: 'test-verify-token',
  FB_ACCESS_TOKEN: 'test-fb-access-token',
  FB_API_VERSION: 'v21.0',
  FB_FORM_IDS: '1187654321098765',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'test-twilio-auth-token',
  TWILIO_FROM: 'Sirrius',
  ALERT_EMAIL: 'operateur@sirrius.example',
  ALERT_PHONE: '+33600000000',
  OPTOUT_SECRET: 'test-optout-signing-secret',
};

/**
 * The platform switches the bundle tests run under: `EMULATOR_SWITCHES` (e.g.
 * `plainTextApostrophe=keep`; see emulator/switches.ts), none by default. `npm run test:switches`
 * re-runs a representative part of the suite under each one.
 */
export function envSwitches(): Partial<PlatformSwitches> {
  return parseSwitches(process.env.EMULATOR_SWITCHES);
}

/**
 * `test`, or `test.skip` when this run's emulator refuses LockService to a simple trigger (switch
 * `simpleTriggerLock`): for what onEdit and onOpen do at once; the fallback is tested on its own.
 */
export const testWithSimpleTriggerLock: typeof test = envSwitches().simpleTriggerLock === false ? test.skip : test;

/** A fresh Apps Script with the bundle, test properties and a router that refuses every call. */
export function newScript(opts: { now?: Date; properties?: Record<string, string>; fetch?: FetchRouter; switches?: Partial<PlatformSwitches> } = {}): AppsScript {
  return new AppsScript({
    switches: opts.switches ?? envSwitches(),
    bundle: bundleSource(),
    htmlDir: DIST,
    now: opts.now ?? new Date('2026-11-23T09:00:00Z'),
    properties: opts.properties ?? TEST_PROPERTIES,
    fetch:
      opts.fetch ??
      ((req) => {
        throw new Error(`unexpected fetch in test: ${req.method} ${req.url}`);
      }),
  });
}

/** Sheets methods that change the spreadsheet. */
export const SHEET_WRITE_METHODS = [
  'Spreadsheet.insertSheet',
  'Spreadsheet.deleteSheet',
  'Spreadsheet.moveActiveSheet',
  'Sheet.appendRow',
  'Sheet.insertRowsAfter',
  'Sheet.insertRowsBefore',
  'Sheet.insertColumnsAfter',
  'Sheet.deleteColumns',
  'Sheet.deleteRows',
  'Sheet.setFrozenRows',
  'Sheet.clear',
  'Sheet.setColumnWidth',
  'Sheet.setColumnWidths',
  'Sheet.setConditionalFormatRules',
  'Range.setValues',
  'Spreadsheets.Values.batchUpdate', // the Sheets API's RAW write (text starting with = on a Sheet that keeps apostrophes)
  'Range.setValue',
  'Range.setNumberFormat',
  'Range.setNumberFormats',
  'Range.setFontWeight',
  'Range.setDataValidation',
  'Range.setDataValidations',
  'Range.clearContent',
  'Range.insertCheckboxes',
  'Spreadsheet.setSpreadsheetTimeZone',
  'Spreadsheet.setSpreadsheetLocale',
  'Sheet.insertChart',
  'Sheet.updateChart',
  'Sheet.removeChart',
];

/** How many calls of an execution changed the spreadsheet. */
export function sheetWrites(calls: CallLog): number {
  return calls.count('Sheets', SHEET_WRITE_METHODS);
}

/** Sheets methods that read cells or the grid (each a round trip to the spreadsheet). */
export const SHEET_READ_METHODS = [
  'Range.getValues',
  'Range.getValue',
  'Range.getDisplayValues',
  'Range.getFormulas',
  'Range.getNumberFormats',
  'Sheet.getLastRow',
  'Sheet.getLastColumn',
  'Sheet.getMaxRows',
  'Sheet.getMaxColumns',
  'Sheet.getFrozenRows',
  'TextFinder.findAll',
  'TextFinder.findNext',
  'Spreadsheets.Values.batchGet', // the advanced Sheets service (Sheets API), one call for many ranges
];

/**
 * "Sheets calls" as the targets count them: the calls that read or write the spreadsheet.
 * Navigation (getActiveSpreadsheet, getSheetByName, getRange, a TextFinder's options) is counted
 * by the emulator too, and reported apart by the bench.
 */
export function sheetsDataCalls(calls: CallLog): number {
  return calls.count('Sheets', SHEET_READ_METHODS) + sheetWrites(calls);
}
