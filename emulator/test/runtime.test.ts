/** The runner: fresh context per execution, realm, clock, nesting, locks, budget, kills, web requests, triggers. */
import { AppsScript, ExecutionKilled, FakeClock, type FetchRouter } from '../index';

const script = (bundle: string, opts: { now?: number | Date; fetch?: FetchRouter; properties?: Record<string, string> } = {}) =>
  new AppsScript({ bundle, now: opts.now ?? Date.UTC(2026, 10, 23, 9, 0, 0), fetch: opts.fetch, properties: opts.properties });

describe('executions', () => {
  test('the top level runs afresh in each execution: a top-level counter does not survive', () => {
    const gas = script('var n = 0; function inc() { n++; globalThis.leak = (globalThis.leak || 0) + 1; return [n, globalThis.leak]; }');
    expect(gas.run('inc')).toEqual([1, 1]);
    expect(gas.run('inc')).toEqual([1, 1]);
  });

  test('only the stores survive between executions', () => {
    const gas = script(`
      function save() { PropertiesService.getScriptProperties().setProperty('k', 'v'); CacheService.getScriptCache().put('c', 'x'); }
      function load() { return [PropertiesService.getScriptProperties().getProperty('k'), CacheService.getScriptCache().get('c')]; }`);
    expect(gas.run('load')).toEqual([null, null]);
    gas.run('save');
    expect(gas.run('load')).toEqual(['v', 'x']);
    expect(gas.properties.script.get('k')).toBe('v');
  });

  test('the context has the Apps Script globals and no Node or browser globals at load', () => {
    const gas = script(`
      var atLoad = [typeof require, typeof process, typeof module, typeof exports, typeof window, typeof setTimeout, typeof setInterval, typeof Buffer, typeof global];
      var services = [typeof SpreadsheetApp, typeof PropertiesService, typeof CacheService, typeof LockService, typeof ScriptApp, typeof MailApp,
        typeof UrlFetchApp, typeof ContentService, typeof HtmlService, typeof Utilities, typeof Session, typeof Logger, typeof console, typeof DriveApp, typeof Charts];
      function probe() { return { atLoad: atLoad, services: services, gmail: typeof GmailApp }; }`);
    const r = gas.run('probe') as { atLoad: string[]; services: string[]; gmail: string };
    expect(r.atLoad).toEqual(Array(9).fill('undefined'));
    expect(r.services).toEqual(Array(15).fill('object'));
    expect(r.gmail).toBe('undefined');
  });

  test('Date reads the fake clock and stays a real Date', () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 2, 3, 4, 5));
    const gas = new AppsScript({
      bundle: `function now() { var d = new Date(); return [d.getTime(), Date.now(), Object.prototype.toString.call(d), d instanceof Date, new Date(0).getTime(),
        new Date(2026, 0, 1).getFullYear(), typeof Date(), Date.UTC(2000, 0, 1), new Date('2020-01-01T00:00:00Z').getTime(), d.constructor === Date]; }`,
      clock,
    });
    expect(gas.run('now')).toEqual([clock.now(), clock.now(), '[object Date]', true, 0, 2026, 'string', Date.UTC(2000, 0, 1), Date.UTC(2020, 0, 1), true]);
    clock.advance(90_000);
    expect((gas.run('now') as number[])[0]).toBe(Date.UTC(2026, 0, 2, 3, 5, 35));
  });

  test('arguments are copied into the script realm; results come back as host values', () => {
    const gas = script(`function check(e) { return { obj: e instanceof Object, arr: e.list instanceof Array, date: e.when instanceof Date, ms: e.when.getTime(), nested: e.list[1].a instanceof Object, back: new Date(7) }; }`);
    const r = gas.run('check', [{ list: [1, { a: {} }], when: new Date(5) }]) as Record<string, unknown>;
    expect(r).toEqual({ obj: true, arr: true, date: true, ms: 5, nested: true, back: new Date(7) });
    expect(r.back).toBeInstanceOf(Date);
  });

  test('service errors are made in the script realm and a missing method throws "not implemented"', () => {
    const gas = script(`function f() { try { PropertiesService.getScriptProperties().getPropertyz('a'); } catch (e) { return [e instanceof Error, e.message]; } }
      function g() { return Session.getActiveUser().getUsername(); }`);
    expect(gas.run('f')).toEqual([true, 'not implemented: Properties.getPropertyz']);
    expect(() => gas.run('g')).toThrow('not implemented: User.getUsername');
  });

  test('calls are counted per service, and lastCalls is the most recent execution', () => {
    const gas = script(`function f() { var p = PropertiesService.getScriptProperties(); p.setProperty('a', 1); p.getProperty('a'); p.getProperty('b'); Utilities.getUuid(); }
      function g() { Session.getScriptTimeZone(); }`);
    const d = gas.runDetailed('f');
    expect(d.calls.count('Properties')).toBe(4);
    expect(d.calls.byMethod('Properties')).toEqual({ 'PropertiesService.getScriptProperties': 1, 'Properties.setProperty': 1, 'Properties.getProperty': 2 });
    expect(d.calls.count('Utilities')).toBe(1);
    expect(gas.lastCalls).toBe(d.calls);
    gas.run('g');
    expect(gas.lastCalls.sequence()).toEqual(['Session:Session.getScriptTimeZone']);
  });

  test('run throws the script error; runDetailed reports it; an unknown function is "Script function not found"', () => {
    const gas = script(`function boom() { Logger.log('before'); throw new TypeError('bad thing'); } function ok() { return 1; }`);
    expect(() => gas.run('boom')).toThrow('bad thing');
    const d = gas.runDetailed('boom');
    expect((d.error as Error).message).toBe('bad thing');
    expect((d.error as Error).name).toBe('TypeError');
    expect(d.logs).toEqual(['before']);
    expect(d.killed).toBeUndefined();
    const ok = gas.runDetailed('ok');
    expect([ok.result, 'error' in ok]).toEqual([1, false]);
    expect(() => gas.run('nope')).toThrow('Script function not found: nope');
  });

  test('an error in the top level fails every execution', () => {
    const gas = script(`var x = PropertiesService.getScriptProperties().nope(); function f() { return 1; }`);
    expect(() => gas.run('f')).toThrow('not implemented: Properties.nope');
  });

  test('a value written to the spreadsheet in one execution is read in the next', () => {
    const gas = script(`function write(v) { SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('B2').setValue(v); }
      function read() { return SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('B2').getValue(); }`);
    expect(gas.run('read')).toBe('');
    gas.run('write', ['persisted']);
    expect(gas.lastCalls.count('Sheets', ['Range.setValue'])).toBe(1);
    expect(gas.run('read')).toBe('persisted');
  });

  test('hasGlobal tells which functions the bundle defines', () => {
    const gas = script('function a() {} var b = 1; const c = () => 1;');
    expect([gas.hasGlobal('a'), gas.hasGlobal('b'), gas.hasGlobal('zz')]).toEqual([true, false, false]);
  });
});

describe('nested executions and locks', () => {
  const bundle = `
    function holder() {
      var lock = LockService.getScriptLock();
      lock.waitLock(1000);
      var r = UrlFetchApp.fetch('https://example.test/deliver');
      return [lock.hasLock(), r.getContentText()];
    }
    function contender() {
      var lock = LockService.getScriptLock();
      var t0 = Date.now();
      var got = lock.tryLock(5000);
      var err = null;
      try { lock.waitLock(3000); } catch (e) { err = e.message; }
      return { got: got, err: err, waited: Date.now() - t0, has: lock.hasLock() };
    }
    function grabAndFail() { LockService.getScriptLock().waitLock(10); throw new Error('boom'); }`;

  test('while A holds the script lock, B (run from A\'s fetch) cannot get it, and waiting advances the clock', () => {
    let inner: unknown;
    const gas = script(bundle);
    gas.fetch = () => {
      inner = gas.runDetailed('contender');
      return { status: 200, body: 'delivered' };
    };
    const t0 = gas.clock.now();
    expect(gas.run('holder')).toEqual([true, 'delivered']);
    expect(inner).toMatchObject({ result: { got: false, err: 'Lock timeout: another process was holding the lock for too long.', waited: 8000, has: false } });
    expect(gas.clock.now() - t0).toBe(8000);
    // A ended: its lock is free, and an execution re-acquiring its own lock succeeds.
    expect(gas.locks.holder('script')).toBeUndefined();
    expect(gas.run('contender')).toEqual({ got: true, err: null, waited: 0, has: true });
  });

  test('a lock is released when its execution fails', () => {
    const gas = script(bundle);
    expect(() => gas.run('grabAndFail')).toThrow('boom');
    expect(gas.locks.holder('script')).toBeUndefined();
  });

  test('the document and user locks are separate from the script lock', () => {
    const gas = script(`function f() { LockService.getScriptLock().waitLock(1); UrlFetchApp.fetch('https://x.test'); }
      function g() { return [LockService.getDocumentLock().tryLock(1), LockService.getUserLock().tryLock(1), LockService.getScriptLock().tryLock(1)]; }`);
    let inner: unknown;
    gas.fetch = () => ((inner = gas.run('g')), { status: 200, body: '' });
    gas.run('f');
    expect(inner).toEqual([true, true, false]);
  });
});

describe('killed executions and the 6-minute budget', () => {
  const bundle = `
    function twoWrites() {
      var lock = LockService.getScriptLock(); lock.waitLock(10);
      var p = PropertiesService.getScriptProperties();
      p.setProperty('a', '1');
      p.setProperty('b', '2');
      return 'done';
    }
    function swallow() {
      var p = PropertiesService.getScriptProperties();
      try { p.setProperty('a', '1'); } catch (e) {}
      try { p.setProperty('b', '2'); } catch (e) {}
      return 'survived';
    }
    function long(catchIt) {
      Utilities.sleep(300000);
      Utilities.sleep(61000);
      try { PropertiesService.getScriptProperties(); } catch (e) { if (!catchIt) throw e; }
      return 'finished';
    }
    function justInTime() { Utilities.sleep(300000); Utilities.sleep(60000); return Session.getScriptTimeZone(); }`;

  const killAfterFirstWrite = (gas: AppsScript) => {
    gas.afterCall = (service, method, exec) => {
      expect(exec.kind).toBe('editor');
      if (method === 'Properties.setProperty') throw new ExecutionKilled(method);
    };
  };

  test('ExecutionKilled from afterCall ends the execution right after that call and frees its locks', () => {
    const gas = script(bundle);
    killAfterFirstWrite(gas);
    const d = gas.runDetailed('twoWrites');
    expect(d.killed).toBe(true);
    expect(d.error).toBeInstanceOf(ExecutionKilled);
    expect(gas.properties.script.get('a')).toBe('1');
    expect(gas.properties.script.has('b')).toBe(false);
    expect(gas.locks.holder('script')).toBeUndefined();
    expect(() => gas.run('twoWrites')).toThrow(ExecutionKilled);
  });

  test('a script that catches its death is still dead', () => {
    const gas = script(bundle);
    killAfterFirstWrite(gas);
    const d = gas.runDetailed('swallow');
    expect(d).toMatchObject({ killed: true });
    expect(d.result).toBeUndefined();
    expect(gas.properties.script.has('b')).toBe(false);
  });

  test('after 6 minutes on the fake clock the next service call throws, caught or not', () => {
    const gas = script(bundle);
    expect(() => gas.run('long', [false])).toThrow('Exceeded maximum execution time');
    const d = gas.runDetailed('long', [true]);
    expect((d.error as Error).message).toBe('Exceeded maximum execution time');
    expect(gas.run('justInTime')).toBe('Europe/Paris'); // exactly 360 s is still allowed
  });
});

describe('web requests', () => {
  const bundle = `
    function doPost(e) {
      return ContentService.createTextOutput(JSON.stringify({
        parameter: e.parameter, parameters: e.parameters, queryString: e.queryString, contents: e.postData.contents,
        type: e.postData.type, length: e.postData.length, contentLength: e.contentLength, isObject: e instanceof Object, isArray: e.parameters.token instanceof Array,
        kind: Session.getActiveUser().getEmail(),
      })).setMimeType(ContentService.MimeType.JSON);
    }
    function doGet(e) {
      if (e.parameter.page) return HtmlService.createHtmlOutput('<p>' + e.parameter.page + '</p>');
      if (e.parameter.none) return;
      return ContentService.createTextOutput('hello ' + e.parameter.name + ' ' + e.contentLength + ' ' + (e.postData === undefined));
    }`;

  test('doPost gets a real-looking event from the query and a form-encoded body (fields also in e.parameter)', () => {
    const gas = script(bundle);
    const res = gas.request({ method: 'POST', query: { token: 'abc', tag: ['x', 'y z'] }, body: 'name=Jos%C3%A9+D&tag=w&empty=', contentType: 'application/x-www-form-urlencoded' });
    expect(res.mimeType).toBe('application/json');
    expect(JSON.parse(res.content)).toEqual({
      parameter: { token: 'abc', tag: 'x', name: 'José D', empty: '' },
      parameters: { token: ['abc'], tag: ['x', 'y z', 'w'], name: ['José D'], empty: [''] },
      queryString: 'token=abc&tag=x&tag=y+z',
      contents: 'name=Jos%C3%A9+D&tag=w&empty=',
      type: 'application/x-www-form-urlencoded',
      length: 29,
      contentLength: 29,
      isObject: true,
      isArray: true,
      kind: '',
    });
    expect(res.calls.count('Content')).toBe(2);
  });

  test('a JSON body stays out of e.parameter', () => {
    const gas = script(bundle);
    const body = JSON.stringify({ id: 'evt_1', amount: 'é' });
    const out = JSON.parse(gas.request({ method: 'POST', query: { t: '1' }, body, contentType: 'application/json' }).content);
    expect(out.parameter).toEqual({ t: '1' });
    expect(out.contents).toBe(body);
    expect(out.type).toBe('application/json');
    expect(out.length).toBe(Buffer.byteLength(body));
  });

  test('doGet: text, HTML and no output', () => {
    const gas = script(bundle);
    expect(gas.request({ method: 'GET', query: { name: 'Léa' } })).toMatchObject({ mimeType: 'text/plain', content: 'hello Léa -1 true' });
    expect(gas.request({ method: 'GET', query: { page: 'x' } })).toMatchObject({ mimeType: 'text/html', content: '<p>x</p>' });
    expect(gas.request({ method: 'GET', query: { none: '1' } }).content).toBe('The script completed but did not return anything.');
  });
});

describe('time-driven triggers', () => {
  const bundle = `
    function install(h) { return ScriptApp.newTrigger('daily').timeBased().atHour(h).everyDays(1).create().getUniqueId(); }
    function installEvery(n) { ScriptApp.newTrigger('tick').timeBased().everyMinutes(n).create(); }
    function daily(e) { PropertiesService.getScriptProperties().setProperty('last', Utilities.formatDate(new Date(), 'Europe/Paris', 'yyyy-MM-dd HH:mm') + ' ' + e.triggerUid + ' ' + (e instanceof Object)); }
    function tick() { var p = PropertiesService.getScriptProperties(); p.setProperty('ticks', Number(p.getProperty('ticks') || 0) + 1); }
    function list() { return ScriptApp.getProjectTriggers().map(function (t) { return [t.getHandlerFunction(), t.getEventType(), t.getTriggerSource()]; }); }
    function removeAll() { ScriptApp.getProjectTriggers().forEach(function (t) { ScriptApp.deleteTrigger(t); }); }
    function many() { for (var i = 0; i < 21; i++) ScriptApp.newTrigger('tick').timeBased().everyHours(1).create(); }
    function onOpenTrigger() { ScriptApp.newTrigger('daily').forSpreadsheet('sheet-id').onOpen().create(); }`;

  test('a daily trigger fires at its hour in Europe/Paris, across the spring DST change', () => {
    const gas = script(bundle, { now: Date.UTC(2026, 2, 27, 12, 0) }); // Friday 27 March 2026, 13:00 in Paris (CET)
    const uid = gas.run('install', [9]) as string;
    expect(gas.triggers.list()[0].nextDue).toBe(Date.UTC(2026, 2, 28, 8, 0)); // 09:00 CET
    gas.clock.set(Date.UTC(2026, 2, 28, 7, 59));
    expect(gas.fireDueTriggers()).toEqual([]);
    gas.clock.set(Date.UTC(2026, 2, 28, 8, 0));
    expect(gas.fireDueTriggers()).toEqual(['daily']);
    expect(gas.properties.script.get('last')).toBe(`2026-03-28 09:00 ${uid} true`);
    expect(gas.fireDueTriggers()).toEqual([]); // once per due time
    // Sunday 29 March: clocks go forward at 02:00, 09:00 is now 07:00 UTC.
    gas.clock.set(Date.UTC(2026, 2, 29, 7, 0));
    expect(gas.fireDueTriggers()).toEqual(['daily']);
    expect(gas.properties.script.get('last')).toBe(`2026-03-29 09:00 ${uid} true`);
    expect(gas.triggers.list()[0].nextDue).toBe(Date.UTC(2026, 2, 30, 7, 0));
    expect(gas.run('list')).toEqual([['daily', 'CLOCK', 'CLOCK']]);
  });

  test('a trigger due while the clock jumped fires once and is rescheduled after now', () => {
    const gas = script(bundle, { now: Date.UTC(2026, 9, 20, 12, 0) });
    gas.run('install', [6]);
    gas.clock.set(Date.UTC(2026, 9, 26, 12, 0)); // after the autumn change (25 October)
    expect(gas.fireDueTriggers()).toEqual(['daily']);
    expect(gas.triggers.list()[0].nextDue).toBe(Date.UTC(2026, 9, 27, 5, 0)); // 06:00 CET
  });

  test('everyMinutes accepts only 1, 5, 10, 15, 30 and runs from creation time', () => {
    const gas = script(bundle);
    expect(() => gas.run('installEvery', [7])).toThrow('Invalid argument: minutes');
    expect(gas.triggers.list()).toHaveLength(0);
    gas.run('installEvery', [5]);
    gas.clock.advance(4 * 60_000);
    expect(gas.fireDueTriggers()).toEqual([]);
    gas.clock.advance(60_000);
    expect(gas.fireDueTriggers()).toEqual(['tick']);
    gas.clock.advance(5 * 60_000);
    expect(gas.fireDueTriggers()).toEqual(['tick']);
    expect(gas.properties.script.get('ticks')).toBe('2');
  });

  test('a simple trigger may not install triggers; more than 20 triggers throws; deleteTrigger removes', () => {
    const gas = script(bundle);
    expect(() => gas.run('install', [9], { kind: 'simple' })).toThrow('You do not have permission to call ScriptApp.newTrigger');
    expect(() => gas.run('many')).toThrow('too many triggers');
    expect(gas.triggers.list()).toHaveLength(20);
    gas.run('removeAll');
    expect(gas.triggers.list()).toHaveLength(0);
    gas.run('onOpenTrigger');
    expect(gas.triggers.list()[0]).toMatchObject({ handler: 'daily', eventType: 'ON_OPEN', source: 'SPREADSHEETS', sourceId: 'sheet-id', nextDue: null });
  });

  test('a failing trigger is recorded and does not stop the others', () => {
    const gas = script(`function a() { throw new Error('a failed'); } function b() { PropertiesService.getScriptProperties().setProperty('b', 'ran'); }
      function setup() { ScriptApp.newTrigger('a').timeBased().after(1000).create(); ScriptApp.newTrigger('b').timeBased().after(2000).create(); }`);
    gas.run('setup');
    gas.clock.advance(5000);
    expect(gas.fireDueTriggers()).toEqual(['a', 'b']);
    expect(gas.triggers.failures.map((f) => [f.handler, (f.error as Error).message])).toEqual([['a', 'a failed']]);
    expect(gas.properties.script.get('b')).toBe('ran');
    gas.clock.advance(60_000);
    expect(gas.fireDueTriggers()).toEqual([]); // one-shot triggers do not fire again
  });
});

describe('beforeCall (fault injection)', () => {
  test('a call it fails throws a script error the script can catch, and the call does not happen', () => {
    const gas = script(`function send() {
      try { MailApp.sendEmail('a@example.fr', 's', 'b'); return 'sent'; } catch (e) { return (e instanceof Error) + ':' + e.message; }
    }`);
    gas.beforeCall = (service, method) => (method === 'MailApp.sendEmail' ? 'Service unavailable: Gmail' : undefined);
    expect(gas.run('send')).toBe('true:Service unavailable: Gmail');
    expect(gas.mail.outbox).toHaveLength(0);
    gas.beforeCall = undefined;
    expect(gas.run('send')).toBe('sent');
    expect(gas.mail.outbox).toHaveLength(1);
  });
});

describe('who runs an execution (issue 15)', () => {
  const bundle = `
    function who() {
      var ss = SpreadsheetApp.getActiveSpreadsheet(), owner = ss.getOwner();
      return { active: Session.getActiveUser().getEmail(), effective: Session.getEffectiveUser().getEmail(),
        owner: owner ? owner.getEmail() : null, editors: ss.getEditors().map(function (u) { return u.getEmail(); }),
        triggers: ScriptApp.getProjectTriggers().map(function (t) { return t.getHandlerFunction(); }) };
    }
    function install() { ScriptApp.newTrigger('tick').timeBased().everyMinutes(5).create(); }
    function tick(e) { PropertiesService.getScriptProperties().setProperty('tick', JSON.stringify({ uid: e.triggerUid, who: who() })); }
    function private_() { return 'hidden'; }`;

  test('the script editor or a sidebar: the person is active and effective user; the owner by default', () => {
    const gas = new AppsScript({ bundle, userEmail: 'me@example.com', editors: ['ed@example.com'] });
    expect(gas.run('who')).toEqual({ active: 'me@example.com', effective: 'me@example.com', owner: 'me@example.com', editors: ['ed@example.com'], triggers: [] });
    expect(gas.run('who', [], { user: 'ed@example.com' })).toMatchObject({ active: 'ed@example.com', effective: 'ed@example.com' });
  });

  test("google.script.run from a page the web app served: blank (or the named visitor) active, the owner effective; no private function", () => {
    const gas = new AppsScript({ bundle, userEmail: 'me@example.com' });
    expect(gas.run('who', [], { kind: 'web' })).toMatchObject({ active: '', effective: 'me@example.com' });
    expect(gas.run('who', [], { kind: 'web', user: 'colleague@example.com' })).toMatchObject({ active: 'colleague@example.com', effective: 'me@example.com' });
    expect(() => gas.run('private_', [], { kind: 'web' })).toThrow('Script function not found: private_');
    expect(gas.run('private_')).toBe('hidden');
    expect(gas.globals()).toEqual(['who', 'install', 'tick', 'private_']);
  });

  test('a trigger runs as its creator with its event, and only its creator sees it', () => {
    const gas = new AppsScript({ bundle, userEmail: 'me@example.com', now: Date.UTC(2026, 10, 23, 9, 0, 0) });
    gas.spreadsheet.editors.push('ed@example.com');
    gas.run('install', [], { user: 'ed@example.com' });
    const [t] = gas.triggers.list();
    expect(t.createdBy).toBe('ed@example.com');
    expect((gas.run('who') as { triggers: string[] }).triggers).toEqual([]);
    expect((gas.run('who', [], { user: 'ed@example.com' }) as { triggers: string[] }).triggers).toEqual(['tick']);
    gas.clock.advance(5 * 60000);
    expect(gas.fireDueTriggers()).toEqual(['tick']);
    const seen = JSON.parse(gas.properties.script.get('tick')!);
    expect(seen).toMatchObject({ uid: t.uid, who: { active: 'ed@example.com', effective: 'ed@example.com', triggers: ['tick'] } });
  });

  test("switches: a blank active user in triggers (Google does not say); a shared-drive spreadsheet has no owner", () => {
    const gas = new AppsScript({ bundle, triggerActiveUser: 'blank' });
    gas.spreadsheet.owner = null;
    gas.run('install');
    gas.clock.advance(5 * 60000);
    gas.fireDueTriggers();
    expect(JSON.parse(gas.properties.script.get('tick')!).who).toMatchObject({ active: '', effective: 'owner@example.com', owner: null });
  });
});
