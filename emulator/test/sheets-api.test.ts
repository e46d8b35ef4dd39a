/** The advanced Sheets service (Sheets API v4): enablement, Spreadsheets.Values.batchGet's ranges, values and errors, call accounting and hooks. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AppsScript, ExecutionKilled, type AppsScriptOptions } from '../index';

const SHEETS_V4 = { userSymbol: 'Sheets', serviceId: 'sheets', version: 'v4' };
const API_ERROR = 'API call to sheets.spreadsheets.values.batchGet failed with error: ';

/** A directory holding an appsscript.json that enables these advanced services (or no manifest at all). */
function projectDir(services?: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'emu-manifest-'));
  if (services) writeFileSync(join(dir, 'appsscript.json'), JSON.stringify({ timeZone: 'Europe/Paris', dependencies: { enabledAdvancedServices: services } }));
  return dir;
}

const BUNDLE = `
  function id() { return SpreadsheetApp.getActiveSpreadsheet().getId(); }
  function get(ranges, opts) { var o = opts || {}; o.ranges = ranges; return Sheets.Spreadsheets.Values.batchGet(id(), o); }
  function getRaw(spreadsheetId, args) { return Sheets.Spreadsheets.Values.batchGet(spreadsheetId, args); }
  function caught(f) {
    try { f(); return null; } catch (e) { return { isError: e instanceof Error, name: e.name, message: e.message, details: e.details }; }
  }
  function fail(ranges, opts) { return caught(function () { get(ranges, opts); }); }
  function failRaw(spreadsheetId, args) { return caught(function () { getRaw(spreadsheetId, args); }); }
  function probe() { return [typeof Sheets, typeof SheetsApi]; }
  function write(a1, values) { SpreadsheetApp.getActiveSpreadsheet().getRange(a1).setValues(values); }
  function writeThenRead() { write('Events!D2', [['fresh']]); return get(['Events!D2']).valueRanges[0].values; }
  function viaOtherSymbol() { return SheetsApi.Spreadsheets.Values.batchGet(id(), { ranges: 'Events!A1' }).valueRanges[0].values; }
  function drive() { return Drive.Files; }
  function valuesGet() { return Sheets.Spreadsheets.Values.get(id(), 'Events!A1'); }
  function created() { var ss = SpreadsheetApp.create('Other'); ss.getSheets()[0].getRange('A1').setValue('autre'); return Sheets.Spreadsheets.Values.batchGet(ss.getId(), { ranges: ['A1:B2'] }); }
  function displayed(a1) { return SpreadsheetApp.getActiveSpreadsheet().getRange(a1).getDisplayValues(); }
`;

/** A project with the Sheets API enabled and an `Events` tab of 9 columns x 1000 rows. */
function project(opts: Partial<AppsScriptOptions> = {}): AppsScript {
  const gas = new AppsScript({ bundle: BUNDLE, now: Date.UTC(2026, 10, 23, 9, 0, 0), advancedServices: ['Sheets'], ...opts });
  const events = gas.spreadsheet.active.addSheet('Events', undefined, 1000, 9);
  events.seed([['Id', 'Type', 'Note'], ['e1', 'lead'], ['e2', '', 'x'], [], ['e5']]);
  return gas;
}

type ValueRange = { range: string; majorDimension: string; values?: unknown[][] };
const ranges = (gas: AppsScript, specs: string[], opts?: object) => (gas.run('get', [specs, opts]) as { valueRanges: ValueRange[] }).valueRanges;
const one = (gas: AppsScript, spec: string, opts?: object) => ranges(gas, [spec], opts)[0];
const failure = (gas: AppsScript, specs: string[], opts?: object) => gas.run('fail', [specs, opts]) as { isError: boolean; name: string; message: string; details?: unknown } | null;

describe('enablement', () => {
  test('the manifest in htmlDir enables the service under its userSymbol; without a manifest there is no Sheets global', () => {
    const bundle = BUNDLE;
    expect(new AppsScript({ bundle }).run('probe')).toEqual(['undefined', 'undefined']);
    expect(new AppsScript({ bundle, htmlDir: projectDir() }).run('probe')).toEqual(['undefined', 'undefined']);
    const enabled = new AppsScript({ bundle, htmlDir: projectDir([SHEETS_V4]) });
    expect(enabled.run('probe')).toEqual(['object', 'undefined']);
    expect(enabled.advancedServices).toEqual(['Sheets']);
    expect(new AppsScript({ bundle, htmlDir: projectDir([]) }).advancedServices).toEqual([]);

    const renamed = new AppsScript({ bundle, htmlDir: projectDir([{ ...SHEETS_V4, userSymbol: 'SheetsApi' }]) });
    renamed.spreadsheet.active.addSheet('Events').seed([['Id']]);
    expect(renamed.run('probe')).toEqual(['undefined', 'object']);
    expect(renamed.run('viaOtherSymbol')).toEqual([['Id']]);
  });

  test('the advancedServices option overrides the manifest: [] turns the service off, [\'Sheets\'] on', () => {
    const htmlDir = projectDir([SHEETS_V4]);
    expect(new AppsScript({ bundle: BUNDLE, htmlDir, advancedServices: [] }).run('probe')).toEqual(['undefined', 'undefined']);
    expect(new AppsScript({ bundle: BUNDLE, advancedServices: ['Sheets'] }).run('probe')).toEqual(['object', 'undefined']);
    expect(() => new AppsScript({ bundle: BUNDLE, advancedServices: ['Drive'] })).toThrow("unknown advanced service \"Drive\": the emulator has only 'Sheets'");
  });

  test('a simple trigger (onOpen, onEdit) may not call it: an advanced service needs authorization', () => {
    const gas = project();
    expect(() => gas.run('get', [['Events!A1']], { kind: 'simple' })).toThrow('You do not have permission to call Sheets.Spreadsheets.Values.batchGet');
    expect((gas.run('get', [['Events!A1']]) as { valueRanges: unknown[] }).valueRanges).toHaveLength(1);
  });

  test('an enabled advanced service the emulator lacks exists, and throws "not implemented" when used', () => {
    const gas = new AppsScript({ bundle: BUNDLE, htmlDir: projectDir([{ userSymbol: 'Drive', serviceId: 'drive', version: 'v3' }]) });
    expect(() => gas.run('drive')).toThrow('not implemented: Drive.Files');
  });
});

describe('ranges', () => {
  const gas = project();
  gas.spreadsheet.active.addSheet('Opt_Outs').seed([['Phone']]);
  gas.spreadsheet.active.addSheet("Jon's data").seed([['j']]);
  gas.spreadsheet.active.addSheet('A1').seed([['sheet A1']]);
  gas.spreadsheet.active.sheet('Feuille 1').seed([['first']]);

  test('every form, answered with the normalised range clipped to the grid', () => {
    const all = [['Id', 'Type', 'Note'], ['e1', 'lead'], ['e2', '', 'x'], [], ['e5']];
    expect(one(gas, "'Events'!1:1")).toEqual({ range: 'Events!A1:I1', majorDimension: 'ROWS', values: [['Id', 'Type', 'Note']] });
    expect(one(gas, 'Events!A1:C3')).toEqual({ range: 'Events!A1:C3', majorDimension: 'ROWS', values: all.slice(0, 3) });
    expect(one(gas, 'Events!B2')).toEqual({ range: 'Events!B2', majorDimension: 'ROWS', values: [['lead']] });
    expect(one(gas, 'Events!A:B')).toEqual({ range: 'Events!A1:B1000', majorDimension: 'ROWS', values: [['Id', 'Type'], ['e1', 'lead'], ['e2'], [], ['e5']] });
    expect(one(gas, 'Events!1:2')).toEqual({ range: 'Events!A1:I2', majorDimension: 'ROWS', values: all.slice(0, 2) });
    expect(one(gas, 'Events!A2:C')).toEqual({ range: 'Events!A2:C1000', majorDimension: 'ROWS', values: all.slice(1) });
    expect(one(gas, 'Events')).toEqual({ range: 'Events!A1:I1000', majorDimension: 'ROWS', values: all });
    expect(one(gas, "'Events'")).toEqual({ range: 'Events!A1:I1000', majorDimension: 'ROWS', values: all });
  });

  test('the end is clamped to the grid; a range written backwards is the same range; sheet names match case-insensitively', () => {
    expect(one(gas, 'Events!A1:AA2000').range).toBe('Events!A1:I1000');
    expect(one(gas, 'Events!H999:K1200').range).toBe('Events!H999:I1000');
    expect(one(gas, 'Events!C3:A1')).toEqual(one(gas, 'Events!A1:C3'));
    expect(one(gas, 'events!B2')).toEqual({ range: 'Events!B2', majorDimension: 'ROWS', values: [['lead']] });
    expect(one(gas, 'Events!A1:A1').range).toBe('Events!A1');
  });

  test('sheet names are quoted in the answer only when the API would', () => {
    expect(one(gas, 'Opt_Outs!A1:B2')).toEqual({ range: 'Opt_Outs!A1:B2', majorDimension: 'ROWS', values: [['Phone']] });
    expect(one(gas, "'Jon''s data'!A1:B2")).toEqual({ range: "'Jon''s data'!A1:B2", majorDimension: 'ROWS', values: [['j']] });
    expect(one(gas, "Jon's data!A1").range).toBe("'Jon''s data'!A1"); // quotes are optional in a request
    expect(one(gas, "'A1'")).toEqual({ range: "'A1'!A1:Z1000", majorDimension: 'ROWS', values: [['sheet A1']] }); // a name like a cell is quoted
  });

  test('a range without a sheet is on the first visible sheet; a bare name that is no range is a sheet', () => {
    expect(one(gas, 'A1:B2')).toEqual({ range: "'Feuille 1'!A1:B2", majorDimension: 'ROWS', values: [['first']] });
    expect(one(gas, 'A1').range).toBe("'Feuille 1'!A1"); // a cell, although a sheet is named A1
    expect(one(gas, 'Opt_Outs').range).toBe('Opt_Outs!A1:Z1000');
    gas.spreadsheet.active.sheet('Feuille 1').hidden = true;
    try {
      expect(one(gas, 'A1:B2').range).toBe('Events!A1:B2');
    } finally {
      gas.spreadsheet.active.sheet('Feuille 1').hidden = false;
    }
  });

  test('one valueRange per requested range, in order; `ranges` may be one string; no ranges, no valueRanges', () => {
    expect(ranges(gas, ['Events!C1', 'Opt_Outs!A1', 'Events!A1']).map((r) => r.values)).toEqual([[['Note']], [['Phone']], [['Id']]]);
    expect(gas.run('getRaw', [gas.spreadsheet.active.id, { ranges: 'Events!B1' }])).toEqual({
      spreadsheetId: gas.spreadsheet.active.id,
      valueRanges: [{ range: 'Events!B1', majorDimension: 'ROWS', values: [['Type']] }],
    });
    expect(gas.run('getRaw', [gas.spreadsheet.active.id])).toEqual({ spreadsheetId: gas.spreadsheet.active.id });
  });

  test('trailing empty cells and rows are left out; an all-empty range has no values', () => {
    expect(one(gas, 'Events!A3:I9')).toEqual({ range: 'Events!A3:I9', majorDimension: 'ROWS', values: [['e2', '', 'x'], [], ['e5']] });
    const empty = one(gas, 'Events!D1:I3');
    expect(empty).toEqual({ range: 'Events!D1:I3', majorDimension: 'ROWS' });
    expect('values' in empty).toBe(false);
  });

  test('it reads what the spreadsheet holds, including writes made earlier in the same execution', () => {
    expect(gas.run('writeThenRead')).toEqual([['fresh']]);
  });

  test('any spreadsheet of the store can be read by its id', () => {
    const answer = gas.run('created') as { spreadsheetId: string; valueRanges: ValueRange[] };
    expect(answer.spreadsheetId).not.toBe(gas.spreadsheet.active.id);
    expect(answer.valueRanges).toEqual([{ range: "'Feuille 1'!A1:B2", majorDimension: 'ROWS', values: [['autre']] }]);
  });
});

describe('value rendering', () => {
  const gas = project();
  const when = new Date(Date.UTC(2026, 10, 23, 9, 0, 0)); // 10:00 in Paris, the spreadsheet's time zone
  gas.spreadsheet.active.addSheet('Types');
  gas.spreadsheet.active.sheet('Types').formats.set(1, 7, 'dd/MM/yyyy');
  gas.run('write', ['Types!A1:G1', [['texte', 1.5, true, when, '=A1', "'0612", 46349.5]]]);
  const serial = 46349 + 10 / 24;

  test('FORMATTED_VALUE (the default): display strings, booleans as TRUE/FALSE', () => {
    const formatted = ['texte', '1,5', 'TRUE', '23/11/2026 10:00:00', '', '0612', '23/11/2026'];
    expect(one(gas, 'Types!A1:G1').values).toEqual([formatted]);
    expect(one(gas, 'Types!A1:G1', { valueRenderOption: 'FORMATTED_VALUE' }).values).toEqual([formatted]);
    // What getDisplayValues shows, but for the boolean (VRAI in this fr_FR spreadsheet).
    expect(gas.run('displayed', ['Types!A1:G1'])).toEqual([['texte', '1,5', 'VRAI', '23/11/2026 10:00:00', '', '0612', '23/11/2026']]);
  });

  test('UNFORMATTED_VALUE: stored values, a date as its serial number in the spreadsheet time zone (SERIAL_NUMBER, the default)', () => {
    const [values] = one(gas, 'Types!A1:G1', { valueRenderOption: 'UNFORMATTED_VALUE' }).values!;
    expect(values).toEqual(['texte', 1.5, true, serial, '', '0612', 46349.5]);
    expect(values[3]).toBeCloseTo(46349.416666667, 8);
    expect(one(gas, 'Types!D1', { valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER' }).values).toEqual([[serial]]);
  });

  test('dateTimeRenderOption FORMATTED_STRING: dates (and numbers with a date format) as their display string', () => {
    expect(one(gas, 'Types!A1:G1', { valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'FORMATTED_STRING' }).values).toEqual([
      ['texte', 1.5, true, '23/11/2026 10:00:00', '', '0612', '23/11/2026'],
    ]);
  });

  test('FORMULA: the formula of a formula cell, the unformatted value of the others', () => {
    expect(one(gas, 'Types!A1:G1', { valueRenderOption: 'FORMULA' }).values).toEqual([['texte', 1.5, true, serial, '=A1', '0612', 46349.5]]);
  });

  test('an apostrophe-prefixed text reads without its apostrophe, as with getValues', () => {
    expect(one(gas, 'Types!F1', { valueRenderOption: 'UNFORMATTED_VALUE' }).values).toEqual([['0612']]);
    expect(gas.spreadsheet.active.sheet('Types').values()[0][5]).toBe('0612');
  });
});

describe('errors', () => {
  const gas = project();

  test('an unknown spreadsheet: Requested entity was not found, as a GoogleJsonResponseException of the script realm', () => {
    expect(gas.run('failRaw', ['1NoSuchSpreadsheet', { ranges: ['Events!A1'] }])).toEqual({
      isError: true,
      name: 'GoogleJsonResponseException',
      message: `${API_ERROR}Requested entity was not found.`,
      details: { code: 404, message: 'Requested entity was not found.' },
    });
  });

  test.each([['Nope!A1'], ['Events!A1:B2:C3'], ['Events!B'], ['Events!2'], ['Events!A0'], [' Events!A1'], ['Events!A1 '], ['Events!'], ['Events!ABCD1'], ['Nope']])(
    'unparsable %p',
    (spec) => {
      expect(failure(gas, [spec])).toEqual({
        isError: true,
        name: 'GoogleJsonResponseException',
        message: `${API_ERROR}Unable to parse range: ${spec}`,
        details: { code: 400, message: `Unable to parse range: ${spec}` },
      });
    },
  );

  test('a range starting outside the grid, named as requested, with the sheet real size', () => {
    expect(failure(gas, ['Events!1001:1002'])?.message).toBe(`${API_ERROR}Range (Events!1001:1002) exceeds grid limits. Max rows: 1000, max columns: 9`);
    expect(failure(gas, ["'Events'!A1001:B"])?.message).toBe(`${API_ERROR}Range (Events!A1001:B) exceeds grid limits. Max rows: 1000, max columns: 9`);
    expect(failure(gas, ['Events!J1'])?.message).toBe(`${API_ERROR}Range (Events!J1) exceeds grid limits. Max rows: 1000, max columns: 9`);
    expect(failure(gas, ['AA:AB'])?.message).toBe(`${API_ERROR}Range ('Feuille 1'!AA:AB) exceeds grid limits. Max rows: 1000, max columns: 26`);
  });

  test('one bad range fails the whole call', () => {
    expect(failure(gas, ['Events!A1', 'Nope!A1'])?.message).toBe(`${API_ERROR}Unable to parse range: Nope!A1`);
  });

  test('what the emulator lacks throws "not implemented"', () => {
    const notImplemented = (opts: object, ranges = ['Events!A1']) => failure(gas, ranges, opts)?.message;
    expect(notImplemented({ majorDimension: 'COLUMNS' })).toBe('not implemented: Spreadsheets.Values.batchGet majorDimension "COLUMNS"');
    expect(notImplemented({ valueRenderOption: 'RAW' })).toBe('not implemented: Spreadsheets.Values.batchGet valueRenderOption "RAW"');
    expect(notImplemented({ dateTimeRenderOption: 'ISO' })).toBe('not implemented: Spreadsheets.Values.batchGet dateTimeRenderOption "ISO"');
    expect(notImplemented({ fields: 'valueRanges' })).toBe('not implemented: Spreadsheets.Values.batchGet option fields');
    expect(notImplemented({}, ['R1C1:R2C2'])).toBe('not implemented: Spreadsheets.Values.batchGet R1C1 range R1C1:R2C2');
    expect(one(gas, 'Events!A1', { majorDimension: 'ROWS' }).values).toEqual([['Id']]);
    expect(() => gas.run('valuesGet')).toThrow('not implemented: Spreadsheets.Values.get');
  });
});

describe('call accounting and hooks', () => {
  test('one batchGet is one Sheets call, whatever the number of ranges, and counts the cells of its ranges as read', () => {
    const gas = project();
    const out = gas.runDetailed('get', [['Events!1:1', 'Events!A2:B3']]);
    expect(out.error).toBeUndefined();
    expect(out.calls.count('Sheets', ['Spreadsheets.Values.batchGet'])).toBe(1);
    expect(out.calls.byMethod('Sheets')).toEqual({ 'SpreadsheetApp.getActiveSpreadsheet': 1, 'Spreadsheet.getId': 1, 'Spreadsheets.Values.batchGet': 1 });
    expect(out.calls.cells('read')).toBe(9 + 4);
    // A failed call is a call too.
    const failed = gas.runDetailed('fail', [['Nope!A1']]);
    expect(failed.calls.count('Sheets', ['Spreadsheets.Values.batchGet'])).toBe(1);
  });

  test('beforeCall can make it fail (the script can catch that); afterCall can kill the execution after it', () => {
    const gas = project();
    const seen: string[] = [];
    gas.beforeCall = (service, method) => {
      seen.push(`${service}:${method}`);
      return method === 'Spreadsheets.Values.batchGet' ? 'Service unavailable: Sheets' : undefined;
    };
    const out = gas.runDetailed('fail', [['Events!A1']]);
    expect(out.result).toEqual({ isError: true, name: 'Exception', message: 'Service unavailable: Sheets' });
    expect(seen).toContain('Sheets:Spreadsheets.Values.batchGet');
    expect(out.calls.cells('read')).toBe(0);

    gas.beforeCall = undefined;
    gas.afterCall = (_service, method) => {
      if (method === 'Spreadsheets.Values.batchGet') throw new ExecutionKilled(method);
    };
    const killed = gas.runDetailed('fail', [['Events!A1']]);
    expect(killed.killed).toBe(true);
    expect(killed.error).toBeInstanceOf(ExecutionKilled);
  });
});
