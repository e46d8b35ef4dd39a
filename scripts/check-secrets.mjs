// Fails if something that looks like a live secret is tracked by git (Stripe live keys,
// webhook signing secrets, long Meta tokens). Test values (sk_test_…) are fine.
import { execFileSync } from 'node:child_process';

const pattern = 'sk_live_[0-9A-Za-z]{8,}|rk_live_[0-9A-Za-z]{8,}|whsec_[0-9A-Za-z]{16,}|EAA[A-Za-z0-9]{40,}';
let found = '';
try {
  found = execFileSync('git', ['grep', '-nE', pattern, '--', '.', ':!package-lock.json'], { encoding: 'utf8' });
} catch {
  found = ''; // git grep exits 1 when nothing matches
}
if (found.trim()) {
  console.error(`Possible secret committed:\n${found}`);
  process.exit(1);
}
console.log('no secret found in tracked files');
