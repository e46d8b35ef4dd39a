/** A value or a short, machine-readable reason why not: parsers return it instead of throwing. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: string): Result<T> => ({ ok: false, error });

/** Parses JSON text without throwing. */
export function parseJson(text: unknown): Result<unknown> {
  if (typeof text !== 'string' || text === '') return fail('empty_body');
  try {
    return ok(JSON.parse(text));
  } catch {
    return fail('invalid_json');
  }
}
