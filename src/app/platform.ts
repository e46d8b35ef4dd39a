/**
 * What the project assumes of Google that only the live Sheet can tell (docs/platform.md): the
 * apostrophe probe and the spreadsheet's zone that setup() runs, and the Diagnostic (Configuration ›
 * Diagnostic) that checks every assumption it safely can and says so in French.
 */
import { textMode, type TextMode } from '../adapters/sheets';
import { TIME_ZONE } from '../adapters/triggers';
import { TRIGGER_PLAN } from '../domain/triggers';
import { done, type ActionResult } from '../shared/types';
import { FR } from '../ui/strings.fr';
import { escapeHtml } from '../ui/pages';
import { TEXT_APOSTROPHE, type Ctx } from './context';
import { testConnections } from './sidebar';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type AuthorizationInfo = GoogleAppsScript.Script.AuthorizationInfo & { getAuthorizedScopes?: () => string[] | null };

/** The spreadsheet's locale setup() sets (dates and numbers shown the French way). */
export const SHEET_LOCALE = 'fr_FR';

/** The scratch tab of the apostrophe probe: created, written, read and deleted in one run. */
const PROBE_TAB = '_sirrius_probe';
const PROBE_TEXT = 'sirrius-probe';

/** The OAuth scopes of appsscript.json (a test checks they are the manifest's). */
export const MANIFEST_SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets',
  'https://www.googleapis.com/auth/script.container.ui',
  'https://www.googleapis.com/auth/script.external_request',
  'https://www.googleapis.com/auth/script.scriptapp',
  'https://www.googleapis.com/auth/script.send_mail',
  'https://www.googleapis.com/auth/drive',
] as const;

/**
 * Writes `'sirrius-probe` into a plain-text ('@') cell of a scratch tab and reads it back: 'strip'
 * when the apostrophe was taken as a quote mark, 'keep' when it was stored, 'unknown' otherwise
 * (see TextMode). The scratch tab is deleted whatever happens.
 */
export function probeApostrophe(spreadsheet: Spreadsheet): TextMode {
  const sheet = spreadsheet.getSheetByName(PROBE_TAB) ?? spreadsheet.insertSheet(PROBE_TAB);
  try {
    const cell = sheet.getRange(1, 1);
    cell.setNumberFormat('@');
    cell.setValue(`'${PROBE_TEXT}`);
    SpreadsheetApp.flush();
    const back = cell.getValue();
    return back === PROBE_TEXT ? 'strip' : back === `'${PROBE_TEXT}` ? 'keep' : 'unknown';
  } finally {
    spreadsheet.deleteSheet(sheet);
  }
}

/** Runs the probe and records its answer (Script Property TEXT_APOSTROPHE) when it has one. */
export function recordApostrophe(ctx: Ctx): TextMode {
  const mode = probeApostrophe(ctx.spreadsheet);
  if (mode !== 'unknown' && mode !== textMode(ctx.settings.state(TEXT_APOSTROPHE))) ctx.settings.setState(TEXT_APOSTROPHE, mode);
  return mode;
}

/**
 * Sets the spreadsheet's time zone to Paris and its locale to fr_FR when they differ (a Sheet
 * takes its zone from the account that created it; the manifest's zone is only the script's).
 * Returns the zone it replaced, or null.
 */
export function ensureSpreadsheetZone(spreadsheet: Spreadsheet): string | null {
  const zone = spreadsheet.getSpreadsheetTimeZone();
  if (zone !== TIME_ZONE) spreadsheet.setSpreadsheetTimeZone(TIME_ZONE);
  if (spreadsheet.getSpreadsheetLocale() !== SHEET_LOCALE) spreadsheet.setSpreadsheetLocale(SHEET_LOCALE);
  return zone === TIME_ZONE ? null : zone;
}

/** One line of the Diagnostic. `ok` null: a warning (works, but not as it should be). */
export interface DiagnosticCheck {
  id: 'apostrophe' | 'timezone' | 'webapp' | 'triggers' | 'scopes' | 'stripe' | 'graph' | 'twilio';
  label: string;
  ok: boolean | null;
  detail: string;
}

/** Every check of the Diagnostic, in order. Each is caught: one failing check never hides the others. */
export function diagnose(ctx: Ctx): DiagnosticCheck[] {
  const D = FR.ui.diagnostic;
  const checks: DiagnosticCheck[] = [];
  const check = (id: DiagnosticCheck['id'], label: string, run: () => Omit<DiagnosticCheck, 'id' | 'label'>) => {
    try {
      checks.push({ id, label, ...run() });
    } catch (e) {
      checks.push({ id, label, ok: false, detail: D.error(ctx.redact(e instanceof Error ? e.message : String(e))) });
    }
  };
  check('apostrophe', D.labels.apostrophe, () => {
    const mode = recordApostrophe(ctx);
    return { ok: mode === 'unknown' ? false : true, detail: D.apostrophe[mode] };
  });
  check('timezone', D.labels.timezone, () => {
    const ss = ctx.spreadsheet;
    const zone = ss.getSpreadsheetTimeZone();
    const locale = ss.getSpreadsheetLocale();
    const script = Session.getScriptTimeZone();
    const ok = zone === TIME_ZONE && locale === SHEET_LOCALE && script === TIME_ZONE;
    return { ok, detail: D.timezone(zone, locale, script, ok) };
  });
  check('webapp', D.labels.webapp, () => {
    const { url, source } = ctx.webApp();
    const wellFormed = /^https:\/\/script\.google\.com\/(a\/[^/]+\/)?macros\/s\/[\w-]+\/exec$/.test(url);
    if (source === 'none') return { ok: false, detail: D.webapp.none };
    if (!wellFormed) return { ok: false, detail: D.webapp.malformed(url) };
    return { ok: source === 'property' ? true : null, detail: source === 'property' ? D.webapp.property(url) : D.webapp.service(url) };
  });
  check('triggers', D.labels.triggers, () => {
    // getProjectTriggers lists only the triggers of this project owned by the user running it.
    const handlers = ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction());
    const missing = TRIGGER_PLAN.map((t) => t.handler).filter((h) => !handlers.includes(h));
    const extra = handlers.length - TRIGGER_PLAN.filter((t) => handlers.includes(t.handler)).length;
    const owner = Session.getEffectiveUser().getEmail();
    return { ok: missing.length === 0 && extra === 0, detail: D.triggers(handlers.length, TRIGGER_PLAN.length, owner, missing, extra) };
  });
  check('scopes', D.labels.scopes, () => {
    // The two-argument form and getAuthorizedScopes are documented but newer than @types.
    const app = ScriptApp as unknown as { getAuthorizationInfo(mode: GoogleAppsScript.Script.AuthMode, scopes: string[]): AuthorizationInfo };
    const info = app.getAuthorizationInfo(ScriptApp.AuthMode.FULL, [...MANIFEST_SCOPES]);
    const required = info.getAuthorizationStatus() === ScriptApp.AuthorizationStatus.REQUIRED;
    const granted = info.getAuthorizedScopes ? (info.getAuthorizedScopes() ?? []) : null;
    const missing = granted === null ? [] : MANIFEST_SCOPES.filter((s) => !granted.includes(s));
    const short = (s: string) => s.replace('https://www.googleapis.com/auth/', '');
    return { ok: !required && missing.length === 0, detail: D.scopes(required, granted === null ? null : granted.length, MANIFEST_SCOPES.length, missing.map(short)) };
  });
  const tested = testConnections(ctx);
  if (tested.ok) for (const c of tested.connections) checks.push({ id: c.provider, label: c.label, ok: c.ok, detail: c.detail });
  return checks;
}

/** The Diagnostic's answer: the checks (JSON-safe: no Date, google.script.run and tests read it). */
export function runDiagnostic(ctx: Ctx): ActionResult<{ checks: DiagnosticCheck[] }> {
  const checks = diagnose(ctx);
  const failed = checks.filter((c) => c.ok === false).length;
  const warned = checks.filter((c) => c.ok === null).length;
  return done(FR.ui.diagnostic.summary(checks.length, failed, warned), { checks });
}

/** The Diagnostic as a page (every text escaped: a provider's error is outside text). */
export function diagnosticHtml(result: ActionResult<{ checks: DiagnosticCheck[] }>): string {
  const D = FR.ui.diagnostic;
  if (!result.ok) return `<p>${escapeHtml(result.error)}</p>`;
  const mark = (ok: boolean | null) => (ok === true ? D.ok : ok === null ? D.warn : D.ko);
  const rows = result.checks
    .map((c) => `<tr data-check="${c.id}"><td>${escapeHtml(mark(c.ok))}</td><td><b>${escapeHtml(c.label)}</b><br>${escapeHtml(c.detail)}</td></tr>`)
    .join('');
  return `<div style="font:13px Arial,sans-serif"><p>${escapeHtml(result.message)}</p><table cellpadding="4">${rows}</table><p style="color:#666">${escapeHtml(D.footer)}</p></div>`;
}
