/**
 * The Sheet as the operator works in it (issue 20), in Debian's Chromium through the sandbox: a status
 * typed in a cell runs onEdit, dropdowns list their options and warn off-list, conditional colours
 * show, copy / paste / delete and rows work, Leads is sorted and filtered and then a webhook's new lead
 * lands after the last row, every Dashboard chart is drawn with its data, and the control page shows
 * each lead's SMS (the opt-out link opens the real page) and each email as HTML with its text part.
 * Screenshots go to test-results/screenshots (docs/ with UPDATE_SCREENSHOTS=1). Skipped without
 * /usr/bin/chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningSandbox } from '../../sandbox/app';
import { LEAD_STATUSES } from '../../src/domain/schema';
import { FR } from '../../src/ui/strings.fr';
import { browserSuite, launchChromium, sandboxApi, startBundleSandbox } from '../support/browser';

const ROOT = join(__dirname, '..', '..');
const UPDATE = !!process.env.UPDATE_SCREENSHOTS;
const SHOTS = UPDATE ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-results', 'screenshots');
/** The README's main images (docs/sandbox.png, docs/sandbox-control.png) are refreshed only with UPDATE_SCREENSHOTS=1. */
const MAIN_SHOTS = UPDATE ? join(ROOT, 'docs') : SHOTS;
/** Tuesday 24 November 2026, 10:00 in Paris. */
const TUESDAY_10H = new Date('2026-11-24T09:00:00Z');
const suite = browserSuite();

jest.setTimeout(90000);

type Cell = { v: unknown; d: string; bg?: string; invalid?: true } | null;
type View = { header: Cell[]; lastRow: number; rows: { n: number; hidden?: true; cells: Cell[] }[]; filter: { hiddenRows: number } | null };

let running: RunningSandbox;
let browser: Browser;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'sirrius-sheet-'));

const api = <T = any>(path: string, body?: unknown) => sandboxApi<T>(running, path, body);

const view = (tab = 'Leads') => api<View>(`/api/sheet/${tab}`);
const col = (v: View, name: string) => v.header.findIndex((c) => c?.v === name) + 1;
/** The sheet row of the lead with this phone. */
async function rowOf(phone: string): Promise<number> {
  const v = await view();
  const row = v.rows.find((r) => r.cells[col(v, 'phone') - 1]?.v === phone);
  if (!row) throw new Error(`no lead with phone ${phone}`);
  return row.n;
}
const td = (r: number, c: number) => page.locator(`td[data-r="${r}"][data-c="${c}"]`);

async function openTab(tab: string): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  await page.getByTestId('status-line').filter({ hasText: tab }).waitFor();
}

/** Waits until the cell shows `text` (the page polls every 2 s and redraws after each change). */
async function cellShows(r: number, c: number, text: string | RegExp): Promise<void> {
  await td(r, c).filter({ hasText: text }).waitFor({ timeout: 15000 });
}

/** A clipboard event on the grid, as Ctrl+C / Ctrl+V send (headless Chromium has no system clipboard). */
async function clipboard(type: 'copy' | 'paste', text = ''): Promise<string> {
  return page.evaluate(
    ([t, data]) => {
      const dt = new DataTransfer();
      if (data) dt.setData('text/plain', data);
      document.querySelector<HTMLElement>('[data-testid="grid-wrap"]')!.focus();
      document.dispatchEvent(new ClipboardEvent(t, { clipboardData: dt, bubbles: true, cancelable: true }));
      return dt.getData('text/plain');
    },
    [type, text] as const,
  );
}

suite('the Sheet in Chromium: editing, sorting, filtering, charts, the outbox', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    running = await startBundleSandbox(dir, TUESDAY_10H);
    await api('/api/meta/lead', { name: 'Camille Durand', phone: '+33612345678', email: 'camille@example.fr', send: true });
    await api('/api/meta/lead', { name: 'Léo Bernard', phone: '+33622222222', email: 'leo@example.fr', send: true });
    await api('/api/meta/lead', { name: 'Inès Petit', phone: '+33633333333', email: 'ines@example.fr', send: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 860 }, locale: 'fr-FR' });
    await page.goto(`${running.url}/sheet?tab=Leads`);
    await page.getByTestId('menu-Sirrius').waitFor();
    await page.getByTestId('grid-row').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a status typed in a cell is stored as typed and runs onEdit, which stamps contacted_at', async () => {
    const v = await view();
    const r = await rowOf('+33622222222');
    expect(v.rows.find((x) => x.n === r)!.cells[col(v, 'contacted_at') - 1]?.d ?? '').toBe('');
    await td(r, col(v, 'first_name')).click();
    await page.keyboard.press('ArrowRight'); // keyboard moves the cursor, as in Sheets
    expect(await page.getByTestId('name-box').inputValue()).toBe(`G${r}`);
    await td(r, col(v, 'status')).click();
    await page.keyboard.type('contacted');
    await page.keyboard.press('Enter');
    await cellShows(r, col(v, 'status'), 'contacted');
    // onEdit's effect: the contact time, in the sheet's date format.
    await cellShows(r, col(v, 'contacted_at'), '24/11/2026 10:00');
    const journal = await api<{ journal: { what: string; ok: boolean }[] }>('/api/journal');
    expect(journal.journal.some((e) => e.ok && e.what.startsWith('onEdit()') && e.what.includes('Leads!E'))).toBe(true);
    // Typed input follows Sheets' parsing rules: a number stays a number, the apostrophe keeps text.
    await td(r, col(v, 'mrr')).click();
    await page.keyboard.type('79,5');
    await page.keyboard.press('Enter');
    await cellShows(r, col(v, 'mrr'), '79,50 €');
    await td(r, col(v, 'notes')).click();
    await page.keyboard.type("'0612");
    await page.keyboard.press('Enter');
    await cellShows(r, col(v, 'notes'), /^0612$/);
    const after = await view();
    const row = after.rows.find((x) => x.n === r)!.cells;
    expect(row[col(after, 'mrr') - 1]!.v).toBe(79.5);
    expect(row[col(after, 'notes') - 1]!.v).toBe('0612');
  });

  test('a status dropdown lists the statuses; an off-list value is kept with a warning', async () => {
    const v = await view();
    const r = await rowOf('+33633333333');
    const status = col(v, 'status');
    await td(r, status).getByTestId('dropdown-arrow').click();
    expect(await page.getByTestId('dropdown').getByTestId('dropdown-option').allTextContents()).toEqual([...LEAD_STATUSES]);
    await page.getByTestId('dropdown').getByTestId('dropdown-option').filter({ hasText: 'rejected' }).click();
    await cellShows(r, status, 'rejected');
    await td(r, status).click();
    await page.keyboard.type('rappeler');
    await page.keyboard.press('Enter');
    await page.getByTestId('status-run').filter({ hasText: 'Entrée non valide' }).waitFor();
    await page.locator(`td.invalid[data-r="${r}"][data-c="${status}"]`).waitFor();
    expect((await view()).rows.find((x) => x.n === r)!.cells[status - 1]).toMatchObject({ v: 'rappeler', invalid: true });
    await td(r, status).getByTestId('dropdown-arrow').click();
    await page.getByTestId('dropdown').getByTestId('dropdown-option').filter({ hasText: 'new' }).click();
    await page.locator(`td:not(.invalid)[data-r="${r}"][data-c="${status}"]`).filter({ hasText: 'new' }).waitFor();
    // The sms_sent checkbox is a real checkbox.
    expect(await td(r, col(v, 'sms_sent')).getByTestId('checkbox').isChecked()).toBe(true);
  });

  test('conditional colours: a new lead under 12 h is highlighted, an opted-out lead greyed', async () => {
    const v = await view();
    const camille = await rowOf('+33612345678');
    const bg = (r: number) => td(r, col(v, 'first_name')).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await bg(camille)).toBe('rgb(252, 232, 178)'); // #fce8b2
    await api('/api/twilio/reply', { from: '+33622222222', body: 'STOP' });
    const leo = await rowOf('+33622222222');
    await cellShows(leo, col(v, 'status'), 'opted_out');
    await page.waitForFunction(([r, c]) => getComputedStyle(document.querySelector(`td[data-r="${r}"][data-c="${c}"]`)!).backgroundColor === 'rgb(241, 243, 244)', [leo, col(v, 'first_name')]);
    expect(await td(leo, col(v, 'first_name')).evaluate((el) => getComputedStyle(el).color)).toBe('rgb(154, 160, 166)');
  });

  test('copy, paste and delete a range; insert and delete rows', async () => {
    const v = await view();
    const notes = col(v, 'notes');
    const camille = await rowOf('+33612345678');
    const ines = await rowOf('+33633333333');
    await td(camille, notes).click();
    await page.keyboard.type('Rappeler jeudi');
    await page.keyboard.press('Enter');
    await cellShows(camille, notes, 'Rappeler jeudi');
    await td(camille, notes).click();
    const copied = await clipboard('copy');
    expect(copied).toContain('Rappeler jeudi');
    await td(ines, notes).click();
    await clipboard('paste', copied);
    await cellShows(ines, notes, 'Rappeler jeudi');
    await page.keyboard.press('Delete');
    await page.waitForFunction(([r, c]) => document.querySelector(`td[data-r="${r}"][data-c="${c}"]`)!.textContent === '', [ines, notes]);
    // Text from elsewhere (two cells, tab-separated) is typed in.
    await clipboard('paste', 'a\tb');
    await cellShows(ines, notes, 'a');
    await cellShows(ines, notes + 1, 'b');
    await td(ines, notes).click({ modifiers: [] });
    await td(ines, notes + 1).click({ modifiers: ['Shift'] });
    await page.keyboard.press('Delete');
    await page.waitForFunction(([r, c]) => document.querySelector(`td[data-r="${r}"][data-c="${c}"]`)!.textContent === '', [ines, notes + 1]);

    const before = (await view()).lastRow;
    await td(3, 1).click();
    await page.getByTestId('rows-insert-before').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="grid-row"]').length === n, before);
    const inserted = await view();
    expect(inserted.lastRow).toBe(before + 1);
    expect(inserted.rows.find((x) => x.n === 3)!.cells[0]).toBeNull();
    await td(3, 1).click();
    await page.getByTestId('rows-delete').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="grid-row"]').length === n - 1, before);
    expect((await view()).lastRow).toBe(before);
  });

  test('Leads sorted and filtered on status = new, then a webhook: the new lead lands after the last row', async () => {
    const v = await view();
    const status = col(v, 'status');
    await td(2, status).click();
    await page.getByTestId('sort-desc').click(); // Z → A: opted_out first
    await cellShows(2, status, 'opted_out');
    await page.getByTestId('filter-toggle').filter({ hasText: 'Créer un filtre' }).click();
    await page.getByTestId('filter-button-status').click();
    await page.getByTestId('filter-value-opted_out').uncheck();
    await page.getByTestId('filter-ok').click();
    await page.locator('tr[data-row="2"][hidden]').waitFor({ state: 'attached' });
    const filtered = await view();
    expect(filtered.filter!.hiddenRows).toBe(1);
    const ids = filtered.rows.filter((r) => r.n <= filtered.lastRow).map((r) => r.cells[0]?.v);
    await page.screenshot({ path: join(SHOTS, 'sheet-leads-filtered.png') });

    await api('/api/meta/lead', { name: 'Nina Roux', phone: '+33655555555', email: 'nina@example.fr', send: true });
    const nina = await rowOf('+33655555555');
    expect(nina).toBe(filtered.lastRow + 1);
    await page.locator(`tr[data-row="${nina}"]:not([hidden])`).filter({ hasText: 'Nina' }).waitFor({ timeout: 15000 });
    const after = await view();
    // Nothing moved, nothing was overwritten, the hidden row stays hidden.
    expect(after.rows.filter((r) => r.n < nina).map((r) => r.cells[0]?.v)).toEqual(ids);
    expect(after.rows.find((r) => r.n === 2)!.hidden).toBe(true);
    expect(after.rows.find((r) => r.n === nina)!.cells[status - 1]!.v).toBe('new');
    await page.getByTestId('filter-toggle').filter({ hasText: 'Supprimer le filtre' }).click();
    await page.locator('tr[data-row="2"]:not([hidden])').waitFor();
  });

  test('the Sheet with its menu and a sidebar', async () => {
    await page.getByTestId('menu-Sirrius').click();
    await page.getByTestId('menu-item-showManualLeadSidebar').click();
    await page.getByTestId('sidebar-frame').contentFrame().locator('body.ready').waitFor();
    await page.getByTestId('menu-Sirrius').click();
    await page.screenshot({ path: join(MAIN_SHOTS, 'sandbox.png') });
    await page.getByTestId('menu-Sirrius').click();
    await page.getByTestId('sidebar-close').click();
  });

  test('each Dashboard chart is drawn with its data: the gauge, the line and the column charts', async () => {
    // Three weeks of earlier days in KPI_Daily (the 18h routine writes one row a day).
    const kpi = running.sandbox.gas.spreadsheet.active.sheet('KPI_Daily');
    const names = (kpi.values()[0] as string[]);
    kpi.seed(
      Array.from({ length: 21 }, (_, i) => {
        const day = new Date(TUESDAY_10H.getTime() - (21 - i) * 86400000);
        const figures: Record<string, unknown> = { date: day, leads_received: 8 + ((i * 7) % 9), sms_sent: 8, leads_contacted: 6, leads_converted: i % 3, mrr_added: (i % 3) * 79 };
        return names.map((n) => figures[n] ?? 0);
      }),
      2,
    );
    // ...and the clients those days converted, still paying: the Dashboard's 30-day MRR (read from
    // Leads) then agrees with its 30-day conversions (read from KPI_Daily), as in a real Sheet.
    const leadsTab = running.sandbox.gas.spreadsheet.active.sheet('Leads');
    const leadCols = leadsTab.values()[0] as string[];
    const clients = Array.from({ length: 21 }, (_, i) => i).flatMap((i) =>
      Array.from({ length: i % 3 }, (_, k) => {
        const day = new Date(TUESDAY_10H.getTime() - (21 - i) * 86400000);
        const lead: Record<string, unknown> = { id: `lead_${day.getTime() + k}`, created_at: day, source: 'facebook', status: 'converted', first_name: 'Client', last_name: `Ancien ${i}-${k}`, conversion_date: day, mrr: 79 };
        return leadCols.map((n) => lead[n] ?? '');
      }),
    );
    leadsTab.seed(clients, leadsTab.values().length + 1);
    await api('/api/run', { fn: 'refreshDashboard' });
    await openTab('Dashboard');
    await page.getByTestId('chart').nth(2).waitFor();
    const drawn = await page.$$eval('[data-testid="chart-canvas"]', (canvases) =>
      canvases.map((c) => {
        const chart = (window as any).Chart.getChart(c);
        const px = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
        return {
          type: chart.config.type,
          title: chart.options.plugins.title.text,
          labels: chart.data.labels.length,
          points: chart.data.datasets.map((d: any) => d.data.filter((x: unknown) => typeof x === 'number').length),
          values: chart.data.datasets.map((d: any) => d.data),
          gauge: chart.data.datasets[0].gaugeValue,
          painted,
        };
      }),
    );
    const D = FR.ui.dashboard;
    // The fourth: the 30-day median minutes to contact (issue 22).
    expect(drawn.map((d) => [d.type, d.title])).toEqual([['doughnut', D.chartCapacity], ['line', D.chartLeads], ['bar', D.chartMrr], ['line', D.chartMedian]]);
    expect(drawn[1].labels).toBe(30);
    expect(drawn[1].points).toEqual([30, 30]);
    expect(drawn[2].points).toEqual([30]);
    // The seeded days are drawn, and today too: the refresh reads today's figures from Leads (issue 19 item 6).
    expect(drawn[1].values[0].slice(0, 29).filter((v: number) => v > 0)).toHaveLength(21);
    expect(drawn[1].values[0][29]).toBe(drawn[0].gauge);
    expect(Math.max(...drawn[2].values[0])).toBe(158);
    // The gauge shows today's leads, as the Dashboard's row 5 says.
    const dash = await view('Dashboard');
    expect(drawn[0].gauge).toBe(dash.rows.find((r) => r.n === 5)!.cells[1]!.v);
    expect(drawn[0].gauge).toBeGreaterThan(0);
    expect(dash.rows.find((r) => r.cells[0]?.v === D.mrr30)!.cells[1]!.v).toBe(21 * 79);
    for (const d of drawn) expect(d.painted).toBeGreaterThan(1000);
    await page.setViewportSize({ width: 1400, height: 1100 }); // the three charts in one picture
    await page.screenshot({ path: join(SHOTS, 'sheet-dashboard.png') });
    await page.setViewportSize({ width: 1400, height: 860 });
  });

  test('the control page: each lead’s SMS with its opt-out link opening the real page, emails as HTML with their text part', async () => {
    await api('/api/clock', { action: 'run', fn: 'routineMorning' });
    const control = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'fr-FR' });
    await control.goto(running.url + '/');
    const phone = control.getByTestId('phone').filter({ hasText: '+33612345678' });
    await phone.getByTestId('phone-lead').filter({ hasText: 'Camille Durand' }).waitFor();
    const [optOut] = await Promise.all([control.waitForEvent('popup'), phone.getByTestId('sms-link').first().click()]);
    await optOut.getByText(FR.optOutPage.confirmQuestion).waitFor();
    await optOut.close();

    const mail = control.getByTestId('mail-item').filter({ has: control.getByTestId('mail-html') }).first();
    await mail.getByTestId('mail-subject').click();
    const html = mail.getByTestId('mail-html').contentFrame();
    await html.locator('body').filter({ hasText: /\S/ }).waitFor();
    expect(await html.locator('*').count()).toBeGreaterThan(5); // rendered markup, not text
    expect(await mail.getByTestId('mail-text').isVisible()).toBe(false);
    await mail.getByTestId('mail-text-toggle').click();
    expect(await mail.getByTestId('mail-text').isVisible()).toBe(true);
    await control.screenshot({ path: join(MAIN_SHOTS, 'sandbox-control.png') });
    await control.close();
  });
});
