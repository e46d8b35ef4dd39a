/**
 * Small wrappers of the Apps Script services the app layer needs besides sheets and HTTP:
 * time zones, HMAC, base64, mail, the script cache and the web app URL.
 */
import type { ParisTime } from '../domain/sms';
import { TIME_ZONE } from './triggers';

/**
 * Paris wall-clock parts of an instant. The weekday is SimpleDateFormat's `u` (ISO day number,
 * 1 = Monday): a number, whatever language day names (`EEE`) would come out in.
 */
export function parisTime(at: Date): ParisTime {
  const [day, hour, minute] = Utilities.formatDate(at, TIME_ZONE, 'u H m').split(' ').map(Number);
  return { weekday: day, hour, minute };
}

/** `yyyy-MM-dd` of an instant in Paris. */
export function parisDay(at: Date): string {
  return Utilities.formatDate(at, TIME_ZONE, 'yyyy-MM-dd');
}

/**
 * A regular expression for the cells that may DISPLAY the Paris day of `at`, for a TextFinder
 * (it searches displayed text): the day before, the day itself and the day after, as the date
 * columns' format (dd/MM/yyyy) or ISO shows them. A sheet shows dates in its own time zone, which
 * setup() sets to Paris but an owner may change: any zone is within a day of Paris, so the day
 * is among these three. The caller checks the actual date of each row found.
 */
export function displayedDayPattern(at: Date): string {
  const days = [-1, 0, 1].map((d) => new Date(at.getTime() + d * 86400000));
  return `^(${days.map((d) => `${formatParis(d, 'dd/MM/yyyy')}|${formatParis(d, 'yyyy-MM-dd')}`).join('|')})`;
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

/**
 * What Apps Script says the web app's URL is, or '' when the script is not deployed. Only a
 * fallback for WEBAPP_URL (Ctx.webAppUrl): it may be the /dev URL or another deployment's.
 */
export function serviceUrl(): string {
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
