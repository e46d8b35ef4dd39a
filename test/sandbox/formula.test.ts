/** The sandbox's evaluator of conditional-format formulas (sandbox/formula.ts), on the rules setup() writes. */
import { SpreadsheetStore } from '../../emulator';
import { formulaHolds } from '../../sandbox/formula';

const NOW = Date.parse('2026-11-24T09:00:00Z');

function sheet() {
  const s = new SpreadsheetStore().active.sheets[0];
  s.seed([
    ['id', 'created_at', 'status'],
    ['a', new Date(NOW - 3600_000), 'new'], // 1 h old
    ['b', new Date(NOW - 13 * 3600_000), 'new'], // 13 h old
    ['c', new Date(NOW - 3600_000), 'opted_out'],
    ['d', 'pas une date', 'NEW'],
  ]);
  return s;
}

test('relative references move with the row; $ anchors; dates are serial numbers; text compares without case', () => {
  const s = sheet();
  const priority = '=AND($C2="new",ISNUMBER($B2),NOW()-$B2<0.5)';
  const holds = (f: string, row: number) => formulaHolds(f, { sheet: s, dRow: row - 2, dCol: 0, now: NOW });
  expect([2, 3, 4, 5].map((r) => holds(priority, r))).toEqual([true, false, false, false]);
  expect([2, 3, 4, 5].map((r) => holds('=$C2="opted_out"', r))).toEqual([false, false, true, false]);
  expect(holds('=$C$2="NEW"', 5)).toBe(true);
  expect(holds('=OR(LEN($A2)>3,NOT(ISBLANK($A2)))', 2)).toBe(true);
  expect(holds('=IF($C2="new",1,0)+2*3=7', 2)).toBe(true);
  expect(holds('=$A2&"-"&$C2="a-new"', 2)).toBe(true);
});

test('a formula it cannot read, or that errors, does not apply (as in Sheets)', () => {
  const s = sheet();
  const holds = (f: string) => formulaHolds(f, { sheet: s, dRow: 0, dCol: 0, now: NOW });
  expect(holds('=VLOOKUP(A2,A:B,2)')).toBe(false);
  expect(holds('=1/0>0')).toBe(false);
  expect(holds('=$A2+1>0')).toBe(false); // text in arithmetic: #VALUE!
  expect(holds('=AND(')).toBe(false);
});
