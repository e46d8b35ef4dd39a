/** Config parsing and the trigger plan (pure domain). */
import { CONFIG_DEFAULTS, configProblems, parseConfig } from '../../src/domain/config';
import { TRIGGER_PLAN, planTriggers } from '../../src/domain/triggers';

describe('parseConfig', () => {
  test('defaults when empty', () => {
    expect(parseConfig([])).toEqual(CONFIG_DEFAULTS);
  });

  test('operator values win, typed by their default; typos fall back', () => {
    const config = parseConfig([
      { key: 'max_leads_per_day', value: 35 },
      { key: 'capacity_alert_pct', value: '75,5' },
      { key: 'capacity_pause_pct', value: 'quatre-vingt-dix' },
      { key: 'capacity_resume_next_day', value: 'non' },
      { key: 'sms_days', value: 'lun,mar' },
      { key: 'unknown_key', value: 'ignored' },
    ]);
    expect(config.max_leads_per_day).toBe(35);
    expect(config.capacity_alert_pct).toBe(75.5);
    expect(config.capacity_pause_pct).toBe(90);
    expect(config.capacity_resume_next_day).toBe(false);
    expect(config.sms_days).toBe('lun,mar');
    expect('unknown_key' in config).toBe(false);
  });

  test('the opt-out keys have ranges too: a retention of 0 months or an address that is none falls back, and is reported', () => {
    const pairs = [
      { key: 'prospect_retention_months', value: 0 },
      { key: 'client_retention_months', value: 24 },
      { key: 'contact_email', value: 'pas une adresse' },
    ];
    expect(parseConfig(pairs)).toMatchObject({ prospect_retention_months: 36, client_retention_months: 24, contact_email: '' });
    expect(configProblems(pairs).map((p) => p.key)).toEqual(['prospect_retention_months', 'contact_email']);
    expect(parseConfig([{ key: 'contact_email', value: ' contact@sirrius.example ' }]).contact_email).toBe(' contact@sirrius.example ');
  });
});

describe('planTriggers', () => {
  test('creates every planned trigger on a fresh project, at the SOP hours', () => {
    const plan = planTriggers([], () => true);
    expect(plan.create).toEqual(TRIGGER_PLAN);
    expect(plan.create.filter((t) => t.kind === 'daily').map((t) => (t.kind === 'daily' ? t.hour : 0))).toEqual([9, 12, 15, 18, 3]); // the four routines, then the archive at 3h
    expect(plan.create.find((t) => t.handler === 'reconcile')).toEqual({ handler: 'reconcile', kind: 'minutes', every: 5 });
  });

  test('skips handlers that already have a trigger, and reports missing functions', () => {
    const plan = planTriggers(['reconcile', 'routineMorning'], (h) => h !== 'routineEvening');
    expect(plan.create.map((t) => t.handler)).toEqual(['routineNoon', 'routineAfternoon', 'archive']);
    expect(plan.missingHandlers).toEqual(['routineEvening']);
  });
});
