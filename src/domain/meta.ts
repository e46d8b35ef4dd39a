/**
 * Meta Lead Ads: the leadgen webhook body (only a hint: ids to fetch) and the lead the Graph API
 * returns (`GET /{leadgen_id}` or `GET /{form_id}/leads`), turned into a lead for the Sheet.
 * Ids stay strings: ad and campaign ids have 18 digits, beyond a JS number's precision.
 */
import * as v from 'valibot';
import { normalizePhone, type Phone } from './phone';
import { fail, ok, type Result } from './result';

/** A Graph id: digits, as a string (the documentation's samples send numbers: accepted when exact). */
const GraphId = v.union([
  v.pipe(v.string(), v.regex(/^\d{1,25}$/)),
  v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER), v.transform(String)),
]);

const LeadgenChange = v.object({
  field: v.literal('leadgen'),
  value: v.object({
    leadgen_id: GraphId,
    form_id: v.optional(GraphId),
    page_id: v.optional(GraphId),
    created_time: v.optional(v.number()),
  }),
});

const WebhookBody = v.object({
  object: v.string(),
  entry: v.pipe(
    v.array(v.object({ changes: v.optional(v.array(v.looseObject({ field: v.string() }))) })),
    v.maxLength(1000),
  ),
});

/** A leadgen notification: which lead to fetch. */
export interface LeadgenRef {
  leadgenId: string;
  formId: string;
}

/** The leadgen ids of a webhook body; other fields' changes are skipped. */
export function leadgenRefs(body: unknown): Result<LeadgenRef[]> {
  const parsed = v.safeParse(WebhookBody, body);
  if (!parsed.success) return fail('invalid_body');
  const refs: LeadgenRef[] = [];
  for (const entry of parsed.output.entry) {
    for (const change of entry.changes ?? []) {
      if (change.field !== 'leadgen') continue;
      const c = v.safeParse(LeadgenChange, change);
      if (!c.success) return fail('invalid_leadgen_change');
      refs.push({ leadgenId: c.output.value.leadgen_id, formId: c.output.value.form_id ?? '' });
    }
  }
  return refs.length ? ok(refs) : fail('no_leadgen_change');
}

const FieldData = v.object({ name: v.pipe(v.string(), v.maxLength(200)), values: v.array(v.unknown()) });

/**
 * A form answer as the operator reads it in the lead's notes: Meta gives the question's key and
 * the option's key (`type_de_projet: rénovation_cuisine`), shown as `Type de projet : rénovation cuisine`.
 */
export function readableAnswer(key: string, value: string): string {
  const words = (s: string) => s.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
  const question = words(key);
  return `${question.charAt(0).toUpperCase()}${question.slice(1)} : ${words(value)}`;
}

/** The part of a Graph lead we read (fields=id,created_time,form_id,ad_id,campaign_id,campaign_name,field_data). */
export const GraphLead = v.looseObject({
  id: GraphId,
  created_time: v.string(),
  form_id: v.optional(GraphId),
  ad_id: v.optional(v.string()),
  campaign_id: v.optional(v.string()),
  campaign_name: v.optional(v.string()),
  field_data: v.pipe(v.array(FieldData), v.maxLength(200)),
});

/** A page of `GET /{form_id}/leads`. */
export const GraphLeadPage = v.object({
  data: v.array(v.unknown()),
  paging: v.optional(v.looseObject({ cursors: v.optional(v.looseObject({ after: v.optional(v.string()) })), next: v.optional(v.string()) })),
});

/** A lead as the Sheet records it, before it gets its id. */
export interface LeadDraft {
  fbLeadId: string;
  createdAt: Date;
  firstName: string;
  lastName: string;
  phone: Phone;
  email: string;
  /** Other answers of the form, `question: answer`, one per line. */
  answers: string[];
  /** Where the lead came from (Leads.campaign_id…form_id): empty for an organic lead or a test. */
  origin: LeadOrigin;
}

/** The ad a Meta lead answered (the Lead object's fields, asked in the same Graph fetch). */
export interface LeadOrigin {
  campaign_id: string;
  campaign_name: string;
  ad_id: string;
  form_id: string;
}

/** An id as the Sheet keeps it: digits only, else empty (an organic lead has no ad). */
const idOrEmpty = (id: string | undefined): string => (id !== undefined && /^\d{1,25}$/.test(id) ? id : '');

/** Builds the lead from the Graph API's answer. */
export function leadFromGraph(json: unknown): Result<LeadDraft> {
  const parsed = v.safeParse(GraphLead, json);
  if (!parsed.success) return fail('invalid_lead');
  const lead = parsed.output;
  const fields = new Map<string, string>();
  const answers: string[] = [];
  for (const f of lead.field_data) {
    const value = f.values.map((x) => String(x)).join(', ');
    const name = f.name.toLowerCase();
    if (['full_name', 'first_name', 'last_name', 'phone_number', 'email'].includes(name)) fields.set(name, value.trim());
    else answers.push(readableAnswer(f.name, value));
  }
  const createdAt = parseGraphTime(lead.created_time);
  if (!createdAt) return fail('invalid_created_time');
  const [first, last] = fields.has('first_name') || fields.has('last_name')
    ? [fields.get('first_name') ?? '', fields.get('last_name') ?? '']
    : splitFullName(fields.get('full_name') ?? '');
  return ok({
    fbLeadId: lead.id,
    createdAt,
    firstName: first,
    lastName: last,
    phone: normalizePhone(fields.get('phone_number') ?? ''),
    email: (fields.get('email') ?? '').toLowerCase(),
    answers,
    origin: {
      campaign_id: idOrEmpty(lead.campaign_id),
      campaign_name: (lead.campaign_name ?? '').slice(0, 500),
      ad_id: idOrEmpty(lead.ad_id),
      form_id: idOrEmpty(lead.form_id),
    },
  });
}

/** SPEC §1: a full name gives its first word as first name and the rest as last name. */
export function splitFullName(full: string): [string, string] {
  const words = full.trim().split(/\s+/).filter(Boolean);
  return [words[0] ?? '', words.slice(1).join(' ')];
}

/** Graph times look like `2026-09-01T09:12:00+0000`. */
export function parseGraphTime(s: string): Date | null {
  const iso = s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const d = new Date(iso);
  return isNaN(d.getTime()) ? null : d;
}
