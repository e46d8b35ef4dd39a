// Helpers shared by the sandbox pages: JSON calls, HTML escaping, Paris dates, clickable links.
'use strict';
const Sbx = {
  /** GET or POST JSON; a non-2xx answer rejects with the server's French message. */
  async api(path, body) {
    const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => ({ ok: false, error: `Réponse illisible (${res.status})` }));
    if (!res.ok) throw new Error(data.error || `Erreur ${res.status}`);
    return data;
  },
  esc(s) {
    return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  },
  /** "lun. 24/11/2026 09:15:02", in Paris time. */
  paris(ms, withSeconds = true) {
    return new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}) }).format(new Date(ms));
  },
  /** "mer. 25/11 09:00", in Paris time (compact lists). */
  parisShort(ms) {
    return new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'short', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
  },
  /** Escapes text and turns its http(s) URLs into links that open in a new tab. */
  linkify(text, testid) {
    return Sbx.esc(text).replace(/https?:\/\/[^\s<]+[^\s<.,;:!?)'"]/g, (u) => `<a href="${u}" target="_blank" rel="noopener" data-testid="${testid}">${u}</a>`);
  },
  /** Calls `fn` now and every `ms`, never twice at once. */
  poll(fn, ms) {
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try { await fn(); } catch (e) { console.warn(e); } finally { busy = false; }
    };
    tick();
    return setInterval(tick, ms);
  },
};
