/**
 * The Sheet's look, written by setup() (issue 7): dropdowns on status columns, checkboxes on
 * TRUE/FALSE columns, conditional formatting (priority leads, opted-out leads, open high
 * incidents, a full day), column widths and money formats. Like the rest of setup() it is
 * idempotent: it reads what is there (one cell of row 2 per column, the rules, the widths) and
 * writes only what differs, so a second setup() makes no write call.
 */
import {
  ADS_CONTROL,
  CAPACITY,
  CAPACITY_STATUSES,
  EVENTS,
  EVENT_SOURCES,
  EVENT_STATUSES,
  INCIDENTS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  KPI_DAILY,
  ADS_DAILY,
  LEADS,
  LEAD_SOURCES,
  LEAD_STATUSES,
  MESSAGES,
  MESSAGE_STATUSES,
  TABS,
  type TabSpec,
} from '../domain/schema';
import { columnLetter, readHeader } from '../adapters/sheets';
import { FR } from '../ui/strings.fr';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** A dropdown (list) or a checkbox on one column, from row 2 down. */
export interface ValidationSpec {
  tab: string;
  column: string;
  /** The allowed values; absent for a checkbox. */
  list?: readonly string[];
}

/**
 * The validations. Invalid values are allowed with a warning rather than rejected: a script
 * write that broke a "reject" rule would throw, and an operator's own value must not be lost.
 */
export const VALIDATIONS: readonly ValidationSpec[] = [
  { tab: LEADS.name, column: 'status', list: LEAD_STATUSES },
  { tab: LEADS.name, column: 'source', list: LEAD_SOURCES },
  { tab: LEADS.name, column: 'sms_sent' },
  { tab: CAPACITY.name, column: 'status', list: CAPACITY_STATUSES },
  { tab: ADS_CONTROL.name, column: 'ads_paused' },
  { tab: INCIDENTS.name, column: 'severity', list: INCIDENT_SEVERITIES },
  { tab: INCIDENTS.name, column: 'status', list: INCIDENT_STATUSES },
  { tab: EVENTS.name, column: 'source', list: EVENT_SOURCES },
  { tab: EVENTS.name, column: 'status', list: EVENT_STATUSES },
  { tab: MESSAGES.name, column: 'status', list: MESSAGE_STATUSES },
];

/** A conditional format rule on a tab's data rows: a formula over row 2 (`{col}` is a column's letter). */
export interface RuleSpec {
  tab: string;
  /** e.g. `=$E2="opted_out"`, with `{status}` replaced by the status column's letter. */
  formula: string;
  background: string | null;
  fontColor: string | null;
}

/**
 * The rules, most important first (Sheets applies the first matching rule). Priority leads are
 * `new` and under 12 h (SOP Matin 2, "leads prioritaires (< 12h)"); NOW() makes the colour fade
 * by itself when a lead gets older.
 */
export const RULES: readonly RuleSpec[] = [
  { tab: LEADS.name, formula: '=AND(${status}2="new",ISNUMBER(${created_at}2),NOW()-${created_at}2<0.5)', background: '#fce8b2', fontColor: null },
  { tab: LEADS.name, formula: '=${status}2="opted_out"', background: '#f1f3f4', fontColor: '#9aa0a6' },
  { tab: INCIDENTS.name, formula: '=AND(${status}2="open",${severity}2="high")', background: '#f4c7c3', fontColor: '#a50e0e' },
  { tab: CAPACITY.name, formula: '=${status}2="full"', background: '#f4c7c3', fontColor: '#a50e0e' },
];

/** Column widths in pixels by header name (others keep Sheets' 100). */
export const WIDTHS: Readonly<Record<string, number>> = {
  id: 150, created_at: 140, updated_at: 140, sms_sent_at: 140, contacted_at: 140, conversion_date: 140,
  received_at: 140, processed_at: 140, sent_at: 140, resolved_at: 140, opted_out_at: 140, paused_at: 140, last_sync: 140,
  next_attempt_at: 140, alerted_at: 140, ads_paused_at: 140, email: 200, phone: 130, notes: 320, title: 360,
  resolution: 300, payload: 300, last_error: 240, error: 240, description: 460, value: 160, key: 200,
  campaign_name: 220, paused_reason: 240, event_id: 220, stripe_customer_id: 170, stripe_subscription_id: 190,
};

/** Money columns: euros with two decimals. */
const MONEY_FORMAT = '#,##0.00 "€"';
const MONEY: ReadonlyArray<[TabSpec, string]> = [
  [LEADS, 'mrr'],
  [KPI_DAILY, 'mrr_added'],
  [KPI_DAILY, 'ad_spend'],
  [KPI_DAILY, 'cost_per_lead'],
  [KPI_DAILY, 'cost_per_conversion'],
  [ADS_DAILY, 'spend'],
  [ADS_DAILY, 'mrr_added'],
  [ADS_DAILY, 'cost_per_lead'],
  [ADS_DAILY, 'cost_per_conversion'],
];

/** What ensureSheetLook changed (for tests and the setup report's logs). */
export interface LookReport {
  validations: string[];
  rules: string[];
  widths: number;
  formats: string[];
}

/** Writes the validations, rules, widths and formats that are missing or different. */
export function ensureSheetLook(spreadsheet: Spreadsheet): LookReport {
  const report: LookReport = { validations: [], rules: [], widths: 0, formats: [] };
  for (const spec of TABS) {
    const sheet = spreadsheet.getSheetByName(spec.name);
    if (!sheet) continue;
    const header = readHeader(sheet);
    ensureValidations(sheet, header, report);
    ensureRules(sheet, header, report);
    report.widths += ensureWidths(sheet, header);
    ensureMoney(sheet, spec, header, report);
  }
  return report;
}

function sameList(a: readonly unknown[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => String(v) === b[i]);
}

function ensureValidations(sheet: Sheet, header: Map<string, number>, report: LookReport): void {
  let maxRows = 0;
  for (const v of VALIDATIONS.filter((x) => x.tab === sheet.getName())) {
    const col = header.get(v.column);
    if (!col) continue;
    const current = sheet.getRange(2, col).getDataValidation();
    const type = current?.getCriteriaType();
    const values = current?.getCriteriaValues() ?? [];
    const ok = v.list
      ? type === SpreadsheetApp.DataValidationCriteria.VALUE_IN_LIST && Array.isArray(values[0]) && sameList(values[0] as unknown[], v.list)
      : type === SpreadsheetApp.DataValidationCriteria.CHECKBOX;
    if (ok) continue;
    const builder = SpreadsheetApp.newDataValidation().setAllowInvalid(true);
    const rule = v.list ? builder.requireValueInList([...v.list], true).setHelpText(FR.ui.sheet.statusHelp).build() : builder.requireCheckbox().build();
    if (maxRows === 0) maxRows = sheet.getMaxRows();
    sheet.getRange(2, col, Math.max(1, maxRows - 1), 1).setDataValidation(rule);
    report.validations.push(`${sheet.getName()}.${v.column}`);
  }
}

/** The formula of a rule with the tab's column letters, or null when a column it names is missing. */
export function ruleFormula(formula: string, header: Map<string, number>): string | null {
  let missing = false;
  const out = formula.replace(/\{(\w+)\}/g, (_, name: string) => {
    const col = header.get(name);
    if (!col) missing = true;
    return col ? columnLetter(col) : '';
  });
  return missing ? null : out;
}

/**
 * Our rules cover A2 to the last of our columns. The operator's own rules are kept, after ours;
 * a rule of ours is recognised by its formula (a column moved gives a new formula: the old
 * rule is then the operator's to delete).
 */
function ensureRules(sheet: Sheet, header: Map<string, number>, report: LookReport): void {
  const specs = RULES.filter((r) => r.tab === sheet.getName());
  if (specs.length === 0) return;
  const width = Math.max(...header.values());
  const existing = sheet.getConditionalFormatRules();
  const describe = (r: GoogleAppsScript.Spreadsheet.ConditionalFormatRule) => {
    const c = r.getBooleanCondition();
    return {
      formula: c && c.getCriteriaType() === SpreadsheetApp.BooleanCriteria.CUSTOM_FORMULA ? String(c.getCriteriaValues()[0]) : '',
      background: c?.getBackground() ?? null,
      fontColor: c?.getFontColor() ?? null,
      ranges: r.getRanges().map((x) => x.getA1Notation()).join(','),
    };
  };
  const current = existing.map(describe);
  let maxRows = 0;
  const wanted: Array<{ formula: string; spec: RuleSpec }> = [];
  for (const spec of specs) {
    const formula = ruleFormula(spec.formula, header);
    if (formula) wanted.push({ formula, spec });
  }
  const range = () => sheet.getRange(2, 1, Math.max(1, (maxRows ||= sheet.getMaxRows()) - 1), width);
  const a1 = wanted.length ? range().getA1Notation() : '';
  const ours = new Set(wanted.map((w) => w.formula));
  const inPlace =
    current.length >= wanted.length &&
    wanted.every((w, i) => current[i].formula === w.formula && current[i].background === w.spec.background && current[i].fontColor === w.spec.fontColor && current[i].ranges === a1);
  if (inPlace) return;
  const rules = wanted.map((w) => {
    let b = SpreadsheetApp.newConditionalFormatRule().whenFormulaSatisfied(w.formula).setRanges([range()]);
    if (w.spec.background) b = b.setBackground(w.spec.background);
    if (w.spec.fontColor) b = b.setFontColor(w.spec.fontColor);
    return b.build();
  });
  const others = existing.filter((_, i) => !ours.has(current[i].formula));
  sheet.setConditionalFormatRules([...rules, ...others]);
  report.rules.push(...wanted.map((w) => `${sheet.getName()}: ${w.formula}`));
}

function ensureWidths(sheet: Sheet, header: Map<string, number>): number {
  let n = 0;
  for (const [name, col] of header) {
    const width = WIDTHS[name];
    if (width === undefined || sheet.getColumnWidth(col) === width) continue;
    sheet.setColumnWidth(col, width);
    n++;
  }
  return n;
}

function ensureMoney(sheet: Sheet, spec: TabSpec, header: Map<string, number>, report: LookReport): void {
  for (const [tab, column] of MONEY) {
    if (tab.name !== spec.name) continue;
    const col = header.get(column);
    if (!col || sheet.getRange(2, col).getNumberFormat() === MONEY_FORMAT) continue;
    sheet.getRange(2, col, Math.max(1, sheet.getMaxRows() - 1), 1).setNumberFormat(MONEY_FORMAT);
    report.formats.push(`${spec.name}.${column}`);
  }
}
