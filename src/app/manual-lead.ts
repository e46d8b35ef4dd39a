/**
 * OK #1, a lead received outside Facebook (phone call, direct email): validated, recorded with
 * fb_lead_id MANUAL, source manual, status new, sms_sent FALSE and the SOP's note, counted in
 * the day's capacity, and never texted (the operator contacts them by hand). The caller holds
 * the script lock.
 */
import { LEADS } from '../domain/schema';
import { asRecord, checkEmail, checkText, type Checked, type InputProblem } from '../domain/input';
import { normalizePhone } from '../domain/phone';
import { done, refused, type ActionResult } from '../shared/types';
import type { Ctx } from './context';
import { newLead, type Lead } from './leads';
import { leadName } from '../domain/routines';
import { formatParis } from '../adapters/gas-services';
import { isOptedOut } from './optout';
import { countLead } from './capacity';
import { FR, LEAD_STATUS_FR, phoneFr } from '../ui/strings.fr';

/** The form of the manual lead (sidebar or script editor). */
export interface ManualLeadForm {
  first_name?: string;
  last_name?: string;
  phone?: string;
  email?: string;
  source_detail?: string;
  /** The operator saw the existing lead and adds this one all the same ("ajouter quand même"). */
  confirmDuplicate?: boolean | string;
}

type Field = Exclude<keyof ManualLeadForm, 'confirmDuplicate'>;

/** Most characters of each text field. */
const LIMITS: Record<Field, number> = { first_name: 100, last_name: 100, phone: 40, email: 254, source_detail: 200 };

/**
 * Records a manual lead. A phone or an email is required. A duplicate phone or email is shown
 * BEFORE anything is written (field `confirmDuplicate`: who already exists); the operator may
 * then add it all the same (`confirmDuplicate: true`), as they may know better.
 */
export function addManualLead(ctx: Ctx, form: unknown): ActionResult<{ leadId: string; duplicates: string[] }> {
  const input = asRecord(form);
  if (!input) return refused(FR.manualLead.badForm);
  const problem = (field: Field, p: InputProblem) => refused(FR.input.error(p, FR.labels[field], LIMITS[field]), field);

  const names: Partial<Record<Field, string>> = {};
  for (const field of ['first_name', 'last_name', 'source_detail'] as const) {
    const checked = checkText(input[field], { required: field === 'source_detail', max: LIMITS[field] });
    if (!checked.ok) return problem(field, checked.problem);
    names[field] = checked.value;
  }
  const rawPhone: Checked<string> = typeof input.phone === 'number' ? { ok: true, value: String(input.phone) } : checkText(input.phone, { required: false, max: LIMITS.phone });
  if (!rawPhone.ok) return problem('phone', rawPhone.problem);
  let phone = '';
  if (rawPhone.value !== '') {
    const parsed = normalizePhone(rawPhone.value);
    if (!parsed.ok) return refused(FR.manualLead.badPhone, 'phone');
    phone = parsed.e164;
  }
  const email = checkEmail(input.email);
  if (!email.ok) return email.problem === 'invalid' ? refused(FR.manualLead.badEmail, 'email') : problem('email', email.problem);
  if (!phone && !email.value) return refused(FR.manualLead.contactRequired, 'phone');

  const leads = ctx.table(LEADS);
  const warnings: string[] = [];
  const duplicates = new Map<string, Lead>();
  if (phone) {
    for (const r of leads.findRows('phone', phone)) {
      const same = leads.readRow(r);
      duplicates.set(same.id, same);
    }
    if (isOptedOut(ctx, phone)) warnings.push(FR.manualLead.optedOut);
  }
  if (email.value) {
    // Emails are stored lower-case; the search ignores case all the same, for rows typed by hand.
    for (const r of leads.findRows('email', email.value, false)) {
      const same = leads.readRow(r);
      duplicates.set(same.id, same);
    }
  }
  const confirmed = input.confirmDuplicate === true || input.confirmDuplicate === 'true' || input.confirmDuplicate === '1';
  if (duplicates.size && !confirmed) {
    const shown = [...duplicates.values()].map((l) =>
      FR.manualLead.existing(leadName(l), phoneFr(l.phone), l.email, LEAD_STATUS_FR[l.status] ?? l.status, l.created_at ? formatParis(l.created_at, 'dd/MM/yyyy') : ''),
    );
    return refused(FR.manualLead.duplicateFound(shown), 'confirmDuplicate');
  }

  const lead = newLead(ctx, {
    source: 'manual',
    fb_lead_id: 'MANUAL',
    first_name: names.first_name ?? '',
    last_name: names.last_name ?? '',
    phone,
    email: email.value,
    notes: FR.notes.manual(names.source_detail ?? ''),
  });
  leads.append([lead]);
  countLead(ctx, lead.id);
  return done([FR.manualLead.created(leadName(lead)), ...warnings].join(' '), { leadId: lead.id, duplicates: [...duplicates.keys()] });
}
