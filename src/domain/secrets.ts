/**
 * The spellings a secret takes in text that leaves the script: as is, URL-encoded (a token with
 * `+/=` sits encoded in a webhook's query or a form body), and base64 (an HTTP Basic header, a
 * provider echoing it). Pure: Settings.redact removes every one of them.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The UTF-8 bytes of a text. */
function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of unescape(encodeURIComponent(text))) bytes.push(ch.charCodeAt(0));
  return bytes;
}

function base64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
  }
  return out;
}

/**
 * The base64 text that the secret's bytes always produce inside a longer base64 text, whatever
 * their offset in it (0, 1 or 2 bytes after a 3-byte boundary): the characters that depend only
 * on the secret's own bytes. Standard and URL-safe alphabets.
 */
function base64Cores(secret: string): string[] {
  const bytes = utf8(secret);
  const cores: string[] = [];
  for (const lead of [0, 1, 2]) {
    const padded = [...Array(lead).fill(0), ...bytes];
    const full = base64(padded).replace(/=+$/, '');
    // Characters mixing a lead byte or the byte after the secret are not the secret's alone.
    const start = lead === 0 ? 0 : lead === 1 ? 2 : 3;
    const usable = Math.floor(padded.length / 3) * 4;
    const core = full.slice(start, padded.length % 3 === 0 ? full.length : usable);
    if (core.length >= 8) cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

/** Every spelling of a secret to remove from a text, longest first. */
export function secretSpellings(secret: string): string[] {
  if (secret.length < 4) return [];
  const encoded = encodeURIComponent(secret);
  const forms = new Set([secret, encoded, encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), encoded.replace(/%20/g, '+'), ...base64Cores(secret)]);
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}
