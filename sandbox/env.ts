/**
 * Script Properties of the sandbox: `sandbox/sandbox.env` (committed, safe test values for every
 * SPEC §2 property), overridden by an optional `.env.local` in the data directory (gitignored, for
 * real keys). A tiny dotenv reader: KEY=VALUE lines, `#` comments, optional quotes.
 */
import { existsSync, readFileSync } from 'node:fs';

/** Parses dotenv text. Unquoted values end at ` #` (a comment); quoted ones are taken whole. */
export function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n') : quoted[2];
    else value = value.replace(/\s+#.*$/, '').trim();
    out[m[1]] = value;
  }
  return out;
}

/** Reads a dotenv file, or `{}` when it does not exist. */
export function readEnvFile(file: string): Record<string, string> {
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}
