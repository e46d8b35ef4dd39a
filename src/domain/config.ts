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
} as const;

export type ConfigKey = keyof typeof CONFIG_DEFAULTS;
export type Config = { -readonly [K in ConfigKey]: (typeof CONFIG_DEFAULTS)[K] extends number ? number : (typeof CONFIG_DEFAULTS)[K] extends boolean ? boolean : string };

/** The keys in the order setup() writes them. */
export const CONFIG_KEYS = Object.keys(CONFIG_DEFAULTS) as ConfigKey[];

/**
 * Builds the typed Config from the tab's key/value pairs. A missing or unreadable value falls
 * back to its default (an operator's typo must not stop the webhooks).
 */
export function parseConfig(pairs: ReadonlyArray<{ key: string; value: unknown }>): Config {
  const out: Record<string, unknown> = { ...CONFIG_DEFAULTS };
  for (const { key, value } of pairs) {
    if (!(key in CONFIG_DEFAULTS)) continue;
    const fallback = CONFIG_DEFAULTS[key as ConfigKey];
    out[key] = coerce(value, fallback);
  }
  return out as Config;
}

function coerce(value: unknown, fallback: string | number | boolean): string | number | boolean {
  if (value === '' || value === null || value === undefined) return fallback;
  if (typeof fallback === 'number') {
    const n = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
    return Number.isFinite(n) ? n : fallback;
  }
  if (typeof fallback === 'boolean') {
    if (typeof value === 'boolean') return value;
    const s = String(value).trim().toLowerCase();
    if (['true', 'vrai', 'oui', '1'].includes(s)) return true;
    if (['false', 'faux', 'non', '0'].includes(s)) return false;
    return fallback;
  }
  return String(value);
}
