/** The pure part of KO #2: a day's figures, the steps a count calls for, the excess to reject. */
import { capacityFigures, capacitySteps, effectiveMax, excessLeads, parseMaxLeads, stepsStillTaken, usagePct } from '../../src/domain/capacity';

const T = { alertPct: 80, pausePct: 90 };
const NONE = { alerted: false, paused: false, overflowed: false };

describe('capacityFigures', () => {
  test.each([
    [7, 'open', 70, 3],
    [8, 'warning', 80, 2],
    [10, 'warning', 100, 0],
    [11, 'full', 110, 0],
  ])('%i leads of 10: %s', (current, status, usage, remaining) => {
    expect(capacityFigures(current, 10, 80)).toEqual({ max_leads: 10, current_leads: current, remaining_capacity: remaining, usage_pct: usage, status });
  });

  test('usage keeps one decimal', () => {
    expect(usagePct(1, 3)).toBe(33.3);
    expect(usagePct(2, 3)).toBe(66.7);
  });
});

describe('capacitySteps', () => {
  test('each threshold calls for its step, once', () => {
    expect(capacitySteps(capacityFigures(8, 10, 80), T, NONE)).toEqual({ alert: true, pause: false, overflow: false });
    expect(capacitySteps(capacityFigures(9, 10, 80), T, { ...NONE, alerted: true })).toEqual({ alert: false, pause: true, overflow: false });
    expect(capacitySteps(capacityFigures(11, 10, 80), T, { alerted: true, paused: true, overflowed: false })).toEqual({ alert: false, pause: false, overflow: true });
    expect(capacitySteps(capacityFigures(12, 10, 80), T, { alerted: true, paused: true, overflowed: true })).toEqual({ alert: false, pause: false, overflow: false });
  });

  test('a jump past every threshold takes them all', () => {
    expect(capacitySteps(capacityFigures(6, 5, 80), T, NONE)).toEqual({ alert: true, pause: true, overflow: true });
  });

  test('a raised maximum forgets the steps that no longer apply', () => {
    const all = { alerted: true, paused: true, overflowed: true };
    expect(stepsStillTaken(capacityFigures(11, 15, 80), T, all)).toEqual(NONE);
    expect(stepsStillTaken(capacityFigures(11, 12, 80), T, all)).toEqual({ alerted: true, paused: true, overflowed: false });
  });
});

describe('maximum', () => {
  test.each([[10, 10], ['25', 25], [' 7 ', 7], [10000, 10000]])('parseMaxLeads(%j) = %i', (input, out) => expect(parseMaxLeads(input)).toBe(out));
  test.each([[0], [-3], [2.5], [10001], ['1e3'], ['12abc'], [''], [null], [NaN], [Infinity], [true], [[5]]])('parseMaxLeads(%j) is refused', (input) => expect(parseMaxLeads(input)).toBeNull());

  test('a blank or broken cell falls back to Config, and Config to 1', () => {
    expect(effectiveMax(0, 20)).toBe(20);
    expect(effectiveMax(-4, 20)).toBe(20);
    expect(effectiveMax(12.9, 20)).toBe(12);
    expect(effectiveMax(0, 0)).toBe(1);
    expect(effectiveMax(NaN, NaN)).toBe(1);
  });
});

describe('excessLeads', () => {
  test('the newest new leads, as many as the excess, newest first', () => {
    expect(excessLeads(['new', 'new', 'new', 'new'], 4, 2)).toEqual([3, 2]);
    expect(excessLeads(['new', 'new', 'contacted', 'new'], 4, 2)).toEqual([3, 1]);
    expect(excessLeads(['converted', 'contacted'], 2, 1)).toEqual([]);
    expect(excessLeads(['new', 'new'], 2, 5)).toEqual([]);
  });
});
