/**
 * Phone numbers in E.164 (`+33612345678`), whatever the spelling a lead, an operator or Twilio
 * used (`06 12 34 56 78`, `0033…`, `+33 6…`, or a number a spreadsheet stripped of its 0).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** The result of normalising a number: E.164 when it parses, else the text as given. */
export type Phone = { ok: true; e164: string } | { ok: false; raw: string };

/** Normalises a phone number (default region France). */
export function normalizePhone(input: unknown): Phone {
  const raw = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  if (raw === '') return { ok: false, raw: '' };
  const candidates = [raw];
  // A French number read back from a cell without text format lost its 0 (612345678) or its + (33612345678).
  if (/^[67]\d{8}$/.test(raw)) candidates.push(`0${raw}`);
  if (/^33\d{9}$/.test(raw)) candidates.push(`+${raw}`);
  for (const c of candidates) {
    const parsed = parsePhoneNumberFromString(c, 'FR');
    if (parsed && parsed.isValid()) return { ok: true, e164: parsed.number };
  }
  return { ok: false, raw };
}

/** E.164 if it parses, else the input trimmed: the key used to match leads and Opt_Outs. */
export function phoneKey(input: unknown): string {
  const p = normalizePhone(input);
  return p.ok ? p.e164 : p.raw;
}

/**
 * A regular expression (RE2, for a TextFinder, matched against a whole cell) for the ways the
 * given E.164 numbers may be typed in a cell: `+33612345678`, `0033…`, `33…` (a + lost), and for
 * French numbers the national `06 12 34 56 78` (or `612345678`, a 0 lost); digits may be separated
 * by spaces, dots or dashes. A superset: the caller checks each cell found with normalizePhone.
 */
export function phonesPattern(e164s: readonly string[]): string {
  const sep = '[ .-]*';
  const spread = (d: string) => d.split('').join(sep);
  const alts = new Set<string>();
  for (const n of e164s) {
    const digits = n.replace(/\D/g, '');
    if (digits.length < 6) continue;
    alts.add(`(?:\\+|00)?${sep}${spread(digits)}`);
    if (digits.startsWith('33') && digits.length === 11) alts.add(`0?${sep}${spread(digits.slice(2))}`);
  }
  return alts.size ? `^\\s*(?:${[...alts].join('|')})\\s*$` : '';
}
