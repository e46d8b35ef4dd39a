/**
 * The JSON-safe contract of the global functions a person calls (menu, sidebar through
 * google.script.run, tests): they never throw, they answer with a result. Dates travel as ISO strings.
 */

/** Success: a French message saying what changed, and data. Failure: a French error, and the field it concerns. */
export type ActionResult<T extends object = object> =
  | ({ ok: true; message: string } & T)
  | { ok: false; error: string; field?: string };

/** A success. */
export function done<T extends object>(message: string, data: T = {} as T): ActionResult<T> {
  return { ok: true, message, ...data };
}

/** A refusal, for bad input or a state that forbids the action. */
export function refused(error: string, field?: string): { ok: false; error: string; field?: string } {
  return field ? { ok: false, error, field } : { ok: false, error };
}
