/**
 * Switches for what Google does not document (or documents loosely) and the project relies on:
 * each picks one possible behaviour of the real platform, so that a test can run the bundle
 * under every possibility (docs/platform.md lists the assumptions, emulator/README.md the switches).
 * The defaults are the emulator's historical behaviour.
 */

export interface PlatformSwitches {
  /** A string with a leading apostrophe written into a plain-text ('@') cell: the apostrophe is a quote mark ('strip') or stored as a character ('keep'). */
  plainTextApostrophe: 'strip' | 'keep';
  /** The bound spreadsheet's own time zone when created (a Sheet takes its creator's; the script's is the manifest's). */
  spreadsheetTimeZone: string;
  /** Daily and weekly triggers with `atHour`: run at minute 0 ('exact') or at a seeded random minute of that hour each day ('random': Google says "between 9 a.m. and 10 a.m."). */
  triggerMinute: 'exact' | 'random';
  /** Seed of the random trigger minutes. */
  triggerSeed: number;
  /** Sheets API `values.batchGet` sees SpreadsheetApp writes not yet flushed (true) or only what was flushed (false). */
  batchGetSeesUnflushed: boolean;
  /** `google.script.run` (AppsScript.runFromClient) with a result holding a Date: as JSON would carry it ('json') or `null` ('null'). */
  clientDates: 'json' | 'null';
  /** `EmbeddedChart.getOptions().get(k)` answers an option the builder set (true) or null (false): not documented either way. */
  chartOptionsReadBack: boolean;
  /** A basic filter left on the Leads tab hiding every row whose `status` is not `new` (the SOPs' filter), re-applied after each execution. */
  leadsFilter: boolean;
  /** `LockService` in a simple trigger (onOpen, onEdit): the lock works (true) or the call is refused as needing authorization (false): not documented either way. */
  simpleTriggerLock: boolean;
  /** `Session.getActiveUser()` in a time-driven trigger: the trigger's creator ('creator') or blank ('blank'): not documented. */
  triggerActiveUser: 'creator' | 'blank';
}

export const DEFAULT_SWITCHES: PlatformSwitches = {
  plainTextApostrophe: 'strip',
  spreadsheetTimeZone: 'Europe/Paris',
  triggerMinute: 'exact',
  triggerSeed: 1,
  batchGetSeesUnflushed: true,
  clientDates: 'json',
  chartOptionsReadBack: true,
  leadsFilter: false,
  simpleTriggerLock: true,
  triggerActiveUser: 'creator',
};

/** The non-default setting of each switch: what `EMULATOR_SWITCHES=all-off-default` style runs use. */
export const SWITCH_ALTERNATIVES: ReadonlyArray<Partial<PlatformSwitches>> = [
  { plainTextApostrophe: 'keep' },
  { spreadsheetTimeZone: 'America/New_York' },
  { triggerMinute: 'random' },
  { batchGetSeesUnflushed: false },
  { clientDates: 'null' },
  { chartOptionsReadBack: false },
  { leadsFilter: true },
  { simpleTriggerLock: false },
  { triggerActiveUser: 'blank' },
];

/**
 * Reads `EMULATOR_SWITCHES`: comma-separated `name=value` (e.g.
 * `plainTextApostrophe=keep,spreadsheetTimeZone=America/New_York`); booleans as true/false,
 * numbers as numbers. An unknown name throws (a typo must not silently test nothing).
 */
export function parseSwitches(text: string | undefined): Partial<PlatformSwitches> {
  const out: Record<string, unknown> = {};
  for (const part of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...rest] = part.split('=');
    const raw = rest.join('=');
    if (!(name in DEFAULT_SWITCHES)) throw new Error(`EMULATOR_SWITCHES: unknown switch ${name} (known: ${Object.keys(DEFAULT_SWITCHES).join(', ')})`);
    const def = DEFAULT_SWITCHES[name as keyof PlatformSwitches];
    out[name] = typeof def === 'boolean' ? raw === 'true' : typeof def === 'number' ? Number(raw) : raw;
  }
  return out as Partial<PlatformSwitches>;
}

/** The switches in force: the defaults, then `given`. */
export function withDefaults(given: Partial<PlatformSwitches> = {}): PlatformSwitches {
  return { ...DEFAULT_SWITCHES, ...given };
}
