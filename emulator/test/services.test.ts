/** The service fakes, driven through small bundles: limits, permissions, formats and bytes as Apps Script has them. */
import { createHash, createHmac } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AppsScript, type FetchRequest, type FetchRouter } from '../index';

const script = (bundle: string, opts: { fetch?: FetchRouter; htmlDir?: string } = {}) =>
  new AppsScript({ bundle, now: Date.UTC(2026, 10, 23, 9, 0, 0), ...opts });
const signed = (b: Buffer) => Array.from(b, (x) => (x << 24) >> 24);

describe('PropertiesService', () => {
  const gas = script(`
    function p(kind) { return PropertiesService['get' + kind + 'Properties'](); }
    function set(kind, k, v) { p(kind).setProperty(k, v); }
    function all(kind) { return p(kind).getProperties(); }
    function keys() { return p('Script').getKeys().sort(); }
    function replace(obj) { p('Script').setProperties(obj, true); }
    function big(n) { return p('Script').setProperty('big', new Array(n + 1).join('x')) === undefined; }
    function fill() { var s = new Array(9001).join('y'); for (var i = 0; i < 60; i++) p('User').setProperty('k' + i, s); }
    function del() { p('Script').deleteProperty('a').deleteAllProperties(); return p('Script').getKeys().length; }`);

  test('three separate stores; values stored as strings', () => {
    gas.run('set', ['Script', 'a', 5]);
    gas.run('set', ['User', 'a', 'user']);
    gas.run('set', ['Document', 'a', true]);
    expect([gas.run('all', ['Script']), gas.run('all', ['User']), gas.run('all', ['Document'])]).toEqual([{ a: '5' }, { a: 'user' }, { a: 'true' }]);
    gas.run('replace', [{ x: 1, y: 2 }]);
    expect(gas.run('keys')).toEqual(['x', 'y']);
    expect(gas.run('del')).toBe(0);
  });

  test('a value over 9 KB throws; a store over 500 KB throws and keeps its previous content', () => {
    gas.run('big', [9 * 1024]);
    expect(() => gas.run('big', [9 * 1024 + 1])).toThrow('Argument too large: value');
    expect(() => gas.run('fill')).toThrow('exceeded the property storage quota');
    expect(gas.properties.user.size).toBeLessThan(60);
    expect(gas.properties.user.size).toBeGreaterThan(50);
  });
});

describe('CacheService', () => {
  const gas = script(`
    function c() { return CacheService.getScriptCache(); }
    function put(k, v, ttl) { if (ttl === undefined) c().put(k, v); else c().put(k, v, ttl); }
    function get(k) { return c().get(k); }
    function many() { c().putAll({ a: '1', b: '2' }, 100); return c().getAll(['a', 'b', 'zz']); }
    function userGet(k) { return CacheService.getUserCache().get(k); }`);

  test('entries expire on the fake clock (default 10 minutes, capped at 6 hours)', () => {
    gas.run('put', ['short', 'v', 60]);
    gas.run('put', ['default', 'v']);
    gas.run('put', ['long', 'v', 99999]);
    gas.clock.advance(59_000);
    expect([gas.run('get', ['short']), gas.run('userGet', ['short'])]).toEqual(['v', null]);
    gas.clock.advance(2_000);
    expect(gas.run('get', ['short'])).toBeNull();
    gas.clock.advance(600_000 - 61_000);
    expect(gas.run('get', ['default'])).toBeNull();
    gas.clock.advance(21600_000 - 600_000 - 1);
    expect(gas.run('get', ['long'])).toBe('v');
    gas.clock.advance(1);
    expect(gas.run('get', ['long'])).toBeNull();
    expect(gas.run('many')).toEqual({ a: '1', b: '2' });
  });

  test('a key over 250 characters or a value over 100 KB throws', () => {
    expect(() => gas.run('put', ['k'.repeat(251), 'v'])).toThrow('Argument too large: key');
    expect(() => gas.run('put', ['k', 'v'.repeat(100 * 1024 + 1)])).toThrow('Argument too large: value');
    gas.run('put', ['k'.repeat(250), 'v'.repeat(100 * 1024)]);
  });
});

describe('MailApp', () => {
  const bundle = `
    function send(to) { MailApp.sendEmail(to, 'Sujet', 'Corps', { name: 'Sirrius', cc: 'c@example.com' }); }
    function sendObj() { MailApp.sendEmail({ to: 'a@example.com', subject: 'S', body: 'B', htmlBody: '<b>B</b>', replyTo: 'r@example.com' }); }
    function quota() { return MailApp.getRemainingDailyQuota(); }
    function spam(n) { for (var i = 0; i < n; i++) MailApp.sendEmail('x@example.com', 's', 'b'); }`;

  test('mails go to the outbox with their options', () => {
    const gas = script(bundle);
    gas.run('send', ['a@example.com']);
    gas.run('sendObj');
    expect(gas.mail.outbox).toEqual([
      { to: 'a@example.com', subject: 'Sujet', body: 'Corps', options: { name: 'Sirrius', cc: 'c@example.com' }, at: gas.clock.now() },
      { to: 'a@example.com', subject: 'S', body: 'B', htmlBody: '<b>B</b>', options: { htmlBody: '<b>B</b>', replyTo: 'r@example.com' }, at: gas.clock.now() },
    ]);
    expect(gas.run('quota')).toBe(97); // counted per recipient (cc included)
    expect(() => gas.run('send', ['not an address'])).toThrow('Invalid email: not an address');
  });

  test('100 recipients a day, then "Service invoked too many times"; the quota comes back the next day', () => {
    const gas = script(bundle);
    gas.run('spam', [100]);
    expect(gas.run('quota')).toBe(0);
    expect(() => gas.run('spam', [1])).toThrow('Service invoked too many times for one day: email.');
    expect(gas.mail.outbox).toHaveLength(100);
    gas.clock.advance(86_400_000);
    expect(gas.run('quota')).toBe(100);
  });

  test('a simple trigger may not send mail', () => {
    const gas = script(bundle);
    expect(() => gas.run('send', ['a@example.com'], { kind: 'simple' })).toThrow('You do not have permission to call MailApp.sendEmail');
    expect(gas.mail.outbox).toHaveLength(0);
  });
});

describe('UrlFetchApp', () => {
  const bundle = `
    function post() {
      var r = UrlFetchApp.fetch('https://api.test/v1/sms', { method: 'post', payload: { To: '+33 6', Body: 'a&b=c' }, headers: { Authorization: 'Basic x' } });
      return [r.getResponseCode(), r.getContentText(), r.getHeaders()['Content-Type'], r.getContent().length];
    }
    function get(url, mute) { var r = UrlFetchApp.fetch(url, { muteHttpExceptions: mute }); return [r.getResponseCode(), r.getContentText()]; }
    function json() { return UrlFetchApp.fetch('https://api.test/json', { method: 'POST', contentType: 'application/json', payload: JSON.stringify({ a: 1 }) }).getContentText(); }
    function both() { return UrlFetchApp.fetchAll(['https://api.test/1', { url: 'https://api.test/2', method: 'delete' }]).map(function (r) { return r.getContentText(); }); }
    function caught(url) { try { UrlFetchApp.fetch(url); } catch (e) { return [e instanceof Error, e.message]; } }
    function bytes() { return UrlFetchApp.fetch('https://api.test/bytes').getContent(); }`;
  const router: FetchRouter = (req) => {
    if (req.url.endsWith('/404')) return { status: 404, body: 'N'.repeat(150) };
    if (req.url.endsWith('/down')) throw new Error('');
    if (req.url.endsWith('/dns')) throw new Error('DNS error: https://api.test/dns');
    if (req.url.endsWith('/bytes')) return { status: 200, body: 'é' };
    return { status: 200, body: { ok: true, method: req.method } };
  };

  test('an object payload is form-encoded; every request is logged', () => {
    const gas = script(bundle, { fetch: router });
    expect(gas.run('post')).toEqual([200, '{"ok":true,"method":"POST"}', 'application/json', 27]);
    expect(gas.run('json')).toBe('{"ok":true,"method":"POST"}');
    expect(gas.run('both')).toEqual(['{"ok":true,"method":"GET"}', '{"ok":true,"method":"DELETE"}']);
    expect(gas.fetchLog).toEqual<FetchRequest[]>([
      { url: 'https://api.test/v1/sms', method: 'POST', headers: { Authorization: 'Basic x' }, payload: 'To=%2B33%206&Body=a%26b%3Dc', contentType: 'application/x-www-form-urlencoded' },
      { url: 'https://api.test/json', method: 'POST', headers: {}, payload: '{"a":1}', contentType: 'application/json' },
      { url: 'https://api.test/1', method: 'GET', headers: {}, payload: '' },
      { url: 'https://api.test/2', method: 'DELETE', headers: {}, payload: '' },
    ]);
    expect(gas.lastCalls.byMethod('UrlFetch')).toEqual({ 'UrlFetchApp.fetchAll': 1, 'HTTPResponse.getContentText': 2 });
  });

  test('a status >= 400 throws unless muted', () => {
    const gas = script(bundle, { fetch: router });
    expect(gas.run('caught', ['https://api.test/404'])).toEqual([
      true,
      `Request failed for https://api.test/404 returned code 404. Truncated server response: ${'N'.repeat(100)} (use muteHttpExceptions option to examine full response)`,
    ]);
    expect(gas.run('get', ['https://api.test/404', true])).toEqual([404, 'N'.repeat(150)]);
  });

  test('a router that throws is a network failure for the script; no router throws loudly', () => {
    const gas = script(bundle, { fetch: router });
    expect(gas.run('caught', ['https://api.test/down'])).toEqual([true, 'Address unavailable: https://api.test/down']);
    expect(gas.run('caught', ['https://api.test/dns'])).toEqual([true, 'DNS error: https://api.test/dns']);
    gas.fetch = undefined;
    expect(() => gas.run('get', ['https://api.test/x', false])).toThrow('no fetch router');
  });

  test('bytes are signed; a simple trigger may not fetch', () => {
    const gas = script(bundle, { fetch: router });
    expect(gas.run('bytes')).toEqual(signed(Buffer.from('é')));
    expect(() => gas.run('get', ['https://api.test/x', false], { kind: 'simple' })).toThrow(
      'You do not have permission to call UrlFetchApp.fetch. Required permissions: https://www.googleapis.com/auth/script.external_request',
    );
    expect(gas.fetchLog).toHaveLength(1);
  });
});

describe('ContentService and HtmlService', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-html-'));
  writeFileSync(join(dir, 'Page.html'), '<h1><?= title ?></h1><ul><? for (var i = 0; i < items.length; i++) { ?><li><?= items[i] ?></li><? } ?></ul><?!= raw ?> <?= helper() ?><? output.append("!"); ?>');
  writeFileSync(join(dir, 'Plain.html'), '<p>plain <?= x ?></p>');
  const bundle = `
    function helper() { return 'from bundle & co'; }
    function page() { var t = HtmlService.createTemplateFromFile('Page'); t.title = '<b>"Tom" & Jerry\\'s</b>'; t.items = ['a<', 'b']; t.raw = '<i>raw</i>';
      return t.evaluate().setTitle('T').setXFrameOptionsMode(HtmlService.XFrameOptionsMode.ALLOWALL).getContent(); }
    function plain() { var o = HtmlService.createHtmlOutputFromFile('Plain'); return [o.getContent(), o.setWidth(300).getWidth(), o.getTitle()]; }
    function missing() { return HtmlService.createTemplateFromFile('Nope'); }
    function inline() { var t = HtmlService.createTemplate('<?= a + 1 ?>'); t.a = 41; return [t.evaluate().getContent(), typeof t.getCode()]; }
    function json() { var o = ContentService.createTextOutput(); o.append('{"a":').append('1}'); o.setMimeType(ContentService.MimeType.JSON); return [o.getContent(), String(o.getMimeType())]; }`;

  test('templates: <?= ?> escapes, <?!= ?> does not, <? ?> runs statements in the script context', () => {
    const gas = script(bundle, { htmlDir: dir });
    expect(gas.run('page')).toBe(
      '<h1>&lt;b&gt;&quot;Tom&quot; &amp; Jerry&#39;s&lt;/b&gt;</h1><ul><li>a&lt;</li><li>b</li></ul><i>raw</i> from bundle &amp; co!',
    );
    expect(gas.lastCalls.count('Html', ['HtmlTemplate.evaluate'])).toBe(1);
    expect(gas.run('inline')).toEqual(['42', 'string']);
    expect(gas.run('plain')).toEqual(['<p>plain <?= x ?></p>', 300, '']);
  });

  test('a missing HTML file throws', () => {
    const gas = script(bundle, { htmlDir: dir });
    expect(() => gas.run('missing')).toThrow('No HTML file named Nope was found.');
  });

  test('ContentService builds JSON output', () => {
    const gas = script(bundle);
    expect(gas.run('json')).toEqual(['{"a":1}', 'JSON']);
  });
});

describe('Utilities', () => {
  const gas = script(`
    function fmt(ms, tz, p) { return Utilities.formatDate(new Date(ms), tz, p); }
    function fmtString() { return Utilities.formatDate('2026-01-01', 'UTC', 'yyyy'); }
    function hmac(v, k) { return Utilities.computeHmacSha256Signature(v, k); }
    function hmac512(v, k) { return Utilities.computeHmacSignature(Utilities.MacAlgorithm.HMAC_SHA_512, v, k); }
    function md5(v) { return Utilities.computeDigest(Utilities.DigestAlgorithm.MD5, v); }
    function b64(v) { var e = Utilities.base64Encode(v); return [e, Utilities.base64Decode(e), Utilities.base64EncodeWebSafe(v)]; }
    function sleep() { var t = Date.now(); Utilities.sleep(1500); return Date.now() - t; }
    function blob() { var b = Utilities.newBlob('héllo', 'text/plain', 'a.txt'); return [b.getDataAsString(), b.getBytes().length, b.getContentType(), b.setName('b.txt').getName()]; }
    function csv(s) { return Utilities.parseCsv(s); }
    function uuid() { return Utilities.getUuid(); }`);
  const summer = Date.UTC(2026, 6, 14, 22, 4, 5, 7); // 15 July 00:04:05.007 in Paris
  const winter = Date.UTC(2026, 0, 5, 12, 0, 0);

  test('formatDate in Europe/Paris and UTC, summer and winter', () => {
    expect(gas.run('fmt', [summer, 'Europe/Paris', 'yyyy-MM-dd HH:mm:ss.SSS'])).toBe('2026-07-15 00:04:05.007');
    expect(gas.run('fmt', [summer, 'UTC', 'yyyy-MM-dd HH:mm:ss'])).toBe('2026-07-14 22:04:05');
    expect(gas.run('fmt', [winter, 'Europe/Paris', 'dd/MM/yyyy HH:mm'])).toBe('05/01/2026 13:00');
    expect(gas.run('fmt', [winter, 'UTC', 'dd/MM/yyyy HH:mm'])).toBe('05/01/2026 12:00');
    expect(gas.run('fmt', [summer, 'Europe/Paris', "yyyy-MM-dd'T'HH:mm:ssXXX"])).toBe('2026-07-15T00:04:05+02:00');
    expect(gas.run('fmt', [winter, 'Europe/Paris', 'Z'])).toBe('+0100');
    expect(gas.run('fmt', [winter, 'UTC', 'XXX'])).toBe('Z');
    expect(gas.run('fmt', [summer, 'Europe/Paris', 'EEEE d MMMM yy, EEE MMM'])).toBe('Wednesday 15 July 26, Wed Jul');
    expect(gas.run('fmt', [winter, 'America/New_York', "h:mm a 'o''clock'"])).toBe("7:00 AM o'clock");
    expect(() => gas.run('fmt', [winter, 'UTC', 'yyyy-qq'])).toThrow("Illegal pattern character 'q'");
    expect(() => gas.run('fmtString')).toThrow("The parameters (String,String,String) don't match the method signature for Utilities.formatDate.");
  });

  test('HMAC and digests are signed bytes matching Node crypto', () => {
    expect(gas.run('hmac', ['message', 'secret'])).toEqual(signed(createHmac('sha256', 'secret').update('message').digest()));
    expect(gas.run('hmac512', ['message', 'sécret'])).toEqual(signed(createHmac('sha512', 'sécret').update('message').digest()));
    expect(gas.run('md5', ['abc'])).toEqual(signed(createHash('md5').update('abc').digest()));
    expect((gas.run('hmac', ['m', 'k']) as number[]).some((b) => b < 0)).toBe(true);
  });

  test('base64, sleep, blobs, CSV, uuid', () => {
    expect(gas.run('b64', ['é?>'])).toEqual([Buffer.from('é?>').toString('base64'), signed(Buffer.from('é?>')), Buffer.from('é?>').toString('base64').replace(/\+/g, '-').replace(/\//g, '_')]);
    expect(gas.run('b64', [[-61, -87]])).toEqual(['w6k=', [-61, -87], 'w6k=']);
    const t = gas.clock.now();
    expect(gas.run('sleep')).toBe(1500);
    expect(gas.clock.now() - t).toBe(1500);
    expect(gas.run('blob')).toEqual(['héllo', 6, 'text/plain', 'b.txt']);
    expect(gas.run('csv', ['a,"b ""q"", c"\n1,2\r\n'])).toEqual([['a', 'b "q", c'], ['1', '2']]);
    expect(gas.run('uuid')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Session, Logger, console, ScriptApp info', () => {
  test('session values, log lines in the emulator and the execution', () => {
    const gas = new AppsScript({
      bundle: `function f() { Logger.log('a %s b %s', 1, { x: 2 }); console.log('c', 3); console.error('bad'); return [Session.getScriptTimeZone(), Session.getActiveUser().getEmail(),
        Session.getEffectiveUser().getEmail(), Session.getActiveUserLocale(), ScriptApp.getService().getUrl(), ScriptApp.getScriptId(), typeof ScriptApp.getOAuthToken(), ScriptApp.AuthMode.FULL]; }`,
      scriptId: 'SCRIPT1',
      userEmail: 'me@example.com',
    });
    const d = gas.runDetailed('f');
    expect(d.result).toEqual(['Europe/Paris', 'me@example.com', 'me@example.com', 'fr', expect.stringMatching(/^https:\/\/script\.google\.com\/macros\/s\/[\w-]+\/exec$/), 'SCRIPT1', 'string', 'FULL']);
    expect(d.logs).toEqual(['a 1 b {"x":2}', 'c 3', 'ERROR: bad']);
    expect(gas.logs).toEqual(d.logs);
  });
});

describe('DriveApp', () => {
  test('folders, files by name, copying the active spreadsheet, trash', () => {
    const gas = script(`
      function backup(id) {
        var it = DriveApp.getFoldersByName('Backups');
        var folder = it.hasNext() ? it.next() : DriveApp.createFolder('Backups');
        var copy = DriveApp.getFileById(id).makeCopy('Backup 1', folder);
        return [folder.getId(), copy.getId(), copy.getName(), copy.getDateCreated() instanceof Date];
      }
      function list(folderId) { var out = [], it = DriveApp.getFolderById(folderId).getFiles(); while (it.hasNext()) { var f = it.next(); out.push(f.getName() + ':' + f.isTrashed()); } return out; }
      function trash(folderId) { DriveApp.getFolderById(folderId).getFilesByName('Backup 1').next().setTrashed(true); }
      function bad() { return DriveApp.getFileById('nope'); }`);
    const activeId = gas.spreadsheet.active.id;
    const [folderId, copyId, name, isDate] = gas.run('backup', [activeId]) as [string, string, string, boolean];
    expect([name, isDate]).toEqual(['Backup 1', true]);
    expect(copyId).not.toBe(activeId);
    expect(gas.spreadsheet.get(copyId)?.name).toBe('Backup 1'); // a real copy of the spreadsheet
    expect(gas.run('backup', [activeId])).toEqual([folderId, expect.any(String), 'Backup 1', true]); // the folder is found again
    gas.run('trash', [folderId]);
    expect(gas.run('list', [folderId])).toEqual(['Backup 1:true', 'Backup 1:false']);
    expect(() => gas.run('bad')).toThrow('No item with the given ID could be found');
    expect(() => gas.run('list', [folderId], { kind: 'simple' })).toThrow('You do not have permission to call DriveApp.getFolderById');
  });
});
