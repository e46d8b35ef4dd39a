/**
 * The operator's UI in a real browser (issue 7): Debian's Chromium, driven by playwright-core,
 * opens the sandbox's Sheet, clicks through every item of the Sirrius menu, fills each sidebar
 * (a wrong input first, then a right one), checks the result in the grid, and saves a
 * screenshot of each sidebar (to test-results/screenshots, or docs/screenshots with UPDATE_SCREENSHOTS=1). Skipped, with a message, when
 * /usr/bin/chromium is absent (scripts/install-chromium.sh installs it; CI runs it).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { RunningSandbox } from '../../sandbox/app';
import { FR } from '../../src/ui/strings.fr';
import { browserSuite, launchChromium, sandboxApi, startBundleSandbox } from '../support/browser';

const ROOT = join(__dirname, '..', '..');
/**
 * Screenshots go to test-results/screenshots (ignored by git); `UPDATE_SCREENSHOTS=1 npm test`
 * refreshes the README's copies in docs/screenshots.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-results', 'screenshots');
/** Tuesday 24 November 2026, 10:00 in Paris. */
const TUESDAY_10H = new Date('2026-11-24T09:00:00Z');
const suite = browserSuite();

jest.setTimeout(90000);

let running: RunningSandbox;
let browser: Browser;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'sirrius-ui-'));

const api = <T = any>(path: string, body?: unknown) => sandboxApi<T>(running, path, body);

/** The id of the lead with this phone, from the grid's API. */
async function leadId(phone: string): Promise<string> {
  const grid = await api('/api/sheet/Leads');
  const col = (name: string) => grid.header.findIndex((c: any) => c?.v === name);
  const row = grid.rows.find((r: any) => r.cells[col('phone')]?.v === phone);
  return row.cells[col('id')].v;
}

/** Opens the Sirrius menu and clicks the item calling `fn`; for a sidebar, waits for its page to be ready. */
async function menu(fn: string, sidebarTitle?: string): Promise<FrameLocator> {
  if (await page.getByTestId('sidebar').isVisible()) await page.getByTestId('sidebar-close').click();
  await page.getByTestId('menu-Sirrius').click();
  await page.getByTestId(`menu-item-${fn}`).click();
  const frame = page.frameLocator('[data-testid="sidebar-frame"]');
  if (sidebarTitle) {
    await page.getByTestId('sidebar-title').filter({ hasText: sidebarTitle }).waitFor();
    await frame.locator('body.ready').waitFor();
  }
  return frame;
}

/** Waits until the tab's grid shows a row containing every text. */
async function gridRow(tab: string, ...texts: string[]): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  let row = page.getByTestId('grid-row');
  for (const t of texts) row = row.filter({ hasText: t });
  await row.first().waitFor({ timeout: 15000 });
}

async function shot(name: string): Promise<void> {
  await page.getByTestId('sidebar-frame').contentFrame().locator('html').evaluate(() => window.scrollTo(0, 0));
  await page.getByTestId('sidebar').screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Types into a sidebar field (cleared first). */
async function fill(frame: FrameLocator, testid: string, value: string): Promise<void> {
  await frame.getByTestId(testid).fill(value);
}

suite('the operator UI in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    running = await startBundleSandbox(dir, TUESDAY_10H);
    // Three leads from Facebook; B pays by a checkout whose webhook never arrives (KO #1), C paid outside a link (OK #3).
    await api('/api/meta/lead', { name: 'Camille Durand', phone: '+33612345678', email: 'camille@example.fr', send: true });
    await api('/api/meta/lead', { name: 'Léo Bernard', phone: '+33622222222', email: 'leo@example.fr', send: true });
    await api('/api/meta/lead', { name: 'Inès Petit', phone: '+33633333333', email: 'ines@example.fr', send: true });
    running.sandbox.providers.stripeSubscription({ id: 'sub_BrowserInes01', customer: 'cus_BrowserInes01', amount: 7900 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'fr-FR' });
    // The capacity page asks before rejecting leads (window.confirm): the operator says yes.
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${running.url}/sheet`);
    await page.getByTestId('menu-Sirrius').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the menu lists every item of the issue', async () => {
    await page.getByTestId('menu-Sirrius').click();
    const captions = await page.getByTestId('menu-dropdown').locator('button').allTextContents();
    expect(captions).toEqual([
      FR.ui.menu.dashboard, FR.ui.menu.manualLead, FR.ui.menu.optOut, FR.ui.menu.convert, FR.ui.menu.replay, FR.ui.menu.capacity,
      FR.ui.menu.payments, FR.ui.menu.incidents, FR.ui.menu.followUp, FR.ui.menu.runNow, FR.ui.menu.config, FR.ui.menu.diagnostic, FR.ui.menu.resources, FR.menu.setup,
    ]);
    await page.screenshot({ path: join(SHOTS, 'menu.png'), clip: { x: 0, y: 0, width: 520, height: 560 } });
    await page.getByTestId('menu-Sirrius').click();
  });

  test('OK #1: a wrong phone is refused next to its field, then the lead is added', async () => {
    const f = await menu('showManualLeadSidebar', FR.ui.manualLead.title);
    await fill(f, 'first_name', 'Julie');
    await fill(f, 'last_name', 'Martin');
    await f.getByTestId('submit').click();
    // The browser's check: the source is required.
    await f.locator('[data-error-for="source_detail"]').filter({ hasText: FR.ui.common.required }).waitFor();
    await fill(f, 'phone', '12');
    await fill(f, 'source_detail', 'appel entrant');
    await f.getByTestId('submit').click();
    // The server's check, shown next to the field it names.
    await f.locator('[data-error-for="phone"]').filter({ hasText: FR.manualLead.badPhone }).waitFor();
    await shot('manual-lead-error');
    await fill(f, 'phone', '06 98 76 54 32');
    await f.getByTestId('submit').click();
    await f.getByTestId('message').filter({ hasText: 'ajouté' }).waitFor();
    await shot('manual-lead');
    await gridRow('Leads', 'Julie', '+33698765432', 'manual');
  });

  test('OK #2: an unknown input is refused, then the number is shown with its leads, then confirmed', async () => {
    const f = await menu('showOptOutSidebar', FR.ui.optOut.title);
    // Text that is no phone is searched as a name: nobody matches, nothing is recorded.
    await fill(f, 'phoneOrLeadId', 'pas un numéro');
    await f.getByTestId('submit').click();
    await f.locator('[data-matches-for="phoneOrLeadId"]').filter({ hasText: FR.search.none }).waitFor();
    await fill(f, 'phoneOrLeadId', '06 12 34 56 78');
    await fill(f, 'reason', 'demande par téléphone');
    await f.getByTestId('submit').click();
    // First step: who the number concerns; nothing recorded yet, the button now asks to confirm.
    await f.getByTestId('message').filter({ hasText: 'Concerne' }).waitFor();
    await f.getByTestId('submit').filter({ hasText: FR.ui.optOut.confirm }).waitFor();
    // The lead can be chosen through the search instead ("Chercher", "Choisir"); choosing a lead
    // while a confirmation is pending is a new target, so the form goes back to its first step.
    await fill(f, 'phoneOrLeadId', 'Camille');
    await f.getByTestId('search').click();
    await f.getByTestId('match').filter({ hasText: '06 12 34 56 78' }).getByTestId('pick').click();
    await f.getByTestId('picked').waitFor();
    expect(await f.getByTestId('phoneOrLeadId').inputValue()).toMatch(/^lead_/);
    await f.getByTestId('submit').click();
    await f.getByTestId('submit').filter({ hasText: FR.ui.optOut.confirm }).waitFor();
    expect(await f.getByTestId('confirm').inputValue()).not.toBe('');
    await f.getByTestId('search').click(); // finds the lead by its id
    await f.getByTestId('match').getByTestId('pick').first().click();
    await f.getByTestId('submit').filter({ hasText: FR.ui.optOut.submit }).waitFor();
    expect(await f.getByTestId('confirm').inputValue()).toBe('');
    await f.getByTestId('submit').click();
    await f.getByTestId('message').filter({ hasText: 'Concerne' }).waitFor();
    await f.getByTestId('submit').filter({ hasText: FR.ui.optOut.confirm }).click();
    await f.getByTestId('message').filter({ hasText: 'est désinscrit' }).waitFor();
    await shot('opt-out');
    await gridRow('Leads', 'Camille', 'opted_out');
    await gridRow('Opt_Outs', '+33612345678', 'demande par téléphone');
  });

  test('KO #1: a malformed event id is refused, then a missed checkout is replayed', async () => {
    const leo = await leadId('+33622222222');
    const { eventId } = await api('/api/stripe/checkout', { leadId: leo, amount: 49, send: false });
    const f = await menu('showReplaySidebar', FR.ui.replay.title);
    await fill(f, 'eventId', 'evt_');
    await f.getByTestId('submit').click();
    await f.locator('[data-error-for="eventId"]').filter({ hasText: FR.stripeActions.badEventId }).waitFor();
    await fill(f, 'eventId', eventId);
    await f.getByTestId('submit').click();
    await f.getByTestId('message').filter({ hasText: 'Événement Stripe appliqué : paiement par lien de paiement.' }).waitFor();
    await shot('replay');
    await gridRow('Leads', 'Léo', 'converted');
    await gridRow('Incidents', 'webhook_failure', eventId);
  });

  test('OK #3: a wrong customer id is refused, then the lead is converted', async () => {
    const ines = await leadId('+33633333333');
    const f = await menu('showConvertSidebar', FR.ui.convert.title);
    await fill(f, 'leadId', ines);
    await fill(f, 'stripeCustomerId', 'client-ines');
    await f.getByTestId('submit').click();
    await f.locator('[data-error-for="stripeCustomerId"]').filter({ hasText: FR.stripeActions.badCustomerId }).waitFor();
    await fill(f, 'stripeCustomerId', 'cus_BrowserInes01');
    await f.getByTestId('submit').click();
    await f.getByTestId('message').filter({ hasText: 'Conversion enregistrée pour Inès Petit' }).waitFor();
    await shot('convert');
    await gridRow('Leads', 'Inès', 'converted', 'cus_BrowserInes01');
  });

  test('KO #3: the failed payment is listed', async () => {
    const leo = await leadId('+33622222222');
    await api('/api/stripe/payment-failed', { leadId: leo, attempt: 1, send: true });
    const f = await menu('showPaymentsSidebar', FR.ui.payments.title);
    await f.getByTestId('payment').filter({ hasText: 'Léo Bernard' }).filter({ hasText: FR.ui.payments.failures(1) }).waitFor();
    await shot('payments');
    await gridRow('Leads', 'Léo', 'converted');
  });

  test('KO #2: a capacity of 0 is refused, 1 makes the day full, the excess is rejected, campaigns paused', async () => {
    const f = await menu('showCapacitySidebar', FR.ui.capacity.title);
    await f.getByTestId('capacity-summary').waitFor();
    await fill(f, 'maxLeads', '0');
    await f.getByTestId('submit-capacity').click();
    await f.locator('[data-error-for="maxLeads"]').filter({ hasText: FR.ui.capacity.maxLeadsInvalid }).waitFor();
    await fill(f, 'maxLeads', '1');
    await f.getByTestId('submit-capacity').click();
    await f.getByTestId('message-capacity').filter({ hasText: 'Capacité du jour fixée à 1 lead' }).waitFor();
    await f.getByTestId('capacity-summary').filter({ hasText: 'complet' }).waitFor();
    // The confirmation names who would be rejected: Julie is a manual lead, so she is not ticked.
    await f.getByTestId('reject').click();
    const julie = f.locator('label.item', { hasText: 'Julie Martin' });
    await julie.filter({ hasText: FR.ui.capacity.manualTag }).waitFor();
    expect(await julie.getByTestId('excess-lead').isChecked()).toBe(false);
    await shot('reject-excess');
    await julie.getByTestId('excess-lead').check();
    await f.getByTestId('reject-confirm').click();
    await f.getByTestId('message-reject').filter({ hasText: 'Lead rejeté : Julie Martin.' }).waitFor();
    await fill(f, 'reason', '');
    await f.getByTestId('pause').click();
    await f.locator('[data-error-for="reason"]').filter({ hasText: FR.ui.common.required }).waitFor();
    await fill(f, 'reason', 'Capacité du jour atteinte');
    await f.getByTestId('pause').click();
    // Ads_Control is empty: the server's refusal says what to do.
    await f.getByTestId('message-pause').filter({ hasText: FR.ads.none }).waitFor();
    // The operator types the campaign ids into Ads_Control, then syncs and pauses.
    const ads = running.sandbox.gas.spreadsheet.active.sheet('Ads_Control');
    ads.seed([['120210000000000001'], ['120210000000000002']], 2);
    await f.getByTestId('sync').click();
    await f.getByTestId('message-campaigns').filter({ hasText: 'synchronisées' }).waitFor();
    await f.getByTestId('pause').click();
    await f.getByTestId('message-pause').filter({ hasText: 'en pause' }).waitFor();
    await f.getByTestId('campaign').filter({ hasText: FR.ui.capacity.paused }).first().waitFor();
    await shot('capacity');
    await gridRow('Capacity', 'full');
    await gridRow('Leads', 'Julie', 'rejected');
    await gridRow('Ads_Control', 'Capacité du jour atteinte');
  });

  test('Incidents: an empty resolution is refused, then the overflow incident is resolved', async () => {
    const f = await menu('showIncidentsSidebar', FR.ui.incidents.title);
    const item = f.getByTestId('incident').filter({ hasText: 'capacité dépassée · gravité haute · ouvert' });
    await item.getByTestId('resolution-submit').click();
    await item.locator('[data-error-for="resolution"]').filter({ hasText: FR.ui.common.required }).waitFor();
    await item.getByTestId('resolution').fill('Capacité remise à 20 demain, leads en trop rejetés.');
    await item.getByTestId('resolution-submit').click();
    await f.getByTestId('message').filter({ hasText: 'Incident résolu' }).waitFor();
    await shot('incidents');
    await gridRow('Incidents', 'capacity_overflow', 'resolved', 'Capacité remise à 20 demain');
    await f.getByTestId('filter').selectOption('resolved');
    await f.getByTestId('incident').filter({ hasText: 'capacité dépassée · gravité haute · résolu' }).waitFor();
  });

  test('Suivi commercial: a lead is marked contacted with a note', async () => {
    await api('/api/meta/lead', { name: 'Hugo Lefèvre', phone: '+33644444444', email: 'hugo@example.fr', send: true });
    const f = await menu('showFollowUpSidebar', FR.ui.followUp.title);
    const item = f.getByTestId('call').filter({ hasText: 'Hugo Lefèvre' });
    await item.getByTestId('note').fill('Rappeler jeudi, intéressé par la cuisine');
    await item.getByTestId('note-submit').click();
    await f.getByTestId('message').filter({ hasText: 'contacté' }).waitFor();
    await shot('follow-up');
    await gridRow('Leads', 'Hugo', 'contacted', 'Rappeler jeudi');
  });

  test('Lancer maintenant: the morning routine runs and says so', async () => {
    const f = await menu('showRunNowSidebar', FR.ui.runNow.title);
    await f.getByTestId('run-routineMorning').click();
    await f.getByTestId('message-routineMorning').filter({ hasText: FR.ui.runNow.done(FR.ui.runNow.labels.routineMorning) }).waitFor();
    await f.getByTestId('run-reconcile').click();
    await f.getByTestId('message-reconcile').filter({ hasText: /Rattrapés|Rien à rattraper/ }).waitFor();
    await shot('run-now');
    await page.getByTestId('toast').first().waitFor();
  });

  test('Configuration: properties masked, webhook URLs without the token, connections tested', async () => {
    const f = await menu('showConfigSidebar', FR.ui.config.title);
    await f.getByTestId('prop-STRIPE_SECRET_KEY').filter({ hasText: FR.ui.config.set }).waitFor();
    const html = await f.locator('html').innerHTML();
    expect(html).not.toContain('sk_test_sandbox_0000000000');
    expect(html).not.toContain('sandbox-webhook-token-7c21');
    expect(await f.getByTestId('webhook-stripe').inputValue()).toMatch(/source=stripe&token=<WEBHOOK_TOKEN>$/);
    await f.getByTestId('test-connections').click();
    await f.getByTestId('message').filter({ hasText: FR.ui.config.tested(3, 3) }).waitFor();
    await shot('config');
  });

  test('Ressources: the SOP links and emergency contacts', async () => {
    const f = await menu('showResourcesSidebar', FR.ui.resources.title);
    await f.getByTestId('links').locator('a', { hasText: 'Webhooks' }).waitFor();
    expect(await f.getByTestId('links').locator('a').first().getAttribute('href')).toBe('https://dashboard.stripe.com/webhooks');
    await shot('resources');
  });

  test('Tableau de bord: the Dashboard tab is written and shown', async () => {
    await menu('showDashboard');
    await page.getByTestId('toast').filter({ hasText: FR.ui.dashboard.refreshed }).first().waitFor();
    await gridRow('Dashboard', FR.ui.dashboard.capacity);
    await page.getByTestId('grid-wrap').screenshot({ path: join(SHOTS, 'dashboard.png') });
  });

  test('Installer / mettre à jour: setup runs again and changes nothing', async () => {
    await menu('setup');
    await page.getByTestId('alert-message').filter({ hasText: FR.setup.nothingToDo }).waitFor();
    await page.getByTestId('alert-ok').click();
  });
});

/**
 * Issue 19: one day as the operator lived it, from a lead in the night to the 18h report, with
 * what each email and sidebar says (Monday 23 November 2026, Paris).
 */
suite("the operator's day in Chromium (issue 19)", () => {
  const MONDAY_2H = new Date('2026-11-23T01:00:00Z');
  const dayDir = mkdtempSync(join(tmpdir(), 'sirrius-day-'));
  let day: RunningSandbox;
  let dayBrowser: Browser;
  let p: Page;

  const call = <T = any>(path: string, body?: unknown) => sandboxApi<T>(day, path, body);
  const at = (hour: number) => call('/api/clock', { action: 'set', hour });
  const mails = async (subject: RegExp) => ((await call('/api/outbox')).mail as Array<{ to: string; subject: string; body: string }>).filter((m) => subject.test(m.subject)).reverse();
  const idOf = async (phone: string) => {
    const grid = await call('/api/sheet/Leads');
    const col = (name: string) => grid.header.findIndex((c: any) => c?.v === name);
    return grid.rows.find((r: any) => r.cells[col('phone')]?.v === phone).cells[col('id')].v as string;
  };
  const open = async (fn: string, title: string) => {
    if (await p.getByTestId('sidebar').isVisible()) await p.getByTestId('sidebar-close').click();
    await p.getByTestId('menu-Sirrius').click();
    await p.getByTestId(`menu-item-${fn}`).click();
    await p.getByTestId('sidebar-title').filter({ hasText: title }).waitFor();
    const frame = p.frameLocator('[data-testid="sidebar-frame"]');
    await frame.locator('body.ready').waitFor();
    return frame;
  };

  beforeAll(async () => {
    day = await startBundleSandbox(dayDir, MONDAY_2H);
    dayBrowser = await launchChromium();
    p = await dayBrowser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'fr-FR' });
    await p.goto(`${day.url}/sheet`);
    await p.getByTestId('menu-Sirrius').waitFor();
  });

  afterAll(async () => {
    await dayBrowser?.close();
    await day?.close();
    rmSync(dayDir, { recursive: true, force: true });
  });

  test('a night lead, a checkout, three failed payments, an overflow and the four routines say what happened and what to decide', async () => {
    // 2h: a lead in the night (its SMS waits for 8h).
    await call('/api/meta/lead', { name: 'Nuit Blanche', phone: '+33677778888', email: 'nuit@example.fr', send: true });
    // 9h: the first morning. No false alarm about yesterday's figures; the night lead is named.
    await at(9);
    const [morning] = await mails(/Routine du matin/);
    expect(morning.body).toContain('Appeler 1 lead prioritaire (moins de 12 h, Sirrius › Suivi commercial) : Nuit Blanche (06 77 77 88 88).');
    expect(morning.body).toContain('le premier bilan sera fait ce soir à 18 h');
    expect(morning.body).not.toMatch(/KPI d'hier|routineEvening/);

    // 10h: Léo pays by the checkout link, then his card fails three times.
    await at(10);
    await call('/api/meta/lead', { name: 'Léo Bernard', phone: '+33622222222', email: 'leo@example.fr', send: true });
    const leo = await idOf('+33622222222');
    await call('/api/stripe/checkout', { leadId: leo, amount: 49, send: true });
    for (const attempt of [1, 2, 3]) await call('/api/stripe/payment-failed', { leadId: leo, attempt, send: true });
    // Two reminders, then one email saying the service is suspended and how to resume (not a third "please pay").
    const toLeo = (await mails(/./)).filter((m) => m.to === 'leo@example.fr').map((m) => m.subject);
    expect(toLeo).toEqual(['Bienvenue chez Sirrius !', "Sirrius : votre paiement n'a pas abouti", "Sirrius : votre paiement n'a pas abouti", 'Sirrius : votre service est suspendu']);
    let f = await open('showPaymentsSidebar', FR.ui.payments.title);
    await f.getByTestId('payment').filter({ hasText: 'Léo Bernard · 3 échecs' }).filter({ hasText: 'service suspendu' }).waitFor();

    // A person who called is typed in: the duplicate of the night lead is shown before anything is added.
    f = await open('showManualLeadSidebar', FR.ui.manualLead.title);
    await f.getByTestId('first_name').fill('Nuit');
    await f.getByTestId('last_name').fill('Blanche');
    await f.getByTestId('phone').fill('06 77 77 88 88');
    await f.getByTestId('source_detail').fill('appel entrant');
    await f.getByTestId('submit').click();
    await f.getByTestId('duplicate').filter({ hasText: 'Un lead existe déjà avec ce téléphone ou cet e-mail : Nuit Blanche (06 77 77 88 88, nuit@example.fr), nouveau' }).waitFor();
    await f.getByTestId('add-anyway').filter({ hasText: 'Ajouter quand même' }).waitFor();
    // Opt-out by name: typed and submitted, it lists who matches to pick from.
    f = await open('showOptOutSidebar', FR.ui.optOut.title);
    await f.getByTestId('phoneOrLeadId').fill('nuit');
    await f.getByTestId('submit').click();
    await f.getByTestId('match').filter({ hasText: 'Nuit Blanche' }).filter({ hasText: '06 77 77 88 88' }).waitFor();
    await f.getByTestId('match').getByTestId('pick').click();
    await f.getByTestId('submit').click();
    await f.getByTestId('message').filter({ hasText: 'Désinscrire le 06 77 77 88 88 ? Concerne : Nuit Blanche (nouveau).' }).waitFor();

    // 11h: the call list by hand; the sidebar says exactly what was sent.
    await at(11);
    f = await open('showRunNowSidebar', FR.ui.runNow.title);
    await f.getByTestId('run-routineAfternoon').click();
    await f.getByTestId('message-routineAfternoon').filter({ hasText: "E-mail envoyé à operateur@sirrius.example : « [Sirrius] Appels du 23/11/2026 : 1 lead à contacter »" }).waitFor();

    // Capacity lowered to 1: the day overflows; Ads_Control is empty, and the sidebar says the ads are NOT stopped.
    f = await open('showCapacitySidebar', FR.ui.capacity.title);
    await f.getByTestId('maxLeads').fill('1');
    await f.getByTestId('submit-capacity').click();
    await f.getByTestId('capacity-summary').filter({ hasText: '2 leads acceptés sur 1 (200 %) : complet, 1 de trop' }).waitFor();
    await f.getByTestId('campaigns').filter({ hasText: 'les publicités ne sont PAS arrêtées' }).waitFor();
    await call('/api/meta/lead', { name: 'Chloé Robert', phone: '+33633333333', email: 'chloe@example.fr', send: true });
    await f.getByTestId('reject').click();
    // Proposed: the two newest new leads. The operator keeps the night lead (unticks it).
    await f.locator('label.item', { hasText: 'Chloé Robert' }).waitFor();
    expect(await f.locator('label.item', { hasText: 'Chloé Robert' }).getByTestId('excess-lead').isChecked()).toBe(true);
    await f.locator('label.item', { hasText: 'Nuit Blanche' }).getByTestId('excess-lead').uncheck();
    await f.getByTestId('reject-confirm').click();
    await f.getByTestId('message-reject').filter({ hasText: 'Lead rejeté : Chloé Robert.' }).waitFor();
    // Chloé answers STOP: her number is opted out, the SMS reply never claims more.
    await call('/api/twilio/reply', { from: '+33633333333', body: 'STOP', send: true });
    const [overflow] = await mails(/Incident : Capacité dépassée/);
    expect(overflow.body).toContain("À décider : Augmenter la capacité du jour (Sirrius › Capacité et publicités › Changer la capacité) si l'équipe peut rappeler tout le monde, sinon rejeter les leads excédentaires");

    // The Incidents sidebar speaks French.
    f = await open('showIncidentsSidebar', FR.ui.incidents.title);
    await f.getByTestId('incident').filter({ hasText: 'capacité dépassée · gravité haute · ouvert' }).waitFor();

    // 12h, 15h, 18h: the noon email does not claim a pause; 15h still sends; 18h names who to call.
    await at(12);
    const [noon] = await mails(/Capacité : /);
    expect(noon.body).toContain('les publicités ne sont PAS arrêtées');
    expect(noon.body).not.toMatch(/déjà en pause|diffusion est arrêtée/);
    await at(15);
    expect((await mails(/Appels du 23\/11\/2026/)).length).toBe(2);
    await at(18);
    const [evening] = await mails(/Bilan du 23\/11\/2026/);
    expect(evening.body).not.toContain('Rien à décider');
    expect(evening.body).toContain('Appeler ce lead jamais contacté (Sirrius › Suivi commercial) : Nuit Blanche (06 77 77 88 88).');
    expect(evening.body).toContain('- Désinscriptions SMS | 1');
    expect(evening.body).toContain('- Léo Bernard | 0,00 € (service suspendu depuis : paiements échoués)');
    expect(evening.body).toContain('1 lead nouveau jamais contacté : l\'appeler en priorité demain.');
    for (const m of await mails(/./)) expect([m.subject, /markContacted|client_reference_id|routineEvening|"new"/.exec(m.body)?.[0]]).toEqual([m.subject, undefined]);

    // The Dashboard shows the tabs as they are, and when it was refreshed.
    const dash = await call('/api/sheet/Dashboard');
    expect(JSON.stringify(dash.header)).toContain('Mis à jour le 23/11/2026');
    await p.getByTestId('tab-Dashboard').click();
    await p.getByTestId('grid-row').filter({ hasText: "Leads reçus aujourd'hui" }).filter({ hasText: '3' }).first().waitFor();
    // Léo is suspended: his MRR no longer counts.
    const mrrRow = dash.rows.find((r: any) => r.cells[0]?.v === FR.ui.dashboard.mrr30);
    expect(mrrRow.cells[1].v).toBe(0);

    // Tuesday 9h: yesterday's KPI are there, and the night lead never called is a named decision.
    await at(9);
    const [tuesday] = await mails(/Routine du matin 24\/11\/2026/);
    expect(tuesday.body).toContain('- Appeler ce lead jamais contacté depuis plus de 12 h (Sirrius › Suivi commercial) : Nuit Blanche (06 77 77 88 88).');
    expect(tuesday.body).toContain('- Appeler ce client dont le paiement a échoué : Léo Bernard (3 échecs, service suspendu).');
    expect(tuesday.body).toMatch(/KPI de la veille \(23\/11\/2026\)\n-+\n- Leads reçus \| 3 \|/);
    for (const m of await mails(/./)) {
      expect([m.subject, /markContacted|client_reference_id|routine(Morning|Noon|Afternoon|Evening)|"new"|\bnew\b|\+33\d|lead_\d|\(\)|\(s\)|\d\.\d %|checkout\.session|cancel_subscription/.exec(m.body)?.[0]]).toEqual([m.subject, undefined]);
    }
  }, 240000);
});
