/**
 * UrlFetchApp fake: every request goes to the emulator's replaceable router and is logged.
 * Reproduces the default exception on HTTP errors and the form-encoding of object payloads.
 */
import type { Execution } from '../core';
import { ExecutionKilled, scriptError, strict } from '../core';
import { makeBlob } from './blob';
import { isByteArray, requireAuth, signedBytes, toBytes } from './common';

/** A request as the router sees it. */
export interface FetchRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: string;
  contentType?: string;
}

/** The router's reply. An object body is sent as JSON. */
export interface FetchReply {
  status: number;
  body: string | object;
  headers?: Record<string, string>;
}

/** Answers the script's requests; may throw to simulate a network failure. */
export type FetchRouter = (req: FetchRequest) => FetchReply;

/** How the facade reaches the emulator's router (read on each call, so tests may replace it). */
export interface FetchHost {
  readonly fetch?: FetchRouter;
  readonly fetchLog: FetchRequest[];
}

const SCOPE = 'https://www.googleapis.com/auth/script.external_request';

function formEncode(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** The `UrlFetchApp` global of one execution. */
export function makeUrlFetchApp(host: FetchHost, exec: Execution): GoogleAppsScript.URL_Fetch.UrlFetchApp {
  const request = (url: unknown, params: Record<string, unknown> = {}): FetchRequest => {
    const u = String(url);
    if (!/^https?:\/\/[^/\s]+/i.test(u)) throw scriptError(exec, `Invalid argument: ${u}`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((params.headers ?? {}) as Record<string, unknown>)) headers[k] = String(v);
    let payload = '';
    let contentType = params.contentType === undefined ? undefined : String(params.contentType);
    const p = params.payload;
    if (p !== undefined && p !== null) {
      if (typeof p === 'string') payload = p;
      else if (isByteArray(p)) payload = toBytes(p).toString('utf8');
      else if (typeof p === 'object') payload = formEncode(p as Record<string, unknown>);
      else payload = String(p);
      contentType ??= 'application/x-www-form-urlencoded';
    }
    return { url: u, method: String(params.method ?? 'get').toUpperCase(), headers, payload, ...(contentType !== undefined ? { contentType } : {}) };
  };

  const perform = (req: FetchRequest, mute: boolean) => {
    host.fetchLog.push(req);
    const router = host.fetch;
    if (!router) throw scriptError(exec, `emulator: UrlFetchApp.fetch(${req.url}) but no fetch router is set (AppsScript.fetch)`);
    let reply: FetchReply;
    try {
      reply = router(req);
    } catch (e) {
      if (e instanceof ExecutionKilled) throw e;
      const msg = e && typeof (e as Error).message === 'string' && (e as Error).message ? (e as Error).message : `Address unavailable: ${req.url}`;
      throw scriptError(exec, msg);
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (typeof reply.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    if (reply.status >= 400 && !mute) {
      throw scriptError(exec, `Request failed for ${req.url} returned code ${reply.status}. Truncated server response: ${text.slice(0, 100)} (use muteHttpExceptions option to examine full response)`);
    }
    const bytes = Buffer.from(text, 'utf8');
    const contentType = Object.entries(headers).find(([h]) => h.toLowerCase() === 'content-type')?.[1] ?? 'text/plain';
    const headersObj = () => Object.assign(new exec.realm.Object(), headers);
    return strict(exec, 'UrlFetch', 'HTTPResponse', {
      getResponseCode: () => reply.status,
      getContentText: () => text,
      getContent: () => signedBytes(exec, bytes),
      getHeaders: headersObj,
      getAllHeaders: headersObj,
      getBlob: () => makeBlob(exec, 'UrlFetch', bytes, contentType, null),
      getAs: () => makeBlob(exec, 'UrlFetch', bytes, contentType, null),
    });
  };

  const params = (p: unknown) => (p ?? {}) as Record<string, unknown>;
  return strict(exec, 'UrlFetch', 'UrlFetchApp', {
    fetch: (url: string, p?: object) => {
      requireAuth(exec, 'UrlFetchApp.fetch', SCOPE);
      return perform(request(url, params(p)), Boolean(params(p).muteHttpExceptions));
    },
    fetchAll: (requests: (string | Record<string, unknown>)[]) => {
      requireAuth(exec, 'UrlFetchApp.fetchAll', SCOPE);
      const reqs = Array.from(requests ?? [], (r) => (typeof r === 'string' ? { url: r } : r));
      return exec.realm.Array.from(reqs, (r) => perform(request(r.url, r), Boolean(r.muteHttpExceptions)));
    },
    getRequest: (url: string, p?: object) => {
      const r = request(url, params(p));
      return Object.assign(new exec.realm.Object(), { ...r, headers: Object.assign(new exec.realm.Object(), r.headers) });
    },
  }) as unknown as GoogleAppsScript.URL_Fetch.UrlFetchApp;
}
