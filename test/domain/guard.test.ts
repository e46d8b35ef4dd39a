/** Issue 15's pure parts: who is a Sheet person, what a trigger event is, a first name, a secret's spellings. */
import { isOwnTrigger, isSheetPerson, triggerUidOf } from '../../src/domain/guard';
import { triggerOwnership } from '../../src/domain/triggers';
import { greetingName } from '../../src/domain/sms';
import { secretSpellings } from '../../src/domain/secrets';

test('a Sheet person: a known email equal, in any case, to the owner or an editor', () => {
  expect(isSheetPerson('Owner@Example.com ', 'owner@example.com', [])).toBe(true);
  expect(isSheetPerson('b@x.fr', null, ['a@x.fr', 'B@X.FR'])).toBe(true);
  expect(isSheetPerson('', 'owner@example.com', [''])).toBe(false);
  expect(isSheetPerson('c@x.fr', 'owner@example.com', ['a@x.fr', ''])).toBe(false);
  expect(isSheetPerson('nobody', null, ['nobody'])).toBe(false);
});

test('a trigger event: its uid must name one of the project clock triggers, for the function it runs', () => {
  const triggers = [
    { uid: '11', handler: 'reconcile', clock: true },
    { uid: '12', handler: 'onEditInstalled', clock: false },
  ];
  expect(triggerUidOf({ triggerUid: '11' })).toBe('11');
  expect(triggerUidOf({ triggerUid: 11 })).toBe('11');
  expect([null, undefined, 'x', [], {}, { triggerUid: '' }, { triggerUid: {} }].map(triggerUidOf)).toEqual([null, null, null, null, null, null, null]);
  expect(isOwnTrigger('11', 'reconcile', triggers)).toBe(true);
  expect(isOwnTrigger('11', 'exportLead', triggers)).toBe(false);
  expect(isOwnTrigger('12', 'onEditInstalled', triggers)).toBe(false);
  expect(isOwnTrigger('13', 'reconcile', triggers)).toBe(false);
});

test('who may install the triggers', () => {
  expect(triggerOwnership('', 'a@x.fr', 'a@x.fr')).toEqual({ install: true, owner: 'a@x.fr' });
  expect(triggerOwnership('', 'b@x.fr', 'a@x.fr')).toEqual({ install: false, owner: 'a@x.fr' });
  expect(triggerOwnership('', 'b@x.fr', '')).toEqual({ install: true, owner: 'b@x.fr' });
  expect(triggerOwnership('B@x.fr', 'b@x.fr', '')).toEqual({ install: true, owner: 'B@x.fr' });
  expect(triggerOwnership('a@x.fr', 'b@x.fr', 'b@x.fr')).toEqual({ install: false, owner: 'a@x.fr' });
  expect(triggerOwnership('', '', 'a@x.fr')).toEqual({ install: false, owner: 'a@x.fr' });
});

test.each([
  ['Camille', 'Camille'],
  [' Jean-Pierre ', 'Jean-Pierre'],
  ["N'Golo", "N'Golo"],
  ['Zoë  Anne', 'Zoë Anne'],
  ['José’Luis', 'José’Luis'],
  ['', ''],
  ['Jean-', ''],
  ['-Jean', ''],
  ['J.P.', ''],
  ['http://x.fr', ''],
  ['Camille 06 12 34 56 78', ''],
  ['A'.repeat(30), 'A'.repeat(30)],
  ['A'.repeat(31), ''],
])('greetingName(%j) = %j', (input, expected) => {
  expect(greetingName(input)).toBe(expected);
});

test('a secret is found as is, URL-encoded, and inside base64 at any offset', () => {
  const secret = 'ab+c/d=efgh12345678xyzé';
  const spellings = secretSpellings(secret);
  const found = (text: string) => spellings.some((s) => text.includes(s));
  expect(found(`x${secret}y`)).toBe(true);
  expect(found(`token=${encodeURIComponent(secret)}&a=1`)).toBe(true);
  expect(found(`token=${encodeURIComponent(secret).toLowerCase()}`)).toBe(true);
  for (const before of ['', 'a', 'ab', 'abc', 'AC01:']) {
    expect([before, found(Buffer.from(`${before}${secret}tail`).toString('base64'))]).toEqual([before, true]);
    expect([before, found(Buffer.from(`${before}${secret}`).toString('base64url'))]).toEqual([before, true]);
  }
  expect(found('nothing secret here')).toBe(false);
  expect(secretSpellings('abc')).toEqual([]);
});
