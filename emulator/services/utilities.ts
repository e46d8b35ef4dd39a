/**
 * Utilities fake: Java SimpleDateFormat-style `formatDate` in any IANA zone (Intl, English names),
 * `sleep` on the fake clock, base64 / digests / HMAC as signed byte arrays, `newBlob`, `parseCsv`.
 */
import { createHash, createHmac, randomUUID } from 'crypto';
import type { Execution } from '../core';
import { isDate, scriptError, strict } from '../core';
import { makeBlob } from './blob';
import { enumOf, isByteArray, signedBytes, toBytes } from './common';
import { isValidTimeZone, zonedParts } from './tz';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');

function offsetText(minutes: number, colon: boolean, hoursOnly = false): string {
  const sign = minutes < 0 ? '-' : '+';
  const h = pad(Math.floor(Math.abs(minutes) / 60), 2);
  const m = pad(Math.abs(minutes) % 60, 2);
  return hoursOnly ? sign + h : sign + h + (colon ? ':' : '') + m;
}

function zoneName(ms: number, tz: string, long: boolean): string {
  try {
    const parts = new Intl.DateTimeFormat(long ? 'en-US' : 'en-GB', { timeZone: tz, timeZoneName: long ? 'long' : 'short' }).formatToParts(new Date(ms));
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? tz;
  } catch {
    return tz;
  }
}

/**
 * Formats an instant like Java's SimpleDateFormat in `timeZone` (an unknown zone falls back to GMT,
 * as Java does). Throws on a pattern letter it does not know.
 */
export function formatDate(ms: number, timeZone: string, pattern: string): string {
  const tz = isValidTimeZone(timeZone) ? timeZone : 'GMT';
  const p = zonedParts(ms, tz === 'GMT' ? 'UTC' : tz);
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      let lit = '';
      while (j < pattern.length) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            lit += "'";
            j += 2;
            continue;
          }
          break;
        }
        lit += pattern[j++];
      }
      out += lit;
      i = j + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case 'G':
        out += p.year > 0 ? 'AD' : 'BC';
        break;
      case 'y':
      case 'Y':
        out += n === 2 ? pad(p.year % 100, 2) : pad(p.year, n);
        break;
      case 'M':
      case 'L':
        out += n >= 4 ? MONTHS[p.month - 1] : n === 3 ? MONTHS[p.month - 1].slice(0, 3) : pad(p.month, n);
        break;
      case 'd':
        out += pad(p.day, n);
        break;
      case 'D': {
        const doy = (Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000 + 1;
        out += pad(doy, n);
        break;
      }
      case 'E':
        out += n >= 4 ? DAYS[p.weekday] : DAYS[p.weekday].slice(0, 3);
        break;
      case 'u':
        out += pad(p.weekday === 0 ? 7 : p.weekday, n);
        break;
      case 'a':
        out += p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(p.hour, n);
        break;
      case 'k':
        out += pad(p.hour === 0 ? 24 : p.hour, n);
        break;
      case 'K':
        out += pad(p.hour % 12, n);
        break;
      case 'h':
        out += pad(p.hour % 12 === 0 ? 12 : p.hour % 12, n);
        break;
      case 'm':
        out += pad(p.minute, n);
        break;
      case 's':
        out += pad(p.second, n);
        break;
      case 'S':
        out += pad(p.millisecond, n);
        break;
      case 'Z':
        out += offsetText(p.offset, false);
        break;
      case 'X':
        out += p.offset === 0 ? 'Z' : offsetText(p.offset, n >= 3, n === 1);
        break;
      case 'z':
        out += zoneName(ms, tz === 'GMT' ? 'UTC' : tz, n >= 4);
        break;
      default:
        throw new Error(`Illegal pattern character '${c}'`);
    }
  }
  return out;
}

/** Parses CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(csv: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < csv.length) {
    const c = csv[i];
    if (quoted) {
      if (c === '"') {
        if (csv[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && csv[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const DIGESTS: Record<string, string> = { MD2: 'md2', MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' };
const MACS: Record<string, string> = { HMAC_MD5: 'md5', HMAC_SHA_1: 'sha1', HMAC_SHA_256: 'sha256', HMAC_SHA_384: 'sha384', HMAC_SHA_512: 'sha512' };

/** The `Utilities` global of one execution. */
export function makeUtilities(exec: Execution): GoogleAppsScript.Utilities.Utilities {
  const bad = (method: string, args: unknown[]) => {
    const types = args.map((a) => (a === null || a === undefined ? '(null)' : isDate(a) ? 'Date' : Array.isArray(a) ? 'number[]' : typeof a === 'string' ? 'String' : typeof a === 'number' ? 'number' : 'Object'));
    return scriptError(exec, `The parameters (${types.join(',')}) don't match the method signature for Utilities.${method}.`);
  };
  const data = (method: string, v: unknown, args: unknown[]) => {
    if (typeof v !== 'string' && !isByteArray(v)) throw bad(method, args);
    return toBytes(v);
  };
  const b64decode = (s: string) => Buffer.from(String(s).replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return strict(exec, 'Utilities', 'Utilities', {
    formatDate: (date: Date, timeZone: string, pattern: string) => {
      if (!isDate(date) || typeof timeZone !== 'string' || typeof pattern !== 'string') throw bad('formatDate', [date, timeZone, pattern]);
      try {
        return formatDate(date.getTime(), timeZone, pattern);
      } catch (e) {
        throw scriptError(exec, (e as Error).message);
      }
    },
    sleep: (ms: number) => {
      const n = Number(ms);
      if (!(n >= 0)) throw bad('sleep', [ms]);
      if (n > 300000) throw scriptError(exec, 'Invalid argument: milliseconds. Maximum value is 300000.');
      exec.clock.advance(n);
    },
    getUuid: () => randomUUID(),
    base64Encode: (v: string | number[]) => data('base64Encode', v, [v]).toString('base64'),
    base64EncodeWebSafe: (v: string | number[]) => data('base64EncodeWebSafe', v, [v]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
    base64Decode: (s: string) => signedBytes(exec, b64decode(s)),
    base64DecodeWebSafe: (s: string) => signedBytes(exec, b64decode(s)),
    computeDigest: (alg: string, v: string | number[]) => {
      const a = DIGESTS[String(alg)];
      if (!a) throw bad('computeDigest', [alg, v]);
      return signedBytes(exec, createHash(a).update(data('computeDigest', v, [alg, v])).digest());
    },
    computeHmacSha256Signature: (v: string | number[], key: string | number[]) =>
      signedBytes(exec, createHmac('sha256', data('computeHmacSha256Signature', key, [v, key])).update(data('computeHmacSha256Signature', v, [v, key])).digest()),
    computeHmacSignature: (alg: string, v: string | number[], key: string | number[]) => {
      const a = MACS[String(alg)];
      if (!a) throw bad('computeHmacSignature', [alg, v, key]);
      return signedBytes(exec, createHmac(a, data('computeHmacSignature', key, [alg, v, key])).update(data('computeHmacSignature', v, [alg, v, key])).digest());
    },
    newBlob: (v: string | number[], contentType?: string, name?: string) => makeBlob(exec, 'Utilities', data('newBlob', v, [v]), contentType ?? null, name ?? null),
    parseCsv: (csv: string, delimiter?: string) => {
      const rows = parseCsv(String(csv), delimiter === undefined ? ',' : String(delimiter));
      return exec.realm.Array.from(rows, (r) => exec.realm.Array.from(r));
    },
    DigestAlgorithm: strict(exec, 'Utilities', 'DigestAlgorithm', enumOf('MD2', 'MD5', 'SHA_1', 'SHA_256', 'SHA_384', 'SHA_512')),
    MacAlgorithm: strict(exec, 'Utilities', 'MacAlgorithm', enumOf('HMAC_MD5', 'HMAC_SHA_1', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512')),
    Charset: strict(exec, 'Utilities', 'Charset', enumOf('US_ASCII', 'UTF_8')),
  }) as unknown as GoogleAppsScript.Utilities.Utilities;
}
