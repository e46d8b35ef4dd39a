/**
 * Issue 17 items 8, 9 and 14, through the bundle: nothing depends on row order or on what was
 * read before the lock. The operator sorts a tab while an execution waits on a provider; a
 * webhook waits for the lock while another one changes the shared state.
 */
import { System } from '../support/system';

const MINUTE = 60000;

describe('shared state is read after the lock (item 14)', () => {
  test('a webhook that waited for the lock does not write back a stale lead counter or capacity list', () => {
    const s = new System();
    const first = s.providers.metaLead({ fullName: 'Camille Durand', email: 'camille@example.fr', phone: '+33611111111' });
    const second = s.providers.metaLead({ fullName: 'Louis Martin', email: 'louis@example.fr', phone: '+33622222222' });
    let nested = false;
    // While the second webhook asks for the lock (its Script Properties already read), the first one runs to the end.
    s.gas.beforeCall = (service, method) => {
      if (service === 'Lock' && method === 'Lock.tryLock' && !nested) {
        nested = true;
        s.post('facebook', JSON.stringify(first.webhook));
      }
    };
    s.post('facebook', JSON.stringify(second.webhook));
    s.gas.beforeCall = undefined;
    const leads = s.rows('Leads');
    expect(leads).toHaveLength(2);
    expect(new Set(leads.map((l) => l.id)).size).toBe(2);
    const counted = s.gas.properties.script.get('CAPACITY_COUNTED_LEADS')!.split(',');
    expect(counted).toEqual(expect.arrayContaining(leads.map((l) => String(l.id))));
    expect(s.rows('Capacity')[0].current_leads).toBe(2);
    // A retry of the first lead (its execution "died") does not count it a second time.
    s.post('facebook', JSON.stringify(first.webhook));
    s.reconcile(10 * MINUTE);
    expect(s.rows('Capacity')[0].current_leads).toBe(2);
  });
});
