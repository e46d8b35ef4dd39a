import { normalizePhone, phoneKey, phonesPattern } from '../../src/domain/phone';

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

describe('phonesPattern', () => {
  test('matches the ways a number is typed, and nothing else', () => {
    const re = new RegExp(phonesPattern(['+33611112222', '+447700900123']));
    for (const typed of ['+33611112222', '06 11 11 22 22', '06.11.11.22.22', '0033 6 11 11 22 22', '33611112222', '611112222', '+447700900123', ' +44 7700 900123 ']) expect(re.test(typed)).toBe(true);
    for (const other of ['+33611112223', '0611112222x', '+3361111222', '']) expect(re.test(other)).toBe(false);
    expect(phonesPattern([])).toBe('');
  });
});
