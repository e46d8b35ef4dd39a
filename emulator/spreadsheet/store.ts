/**
 * The persistent side of the Sheets fake: every spreadsheet (like Google Drive), which one the script
 * is bound to, and what the UI showed (menus, sidebars, dialogs, alerts, toasts), for tests to inspect.
 */

import { SpreadsheetData } from './model';
import { isValidTimeZone } from './values';

/** One entry of a recorded menu: an item (caption + `fn`, the global function it calls), a separator, or a submenu. */
export interface MenuItemRecord {
  type: 'item' | 'separator' | 'submenu';
  /** Items and submenus. */
  caption?: string;
  /** Items: name of the function the item runs. */
  fn?: string;
  /** Submenus: their entries. */
  items?: MenuItemRecord[];
}

/** A menu added with `Menu.addToUi()` (an add-on menu has `addon: true`). */
export interface MenuRecord {
  caption: string;
  addon: boolean;
  items: MenuItemRecord[];
}

/** An HtmlOutput shown in a sidebar or dialog. `title` is the dialog title, or the output's own title. */
export interface ShownHtml {
  html: unknown;
  readonly title: string | null;
  modal?: boolean;
}

/** What the spreadsheet UI showed, plus scripted answers for the next alerts and prompts. */
export class UiRecorder {
  menus: MenuRecord[] = [];
  sidebars: ShownHtml[] = [];
  dialogs: ShownHtml[] = [];
  alerts: { title: string | null; prompt: string; buttons: string | null }[] = [];
  prompts: { title: string | null; prompt: string; buttons: string | null }[] = [];
  /**
   * Buttons the next alerts answer with (e.g. 'NO'), consumed in order. When empty, an alert answers
   * OK, or YES for a YES_NO / YES_NO_CANCEL button set.
   */
  alertResponses: string[] = [];
  /** Answers of the next prompts; default `{ button: 'OK', text: '' }`. */
  promptResponses: { button: string; text: string }[] = [];
}

/** A toast shown with `Spreadsheet.toast`. */
export interface ToastRecord {
  spreadsheetId: string;
  message: string;
  title: string;
  timeoutSeconds: number;
}

export interface SpreadsheetStoreOptions {
  /** The spreadsheet's owner (`Spreadsheet.getOwner()`); default: the script owner (`AppsScriptOptions.userEmail`). `null`: a shared-drive file, which has no owner. */
  owner?: string | null;
  /** The people it is shared with for editing, besides the owner (`Spreadsheet.getEditors()`). */
  editors?: string[];
  /** Name of the bound spreadsheet (default 'Sirrius Ops'). */
  name?: string;
  /** Default 'Europe/Paris'. */
  timeZone?: string;
  /** Default 'fr_FR'. */
  locale?: string;
  /** What plain-text cells do with a leading apostrophe (default 'strip'; see emulator/switches.ts). */
  plainTextApostrophe?: 'strip' | 'keep';
}

/** Persistent data of the Sheets fake; survives executions. All helpers here are host-side (not counted as calls). */
export class SpreadsheetStore {
  readonly ui = new UiRecorder();
  /** EmbeddedChart.getOptions() answers the options the builder set (true) or null for each (a platform switch). */
  chartOptionsReadBack = true;
  readonly toasts: ToastRecord[] = [];
  /**
   * Who owns every spreadsheet of this store (undefined until the runner fills it with the script
   * owner; null for a shared drive) and who else may edit them: the sharing of the Drive file, which
   * `Spreadsheet.getOwner()` / `getEditors()` report. Change them at any time.
   */
  owner: string | null | undefined;
  editors: string[];
  private readonly files = new Map<string, SpreadsheetData>();
  private readonly activeId: string;
  private counter = 0;

  constructor(private readonly options: SpreadsheetStoreOptions = {}) {
    this.owner = options.owner;
    this.editors = [...(options.editors ?? [])];
    const tz = options.timeZone ?? 'Europe/Paris';
    if (!isValidTimeZone(tz)) throw new Error(`unknown time zone ${tz}`);
    this.activeId = this.create(options.name ?? 'Sirrius Ops').id;
  }

  /** The spreadsheet the script is bound to. */
  get active(): SpreadsheetData {
    return this.files.get(this.activeId)!;
  }

  /** A spreadsheet by id, or undefined. */
  get(id: string): SpreadsheetData | undefined {
    return this.files.get(id);
  }

  /** All spreadsheets, in creation order. */
  list(): SpreadsheetData[] {
    return [...this.files.values()];
  }

  /** Creates a spreadsheet with one empty sheet (`Feuille 1` in French) of the given size. */
  create(name: string, rows = 1000, columns = 26): SpreadsheetData {
    const ss = new SpreadsheetData(this.newId(), name, this.options.timeZone ?? 'Europe/Paris', this.options.locale ?? 'fr_FR');
    ss.plainTextApostrophe = this.options.plainTextApostrophe ?? 'strip';
    ss.activeSheet = ss.addSheet(undefined, undefined, rows, columns);
    this.files.set(ss.id, ss);
    return ss;
  }

  /** Registers a deep copy of a spreadsheet under a new id. */
  copy(source: SpreadsheetData, name: string): SpreadsheetData {
    const ss = source.clone(this.newId(), name);
    this.files.set(ss.id, ss);
    return ss;
  }

  private newId(): string {
    this.counter++;
    // Real ids are 44 characters of [A-Za-z0-9_-]; these are deterministic.
    return `1EmuSheet${String(this.counter).padStart(6, '0')}`.padEnd(44, 'x');
  }
}
