/** Time-driven triggers through ScriptApp, in the script's time zone (Europe/Paris). */
import type { TriggerSpec } from '../domain/triggers';
import type { Triggers } from './ports';

export const TIME_ZONE = 'Europe/Paris';

export class GasTriggers implements Triggers {
  handlers(): string[] {
    return ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction());
  }

  install(spec: TriggerSpec): void {
    const builder = ScriptApp.newTrigger(spec.handler).timeBased();
    if (spec.kind === 'daily') builder.atHour(spec.hour).everyDays(1).inTimezone(TIME_ZONE).create();
    else builder.everyMinutes(spec.every).create();
  }

  handlerExists(name: string): boolean {
    return typeof (globalThis as Record<string, unknown>)[name] === 'function';
  }

  installer(): string {
    return Session.getEffectiveUser().getEmail();
  }

  sheetOwner(): string {
    const owner = SpreadsheetApp.getActiveSpreadsheet().getOwner();
    return owner ? owner.getEmail() : '';
  }
}
