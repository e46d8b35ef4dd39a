/**
 * The spreadsheet UI, which exists only when a person clicked (menu, sidebar). From a trigger,
 * the web app or a run in the script editor, SpreadsheetApp.getUi() throws: report nothing then.
 */
import type { Notifier } from './ports';

/** The UI if this execution has one, else null. */
export function currentUi(): GoogleAppsScript.Base.Ui | null {
  try {
    return SpreadsheetApp.getUi();
  } catch {
    return null;
  }
}

/** Toasts and alerts when a person is looking, silence otherwise. */
export function gasNotifier(): Notifier {
  const ui = currentUi();
  return {
    toast: (message, title) => {
      if (ui) SpreadsheetApp.getActiveSpreadsheet().toast(message, title ?? 'Sirrius');
    },
    alert: (message) => {
      if (ui) ui.alert(message);
    },
  };
}
