/** Checks of what a person passes to a global function. */
import { asRecord, checkEmail, checkText, isLeadId } from '../../src/domain/input';

describe('checkText', () => {
  const rules = { required: true, max: 10 };
  test.each([
    ['  Julie  ', { ok: true, value: 'Julie' }],
    ['', { ok: false, problem: 'empty' }],
    ['   ', { ok: false, problem: 'empty' }],
    [undefined, { ok: false, problem: 'empty' }],
    [null, { ok: false, problem: 'empty' }],
    [12, { ok: false, problem: 'type' }],
    [{}, { ok: false, problem: 'type' }],
    ['x'.repeat(11), { ok: false, problem: 'too_long' }],
    [' '.repeat(1000000), { ok: false, problem: 'too_long' }],
    ['=1+1', { ok: false, problem: 'formula' }],
    [' =A1', { ok: false, problem: 'formula' }],
    ['a\u0000b', { ok: false, problem: 'control' }],
    ['a\nb', { ok: false, problem: 'control' }],
  ])('%j', (input, out) => expect(checkText(input, rules)).toEqual(out));

  test('optional text may be absent; multiline text keeps its newlines', () => {
    expect(checkText(undefined, { required: false, max: 5 })).toEqual({ ok: true, value: '' });
    expect(checkText('a\nb', { required: true, max: 5, multiline: true })).toEqual({ ok: true, value: 'a\nb' });
    expect(checkText('+33 6', { required: true, max: 5 })).toEqual({ ok: true, value: '+33 6' });
  });
});

describe('checkEmail', () => {
  test.each([['Julie.Martin@Example.FR', 'julie.martin@example.fr'], ['a+tag@b.co', 'a+tag@b.co'], ['', '']])('%j is accepted', (input, out) =>
    expect(checkEmail(input)).toEqual({ ok: true, value: out }),
  );
  test.each([['julie'], ['julie@'], ['@example.fr'], ['julie@example'], ['ju lie@example.fr'], ['a@b@c.fr'], ['julie@example..fr']])('%j is refused', (input) =>
    expect(checkEmail(input)).toEqual({ ok: false, problem: 'invalid' }),
  );
});

test('lead ids and records', () => {
  expect(isLeadId('lead_1763888400000')).toBe(true);
  expect(isLeadId('lead_1763888400000-2')).toBe(true);
  expect(isLeadId('0612345678')).toBe(false);
  expect(isLeadId('lead_')).toBe(false);
  expect(asRecord({ a: 1 })).toEqual({ a: 1 });
  expect(asRecord([1])).toBeNull();
  expect(asRecord(null)).toBeNull();
  expect(asRecord('x')).toBeNull();
});
