// The Sheet page: runs onOpen on load (as opening the spreadsheet does), renders the menus from
// what the script added, polls the active tab and the UI events (sidebars, dialogs, alerts, toasts).
'use strict';
const $ = (sel) => document.querySelector(`[data-testid="${sel}"]`);
const params = new URLSearchParams(location.search);
let active = params.get('tab') || '';
let sheets = [];
let eventsSince = 0;
const alertQueue = [];


// ---- menus ----------------------------------------------------------------------------------
function renderMenus(menus) {
  const bar = $('menubar');
  bar.querySelectorAll('.menu, [data-testid="menu-loading"]').forEach((m) => m.remove());
  const items = (list) => list.map((i) => {
    if (i.type === 'separator') return '<hr>';
    if (i.type === 'submenu') return `<div class="sub">${Sbx.esc(i.caption)}</div>${items(i.items || [])}`;
    return `<button data-fn="${Sbx.esc(i.fn)}" data-testid="menu-item-${Sbx.esc(i.fn)}">${Sbx.esc(i.caption)}</button>`;
  }).join('');
  for (const m of menus) {
    const el = document.createElement('div');
    el.className = 'menu';
    el.innerHTML = `<button data-testid="menu-${Sbx.esc(m.caption)}">${Sbx.esc(m.caption)}</button><div class="dropdown" data-testid="menu-dropdown">${items(m.items)}</div>`;
    bar.append(el);
  }
}

$('menubar').addEventListener('click', (ev) => {
  const btn = ev.target.closest('button');
  if (!btn) return;
  const menu = btn.closest('.menu');
  if (btn.dataset.fn) {
    menu.classList.remove('open');
    runFunction(btn.dataset.fn, btn.textContent);
  } else if (menu) {
    document.querySelectorAll('.menu.open').forEach((m) => m !== menu && m.classList.remove('open'));
    menu.classList.toggle('open');
  }
});
document.addEventListener('click', (ev) => {
  if (!ev.target.closest('.menu')) document.querySelectorAll('.menu.open').forEach((m) => m.classList.remove('open'));
});

/** A menu item runs its global function (as the operator, with the UI), then shows what it showed. */
async function runFunction(fn, caption) {
  $('status-run').textContent = `Exécution du script « ${caption.trim()} »…`;
  try {
    const out = await Sbx.api('/api/run', { fn, args: [] });
    $('status-run').textContent = out.ok ? `« ${caption.trim()} » terminé.` : '';
    if (!out.ok) showAlert('Erreur du script', out.error);
    await pollEvents();
    await refreshGrid(true);
  } catch (e) {
    $('status-run').textContent = '';
    showAlert('Erreur', e.message);
  }
}

// ---- UI events ------------------------------------------------------------------------------
function showAlert(title, message) {
  alertQueue.push({ title, message });
  if (alertQueue.length === 1) nextAlert();
}
function nextAlert() {
  const a = alertQueue[0];
  if (!a) return void ($('alert').hidden = true);
  $('alert-title').textContent = a.title || 'Sirrius Ops';
  $('alert-message').textContent = a.message;
  $('alert').hidden = false;
}
$('alert-ok').addEventListener('click', () => { alertQueue.shift(); nextAlert(); });

function toast(title, message) {
  const el = document.createElement('div');
  el.className = 'toast';
  el.dataset.testid = 'toast';
  el.innerHTML = `${title ? `<strong>${Sbx.esc(title)}</strong>` : ''}${Sbx.esc(message)}`;
  $('toasts').append(el);
  setTimeout(() => el.remove(), 6000);
}

function openSidebar(e) {
  $('sidebar-title').textContent = e.title || 'Sirrius';
  $('sidebar-frame').src = `/ui/html/${e.htmlId}`;
  $('sidebar').hidden = false;
}
function closeSidebar() {
  $('sidebar').hidden = true;
  $('sidebar-frame').src = 'about:blank';
}
function openDialog(e) {
  $('dialog-title').textContent = e.title || '';
  $('dialog-frame').src = `/ui/html/${e.htmlId}`;
  $('dialog').hidden = false;
}
function closeDialog() {
  $('dialog').hidden = true;
  $('dialog-frame').src = 'about:blank';
}
$('sidebar-close').addEventListener('click', closeSidebar);
$('dialog-close').addEventListener('click', closeDialog);
// google.script.host.close() in a sidebar or dialog (see gas-shim.js).
window.addEventListener('message', (ev) => {
  if (ev.origin !== location.origin || !ev.data || ev.data.type !== 'sirrius-close') return;
  if (ev.source === $('dialog-frame').contentWindow) closeDialog();
  else closeSidebar();
});

function handleEvent(e) {
  if (e.kind === 'sidebar') openSidebar(e);
  else if (e.kind === 'dialog') openDialog(e);
  else if (e.kind === 'toast') toast(e.title, e.message);
  else showAlert(e.title, e.kind === 'prompt' ? `${e.message}\n\n(Question : le bac à sable répond « OK » avec une réponse vide.)` : e.message);
}

async function pollEvents(first = false) {
  const out = await Sbx.api(`/api/events?since=${eventsSince}`);
  // Two polls may overlap (a menu click and the timer): each event is handled once.
  const fresh = out.events.filter((e) => e.seq > eventsSince);
  if (fresh.length) eventsSince = fresh[fresh.length - 1].seq;
  // On load, only what this page caused is shown, not the history.
  if (!first) fresh.forEach(handleEvent);
}

// ---- the tabs (the grid itself is grid.js) ---------------------------------------------------
let tabs = [];
function renderTabs() {
  $('tabs').innerHTML = tabs.filter((t) => !t.hidden).map((t) => `<button class="${t.name === active ? 'active' : ''}" data-tab="${Sbx.esc(t.name)}" data-testid="tab-${Sbx.esc(t.name)}"${t.color ? ` style="--tab:${Sbx.esc(t.color)}"` : ''}>${Sbx.esc(t.name)}</button>`).join('');
}
$('tabs').addEventListener('click', (ev) => {
  const tab = ev.target.dataset?.tab;
  if (!tab || tab === active) return;
  active = tab;
  history.replaceState(null, '', `/sheet?tab=${encodeURIComponent(tab)}`);
  renderTabs();
  refreshGrid(true);
});

function refreshGrid(force = false) {
  return Grid.refresh(force, active);
}

async function refreshState() {
  const s = await Sbx.api('/api/state');
  $('header-clock').textContent = `${Sbx.paris(s.now, false)} (Paris)`;
  if (JSON.stringify(s.tabs) !== JSON.stringify(tabs)) {
    tabs = s.tabs;
    sheets = s.sheets;
    if (!sheets.includes(active)) active = sheets.includes('Leads') ? 'Leads' : sheets[0] || '';
    renderTabs();
  }
}

Grid.bind();
Grid.afterChange = () => pollEvents().catch(console.warn);

(async function start() {
  await pollEvents(true);
  // Opening the spreadsheet runs onOpen, which (re)builds the "Sirrius" menu.
  const opened = await Sbx.api('/api/open', {}).catch((e) => ({ ok: false, error: e.message, menus: [] }));
  renderMenus(opened.menus || []);
  // ?menu=Sirrius opens that menu (for screenshots and demos).
  if (params.get('menu')) document.querySelector(`[data-testid="menu-${CSS.escape(params.get('menu'))}"]`)?.parentElement.classList.add('open');
  if (opened.ok === false) showAlert('onOpen a échoué', opened.error);
  await refreshState();
  await refreshGrid(true);
  setInterval(() => refreshState().then(() => refreshGrid()).catch(console.warn), 2000);
  setInterval(() => pollEvents().catch(console.warn), 2000);
})();
