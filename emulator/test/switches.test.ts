/** The platform switches (switches.ts): each setting changes what it says, and only that. */
import { AppsScript, hiddenRows, parseSwitches, randomMinute, type PlatformSwitches } from '../index';

const BUNDLE = `
  function ss() { return SpreadsheetApp.getActiveSpreadsheet(); }
  function typeText(format, text) { var c = ss().getSheets()[0].getRange('A1'); c.setNumberFormat(format); c.setValue(text); return c.getValue(); }
  function zone() { return ss().getSpreadsheetTimeZone(); }
  function unflushed(flush) {
    ss().getSheets()[0].getRange('B2').setValue('new');
    if (flush) SpreadsheetApp.flush();
    var v = Sheets.Spreadsheets.Values.batchGet(ss().getId(), { ranges: ['B2'] }).valueRanges[0].values;
    return v ? v[0][0] : null;
  }
  function raw(text) { Sheets.Spreadsheets.Values.batchUpdate({ valueInputOption: 'RAW', data: [{ range: "'" + ss().getSheets()[0].getName() + "'!C3", values: [[text]] }] }, ss().getId()); return [ss().getSheets()[0].getRange('C3').getValue(), ss().getSheets()[0].getRange('C3').getFormula()]; }
  function withDate() { return { ok: true, at: new Date(0) }; }
  function plain() { return { ok: true, at: new Date(0).toISOString() }; }
  function chartTitle() {
    var sh = ss().getSheets()[0];
    sh.insertChart(sh.newChart().setChartType(Charts.ChartType.LINE).addRange(sh.getRange('A1:B3')).setPosition(1, 4, 0, 0).setOption('title', 'T').build());
    return sh.getCharts()[0].getOptions().get('title');
  }
  function filter() {
    var sh = ss().getSheets()[0];
    sh.getRange('A1:B4').setValues([['id', 'status'], ['a', 'new'], ['b', 'done'], ['c', 'new']]);
    var f = sh.getRange('A1:B4').createFilter();
    f.setColumnFilterCriteria(2, SpreadsheetApp.newFilterCriteria().setVisibleValues(['new']).build());
    return [sh.getFilter() !== null, sh.isRowHiddenByFilter(3), sh.isRowHiddenByFilter(2), sh.getLastRow(), sh.createTextFinder('b').findAll().length];
  }
  function scopes() { var i = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL, ['https://www.googleapis.com/auth/drive']); return [i.getAuthorizationStatus(), i.getAuthorizedScopes()]; }
  function daily() { ScriptApp.newTrigger('tick').timeBased().atHour(9).everyDays(1).inTimezone('Europe/Paris').create(); }
  function tick() {}
`;

function gas(switches: Partial<PlatformSwitches> = {}): AppsScript {
  return new AppsScript({ bundle: BUNDLE, now: Date.UTC(2026, 10, 23, 9, 0, 0), advancedServices: ['Sheets'], switches });
}

test('EMULATOR_SWITCHES parses names and types, and refuses an unknown name', () => {
  expect(parseSwitches('plainTextApostrophe=keep, batchGetSeesUnflushed=false,triggerSeed=3')).toEqual({ plainTextApostrophe: 'keep', batchGetSeesUnflushed: false, triggerSeed: 3 });
  expect(parseSwitches(undefined)).toEqual({});
  expect(() => parseSwitches('plainTextApostrof=keep')).toThrow('unknown switch');
});

test('plainTextApostrophe: a plain-text cell strips or keeps it; an automatic cell always strips it', () => {
  expect(gas().run('typeText', ['@', "'x"])).toBe('x');
  expect(gas({ plainTextApostrophe: 'keep' }).run('typeText', ['@', "'x"])).toBe("'x");
  expect(gas({ plainTextApostrophe: 'keep' }).run('typeText', ['0.###############', "'+33"])).toBe('+33');
});

test('spreadsheetTimeZone: the new Sheet’s zone', () => {
  expect(gas().run('zone')).toBe('Europe/Paris');
  expect(gas({ spreadsheetTimeZone: 'America/New_York' }).run('zone')).toBe('America/New_York');
});

test('batchGetSeesUnflushed: false hides writes until a flush', () => {
  expect(gas().run('unflushed', [false])).toBe('new');
  expect(gas({ batchGetSeesUnflushed: false }).run('unflushed', [false])).toBeNull();
  expect(gas({ batchGetSeesUnflushed: false }).run('unflushed', [true])).toBe('new');
});

test('values.batchUpdate RAW stores text as it is, never a formula', () => {
  expect(gas().run('raw', ['=1+1'])).toEqual(['=1+1', '']);
  expect(gas({ plainTextApostrophe: 'keep' }).run('raw', ["'x"])).toEqual(["'x", '']);
});

test('clientDates: null for a result holding a Date, JSON otherwise', () => {
  expect(gas().runFromClient('withDate')).toEqual({ ok: true, at: '1970-01-01T00:00:00.000Z' });
  expect(gas({ clientDates: 'null' }).runFromClient('withDate')).toBeNull();
  expect(gas({ clientDates: 'null' }).runFromClient('plain')).toEqual({ ok: true, at: '1970-01-01T00:00:00.000Z' });
});

test('chartOptionsReadBack: false answers null for an option the builder set', () => {
  expect(gas().run('chartTitle')).toBe('T');
  expect(gas({ chartOptionsReadBack: false }).run('chartTitle')).toBeNull();
});

test('filters hide rows without changing getLastRow or TextFinder', () => {
  const g = gas();
  expect(g.run('filter')).toEqual([true, true, false, 4, 1]);
  expect(hiddenRows(g.spreadsheet.active.sheets[0])).toEqual([3]);
});

test('leadsFilter: a filter on Leads showing status new, after each execution', () => {
  const g = gas({ leadsFilter: true });
  const leads = g.spreadsheet.active.addSheet('Leads');
  leads.seed([['id', 'status'], ['a', 'new'], ['b', 'contacted']]);
  g.run('zone');
  expect(hiddenRows(leads)).toEqual([3]);
});

test('getAuthorizationInfo: not required, and the asked scopes the manifest grants', () => {
  expect(gas().run('scopes')).toEqual(['NOT_REQUIRED', []]);
});

test('triggerMinute random: an atHour trigger runs in its hour at a seeded minute that changes by day', () => {
  const g = gas({ triggerMinute: 'random', triggerSeed: 5 });
  g.run('daily');
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    g.clock.set(new Date(g.triggers.triggers[0].nextDue!));
    g.fireDueTriggers();
    times.push(g.clock.now());
  }
  const parts = times.map((t) => new Date(t).toLocaleString('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hour12: false }));
  parts.forEach((p) => expect(p.startsWith('09:')).toBe(true));
  expect(new Set(parts).size).toBeGreaterThan(1);
  expect(randomMinute(5, 'x', 1)).toBe(randomMinute(5, 'x', 1));
  for (let d = 0; d < 200; d++) expect(randomMinute(d, 'u', d)).toBeGreaterThanOrEqual(0);
});
