/**
 * Finding a lead the way an operator knows them (OK #2 and OK #3 sidebars): by name, e-mail,
 * phone (any spelling) or lead id. Read-only; the caller (runAction) holds the lock. Each kind of
 * query is one TextFinder on its column, then the rows found are read (at most MAX_MATCHES).
 */
import { LEADS } from '../domain/schema';
import { checkText, isLeadId } from '../domain/input';
import { normalizePhone } from '../domain/phone';
import { leadName } from '../domain/routines';
import { formatParis } from '../adapters/gas-services';
import { done, refused, type ActionResult } from '../shared/types';
import type { LeadMatch } from '../shared/sidebar';
import type { Ctx } from './context';
import { FR, LEAD_STATUS_FR, phoneFr } from '../ui/strings.fr';

/** Most leads a search answers (newest first). */
const MAX_MATCHES = 20;

/** A regular expression matching `text` literally. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regular expression matching `word` in any case (the table's searches match case). */
const anyCase = (word: string) =>
  [...word].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : literal(c))).join('');

/** The leads matching a name, an e-mail, a phone or a lead id, newest first. */
export function findLeads(ctx: Ctx, query: unknown): ActionResult<{ leads: LeadMatch[] }> {
  const q = checkText(typeof query === 'number' ? String(query) : query, { required: true, max: 100 });
  if (!q.ok) return refused(FR.input.error(q.problem, FR.labels.search, 100), 'query');
  const table = ctx.table(LEADS);
  const text = q.value;
  let rows: number[];
  const phone = normalizePhone(text);
  if (isLeadId(text)) rows = table.findRows('id', text);
  else if (text.includes('@')) rows = table.findRows('email', text.toLowerCase(), false);
  else if (phone.ok && /\d{6,}/.test(text.replace(/\D/g, ''))) rows = table.matchRows(['phone'], `^(${literal(phone.e164)}|${literal(text)})$`);
  else {
    // A name: every word (2 letters or more) must be found in the first or last name.
    const words = text.split(/\s+/).filter((w) => w.length >= 2);
    if (words.length === 0) return refused(FR.search.tooShort, 'query');
    let found: number[] | undefined;
    for (const word of words) {
      const hits = new Set(table.matchRows(['first_name', 'last_name'], anyCase(word)));
      found = found === undefined ? [...hits] : found.filter((r) => hits.has(r));
      if (found.length === 0) break;
    }
    rows = found ?? [];
  }
  const newest = [...rows].sort((a, b) => b - a).slice(0, MAX_MATCHES);
  const leads = table.readRowsAt(newest).reverse().map(
    (l): LeadMatch => ({
      id: l.id,
      name: leadName(l),
      phone: phoneFr(l.phone),
      email: l.email,
      status: LEAD_STATUS_FR[l.status] ?? l.status,
      created: l.created_at ? formatParis(l.created_at, 'dd/MM/yyyy') : '',
    }),
  );
  return done(leads.length ? FR.search.found(leads.length, rows.length) : FR.search.none, { leads });
}
