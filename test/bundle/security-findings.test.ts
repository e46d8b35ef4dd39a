/**
 * Issue 15, the other findings of the review, through the built bundle: the SMS greets by a first
 * name only when it is one, the webhook token counts only in the URL's query and only when strong,
 * the relay-only mode, secrets redacted in their encoded forms, and triggers that belong to one account.
 */
import { TEST_PROPERTIES, sheetWrites } from '../support/gas';
import { System, TOKEN, json } from '../support/system';
import { FR } from '../../src/ui/strings.fr';

const EDITOR = 'associee@sirrius.example';

describe('the SMS to a lead greets by a first name only when it looks like one', () => {
  const phishing = `Gagnant ! Réclamez votre prix sur https://evil.example/claim?id=42 ${'x'.repeat(860)}`;

  test.each([
    ['Camille', 'Bonjour Camille, merci'],
    ['  Éloïse-Marie ', 'Bonjour Éloïse-Marie, merci'],
    ["D'Artagnan", "Bonjour D'Artagnan, merci"],
    ['Anne Sophie', 'Bonjour Anne Sophie, merci'],
    [phishing, 'Bonjour, merci'],
    ['www.evil.example', 'Bonjour, merci'],
    ['Jean2', 'Bonjour, merci'],
    ['=HYPERLINK("x")', 'Bonjour, merci'],
    ['A'.repeat(31), 'Bonjour, merci'],
  ])('first_name %#', (firstName, start) => {
    const s = new System();
    s.metaLead({ firstName, lastName: 'Durand' });
    expect(s.providers.sms).toHaveLength(1);
    const body = s.providers.sms[0].body;
    expect(body.startsWith(start)).toBe(true);
    // The only link is the signed opt-out link of our own web app.
    expect(body.match(/https?:\/\/\S+/g)?.every((u) => u.startsWith('https://script.google.com/macros/s/'))).toBe(true);
    expect(body).not.toContain('evil');
    // The lead keeps what was typed: only the SMS leaves it out.
    expect(s.rows('Leads')[0].first_name).toBe(firstName.trim());
  });
});

describe('the webhook token counts only in the URL, and only when strong', () => {
  test('a token in a form body (which e.parameter merges) is refused, for every source', () => {
    const s = new System();
    const form = `token=${encodeURIComponent(TOKEN)}&AccountSid=${TEST_PROPERTIES.TWILIO_ACCOUNT_SID}&MessageSid=SM0123456789abcdef0123456789abcdef&From=%2B33612345678&Body=STOP`;
    for (const source of ['stripe', 'facebook', 'sms']) {
      const res = s.post(source, form, { token: null, contentType: 'application/x-www-form-urlencoded' });
      if (source === 'sms') expect(res.content).not.toContain('unauthorized');
      else expect(json(res)).toEqual({ ok: false, error: 'unauthorized' });
      expect(sheetWrites(res.calls)).toBe(0);
    }
    expect(s.rows('Events')).toHaveLength(0);
    expect(s.rows('Opt_Outs')).toHaveLength(0);
  });

  test('a WEBHOOK_TOKEN under 24 characters: webhooks refused, setup says so, the editor generates a strong one', () => {
    const weak = 'short-token-1234';
    const s = new System({ properties: { ...TEST_PROPERTIES, WEBHOOK_TOKEN: weak } });
    const setupAlert = s.gas.spreadsheet.ui.alerts.at(-1)!.prompt;
    expect(setupAlert).toContain(FR.setup.weakToken);
    const { webhook } = s.providers.metaLead();
    expect(json(s.post('facebook', JSON.stringify(webhook), { token: weak }))).toEqual({ ok: false, error: 'unauthorized' });
    expect(s.rows('Events')).toHaveLength(0);
    const status = s.gas.run('configStatus') as { config: { properties: Array<{ key: string; problem: string }> } };
    expect(status.config.properties.find((p) => p.key === 'WEBHOOK_TOKEN')!.problem).toMatch(/trop court/);

    const made = s.gas.run('generateWebhookToken', [], { user: EDITOR }) as { ok: boolean; token: string; webhooks: Array<{ url: string }> };
    s.gas.spreadsheet.editors.push(EDITOR);
    const again = s.gas.run('generateWebhookToken', [], { user: EDITOR }) as { ok: boolean; token: string; webhooks: Array<{ url: string }> };
    // Not yet an editor the first time: refused; then a strong token, shown to this editor with the URLs.
    expect(made).toEqual({ ok: false, error: FR.guard.refused });
    expect(again.ok).toBe(true);
    expect(again.token).toMatch(/^[0-9a-f]{64}$/);
    expect(s.gas.properties.script.get('WEBHOOK_TOKEN')).toBe(again.token);
    expect(again.webhooks[0].url).toContain(`token=${again.token}`);
    expect(json(s.post('facebook', JSON.stringify(webhook), { token: again.token })).ok).toBe(true);
    expect(s.rows('Leads')).toHaveLength(1);
    // A strong token is replaced only on confirmation.
    expect(s.gas.run('generateWebhookToken', [])).toEqual({ ok: false, error: FR.ui.config.tokenConfirm, field: 'confirm' });
    expect(s.gas.properties.script.get('WEBHOOK_TOKEN')).toBe(again.token);
    expect((s.gas.run('generateWebhookToken', [true]) as { token: string }).token).not.toBe(again.token);
  });

  test('relay-only mode: with RELAY_TOKEN set, a direct post with WEBHOOK_TOKEN is refused; the relay\'s URL is taken', () => {
    const relayToken = 'relay-only-0123456789abcdef';
    const s = new System({ properties: { ...TEST_PROPERTIES, RELAY_TOKEN: relayToken } });
    const { webhook } = s.providers.metaLead();
    const body = JSON.stringify(webhook);
    expect(json(s.post('facebook', body))).toEqual({ ok: false, error: 'unauthorized' });
    expect(json(s.post('facebook', body, { query: { relay: '1', relay_token: 'guess' } }))).toEqual({ ok: false, error: 'unauthorized' });
    expect(s.rows('Events')).toHaveLength(0);
    expect(json(s.post('facebook', body, { query: { relay: '1', relay_token: relayToken } })).ok).toBe(true);
    expect(s.rows('Leads')).toHaveLength(1);
  });
});

test('a secret with + / = is redacted in the journal when it arrives URL-encoded', () => {
  const token = 'Ab+Cd/Ef=Gh+Ij/Kl=Mn+Op/Qr=';
  const s = new System({ properties: { ...TEST_PROPERTIES, WEBHOOK_TOKEN: token } });
  // Twilio posts the form; a misconfigured client copies the URL's token into the body too.
  const form = `token=${encodeURIComponent(token)}&AccountSid=${TEST_PROPERTIES.TWILIO_ACCOUNT_SID}&MessageSid=SM0123456789abcdef0123456789abcdef&From=%2B33612345678&Body=Bonjour`;
  s.post('sms', form, { token, contentType: 'application/x-www-form-urlencoded' });
  const events = JSON.stringify(s.rows('Events'));
  expect(events).toContain('MessageSid');
  expect(events).not.toContain(encodeURIComponent(token));
  expect(events).not.toContain(token);
  expect(events).toContain('token=***');
});

describe('the triggers belong to one account', () => {
  test('setup() by another editor installs no second set, and says whose they are', () => {
    const s = new System();
    s.gas.spreadsheet.editors.push(EDITOR);
    expect(s.gas.properties.script.get('TRIGGERS_OWNER')).toBe('owner@example.com');
    const before = s.gas.triggers.list().map((t) => t.uid);
    expect(before.length).toBeGreaterThan(0);
    const report = s.gas.run('setup', [], { user: EDITOR }) as { triggersCreated: string[]; triggersNotMine: boolean; triggersOwner: string };
    expect(report).toMatchObject({ triggersCreated: [], triggersNotMine: true, triggersOwner: 'owner@example.com' });
    expect(s.gas.triggers.list().map((t) => t.uid)).toEqual(before);
    expect(s.gas.spreadsheet.ui.alerts.at(-1)!.prompt).toContain(FR.setup.triggersNotMine('owner@example.com'));
    // The owner's setup() still sees and keeps its own set.
    expect((s.gas.run('setup') as { triggersCreated: string[] }).triggersCreated).toEqual([]);
    expect(s.gas.triggers.list().map((t) => t.uid)).toEqual(before);
  });

  test('before anyone installed them, an editor other than the Sheet\'s owner does not either; on a shared drive the first one does', () => {
    const s = new System({ setup: false });
    s.gas.spreadsheet.editors.push(EDITOR);
    const first = s.gas.run('setup', [], { user: EDITOR }) as { triggersNotMine: boolean; tabsCreated: string[] };
    expect(first.triggersNotMine).toBe(true);
    expect(first.tabsCreated.length).toBeGreaterThan(0);
    expect(s.gas.triggers.list()).toHaveLength(0);
    expect(s.gas.properties.script.has('TRIGGERS_OWNER')).toBe(false);

    const shared = new System({ setup: false });
    shared.gas.spreadsheet.owner = null;
    shared.gas.spreadsheet.editors.push(EDITOR);
    const report = shared.gas.run('setup', [], { user: EDITOR }) as { triggersCreated: string[] };
    expect(report.triggersCreated.length).toBeGreaterThan(0);
    expect(shared.gas.properties.script.get('TRIGGERS_OWNER')).toBe(EDITOR);
    expect(shared.gas.triggers.list().every((t) => t.createdBy === EDITOR)).toBe(true);
  });
});
