/**
 * Optional real-API mode (`SANDBOX_REAL_APIS=1`): UrlFetchApp is synchronous, Node's HTTP is not, so a
 * real request runs in a short-lived child Node process (`execFileSync`) that does the `fetch` and
 * prints the answer. Slow (~100 ms per call) but exact, and only used when asked for.
 */
import { execFileSync } from 'node:child_process';
import type { FetchReply, FetchRequest } from '../emulator';

/** The child: reads the request as JSON on stdin, writes `{status, headers, body}` or `{error}` on stdout. */
const CHILD = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const r = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  try {
    const headers = { ...r.headers };
    if (r.contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = r.contentType;
    const hasBody = !['GET', 'HEAD'].includes(r.method) && r.payload !== '';
    const res = await fetch(r.url, { method: r.method, headers, body: hasBody ? r.payload : undefined, signal: AbortSignal.timeout(r.timeoutMs) });
    const out = { status: res.status, headers: {}, body: await res.text() };
    res.headers.forEach((v, k) => { out.headers[k] = v; });
    process.stdout.write(JSON.stringify(out));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String((e && e.cause && e.cause.message) || (e && e.message) || e) }));
  }
});`;

/**
 * Sends one request for real and waits for the answer (blocks the event loop: the sandbox runs one
 * execution at a time anyway). A network failure throws, which UrlFetchApp turns into the script's
 * exception, as Apps Script does.
 */
export function realFetch(req: FetchRequest, timeoutMs = 30000): FetchReply {
  const stdout = execFileSync(process.execPath, ['-e', CHILD], {
    input: JSON.stringify({ ...req, timeoutMs }),
    timeout: timeoutMs + 5000,
    maxBuffer: 50 * 1024 * 1024,
    encoding: 'utf8',
  });
  const out = JSON.parse(stdout) as { status?: number; headers?: Record<string, string>; body?: string; error?: string };
  if (out.error !== undefined || out.status === undefined) throw new Error(`Address unavailable: ${req.url} (${out.error ?? 'no answer'})`);
  return { status: out.status, headers: out.headers, body: out.body ?? '' };
}
