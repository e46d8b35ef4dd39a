/**
 * The Config tab: non-secret settings an operator may change in the Sheet, their defaults
 * (written by setup() when a key is missing, never over an operator's value) and typed reading.
 */

/** Every Config key with its default value. Descriptions (French) are in ui/strings.fr.ts. */
export const CONFIG_DEFAULTS = {
  max_leads_per_day: 20,
  capacity_alert_pct: 80,
  capacity_pause_pct: 90,
  capacity_resume_next_day: true,
  payment_max_failures: 3,
  payment_suspension: 'cancel_subscription',
  objective_leads_per_day: 20,
  objective_conversions_per_day: 2,
  objective_mrr_per_day: 100,
  sms_hours_start: 8,
  sms_hours_end: 20,
  sms_days: 'lun,mar,mer,jeu,ven,sam',
  sms_optout_mode: 'lien',
  sms_template: 'Bonjour {prenom}, merci pour votre demande chez Sirrius ! Un conseiller vous rappelle très vite.',
  sms_max_attempts: 5,
  events_retention_days: 35,
  backup_keep: 14,
  archive_after_days: 180,
  archive_spreadsheet_url: '',
  contact_email: '',
  prospect_retention_months: 36,
  client_retention_months: 36,
  duplicate_window_days: 30,
} as const;

export type ConfigKey = keyof typeof CONFIG_DEFAULTS;
export type Config = { -readonly [K in ConfigKey]: (typeof CONFIG_DEFAULTS)[K] extends number ? number : (typeof CONFIG_DEFAULTS)[K] extends boolean ? boolean : string };

/** The keys in the order setup() writes them. */
export const CONFIG_KEYS = Object.keys(CONFIG_DEFAULTS) as ConfigKey[];

/** The values a key accepts: a number range (integers only when `integer`), or a list of words. */
type Range = { min: number; max: number; integer?: boolean } | { oneOf: readonly string[] } | { pattern: RegExp };

/**
 * What each key accepts: a value outside falls back to the default (a `payment_max_failures` of 0
 * would cancel a subscription on its first failure) and the Configuration sidebar says so.
 */
export const CONFIG_RANGES: Partial<Record<ConfigKey, Range>> = {
  max_leads_per_day: { min: 1, max: 10000, integer: true },
  capacity_alert_pct: { min: 1, max: 100 },
  capacity_pause_pct: { min: 1, max: 100 },
  payment_max_failures: { min: 1, max: 10, integer: true },
  payment_suspension: { oneOf: ['cancel_subscription', 'pause_collection', 'none'] },
  objective_leads_per_day: { min: 0, max: 10000 },
  objective_conversions_per_day: { min: 0, max: 10000 },
  objective_mrr_per_day: { min: 0, max: 10000000 },
  sms_hours_start: { min: 0, max: 23 },
  sms_hours_end: { min: 1, max: 24 },
  sms_days: { pattern: /^\s*(lun|mar|mer|jeu|ven|sam|dim)(\s*,\s*(lun|mar|mer|jeu|ven|sam|dim))*\s*$/i },
  sms_optout_mode: { oneOf: ['lien', 'stop'] },
  sms_template: { pattern: /\S/ },
  sms_max_attempts: { min: 1, max: 20, integer: true },
  // Shorter than the 72 h of retries, the journal would forget events still waiting.
  events_retention_days: { min: 7, max: 36500, integer: true },
  backup_keep: { min: 1, max: 365, integer: true },
  archive_after_days: { min: 30, max: 36500, integer: true },
  duplicate_window_days: { min: 0, max: 365 },
  // Shown on the public opt-out page: an address, or empty (then ALERT_EMAIL).
  contact_email: { pattern: /^\s*[^\s@<>()[\]\\,;:"']+@[^\s@<>()[\]\\,;:"'.]+(\.[^\s@<>()[\]\\,;:"'.]+)+\s*$/ },
  // RGPD deletion (domain/retention.ts): at least a month (0 would have deleted nothing; now it is refused and the default applies).
  prospect_retention_months: { min: 1, max: 240, integer: true },
  client_retention_months: { min: 1, max: 240, integer: true },
};

/** A Config value that was refused: the operator's value, and the default used instead. */
export interface ConfigProblem {
  key: ConfigKey;
  value: string;
  used: string | number | boolean;
  /** What the key accepts, e.g. `1–10` or `lien, stop`. */
  accepts: string;
}

/**
 * Builds the typed Config from the tab's key/value pairs. A missing, unreadable or out-of-range
 * value falls back to its default (an operator's typo must not stop the webhooks nor do harm).
 */
export function parseConfig(pairs: ReadonlyArray<{ key: string; value: unknown }>): Config {
  return readConfig(pairs).config;
}

/** The values of the tab that were refused (configProblems for the sidebar). */
export function configProblems(pairs: ReadonlyArray<{ key: string; value: unknown }>): ConfigProblem[] {
  return readConfig(pairs).problems;
}

function readConfig(pairs: ReadonlyArray<{ key: string; value: unknown }>): { config: Config; problems: ConfigProblem[] } {
  const out: Record<string, unknown> = { ...CONFIG_DEFAULTS };
  const problems: ConfigProblem[] = [];
  for (const { key, value } of pairs) {
    if (!(key in CONFIG_DEFAULTS)) continue;
    const k = key as ConfigKey;
    const fallback = CONFIG_DEFAULTS[k];
    if (value === '' || value === null || value === undefined) continue;
    const typed = coerce(value, fallback);
    const range = CONFIG_RANGES[k];
    if (typed === undefined || (range && !accepts(range, typed))) {
      problems.push({ key: k, value: String(value).slice(0, 100), used: fallback, accepts: range ? describe(range) : typeof fallback === 'boolean' ? 'TRUE, FALSE' : 'nombre' });
      continue;
    }
    out[key] = typed;
  }
  return { config: out as Config, problems };
}

function accepts(range: Range, value: string | number | boolean): boolean {
  if ('oneOf' in range) return range.oneOf.includes(String(value).trim());
  if ('pattern' in range) return range.pattern.test(String(value));
  return typeof value === 'number' && value >= range.min && value <= range.max && (!range.integer || Number.isInteger(value));
}

function describe(range: Range): string {
  if ('oneOf' in range) return range.oneOf.join(', ');
  if ('pattern' in range) return 'texte';
  return `${range.min}–${range.max}`;
}

/** The value typed as its default's type, or undefined when it cannot be read as such. */
function coerce(value: unknown, fallback: string | number | boolean): string | number | boolean | undefined {
  if (typeof fallback === 'number') {
    const n = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof fallback === 'boolean') {
    if (typeof value === 'boolean') return value;
    const s = String(value).trim().toLowerCase();
    if (['true', 'vrai', 'oui', '1'].includes(s)) return true;
    if (['false', 'faux', 'non', '0'].includes(s)) return false;
    return undefined;
  }
  return String(value);
}
