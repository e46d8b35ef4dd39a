/// <reference lib="dom" />
/**
 * The script every sidebar runs (built into dist/_client.html by scripts/build.mjs). It holds no
 * business rule: forms and buttons declare the global function they call (`data-fn`), and this
 * script gathers the fields, checks what the browser can check, shows a loading state, calls the
 * server through a typed promise wrapper of google.script.run, and shows the server's French
 * answer: an error next to the field it names, or a success message saying what changed.
 * Lists (incidents, payments, call list, configuration) are drawn from the server's DTOs with
 * textContent only, so nothing a lead typed can become markup.
 */
import type * as Server from '../entry';
import type { ActionResult } from '../shared/types';
import type { CallView, CapacityOverview, ConfigView, ConnectionView, FailedPaymentView, LeadMatch } from '../shared/sidebar';
import type { IncidentView } from '../app/operator';

/** The globals google.script.run can call (private ones, ending in `_`, excluded). */
type Api = { [K in keyof typeof Server as K extends `${string}_` ? never : K]: (typeof Server)[K] };
type Fn = keyof Api & string;
type Args<K extends Fn> = Api[K] extends (...a: infer A) => unknown ? A : never;
type Answer<K extends Fn> = Api[K] extends (...a: never[]) => infer R ? R : never;

interface GoogleScript {
  script: { run: Record<string, unknown> & { withSuccessHandler(f: (v: unknown) => void): GoogleScript['script']['run']; withFailureHandler(f: (e: Error) => void): GoogleScript['script']['run'] } };
}
declare const google: GoogleScript;

/** Texts given by the server (FR.ui.common and the page's own), in `<script id="strings">`. */
interface Strings {
  common: { loading: string; required: string; invalid: string; network: string; empty: string; copy: string; copied: string; yes: string; no: string };
  page: Record<string, any>;
}
const T: Strings = JSON.parse(document.getElementById('strings')?.textContent || '{"common":{},"page":{}}');

/** Calls a server global: the promise of its answer (typed from src/entry.ts). */
export function run<K extends Fn>(fn: K, ...args: Args<K>): Promise<Answer<K>> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run.withSuccessHandler((v) => resolve(v as Answer<K>)).withFailureHandler(reject);
    (runner[fn] as (...a: unknown[]) => void)(...args);
  });
}

// ---- small DOM helpers --------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: Array<Node | string | null>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null) node.append(c);
  return node;
}

/** The message area of a form or section. */
function say(box: Element | null, text: string, kind: 'ok' | 'error' | 'info'): void {
  if (!box) return;
  box.textContent = text;
  box.className = `message ${kind}`;
  (box as HTMLElement).hidden = text === '';
}

/** Clears the errors of a scope. */
function clearErrors(scope: Element): void {
  scope.querySelectorAll('[data-error-for]').forEach((e) => ((e.textContent = ''), e.classList.remove('shown')));
  scope.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  say(scope.querySelector(':scope > .message, .message'), '', 'info');
}

/** Shows an error next to a field (or in the scope's message area when no field matches). */
function fieldError(scope: Element, field: string | undefined, text: string): void {
  const slot = field ? scope.querySelector(`[data-error-for="${CSS.escape(field)}"]`) : null;
  if (slot) {
    slot.textContent = text;
    slot.classList.add('shown');
    scope.querySelector(`[name="${CSS.escape(field as string)}"]`)?.classList.add('invalid');
  } else say(scope.querySelector('.message'), text, 'error');
}

/** Loading state: the button is disabled and says so until the server answers. */
async function busy<T>(button: HTMLButtonElement | null, work: () => Promise<T>): Promise<T> {
  const label = button?.textContent ?? '';
  if (button) {
    button.disabled = true;
    button.classList.add('loading');
    button.textContent = T.common.loading;
  }
  try {
    return await work();
  } finally {
    if (button) {
      button.disabled = false;
      button.classList.remove('loading');
      button.textContent = label;
    }
  }
}

/** Calls a global and shows its ActionResult in `scope`; true when it succeeded. */
async function act(scope: Element, button: HTMLButtonElement | null, call: () => Promise<unknown>): Promise<boolean> {
  return (await actResult(scope, button, call)) !== null;
}

/** act(), giving the successful answer itself (null on a refusal or a network error). */
async function actResult(scope: Element, button: HTMLButtonElement | null, call: () => Promise<unknown>): Promise<Record<string, unknown> | null> {
  clearErrors(scope);
  try {
    const result = (await busy(button, call)) as ActionResult;
    if (!result || typeof result !== 'object' || !('ok' in result)) return {};
    if (result.ok) {
      // An older success elsewhere on the page describes a state that just changed: it goes. An
      // answer that still waits for a confirmation is information, not a done deed.
      const box = scope.querySelector('.message');
      document.querySelectorAll('.message.ok').forEach((m) => m !== box && say(m, '', 'info'));
      say(box, result.message, (result as { confirmed?: unknown }).confirmed === false ? 'info' : 'ok');
      return result as Record<string, unknown>;
    }
    fieldError(scope, result.field, result.error);
  } catch (e) {
    say(scope.querySelector('.message'), String(T.common.network).replace('{detail}', e instanceof Error ? e.message : String(e)), 'error');
  }
  return null;
}

/** Browser-side checks (required, pattern, type) with the page's French messages. */
function checkFields(form: HTMLFormElement): boolean {
  let ok = true;
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[name], textarea[name]'))) {
    if (input.checkValidity()) continue;
    ok = false;
    const message = input.validity.valueMissing ? T.common.required : input.dataset.invalid || T.common.invalid;
    fieldError(form, input.name, message);
  }
  return ok;
}

function fieldsOf(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => (out[k] = String(v)));
  return out;
}

/**
 * The arguments a form passes: `data-args="form"` gives the object of its fields (addManualLead),
 * otherwise the listed fields in order, `:number` turning one into a number.
 */
function argsOf(form: HTMLFormElement): unknown[] {
  const fields = fieldsOf(form);
  const spec = form.dataset.args ?? '';
  if (spec === 'form') return [fields];
  return spec
    .split(',')
    .filter(Boolean)
    .map((s) => {
      const [name, type] = s.split(':');
      const v = (fields[name] ?? '').trim();
      return type === 'number' ? (v === '' ? '' : Number(v)) : v;
    });
}

const refreshers: Record<string, () => Promise<void>> = {};

async function refreshAll(): Promise<void> {
  await Promise.all(Object.values(refreshers).map((f) => f()));
}

// ---- forms and buttons --------------------------------------------------------------------------

/**
 * Every `<form data-fn>`: validate, call, show the answer, reset on success, refresh the lists.
 * A form with `data-confirm-field` works in two steps: an answer with `confirmed: false` puts its
 * `confirm` value in that hidden field and the button asks to confirm (FR page text `confirm`);
 * changing any field goes back to the first step.
 */
function wireForms(root: ParentNode): void {
  root.querySelectorAll<HTMLFormElement>('form[data-fn]').forEach((form) => {
    form.noValidate = true;
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    const label = button?.textContent ?? '';
    const confirmField = form.dataset.confirmField ? form.querySelector<HTMLInputElement>(`input[name="${CSS.escape(form.dataset.confirmField)}"]`) : null;
    const firstStep = () => {
      if (!confirmField) return;
      confirmField.value = '';
      if (button) button.textContent = label;
    };
    form.addEventListener('input', firstStep);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      if (!checkFields(form)) return;
      const fn = form.dataset.fn as Fn;
      const result = await actResult(form, button, () => (run as (f: Fn, ...a: unknown[]) => Promise<unknown>)(fn, ...argsOf(form)));
      if (result === null) return;
      if (confirmField && result.confirmed === false && typeof result.confirm === 'string') {
        confirmField.value = result.confirm;
        if (button) button.textContent = T.page.confirm ?? label;
        return;
      }
      if (form.dataset.reset !== 'false') form.reset();
      firstStep();
      await refreshAll();
    });
  });
  root.querySelectorAll<HTMLButtonElement>('button[data-fn]').forEach((button) => {
    button.addEventListener('click', async () => {
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      const scope = button.closest('[data-scope]') ?? document.body;
      const args = button.dataset.arg !== undefined ? [button.dataset.arg] : [];
      const ok = await act(scope, button, () => (run as (f: Fn, ...a: unknown[]) => Promise<unknown>)(button.dataset.fn as Fn, ...args));
      if (ok) await refreshAll();
    });
  });
}

// ---- lists --------------------------------------------------------------------------------------

/** Loads a list into its container; the container shows the server's error when the call fails. */
function list<K extends Fn>(name: string, fn: K, args: () => Args<K>, draw: (result: Answer<K>, box: HTMLElement) => void): void {
  const box = document.querySelector<HTMLElement>(`[data-list="${name}"]`);
  if (!box) return;
  const load = async () => {
    box.setAttribute('aria-busy', 'true');
    try {
      const result = (await run(fn, ...args())) as ActionResult;
      box.replaceChildren();
      if (result && result.ok === false) box.append(el('p', { class: 'message error', text: result.error }));
      else draw(result as Answer<K>, box);
    } catch (e) {
      box.replaceChildren(el('p', { class: 'message error', text: e instanceof Error ? e.message : String(e) }));
    } finally {
      box.removeAttribute('aria-busy');
    }
  };
  refreshers[name] = load;
  void load();
}

function empty(box: HTMLElement, text: string): void {
  box.append(el('p', { class: 'muted', 'data-testid': 'empty', text }));
}

/** A small inline form inside a list item (resolve an incident, mark a lead contacted). */
function itemForm(fieldName: string, label: string, buttonText: string, required: boolean, submit: (value: string) => Promise<unknown>): HTMLFormElement {
  const id = `f${Math.random().toString(36).slice(2, 8)}`;
  const area = el('textarea', { id, name: fieldName, rows: '2', 'data-testid': fieldName });
  if (required) area.required = true;
  const form = el(
    'form',
    { class: 'item-form' },
    el('label', { for: id, text: label }),
    area,
    el('div', { class: 'field-error', 'data-error-for': fieldName }),
    el('button', { type: 'submit', class: 'action', 'data-testid': `${fieldName}-submit`, text: buttonText }),
    el('div', { class: 'message', hidden: '', role: 'status' }),
  );
  form.noValidate = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!checkFields(form)) return;
    const ok = await act(form, form.querySelector('button'), () => submit(area.value));
    if (ok) {
      const message = form.querySelector('.message')?.textContent ?? '';
      await refreshAll();
      const top = document.querySelector('[data-list-message]');
      if (top) say(top, message, 'ok');
    }
  });
  return form;
}

function drawIncidents(result: Answer<'listIncidents'>, box: HTMLElement): void {
  const p = T.page;
  const incidents: IncidentView[] = result.ok ? result.incidents : [];
  if (incidents.length === 0) return empty(box, p.none);
  for (const i of incidents) {
    const meta = `${i.label}${i.created_at ? ` · ${new Date(i.created_at).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' })}` : ''}`;
    const item = el('div', { class: `item sev-${i.severity}`, 'data-testid': 'incident', 'data-id': i.id }, el('div', { class: 'item-title', text: i.title }), el('div', { class: 'muted', text: meta }));
    if (i.status === 'resolved') item.append(el('div', { class: 'muted', text: i.resolution }));
    else item.append(itemForm('resolution', p.resolution, p.resolve, true, () => run('resolveIncident', i.id, (item.querySelector('textarea') as HTMLTextAreaElement).value)));
    box.append(item);
  }
}

function drawPayments(result: Answer<'listFailedPayments'>, box: HTMLElement): void {
  const payments: FailedPaymentView[] = result.ok ? result.payments : [];
  if (payments.length === 0) return empty(box, T.page.none);
  for (const pay of payments) {
    const link = pay.stripeUrl ? el('a', { href: pay.stripeUrl, target: '_blank', rel: 'noopener', text: T.page.openStripe }) : null;
    box.append(
      el(
        'div',
        { class: 'item', 'data-testid': 'payment', 'data-id': pay.id },
        el('div', { class: 'item-title', text: `${pay.name} · ${pay.failuresText}` }),
        el('div', { class: 'muted', text: [pay.email, pay.phone, pay.customerId, pay.status].filter(Boolean).join(' · ') }),
        link,
      ),
    );
  }
}

function drawCallList(result: Answer<'followUpList'>, box: HTMLElement): void {
  const leads: CallView[] = result.ok ? result.leads : [];
  if (leads.length === 0) return empty(box, T.page.none);
  for (const l of leads) {
    const phone = l.phone ? el('a', { href: `tel:${l.phone.replace(/\s/g, '')}`, text: l.phone }) : null;
    const item = el(
      'div',
      { class: `item${l.fresh ? ' fresh' : ''}`, 'data-testid': 'call', 'data-id': l.id },
      el('div', { class: 'item-title', text: l.name }),
      el('div', { class: 'muted' }, phone, ` · ${l.ageText}${l.fresh ? ` · ${T.page.fresh}` : ''}`),
      l.notes ? el('div', { class: 'notes', text: l.notes }) : null,
    );
    item.append(itemForm('note', T.page.note, T.page.mark, false, (note) => run('markContacted', l.id, note)));
    box.append(item);
  }
}

function drawCapacity(result: Answer<'capacityOverview'>, box: HTMLElement): void {
  if (!result.ok) return;
  const o: CapacityOverview = result.overview;
  const pct = Math.max(0, Math.min(100, o.usagePct));
  box.append(
    el('div', { class: `gauge ${o.status}`, 'data-testid': 'capacity-summary' }, el('div', { class: 'bar', style: `width:${pct}%` }), el('span', { text: o.summary })),
  );
  const input = document.querySelector<HTMLInputElement>('input[name="maxLeads"]');
  if (input && !input.value) input.placeholder = String(o.max);
  const campaigns = document.querySelector<HTMLElement>('[data-list="campaigns-view"]');
  if (!campaigns) return;
  campaigns.replaceChildren();
  if (o.campaigns.length === 0) return empty(campaigns, T.page.noCampaigns);
  for (const c of o.campaigns) {
    campaigns.append(
      el(
        'div',
        { class: `item${c.paused ? ' paused' : ''}`, 'data-testid': 'campaign', 'data-id': c.id },
        el('div', { class: 'item-title', text: c.name }),
        el('div', { class: 'muted', text: [c.id, c.paused ? T.page.paused : T.page.active, c.effectiveStatus].filter((x, i, all) => x && all.indexOf(x) === i).join(' · ') }),
        c.lastError ? el('div', { class: 'message error', text: c.lastError }) : null,
      ),
    );
  }
}

function drawConfig(result: Answer<'configStatus'>, box: HTMLElement): void {
  if (!result.ok) return;
  const c: ConfigView = result.config;
  if (c.warnings.length) box.append(el('h3', { text: T.page.warnings }), ...c.warnings.map((w) => el('p', { class: 'message error', 'data-testid': 'config-warning', text: w })));
  const table = el('table', { class: 'props' });
  for (const p of c.properties) {
    const state = p.set ? `${T.page.set}${p.shown ? ` (${p.shown})` : ''}` : p.optional ? T.page.optional : T.page.missing;
    const good = (p.set || p.optional) && !p.problem;
    table.append(el('tr', { 'data-testid': `prop-${p.key}` }, el('td', { text: p.key }), el('td', { class: good ? 'ok' : 'ko', text: p.problem ? `${state} : ${p.problem}` : state })));
  }
  box.append(el('h3', { text: T.page.properties }), table, el('p', { class: 'muted', text: T.page.secretNote }), tokenGenerator(c));
  if (c.adsWarning) box.append(el('p', { class: 'message error', 'data-testid': 'ads-warning', text: c.adsWarning }));
  box.append(el('h3', { text: T.page.webhooks }));
  box.append(
    el('label', { text: T.page.webAppUrl }),
    el('input', { readonly: '', value: c.webAppUrl, 'data-testid': 'webapp-url', 'aria-label': T.page.webAppUrl }),
    el('p', { class: c.webAppUrlSource === 'property' ? 'muted' : 'message error', 'data-testid': 'webapp-url-source', text: T.page.webAppUrlSource[c.webAppUrlSource] }),
  );
  if (!c.webAppDeployed) box.append(el('p', { class: 'message error', text: T.page.noWebApp }));
  for (const w of c.webhooks) {
    const input = el('input', { readonly: '', value: w.url, 'data-testid': `webhook-${w.provider}`, 'aria-label': w.label });
    const copy = el('button', { type: 'button', class: 'small', text: T.common.copy });
    copy.addEventListener('click', async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(w.url);
      } catch {
        document.execCommand('copy');
      }
      copy.textContent = T.common.copied;
    });
    box.append(el('label', { text: w.label }), el('div', { class: 'copy-row' }, input, copy));
  }
  if (c.webhooks.length) box.append(el('p', { class: 'muted', text: T.page.webhooksNote }));
}

/**
 * "Générer un nouveau WEBHOOK_TOKEN": a weak or missing one is replaced at once; a strong one after
 * the browser's confirmation. The new token is shown once, in the URLs to copy.
 */
function tokenGenerator(c: ConfigView): HTMLElement {
  const weak = c.properties.some((p) => p.key === 'WEBHOOK_TOKEN' && p.problem !== '');
  const scope = el('section', { 'data-scope': '' });
  const button = el('button', { type: 'button', class: 'small', 'data-testid': 'generate-token', text: T.page.generateToken }) as HTMLButtonElement;
  const message = el('div', { class: 'message', role: 'status', hidden: '' });
  const out = el('div', {});
  button.addEventListener('click', async () => {
    if (!weak && !window.confirm(T.page.tokenConfirm)) return;
    out.replaceChildren();
    try {
      const result = await busy(button, () => run('generateWebhookToken', !weak));
      if (!result.ok) return say(message, result.error, 'error');
      say(message, result.message, 'ok');
      for (const w of result.webhooks) out.append(el('label', { text: w.label }), el('input', { readonly: '', value: w.url, 'data-testid': `new-webhook-${w.provider}` }));
    } catch (e) {
      say(message, e instanceof Error ? e.message : String(e), 'error');
    }
  });
  scope.append(button, message, out);
  return scope;
}

/**
 * KO #2 "reject the excess": the button first asks who would be rejected (excessLeadsPreview) and
 * lists them ticked, a manual lead unticked; the operator unticks whom to keep, then confirms.
 */
function wireRejectExcess(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-reject-preview]');
  const box = document.querySelector<HTMLElement>('[data-excess]');
  if (!button || !box) return;
  const scope = button.closest('[data-scope]') ?? document.body;
  button.addEventListener('click', async () => {
    clearErrors(scope);
    box.replaceChildren();
    let preview: Answer<'excessLeadsPreview'>;
    try {
      preview = await busy(button, () => run('excessLeadsPreview'));
    } catch (e) {
      return say(scope.querySelector('.message'), String(T.common.network).replace('{detail}', e instanceof Error ? e.message : String(e)), 'error');
    }
    if (!preview.ok) return say(scope.querySelector('.message'), preview.error, 'error');
    if (preview.leads.length === 0) return say(scope.querySelector('.message'), preview.message, 'info');
    const list = el('div', { class: 'excess-list' });
    for (const l of preview.leads) {
      const box = el('input', { type: 'checkbox', value: l.id, 'data-testid': 'excess-lead' });
      box.checked = l.proposed;
      const detail = [l.time, l.phone, l.source === 'manual' ? T.page.manualTag : ''].filter(Boolean).join(' · ');
      list.append(el('label', { class: 'item', 'data-id': l.id }, box, ` ${l.name}`, el('span', { class: 'muted', text: detail ? ` (${detail})` : '' })));
    }
    const confirm = el('button', { type: 'button', class: 'danger', 'data-testid': 'reject-confirm', text: T.page.confirmReject });
    const cancel = el('button', { type: 'button', 'data-testid': 'reject-cancel', text: T.page.cancel });
    cancel.addEventListener('click', () => (box.replaceChildren(), clearErrors(scope)));
    confirm.addEventListener('click', async () => {
      const ids = Array.from(list.querySelectorAll<HTMLInputElement>('input:checked')).map((i) => i.value);
      const ok = await act(scope, confirm, () => run('rejectExcessLeads', ids));
      if (ok) {
        box.replaceChildren();
        await refreshAll();
      }
    });
    box.append(el('p', { class: 'muted', 'data-testid': 'excess-intro', text: preview.message }), list, el('div', { class: 'buttons' }, confirm, cancel));
  });
}

/**
 * OK #2 and OK #3: a "Chercher" button beside a field asks findLeads for what was typed (a name,
 * an e-mail, a phone) and lists the leads found; "Choisir" puts the chosen lead's id in the field.
 */
function wireLeadSearch(): void {
  document.querySelectorAll<HTMLButtonElement>('[data-search-for]').forEach((button) => {
    const name = button.dataset.searchFor as string;
    const form = button.closest('form') as HTMLFormElement;
    const input = form.querySelector<HTMLInputElement>(`[name="${CSS.escape(name)}"]`) as HTMLInputElement;
    const box = form.querySelector<HTMLElement>(`[data-matches-for="${CSS.escape(name)}"]`) as HTMLElement;
    // A name or an e-mail typed and submitted is a search (the server acts on a phone or a lead id
    // only): the matches are listed to pick from, instead of a refusal. Capture runs before the
    // form's own submit handler.
    form.addEventListener(
      'submit',
      (ev) => {
        const typed = input.value.trim();
        if (!/[A-Za-zÀ-ÿ@]/.test(typed) || /^lead_/i.test(typed)) return;
        ev.preventDefault();
        ev.stopImmediatePropagation();
        button.click();
      },
      { capture: true },
    );
    button.addEventListener('click', async () => {
      clearErrors(form);
      box.replaceChildren();
      try {
        const result = await busy(button, () => run('findLeads', input.value));
        if (!result.ok) return fieldError(form, name, result.error);
        box.append(el('p', { class: 'muted', text: result.message }));
        for (const l of result.leads as LeadMatch[]) {
          const pick = el('button', { type: 'button', class: 'small', 'data-testid': 'pick', text: T.page.pick });
          pick.addEventListener('click', () => {
            input.value = l.id;
            // A new target: a two-step form (opt-out) goes back to its first step.
            input.dispatchEvent(new Event('input', { bubbles: true }));
            box.replaceChildren(el('p', { class: 'muted', 'data-testid': 'picked', text: `${l.name} · ${[l.phone, l.email].filter(Boolean).join(' · ')}` }));
          });
          box.append(
            el('div', { class: 'item', 'data-testid': 'match', 'data-id': l.id }, el('div', { class: 'item-title', text: l.name }), el('div', { class: 'muted', text: [l.phone, l.email, l.status, l.created].filter(Boolean).join(' · ') }), pick),
          );
        }
      } catch (e) {
        say(form.querySelector('.message'), String(T.common.network).replace('{detail}', e instanceof Error ? e.message : String(e)), 'error');
      }
    });
  });
}

/**
 * A refusal that asks to confirm (a duplicate manual lead): the server names the field of a
 * hidden input; its button ("Ajouter quand même") sets it and submits the form again.
 */
function wireConfirmButtons(): void {
  document.querySelectorAll<HTMLButtonElement>('button[data-confirm-field]').forEach((button) => {
    const form = button.closest('form') as HTMLFormElement;
    const hidden = form.querySelector<HTMLInputElement>(`input[name="${CSS.escape(button.dataset.confirmField as string)}"]`) as HTMLInputElement;
    const slot = form.querySelector(`[data-error-for="${CSS.escape(button.dataset.confirmField as string)}"]`) as HTMLElement;
    // Shown while the server's question is shown; a new answer hides it.
    new MutationObserver(() => (button.hidden = !slot.classList.contains('shown'))).observe(slot, { attributes: true, childList: true });
    button.addEventListener('click', () => {
      hidden.value = '1';
      form.requestSubmit();
    });
    form.addEventListener('reset', () => setTimeout(() => (hidden.value = ''), 0));
    form.addEventListener('input', () => (hidden.value = ''));
  });
}

/** The connection test writes its results under its button. */
function wireConnectionTest(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-test-connections]');
  const out = document.querySelector<HTMLElement>('[data-list="connections"]');
  if (!button || !out) return;
  button.addEventListener('click', async () => {
    const scope = button.closest('[data-scope]') ?? document.body;
    clearErrors(scope);
    out.replaceChildren();
    try {
      const result = await busy(button, () => run('testConnections'));
      if (!result.ok) return say(scope.querySelector('.message'), result.error, 'error');
      say(scope.querySelector('.message'), result.message, result.allOk ? 'ok' : 'error');
      for (const c of result.connections as ConnectionView[]) {
        out.append(el('div', { class: `item ${c.ok ? 'ok' : 'ko'}`, 'data-testid': `connection-${c.provider}` }, el('strong', { text: `${c.ok ? '✓' : '✗'} ${c.label}` }), ` : ${c.detail}`));
      }
    } catch (e) {
      say(scope.querySelector('.message'), e instanceof Error ? e.message : String(e), 'error');
    }
  });
}

// ---- start --------------------------------------------------------------------------------------

function start(): void {
  wireForms(document);
  wireConnectionTest();
  wireRejectExcess();
  wireLeadSearch();
  wireConfirmButtons();
  const filter = document.querySelector<HTMLSelectElement>('select[name="incidentFilter"]');
  list('incidents', 'listIncidents', () => [{ status: filter?.value ?? 'active' }] as Args<'listIncidents'>, drawIncidents);
  filter?.addEventListener('change', () => refreshers.incidents?.());
  list('payments', 'listFailedPayments', () => [] as Args<'listFailedPayments'>, drawPayments);
  list('calls', 'followUpList', () => [] as Args<'followUpList'>, drawCallList);
  list('capacity', 'capacityOverview', () => [] as Args<'capacityOverview'>, drawCapacity);
  list('config', 'configStatus', () => [] as Args<'configStatus'>, drawConfig);
  document.querySelectorAll('[data-refresh]').forEach((b) => b.addEventListener('click', () => void refreshAll()));
  document.body.classList.add('ready');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
