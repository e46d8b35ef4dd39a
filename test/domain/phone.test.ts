import { normalizePhone, phoneKey } from '../../src/domain/phone';

test.each([
  ['06 12 34 56 78', '+33612345678'],
  ['0612345678', '+33612345678'],
  ['+33 6 12 34 56 78', '+33612345678'],
  ['0033612345678', '+33612345678'],
  ['+33612345678', '+33612345678'],
  [612345678, '+33612345678'],
  [33612345678, '+33612345678'],
  ['07.57.00.11.22', '+33757001122'],
  ['+32 486 12 34 56', '+32486123456'],
])('%p is %p', (input, e164) => {
  expect(normalizePhone(input)).toEqual({ ok: true, e164 });
});

test.each([['12'], ['abc'], ['=1+1'], ['']])('%p does not parse and is kept as given', (input) => {
  expect(normalizePhone(input)).toEqual({ ok: false, raw: input });
  expect(phoneKey(input)).toBe(input);
});
