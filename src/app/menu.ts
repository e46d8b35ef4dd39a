/**
 * The "Sirrius" menu. Each item names a global function of src/entry.ts; items of later features
 * are added with them. A test checks that every item's function exists in the bundle.
 */
import { FR } from '../ui/strings.fr';

/** A menu item: its French caption and the global function it calls. */
export interface MenuItem {
  caption: string;
  fn: string;
}

/** The menu, in order. */
export const MENU_ITEMS: readonly MenuItem[] = [
  { caption: FR.ui.menu.dashboard, fn: 'showDashboard' },
  { caption: FR.ui.menu.manualLead, fn: 'showManualLeadSidebar' },
  { caption: FR.ui.menu.optOut, fn: 'showOptOutSidebar' },
  { caption: FR.ui.menu.convert, fn: 'showConvertSidebar' },
  { caption: FR.ui.menu.replay, fn: 'showReplaySidebar' },
  { caption: FR.ui.menu.capacity, fn: 'showCapacitySidebar' },
  { caption: FR.ui.menu.payments, fn: 'showPaymentsSidebar' },
  { caption: FR.ui.menu.incidents, fn: 'showIncidentsSidebar' },
  { caption: FR.ui.menu.followUp, fn: 'showFollowUpSidebar' },
  { caption: FR.ui.menu.runNow, fn: 'showRunNowSidebar' },
  { caption: FR.ui.menu.config, fn: 'showConfigSidebar' },
  { caption: FR.ui.menu.diagnostic, fn: 'showDiagnostic' },
  { caption: FR.ui.menu.resources, fn: 'showResourcesSidebar' },
  { caption: FR.menu.setup, fn: 'setup' },
];

/** Adds the menu to the spreadsheet UI (onOpen is a simple trigger: it may only touch the UI). */
export function addMenu(ui: GoogleAppsScript.Base.Ui): void {
  const menu = ui.createMenu(FR.menu.title);
  for (const item of MENU_ITEMS) menu.addItem(item.caption, item.fn);
  menu.addToUi();
}
