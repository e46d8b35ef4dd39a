/**
 * SpreadsheetApp.getUi(): menus, sidebars, dialogs, alerts and prompts, recorded in the store's
 * UiRecorder so that tests (and the sandbox) can see what a script showed.
 */

import { Ctx, expose, fail, implOf, makeEnum, translateErrors } from './ctx';
import type { MenuItemRecord, ShownHtml } from './store';

const BUTTONS = ['OK', 'CANCEL', 'YES', 'NO', 'CLOSE'] as const;
const BUTTON_SETS = ['OK', 'OK_CANCEL', 'YES_NO', 'YES_NO_CANCEL'] as const;

/** An HtmlOutput shown; its title is read lazily (when a test looks), so showing costs no extra call. */
function shown(html: unknown, title: string | null, modal?: boolean): ShownHtml {
  return {
    html,
    modal,
    get title(): string | null {
      if (title !== null) return title;
      try {
        const t = (html as { getTitle?: () => unknown })?.getTitle?.();
        return typeof t === 'string' ? t : null;
      } catch {
        return null;
      }
    },
  };
}

/**
 * (prompt), (prompt, buttons), (title, prompt, buttons). The ButtonSet enum values are strings here,
 * so a second argument equal to a ButtonSet name is read as the button set.
 */
function splitArgs(a: unknown, b: unknown, c: unknown): [string | null, string, string | null] {
  if (c !== undefined) return [String(a), String(b), String(c)];
  if (b === undefined) return [null, String(a), null];
  if ((BUTTON_SETS as readonly string[]).includes(String(b))) return [null, String(a), String(b)];
  return [String(a), String(b), null];
}

/** A menu being built; `addToUi` records a snapshot of it. */
export class MenuImpl {
  _self: unknown;
  _items: MenuItemRecord[] = [];
  constructor(public _ctx: Ctx, public _caption: string, public _addon: boolean) {}
  addItem(caption: string, functionName: string) {
    if (typeof functionName !== 'string' || functionName === '') fail('Invalid argument: functionName');
    this._items.push({ type: 'item', caption: String(caption), fn: functionName });
    return this._self;
  }
  addSeparator() {
    this._items.push({ type: 'separator' });
    return this._self;
  }
  addSubMenu(menu: unknown) {
    const sub = implOf(menu, MenuImpl);
    if (!sub) fail("The parameters don't match the method signature for Ui.Menu.addSubMenu.");
    this._items.push({ type: 'submenu', caption: sub!._caption, items: sub!._items });
    return this._self;
  }
  addToUi() {
    const snapshot = (items: MenuItemRecord[]): MenuItemRecord[] =>
      items.map((i) => (i.items ? { ...i, items: snapshot(i.items) } : { ...i }));
    const menus = this._ctx.store.ui.menus;
    // onOpen runs on every open: adding a menu with the same caption replaces it instead of piling up.
    const existing = menus.findIndex((m) => m.caption === this._caption && m.addon === this._addon);
    const record = { caption: this._caption, addon: this._addon, items: snapshot(this._items) };
    if (existing >= 0) menus[existing] = record;
    else menus.push(record);
  }
}
translateErrors(MenuImpl);

/** The Ui of the spreadsheet. */
export class UiImpl {
  _self: unknown;
  Button: Record<string, string>;
  ButtonSet: Record<string, string>;
  constructor(public _ctx: Ctx) {
    this.Button = makeEnum(_ctx, 'Ui', 'Button', BUTTONS);
    this.ButtonSet = makeEnum(_ctx, 'Ui', 'ButtonSet', BUTTON_SETS);
  }
  createMenu(caption: string) {
    return expose(this._ctx, 'Ui', 'Menu', new MenuImpl(this._ctx, String(caption), false));
  }
  createAddonMenu() {
    return expose(this._ctx, 'Ui', 'Menu', new MenuImpl(this._ctx, this._ctx.store.active.name, true));
  }
  showSidebar(html: unknown) {
    this._ctx.store.ui.sidebars.push(shown(html, null));
  }
  showModalDialog(html: unknown, title: string) {
    this._ctx.store.ui.dialogs.push(shown(html, title === undefined ? null : String(title), true));
  }
  showModelessDialog(html: unknown, title: string) {
    this._ctx.store.ui.dialogs.push(shown(html, title === undefined ? null : String(title), false));
  }
  /** alert(prompt), alert(prompt, buttons), alert(title, prompt, buttons). */
  alert(a: string, b?: unknown, c?: unknown) {
    const [title, prompt, buttons] = splitArgs(a, b, c);
    this._ctx.store.ui.alerts.push({ title, prompt, buttons });
    const scripted = this._ctx.store.ui.alertResponses.shift();
    return scripted ?? (buttons === 'YES_NO' || buttons === 'YES_NO_CANCEL' ? 'YES' : 'OK');
  }
  /** prompt(prompt), prompt(prompt, buttons), prompt(title, prompt, buttons). */
  prompt(a: string, b?: unknown, c?: unknown) {
    const [title, prompt, buttons] = splitArgs(a, b, c);
    this._ctx.store.ui.prompts.push({ title, prompt, buttons });
    const answer = this._ctx.store.ui.promptResponses.shift() ?? { button: buttons === 'YES_NO' || buttons === 'YES_NO_CANCEL' ? 'YES' : 'OK', text: '' };
    return expose(this._ctx, 'Ui', 'PromptResponse', new PromptResponseImpl(this._ctx, answer.button, answer.text));
  }
}
translateErrors(UiImpl);

export class PromptResponseImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _button: string, public _text: string) {}
  getSelectedButton() { return this._button; }
  getResponseText() { return this._text; }
}
translateErrors(PromptResponseImpl);

/** SpreadsheetApp.getUi(): only where a user is looking at the spreadsheet. */
export function makeUi(ctx: Ctx): GoogleAppsScript.Base.Ui {
  if (ctx.exec.kind !== 'editor' && ctx.exec.kind !== 'simple') fail('Cannot call SpreadsheetApp.getUi() from this context.');
  return expose(ctx, 'Ui', 'Ui', new UiImpl(ctx));
}
