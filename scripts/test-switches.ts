// `npm run test:switches`: the representative bundle suites (intake, stripe, capacity, routines,
// runbooks, ui) once under each platform switch's non-default setting (emulator/switches.ts), as
// EMULATOR_SWITCHES. `npm test` runs them with the defaults, and test/bundle/switches.test.ts plays
// one day of the product under every setting.
import { spawnSync } from 'node:child_process';
import { SWITCH_ALTERNATIVES } from '../emulator/switches';

const SUITES = ['test/bundle/intake.test.ts', 'test/bundle/stripe.test.ts', 'test/bundle/capacity.test.ts', 'test/bundle/routines.test.ts', 'test/bundle/runbooks.test.ts', 'test/bundle/ui.test.ts'];
const failed: string[] = [];
for (const alternative of SWITCH_ALTERNATIVES) {
  const setting = Object.entries(alternative)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
  console.log(`\n== EMULATOR_SWITCHES=${setting}`);
  const res = spawnSync('npx', ['jest', '--silent', ...SUITES], { stdio: 'inherit', env: { ...process.env, EMULATOR_SWITCHES: setting } });
  if (res.status !== 0) failed.push(setting);
}
if (failed.length) {
  console.error(`\nFailed under: ${failed.join('; ')}`);
  process.exit(1);
}
console.log(`\nAll ${SWITCH_ALTERNATIVES.length} switch settings passed.`);
