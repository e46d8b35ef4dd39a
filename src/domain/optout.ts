/**
 * The signed opt-out link that every SMS to a lead carries: an alphanumeric sender cannot receive
 * a STOP reply in France. The signature is an HMAC of the lead id, so nobody can opt out someone else.
 */

/** Computes an HMAC-SHA256 and returns it base64url-encoded (Utilities in Apps Script). */
export type Hmac = (message: string, key: string) => string;

/** Characters of the signature kept in the link: 72 bits, enough against guessing, short for the SMS. */
const SIGNATURE_LENGTH = 12;

/** The signature of a lead id. */
export function optOutSignature(leadId: string, secret: string, hmac: Hmac): string {
  return hmac(`optout:${leadId}`, secret).replace(/=+$/, '').slice(0, SIGNATURE_LENGTH);
}

/** The opt-out URL of a lead, on the web app (`source=optout`, no webhook token: it goes to the lead). */
export function optOutUrl(webAppUrl: string, leadId: string, secret: string, hmac: Hmac): string {
  const id = leadId.replace(/^lead_/, '');
  return `${webAppUrl}?source=optout&l=${encodeURIComponent(id)}&s=${optOutSignature(leadId, secret, hmac)}`;
}

/** The lead id of a link's `l` parameter, or null if the signature does not match (compared in full). */
export function verifyOptOut(l: unknown, s: unknown, secret: string, hmac: Hmac): string | null {
  if (typeof l !== 'string' || typeof s !== 'string' || !/^[0-9]{1,20}(-[0-9]{1,4})?$/.test(l)) return null;
  const leadId = `lead_${l}`;
  const expected = optOutSignature(leadId, secret, hmac);
  if (s.length !== expected.length) return null;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ s.charCodeAt(i);
  return diff === 0 ? leadId : null;
}
