/**
 * setup(): creates or migrates every tab of SPEC §1, writes missing Config defaults and installs
 * the time-driven triggers. Idempotent: with nothing to migrate, it reads and writes nothing.
 */
import { CONFIG_DEFAULTS, CONFIG_KEYS } from '../domain/config';
import { CONFIG, TABS, type TabSpec } from '../domain/schema';
import { MIN_WEBHOOK_TOKEN_LENGTH, planTriggers, triggerOwnership, type TriggerSpec } from '../domain/triggers';
import type { Triggers } from '../adapters/ports';
import { Table, numberFormatRuns, readHeader, type TextMode } from '../adapters/sheets';
import { FR } from '../ui/strings.fr';
import { Ctx } from './context';
import { optOutSecret } from './sms';
import { digestKey } from './optout';
import { rebuildPaidFirst } from './leads';
import { ensureSheetLook } from './sheet-format';
import { discoverCampaigns } from './ads';
import { ensureSpreadsheetZone, recordApostrophe } from './platform';
import { refreshIfStale } from './dashboard';
import { markDashboardStale } from './dashboard-stale';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** What setup() changed (JSON-safe: it is also the answer to the menu and to google.script.run). */
export interface SetupReport {
  tabsCreated: string[];
  columnsAdded: Record<string, string[]>;
  configAdded: string[];
  triggersCreated: string[];
  triggersUnavailable: string[];
  /** The account the triggers belong to (Script Property TRIGGERS_OWNER). */
  triggersOwner: string;
  /** True when another account owns the triggers: nothing was installed. */
  triggersNotMine: boolean;
  /** WEBHOOK_TOKEN is missing or shorter than MIN_WEBHOOK_TOKEN_LENGTH: every webhook is refused until it is replaced. */
  webhookTokenWeak: boolean;
  /** Campaigns of FB_AD_ACCOUNT_ID added to Ads_Control (only when the account is set). */
  campaignsAdded?: string[];
  /** The spreadsheet's time zone before setup set Europe/Paris (only when it changed it). */
  zoneReplaced?: string;
  /** The apostrophe probe's answer (only on the run that probed: the first, or after an unclear answer). */
  apostrophe?: TextMode;
}

/** The Script Property naming the account whose triggers run the project. */
export const TRIGGERS_OWNER = 'TRIGGERS_OWNER';

/** Creates or migrates the tabs and Config, then installs the missing triggers. */
export function runSetup(spreadsheet: Spreadsheet, triggers: Triggers, ctx: Ctx): SetupReport {
  const report: SetupReport = {
    tabsCreated: [],
    columnsAdded: {},
    configAdded: [],
    triggersCreated: [],
    triggersUnavailable: [],
    triggersOwner: '',
    triggersNotMine: false,
    webhookTokenWeak: ctx.settings.get('WEBHOOK_TOKEN').length < MIN_WEBHOOK_TOKEN_LENGTH,
  };
  // Dates are written as instants and never matched as displayed, but the operator reads them.
  const zone = ensureSpreadsheetZone(spreadsheet);
  if (zone) report.zoneReplaced = zone;
  // Once per Sheet (then recorded): how plain-text cells take a leading apostrophe decides how text is written.
  if (ctx.textMode() === 'unknown') report.apostrophe = recordApostrophe(ctx);
  for (const spec of TABS) {
    let sheet = spreadsheet.getSheetByName(spec.name);
    if (!sheet) {
      sheet = spreadsheet.insertSheet(spec.name);
      report.tabsCreated.push(spec.name);
    }
    const added = ensureColumns(sheet, spec);
    if (report.tabsCreated.includes(spec.name)) trimColumns(sheet, spec);
    else if (added.length > 0) report.columnsAdded[spec.name] = added;
    if (sheet.getFrozenRows() !== 1) sheet.setFrozenRows(1);
    ensureFormats(sheet, spec);
  }
  ctx.settings.setState(SCHEMA_KEY, schemaShape());
  removeBlankDefaultSheet(spreadsheet);
  orderTabs(spreadsheet);
  // Dropdowns, checkboxes, conditional formats, widths (issue 7): written only where they differ.
  ensureSheetLook(spreadsheet);
  report.configAdded = ensureConfig(new Table(spreadsheet.getSheetByName(CONFIG.name) as Sheet, CONFIG, undefined, ctx.textMode()));
  if (report.configAdded.length > 0) Ctx.forgetConfig();
  optOutSecret(ctx);
  digestKey(ctx); // the key of Opt_Outs digests: made once, never changed (a new key would unblock erased numbers)
  rebuildPaidFirst(ctx);
  // The ad account's campaigns (issue 21): never typed by hand. Writes only what changed; a Graph
  // failure leaves Ads_Control as it is (the 9h routine and the sidebar try again).
  const found = discoverCampaigns(ctx, false);
  if (found.configured) report.campaignsAdded = found.added;
  // The tab the operator reads first is there from the first opening, not after the first lead
  // (written here, with Config filled; a failure leaves it stale for the next reconcile or opening).
  if (!spreadsheet.getSheetByName(FR.ui.dashboard.tab)) {
    markDashboardStale(ctx);
    refreshIfStale(ctx);
  }
  const recorded = ctx.settings.state(TRIGGERS_OWNER);
  const ownership = triggerOwnership(recorded, triggers.installer(), recorded ? '' : triggers.sheetOwner());
  report.triggersOwner = ownership.owner;
  if (!ownership.install) {
    // Its triggers are invisible to this account: installing would make a second set.
    report.triggersNotMine = true;
    return report;
  }
  if (recorded !== ownership.owner) ctx.settings.setState(TRIGGERS_OWNER, ownership.owner);
  const plan = planTriggers(triggers.handlers(), (h) => triggers.handlerExists(h));
  plan.create.forEach((spec: TriggerSpec) => triggers.install(spec));
  report.triggersCreated = plan.create.map((s) => s.handler);
  report.triggersUnavailable = plan.missingHandlers;
  return report;
}

/**
 * The Script Property holding the shape of the tabs setup() last made: each tab's column count
 * (columns are only ever appended, so a new one changes it).
 */
const SCHEMA_KEY = 'SCHEMA_COLUMNS';
const schemaShape = (): string => TABS.map((t) => `${t.name}:${t.columns.length}`).join(',');

/**
 * After a deploy whose code writes a new column (an appended one, as SPEC §1 allows), the tabs
 * get it without waiting for someone to run setup(): reconcile calls this first, within 5 minutes
 * of the push. Until then a webhook that writes the column fails as a missing column and is
 * retried (nothing lost). Nothing to do costs no Sheets call (a Script Property compared). The
 * caller holds the script lock. Returns the columns added, by tab.
 */
export function addNewColumns(ctx: Ctx): Record<string, string[]> {
  const shape = schemaShape();
  if (ctx.settings.state(SCHEMA_KEY) === shape) return {};
  const added: Record<string, string[]> = {};
  let complete = true;
  for (const spec of TABS) {
    const sheet = ctx.spreadsheet.getSheetByName(spec.name);
    if (!sheet) {
      complete = false; // a missing tab is setup()'s: checked again next run
      continue;
    }
    const columns = ensureColumns(sheet, spec);
    if (columns.length === 0) continue;
    ensureFormats(sheet, spec);
    added[spec.name] = columns;
  }
  if (complete) ctx.settings.setState(SCHEMA_KEY, shape);
  return added;
}

/**
 * A new tab keeps only its own columns: Sheets makes it 26 wide, and empty grid cells count toward
 * the 10-million-cell limit of a spreadsheet (Events uses 9, Opt_Outs 4). Only on creation: an
 * existing tab's columns may be an operator's.
 */
function trimColumns(sheet: Sheet, spec: TabSpec): void {
  const extra = sheet.getMaxColumns() - spec.columns.length;
  if (extra > 0) sheet.deleteColumns(spec.columns.length + 1, extra);
}

/** Adds the spec's missing columns after the last one, leaving every existing cell where it is. */
function ensureColumns(sheet: Sheet, spec: TabSpec): string[] {
  const header = readHeader(sheet);
  const missing = spec.columns.map((c) => c.name).filter((name) => !header.has(name));
  if (missing.length === 0) return [];
  const start = sheet.getLastColumn() + 1;
  const needed = start + missing.length - 1;
  const max = sheet.getMaxColumns();
  if (needed > max) sheet.insertColumnsAfter(max, needed - max);
  const range = sheet.getRange(1, start, 1, missing.length);
  range.setValues([missing]);
  range.setFontWeight('bold');
  return missing;
}

/**
 * Gives each of our columns its number format from row 2 down ('@' text for ids and phones, so a
 * person typing `06…` keeps the 0; dates readable). Reads the formats of row 2 in one call and
 * writes only the columns that differ.
 */
function ensureFormats(sheet: Sheet, spec: TabSpec): void {
  const header = readHeader(sheet);
  const width = Math.max(...header.values());
  const current = sheet.getRange(2, 1, 1, width).getNumberFormats()[0];
  const runs = numberFormatRuns(spec, header, (col, format) => current[col - 1] !== format);
  if (runs.length === 0) return;
  const maxRows = sheet.getMaxRows();
  for (const run of runs) sheet.getRange(2, run.col, maxRows - 1, run.width).setNumberFormat(run.format);
}

/** The tabs in the order the operator works through them; an operator's own tabs go before Events. */
export const TAB_ORDER = ['Dashboard', 'Leads', 'Capacity', 'Incidents', 'Ads_Control', 'Ads_Daily', 'KPI_Daily', 'Opt_Outs', 'Messages', 'Config'] as const;
const LAST_TAB = 'Events';

/** The empty tab a new spreadsheet starts with ("Feuille 1", "Sheet1"): removed, it would stay first. */
function removeBlankDefaultSheet(spreadsheet: Spreadsheet): void {
  const sheets = spreadsheet.getSheets();
  if (sheets.length < 2) return;
  for (const sheet of sheets) {
    if (/^(Feuille|Sheet) ?1$/.test(sheet.getName()) && sheet.getLastRow() === 0 && sheet.getLastColumn() === 0) spreadsheet.deleteSheet(sheet);
  }
}

/** Moves the tabs into TAB_ORDER, only when they are not in it already (a second setup moves nothing). */
function orderTabs(spreadsheet: Spreadsheet): void {
  const sheets = spreadsheet.getSheets();
  const names = sheets.map((s) => s.getName());
  const ours = TAB_ORDER.filter((n) => names.includes(n));
  const others = names.filter((n) => !(TAB_ORDER as readonly string[]).includes(n) && n !== LAST_TAB);
  const wanted = [...ours, ...others, ...(names.includes(LAST_TAB) ? [LAST_TAB] : [])];
  if (wanted.join('\n') === names.join('\n')) return;
  const active = spreadsheet.getActiveSheet();
  wanted.forEach((name, i) => {
    const sheet = sheets[names.indexOf(name)];
    spreadsheet.setActiveSheet(sheet);
    spreadsheet.moveActiveSheet(i + 1);
  });
  spreadsheet.setActiveSheet(active);
}

/** Writes the Config keys that are missing, with their default and French description. */
function ensureConfig(table: Table<typeof CONFIG>): string[] {
  const present = new Set(table.readAll().map((r) => r.key.trim()));
  const missing = CONFIG_KEYS.filter((k) => !present.has(k));
  table.append(missing.map((key) => ({ key, value: CONFIG_DEFAULTS[key], description: FR.config[key] })));
  return missing;
}

/** The report in French, for the operator. */
export function describeSetup(report: SetupReport): string {
  const lines: string[] = [];
  if (report.tabsCreated.length) lines.push(FR.setup.tabsCreated(report.tabsCreated));
  for (const [tab, cols] of Object.entries(report.columnsAdded)) lines.push(FR.setup.columnsAdded(tab, cols));
  if (report.configAdded.length) lines.push(FR.setup.configAdded(report.configAdded.length));
  if (report.triggersCreated.length) lines.push(FR.setup.triggersCreated(report.triggersCreated));
  if (report.campaignsAdded?.length) lines.push(FR.adsAccount.setupFound(report.campaignsAdded));
  if (report.zoneReplaced) lines.push(FR.setup.zoneSet(report.zoneReplaced));
  if (report.apostrophe) lines.push(FR.setup.apostrophe(report.apostrophe));
  if (lines.length === 0) lines.push(FR.setup.nothingToDo);
  if (report.triggersUnavailable.length) lines.push(FR.setup.triggersUnavailable(report.triggersUnavailable));
  if (report.triggersNotMine) lines.push(FR.setup.triggersNotMine(report.triggersOwner));
  if (report.webhookTokenWeak) lines.push(FR.setup.weakToken);
  return [FR.setup.done, ...lines].join('\n');
}
