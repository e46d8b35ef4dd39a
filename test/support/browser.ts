/**
 * What the browser tests (test/browser) share: Debian's Chromium driven by playwright-core, and the
 * sandbox started on a copy of the built bundle, with its JSON API.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../../sandbox/app';

const CHROMIUM = '/usr/bin/chromium';
const DIST = join(__dirname, '..', '..', 'dist');

/** `describe` where Chromium is installed; elsewhere `describe.skip`, with a message. */
export function browserSuite(): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  console.warn(`test/browser skipped: ${CHROMIUM} is missing (run scripts/install-chromium.sh).`);
  return describe.skip;
}

/** Headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Starts the sandbox at `now` (its triggers run only when asked) on a copy of dist/ (the bundle and its HTML) in `dir`. */
export function startBundleSandbox(dir: string, now: Date): Promise<RunningSandbox> {
  if (!existsSync(join(DIST, 'Code.js')) || statSync(join(DIST, 'Code.js')).size === 0) throw new Error('dist/Code.js is missing: run `npm run build`.');
  mkdirSync(join(dir, 'dist'));
  for (const f of readdirSync(DIST).filter((f) => f === 'Code.js' || f.endsWith('.html'))) copyFileSync(join(DIST, f), join(dir, 'dist', f));
  return startSandbox({ dir, bundlePath: join(dir, 'dist', 'Code.js'), port: 0, now, triggerIntervalMs: 0 });
}

/** A call to the sandbox's JSON API: a GET, or a POST of `body`. */
export async function sandboxApi<T = any>(running: RunningSandbox, path: string, body?: unknown): Promise<T> {
  const res = await fetch(running.url + path, body === undefined ? undefined : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
}
