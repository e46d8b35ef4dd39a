/**
 * What a failed attempt says about the world: "this object does not exist" (retrying will not
 * help) or "we cannot reach or read it now" (a token, a rate limit, an outage, a quota, a renamed
 * column: it will work again once fixed, so the event must wait, not be dropped). The errors are
 * the short texts of adapters/providers.ts (`graph 400: … [code 190/463]`), MailApp's and the
 * table layer's.
 */

/** Why an attempt failed. Only `missing` is final. */
export type FailureKind = 'missing' | 'auth' | 'throttled' | 'unavailable' | 'mail_quota' | 'sheet' | 'other';

/** The provider an error came from ('' when none: the Sheet, MailApp, our own code). */
export type FailedProvider = 'stripe' | 'graph' | 'twilio' | '';

/**
 * Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling): 190 and 102
 * an expired or invalid token, 10 and 200–299 a permission; 4, 17, 32, 613 and 341 throttling;
 * 1 and 2 a temporary outage. 100 with subcode 33: the object does not exist.
 */
const GRAPH_AUTH = (code: number) => code === 190 || code === 102 || code === 10 || (code >= 200 && code <= 299);
const GRAPH_THROTTLED = new Set([4, 17, 32, 341, 613]);
const GRAPH_TRANSIENT = new Set([1, 2]);

/** The provider named at the start of an error text. */
export function failedProvider(error: string): FailedProvider {
  const m = /^(stripe|graph|twilio)\b/.exec(error);
  return m ? (m[1] as FailedProvider) : '';
}

/** Classifies an error text (see FailureKind). */
export function failureKind(error: string): FailureKind {
  const provider = failedProvider(error);
  const status = Number(/^\w+ (\d{3})\b/.exec(error)?.[1] ?? 0);
  if (provider === 'graph') {
    const code = /\[code (\d+)(?:\/(\d+))?\]/.exec(error);
    const n = code ? Number(code[1]) : NaN;
    if (n === 100 && code?.[2] === '33') return 'missing';
    if (status === 404) return 'missing';
    if (GRAPH_AUTH(n) || status === 401 || /FB_ACCESS_TOKEN is not set/.test(error)) return 'auth';
    if (GRAPH_THROTTLED.has(n) || status === 429) return 'throttled';
    if (GRAPH_TRANSIENT.has(n)) return 'unavailable';
  }
  if (provider === 'stripe') {
    if (status === 404) return 'missing';
    if (status === 401 || status === 403 || /is not set/.test(error)) return 'auth';
  }
  if (provider === 'twilio') {
    // Twilio's own texts carry its code: 20404 "not found", 20003 "authenticate".
    if (status === 404 || /\b20404\b/.test(error)) return 'missing';
    if (status === 401 || /\b20003\b|is not set/.test(error)) return 'auth';
  }
  if (provider && status === 429) return 'throttled';
  if (provider && (status === 0 || status >= 500 || /^\w+: /.test(error))) return 'unavailable';
  if (/too many times for one day: email|quota.*e-?mail|^email: /i.test(error)) return 'mail_quota';
  if (/is missing in tab|tab \S+ is missing|appears twice in tab|run setup\(\)/.test(error)) return 'sheet';
  return 'other';
}

/** Whether retrying cannot help: the object does not exist at the provider. */
export function isPermanent(error: string): boolean {
  return failureKind(error) === 'missing';
}

/** Kinds that do not fix themselves: the operator is told at the first failure, not after an hour. */
export function needsOperatorNow(kind: FailureKind): boolean {
  return kind === 'auth' || kind === 'sheet';
}
