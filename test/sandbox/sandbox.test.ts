/**
 * The local sandbox (`npm start`, issue 8): the server runs the built bundle, answers /exec like the
 * deployed web app, persists the workbook to .xlsx (types intact) and state.json across restarts.
 * Everything runs in a temporary data directory on a free port; nothing leaves this machine.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { SpreadsheetStore } from '../../emulator';
import { startSandbox, type RunningSandbox } from '../../sandbox/app';
import { realFetch } from '../../sandbox/real-fetch';
import { loadWorkbook, saveWorkbook, toWorkbook } from '../../sandbox/workbook';

type GridCell = { v: unknown; t: 's' | 'n' | 'b' | 'd'; d: string } | null;
type Grid = { header: GridCell[]; rows: { n: number; cells: GridCell[] }[]; lastRow: number };

/** Tuesday 24 November 2026, 10:00 in Paris: inside the SMS hours, so a new lead is texted at once. */
const TUESDAY_10H = new Date('2026-11-24T09:00:00Z');
const TOKEN = 'sandbox-webhook-token-7c21'; // sandbox/sandbox.env
const PHONE = '+33612345678';

const dir = mkdtempSync(join(tmpdir(), 'sirrius-sandbox-'));
let running: RunningSandbox;
/** A private copy of the built bundle and its pages, so a rebuild of dist/ meanwhile cannot pull it away. */
const bundlePath = join(dir, 'dist', 'Code.js');

async function get<T = any>(path: string): Promise<T> {
  const res = await fetch(running.url + path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function post<T = any>(path: string, body: unknown): Promise<T> {
  const res = await fetch(running.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
}

function column(grid: Grid, name: string): number {
  return grid.header.findIndex((c) => c?.v === name);
}

function leadRow(grid: Grid, phone: string): GridCell[] | undefined {
  return grid.rows.find((r) => r.cells[column(grid, 'phone')]?.v === phone)?.cells;
}

/** Waits until dist/Code.js exists and stops changing (a build running alongside rewrites dist/). */
async function stableBundle(dist: string): Promise<void> {
  const file = join(dist, 'Code.js');
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const size = existsSync(file) ? statSync(file).size : -1;
    if (size > 0 && size === last) return;
    last = size;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('dist/Code.js is missing: run `npm run build` (npm test does it).');
}

beforeAll(async () => {
  const dist = join(__dirname, '..', '..', 'dist');
  await stableBundle(dist);
  mkdirSync(join(dir, 'dist'));
  for (const f of readdirSync(dist).filter((f) => f === 'Code.js' || f.endsWith('.html'))) copyFileSync(join(dist, f), join(dir, 'dist', f));
  running = await startSandbox({ dir, bundlePath, port: 0, now: TUESDAY_10H, triggerIntervalMs: 0 });
});

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox server', () => {
  test('first start runs setup(): the workbook exists with every tab, and the Sirrius menu is built', async () => {
    expect(existsSync(join(dir, 'sirrius.xlsx'))).toBe(true);
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
    const state = await get('/api/state');
    expect(state.sheets).toEqual(expect.arrayContaining(['Leads', 'Events', 'Config']));
    expect(state.menus[0].caption).toBe('Sirrius');
    expect(state.webAppUrl).toBe(`${running.url}/exec`);
    expect(state.lastSaveError).toBeNull();
    expect(state.triggers.map((t: { handler: string }) => t.handler)).toContain('reconcile');
  });

  test('a Meta lead posted to /exec is in the grid, texted, and the SMS link points at the local web app', async () => {
    const created = await post('/api/meta/lead', { name: 'Camille Durand', phone: PHONE, email: 'camille@example.fr', send: false });
    expect(created.answer).toBeUndefined();
    // The webhook goes through HTTP exactly as Meta (or curl) would send it.
    const res = await fetch(`${running.url}/exec?source=facebook&token=${TOKEN}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(created.webhook),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ ok: true });

    const grid = await get<Grid>('/api/sheet/Leads');
    const row = leadRow(grid, PHONE);
    expect(row).toBeDefined();
    expect(row![column(grid, 'phone')]).toMatchObject({ t: 's', v: PHONE });
    expect(row![column(grid, 'created_at')]?.t).toBe('d');
    expect(row![column(grid, 'fb_lead_id')]).toMatchObject({ t: 's', v: created.leadgenId });

    const outbox = await get<{ sms: { to: string; body: string; status: string }[] }>('/api/outbox');
    const sms = outbox.sms.find((m) => m.to === PHONE);
    expect(sms).toBeDefined();
    // Issue 22: the control page shows each SMS's status at Twilio.
    expect(sms!.status).toMatch(/^(queued|sent|delivered)$/);
    // Issue 21: and what Meta's Conversions API received (nothing without META_DATASET_ID).
    expect((await get<{ capiEvents: unknown[] }>('/api/state')).capiEvents).toEqual([]);
    expect(sms!.body).not.toContain('script.google.com');
    for (const url of sms!.body.match(/https?:\/\/\S+/g) ?? []) expect(url.startsWith(`${running.url}/exec`)).toBe(true);
  });

  test('a wrong token gets {"ok":false} and writes nothing', async () => {
    const { webhook } = await post('/api/meta/lead', { name: 'Intrus', phone: '+33699999999', send: false });
    const snapshot = async () => {
      const { sheets } = await get<{ sheets: string[] }>('/api/sheets');
      return JSON.stringify(await Promise.all(sheets.map((s) => get(`/api/sheet/${encodeURIComponent(s)}`))));
    };
    const before = await snapshot();
    const res = await fetch(`${running.url}/exec?source=facebook&token=${TOKEN}x`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(webhook) });
    expect(await res.json()).toMatchObject({ ok: false });
    expect(await snapshot()).toBe(before);
  });

  test('an SMS reply is posted form-encoded and answered with TwiML', async () => {
    const out = await post('/api/twilio/reply', { from: PHONE, body: 'STOP' });
    expect(out.answer).toContain('<Response/>');
  });

  test('/api/clock runs reconcile, and refuses what is not a time-driven function', async () => {
    const out = await post('/api/clock', { action: 'run', fn: 'reconcile' });
    expect(out).toMatchObject({ ok: true });
    expect(out.result).toEqual(expect.any(Object));
    const refused = await fetch(`${running.url}/api/clock`, { method: 'POST', body: JSON.stringify({ action: 'run', fn: 'doPost' }) });
    expect(refused.status).toBe(400);
  });

  test('/api/clock moves to the next Paris hour and fires the triggers that became due', async () => {
    const out = await post('/api/clock', { action: 'set', hour: 15 });
    expect(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(out.now)).toBe('15:00');
    expect(out.ran).toContain('reconcile');
  });

  test('an outage makes the next calls to that provider fail, until restored', async () => {
    await post('/api/outage', { provider: 'graph', times: null, mode: 'network' });
    expect((await get('/api/state')).outages.graph).toEqual({ left: null, mode: 'network' });
    const out = await post('/api/clock', { action: 'run', fn: 'reconcile' });
    expect(JSON.stringify(out.result)).toMatch(/Address unavailable/);
    await post('/api/outage', { provider: 'graph', restore: true });
    expect((await get('/api/state')).outages).toEqual({});
  });

  test('concurrent webhooks are executed one at a time: every lead is recorded once', async () => {
    const phones = ['+33611000001', '+33611000002', '+33611000003', '+33611000004'];
    await Promise.all(phones.map((phone) => post('/api/meta/lead', { name: 'Client Pressé', phone })));
    const grid = await get<Grid>('/api/sheet/Leads');
    for (const phone of phones) expect(grid.rows.filter((r) => r.cells[column(grid, 'phone')]?.v === phone)).toHaveLength(1);
    const ids = grid.rows.map((r) => r.cells[column(grid, 'id')]?.v).filter((id) => id !== undefined); // the grid also shows empty rows to type in
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the Dashboard tab gives its charts with the data read from their ranges', async () => {
    const res = await fetch(`${running.url}/api/run`, { method: 'POST', body: JSON.stringify({ fn: 'refreshDashboard' }) });
    expect(res.status).toBe(200);
    type ChartView = { title: string; type: string; ranges: string[]; position: { row: number; col: number }; data: { labels: string[]; series: { name: string; values: number[] }[] } };
    const grid = await get<{ charts: ChartView[] }>('/api/sheet/Dashboard');
    expect(grid.charts.map((c) => c.type)).toEqual(['GAUGE', 'LINE', 'COLUMN', 'LINE']); // the last: the median minutes to contact (issue 22)
    expect(grid.charts[1].ranges).toEqual(['A10:C40']);
    const [gauge, line, column] = grid.charts;
    expect(gauge.data.series[0].values).toEqual([expect.any(Number)]);
    expect(line.data.labels).toHaveLength(30);
    expect(line.data.labels[0]).toMatch(/^\d\d\/\d\d$/); // day labels, dd/MM
    expect(line.data.series.map((x) => x.name)).toEqual(['Leads reçus', 'Conversions']);
    expect(line.data.series[0].values.every((v) => typeof v === 'number')).toBe(true);
    expect(column.data.series).toHaveLength(1);
    expect(column.position).toMatchObject({ row: 27, col: 6 });
  });

  test("a person's edits: typed input parsed as Sheets does, a rejecting rule refuses, rows and the filter", async () => {
    const grid = await get<Grid>('/api/sheet/Leads');
    const row = grid.rows.find((r) => r.cells[column(grid, 'phone')]?.v === PHONE)!.n;
    const mrr = column(grid, 'mrr') + 1;
    expect(await post('/api/cells/type', { sheet: 'Leads', row, col: mrr, values: [['12,5']] })).toEqual({ ok: true });
    const leads = running.sandbox.gas.spreadsheet.active.sheet('Leads');
    expect(leads.values()[row - 1][mrr - 1]).toBe(12.5);
    // Saved in the workbook before the answer.
    expect((await loadWorkbook(join(dir, 'sirrius.xlsx'))).active.sheet('Leads').values()[row - 1][mrr - 1]).toBe(12.5);
    // A rule that rejects (allowInvalid false) refuses the input and keeps the old value.
    const rule = Object.freeze({ criteriaType: 'VALUE_IN_LIST', criteriaValues: Object.freeze([['a', 'b'], true]), allowInvalid: false, helpText: null });
    leads.validations.set(row, mrr, rule);
    const res = await fetch(`${running.url}/api/cells/type`, { method: 'POST', body: JSON.stringify({ sheet: 'Leads', row, col: mrr, values: [['zz']] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/ne respectent pas les règles de validation/);
    expect(leads.values()[row - 1][mrr - 1]).toBe(12.5);
    leads.validations.set(row, mrr, undefined);
    expect(await post('/api/filter', { sheet: 'Leads', action: 'create' })).toMatchObject({ ok: true });
    const status = column(grid, 'status') + 1;
    expect(await post('/api/filter', { sheet: 'Leads', action: 'criteria', column: status, type: 'TEXT_EQUAL_TO', value: 'converted' })).toMatchObject({ ok: true, hiddenRows: expect.any(Number) });
    expect(leads.filter!.hidden.has(row)).toBe(true);
  });

  test('only existing globals run; private ones (trailing _) never', async () => {
    for (const fn of ['nexistePas', 'setup_']) {
      const res = await fetch(`${running.url}/api/run`, { method: 'POST', body: JSON.stringify({ fn }) });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/Fonction introuvable/);
    }
  });

  test('the control page and the Sheet page answer in French, with their scripts', async () => {
    for (const [path, words] of [
      ['/', ['Pilotage', 'Créer le lead Meta', 'Mettre en panne', 'SMS envoyés', 'data-testid="meta-submit"']],
      ['/control', ['Horloge']],
      ['/sheet', ['La feuille', 'data-testid="grid"', 'data-testid="sidebar"']],
    ] as const) {
      const res = await fetch(running.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('lang="fr"');
      for (const w of words) expect(html).toContain(w);
    }
    for (const file of ['control.js', 'sheet.js', 'gas-shim.js', 'common.js', 'sandbox.css']) expect((await fetch(`${running.url}/static/${file}`)).status).toBe(200);
    expect((await fetch(`${running.url}/static/..%2Fapp.ts`)).status).toBe(404);
  });

  test('after a restart on the same folder, the lead is in the .xlsx and the grid with its types', async () => {
    await running.close();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'sirrius.xlsx'));
    const ws = wb.getWorksheet('Leads')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const phoneCol = header.indexOf('phone') + 1;
    const createdCol = header.indexOf('created_at') + 1;
    let found = 0;
    ws.eachRow((row, n) => {
      if (n === 1 || row.getCell(phoneCol).value !== PHONE) return;
      found++;
      expect(typeof row.getCell(phoneCol).value).toBe('string');
      expect(row.getCell(createdCol).value).toBeInstanceOf(Date);
    });
    expect(found).toBe(1);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    running = await startSandbox({ dir, bundlePath, port: 0, triggerIntervalMs: 0 });
    expect(running.sandbox.fresh).toBe(false);
    const grid = await get<Grid>('/api/sheet/Leads');
    const lead = leadRow(grid, PHONE)!;
    expect(lead[column(grid, 'phone')]).toMatchObject({ t: 's', v: PHONE });
    expect(lead[column(grid, 'created_at')]?.t).toBe('d');
    // '@' text columns survive, so the script keeps writing phones as text.
    const leads = running.sandbox.gas.spreadsheet.active.sheet('Leads');
    expect(leads.numberFormat(500, column(grid, 'phone') + 1)).toBe('@');
    expect(leads.frozenRows).toBe(1);
    // What xlsx does not hold comes back from state.json: dropdowns, checkboxes, colours, charts, the filter.
    expect(leads.dataValidation(700, column(grid, 'status') + 1)?.criteriaValues[0]).toEqual(['new', 'contacted', 'converted', 'rejected', 'opted_out']);
    expect(leads.dataValidation(2, column(grid, 'sms_sent') + 1)?.criteriaType).toBe('CHECKBOX');
    expect(leads.conditionalRules.length).toBeGreaterThan(0);
    expect(leads.conditionalRules[0].ranges[0].sheet).toBe(leads);
    expect(leads.filter?.criteria.size).toBe(1);
    const dashboard = running.sandbox.gas.spreadsheet.active.sheet('Dashboard');
    expect(dashboard.chartList.map((c) => [c.type, c.a1])).toEqual([['GAUGE', ['A5:B5']], ['LINE', ['A10:C40']], ['COLUMN', ['A10:A40', 'D10:D40']], ['LINE', ['A69:B99']]]);
    // A refresh after the restart finds its charts again instead of adding four more.
    await post('/api/run', { fn: 'refreshDashboard' });
    expect(dashboard.charts).toHaveLength(4);
    // State survives too: the outbox, the trigger, the script's own properties, the providers' ids.
    expect((await get('/api/outbox')).sms.some((m: { to: string }) => m.to === PHONE)).toBe(true);
    expect((await get('/api/state')).triggers.map((t: { handler: string }) => t.handler)).toContain('reconcile');
    const again = await post('/api/meta/lead', { name: 'Après Redémarrage', phone: '+33622334455' });
    expect(again.answer).toMatch(/"ok":true/);
    expect(leadRow(await get<Grid>('/api/sheet/Leads'), '+33622334455')).toBeDefined();
  });
});

describe('time-driven triggers', () => {
  test('fire on their own while the sandbox runs, and what they did is saved', async () => {
    await running.close();
    running = await startSandbox({ dir, bundlePath, port: 0, triggerIntervalMs: 50 });
    const due = running.sandbox.gas.triggers.list().find((t) => t.handler === 'reconcile')!.nextDue!;
    // Time passes (without the control page's immediate firing): the timer notices reconcile is due.
    running.sandbox.setClock(Math.max(due + 1000, running.sandbox.now())); // never backwards: that re-plans instead
    const reconcile = () => running.sandbox.gas.triggers.list().find((t) => t.handler === 'reconcile')!;
    const deadline = Date.now() + 10000;
    while (reconcile().nextDue! <= due && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(reconcile().nextDue!).toBeGreaterThan(due);
    expect(running.sandbox.journal.some((e) => e.what.startsWith('Déclencheurs') && e.what.includes('reconcile'))).toBe(true);
    const after = reconcile();
    await running.sandbox.idle();
    const saved = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { triggers: { handler: string; nextDue: number }[] };
    expect(saved.triggers.find((t) => t.handler === 'reconcile')!.nextDue).toBe(after.nextDue);
  });
});

describe('sidebars and google.script.run', () => {
  /** A bundle with a menu item that opens a sidebar, as the product's sidebars will. */
  const BUNDLE = `
    function onOpen() { SpreadsheetApp.getUi().createMenu('Sirrius').addItem('Ouvrir', 'openSide').addToUi(); }
    function openSide() {
      SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutput('<p id="x">Panneau</p>').setTitle('Mon panneau'));
      SpreadsheetApp.getActiveSpreadsheet().toast('Panneau ouvert', 'Sirrius');
    }
    function hello(form) { return 'Bonjour ' + form.first_name; }
    function secret_() { return 'caché'; }`;

  test('a menu item shows its sidebar (served with the google.script shim), whose calls reach the script', async () => {
    const sideDir = join(dir, 'sidebar');
    mkdirSync(join(sideDir, 'dist'), { recursive: true });
    writeFileSync(join(sideDir, 'dist', 'Code.js'), BUNDLE);
    const side = await startSandbox({ dir: sideDir, bundlePath: join(sideDir, 'dist', 'Code.js'), port: 0, triggerIntervalMs: 0 });
    try {
      const call = async (fn: string, args: unknown[] = []) =>
        (await (await fetch(`${side.url}/api/run`, { method: 'POST', body: JSON.stringify({ fn, args }) })).json()) as any;
      const opened = (await (await fetch(`${side.url}/api/open`, { method: 'POST', body: '{}' })).json()) as { menus: { items: unknown[] }[] };
      expect(opened.menus[0].items[0]).toMatchObject({ caption: 'Ouvrir', fn: 'openSide' });
      const out = await call('openSide');
      expect(out.ok).toBe(true);
      const sidebar = out.events.find((e: { kind: string }) => e.kind === 'sidebar');
      expect(sidebar).toMatchObject({ title: 'Mon panneau', htmlId: expect.any(String) });
      expect(out.events.find((e: { kind: string }) => e.kind === 'toast')).toMatchObject({ title: 'Sirrius', message: 'Panneau ouvert' });
      const html = await (await fetch(`${side.url}/ui/html/${sidebar.htmlId}`)).text();
      expect(html).toContain('<script src="/static/gas-shim.js"></script>');
      expect(html).toContain('<p id="x">Panneau</p>');
      expect(await call('hello', [{ first_name: 'Camille' }])).toMatchObject({ ok: true, result: 'Bonjour Camille' });
      expect((await call('secret_')).ok).toBe(false);
    } finally {
      await side.close();
    }
  });
});

describe('the workbook round trip', () => {
  test('strings, numbers, booleans, dates (even in the DST fold) and formats come back as they were', async () => {
    const store = new SpreadsheetStore();
    const sheet = store.active.addSheet('Types');
    const fold = new Date('2026-10-25T00:30:00.123Z'); // 02:30:00.123 in Paris, which happens twice that night
    const rows = [
      ['text', 'number', 'bool', 'date', 'plain date', 'number as date'],
      ['+33612345678', 42.5, true, fold, new Date('2026-03-01T12:00:00Z'), 46000],
      ['0612345678', -1, false, new Date('2026-07-14T08:00:00Z'), '', 1],
      ['=pas une formule', '', '', '', '', ''],
    ];
    sheet.seed(rows);
    for (let r = 2; r <= 50; r++) sheet.formats.set(r, 1, '@');
    sheet.formats.set(2, 4, 'dd/MM/yyyy HH:mm:ss');
    sheet.formats.set(2, 5, '@'); // a date in a text column: xlsx cannot say it, state.json does
    sheet.formats.set(2, 6, 'dd/MM/yyyy'); // a number in a date column
    sheet.frozenRows = 1;
    sheet.formulaCells.set(4, 2, '=A1'); // a formula's value is not computed: it reads ''

    const { workbook, meta } = toWorkbook(store.active);
    const file = join(dir, 'types.xlsx');
    await saveWorkbook(workbook, file);
    const back = (await loadWorkbook(file, meta)).active.sheet('Types');
    const key = (v: unknown) => (v instanceof Date ? `date:${v.getTime()}` : `${typeof v}:${String(v)}`);
    expect(back.values().map((r) => r.map(key))).toEqual(sheet.values().map((r) => r.map(key)));
    for (let r = 1; r <= 50; r++) for (let c = 1; c <= 6; c++) expect([r, c, back.formats.get(r, c)]).toEqual([r, c, sheet.formats.get(r, c)]);
    expect(back.frozenRows).toBe(1);
    expect(back.formulaCells.get(4, 2)).toBe('=A1');
    expect(store.active.sheetNames()).toEqual((await loadWorkbook(file, meta)).active.sheetNames());
  });
});

describe('real-API transport (SANDBOX_REAL_APIS=1)', () => {
  test('sends the request from a child process and returns status, headers and body (local server only)', async () => {
    // A server in another process: realFetch blocks this one until the answer comes.
    const server = spawn(process.execPath, [
      '-e',
      `require('http').createServer((q, s) => { let b = ''; q.on('data', (c) => (b += c)).on('end', () => { s.writeHead(201, { 'Content-Type': 'application/json', 'X-Echo': q.headers.authorization || '' }); s.end(JSON.stringify({ method: q.method, url: q.url, body: b, type: q.headers['content-type'] })); }); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
    ]);
    try {
      const port = await new Promise<number>((resolve) => server.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
      const reply = realFetch({ url: `http://127.0.0.1:${port}/v1/events?limit=1`, method: 'POST', headers: { Authorization: 'Bearer sk_test_x' }, payload: 'a=1', contentType: 'application/x-www-form-urlencoded' });
      expect(reply.status).toBe(201);
      expect(reply.headers?.['x-echo']).toBe('Bearer sk_test_x');
      expect(JSON.parse(String(reply.body))).toEqual({ method: 'POST', url: '/v1/events?limit=1', body: 'a=1', type: 'application/x-www-form-urlencoded' });
      expect(() => realFetch({ url: 'http://127.0.0.1:1/', method: 'GET', headers: {}, payload: '' }, 2000)).toThrow(/Address unavailable/);
    } finally {
      server.kill();
    }
  });
});
