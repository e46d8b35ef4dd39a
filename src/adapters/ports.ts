/**
 * The small ports the app layer depends on. Real implementations wrap Apps Script services
 * (`Gas*`); tests run the real bundle in the in-memory Apps Script instead of faking these.
 */
import type { TriggerSpec } from '../domain/triggers';

/** Now. Injected so that nothing reads the system time behind a test's back. */
export interface Clock {
  now(): Date;
}

/** Time-driven triggers of the project. */
export interface Triggers {
  /** Handler function names of the installed triggers. */
  handlers(): string[];
  /** Installs one trigger. */
  install(spec: TriggerSpec): void;
  /** Whether the bundle defines a global function of that name. */
  handlerExists(name: string): boolean;
  /** Who would own a trigger installed now (the effective user; '' when Google does not say). */
  installer(): string;
  /** The Sheet's owner ('' for a shared drive, or when Google does not say). */
  sheetOwner(): string;
}

/** The spreadsheet UI, when there is one (a menu click), else null (trigger, web app, editor run). */
export interface Notifier {
  toast(message: string, title?: string): void;
  alert(message: string): void;
}
