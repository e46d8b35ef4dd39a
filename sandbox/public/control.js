// Control page: provider simulations, clock, outages, outboxes and journal (polls the API every 2 s).
'use strict';
const $ = (sel) => document.querySelector(`[data-testid="${sel}"]`);
const PROVIDER_NAMES = { stripe: 'Stripe', graph: 'Meta (Graph)', twilio: 'Twilio' };
const FN_LABELS = { reconcile: 'Rattrapage (reconcile)', routineMorning: 'Routine 9 h', routineNoon: 'Routine 12 h', routineAfternoon: 'Routine 15 h', routineEvening: 'Routine 18 h' };
let journalSince = 0;
let leadsKey = '';

function show(testid, text, ok = true) {
  const el = $(testid);
  el.className = `result ${ok ? 'ok' : 'error'}`;
  el.textContent = text;
}

/** Runs an action: disables the button meanwhile, prints the answer, refreshes everything. */
async function act(button, testid, call, describe) {
  button.disabled = true;
  try {
    const out = await call();
    show(testid, describe(out), !out.error && out.ok !== false);
  } catch (e) {
    show(testid, e.message, false);
  } finally {
    button.disabled = false;
    refresh();
  }
}

function answerText(out) {
  if (out.error) return `Erreur : ${out.error}`;
  if (out.answer === undefined) return 'Webhook non envoyé.';
  return `Réponse de /exec : ${out.answer}`;
}

// ---- forms ----------------------------------------------------------------------------------
$('meta-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  act($('meta-submit'), 'meta-result', () => Sbx.api('/api/meta/lead', { name: f.get('name'), phone: f.get('phone'), email: f.get('email'), send: f.get('send') === 'on' }),
    (out) => `Lead Meta ${out.leadgenId} créé. ${answerText(out)}`);
});

$('stripe-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const action = ev.submitter?.dataset.action ?? 'checkout';
  const leadId = f.get('leadId');
  if (!leadId) return show('stripe-result', 'Choisissez d’abord un lead.', false);
  const send = f.get('send') === 'on';
  const call = action === 'failed'
    ? () => Sbx.api('/api/stripe/payment-failed', { leadId, attempt: f.get('attempt') || undefined, send })
    : () => Sbx.api('/api/stripe/checkout', { leadId, amount: f.get('amount') || undefined, send });
  act(ev.submitter ?? $('stripe-checkout'), 'stripe-result', call, (out) => `Événement ${out.eventId}. ${answerText(out)}`);
});

$('sms-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  act($('sms-submit'), 'sms-result', () => Sbx.api('/api/twilio/reply', { from: f.get('from'), body: f.get('body'), send: f.get('send') === 'on' }),
    (out) => `SMS ${out.sid} reçu par Twilio. ${answerText(out)}`);
});

$('outage-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = { provider: f.get('provider'), mode: f.get('mode'), times: f.get('forever') === 'on' ? null : f.get('times') };
  act($('outage-submit'), 'clock-result', () => Sbx.api('/api/outage', body), () => `Panne de ${PROVIDER_NAMES[body.provider]} enregistrée.`);
});

$('outage-status').addEventListener('click', (ev) => {
  const p = ev.target.dataset?.restore;
  if (p) act(ev.target, 'clock-result', () => Sbx.api('/api/outage', { provider: p, restore: true }), () => `${PROVIDER_NAMES[p]} rétabli.`);
});

// ---- clock ----------------------------------------------------------------------------------
function clockText(out) {
  if (out.error) return `Erreur : ${out.error}`;
  const ran = out.ran && out.ran.length ? ` Déclencheurs exécutés : ${out.ran.join(', ')}.` : ' Aucun déclencheur dû.';
  return `Horloge : ${Sbx.paris(out.now)}.${ran}`;
}
document.querySelectorAll('[data-hour]').forEach((b) =>
  b.addEventListener('click', () => act(b, 'clock-result', () => Sbx.api('/api/clock', { action: 'set', hour: Number(b.dataset.hour) }), clockText)));
document.querySelectorAll('[data-minutes]').forEach((b) =>
  b.addEventListener('click', () => act(b, 'clock-result', () => Sbx.api('/api/clock', { action: 'advance', minutes: Number(b.dataset.minutes) }), clockText)));
$('clock-realtime').addEventListener('click', (ev) => act(ev.target, 'clock-result', () => Sbx.api('/api/clock', { action: 'now' }), clockText));
$('time-functions').addEventListener('click', (ev) => {
  const fn = ev.target.dataset?.fn;
  if (fn) act(ev.target, 'clock-result', () => Sbx.api('/api/clock', { action: 'run', fn }),
    (out) => (out.ok ? `${fn}() terminé : ${JSON.stringify(out.result ?? null).slice(0, 400)}` : `${fn}() a échoué : ${out.error}`));
});

// ---- refresh --------------------------------------------------------------------------------
function renderState(s) {
  $('clock-now').textContent = Sbx.paris(s.now);
  $('header-clock').textContent = `${Sbx.paris(s.now, false)} (Paris)`;
  const h = Math.round(s.clockOffsetMs / 60000);
  $('clock-mode').textContent = s.followsRealTime ? 'Suit le temps réel.' : `Décalée de ${h >= 0 ? '+' : ''}${Math.floor(h / 60)} h ${String(Math.abs(h % 60)).padStart(2, '0')} par rapport au temps réel (le temps s'écoule normalement).`;
  const fns = $('time-functions');
  const wanted = s.timeFunctions.map((f) => `${f.fn}:${f.available}`).join(',');
  if (fns.dataset.key !== wanted) {
    fns.dataset.key = wanted;
    fns.innerHTML = '<span class="muted clock-row-label">Exécuter maintenant (comme le déclencheur) :</span>' + s.timeFunctions
      .map((f) => `<button data-fn="${f.fn}" data-testid="run-${f.fn}" ${f.available ? '' : 'disabled title="Pas encore disponible dans cette version"'}>${Sbx.esc(FN_LABELS[f.fn] ?? f.fn)}</button>`).join('');
  }
  $('triggers').innerHTML = s.triggers.length
    ? s.triggers.map((t) => `<li data-testid="trigger-item"><strong>${Sbx.esc(t.handler)}</strong> — prochain passage : ${t.nextDue ? Sbx.parisShort(t.nextDue) : '—'}</li>`).join('')
    : '<li>Aucun déclencheur installé.</li>';
  $('outage-status').innerHTML = ['stripe', 'graph', 'twilio'].map((p) => {
    const o = s.outages[p];
    const real = s.realProviders.includes(p) ? ' <span class="pill real">API réelle</span>' : '';
    if (!o) return `<li data-testid="outage-${p}">${PROVIDER_NAMES[p]} : <span class="pill">en service</span>${real}</li>`;
    const left = o.left === null ? "jusqu'au rétablissement" : `encore ${o.left} appel(s)`;
    return `<li data-testid="outage-${p}">${PROVIDER_NAMES[p]} : <span class="pill down">en panne (${o.mode === 'network' ? 'réseau' : 'HTTP 503'}, ${left})</span>${real} <button data-restore="${p}" data-testid="outage-restore-${p}">Rétablir</button></li>`;
  }).join('');
  $('webapp-url').textContent = s.webAppUrl;
  $('webhook-urls').innerHTML = Object.entries(s.webhooks).map(([k, u]) => `<li>${k} : ${Sbx.esc(u)}</li>`).join('');
  const capi = $('capi-events');
  if (capi) capi.innerHTML = (s.capiEvents || []).map((e) => `<li data-testid="capi-item"><div class="meta">${Sbx.paris(e.at)} — lead ${Sbx.esc(e.event.user_data.lead_id)}</div><strong>${Sbx.esc(e.event.event_name)}</strong> <code>${Sbx.esc(e.event.event_id)}</code></li>`).join('') || '<li class="muted">Rien reçu (META_DATASET_ID non renseigné ?).</li>';
  $('campaigns').innerHTML = s.campaigns.map((c) => `<li>${Sbx.esc(c.name)} <span class="pill ${c.status === 'PAUSED' ? 'down' : ''}">${c.status === 'PAUSED' ? 'en pause' : 'active'}</span></li>`).join('') || '<li class="muted">Aucune.</li>';
  $('save-status').innerHTML = s.lastSaveError
    ? `<span class="error">Échec de l'enregistrement : ${Sbx.esc(s.lastSaveError)}</span>`
    : `Classeur : <code>${Sbx.esc(s.files.workbook)}</code>${s.lastSavedAt ? ` — enregistré à ${Sbx.paris(s.lastSavedAt)} (heure réelle)` : ''}`;
}

// The phone (the SMS each number received, grouped by lead) and the mailbox (each email as its HTML
// renders, its text part on demand). Redrawn only when the outbox changed, keeping what is open.
let lastOutbox = '';
const openMail = new Set();
const textShown = new Set();
function renderOutbox(o) {
  const key = JSON.stringify(o);
  if (key === lastOutbox) return;
  lastOutbox = key;
  $('sms-count').textContent = o.sms.length;
  $('mail-count').textContent = o.mail.length;
  const phones = new Map();
  for (const m of o.sms) {
    if (!phones.has(m.to)) phones.set(m.to, { lead: m.lead, messages: [] });
    phones.get(m.to).messages.push(m);
  }
  $('outbox-sms').innerHTML = o.sms.length ? [...phones].map(([to, p]) => `<li data-testid="phone" data-phone="${Sbx.esc(to)}">
      <div class="phone-head"><strong data-testid="sms-to">${Sbx.esc(to)}</strong>${p.lead ? ` — <span data-testid="phone-lead">${Sbx.esc(p.lead)}</span>` : ''} <span class="pill">${p.messages.length} SMS</span></div>
      ${p.messages.map((m) => `<div data-testid="sms-item"><div class="meta">${Sbx.paris(m.at)} — de ${Sbx.esc(m.from)}${m.status ? ` <span class="pill ${/^(undelivered|failed)$/.test(m.status) ? 'down' : ''}" data-testid="sms-status">${Sbx.esc(m.status)}</span>` : ''}</div>
      <div class="sms-body" data-testid="sms-text">${Sbx.linkify(m.body, 'sms-link')}</div></div>`).join('')}</li>`).join('') : '<li class="muted">Aucun SMS envoyé.</li>';
  $('outbox-mail').innerHTML = o.mail.length ? o.mail.map((m) => `<li data-testid="mail-item" data-id="${m.id}">
      <div class="meta">${Sbx.paris(m.at)} — à <strong>${Sbx.esc(m.to)}</strong>${m.cc ? ` (cc ${Sbx.esc(m.cc)})` : ''}</div>
      <details ${openMail.has(m.id) ? 'open' : ''}><summary data-testid="mail-subject">${Sbx.esc(m.subject)}</summary>
        ${m.htmlBody !== null ? `<iframe class="mail-html" data-testid="mail-html" sandbox="allow-popups allow-popups-to-escape-sandbox" title="E-mail : ${Sbx.esc(m.subject)}"></iframe>
        <button class="mail-text-toggle" data-testid="mail-text-toggle">${textShown.has(m.id) ? 'Masquer le texte brut' : 'Voir le texte brut'}</button>` : ''}
        <div class="mail-body" data-testid="mail-text" ${m.htmlBody !== null && !textShown.has(m.id) ? 'hidden' : ''}>${Sbx.linkify(m.body, 'mail-link')}</div>
      </details></li>`).join('') : '<li class="muted">Aucun e-mail envoyé.</li>';
  // The HTML part is shown as a mail client would: in a sandboxed frame, links opening a new tab.
  for (const li of $('outbox-mail').querySelectorAll('li[data-id]')) {
    const m = o.mail.find((x) => String(x.id) === li.dataset.id);
    const frame = li.querySelector('iframe');
    if (frame && m) frame.srcdoc = `<base target="_blank"><meta charset="utf-8">${m.htmlBody}`;
  }
}
$('outbox-mail').addEventListener('toggle', (ev) => {
  const id = Number(ev.target.closest('li[data-id]')?.dataset.id);
  if (ev.target.open) openMail.add(id); else openMail.delete(id);
}, true);
$('outbox-mail').addEventListener('click', (ev) => {
  const btn = ev.target.closest('[data-testid="mail-text-toggle"]');
  if (!btn) return;
  const li = btn.closest('li[data-id]');
  const id = Number(li.dataset.id);
  const text = li.querySelector('[data-testid="mail-text"]');
  text.hidden = !text.hidden;
  if (text.hidden) textShown.delete(id); else textShown.add(id);
  btn.textContent = text.hidden ? 'Voir le texte brut' : 'Masquer le texte brut';
});

function renderJournal(entries) {
  if (!entries.length) return;
  journalSince = entries[entries.length - 1].seq;
  const list = $('journal');
  for (const e of entries) {
    const li = document.createElement('li');
    li.className = e.ok ? '' : 'ko';
    li.dataset.testid = 'journal-item';
    li.innerHTML = `<span class="meta">${Sbx.paris(e.at)}</span> — <span class="what">${Sbx.esc(e.what)}</span> ${e.ok ? '' : '<span class="pill down">échec</span>'}
      ${e.detail ? `<div class="mono">${Sbx.esc(e.detail)}</div>` : ''}
      ${e.logs.length ? `<details><summary>Journaux (${e.logs.length})</summary><pre class="mono">${Sbx.esc(e.logs.join('\n'))}</pre></details>` : ''}`;
    list.prepend(li);
  }
  while (list.children.length > 200) list.lastChild.remove();
}

async function renderLeads() {
  const sheet = await Sbx.api('/api/sheet/Leads').catch(() => null);
  if (!sheet) return;
  const header = sheet.header.map((c) => (c ? c.v : ''));
  const col = (name) => header.indexOf(name);
  const leads = sheet.rows.map((r) => r.cells).filter((c) => c[col('id')]).map((c) => ({
    id: c[col('id')].v,
    name: [c[col('first_name')]?.v, c[col('last_name')]?.v].filter(Boolean).join(' '),
    status: c[col('status')]?.v ?? '',
  })).reverse();
  const key = leads.map((l) => l.id + l.status).join();
  if (key === leadsKey) return;
  leadsKey = key;
  const select = $('stripe-lead');
  const current = select.value;
  select.innerHTML = leads.length ? leads.map((l) => `<option value="${Sbx.esc(l.id)}">${Sbx.esc(l.name || '(sans nom)')} — ${Sbx.esc(l.id)} (${Sbx.esc(l.status)})</option>`).join('') : '<option value="">(aucun lead)</option>';
  if (leads.some((l) => l.id === current)) select.value = current;
}

async function refresh() {
  const [state, outbox, journal] = await Promise.all([Sbx.api('/api/state'), Sbx.api('/api/outbox'), Sbx.api(`/api/journal?since=${journalSince}`)]);
  renderState(state);
  renderOutbox(outbox);
  renderJournal(journal.journal);
  await renderLeads();
}

Sbx.poll(refresh, 2000);
