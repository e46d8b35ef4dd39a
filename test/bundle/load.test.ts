/** The built bundle: one file of top-level functions that loads with nothing but the Apps Script globals. */
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as entry from '../../src/entry';
import { bundleSource, DIST } from '../support/gas';

const GLOBALS = Object.keys(entry);

test('every export of src/entry.ts is a top-level function declaration', () => {
  const code = bundleSource();
  expect(GLOBALS.length).toBeGreaterThan(0);
  for (const name of GLOBALS) expect(code).toMatch(new RegExp(`^function ${name}\\(`, 'm'));
});

test('loads in a bare V8 context (no require, process, module or window) and defines every global', () => {
  const context = vm.createContext({});
  expect(() => vm.runInContext(bundleSource(), context, { filename: 'Code.js' })).not.toThrow();
  for (const name of GLOBALS) expect([name, typeof context[name]]).toEqual([name, 'function']);
});

test('references no Node module loader or environment (webpack runtime records aside)', () => {
  const code = bundleSource();
  expect(code).not.toMatch(/(?<![\w$.])require\(/);
  expect(code).not.toMatch(/\bprocess\.(env|versions|platform)\b/);
});

test('dist holds the manifest: V8, Europe/Paris, explicit scopes, web app as owner for anyone', () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'appsscript.json'), 'utf8'));
  expect(manifest.runtimeVersion).toBe('V8');
  expect(manifest.timeZone).toBe('Europe/Paris');
  expect(manifest.webapp).toEqual({ executeAs: 'USER_DEPLOYING', access: 'ANYONE_ANONYMOUS' });
  // The archive creates and opens its own spreadsheet (SpreadsheetApp.create / openByUrl), which
  // `spreadsheets.currentonly` forbids; still no Drive scope: the script sees files, not the Drive.
  // Each one is needed and explained in the README ("OAuth scopes"); nothing else may creep in.
  expect([...manifest.oauthScopes].sort()).toEqual(
    [
      'https://www.googleapis.com/auth/spreadsheets', // the Sheet, the archive spreadsheet, the backup copy
      'https://www.googleapis.com/auth/drive', // DriveApp (backup folder, trash of old backups): its reference lists only this scope
      'https://www.googleapis.com/auth/script.container.ui',
      'https://www.googleapis.com/auth/script.external_request',
      'https://www.googleapis.com/auth/script.scriptapp',
      'https://www.googleapis.com/auth/script.send_mail',
      'https://www.googleapis.com/auth/userinfo.email', // the guard: who is calling (Session.getActiveUser)
    ].sort(),
  );
});
