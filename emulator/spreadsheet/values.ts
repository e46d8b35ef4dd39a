/**
 * Cell values of the emulated Sheets: the internal cell type, "typed input" parsing (what Sheets
 * does with a string as if a person typed it, in the fr_FR locale), wall clocks (time zones come
 * from services/tz.ts), display formatting by number format, and A1 notation.
 */

import { isDate } from '../core';
import { isValidTimeZone, offsetMs } from '../services/tz';

export { isValidTimeZone };

/** A date held in a cell, as epoch milliseconds (one small object per date cell, nothing per other cell). */
export class CellDate {
  constructor(readonly ms: number) {}
}

/** What a cell holds. `undefined` (never `''`) is an empty cell in storage. */
export type Cell = string | number | boolean | CellDate;

/** Raised by the model for an error the script must see; the facade turns it into a script-realm Exception. */
export class ModelError extends Error {}

/** Default number format reported for a cell with no format set (what Apps Script returns for "Automatic"). */
export const DEFAULT_NUMBER_FORMAT = '0.###############';
export const DEFAULT_DATE_FORMAT = 'dd/MM/yyyy';
export const DEFAULT_DATETIME_FORMAT = 'dd/MM/yyyy HH:mm:ss';
export const MAX_CELL_CHARS = 50000;

/** The outcome of typing a string into a cell. */
export interface Typed {
  value: Cell | undefined;
  formula?: string;
  /** A number format Sheets applies by itself when the cell has none (e.g. a typed date). */
  autoFormat?: string;
}

const NUMBER_RE = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;
// French thousands grouping ("1 234,56"); phone-like "06 12 34 56 78" (2-digit groups) does not match.
const GROUPED_RE = /^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?$/;
const PERCENT_RE = /^([+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+))\s?%$/;
const TIME = '(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?';
const ISO_DATE_RE = new RegExp(`^(\\d{4})-(\\d{1,2})-(\\d{1,2})${TIME}$`);
const FR_DATE_RE = new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${TIME}$`);

function toNumber(s: string): number {
  return Number(s.replace(/[ \u00a0\u202f]/g, '').replace(',', '.'));
}

/**
 * Parses a string as Sheets does for typed input (fr_FR). `plainText` is true for a cell formatted `@`:
 * only the formula and apostrophe rules apply there; with `keepApostrophe` (a switch: Google does
 * not document it) a plain-text cell stores a leading apostrophe as a character.
 */
export function parseTyped(s: string, plainText: boolean, timeZone: string, keepApostrophe = false): Typed {
  if (s.length > MAX_CELL_CHARS) {
    throw new ModelError(`Your input contains more than the maximum of ${MAX_CELL_CHARS} characters in a single cell.`);
  }
  if (s === '') return { value: undefined };
  if (s[0] === "'" && !(plainText && keepApostrophe)) return { value: s.length > 1 ? s.slice(1) : undefined };
  if (s[0] === '=') return { value: undefined, formula: s };
  if (plainText) return { value: s };
  const t = s.trim();
  if (NUMBER_RE.test(t) || GROUPED_RE.test(t)) return { value: toNumber(t) };
  const pct = PERCENT_RE.exec(t);
  if (pct) return { value: toNumber(pct[1]) / 100, autoFormat: '0.00%' };
  const upper = t.toUpperCase();
  if (upper === 'TRUE' || upper === 'VRAI') return { value: true };
  if (upper === 'FALSE' || upper === 'FAUX') return { value: false };
  const date = parseDateString(t, timeZone);
  if (date) return date;
  // Sheets reads a leading + or - as the start of a formula: "-abc" becomes =-abc, which errors.
  if ((s[0] === '+' || s[0] === '-') && s.length > 1) return { value: '#ERROR!', formula: '=' + s };
  return { value: s };
}

function parseDateString(t: string, timeZone: string): Typed | undefined {
  let y: number, mo: number, d: number;
  let m = ISO_DATE_RE.exec(t);
  if (m) {
    [y, mo, d] = [+m[1], +m[2], +m[3]];
  } else {
    m = FR_DATE_RE.exec(t);
    if (!m) return undefined;
    [d, mo, y] = [+m[1], +m[2], +m[3]];
  }
  const hasTime = m[4] !== undefined;
  const h = hasTime ? +m[4] : 0;
  const mi = hasTime ? +m[5] : 0;
  const sec = m[6] !== undefined ? +m[6] : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  return {
    value: new CellDate(wallToEpoch(y, mo, d, h, mi, sec, timeZone)),
    autoFormat: hasTime ? DEFAULT_DATETIME_FORMAT : DEFAULT_DATE_FORMAT,
  };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(y: number, mo: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1];
}

/**
 * Converts a value received from the script (any realm) to a cell, without typed-input parsing.
 * Returns `undefined` for an empty cell. Throws for objects and functions.
 */
export function rawToCell(v: unknown): Cell | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  switch (typeof v) {
    case 'string':
      if (v.length > MAX_CELL_CHARS) {
        throw new ModelError(`Your input contains more than the maximum of ${MAX_CELL_CHARS} characters in a single cell.`);
      }
      return v;
    case 'number':
    case 'boolean':
      return v;
  }
  if (isDate(v)) {
    const ms = Date.prototype.getTime.call(v);
    if (Number.isNaN(ms)) throw new ModelError('Invalid Date cannot be written to a cell.');
    return new CellDate(ms);
  }
  const kind = typeof v === 'function' ? 'function' : Array.isArray(v) ? 'array' : 'object';
  throw new ModelError(`Cannot write a value of type ${kind} to a cell: only strings, numbers, booleans, Dates and null are supported.`);
}

// ---- time zones -------------------------------------------------------------------------------

/** Wall-clock fields of an instant in a time zone. */
export interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** 0 = Sunday. */
  wd: number;
}

/** The wall clock of `ms` in `timeZone`. */
export function wallClock(ms: number, timeZone: string): Wall {
  const d = new Date(ms + offsetMs(ms, timeZone));
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
    wd: d.getUTCDay(),
  };
}

/** The instant at which the wall clock of `timeZone` shows the given time (DST-aware; a skipped hour moves forward). */
export function wallToEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = asUtc - offsetMs(asUtc, timeZone);
  const second = asUtc - offsetMs(first, timeZone);
  return first === second ? first : Math.max(first, second);
}

// ---- display ----------------------------------------------------------------------------------

const SERIAL_EPOCH = Date.UTC(1899, 11, 30);

/** The serial number of an instant (days since 1899-12-30, fractional) in a time zone's wall clock, as Sheets stores dates. */
export function dateToSerial(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return (Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms) - SERIAL_EPOCH) / 86400000;
}

function serialToDate(serial: number, timeZone: string): number {
  const asUtc = SERIAL_EPOCH + Math.round(serial * 86400000);
  const u = new Date(asUtc);
  return wallToEpoch(u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate(), u.getUTCHours(), u.getUTCMinutes(), u.getUTCSeconds(), timeZone);
}

function stripQuoted(fmt: string): string {
  return fmt.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
}

/** True for a date/time number format such as `dd/MM/yyyy` or `HH:mm`. */
export function isDateFormat(fmt: string): boolean {
  return /[dDyY]|[hH]|ss/.test(stripQuoted(fmt));
}

/** True for a number format with digit placeholders (`0.00`, `#,##0`). */
export function isNumericFormat(fmt: string): boolean {
  return /[0#]/.test(stripQuoted(fmt));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const FR_MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const FR_DAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];

type WallPart = (w: Wall) => string;
const compiledDateFormats = new Map<string, WallPart[]>();

/** Compiles a Sheets date pattern once into functions of the wall clock. */
function compileDateFormat(fmt: string): WallPart[] {
  const cached = compiledDateFormats.get(fmt);
  if (cached) return cached;
  const tokens = fmt.match(/"[^"]*"|\\.|yyyy|yy|MMMM|MMM|MM|M|mmmm|mmm|mm|m|dddd|ddd|dd|d|HH|H|hh|h|ss|s|am\/pm|AM\/PM|./gi) ?? [];
  const isWord = (t: string) => /^[a-z]+$/i.test(t);
  const parts: WallPart[] = tokens.map((tok, i) => {
    const lower = tok.toLowerCase();
    if (lower === 'mm' || lower === 'm') {
      // "mm" is minutes right after an hour or right before seconds, as in Sheets; month otherwise.
      let prev: string | undefined;
      for (let j = i - 1; j >= 0 && !prev; j--) if (isWord(tokens[j])) prev = tokens[j];
      const next = tokens.slice(i + 1).find(isWord);
      const minutes = (prev && /^h/i.test(prev)) || (next && /^s/i.test(next));
      if (minutes) return lower === 'mm' ? (w) => pad(w.mi) : (w) => String(w.mi);
      return lower === 'mm' ? (w) => pad(w.mo) : (w) => String(w.mo);
    }
    switch (lower) {
      case 'yyyy': return (w) => String(w.y);
      case 'yy': return (w) => pad(w.y % 100);
      case 'mmmm': return (w) => FR_MONTHS[w.mo - 1];
      case 'mmm': return (w) => FR_MONTHS[w.mo - 1].slice(0, 4);
      case 'dddd': return (w) => FR_DAYS[w.wd];
      case 'ddd': return (w) => FR_DAYS[w.wd].slice(0, 3) + '.';
      case 'dd': return (w) => pad(w.d);
      case 'd': return (w) => String(w.d);
      case 'hh': return (w) => pad(w.h);
      case 'h': return (w) => String(w.h);
      case 'ss': return (w) => pad(w.s);
      case 's': return (w) => String(w.s);
      case 'am/pm': return (w) => (w.h < 12 ? 'AM' : 'PM');
    }
    const text = tok[0] === '"' ? tok.slice(1, -1) : tok[0] === '\\' ? tok.slice(1) : tok;
    return () => text;
  });
  compiledDateFormats.set(fmt, parts);
  return parts;
}

/** Formats an instant with a Sheets date pattern (`dd/MM/yyyy HH:mm:ss`, `d mmmm yyyy`, ...), in fr_FR. */
export function formatDate(ms: number, fmt: string, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  let out = '';
  for (const part of compileDateFormat(fmt)) out += part(w);
  return out;
}

/** A number as Sheets shows it with the automatic format in fr_FR (decimal comma). */
function generalNumber(n: number, decimalSep: string): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  if (!Number.isFinite(n)) return '#NUM!';
  const s = String(Number(n.toPrecision(15))).replace('e+', 'E+').replace('e-', 'E-');
  return s.replace('.', decimalSep);
}

function patternNumber(n: number, fmt: string, decimalSep: string, groupSep: string): string {
  const section = fmt.split(';');
  const useNeg = n < 0 && section.length > 1;
  const pattern = useNeg ? section[1] : section[0];
  const core = /[#0][#0,.]*|\.[#0]+/.exec(pattern);
  if (!core) return generalNumber(n, decimalSep);
  const literal = (s: string): string => s.replace(/"([^"]*)"/g, '$1').replace(/\\(.)/g, '$1').replace(/\[\$([^\]-]*)[^\]]*\]/g, '$1').replace(/_./g, ' ');
  const prefix = literal(pattern.slice(0, core.index));
  const suffix = literal(pattern.slice(core.index + core[0].length));
  let v = useNeg ? Math.abs(n) : n;
  if (pattern.includes('%')) v *= 100;
  const [intPart, fracPart = ''] = core[0].split('.');
  const maxDec = (fracPart.match(/[0#]/g) ?? []).length;
  const minDec = (fracPart.match(/0/g) ?? []).length;
  let s = Math.abs(v).toFixed(maxDec);
  if (maxDec > minDec) s = s.replace(new RegExp(`0{1,${maxDec - minDec}}$`), '');
  let [i, f = ''] = s.split('.');
  if (s.endsWith('.')) [i, f] = [s.slice(0, -1), ''];
  const minInt = (intPart.match(/0/g) ?? []).length;
  if (minInt === 0 && i === '0') i = '';
  i = i.padStart(minInt, '0');
  if (intPart.includes(',')) i = i.replace(/\B(?=(\d{3})+(?!\d))/g, groupSep);
  const body = f ? `${i}${decimalSep}${f}` : i;
  return `${v < 0 ? '-' : ''}${prefix}${body}${suffix}`;
}

/** The display string of a cell, as `getDisplayValue` returns it. */
export function displayValue(cell: Cell | undefined, fmt: string | undefined, timeZone: string, locale: string): string {
  if (cell === undefined) return '';
  const french = locale.startsWith('fr');
  const decimalSep = french ? ',' : '.';
  const groupSep = french ? ' ' : ',';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return french ? (cell ? 'VRAI' : 'FAUX') : cell ? 'TRUE' : 'FALSE';
  const f = fmt && fmt !== '@' && fmt !== DEFAULT_NUMBER_FORMAT && fmt.toLowerCase() !== 'general' ? fmt : undefined;
  if (cell instanceof CellDate) {
    if (f && isDateFormat(f)) return formatDate(cell.ms, f, timeZone);
    if (f && isNumericFormat(f)) return patternNumber(dateToSerial(cell.ms, timeZone), f, decimalSep, groupSep);
    return formatDate(cell.ms, DEFAULT_DATETIME_FORMAT, timeZone);
  }
  if (f && isDateFormat(f)) return formatDate(serialToDate(cell, timeZone), f, timeZone);
  if (f && isNumericFormat(f)) return patternNumber(cell, f, decimalSep, groupSep);
  return generalNumber(cell, decimalSep);
}

// ---- A1 notation ------------------------------------------------------------------------------

/** 1 -> A, 27 -> AA. */
export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** A rectangle in 1-based coordinates. */
export interface Rect {
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

/**
 * Parses `A1`, `A1:C10`, `A:C`, `2:5`, `B2:B` (open end: to the last grid row) and `B2:2` (to the last
 * grid column), optionally prefixed with a sheet name (returned separately). Returns undefined if invalid.
 */
export function parseA1(a1: string, maxRows: number, maxCols: number): (Rect & { sheetName?: string }) | undefined {
  let sheetName: string | undefined;
  let ref = a1.trim();
  const bang = ref.lastIndexOf('!');
  if (bang >= 0) {
    sheetName = ref.slice(0, bang).replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
    ref = ref.slice(bang + 1);
  }
  const part = /^\$?([A-Za-z]*)\$?(\d*)$/;
  const [a, b] = ref.split(':');
  if (ref.split(':').length > 2) return undefined;
  const pa = part.exec(a ?? '');
  const pb = b === undefined ? pa : part.exec(b);
  if (!pa || !pb || (!pa[1] && !pa[2]) || (!pb[1] && !pb[2])) return undefined;
  const c1 = pa[1] ? columnNumber(pa[1]) : 1;
  const r1 = pa[2] ? +pa[2] : 1;
  const c2 = pb[1] ? columnNumber(pb[1]) : maxCols;
  const r2 = pb[2] ? +pb[2] : maxRows;
  if (b === undefined && (!pa[1] || !pa[2])) return undefined;
  const row = Math.min(r1, r2);
  const col = Math.min(c1, c2);
  return { sheetName, row, col, numRows: Math.abs(r2 - r1) + 1, numCols: Math.abs(c2 - c1) + 1 };
}

/** `A1` or `A1:C3`. */
export function a1Notation(r: Rect): string {
  const start = `${columnLetter(r.col)}${r.row}`;
  if (r.numRows === 1 && r.numCols === 1) return start;
  return `${start}:${columnLetter(r.col + r.numCols - 1)}${r.row + r.numRows - 1}`;
}
