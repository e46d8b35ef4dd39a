// `npm run push`: `clasp push --force` (without a terminal clasp answers "no" to its question about
// a changed manifest and skips the push with exit code 0), then fails unless clasp pushed.
import { judgePush, runClasp } from './clasp.mjs';

export function push(env = process.env) {
  const { status, out } = runClasp(['push', '--force'], env);
  const verdict = status === 0 ? judgePush(out) : { ok: false, why: `clasp exited with ${status}` };
  if (!verdict.ok) {
    console.error(`npm run push: FAILED: ${verdict.why}.`);
    return false;
  }
  console.log(`npm run push: ok (${verdict.why}).`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(push() ? 0 : 1);
