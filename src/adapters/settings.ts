import { secretSpellings } from '../domain/secrets';

/**
 * Script Properties (SPEC §2): the secrets, and the small state that must survive executions
 * (polling cursors, the last lead id issued). Secrets never reach a cell, a log or a page:
 * `redact` removes them from any text that leaves the script.
 */

/** The Script Properties of SPEC §2, plus the opt-out signing secret setup() generates. */
export const SECRET_KEYS = [
  'WEBHOOK_TOKEN',
  'STRIPE_SECRET_KEY',
  'FB_VERIFY_TOKEN',
  'FB_ACCESS_TOKEN',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'OPTOUT_SECRET',
  // Relay-only mode (README, Security): the second secret only the relay adds to the web app's URL.
  'RELAY_TOKEN',
  'OPTOUT_DIGEST_KEY',
] as const;

export const SETTING_KEYS = [...SECRET_KEYS, 'FB_API_VERSION', 'FB_FORM_IDS', 'TWILIO_FROM', 'ALERT_EMAIL', 'ALERT_PHONE', 'FB_AD_ACCOUNT_ID', 'META_DATASET_ID', 'WEBAPP_URL', 'RELAY_URL'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Graph API version used when FB_API_VERSION is not set. */
export const DEFAULT_FB_API_VERSION = 'v21.0';

/** Reads Script Properties once per execution (one call), and redacts secrets from text. */
export class Settings {
  private values: Record<string, string>;

  constructor(private readonly store: GoogleAppsScript.Properties.Properties = PropertiesService.getScriptProperties()) {
    this.values = store.getProperties();
  }

  /**
   * Reads the properties again (one call). Under the script lock, before any state is used: what
   * was read before the lock (the webhook token check) may be stale by the time the lock is had,
   * and state written back from a stale read would undo another execution's work.
   */
  reload(): void {
    this.values = this.store.getProperties();
  }

  /** A setting, trimmed of nothing (tokens are compared exactly), or '' when unset. */
  get(key: SettingKey): string {
    return this.values[key] ?? '';
  }

  /** Non-secret state kept between executions (cursors). */
  state(key: string): string {
    return this.values[key] ?? '';
  }

  /** Saves state. */
  setState(key: string, value: string): void {
    this.values[key] = value;
    this.spellings = null;
    this.store.setProperty(key, value);
  }

  /** Saves several states in one call (each Script Properties write is a round trip: 40–230 ms). */
  setStates(values: Readonly<Record<string, string>>): void {
    if (Object.keys(values).length === 0) return;
    Object.assign(this.values, values);
    this.spellings = null;
    this.store.setProperties(values);
  }

  private spellings: string[] | null = null;

  /** Replaces every secret found in a text by `***`: as is, URL-encoded, or inside base64. */
  redact(text: string): string {
    this.spellings ??= SECRET_KEYS.flatMap((key) => secretSpellings(this.values[key] ?? '')).sort((a, b) => b.length - a.length);
    let out = text;
    for (const spelling of this.spellings) out = out.split(spelling).join('***');
    return out;
  }
}
