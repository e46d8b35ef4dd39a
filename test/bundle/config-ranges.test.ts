/** Issue 17 item 11 (and 16's warning), through the bundle: a Config value out of range falls back to its default, and the Configuration sidebar says so. */
import { fixture } from '../../emulator/providers';
import { System, setConfig } from '../support/system';
import { TEST_PROPERTIES } from '../support/gas';

function configStatus(s: System): { ok: boolean; config: { warnings: string[] } } {
  return s.gas.run('configStatus', []) as { ok: boolean; config: { warnings: string[] } };
}

test('payment_max_failures 0 does not cancel on the first failure; the sidebar names the value and the default used', () => {
  const s = new System();
  setConfig(s, 'payment_max_failures', 0);
  setConfig(s, 'sms_max_attempts', -3);
  s.metaLead({ fullName: 'Camille Durand' });
  const lead = s.rows('Leads')[0];
  const sub = s.providers.stripeSubscription({ customer: 'cus_Camille01', amount: 2900 });
  s.post('stripe', JSON.stringify(s.providers.stripeEvent(fixture('stripe/events/checkout.session.completed.json'), { object: { client_reference_id: lead.id, customer: 'cus_Camille01', subscription: sub.id } })));
  const base = fixture('stripe/events/invoice.payment_failed.json');
  const invoice = { ...base.data.object, customer: 'cus_Camille01', attempt_count: 1, parent: { ...base.data.object.parent, subscription_details: { metadata: {}, subscription: sub.id } } };
  s.post('stripe', JSON.stringify(s.providers.stripeEvent(base, { object: invoice })));
  expect(s.rows('Leads')[0]).toMatchObject({ payment_failures: 1, status: 'converted' });
  expect(s.providers.subscriptions.get(sub.id).status).toBe('active');
  const warnings = configStatus(s).config.warnings;
  expect(warnings).toEqual([
    expect.stringMatching(/^Config « payment_max_failures » : la valeur « 0 » est hors limites \(1–10\) ; la valeur par défaut 3 est utilisée\.$/),
    expect.stringMatching(/^Config « sms_max_attempts » : la valeur « -3 » est hors limites \(1–20\) ; la valeur par défaut 5 est utilisée\.$/),
  ]);
});

test('values in range are used as given, and the sidebar has nothing to say', () => {
  const s = new System();
  setConfig(s, 'payment_max_failures', 1);
  setConfig(s, 'sms_days', 'lun, mar');
  expect(configStatus(s).config.warnings).toEqual([]);
  setConfig(s, 'payment_suspension', 'supprimer');
  setConfig(s, 'capacity_alert_pct', 'quatre-vingts');
  expect(configStatus(s).config.warnings.map((w) => w.split(' : ')[0])).toEqual(['Config « capacity_alert_pct »', 'Config « payment_suspension »']);
});

test('a form of the page missing from FB_FORM_IDS is named in the Configuration sidebar', () => {
  const s = new System({ properties: { ...TEST_PROPERTIES, FB_FORM_IDS: '1187654321098765' } });
  s.providers.metaLead({ formId: '2299887766554433' });
  s.reconcile(60000);
  expect(configStatus(s).config.warnings).toEqual([expect.stringMatching(/^Formulaires Meta absents de FB_FORM_IDS .*: 2299887766554433\. /)]);
});

test('relay-only mode without RELAY_URL: the Configuration sidebar says SMS statuses are refused, and what to set', () => {
  const problem = (properties: Record<string, string>) => {
    const s = new System({ properties: { ...TEST_PROPERTIES, ...properties } });
    const status = s.gas.run('configStatus', []) as { config: { properties: Array<{ key: string; problem: string }> } };
    return status.config.properties.find((p) => p.key === 'RELAY_URL')?.problem;
  };
  expect(problem({})).toBe('');
  expect(problem({ RELAY_TOKEN: 'relay-only-secret-5d0e9a7c41b2f8e6' })).toMatch(/^non défini alors que RELAY_TOKEN l'est : Twilio envoie les statuts des SMS directement/);
  expect(problem({ RELAY_TOKEN: 'relay-only-secret-5d0e9a7c41b2f8e6', RELAY_URL: 'https://sirrius-relay.example.workers.dev' })).toBe('');
  expect(problem({ RELAY_URL: 'sirrius-relay.example.workers.dev' })).toMatch(/^ce n'est pas une adresse https/);
});
