/**
 * Small wrappers of the Apps Script services the app layer needs besides sheets and HTTP:
 * time zones, HMAC, base64, mail, the script cache and the web app URL.
 */
import type { ParisTime } from '../domain/sms';
import { TIME_ZONE } from './triggers';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Paris wall-clock parts of an instant. */
export function parisTime(at: Date): ParisTime {
  const [day, hour, minute] = Utilities.formatDate(at, TIME_ZONE, 'EEE H m').split(' ');
  return { weekday: WEEKDAYS.indexOf(day) + 1, hour: Number(hour), minute: Number(minute) };
}

/** `yyyy-MM-dd` of an instant in Paris. */
export function parisDay(at: Date): string {
  return Utilities.formatDate(at, TIME_ZONE, 'yyyy-MM-dd');
}

/** Formats an instant in Paris with a SimpleDateFormat pattern. */
export function formatParis(at: Date, pattern: string): string {
  return Utilities.formatDate(at, TIME_ZONE, pattern);
}

/** HMAC-SHA256, base64url. */
export function hmacSha256(message: string, key: string): string {
  return Utilities.base64EncodeWebSafe(Utilities.computeHmacSha256Signature(message, key));
}

/** Base64 of a UTF-8 string (HTTP Basic auth). */
export function base64(s: string): string {
  return Utilities.base64Encode(s, Utilities.Charset.UTF_8);
}

/** A random secret (setup() generates the opt-out signing key with it). */
export function randomSecret(): string {
  return Utilities.getUuid().replace(/-/g, '') + Utilities.getUuid().replace(/-/g, '');
}

/** An email, plain text with an optional HTML part. */
export interface Mail {
  to: string;
  subject: string;
  body: string;
  htmlBody?: string;
}

/** Sends an email with MailApp; returns an error text instead of throwing. */
export function sendMail(mail: Mail): string | null {
  try {
    MailApp.sendEmail({ to: mail.to, subject: mail.subject, body: mail.body, htmlBody: mail.htmlBody, name: 'Sirrius' });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The deployed web app's URL (for the opt-out link), or '' when the script is not deployed. */
export function webAppUrl(): string {
  try {
    return ScriptApp.getService().getUrl() ?? '';
  } catch {
    return '';
  }
}

/** The script cache (shared by every execution; entries expire). */
export function scriptCache(): GoogleAppsScript.Cache.Cache {
  return CacheService.getScriptCache();
}
