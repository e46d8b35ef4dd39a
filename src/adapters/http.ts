/**
 * Outbound HTTP through UrlFetchApp, never throwing: a network failure or an error status comes
 * back as a value the caller journals. Bodies are parsed as JSON when they are.
 */

export interface HttpRequest {
  method: 'get' | 'post' | 'delete';
  url: string;
  headers?: Record<string, string>;
  /** Form fields (sent `application/x-www-form-urlencoded`). */
  form?: Record<string, string>;
}

export interface HttpResponse {
  /** HTTP status, or 0 when the call itself failed (network, quota). */
  status: number;
  json: unknown;
  text: string;
}

/** The port the API adapters use. */
export type Http = (req: HttpRequest) => HttpResponse;

/** UrlFetchApp with `muteHttpExceptions` (SPEC §4). */
export const gasHttp: Http = (req) => {
  try {
    const res = UrlFetchApp.fetch(req.url, {
      method: req.method,
      headers: req.headers,
      payload: req.form,
      muteHttpExceptions: true,
      followRedirects: true,
    });
    const text = res.getContentText();
    return { status: res.getResponseCode(), json: safeJson(text), text };
  } catch (e) {
    return { status: 0, json: null, text: e instanceof Error ? e.message : String(e) };
  }
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `a=1&b=x%20y`, for query strings. */
export function query(params: Record<string, string | number | undefined>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}
