/**
 * The public pages the web app serves: the opt-out page a lead reaches from an SMS. Mobile
 * first, no script, every text from strings.fr.ts.
 */
import { FR } from './strings.fr';

export type OptOutState = 'confirm' | 'done' | 'already' | 'invalid' | 'unknown' | 'busy';

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The opt-out page in one of its states; `confirmUrl` is the link that confirms, `contact` the
 * operator's address that the invalid and unknown states give.
 */
export function optOutPage(state: OptOutState, confirmUrl = '', contact = ''): { kind: 'html'; title: string; html: string } {
  const t = FR.optOutPage;
  const message = { confirm: t.confirmQuestion, done: t.done, already: t.already, invalid: t.invalid(contact), unknown: t.unknown(contact), busy: t.busy }[state];
  const action =
    state === 'confirm' ? `<p><a class="button" href="${escapeHtml(confirmUrl)}" target="_top">${escapeHtml(t.confirmButton)}</a></p>` : '';
  const html = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:Arial,Helvetica,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#202124;line-height:1.5}
h1{font-size:1.25rem}.button{display:inline-block;background:#1a73e8;color:#fff;padding:.75rem 1.25rem;border-radius:4px;text-decoration:none}</style>
</head><body><h1>${escapeHtml(t.title)}</h1><p data-state="${state}">${escapeHtml(message)}</p>${action}</body></html>`;
  return { kind: 'html', title: t.title, html };
}
