// What `npm run push` and `npm run deploy` share: running clasp and reading what it printed.
// clasp 3 exits 0 in cases that pushed or deployed nothing, so its output is the only witness.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The clasp binary: `CLASP_BIN` (the tests' fake), else the project's own node_modules/.bin/clasp. */
export function claspBin(env = process.env) {
  return env.CLASP_BIN || join(root, 'node_modules', '.bin', 'clasp');
}

/** Runs clasp with `args`; its output is shown as it is and returned. */
export function runClasp(args, env = process.env) {
  const res = spawnSync(claspBin(env), args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.stdout) process.stdout.write(res.stdout);
  if (res.stderr) process.stderr.write(res.stderr);
  if (res.error) throw new Error(`clasp could not run: ${res.error.message}`);
  return { status: res.status ?? 1, out: `${res.stdout ?? ''}\n${res.stderr ?? ''}` };
}

/**
 * What `clasp push --force` printed, judged (clasp 3, commands/push.js):
 * - "Pushed N files" (N ≥ 1): pushed.
 * - "Script is already up to date.": every local file equals the remote one (getChangedFiles), fine.
 * - "Skipping push." (the manifest question answered no), "Pushed no files", or none of these: failed.
 */
export function judgePush(out) {
  if (/Skipping push\./.test(out)) return { ok: false, why: 'clasp skipped the push (it printed "Skipping push.")' };
  const pushed = /Pushed (one file|(\d+) files|no files)/.exec(out);
  if (pushed) {
    if (pushed[1] === 'no files' || pushed[2] === '0') return { ok: false, why: 'clasp pushed no files' };
    return { ok: true, why: pushed[0] };
  }
  if (/Script is already up to date\./.test(out)) return { ok: true, why: 'the remote project already equals dist/' };
  return { ok: false, why: 'clasp did not say it pushed anything' };
}

/**
 * The file that keeps the web app's deployment id (committed; not a secret: the id is part of the
 * public /exec URL). `DEPLOYMENT_FILE` moves it (the tests do).
 */
export function deploymentFile(env = process.env) {
  return env.DEPLOYMENT_FILE || join(root, 'deployment.json');
}

/** The kept deployment id: `WEBAPP_DEPLOYMENT_ID`, else deployment.json's `deploymentId`, else ''. */
export function keptDeploymentId(env = process.env) {
  const file = deploymentFile(env);
  if (env.WEBAPP_DEPLOYMENT_ID) return env.WEBAPP_DEPLOYMENT_ID.trim();
  if (!existsSync(file)) return '';
  const id = JSON.parse(readFileSync(file, 'utf8')).deploymentId;
  return typeof id === 'string' ? id.trim() : '';
}

/** The deployment id in what `clasp deploy` printed ("Deployed <id> @<version>"), or ''. */
export function deployedId(out) {
  const m = /(?:Re)?[Dd]eployed (\S+) @/.exec(out);
  return m ? m[1] : '';
}

/** The /exec URL of a deployment id. */
export function execUrl(id) {
  return `https://script.google.com/macros/s/${id}/exec`;
}
