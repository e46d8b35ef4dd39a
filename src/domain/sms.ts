/**
 * The SMS to a new lead: its French text with the opt-out mention, the quiet hours during
 * which it waits, and the STOP words a reply may carry.
 */
import type { Config } from './config';

/** Paris wall-clock parts of an instant (the SMS window is in Paris time). */
export interface ParisTime {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
}

const DAY_CODES = ['lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim'];

/** Whether an SMS to a lead may go out at this Paris time (Config: hours and days). */
export function inSmsWindow(at: ParisTime, config: Pick<Config, 'sms_hours_start' | 'sms_hours_end' | 'sms_days'>): boolean {
  const days = config.sms_days
    .split(/[,;\s]+/)
    .map((d) => d.trim().toLowerCase().slice(0, 3))
    .filter(Boolean);
  if (!days.includes(DAY_CODES[at.weekday - 1])) return false;
  const minutes = at.hour * 60 + at.minute;
  return minutes >= config.sms_hours_start * 60 && minutes < config.sms_hours_end * 60;
}

/** Longest first name the SMS greets by (longer is not a first name, and costs segments). */
export const MAX_GREETING_NAME = 30;

/**
 * The first name to greet a lead by, or '' to greet without one. Meta's form passes whatever was
 * typed: only letters (accents included), spaces, hyphens and apostrophes, at most
 * MAX_GREETING_NAME characters, make a name; anything else (a URL, digits, a paragraph) is never
 * texted from the Sirrius sender.
 */
export function greetingName(firstName: string): string {
  const name = firstName.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name.length === 0 || name.length > MAX_GREETING_NAME) return '';
  return /^\p{L}[\p{L}\p{M}]*(?:(?: |-|'|’)\p{L}[\p{L}\p{M}]*)*$/u.test(name) ? name : '';
}

/**
 * The text of the first SMS: the Config template with {prenom} (only a real first name, see
 * greetingName), then the opt-out mention (ui/strings.fr.ts). Every SMS to a lead carries one.
 */
export function composeLeadSms(template: string, firstName: string, mention: string): string {
  const body = template
    .replace(/\{prenom\}/g, greetingName(firstName))
    .replace(/\s+([,.])/g, '$1') // "Bonjour , merci" when the lead gave no first name (French keeps the space before ! and ?)
    .replace(/\s{2,}/g, ' ')
    .trim();
  return `${body} ${mention}`;
}

/** The number of SMS segments a text takes (GSM-7: 160, then 153 per part; else UCS-2: 70, then 67). */
export function smsSegments(text: string): number {
  const gsm = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/.test(text);
  const extended = (text.match(/[\^{}\\[~\]|€]/g) ?? []).length;
  const length = gsm ? text.length + extended : text.length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return length <= single ? 1 : Math.ceil(length / multi);
}

/** Twilio's own opt-out keywords, plus the French ones and "STOP SMS". */
const STOP_WORDS = new Set(['STOP', 'STOPSMS', 'ARRET', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);

/** Whether a reply asks to stop: the whole message is a STOP word (any case, spaces and accents ignored). */
export function isStopWord(body: string): boolean {
  const key = body
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  return STOP_WORDS.has(key);
}
