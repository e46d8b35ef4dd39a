/** Issue 17 item 4, through the bundle: a send whose outcome is unknown (a timeout) is settled with Twilio's message list before any retry. */
import { System } from '../support/system';

const MINUTE = 60000;

/** Twilio's POST Messages.json times out `times` times: `accepted` says whether Twilio got the message before the timeout. */
function timeouts(s: System, times: number, accepted: boolean): void {
  const router = s.providers.router;
  let left = times;
  s.gas.fetch = (req) => {
    if (left > 0 && req.method.toLowerCase() === 'post' && /\/Messages\.json$/.test(req.url)) {
      left--;
      if (accepted) router(req);
      throw new Error('Timeout: https://api.twilio.com/2010-04-01/Accounts/…/Messages.json');
    }
    return router(req);
  };
}

test('Twilio accepted the message, then the call timed out: one SMS, recorded as sent after asking Twilio', () => {
  const s = new System();
  timeouts(s, 1, true);
  s.metaLead();
  expect(s.providers.sms).toHaveLength(1);
  expect(s.rows('Messages')[0]).toMatchObject({ status: 'failed' });
  expect(String(s.rows('Messages')[0].error)).toMatch(/^Issue inconnue/);
  for (let i = 0; i < 6; i++) s.reconcile(30 * MINUTE);
  expect(s.providers.sms).toHaveLength(1);
  expect(s.rows('Messages')[0]).toMatchObject({ status: expect.stringMatching(/^(sent|delivered)$/), provider_id: s.providers.sms[0].sid });
  expect(s.rows('Leads')[0].sms_sent).toBe(true);
});

test('every answer late (5 timeouts, each accepted): still one SMS', () => {
  const s = new System();
  timeouts(s, 5, true);
  s.metaLead();
  for (let i = 0; i < 12; i++) s.reconcile(60 * MINUTE);
  expect(s.providers.sms).toHaveLength(1);
});

test('the call timed out before Twilio got it: the retry asks Twilio, finds nothing, and sends it once', () => {
  const s = new System();
  timeouts(s, 1, false);
  s.metaLead();
  expect(s.providers.sms).toHaveLength(0);
  for (let i = 0; i < 6; i++) s.reconcile(30 * MINUTE);
  expect(s.providers.sms).toHaveLength(1);
  expect(s.rows('Messages')[0]).toMatchObject({ status: expect.stringMatching(/^(sent|delivered)$/), attempts: 2 });
});
