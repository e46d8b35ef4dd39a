/**
 * ScriptApp fake: installable triggers kept in a persistent TriggerStore with their schedule and
 * next due time (computed in the trigger's time zone, so daily triggers follow DST), the web app
 * URL, and the ScriptApp enums. The runner fires due triggers (`AppsScript.fireDueTriggers`).
 */
import type { Execution } from '../core';
import { isDate, scriptError, strict } from '../core';
import { enumOf, requireAuth } from './common';
import { SCRIPT_TIME_ZONE } from './session';
import { isValidTimeZone, zonedParts, zonedToUtc } from './tz';

const DAY_MS = 86400000;
const MAX_TRIGGERS = 20;
const SCOPE = 'https://www.googleapis.com/auth/script.scriptapp';
const WEEK_DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

/** When a time-driven trigger runs. */
export interface Schedule {
  kind: 'minutes' | 'hours' | 'days' | 'weeks' | 'once';
  /** Period in the kind's unit (minutes, hours, days, weeks). */
  every: number;
  hour?: number;
  minute?: number;
  /** 0 for Sunday. */
  weekDay?: number;
  /** For 'once': the instant. */
  at?: number;
}

/** One installed trigger. */
export interface TriggerRecord {
  uid: string;
  handler: string;
  eventType: 'CLOCK' | 'ON_OPEN' | 'ON_EDIT' | 'ON_CHANGE' | 'ON_FORM_SUBMIT';
  source: 'CLOCK' | 'SPREADSHEETS';
  sourceId?: string;
  timeZone: string;
  createdAt: number;
  /** The account that created it (the effective user of that execution): the trigger runs as it, and only it sees the trigger. */
  createdBy?: string;
  schedule?: Schedule;
  /** Next run (epoch ms), null when it will not run again (a fired one-shot, a non-clock trigger). */
  nextDue: number | null;
}

/** A trigger run that failed. */
export interface TriggerFailure {
  uid: string;
  handler: string;
  at: number;
  error: unknown;
}

/** Local calendar date (y, m, d) of `ms` in `tz`, shifted by `days`, at `hour:minute`, as an instant. */
function localAt(ms: number, tz: string, days: number, hour: number, minute: number): number {
  const p = zonedParts(ms, tz);
  return zonedToUtc(tz, p.year, p.month, p.day + days, hour, minute);
}

/**
 * A seeded minute (0-59) for one day's run of one trigger: Google runs an `atHour` trigger "between
 * 9 a.m. and 10 a.m.", at a minute it does not say (switch `triggerMinute: 'random'`).
 */
export function randomMinute(seed: number, uid: string, day: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const c of `${uid}:${day}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return ((h ^ (h >>> 12)) >>> 0) % 60;
}

/**
 * The first run of a schedule strictly after `after` (and after the trigger's creation). With
 * `minuteSeed`, a daily or weekly trigger set with `atHour` (and no `nearMinute`) runs at a random
 * minute of its hour each day (randomMinute) instead of minute 0.
 */
export function nextRun(rec: Pick<TriggerRecord, 'createdAt' | 'timeZone' | 'schedule'> & { uid?: string }, after: number, minuteSeed: number | null = null): number | null {
  const s = rec.schedule;
  if (!s) return null;
  const t0 = rec.createdAt;
  const from = Math.max(after, t0);
  switch (s.kind) {
    case 'once':
      return s.at! > after ? s.at! : null;
    case 'minutes':
    case 'hours': {
      const period = s.every * (s.kind === 'minutes' ? 60000 : 3600000);
      const k = Math.max(1, Math.floor((from - t0) / period) + 1);
      return t0 + k * period;
    }
    case 'days':
    case 'weeks': {
      const created = zonedParts(t0, rec.timeZone);
      const hour = s.hour ?? created.hour;
      const minute = s.minute ?? (s.hour === undefined ? created.minute : 0);
      let offset = 0; // days from the creation date to the first candidate
      if (s.kind === 'weeks') offset = ((s.weekDay ?? created.weekday) - created.weekday + 7) % 7;
      const step = s.kind === 'days' ? s.every : 7 * s.every;
      let k = Math.max(0, Math.floor((from - t0) / (step * DAY_MS)) - 1);
      const jitter = minuteSeed !== null && s.hour !== undefined && s.minute === undefined;
      for (;;) {
        const day = offset + k * step;
        const at = localAt(t0, rec.timeZone, day, hour, jitter ? randomMinute(minuteSeed, rec.uid ?? '', day) : minute);
        if (at > from) return at;
        k++;
      }
    }
  }
}

/** The persistent trigger table. */
export class TriggerStore {
  readonly triggers: TriggerRecord[] = [];
  readonly failures: TriggerFailure[] = [];
  /** Set: `atHour` triggers run at a seeded random minute of their hour (switch `triggerMinute`). */
  randomMinuteSeed: number | null = null;
  private seq = 0;
  /** A new unique id, numeric like Apps Script's. */
  newUid(): string {
    return String(4711000000000000000n + BigInt(++this.seq));
  }
  /** The installed triggers (a copy of the list). */
  list(): TriggerRecord[] {
    return [...this.triggers];
  }
  /** Time-driven triggers due at `now`, earliest first. */
  due(now: number): TriggerRecord[] {
    return this.triggers.filter((t) => t.nextDue !== null && t.nextDue <= now).sort((a, b) => a.nextDue! - b.nextDue!);
  }
}

/** Identity of the script project. */
export interface ScriptInfo {
  scriptId: string;
  deploymentId: string;
  /** The script owner: the creator of a trigger recorded without one. */
  owner: string;
  /** The scopes the owner granted (the manifest's `oauthScopes`; unknown: none listed). */
  grantedScopes?: readonly string[];
}

/** The `ScriptApp` global of one execution. */
export function makeScriptApp(store: TriggerStore, exec: Execution & { userEmail: string }, info: ScriptInfo): GoogleAppsScript.Script.ScriptApp {
  // getProjectTriggers: "all installable triggers associated with the current project and current user".
  const mine = () => store.triggers.filter((t) => (t.createdBy ?? info.owner) === exec.userEmail);
  const records = new WeakMap<object, TriggerRecord>();
  const makeTrigger = (rec: TriggerRecord) => {
    const t = strict(exec, 'Script', 'Trigger', {
      getHandlerFunction: () => rec.handler,
      getUniqueId: () => rec.uid,
      getEventType: () => rec.eventType,
      getTriggerSource: () => rec.source,
      getTriggerSourceId: () => rec.sourceId ?? null,
    });
    records.set(t, rec);
    return t;
  };

  const install = (rec: Omit<TriggerRecord, 'uid' | 'createdAt' | 'nextDue'>) => {
    if (store.triggers.length >= MAX_TRIGGERS) throw scriptError(exec, 'This script has too many triggers. Triggers must be deleted from the script before more can be added.');
    const full: TriggerRecord = { ...rec, uid: store.newUid(), createdAt: exec.clock.now(), createdBy: exec.userEmail, nextDue: null };
    full.nextDue = nextRun(full, full.createdAt, store.randomMinuteSeed);
    store.triggers.push(full);
    return makeTrigger(full);
  };

  const newTrigger = (handler: string) => {
    requireAuth(exec, 'ScriptApp.newTrigger', SCOPE);
    if (typeof handler !== 'string' || !handler) throw scriptError(exec, 'Invalid argument: functionName');

    const timeBased = () => {
      const s: Partial<Schedule> = {};
      let tz = SCRIPT_TIME_ZONE;
      const int = (v: unknown, min: number, max: number, what: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < min || n > max) throw scriptError(exec, `Invalid argument: ${what}`);
        return n;
      };
      const self = strict(exec, 'Script', 'ClockTriggerBuilder', {
        atHour: (h: number) => ((s.hour = int(h, 0, 23, 'hour')), self),
        nearMinute: (m: number) => ((s.minute = int(m, 0, 59, 'minute')), self),
        everyMinutes: (n: number) => {
          if (![1, 5, 10, 15, 30].includes(Number(n))) throw scriptError(exec, 'Invalid argument: minutes. Accepted values are 1, 5, 10, 15 or 30.');
          Object.assign(s, { kind: 'minutes', every: Number(n) });
          return self;
        },
        everyHours: (n: number) => {
          if (![1, 2, 4, 6, 8, 12].includes(Number(n))) throw scriptError(exec, 'Invalid argument: hours. Accepted values are 1, 2, 4, 6, 8 or 12.');
          Object.assign(s, { kind: 'hours', every: Number(n) });
          return self;
        },
        everyDays: (n: number) => (Object.assign(s, { kind: 'days', every: int(n, 1, 10000, 'days') }), self),
        everyWeeks: (n: number) => (Object.assign(s, { kind: 'weeks', every: int(n, 1, 10000, 'weeks') }), self),
        onWeekDay: (day: string) => {
          const i = WEEK_DAYS.indexOf(String(day) as (typeof WEEK_DAYS)[number]);
          if (i < 0) throw scriptError(exec, 'Invalid argument: day');
          s.weekDay = i;
          if (!s.kind) Object.assign(s, { kind: 'weeks', every: 1 });
          return self;
        },
        inTimezone: (zone: string) => {
          if (!isValidTimeZone(String(zone))) throw scriptError(exec, `Invalid argument: timezone`);
          tz = String(zone);
          return self;
        },
        at: (date: Date) => {
          if (!isDate(date)) throw scriptError(exec, 'Invalid argument: date');
          Object.assign(s, { kind: 'once', every: 0, at: date.getTime() });
          return self;
        },
        after: (ms: number) => {
          const n = Number(ms);
          if (!(n >= 0)) throw scriptError(exec, 'Invalid argument: durationMilliseconds');
          Object.assign(s, { kind: 'once', every: 0, at: exec.clock.now() + n });
          return self;
        },
        create: () => {
          if (!s.kind) throw scriptError(exec, 'The trigger schedule is not set: call everyMinutes, everyHours, everyDays, everyWeeks, at or after.');
          if ((s.hour !== undefined || s.weekDay !== undefined) && (s.kind === 'minutes' || s.kind === 'hours' || s.kind === 'once')) {
            throw scriptError(exec, 'atHour and onWeekDay only apply to everyDays and everyWeeks triggers.');
          }
          return install({ handler, eventType: 'CLOCK', source: 'CLOCK', timeZone: tz, schedule: { ...s } as Schedule });
        },
      });
      return self;
    };

    const forSpreadsheet = (ss: unknown) => {
      let sourceId: string | undefined;
      if (typeof ss === 'string') sourceId = ss;
      else {
        try {
          sourceId = String((ss as { getId(): string }).getId());
        } catch {
          sourceId = undefined;
        }
      }
      let eventType: TriggerRecord['eventType'] | undefined;
      const self = strict(exec, 'Script', 'SpreadsheetTriggerBuilder', {
        onOpen: () => ((eventType = 'ON_OPEN'), self),
        onEdit: () => ((eventType = 'ON_EDIT'), self),
        onChange: () => ((eventType = 'ON_CHANGE'), self),
        onFormSubmit: () => ((eventType = 'ON_FORM_SUBMIT'), self),
        create: () => {
          if (!eventType) throw scriptError(exec, 'The trigger event is not set: call onOpen, onEdit, onChange or onFormSubmit.');
          return install({ handler, eventType, source: 'SPREADSHEETS', sourceId, timeZone: SCRIPT_TIME_ZONE });
        },
      });
      return self;
    };

    return strict(exec, 'Script', 'TriggerBuilder', { timeBased, forSpreadsheet });
  };

  const url = `https://script.google.com/macros/s/${info.deploymentId}/exec`;
  return strict(exec, 'Script', 'ScriptApp', {
    newTrigger,
    getProjectTriggers: () => {
      requireAuth(exec, 'ScriptApp.getProjectTriggers', SCOPE);
      return exec.realm.Array.from(mine(), makeTrigger);
    },
    getUserTriggers: () => {
      requireAuth(exec, 'ScriptApp.getUserTriggers', SCOPE);
      return exec.realm.Array.from(mine(), makeTrigger);
    },
    deleteTrigger: (t: object) => {
      requireAuth(exec, 'ScriptApp.deleteTrigger', SCOPE);
      const rec = typeof t === 'object' && t !== null ? records.get(t) : undefined;
      if (!rec) throw scriptError(exec, 'Invalid argument: trigger');
      const i = store.triggers.indexOf(rec);
      if (i >= 0) store.triggers.splice(i, 1);
    },
    getService: () => strict(exec, 'Script', 'Service', { getUrl: () => url, isEnabled: () => true }),
    getScriptId: () => info.scriptId,
    getOAuthToken: () => `ya29.emulator-token-${info.scriptId}`,
    // The owner has authorized the project (every execution here runs as them): NOT_REQUIRED; with a
    // list of scopes, getAuthorizedScopes answers those of the list that were granted.
    getAuthorizationInfo: (mode: unknown, scopes?: unknown) => {
      const granted = info.grantedScopes ?? [];
      const asked = scopes === undefined ? granted : Array.from(scopes as ArrayLike<unknown>, String).filter((s) => granted.includes(s));
      return strict(exec, 'Script', 'AuthorizationInfo', {
        getAuthorizationStatus: () => 'NOT_REQUIRED',
        getAuthorizationUrl: () => null,
        getAuthorizedScopes: () => exec.realm.Array.from(asked),
      });
    },
    AuthorizationStatus: strict(exec, 'Script', 'AuthorizationStatus', enumOf('REQUIRED', 'NOT_REQUIRED')),
    AuthMode: strict(exec, 'Script', 'AuthMode', enumOf('NONE', 'CUSTOM_FUNCTION', 'LIMITED', 'FULL')),
    TriggerSource: strict(exec, 'Script', 'TriggerSource', enumOf('SPREADSHEETS', 'CLOCK', 'FORMS', 'DOCUMENTS', 'CALENDAR')),
    EventType: strict(exec, 'Script', 'EventType', enumOf('CLOCK', 'ON_OPEN', 'ON_EDIT', 'ON_FORM_SUBMIT', 'ON_CHANGE', 'ON_EVENT_UPDATED')),
    WeekDay: strict(exec, 'Script', 'WeekDay', enumOf(...WEEK_DAYS)),
  }) as unknown as GoogleAppsScript.Script.ScriptApp;
}
