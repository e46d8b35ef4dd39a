/**
 * Checks of what a person passes to a global function (menu, sidebar, script editor): wrong
 * types, empty or huge text, formulas, control characters. Pure; the French wording of each
 * problem is in ui/strings.fr.ts (FR.input), chosen by the caller with the field's label.
 */

/** Why a value was refused. */
export type InputProblem = 'type' | 'empty' | 'too_long' | 'formula' | 'control' | 'invalid';

/** A checked value, or the problem. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (problem: InputProblem): Checked<never> => ({ ok: false, problem });

/** Control characters: none in a one-line field; tab and newline allowed in a free text. */
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface TextRules {
  /** Empty (or absent) is refused. */
  required: boolean;
  /** Most characters accepted (after trimming). */
  max: number;
  /** Newlines and tabs allowed (notes, resolutions). */
  multiline?: boolean;
}

/**
 * A text argument, trimmed. Absent (undefined or null) reads as empty; anything but a string is
 * refused rather than coerced, and so is text that Sheets would take for a formula (`=1+1`):
 * the table layer would store it harmlessly, but an operator typing it most likely pasted the
 * wrong thing, and saying so beats storing it.
 */
export function checkText(value: unknown, rules: TextRules): Checked<string> {
  if (value === undefined || value === null) return rules.required ? bad('empty') : ok('');
  if (typeof value !== 'string') return bad('type');
  // Measured before trimming too: a megabyte of spaces is not a reasonable input either.
  if (value.length > rules.max * 4 + 100) return bad('too_long');
  const text = value.trim();
  if (text === '') return rules.required ? bad('empty') : ok('');
  if (text.length > rules.max) return bad('too_long');
  if ((rules.multiline ? CONTROL_MULTILINE : CONTROL_ONE_LINE).test(text)) return bad('control');
  if (text.startsWith('=')) return bad('formula');
  return ok(text);
}

/** A plausible email address (one @, a dot in the domain, no spaces or separators). */
const EMAIL = /^[^\s@<>()[\]\\,;:"']+@[^\s@<>()[\]\\,;:"'.]+(\.[^\s@<>()[\]\\,;:"'.]+)+$/;

/** An email argument, lower-cased (Leads stores emails lower-case, so an exact search finds them). */
export function checkEmail(value: unknown): Checked<string> {
  const text = checkText(value, { required: false, max: 254 });
  if (!text.ok || text.value === '') return text;
  return EMAIL.test(text.value) ? ok(text.value.toLowerCase()) : bad('invalid');
}

/** An email as a key to compare two (case and surrounding spaces ignored); '' for none. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** A lead id as the project writes them (`lead_<epoch ms>`, maybe with a suffix). */
export const LEAD_ID = /^lead_[A-Za-z0-9_-]{1,40}$/;

/** Whether a text is a lead id rather than a phone number. */
export function isLeadId(text: string): boolean {
  return LEAD_ID.test(text);
}

/** A plain object argument (a form from a sidebar), or null for anything else. */
export function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
