/**
 * The figures of the last reliability run (events generated, faults injected, bodies tried),
 * written to test/reliability/last-run.json for docs/reliability.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = join(__dirname, 'last-run.json');

/** Records one figure (merged into the file, so each test file adds its own). */
export function recordFigure(name: string, value: Record<string, number>): void {
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(FILE, 'utf8'));
  } catch {
    all = {};
  }
  all[name] = { ...value, at: new Date().toISOString() };
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
}
