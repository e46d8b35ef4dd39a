/** Logger and console fakes: every line goes to the execution's logs and to the emulator's. */
import { strict } from '../core';
import type { RunningExecution } from './common';

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Object || (typeof v === 'object' && v !== null)) {
    if (Object.prototype.toString.call(v) === '[object Date]') return String(v);
    if (Object.prototype.toString.call(v) === '[object Error]') return String((v as Error).stack ?? v);
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** Formats `Logger.log(format, ...values)`: `%s` (and `%d`) are replaced by the values in turn. */
export function formatLog(format: unknown, values: unknown[]): string {
  if (values.length === 0) return show(format);
  let i = 0;
  return String(format).replace(/%[sd]/g, (m) => (i < values.length ? show(values[i++]) : m));
}

/** The `Logger` global of one execution. */
export function makeLogger(exec: RunningExecution): GoogleAppsScript.Base.Logger {
  const self = strict(exec, 'Logger', 'Logger', {
    log: (format: unknown, ...values: unknown[]) => {
      exec.log(formatLog(format, values));
      return self;
    },
    getLog: () => exec.logs.join('\n'),
    clear: () => {
      exec.logs.length = 0;
    },
  });
  return self as unknown as GoogleAppsScript.Base.Logger;
}

/** The `console` global of one execution (Cloud Logging in Apps Script). */
export function makeConsole(exec: RunningExecution): Console {
  const line = (level: string) => (...values: unknown[]) => {
    exec.log((level ? level + ': ' : '') + values.map(show).join(' '));
  };
  const timers = new Map<string, number>();
  return strict(exec, 'Logger', 'console', {
    log: line(''),
    info: line(''),
    debug: line(''),
    warn: line('WARN'),
    error: line('ERROR'),
    time: (label = 'default') => {
      timers.set(String(label), exec.clock.now());
    },
    timeEnd: (label = 'default') => {
      const t = timers.get(String(label));
      if (t !== undefined) exec.log(`${label}: ${exec.clock.now() - t}ms`);
    },
  }) as unknown as Console;
}
