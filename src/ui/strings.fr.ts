/**
 * Every French text the operator or a client reads: menu labels, Config descriptions, reports.
 * Nothing in French is written inline elsewhere.
 */
import type { ConfigKey } from '../domain/config';
import type { InputProblem } from '../domain/input';
import { MAX_LEADS_LIMIT } from '../domain/capacity';

/** `1 lead`, `2 leads`: a count with its noun, French plural. */
function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n > 1 ? many : word}`;
}

/** `aucune campagne mise`, `1 campagne mise`, `2 campagnes mises`: a count that reads well at zero. */
function count(n: number, word: string, many: string, none: string): string {
  return n === 0 ? none : plural(n, word, many);
}

/** Graph failures of a campaign action, appended to its message: which campaigns, what Meta's answer means. */
function campaignFailures(failed: ReadonlyArray<{ id: string; error: string }>): string {
  if (!failed.length) return '';
  // Grouped by what the failure means: two campaigns refused for the same outage read once.
  const byProblem = new Map<string, string[]>();
  for (const f of failed) byProblem.set(providerProblem(f.error), [...(byProblem.get(providerProblem(f.error)) ?? []), f.id]);
  const parts = [...byProblem].map(([problem, ids]) => `Échec pour ${ids.join(', ')} : ${problem.replace(/\.$/, '')}.`);
  return ` ${parts.join(' ')} Meta n'a rien changé pour ${failed.length > 1 ? 'ces campagnes' : 'cette campagne'} : faites-le dans Ads Manager si besoin (détail dans la colonne last_error d'Ads_Control).`;
}

/** The key of each provider, for a refused key. */
const PROVIDER_NAMES: Record<string, { name: string; key: string }> = {
  stripe: { name: 'Stripe', key: 'STRIPE_SECRET_KEY' },
  graph: { name: 'Meta', key: 'FB_ACCESS_TOKEN' },
  twilio: { name: 'Twilio', key: 'TWILIO_AUTH_TOKEN' },
};

/** A provider's HTTP answer: what it means and what to do (the connection test says the same). */
function httpProblem(provider: string, status: number, keyName: string): string {
  return status === 401 || status === 403
    ? `${provider} refuse la clé (erreur ${status}) : vérifiez la propriété ${keyName} (Paramètres du projet › Propriétés du script).`
    : status === 404
      ? `${provider} ne trouve pas ce compte (erreur 404) : vérifiez l'identifiant dans la propriété ${keyName}.`
      : status === 429
        ? `${provider} limite les appels pour le moment (erreur 429) : réessayez dans une minute.`
        : status >= 500
          ? `${provider} est indisponible pour le moment (erreur ${status}) : rien à changer de votre côté, réessayez dans quelques minutes.`
          : `${provider} a répondu par une erreur ${status} : vérifiez la propriété ${keyName}, puis réessayez.`;
}

/**
 * Any provider failure as the adapters word it (`graph 503: …`, `twilio 400: …`, `stripe: <network>`),
 * as the operator reads it: what it means and what to do. The raw answer stays in the logs and
 * the tabs' error columns. Text that is not a provider failure is returned as is.
 */
export function providerProblem(raw: string): string {
  const m = /^(stripe|graph|twilio)(?: (\d{3}))?:\s*/.exec(raw);
  if (!m) return raw;
  const { name, key } = PROVIDER_NAMES[m[1]];
  if (/ is not set/.test(raw)) return `La propriété ${key} n'est pas renseignée : ajoutez-la (Paramètres du projet › Propriétés du script).`;
  if (m[1] === 'stripe') return stripeProblem(raw);
  if (!m[2]) return `${name} est injoignable (réseau) : réessayez dans quelques minutes.`;
  const status = Number(m[2]);
  if (m[1] === 'graph' && /\[code 190\b/.test(raw)) return `Le jeton Meta a expiré ou a été révoqué : renouvelez ${key} (Paramètres du projet › Propriétés du script).`;
  if (m[1] === 'graph' && /\[code 100\b/.test(raw))
    return "Meta ne connaît pas cet identifiant (ou ce compte n'y a pas accès) : vérifiez-le dans Ads Manager et dans l'onglet Ads_Control.";
  if (m[1] === 'twilio' && status === 400) return "Twilio refuse cet envoi (erreur 400 : numéro invalide ou non autorisé) : vérifiez le numéro du lead, ou appelez-le.";
  return httpProblem(name, status, key);
}

/** An amount in euros, French style: `49,90 €`. */
export function euros(amount: number): string {
  return `${new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount).replace(/[\u202f\u00a0]/g, ' ')} €`;
}

/**
 * A number the French way, through Intl (Apps Script's V8 has it): `1 234,5`. Intl puts a narrow
 * no-break space before `%` and between thousands; the texts use a plain space everywhere else,
 * so it is plain here too (and a test can type it).
 */
export function numberFr(n: number, maxDecimals = 1, minDecimals = 0): string {
  return new Intl.NumberFormat('fr-FR', { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals }).format(n).replace(/[\u202f\u00a0]/g, ' ');
}

/** A percentage given in percent (76.7 → `76,7 %`), through Intl. */
export function percentFr(pct: number): string {
  return new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 }).format(pct / 100).replace(/[\u202f\u00a0]/g, ' ');
}

/** Incident types as the operator reads them (the tab keeps the code). */
const INCIDENT_TYPES: Record<string, string> = {
  capacity_overflow: 'capacité dépassée',
  ads_not_paused: 'publicités non arrêtées',
  ads_pause_failed: 'pause de campagne refusée',
  ads_resume_failed: 'relance de campagne refusée',
  backup_failed: 'sauvegarde impossible',
  event_failure: 'événement en échec',
  webhook_failure: 'webhook Stripe manqué',
  payment_failed: 'paiements échoués',
  sms_failure: 'SMS non envoyé',
  optout_breach: 'SMS après désinscription',
  stripe_sync: 'écart avec Stripe',
  routine_failure: 'routine en échec',
  gdpr_erasure: 'effacement RGPD',
  event_given_up: 'événements abandonnés',
  payment_dispute: 'litige bancaire',
  provider_failure: 'service extérieur en panne',
};

/** Stripe's event types as the operator reads them (the Events tab keeps the code). */
const STRIPE_EVENT_FR: Record<string, string> = {
  'checkout.session.completed': 'paiement par lien de paiement',
  'checkout.session.async_payment_succeeded': 'prélèvement différé réussi',
  'checkout.session.async_payment_failed': 'prélèvement différé refusé',
  'invoice.payment_failed': 'paiement échoué',
  'invoice.paid': 'facture payée',
  'customer.subscription.updated': 'abonnement modifié',
  'customer.subscription.deleted': 'abonnement résilié',
  'customer.source.expiring': 'carte bientôt expirée',
  'charge.refunded': 'remboursement',
  'charge.dispute.created': 'litige bancaire',
};

/** A Stripe event type in French (an unknown type is shown as is). */
export function stripeEventFr(type: string): string {
  return STRIPE_EVENT_FR[type] ?? type;
}

/** Stripe's dispute reasons, as the operator reads them (an unknown one as is). */
const DISPUTE_REASON_FR: Record<string, string> = {
  bank_cannot_process: 'la banque ne peut pas traiter le paiement',
  check_returned: 'chèque retourné',
  credit_not_processed: 'remboursement promis non reçu',
  customer_initiated: 'contestation du client',
  debit_not_authorized: 'prélèvement non autorisé',
  duplicate: 'paiement en double',
  fraudulent: 'paiement non reconnu (fraude)',
  general: 'motif général',
  incorrect_account_details: 'coordonnées bancaires erronées',
  insufficient_funds: 'provision insuffisante',
  product_not_received: 'service non reçu',
  product_unacceptable: 'service non conforme',
  subscription_canceled: 'abonnement résilié',
  unrecognized: 'paiement non reconnu',
};
const disputeReason = (reason: string): string => (reason ? (DISPUTE_REASON_FR[reason] ?? reason) : 'non précisé');

/** Config payment_suspension's values, as the Leads notes say them. */
const SUSPENSION_FR: Record<string, string> = {
  cancel_subscription: 'abonnement résilié dans Stripe',
  pause_collection: 'facturation suspendue dans Stripe',
  none: 'rien changé dans Stripe',
};

/** An incident type in French (an unknown code is shown as is). */
export function incidentType(type: string): string {
  return INCIDENT_TYPES[type] ?? type;
}

/** Severity and status words of an incident. */
export const SEVERITY_FR: Record<string, string> = { high: 'gravité haute', medium: 'gravité moyenne', low: 'gravité basse' };
export const INCIDENT_STATUS_FR: Record<string, string> = { open: 'ouvert', investigating: 'en cours', resolved: 'résolu' };
/** A lead's status as the operator reads it (the Leads tab keeps SPEC's codes). */
export const LEAD_STATUS_FR: Record<string, string> = { new: 'nouveau', contacted: 'contacté', converted: 'client', rejected: 'rejeté', opted_out: 'désinscrit des SMS' };
/** Journal statuses, counted in the morning email. */
export const EVENT_STATUS_FR: Record<string, string> = { processed: 'traités', duplicate: 'en double', ignored: 'ignorés', failed: 'en échec', received: 'en attente' };
/** The same statuses for one event (a replay's answer; a count of 0 or 1: « 1 ignoré »). */
const EVENT_STATUS_ONE_FR: Record<string, string> = { processed: 'traité', duplicate: 'en double', ignored: 'ignoré', failed: 'en échec', received: 'en attente' };
/** A time-driven function as the operator reads it (an unknown name as is). */
function routineLabel(name: string): string {
  return ROUTINE_LABELS[name] ?? name;
}

/** The routines' names as the operator reads them (Sirrius › Lancer maintenant says the same). */
const ROUTINE_LABELS: Record<string, string> = {
  routineMorning: 'Routine du matin (9h)',
  routineNoon: 'Point capacité (12h)',
  routineAfternoon: "Liste d'appels (15h)",
  routineEvening: 'Bilan du soir (18h)',
  reconcile: 'Synchronisation (webhooks manqués)',
  archive: 'Archivage de la nuit (3h)',
};

/**
 * A phone as a person reads it: a French number as `06 12 34 56 78`, another country's as
 * `+44 7700 900123` (grouped by the caller), anything else as given.
 */
export function phoneFr(phone: string): string {
  const p = String(phone ?? '').trim();
  const fr = /^\+33([1-9])(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(p);
  return fr ? `0${fr[1]} ${fr[2]} ${fr[3]} ${fr[4]} ${fr[5]}` : p;
}

/**
 * A day of capacity in one line, the same wherever it is shown (sidebar, messages, Dashboard), so
 * that two places never disagree: at exactly the maximum the day is "maximum atteint" (SPEC's
 * `warning`), beyond it "complet" (`full`).
 */
function capacityLine(current: number, max: number, pct: number, status: string): string {
  const label = status === 'full' ? `complet, ${current - max} de trop` : current >= max ? 'maximum atteint' : status === 'warning' ? 'alerte' : 'ouvert';
  return `${plural(current, 'lead accepté', 'leads acceptés')} sur ${max} (${percentFr(pct)}) : ${label}`;
}

/** Meta's effective_status of a campaign, in French (an unknown code is shown as is). */
const CAMPAIGN_STATUS_FR: Record<string, string> = {
  ACTIVE: 'diffuse',
  PAUSED: 'en pause',
  CAMPAIGN_PAUSED: 'en pause',
  ADSET_PAUSED: 'ensemble de publicités en pause',
  DELETED: 'supprimée',
  ARCHIVED: 'archivée',
  IN_PROCESS: 'en traitement chez Meta',
  WITH_ISSUES: 'bloquée par un problème chez Meta',
  DISAPPROVED: 'refusée par Meta',
  PENDING_REVIEW: 'en cours de vérification par Meta',
  PENDING_BILLING_INFO: 'en attente des informations de paiement',
};
export function campaignStatusFr(status: string): string {
  return CAMPAIGN_STATUS_FR[status] ?? status;
}

/** A Stripe subscription status, in French. */
const SUBSCRIPTION_STATUS_FR: Record<string, string> = {
  active: 'actif',
  canceled: 'résilié',
  incomplete: 'incomplet',
  incomplete_expired: 'expiré avant le premier paiement',
  past_due: 'en retard de paiement',
  unpaid: 'impayé',
  paused: 'suspendu',
  trialing: "en période d'essai",
  introuvable: 'introuvable dans Stripe',
};
export function subscriptionStatusFr(status: string): string {
  return SUBSCRIPTION_STATUS_FR[status] ?? status;
}

/** Names for a decision: the first `max` names, then how many others: `total` counts them all when `names` holds only some. */
function someNames(names: readonly string[], max = 8, total = names.length): string {
  const shown = names.slice(0, max);
  const others = Math.max(total, names.length) - shown.length;
  return others <= 0 ? shown.join(', ') : `${shown.join(', ')} et ${others} autre${others > 1 ? 's' : ''}`;
}

/**
 * A Stripe failure as the operator reads it: what it means and what to do (the raw answer, e.g.
 * "stripe 404: No such event: 'evt_…'", stays in the logs and the journal).
 */
function stripeProblem(raw: string): string {
  const id = /'((?:evt|cus|sub|in)_[A-Za-z0-9]+)'/.exec(raw)?.[1] ?? '';
  if (/^stripe 404/.test(raw) || /No such /.test(raw)) {
    if (/No such event/.test(raw)) return `Stripe ne connaît pas cet événement${id ? ` (${id})` : ''} : vérifiez l'identifiant dans Stripe › Développeurs › Événements (Stripe ne garde les événements que 30 jours).`;
    if (/No such customer/.test(raw)) return `Stripe ne connaît pas ce client${id ? ` (${id})` : ''} : vérifiez l'identifiant dans Stripe › Clients.`;
    return `Stripe ne trouve pas cet élément${id ? ` (${id})` : ''} : vérifiez l'identifiant dans le tableau de bord Stripe.`;
  }
  if (/^stripe 40[13]/.test(raw)) return 'Stripe refuse la clé : vérifiez la propriété STRIPE_SECRET_KEY (Paramètres du projet › Propriétés du script).';
  if (/^stripe 429/.test(raw)) return 'Stripe limite les appels pour le moment : réessayez dans une minute.';
  if (/^stripe 5\d\d/.test(raw)) return 'Stripe est indisponible pour le moment : rien à changer de votre côté, réessayez dans quelques minutes.';
  if (!/^stripe \d{3}/.test(raw)) return "Stripe est injoignable pour le moment (réseau) : réessayez dans quelques minutes.";
  return `Stripe a refusé la demande (${raw.replace(/^stripe (\d{3}):\s*/, 'erreur $1 : ')}) : vérifiez l'identifiant saisi, puis réessayez.`;
}

export const FR = Object.freeze({
  menu: {
    title: 'Sirrius',
    setup: 'Installer / mettre à jour',
  },

  config: {
    max_leads_per_day: 'Nombre maximum de leads acceptés par jour (capacité).',
    capacity_alert_pct: "Seuil d'alerte de capacité, en % (SMS et e-mail à l'opérateur).",
    capacity_pause_pct: 'Seuil de pause automatique des campagnes Facebook, en %.',
    capacity_resume_next_day: 'Relancer le lendemain les campagnes mises en pause pour capacité (TRUE/FALSE).',
    payment_max_failures: 'Nombre de paiements échoués avant de suspendre le service et passer le lead au statut « rejected » (rejeté).',
    payment_suspension:
      "Suspension dans Stripe après trop d'échecs : « cancel_subscription » (résilier), « pause_collection » (suspendre la facturation) ou « none » (rien).",
    objective_leads_per_day: 'Objectif de leads reçus par jour.',
    objective_conversions_per_day: 'Objectif de conversions par jour.',
    objective_mrr_per_day: 'Objectif de MRR ajouté par jour, en euros.',
    sms_hours_start: 'Heure (Paris) à partir de laquelle les SMS aux leads peuvent partir.',
    sms_hours_end: 'Heure (Paris) à partir de laquelle les SMS attendent le lendemain.',
    sms_days: 'Jours où les SMS partent (lun,mar,mer,jeu,ven,sam,dim).',
    sms_optout_mode: "Mention de désinscription des SMS : « lien » (lien signé) ou « stop » (« Répondez STOP », si l'expéditeur reçoit les réponses).",
    sms_template: 'Texte du SMS envoyé à chaque nouveau lead ({prenom} est remplacé ; la mention de désinscription est ajoutée).',
    sms_max_attempts: "Nombre d'essais d'envoi d'un SMS avant d'ouvrir un incident.",
    events_retention_days: "Durée de conservation des journaux Events et Messages dans le classeur, en jours (plus longue que les relances de Stripe et Meta) ; ensuite ils passent dans l'archive.",
    backup_keep: 'Nombre de sauvegardes quotidiennes du classeur à garder.',
    archive_after_days: 'Âge, en jours, après lequel un lead clos est archivé.',
    archive_spreadsheet_url: "Classeur d'archives de l'année (créé et renseigné par l'archivage quotidien, 3h) : leads clos et journaux anciens y sont déplacés. Opt_Outs reste toujours ici.",
    contact_email: "Adresse de contact montrée sur les pages publiques (désinscription des SMS) ; vide : ALERT_EMAIL.",
    prospect_retention_months:
      "RGPD : un prospect (jamais client) est supprimé, avec ses messages et son journal, après ce nombre de mois sans action de sa part (formulaire, réponse, paiement, désinscription).",
    client_retention_months: "RGPD : un ancien client est supprimé après ce nombre de mois depuis la fin de son abonnement.",
    duplicate_window_days:
      "Fenêtre, en jours, pendant laquelle un second formulaire de la même personne (même téléphone ou e-mail) est noté sur son lead existant, sans nouveau SMS ni nouveau comptage (0 : désactivé).",
  } satisfies Record<ConfigKey, string>,

  sms: {
    optOutLink: (url: string) => `STOP SMS : ${url}`,
    replyStop: 'Répondez STOP pour ne plus recevoir de SMS.',
    notSent: "L'exécution s'est arrêtée avant l'envoi (Twilio n'a rien reçu) : nouvel essai.",
    /** Starts the error of a send whose outcome is unknown (a timeout): settled with Twilio's list before any new try. */
    outcomeUnknown: 'Issue inconnue (Twilio a pu recevoir le SMS) : ',
  },

  notes: {
    manual: (detail: string) => `Lead manuel - source: ${detail}`,
    optOut: (date: string, reason: string) => `STOP SMS - date: ${date} - raison: ${reason}`,
    phoneUnparsed: (raw: string) => `Téléphone non reconnu, gardé tel quel : « ${raw} »`,
    smsReceived: (date: string, body: string) => `SMS reçu le ${date} : « ${body} »`,
    startIgnored: (word: string) => `« ${word} » reçu : ne réabonne pas ce numéro, désinscrit chez nous (SOP OK #2 : jamais de nouveau SMS).`,
    optedOutNoSms: 'Numéro désinscrit (Opt_Outs) : aucun SMS envoyé.',
    /** A second form from the same person (issue 17 item 5): the leadgen id makes a retry find it written. */
    formAgain: (date: string, leadgenId: string, answers: string[]) =>
      [`Nouveau formulaire le ${date} (lead Meta ${leadgenId}) : même personne, ni SMS ni comptage.`, ...answers].join('\n'),
  },

  reasons: {
    stopReply: 'réponse STOP',
    optOutLink: 'lien de désinscription',
    statusByHand: 'statut « opted_out » saisi à la main',
    typedRow: 'saisi à la main dans Opt_Outs',
    providerRefused: 'Twilio refuse ce numéro (désinscrit chez Twilio, erreur 21610)',
    eveningControl: 'contrôle du soir : lead « opted_out » absent de Opt_Outs',
  },

  incidents: {
    webhooksRecovered: (events: string[]) =>
      `Webhooks Stripe non reçus : ${events.length === 1 ? '1 événement rattrapé' : `${events.length} événements rattrapés`} par la synchronisation : ${events.slice(0, 5).join(', ')}${events.length > 5 ? ', …' : ''}. Vérifiez l'endpoint dans Stripe › Développeurs › Webhooks.`,
    smsFailure: (who: string, error: string) => `SMS non envoyé à ${who} après plusieurs essais : ${providerProblem(error.replace(/^Issue inconnue \(Twilio a pu recevoir le SMS\) : /, ''))}`,
    eventFailure: (source: string, id: string, error: string) => `Événement ${source} ${id} en échec après plusieurs essais : ${error}`,
    /** What waits while a provider, MailApp or the Sheet fails, by event source. */
    waiting: (source: string) =>
      source === 'facebook' ? 'les leads attendent' : source === 'stripe' ? 'les événements Stripe attendent' : source === 'sms' ? 'les SMS reçus attendent' : 'le travail attend',
    /** One incident per cause (not per event): what is wrong, in the operator's words. */
    cause: (kind: string, provider: string, waiting: string) => {
      const name = provider === 'graph' ? 'Meta' : provider === 'stripe' ? 'Stripe' : provider === 'twilio' ? 'Twilio' : 'Le service';
      if (kind === 'auth')
        return provider === 'graph'
          ? `Jeton Meta expiré : ${waiting} (renouvelez FB_ACCESS_TOKEN)`
          : provider === 'stripe'
            ? `Clé Stripe refusée : ${waiting} (vérifiez STRIPE_SECRET_KEY)`
            : `Identifiants Twilio refusés : ${waiting} (vérifiez TWILIO_AUTH_TOKEN)`;
      if (kind === 'throttled') return `${name} limite nos appels : ${waiting}, nouvel essai automatique`;
      if (kind === 'unavailable') return `${name} injoignable depuis plus d'une heure : ${waiting}, nouvel essai automatique`;
      if (kind === 'mail_quota') return `Quota d'e-mails du jour atteint : ${waiting}, renvoi automatique demain`;
      if (kind === 'sheet') return `Onglet ou colonne introuvable dans la feuille : ${waiting} (rétablissez le nom, ou Sirrius › Installer / mettre à jour)`;
      return `Échecs répétés depuis plus d'une heure : ${waiting}`;
    },
    withDetail: (title: string, detail: string) => `${title} — ${detail.slice(0, 200)}`,
    givenUp: (source: string, hours: number) =>
      `${source === 'facebook' ? 'Leads Meta' : source === 'stripe' ? 'Événements Stripe' : 'SMS reçus'} abandonnés après ${hours} h d'échecs : réparez la cause puis relancez-les (${source === 'facebook' ? 'Sirrius › Rejouer un événement Stripe, partie « Rejouer des leads Meta »' : source === 'stripe' ? 'Sirrius › Rejouer un événement Stripe' : 'Sirrius › Lancer maintenant › Synchronisation'})`,
    reconcileFailed: (step: string, error: string) => `La synchronisation automatique échoue (${step}) : ${error.slice(0, 200)}`,
    alertSubject: (title: string) => `[Sirrius] Incident : ${title}`,
    alertBody: (title: string, type: string, ref: string, decision = '') => {
      // A day reads 23/11/2026 (a day's digest, "stripe-webhooks-2026-11-23", too); an internal key
      // ("stripe:unavailable", "+336…@2026-11-23T09:00:00.000Z") says nothing the title does not: left out.
      const day = /^(?:stripe-webhooks-)?(\d{4})-(\d{2})-(\d{2})$/.exec(ref);
      const shown = day ? `${day[3]}/${day[2]}/${day[1]}` : /^[a-z]+:[a-z_]+$|^\+\d+@\d{4}-/.test(ref) ? '' : ref;
      return `Un incident de gravité haute vient d'être ouvert.\n\n${title}\nType : ${incidentType(type)}\n${shown ? `Référence : ${shown}\n` : ''}\n${decision ? `À décider : ${decision}\n\n` : ''}Ouvrez l'onglet Incidents (ou Sirrius › Incidents) pour le suivre.`;
    },
  },

  inbound: {
    subject: (from: string) => `[Sirrius] SMS reçu de ${phoneFr(from)}`,
    body: (from: string, text: string, leads: string[], startIgnored = false) =>
      `Un SMS est arrivé de ${phoneFr(from)} :\n\n« ${text} »\n\n${leads.length ? `${leads.length > 1 ? 'Leads' : 'Lead'} : ${leads.join(', ')}.` : 'Aucun lead connu avec ce numéro.'}${
        startIgnored ? "\n\nCe numéro s'est désinscrit : un mot de réabonnement (START, UNSTOP…) ne le réabonne pas chez nous. Il ne recevra plus de SMS automatique." : ''
      }`,
  },

  optOutPage: {
    title: 'Désinscription des SMS Sirrius',
    confirmQuestion: 'Vous ne souhaitez plus recevoir de SMS de Sirrius ?',
    confirmButton: 'Oui, ne plus recevoir de SMS',
    done: 'C\'est fait : vous ne recevrez plus de SMS de Sirrius.',
    invalid: (contact: string) =>
      contact
        ? `Ce lien de désinscription n'est pas valide. Pour ne plus recevoir de SMS, écrivez-nous à ${contact} en indiquant votre numéro.`
        : "Ce lien de désinscription n'est pas valide. Pour ne plus recevoir de SMS, répondez à l'e-mail ou au conseiller qui vous a contacté.",
    unknown: (contact: string) =>
      `Nous ne retrouvons pas le numéro de ce lien : la désinscription n'a pas pu être enregistrée.${contact ? ` Écrivez-nous à ${contact} en indiquant votre numéro, nous le désinscrirons.` : ''}`,
    already: 'Ce numéro est déjà désinscrit : vous ne recevrez plus de SMS de Sirrius.',
    busy: 'Le service est momentanément occupé : merci de réessayer dans une minute.',
  },

  emails: {
    welcome: {
      subject: 'Bienvenue chez Sirrius !',
      body: (name: string) =>
        `Bonjour ${name},\n\nMerci pour votre confiance : votre abonnement Sirrius est actif.\n\nUn conseiller vous contacte très vite pour démarrer. Pour toute question, répondez simplement à cet e-mail.\n\nÀ très bientôt,\nL'équipe Sirrius`,
    },
    paymentFailed: {
      subject: 'Sirrius : votre paiement n\'a pas abouti',
      body: (name: string, link: string) =>
        `Bonjour ${name},\n\nLe dernier paiement de votre abonnement Sirrius n'a pas pu être effectué.${link ? `\n\nVous pouvez régler votre facture ou mettre à jour votre moyen de paiement ici :\n${link}` : '\n\nMerci de vérifier votre moyen de paiement, ou de répondre à cet e-mail si vous avez besoin d\'aide.'}\n\nMerci,\nL'équipe Sirrius`,
    },
    suspended: {
      subject: 'Sirrius : votre service est suspendu',
      body: (name: string, link: string) =>
        `Bonjour ${name},\n\nMalgré plusieurs tentatives, le paiement de votre abonnement Sirrius n'a pas pu être effectué : votre service est suspendu.${link ? `\n\nPour le reprendre, vous pouvez régler votre facture ici :\n${link}\n\nou` : '\n\nPour le reprendre,'} répondez simplement à cet e-mail ou appelez-nous : nous réactivons votre abonnement dès le paiement reçu.\n\nMerci,\nL'équipe Sirrius`,
    },
    cardExpiring: {
      subject: 'Sirrius : votre carte arrive à expiration',
      body: (name: string, expiry: string, link: string) =>
        `Bonjour ${name},\n\nLa carte associée à votre abonnement Sirrius expire fin ${expiry}. Pour éviter toute interruption, vous pouvez la mettre à jour ici :\n${link}\n\nMerci,\nL'équipe Sirrius`,
    },
  },

  stripeNotes: {
    converted: (mrr: string, subscription: string) => `Converti (Stripe) - MRR ${mrr} - abonnement ${subscription}`,
    asyncPaymentFailed: (date: string, session: string) => `Paiement différé (prélèvement) refusé le ${date} - session ${session} : pas de conversion`,
    paymentFailed: (attempt: number, invoice: string) => `Paiement échoué (tentative ${attempt}) - facture ${invoice} - relance envoyée`,
    /** The attempt a note of paymentFailed or suspendedTold records for this invoice (0: none). */
    attemptOf: (line: string, invoice: string) => {
      const m = /^Paiement échoué \(tentative (\d+)\) - facture (\S+) - /.exec(line);
      return m && m[2] === invoice ? Number(m[1]) : 0;
    },
    suspended: (how: string) => `Service suspendu après plusieurs paiements échoués (${SUSPENSION_FR[how] ?? how})`,
    suspendedTold: (attempt: number, invoice: string) => `Paiement échoué (tentative ${attempt}) - facture ${invoice} - client prévenu de la suspension`,
    recovered: (invoice: string) => `Paiement reçu (facture ${invoice}) : compteur d'échecs remis à zéro`,
    pastDue: 'Abonnement en retard de paiement chez Stripe',
    cancelled: (date: string, subscription: string, mrr: string) => `Abonnement résilié le ${date} (${subscription}) : MRR ${mrr}`,
    /** What every cancellation note of a subscription contains (the guard against noting it twice). */
    cancelledMark: (subscription: string) => `(${subscription}) : MRR`,
    refunded: (amount: string, full: boolean, charge: string) => `Remboursement${full ? ' total' : ''} de ${amount} (paiement ${charge})`,
    disputed: (amount: string, reason: string, dispute: string) => `Litige bancaire ouvert : ${amount} contestés (motif : ${disputeReason(reason)}) - ${dispute}`,
    cardExpiring: (expiry: string) => `Carte expirant fin ${expiry} : e-mail de mise à jour envoyé`,
  },

  stripeIncidents: {
    paymentFailed: (name: string, customer: string) => `Paiements échoués répétés : ${name} (${customer}), service suspendu`,
    replayed: (type: string, id: string) => `Webhook Stripe non reçu : ${stripeEventFr(type)} (${id}) rejoué à la main`,
    dispute: (who: string, amount: string, reason: string, due: string) =>
      `Litige bancaire : ${who} conteste ${amount} (motif : ${disputeReason(reason)})${due ? `, répondre dans Stripe avant le ${due}` : ''}`,
  },

  stripeActions: {
    badEventId: 'Indiquez un identifiant d\'événement Stripe (evt_…).',
    alreadyDone: (status: string) => `Cet événement est déjà dans le journal (${EVENT_STATUS_ONE_FR[status] ?? status}) : rien n'a été appliqué une seconde fois.`,
    applied: (type: string) => `Événement Stripe appliqué : ${stripeEventFr(type)}.`,
    notApplied: (reason: string) => `Événement non appliqué : ${reason}`,
    badLeadId: "Choisissez le lead : tapez son nom, son e-mail ou son téléphone, puis « Chercher » (ou son identifiant lead_…).",
    unknownLead: 'Aucun lead avec cet identifiant.',
    badCustomerId: "Ce n'est pas un identifiant de client Stripe complet : copiez-le depuis Stripe › Clients (il commence par cus_, suivi d'au moins 6 lettres ou chiffres, sans espace).",
    noSubscription: "Stripe ne trouve aucun abonnement en cours pour ce client : vérifiez l'identifiant dans Stripe › Clients (le client existe-t-il, et a-t-il un abonnement actif ?), puis réessayez.",
    converted: (name: string, mrr: string) => `Conversion enregistrée pour ${name} : MRR ${mrr}, e-mail de bienvenue envoyé.`,
    convertedNoWelcome: (name: string, mrr: string, hasEmail: boolean) =>
      `Conversion enregistrée pour ${name} : MRR ${mrr}. ${hasEmail ? 'Client déjà accueilli : pas de second e-mail de bienvenue.' : 'Stripe n\'a pas d\'e-mail pour ce client : aucun e-mail de bienvenue envoyé.'}`,
    alreadyConverted: (name: string) => `La conversion de ${name} avec cet abonnement était déjà enregistrée : rien n'a changé.`,
    stripeError: (detail: string) => stripeProblem(detail),
    emailFailed: (detail: string) => `Attention : l'e-mail de bienvenue n'est pas parti (${detail}).`,
  },

  metaActions: {
    badLeadgenId: "Indiquez l'identifiant du lead Meta (des chiffres), ou rien pour relancer tous les leads abandonnés.",
    alreadyDone: (status: string) => `Ce lead Meta est déjà dans le journal (${EVENT_STATUS_ONE_FR[status] ?? status}) : rien n'a été enregistré une seconde fois.`,
    applied: 'Lead Meta enregistré (et texté si son numéro le permet).',
    notApplied: (reason: string) => `Lead Meta non enregistré : ${reason}`,
    replayedAll: (replayed: number, failed: number, left: number) =>
      `${plural(replayed, 'lead Meta relancé', 'leads Meta relancés')}, ${failed} encore en échec${left > 0 ? `, ${plural(left, 'restant', 'restants')} : relancez encore` : ''}.`,
  },

  /** Field names as the operator reads them in error messages. */
  labels: {
    first_name: 'Prénom',
    last_name: 'Nom',
    phone: 'Téléphone',
    email: 'E-mail',
    source_detail: 'Source',
    reason: 'Raison',
    phoneOrLeadId: 'Téléphone ou identifiant du lead',
    leadIdOrPhone: 'Identifiant du lead ou téléphone',
    incidentId: "Identifiant de l'incident",
    search: 'Recherche',
    resolution: 'Résolution',
  },

  input: {
    /** The refusal of a field's value (see domain/input.ts). */
    error: (problem: InputProblem, label: string, max: number): string => {
      switch (problem) {
        case 'type':
          return `${label} : valeur invalide (un texte est attendu).`;
        case 'empty':
          return `${label} : ce champ est obligatoire.`;
        case 'too_long':
          return `${label} : trop long (${max} caractères au plus).`;
        case 'formula':
          return `${label} : ne peut pas commencer par « = » (les formules ne sont pas acceptées).`;
        case 'control':
          return `${label} : contient des caractères invisibles non autorisés.`;
        default:
          return `${label} : valeur non reconnue.`;
      }
    },
  },

  capacity: {
    pauseReason: (pct: number, date: string) => `Capacité atteinte (${percentFr(pct)}) le ${date}`,
    pauseFailed: (id: string, error: string) => `Capacité atteinte : pause impossible de la campagne ${id}. ${providerProblem(error)} Mettez-la en pause dans Ads Manager.`,
    resumeFailed: (id: string, error: string) => `Relance impossible de la campagne ${id} après sa pause pour capacité. ${providerProblem(error)} Relancez-la dans Ads Manager.`,
    overflowTitle: (date: string, current: number, max: number) => `Capacité dépassée le ${date} : ${current} leads pour ${max} au maximum`,
    alertSubject: (pct: number) => `[Sirrius] Capacité du jour à ${percentFr(pct)}`,
    alertBody: (date: string, current: number, max: number, pausePct: number, campaigns: number) =>
      `La capacité du ${date} atteint ${plural(current, 'lead')} sur ${max}.\n\n${
        campaigns > 0
          ? `${campaigns > 1 ? `Les ${campaigns} campagnes Facebook d'Ads_Control seront mises` : "La campagne Facebook d'Ads_Control sera mise"} en pause automatiquement à ${percentFr(pausePct)}.`
          : `Aucune campagne connue dans Ads_Control : les publicités ne seront PAS arrêtées à ${percentFr(pausePct)}. Mettez-les en pause dans Ads Manager, ou ajoutez leurs identifiants dans Ads_Control.`
      } Au-delà du maximum, un incident « capacité dépassée » sera ouvert.\n\nOuvrez l'onglet Capacity pour suivre la journée.`,
    /** The pause step found no campaign to pause: nothing was stopped, and the operator must know it. */
    noCampaignTitle: (date: string, pct: number) =>
      `Capacité à ${percentFr(pct)} le ${date} : aucune campagne connue dans Ads_Control : les publicités ne sont PAS arrêtées`,
    noCampaignDecision:
      'Mettre les campagnes en pause dans Ads Manager, puis ajouter leurs identifiants dans l\'onglet Ads_Control (colonne campaign_id) pour que Sirrius les arrête la prochaine fois.',
    overflowDecision: (max: number) =>
      `Augmenter la capacité du jour (Sirrius › Capacité et publicités › Changer la capacité) si l'équipe peut rappeler tout le monde, sinon rejeter les leads excédentaires (même menu, au-delà de ${plural(max, 'lead')}).`,
    pauseFailedDecision: "Mettre la campagne en pause dans Ads Manager : Meta a refusé la pause, elle diffuse toujours.",
    alertSms: (pct: number, current: number, max: number) => `Sirrius : capacité du jour à ${percentFr(pct)} (${current}/${max} leads).`,
    badMax: `Indiquez un nombre entier de leads entre 1 et ${MAX_LEADS_LIMIT}.`,
    statusLabel: (status: string) => (status === 'full' ? 'complet' : status === 'warning' ? 'alerte' : 'ouvert'),
    /**
     * The day in one line, the same wherever it is shown (sidebar, messages, Dashboard), so that two
     * places never disagree: at exactly the maximum the day is "maximum atteint", beyond it "complet".
     */
    dayLine: (current: number, max: number, pct: number, status: string) => capacityLine(current, max, pct, status),
    maxSet: (max: number, line: string) => `Capacité du jour fixée à ${plural(max, 'lead')}. ${line}.`,
    nothingToReject: "Aucun lead excédentaire aujourd'hui : rien à rejeter.",
    noneRejectable: "Aucun lead nouveau (jamais contacté, hors leads manuels) à rejeter parmi ceux du jour : rien n'a changé.",
    preview: (excess: number, proposed: number) =>
      proposed === excess
        ? `${plural(excess, 'lead', 'leads')} de trop aujourd'hui : ${proposed > 1 ? 'ceux-ci seront rejetés' : 'celui-ci sera rejeté'} (décochez qui garder).`
        : `${plural(excess, 'lead', 'leads')} de trop aujourd'hui ; ${proposed === 0 ? 'aucun' : proposed} ne peut l'être automatiquement (les leads manuels ne sont jamais proposés) : cochez qui rejeter.`,
    badSelection: 'Sélection invalide : cochez des leads de la liste.',
    noneTicked: 'Aucun lead coché : rien à rejeter.',
    notRejectable: "Un des leads cochés n'est plus à rejeter (déjà contacté, traité ou d'un autre jour) : actualisez la liste.",
    rejected: (names: string[], line: string) =>
      `${names.length > 1 ? `${names.length} leads rejetés` : 'Lead rejeté'} : ${names.join(', ')}. ${line}.`,
    rejectedNote: (date: string, max: number) => `Rejeté le ${date} : capacité du jour dépassée (${plural(max, 'lead')} au maximum)`,
  },

  ads: {
    none: "Aucune campagne connue dans l'onglet Ads_Control : les publicités ne sont PAS arrêtées. Ajoutez-y leurs identifiants (colonne campaign_id), ou mettez-les en pause dans Ads Manager.",
    badCampaignId: 'identifiant de campagne invalide (des chiffres uniquement)',
    pausedElsewhere: 'En pause dans Ads Manager (vu à la synchronisation)',
    paused: (n: number, unchanged: number, failed: ReadonlyArray<{ id: string; error: string }>) =>
      `${count(n, 'campagne mise', 'campagnes mises', 'Aucune campagne mise')} en pause${unchanged ? `, ${unchanged} déjà en pause` : ''}.${campaignFailures(failed)}`,
    resumed: (n: number, unchanged: number, failed: ReadonlyArray<{ id: string; error: string }>) =>
      `${count(n, 'campagne relancée', 'campagnes relancées', 'Aucune campagne relancée')}${unchanged ? `, ${unchanged} déjà active${unchanged > 1 ? 's' : ''}` : ''}.${campaignFailures(failed)}`,
    synced: (n: number, failed: ReadonlyArray<{ id: string; error: string }>) =>
      `${count(n, 'campagne synchronisée', 'campagnes synchronisées', 'Aucune campagne synchronisée')} avec Facebook.${campaignFailures(failed)}`,
  },

  manualLead: {
    badForm: "Formulaire invalide : indiquez le prénom, le nom, le téléphone, l'e-mail et la source.",
    badPhone: 'Téléphone : numéro non reconnu. Indiquez un numéro français (06 12 34 56 78) ou international (+33 6…).',
    badEmail: 'E-mail : adresse non valide.',
    contactRequired: 'Indiquez au moins un téléphone ou un e-mail.',
    duplicatePhone: (ids: string[]) => `Attention : un lead existe déjà avec ce téléphone (${ids.join(', ')}).`,
    duplicateEmail: (ids: string[]) => `Attention : un lead existe déjà avec cet e-mail (${ids.join(', ')}).`,
    optedOut: 'Ce numéro est désinscrit des SMS (Opt_Outs) : ne lui envoyez pas de SMS.',
    created: (name: string) => `Lead ajouté : ${name}. Aucun SMS automatique : prenez contact vous-même.`,
    existing: (name: string, phone: string, email: string, status: string, created: string) =>
      `${name} (${[phone, email].filter(Boolean).join(', ')}), ${status}${created ? `, reçu le ${created}` : ''}`,
    duplicateFound: (existing: string[]) =>
      `${existing.length > 1 ? 'Des leads existent déjà' : 'Un lead existe déjà'} avec ce téléphone ou cet e-mail : ${existing.join(' ; ')}. Rien n'a été ajouté : cliquez « Ajouter quand même » si c'est une autre demande.`,
  },

  optOutLead: {
    unknownLead: 'Aucun lead avec cet identifiant.',
    leadWithoutPhone: "Ce lead n'a pas de numéro de téléphone valide : rien à désinscrire.",
    badPhone: 'Indiquez un numéro de téléphone (06 12 34 56 78, +33 6…), ou tapez un nom ou un e-mail puis « Chercher ».',
    reasonUnknown: 'non précisée',
    preview: (phone: string, leads: ReadonlyArray<{ id: string; name: string; status: string }>, already: boolean) => {
      const who = leads.length ? leads.map((l) => `${l.name || l.id} (${LEAD_STATUS_FR[l.status] ?? l.status})`).join(', ') : 'aucun lead connu';
      if (!already) return `Désinscrire le ${phoneFr(phone)} ? Concerne : ${who}. Une désinscription est définitive : vérifiez le numéro, puis confirmez.`;
      const left = leads.filter((l) => l.status !== 'opted_out').length;
      // Already unsubscribed: never ask to unsubscribe it again; only leads not yet marked are left to do.
      return left
        ? `Le ${phoneFr(phone)} est déjà désinscrit des SMS, mais ${plural(left, "lead n'est pas encore marqué", 'leads ne sont pas encore marqués')} « désinscrit ». Concerne : ${who}. Confirmez pour les mettre à jour.`
        : `Le ${phoneFr(phone)} est déjà désinscrit des SMS : il ne recevra plus aucun SMS, rien à faire. Concerne : ${who}.`;
    },
    confirmMismatch: (phone: string) => `La confirmation ne correspond pas au numéro ${phoneFr(phone)} : vérifiez-le et recommencez.`,
    done: (phone: string, n: number) => `Le ${phoneFr(phone)} est désinscrit des SMS ; ${plural(n, 'lead passe', 'leads passent')} au statut « désinscrit ».`,
    already: (phone: string, n: number) => `Le ${phoneFr(phone)} était déjà désinscrit des SMS ; ${plural(n, 'lead mis', 'leads mis')} à jour.`,
  },

  /** findLeads: the lead search of the OK #2 and OK #3 sidebars. */
  search: {
    tooShort: 'Tapez au moins deux lettres du nom, ou un e-mail, un téléphone ou un identifiant de lead.',
    none: 'Aucun lead ne correspond : vérifiez l\'orthographe, ou cherchez par téléphone ou e-mail.',
    found: (shown: number, total: number) =>
      total > shown ? `${total} leads correspondent : voici les ${shown} plus récents. Précisez la recherche si besoin.` : `${plural(total, 'lead correspond', 'leads correspondent')} : choisissez.`,
    button: 'Chercher',
    pick: 'Choisir',
  },

  incidentsAdmin: {
    badId: "Indiquez l'identifiant de l'incident (inc_…).",
    unknown: 'Aucun incident avec cet identifiant.',
    alreadyResolved: "Cet incident est déjà résolu : rien n'a changé.",
    resolved: (title: string) => `Incident résolu : ${title}`,
    badFilter: 'Filtre invalide : status (active, open, investigating, resolved ou all), type (ex. capacity_overflow) et limit (1 à 500).',
    listed: (n: number) => `${plural(n, 'incident')}.`,
  },

  gdpr: {
    unknownLead: 'Aucun lead avec cet identifiant.',
    badTarget: 'Indiquez un identifiant de lead (lead_…) ou un numéro de téléphone.',
    notFound: 'Aucune donnée trouvée pour cette personne.',
    exported: (leads: number, messages: number, optOuts: number, events: number, incidents: number) =>
      `Export : ${plural(leads, 'lead')}, ${plural(messages, 'message')}, ${plural(optOuts, 'désinscription')}, ${plural(events, 'événement')}, ${plural(incidents, 'incident')}.`,
    erased: (leads: number, messages: number, events: number) =>
      `Données effacées : ${plural(leads, 'lead supprimé', 'leads supprimés')}, ${plural(messages, 'message anonymisé', 'messages anonymisés')}, ${plural(events, 'événement anonymisé', 'événements anonymisés')}.`,
    optOutKept: "Le numéro reste bloqué dans Opt_Outs sous forme d'empreinte (illisible) : il ne recevra plus jamais de SMS.",
    exportedArchives: (n: number) => `Archives : ${plural(n, 'ligne', 'lignes')}.`,
    archivesErased: (archives: ReadonlyArray<{ name: string; leads: number; messages: number; events: number }>) =>
      `Archives : ${archives.map((a) => `${a.name} : ${plural(a.leads, 'lead')}, ${plural(a.messages, 'message')}, ${plural(a.events, 'événement')} supprimés`).join(' ; ')}.`,
    backups: (keep: number, date: string) =>
      `Les sauvegardes Drive ne se modifient pas : celles qui contiennent encore cette personne sortent de la rotation (${keep} gardées) puis de la corbeille Drive ; la dernière aura disparu au plus tard le ${date}.`,
    incidentsRedacted: (n: number) => `${plural(n, 'incident anonymisé', 'incidents anonymisés')}.`,
    redactedTitle: 'Incident concernant une personne dont les données ont été effacées (RGPD)',
    stripeLeft: (customers: string[]) => `Le client Stripe (${customers.join(', ')}) n'est pas effacé : faites-le dans Stripe si nécessaire.`,
    logTitle: (leads: number, messages: number, events: number) =>
      `Effacement RGPD : ${plural(leads, 'lead supprimé', 'leads supprimés')}, ${plural(messages, 'message anonymisé', 'messages anonymisés')}, ${plural(events, 'événement anonymisé', 'événements anonymisés')}`,
    logResolution: (optOutKept: boolean) =>
      `Données personnelles effacées à la demande de la personne${optOutKept ? " ; opposition aux SMS conservée dans Opt_Outs sous forme d'empreinte" : ''}.`,
    retentionTitle: (leads: number, messages: number, events: number) =>
      `Durée de conservation (RGPD) : ${plural(leads, 'lead supprimé', 'leads supprimés')}, ${plural(messages, 'message supprimé', 'messages supprimés')}, ${plural(events, 'événement supprimé', 'événements supprimés')}`,
    retentionResolution: (optOuts: number) =>
      `Suppression automatique des données arrivées au terme de leur durée de conservation${optOuts ? ` ; ${plural(optOuts, 'opposition aux SMS gardée', 'oppositions aux SMS gardées')} sous forme d'empreinte` : ''}.`,
  },

  /** The daily routines' emails (src/ui/reports.ts composes them) and notes. */
  routines: {
    footer: 'Message automatique de Sirrius Ops (routines quotidiennes). Les chiffres viennent des onglets du classeur.',
    decisionsTitle: 'À décider',
    nothingToDecide: 'Rien à décider : tout est en ordre.',
    /** The link under each decision: the Sheet, where the Sirrius menu acts. */
    openSheet: 'Ouvrir le classeur (menu Sirrius)',
    names: someNames,
    none: 'Aucun.',
    andMore: (n: number) => `… et ${n} de plus (voir l'onglet Leads).`,
    yes: 'oui',
    no: 'non',
    unknown: 'inconnu',
    never: 'jamais',
    hours: (h: number) => `${h} h`,
    kpiHead: ['Indicateur', 'Résultat', 'Objectif', ''],
    kpiLabels: {
      leads_received: 'Leads reçus',
      sms_sent: 'SMS envoyés',
      leads_contacted: 'Leads contactés',
      leads_converted: 'Conversions',
      conversion_rate: 'Taux de conversion',
      mrr_added: 'MRR ajouté',
      opt_outs: 'Désinscriptions SMS',
      payments_failed: 'Paiements échoués',
      incidents_opened: 'Incidents ouverts dans la journée',
      capacity_used_pct: 'Capacité utilisée',
      sms_delivered: 'SMS reçus par les leads',
      median_minutes_to_contact: 'Délai médian avant appel (min)',
      ad_spend: 'Dépense publicitaire',
      cost_per_lead: 'Coût par lead',
      cost_per_conversion: 'Coût par client',
    },
    met: 'atteint',
    missed: 'non atteint',
    percent: (n: number) => percentFr(n),
    morning: {
      subject: (date: string, decisions: number) => `[Sirrius] Routine du matin ${date} : ${decisions === 0 ? 'rien à décider' : plural(decisions, 'point à décider', 'points à décider')}`,
      title: (date: string) => `Routine du matin – ${date}`,
      kpiTitle: (date: string) => `KPI de la veille (${date})`,
      kpiMissing: (date: string) => `Pas de bilan enregistré pour le ${date} (onglet KPI_Daily) : le bilan de 18 h n'a pas tourné ce jour-là.`,
      kpiFirstDay: (date: string) => `Pas encore de bilan pour le ${date} : le premier bilan sera fait ce soir à 18 h.`,
      campaignsTitle: 'Campagnes (Ads_Control, synchronisées avec Facebook)',
      campaignsHead: ['Campagne', 'Statut Facebook', 'En pause', 'Dernière synchro'],
      noCampaigns: "Aucune campagne connue dans Ads_Control : Sirrius ne peut PAS arrêter les publicités (ajoutez leurs identifiants, colonne campaign_id).",
      syncError: (error: string) => `synchro impossible : ${providerProblem(error)}`,
      capacityTitle: 'Capacité du jour',
      capacity: (current: number, max: number, remaining: number, pct: number, status: string) => `${capacityLine(current, max, pct, status)} ; reste ${remaining}.`,
      leadsTitle: 'Leads',
      newLeads: (n: number) => `Leads nouveaux (jamais contactés) : ${n}.`,
      withoutSms: (n: number) => `Leads nouveaux sans SMS : ${n}.`,
      smsRetried: (n: number) => `SMS relancés ce matin : ${n}.`,
      smsWaiting: (n: number) => `SMS en attente (hors plage d'envoi ou en nouvel essai) : ${n}.`,
      smsBlocked: (n: number) => `Sans SMS possible (numéro désinscrit ou invalide) : ${n}.`,
      priorityTitle: 'Leads prioritaires (nouveaux, moins de 12 h)',
      priorityHead: ['Nom', 'Téléphone', 'Âge', 'SMS'],
      incidentsTitle: 'Incidents ouverts ou en cours',
      incidentsHead: ['Titre', 'Gravité', 'Statut', 'Ouvert le'],
      stripeTitle: 'Stripe (dernières 24 h)',
      stripeEvents: (parts: string) => `Événements Stripe reçus : ${parts || 'aucun'}.`,
      eventStatus: (status: string, n: number) => `${n} ${(n > 1 ? undefined : EVENT_STATUS_ONE_FR[status]) ?? EVENT_STATUS_FR[status] ?? status}`,
      activeSubscriptions: (n: number | null) => `Abonnements actifs : ${n === null ? 'inconnu (Stripe injoignable)' : n}.`,
      failedPayments: (n: number) => `Paiements échoués : ${n}.`,
      failingClients: (names: string) => `Clients en échec de paiement : ${names}.`,
      stripeError: (error: string) => `Stripe n'a pas répondu : ${providerProblem(error)}`,
      decide: {
        priority: (n: number) => `Appeler ${plural(n, 'lead prioritaire', 'leads prioritaires')} (moins de 12 h, Sirrius › Suivi commercial)`,
        incidents: (n: number) => `Traiter ${plural(n, 'incident ouvert', 'incidents ouverts')} (Sirrius › Incidents)`,
        withoutSms: (n: number) =>
          n > 1 ? `Appeler ces ${n} leads qui n'ont pas reçu de SMS (numéro désinscrit ou invalide)` : "Appeler ce lead qui n'a pas reçu de SMS (numéro désinscrit ou invalide)",
        campaignSync: (name: string) => `Campagne ${name} : son état chez Meta n'a pas pu être lu. Vérifier dans Ads Manager, puis Sirrius › Capacité et publicités › Synchroniser.`,
        campaignOff: (name: string, status: string) => `Campagne ${name} ne diffuse pas (${campaignStatusFr(status)}) : la relancer dans Ads Manager, ou la laisser ainsi.`,
        capacityFull: (line: string, max: number) =>
          `Capacité du jour dépassée, ${line}. Augmenter la capacité si l'équipe peut rappeler tout le monde, sinon rejeter les leads excédentaires (Sirrius › Capacité et publicités, au-delà de ${plural(max, 'lead')}).`,
        /** `canPause`: Ads_Control lists campaigns; without any, no pause will happen and the text must not promise one. */
        capacityWarning: (line: string, canPause: boolean) =>
          canPause
            ? `Capacité du jour presque atteinte, ${line}. Augmenter la capacité du jour, ou laisser la pause automatique arrêter les campagnes d'Ads_Control (Sirrius › Capacité et publicités).`
            : `Capacité du jour presque atteinte, ${line}. Aucune campagne connue dans Ads_Control : les publicités ne seront PAS arrêtées. Augmenter la capacité du jour (Sirrius › Capacité et publicités), ou mettre les campagnes en pause dans Ads Manager.`,
        /** Leads left `new` since more than the priority window (yesterday's, typically). */
        olderUncalled: (n: number) =>
          n > 1 ? `Appeler ces ${n} leads jamais contactés depuis plus de 12 h (Sirrius › Suivi commercial)` : 'Appeler ce lead jamais contacté depuis plus de 12 h (Sirrius › Suivi commercial)',
        payments: (n: number) => (n > 1 ? `Appeler ces ${n} clients dont le paiement a échoué` : 'Appeler ce client dont le paiement a échoué'),
        failing: (name: string, failures: number, suspended: boolean) => `${name} (${plural(failures, 'échec', 'échecs')}${suspended ? ', service suspendu' : ''})`,
        kpiMissing: "Le bilan de 18 h d'hier n'a pas été enregistré : vérifier que les déclencheurs sont installés (Sirrius › Installer / mettre à jour).",
        /** What Stripe's failure means decides what to do: a key to check, or only to wait. */
        stripe: (error: string) => `Stripe n'a pas répondu, les paiements échoués d'hier ne sont pas vérifiés. ${providerProblem(error)} Sirrius › Configuration › Tester les connexions le confirme.`,
      },
    },
    noon: {
      subject: (remainingPct: string) => `[Sirrius] Capacité : ${remainingPct} restant aujourd'hui`,
      title: (date: string) => `Point capacité de midi – ${date}`,
      figures: (current: number, max: number, remaining: number, pct: string) => `${plural(current, 'lead')} sur ${max} (${pct} utilisés), reste ${remaining}.`,
      recount: (before: number, after: number) => `Recompte depuis l'onglet Leads : ${before} → ${after}.`,
      activeTitle: 'Campagnes encore actives',
      activeHead: ['Campagne', 'Identifiant', 'Statut Facebook'],
      noneActive: 'Aucune campagne active : la diffusion est arrêtée.',
      noneKnown: "Aucune campagne connue dans Ads_Control : les publicités ne sont PAS arrêtées.",
      decide: (n: number, known: number) =>
        known === 0
          ? "Moins de 20 % de capacité restante et aucune campagne connue dans Ads_Control : les publicités ne sont PAS arrêtées. Les mettre en pause dans Ads Manager, ou augmenter la capacité du jour (Sirrius › Capacité et publicités)."
          : n > 0
            ? `Moins de 20 % de capacité restante et ${plural(n, 'campagne active', 'campagnes actives')} : mettre en pause (Sirrius › Capacité et publicités) ou augmenter la capacité du jour.`
            : "Moins de 20 % de capacité restante, toutes les campagnes d'Ads_Control en pause : augmenter la capacité du jour (Sirrius › Capacité et publicités) seulement si l'équipe peut rappeler plus de leads aujourd'hui, sinon rien à changer.",
    },
    afternoon: {
      subject: (date: string, n: number) => `[Sirrius] Appels du ${date} : ${n === 0 ? 'aucun lead à contacter' : plural(n, 'lead à contacter', 'leads à contacter')}`,
      title: (date: string) => `Suivi commercial – ${date}`,
      decide: (fresh: number, older: number) => {
        const f = plural(fresh, 'lead de moins de 6 h', 'leads de moins de 6 h');
        const o = plural(older, 'lead plus ancien jamais contacté', 'leads plus anciens jamais contactés');
        return `${fresh && older ? `Appeler d'abord ${f}, puis ${o}` : fresh ? `Appeler ${f}` : `Appeler ${o}`} (Sirrius › Suivi commercial)`;
      },
      /** Not a decision: said under the call list, where the operator reads the leads. */
      howTo: "Après l'appel : Sirrius › Suivi commercial, notez le retour et cliquez « Marquer contacté ».",
      freshTitle: 'Nouveaux leads (moins de 6 h)',
      olderTitle: 'Leads plus anciens jamais contactés',
      head: ['Nom', 'Téléphone', 'Âge', 'Notes'],
    },
    evening: {
      subject: (date: string, leads: number, conversions: number, mrr: string) =>
        `[Sirrius] Bilan du ${date} : ${plural(leads, 'lead')}, ${plural(conversions, 'conversion')}, ${mrr}`,
      title: (date: string) => `Bilan de fin de journée – ${date}`,
      kpiTitle: 'KPI du jour et objectifs',
      adjustTitle: 'À ajuster pour demain',
      adjust: {
        capacity_full: "Capacité atteinte : augmenter la capacité par jour (onglet Config, « Nombre maximum de leads ») si l'équipe peut suivre, sinon baisser le budget des campagnes dans Ads Manager pour recevoir moins de leads.",
        leads_low: 'Moins de leads que l\'objectif : vérifier les campagnes actives et le budget dans Ads Manager.',
        contact_backlog: (n: number) => `${plural(n, 'lead nouveau jamais contacté', 'leads nouveaux jamais contactés')} : ${n > 1 ? 'les appeler' : "l'appeler"} en priorité demain.`,
        conversions_low: "Conversions sous l'objectif : relancer les leads contactés, et vérifier que chaque lien de paiement envoyé porte l'identifiant du lead (sinon Stripe ne dit pas qui a payé).",
        mrr_low: 'MRR ajouté sous l\'objectif : privilégier les offres à plus forte valeur.',
        on_track: 'Objectifs atteints : garder le même rythme demain.',
      },
      successTitle: 'Rapports de succès : conversions du jour',
      successHead: ['Client', 'MRR'],
      suspendedSince: (mrr: string) => `${mrr} (service suspendu depuis : paiements échoués)`,
      noConversion: 'Aucune conversion aujourd\'hui.',
      stripeTitle: 'Synchronisation Stripe',
      stripeOk: (n: number) => `${plural(n, 'abonnement actif', 'abonnements actifs')} dans Stripe, tous rattachés à un lead converti.`,
      stripeError: (error: string) => `Vérification impossible, Stripe n'a pas répondu : ${providerProblem(error)}`,
      unlinked: (sub: string, customer: string) => `Abonnement actif ${sub} (client ${customer}) sans lead converti.`,
      gone: (name: string, _id: string, sub: string, status: string) => `${name} est client dans le classeur, mais son abonnement ${sub || '(aucun)'} n'est plus actif dans Stripe (${subscriptionStatusFr(status)}).`,
      optOutTitle: 'Contrôle des désinscriptions SMS',
      optOutOk: (n: number) => `${count(n, 'numéro désinscrit', 'numéros désinscrits', 'Aucun numéro désinscrit')} : tout est en ordre.`,
      optOutFixed: (n: number) => `${plural(n, 'lead passé', 'leads passés')} au statut « désinscrit » (numéro présent dans Opt_Outs).`,
      optOutRecorded: (phones: string[]) => `Ajouté à Opt_Outs (lead passé au statut « opted_out » à la main) : ${phones.map(phoneFr).join(', ')}.`,
      optOutNormalised: (n: number) => `${plural(n, 'ligne saisie', 'lignes saisies')} à la main dans Opt_Outs ${n > 1 ? 'complétées' : 'complétée'} (numéro au format +33…, date, source).`,
      optOutDuplicates: (n: number) => `${plural(n, 'doublon retiré', 'doublons retirés')} de Opt_Outs (numéro déjà présent : la plus ancienne ligne reste).`,
      optOutBreach: (phone: string, n: number, last: string) => `${phoneFr(phone)} : ${plural(n, 'SMS envoyé', 'SMS envoyés')} après la désinscription (dernier le ${last}).`,
      backupTitle: 'Sauvegarde',
      backupDone: (name: string) => `Copie du classeur : « ${name} ».`,
      backupAlready: (name: string) => `Sauvegarde du jour déjà faite : « ${name} ».`,
      backupTrashed: (n: number) => `${plural(n, 'ancienne sauvegarde mise', 'anciennes sauvegardes mises')} à la corbeille.`,
      backupFailed: (error: string) => `Sauvegarde impossible : ${error}`,
      journalTitle: 'Journal (Events)',
      journalRemoved: (n: number, days: number) => `${plural(n, 'ligne', 'lignes')} de plus de ${days} jours ${n > 1 ? 'supprimées' : 'supprimée'}.`,
      decide: {
        incidents: (n: number) => `Traiter ${plural(n, 'incident ouvert', 'incidents ouverts')} par les contrôles du soir (détail ci-dessous, Sirrius › Incidents)`,
        openHigh: (n: number) => `Traiter ${plural(n, 'incident grave encore ouvert', 'incidents graves encore ouverts')} (Sirrius › Incidents)`,
        uncontacted: (n: number) => (n > 1 ? `Appeler ces ${n} leads jamais contactés (Sirrius › Suivi commercial)` : 'Appeler ce lead jamais contacté (Sirrius › Suivi commercial)'),
        breach: (n: number) => `${plural(n, 'numéro désinscrit a', 'numéros désinscrits ont')} reçu un SMS après sa désinscription : vérifier et prévenir la personne si nécessaire.`,
        backup: 'La sauvegarde a échoué : faire une copie à la main (Fichier › Créer une copie).',
        stripe: (error: string) => `Synchronisation Stripe non vérifiée : Stripe n'a pas répondu. ${providerProblem(error)} Sirrius › Configuration › Tester les connexions le confirme.`,
      },
    },
    incidents: {
      unlinked: (sub: string, customer: string) => `Abonnement Stripe actif ${sub} (client ${customer}) sans lead converti`,
      gone: (name: string, sub: string) => `Lead converti ${name} : abonnement ${sub || '(aucun)'} absent ou inactif dans Stripe`,
      optOutBreach: (phone: string, n: number) => `${plural(n, 'SMS envoyé', 'SMS envoyés')} après désinscription au ${phoneFr(phone)}`,
      backupFailed: (error: string) => `Sauvegarde quotidienne impossible : ${error}`,
      routineFailed: (name: string, error: string) => `${ROUTINE_LABELS[name] ?? name} en échec : ${error}`,
      reportRefused: (error: string) => `rapport refusé par MailApp (${error}) : il sera renvoyé automatiquement dès que le quota d'e-mails le permet`,
      reportResent: (name: string) => `E-mail « ${ROUTINE_LABELS[name] ?? name} » renvoyé (quota d'e-mails revenu).`,
    },
    notes: {
      optOutFixed: (date: string) => `Statut passé à « opted_out » (désinscrit) le ${date} : numéro présent dans Opt_Outs (contrôle du soir).`,
      contacted: (date: string) => `Contacté le ${date}`,
    },
    backup: {
      folder: 'Sirrius - Sauvegardes',
      prefix: 'Sirrius Ops - sauvegarde ',
      name: (stamp: string) => `Sirrius Ops - sauvegarde ${stamp}`,
    },
    contacted: {
      badLeadId: "Indiquez l'identifiant du lead (lead_…).",
      unknownLead: 'Aucun lead avec cet identifiant.',
      badNote: (detail: string) => `Note : ${detail}`,
      done: (name: string) => `Appel noté pour ${name} : statut « contacté ».`,
      already: (name: string) => `L'appel de ${name} était déjà noté : rien n'a changé.`,
      noteAdded: (name: string) => `Note ajoutée pour ${name} (statut « contacté » déjà noté).`,
      closed: (name: string, status: string) => `Impossible de noter un appel pour ${name} : son statut est « ${LEAD_STATUS_FR[status] ?? status} ».`,
    },
  },

  /** The operator's UI (issue 7): menu captions, sidebars (src/ui/*.html read their texts from here), toasts, Dashboard. */
  ui: {
    menu: {
      dashboard: 'Tableau de bord',
      manualLead: 'Ajouter un lead manuel (OK #1)',
      optOut: 'Désinscription SMS (OK #2)',
      convert: 'Convertir un lead (OK #3)',
      replay: 'Rejouer un événement Stripe (KO #1)',
      capacity: 'Capacité et publicités (KO #2)',
      payments: 'Paiements échoués (KO #3)',
      incidents: 'Incidents',
      followUp: 'Suivi commercial',
      runNow: 'Lancer maintenant',
      config: 'Configuration',
      diagnostic: 'Configuration › Diagnostic',
      resources: 'Ressources',
    },
    /** Texts every sidebar's client script uses. */
    common: {
      loading: 'En cours…',
      required: 'Ce champ est obligatoire.',
      invalid: 'Valeur non valide.',
      /** `{detail}` is replaced by the browser's error (the page's script has no French of its own). */
      network: "Le serveur n'a pas répondu : {detail}",
      refresh: 'Actualiser',
      empty: 'Rien à afficher.',
      close: 'Fermer',
      copy: 'Copier',
      copied: 'Copié.',
      hoursAgo: (h: number) => (h < 1 ? "il y a moins d'une heure" : `il y a ${h} h`),
      yes: 'oui',
      no: 'non',
    },
    manualLead: {
      title: 'Ajouter un lead manuel',
      intro: 'Lead reçu hors Facebook (téléphone, e-mail direct). Il sera enregistré comme nouveau lead, sans SMS automatique : prenez contact vous-même.',
      first_name: 'Prénom',
      last_name: 'Nom',
      phone: 'Téléphone',
      phoneHint: '06 12 34 56 78 ou +33 6…',
      email: 'E-mail',
      source_detail: 'Source (comment ce lead vous a joint)',
      sourceHint: 'ex. appel entrant, salon, recommandation',
      addAnyway: 'Ajouter quand même',
      contactHint: 'Indiquez au moins un téléphone ou un e-mail.',
      submit: 'Ajouter le lead',
    },
    optOut: {
      title: 'Désinscription SMS',
      intro:
        "Le numéro ne recevra plus jamais de SMS : il est ajouté à Opt_Outs et chaque lead qui le porte passe au statut « désinscrit ». C'est définitif : le formulaire montre d'abord qui ce numéro concerne, puis demande de confirmer.",
      phoneOrLeadId: 'Téléphone, ou nom, e-mail à chercher',
      phoneOrLeadIdHint: '06 12 34 56 78, ou « Chercher » un nom',
      search: 'Chercher',
      pick: 'Choisir',
      reason: 'Raison (si connue)',
      submit: 'Vérifier le numéro',
      confirm: 'Confirmer la désinscription',
    },
    convert: {
      title: 'Convertir un lead',
      intro: "Pour un paiement fait hors du lien de paiement : le lead devient client avec l'abonnement actif du client Stripe, et reçoit l'e-mail de bienvenue.",
      leadId: 'Lead (nom, e-mail, téléphone ou identifiant)',
      leadIdHint: 'puis « Chercher »',
      search: 'Chercher',
      pick: 'Choisir',
      stripeCustomerId: 'Identifiant du client Stripe',
      stripeCustomerIdHint: 'cus_… (Stripe › Clients)',
      submit: 'Convertir',
    },
    replay: {
      title: 'Rejouer un événement Stripe',
      intro: "Un webhook Stripe n'est pas arrivé : retrouvez l'événement dans Stripe (Développeurs › Événements) et collez son identifiant. Un événement déjà traité n'est jamais appliqué deux fois.",
      eventId: "Identifiant de l'événement",
      eventIdHint: 'evt_…',
      submit: "Rejouer l'événement",
      link: 'Ouvrir les événements dans Stripe',
      metaTitle: 'Rejouer des leads Meta',
      metaIntro:
        "Des leads Meta abandonnés (jeton expiré, Meta injoignable plusieurs jours) : une fois la cause réparée, laissez l'identifiant vide pour les relancer tous, ou collez l'identifiant d'un lead. Un lead déjà enregistré ne l'est jamais deux fois.",
      leadgenId: 'Identifiant du lead Meta',
      leadgenIdHint: 'des chiffres, ou vide : tous les leads abandonnés',
      metaSubmit: 'Rejouer',
    },
    capacity: {
      title: 'Capacité et publicités',
      today: "Aujourd'hui",
      figures: (current: number, max: number, pct: number, status: string) => capacityLine(current, max, pct, status),
      noRow: "Aucun lead reçu aujourd'hui pour l'instant.",
      maxLeads: 'Capacité du jour (leads au maximum)',
      maxLeadsInvalid: `Indiquez un nombre entier de leads entre 1 et ${MAX_LEADS_LIMIT}.`,
      setMax: 'Changer la capacité',
      reject: 'Rejeter les leads excédentaires',
      rejectConfirm: 'Les leads cochés passeront au statut rejeté. Continuer ?',
      confirmReject: 'Rejeter les leads cochés',
      cancel: 'Annuler',
      manualTag: 'lead manuel',
      campaigns: 'Campagnes Facebook (Ads_Control)',
      noCampaigns: "Aucune campagne connue dans l'onglet Ads_Control : les publicités ne sont PAS arrêtées. Ajoutez leurs identifiants (colonne campaign_id) ou mettez-les en pause dans Ads Manager.",
      paused: 'en pause',
      active: 'active',
      reason: 'Raison de la pause',
      reasonDefault: 'Capacité atteinte',
      pause: 'Mettre en pause',
      resume: 'Relancer les campagnes',
      sync: 'Synchroniser avec Facebook',
    },
    payments: {
      title: 'Paiements échoués',
      intro: "Clients dont un paiement a échoué (la relance par e-mail est déjà partie). Quand les échecs atteignent le nombre fixé dans Config (payment_max_failures), le service est suspendu, le client en est prévenu et la fiche indique « service suspendu ».",
      none: 'Aucun paiement échoué.',
      suspended: 'service suspendu',
      failures: (n: number) => `${n} échec${n > 1 ? 's' : ''}`,
      openStripe: 'Voir dans Stripe',
    },
    incidents: {
      title: 'Incidents',
      filter: 'Afficher',
      filters: { active: 'Ouverts ou en cours', open: 'Ouverts', investigating: 'En cours', resolved: 'Résolus', all: 'Tous' },
      none: 'Aucun incident.',
      resolution: 'Résolution',
      resolutionHint: "Ce qui a été fait (documenté dans l'onglet Incidents)",
      resolve: 'Résoudre',
      resolvedOn: (date: string) => `résolu le ${date}`,
    },
    followUp: {
      title: 'Suivi commercial',
      intro: "Nouveaux leads jamais contactés : ceux de moins de 6 h d'abord. Après l'appel, notez le retour et cliquez « Marquer contacté ».",
      none: 'Aucun lead à appeler.',
      listed: (n: number) => `${plural(n, 'lead à appeler', 'leads à appeler')}.`,
      fresh: 'moins de 6 h',
      note: "Retour de l'appel",
      mark: 'Marquer contacté',
    },
    runNow: {
      title: 'Lancer maintenant',
      intro: 'Chaque routine tourne seule à son heure ; ici, vous pouvez la lancer tout de suite.',
      labels: {
        routineMorning: ROUTINE_LABELS.routineMorning,
        routineNoon: ROUTINE_LABELS.routineNoon,
        routineAfternoon: ROUTINE_LABELS.routineAfternoon,
        routineEvening: ROUTINE_LABELS.routineEvening,
        reconcile: ROUTINE_LABELS.reconcile,
      },
      run: 'Lancer',
      unknown: 'Seules les routines et la synchronisation peuvent être lancées ici.',
      started: (label: string) => `${label} : en cours…`,
      done: (label: string) => `${label} : terminé.`,
      failed: (label: string, error: string) => `${label} : échec (${error}).`,
      emailed: (to: string, subject: string, scheduledSent = false) =>
        `E-mail envoyé à ${to} : « ${subject} ». ${scheduledSent ? "L'envoi programmé de la journée était déjà parti à son heure : celui-ci s'y ajoute." : "L'envoi programmé de la journée partira quand même à son heure."}`,
      noAlertEmail: "Aucun e-mail envoyé : l'adresse de l'opérateur (propriété ALERT_EMAIL) n'est pas renseignée : voir le menu Configuration.",
      nothingToReport: 'Aucun e-mail envoyé : il reste plus de 20 % de la capacité du jour, rien à signaler.',
      skipped: "Déjà envoyé aujourd'hui : rien de plus.",
      notChecked: (problems: string[]) => `incomplet. ${problems.join(' ')} Ce qui n'a pas pu être vérifié le sera au prochain passage (toutes les 5 minutes).`,
      reconciled: (stripe: number, leads: number, sms: number) =>
        stripe + leads + sms === 0
          ? 'Rien à rattraper : aucun événement Stripe, lead Facebook ni SMS en retard.'
          : `Rattrapés : ${plural(stripe, 'événement Stripe', 'événements Stripe')}, ${plural(leads, 'lead Facebook', 'leads Facebook')} ; ${plural(sms, 'SMS envoyé', 'SMS envoyés')}.`,
    },
    config: {
      title: 'Configuration',
      properties: 'Propriétés du script',
      set: 'définie',
      missing: 'manquante',
      optional: 'non définie (facultative)',
      secretNote: "Les secrets ne sont jamais affichés, ni en partie : seulement s'ils sont renseignés.",
      weakToken: (min: number) => `trop court (moins de ${min} caractères) : les webhooks sont refusés`,
      relayUrlMissing: "non défini alors que RELAY_TOKEN l'est : Twilio envoie les statuts des SMS directement à l'application, qui les refuse ; ils ne sont connus que par la synchronisation (toutes les 5 minutes). Indiquez l'adresse du relais (https://…workers.dev).",
      relayUrlInvalid: "ce n'est pas une adresse https://… : les statuts des SMS vont à l'application web (refusés en mode relais seul).",
      generateToken: 'Générer un nouveau WEBHOOK_TOKEN',
      tokenConfirm:
        'Un WEBHOOK_TOKEN valide existe déjà : le remplacer oblige à mettre à jour les URL chez Stripe, Meta et Twilio (ou dans le relais). Confirmez pour le remplacer.',
      tokenGenerated:
        'Nouveau WEBHOOK_TOKEN enregistré. Copiez-le maintenant (il ne sera plus affiché) et reportez les URL ci-dessous chez Stripe, Meta et Twilio, ou dans APPS_SCRIPT_URL du relais.',
      webhooks: 'URL des webhooks',
      webhooksNote: "Remplacez <WEBHOOK_TOKEN> par la propriété du même nom (Paramètres du projet › Propriétés du script) avant de coller l'URL chez le fournisseur.",
      noWebApp: "L'application web n'est pas encore déployée : Déployer › Nouveau déploiement › Application web.",
      webAppUrl: "URL de l'application web (liens envoyés)",
      webAppUrlSource: {
        property: 'Source : la propriété WEBAPP_URL.',
        service:
          "Source : l'adresse donnée par Apps Script, car WEBAPP_URL n'est pas définie. Elle peut être celle d'un autre déploiement : renseignez WEBAPP_URL avec l'URL /exec du déploiement gardé.",
        none: 'Aucune : ni WEBAPP_URL ni déploiement.',
      },
      providers: { stripe: 'Stripe', facebook: 'Meta (Facebook)', sms: 'Twilio (SMS entrants)' },
      test: 'Tester les connexions',
      ok: 'connexion réussie',
      notConfigured: 'clé absente',
      failed: (error: string) => `échec : ${error}`,
      tested: (ok: number, total: number) => `${ok} connexion${ok > 1 ? 's' : ''} réussie${ok > 1 ? 's' : ''} sur ${total}.`,
      testedWithFailures: (failed: string[], total: number) =>
        `${failed.length > 1 ? `${failed.length} connexions en échec` : '1 connexion en échec'} sur ${total} : ${failed.join(', ')}. Le détail et quoi faire sont sous chaque ligne.`,
      /** A provider's HTTP answer, for the connection test: what it means and what to do. */
      httpProblem: (provider: string, status: number, keyName: string) => httpProblem(provider, status, keyName),
      unreachable: (provider: string) => `${provider} est injoignable (réseau) : réessayez dans quelques minutes.`,
      status: 'Configuration lue.',
      warnings: 'À corriger',
      outOfRange: (key: string, value: string, used: string, accepts: string) =>
        `Config « ${key} » : la valeur « ${value} » est hors limites (${accepts}) ; la valeur par défaut ${used} est utilisée.`,
      formsMissing: (ids: string[]) =>
        `Formulaires Meta absents de FB_FORM_IDS (relevés quand même par la synchronisation) : ${ids.join(', ')}. Ajoutez-les à FB_FORM_IDS.`,
    },
    /** Configuration › Diagnostic: what the live Sheet says of our picture of Google (docs/platform.md). */
    diagnostic: {
      title: 'Diagnostic de la plateforme',
      ok: 'OK',
      warn: 'À vérifier',
      ko: 'PROBLÈME',
      footer: 'Chaque point est expliqué dans docs/platform.md (README › Plateforme Google).',
      summary: (total: number, failed: number, warned: number) =>
        failed === 0 && warned === 0
          ? `Les ${total} vérifications sont bonnes.`
          : `${total} vérifications : ${failed} problème${failed > 1 ? 's' : ''}, ${warned} point${warned > 1 ? 's' : ''} à vérifier.`,
      error: (message: string) => `La vérification a échoué : ${message}`,
      labels: {
        apostrophe: 'Texte brut et apostrophe',
        timezone: 'Fuseau horaire et langue du classeur',
        webapp: "URL de l'application web",
        triggers: 'Déclencheurs',
        scopes: 'Autorisations (scopes)',
      },
      apostrophe: {
        strip: "Une cellule au format texte brut traite l'apostrophe initiale comme une marque : le texte est écrit avec elle (enregistré).",
        keep: "Une cellule au format texte brut garde l'apostrophe initiale comme un caractère : le texte y est écrit sans elle (enregistré).",
        unknown: "La cellule d'essai n'a relu ni le texte ni le texte avec son apostrophe : l'écriture du texte reste celle par défaut. Signalez-le.",
      },
      timezone: (zone: string, locale: string, script: string, ok: boolean) =>
        `Classeur : ${zone}, langue ${locale} ; script : ${script}.${ok ? '' : ' Attendu : Europe/Paris et fr_FR partout ; relancez Installer / mettre à jour.'}`,
      webapp: {
        property: (url: string) => `${url} (propriété WEBAPP_URL).`,
        service: (url: string) =>
          `${url} donnée par Apps Script, car WEBAPP_URL n'est pas définie : elle peut être celle d'un autre déploiement. Renseignez WEBAPP_URL.`,
        none: "Aucune : ni WEBAPP_URL ni déploiement. Les liens envoyés (désinscription des SMS) ne marcheraient pas.",
        malformed: (url: string) => `« ${url} » n'est pas une URL /exec d'application web (https://script.google.com/macros/s/…/exec).`,
      },
      triggers: (count: number, expected: number, owner: string, missing: string[], extra: number) =>
        `${count} déclencheur${count > 1 ? 's' : ''} de ce projet appartenant à ${owner || 'cet utilisateur'} (${expected} attendus).` +
        (missing.length ? ` Manquants : ${missing.map(routineLabel).join(', ')} (installés par un autre compte, ou à réinstaller avec Installer / mettre à jour).` : '') +
        (extra > 0 ? ` ${extra} en trop (doublons ou anciens).` : ''),
      scopes: (required: boolean, granted: number | null, expected: number, missing: string[]) =>
        required
          ? 'Autorisation requise : relancez une fonction du menu et acceptez les autorisations.'
          : granted === null
            ? 'Autorisation accordée (la liste des scopes accordés n’est pas disponible).'
            : `${granted} scope${granted > 1 ? 's' : ''} accordé${granted > 1 ? 's' : ''} sur ${expected}.${missing.length ? ` Manquants : ${missing.join(', ')}.` : ''}`,
    },
    resources: {
      title: 'Ressources',
      linksTitle: 'Liens utiles',
      links: [
        { label: 'Stripe › Développeurs › Webhooks', url: 'https://dashboard.stripe.com/webhooks' },
        { label: 'Stripe › Événements (KO #1)', url: 'https://dashboard.stripe.com/events' },
        { label: 'Stripe › Clients et abonnements', url: 'https://dashboard.stripe.com/subscriptions' },
        { label: 'Facebook Ads Manager (KO #2)', url: 'https://adsmanager.facebook.com/' },
        { label: 'Twilio › Journal des SMS', url: 'https://console.twilio.com/us1/monitor/logs/sms' },
      ],
      contactsTitle: "Contacts d'urgence",
      contacts: [
        { label: 'Support Stripe', url: 'https://support.stripe.com' },
        { label: 'Facebook Ads : Business Support (dans Ads Manager)', url: 'https://www.facebook.com/business/help/support' },
        { label: 'Support Twilio', url: 'https://help.twilio.com' },
        { label: 'Développeur principal : à définir', url: '' },
      ],
      sopTitle: 'Procédures',
      sop: 'Les procédures (SOP) du matin, de midi, de 15h et de 18h tournent seules ; chaque runbook OK/KO a son entrée dans ce menu.',
    },
    dashboard: {
      tab: 'Dashboard',
      title: 'Tableau de bord Sirrius',
      updated: (date: string) => `Mis à jour le ${date} (chiffres lus dans les onglets ; actualisé dans les 5 minutes après chaque changement et à l'ouverture du classeur)`,
      conversionsToday: "Conversions aujourd'hui",
      capacity: 'Capacité du jour (leads acceptés, maximum, statut)',
      capacityUsed: 'Capacité utilisée',
      leadsToday: "Leads reçus aujourd'hui",
      openIncidents: 'Incidents ouverts ou en cours',
      highIncidents: 'dont gravité haute',
      mrr30: 'MRR des clients convertis sur 30 jours, encore payé (€)',
      conversions30: 'Conversions sur 30 jours',
      seriesTitle: 'Les 30 derniers jours (KPI_Daily)',
      head: ['Date', 'Leads reçus', 'Conversions', 'MRR ajouté (€)'],
      refreshing: 'Mise à jour du tableau de bord…',
      refreshed: 'Tableau de bord à jour.',
      chartLeads: 'Leads et conversions par jour',
      chartMrr: 'MRR ajouté par jour',
      chartCapacity: "Leads reçus aujourd'hui, sur la capacité du jour",
      chartMedian: 'Délai médian formulaire → appel (min)',
      medianTitle: 'Rapidité de contact : délai médian formulaire → appel, 30 jours (KPI_Daily)',
      medianHead: ['Date', 'Délai médian (min)'],
    },
    sheet: {
      statusHelp: 'Choisissez un statut de la liste.',
    },
  },

  guard: {
    refused: "Accès refusé : seules les personnes qui peuvent modifier le classeur (et ses déclencheurs) lancent cette fonction.",
  },

  actions: {
    busy: 'Une autre opération est en cours (webhook ou déclencheur) : réessayez dans quelques secondes.',
    failed: (detail: string) => `L'opération a échoué : ${detail}`,
  },

  setup: {
    done: 'Installation terminée.',
    tabsCreated: (names: string[]) => `Onglets créés : ${names.join(', ')}.`,
    columnsAdded: (tab: string, names: string[]) => `${tab} : colonnes ajoutées ${names.join(', ')}.`,
    configAdded: (n: number) => `Config : ${n} réglage${n > 1 ? 's' : ''} ajouté${n > 1 ? 's' : ''}.`,
    triggersCreated: (names: string[]) => `Déclencheurs installés : ${names.map(routineLabel).join(', ')}.`,
    triggersUnavailable: (names: string[]) => `Pas encore disponibles dans cette version : ${names.map(routineLabel).join(', ')}.`,
    nothingToDo: 'Tout est déjà en place : rien à changer.',
    triggersNotMine: (owner: string) =>
      owner
        ? `Déclencheurs non installés : ils appartiennent à ${owner}, et Google ne les montre qu'à ce compte (en installer d'autres ici les doublerait). Demandez à ${owner} de lancer « Installer / mettre à jour ».`
        : "Déclencheurs non installés : Google ne dit pas quel compte lance l'installation. Le propriétaire du classeur doit lancer « Installer / mettre à jour ».",
    weakToken:
      'WEBHOOK_TOKEN manque ou fait moins de 24 caractères : les webhooks sont refusés. Sirrius › Configuration › « Générer un nouveau WEBHOOK_TOKEN », puis reportez la nouvelle URL chez Stripe, Meta et Twilio (ou dans le relais).',
    zoneSet: (from: string) =>
      `Fuseau du classeur : ${from} remplacé par Europe/Paris (langue fr_FR). Les dates déjà saisies à la main peuvent apparaître décalées d'autant.`,
    apostrophe: (mode: 'strip' | 'keep' | 'unknown') =>
      mode === 'unknown'
        ? "Essai du texte brut sans réponse claire : écriture du texte par défaut (voir Configuration › Diagnostic)."
        : `Essai du texte brut : l'apostrophe initiale y est ${mode === 'keep' ? 'gardée' : 'retirée'} ; le texte s'écrit en conséquence.`,
  },

  /** Issue 21: campaigns found in the ad account, spend and cost per campaign, lead stages to Meta. */
  adsAccount: {
    noAccount:
      "FB_AD_ACCOUNT_ID n'est pas renseigné : les campagnes ne sont pas retrouvées toutes seules et, tant qu'Ads_Control est vide, la capacité ne peut mettre aucune campagne en pause.",
    orAccount: 'Ou renseignez la propriété FB_AD_ACCOUNT_ID : Sirrius les retrouvera tout seul.',
    /** Without the account but with campaigns typed in Ads_Control: they are paused, only the spend and new campaigns are missing. */
    noAccountWithCampaigns:
      "FB_AD_ACCOUNT_ID n'est pas renseigné : la dépense publicitaire n'est pas lue et une nouvelle campagne n'est pas ajoutée toute seule à Ads_Control (celles qui y sont restent mises en pause par la capacité).",
    noAccountShort: 'Sans FB_AD_ACCOUNT_ID ni campagne dans Ads_Control, la capacité ne peut mettre aucune campagne en pause.',
    /** The same gap, as a decision for the 9h email: what to do about it. */
    decideNoAccount:
      "Indiquer les campagnes Facebook à Sirrius : leurs identifiants dans l'onglet Ads_Control (colonne campaign_id), ou le compte publicitaire dans la propriété FB_AD_ACCOUNT_ID (Sirrius › Configuration). Sans elles, la capacité ne peut mettre aucune campagne en pause",
    found: (added: number, updated: number) =>
      `Compte publicitaire : ${plural(added, 'nouvelle campagne ajoutée', 'nouvelles campagnes ajoutées')}, ${plural(updated, 'campagne mise à jour', 'campagnes mises à jour')} dans Ads_Control.`,
    listFailed: (error: string) => `Liste des campagnes du compte impossible : ${providerProblem(error)}`,
    setupFound: (ids: string[]) => `Ads_Control : campagnes ajoutées depuis le compte publicitaire ${ids.join(', ')}.`,
    spendTitle: 'Publicité : dépense et résultats par campagne',
    spendHead: ['Campagne', 'Dépense', 'Leads', 'Clients', 'Coût / lead', 'Coût / client'],
    spendYesterday: (date: string) => `Hier (${date})`,
    spendWeek: '7 derniers jours',
    noSpend: 'Aucune dépense ni lead de campagne sur la période.',
    spendError: (error: string) => `Dépense non relevée : ${providerProblem(error)}`,
    otherTimezone: (tz: string) => `Le compte publicitaire compte ses journées en ${tz}, pas en heure de Paris : la dépense d'un jour est celle de ce fuseau.`,
    decideNoConversion: (name: string, spend: string) => `La campagne ${name} a dépensé ${spend} en 7 jours sans aucun client : la revoir ou la couper.`,
    dash: '—',
    stageDropped: (stage: string) => `Étape « ${stage === 'received' ? 'reçu' : (LEAD_STATUS_FR[stage] ?? stage)} » non envoyée à Meta : plus de 7 jours (fenêtre de Meta dépassée).`,
  },

  /** Issue 22: SMS delivery, speed to lead, SMS cost. */
  delivery: {
    callInstead: (code: number) => `SMS non distribué (erreur Twilio ${code} : numéro fixe ou inconnu) : appeler le lead, aucun SMS renvoyé.`,
    unreachableRetry: (code: number) => `SMS non distribué (erreur Twilio ${code} : téléphone injoignable) : nouvel essai plus tard.`,
    unreachableGaveUp: (code: number) => `SMS toujours non distribué (erreur Twilio ${code}) après plusieurs essais : appeler le lead.`,
    uncalledTitle: 'Leads pas encore appelés (le plus ancien en premier)',
    uncalledHead: ['Lead', 'Téléphone', 'Attente', 'SMS'],
    age: (minutes: number) => (minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}` : `${Math.floor(minutes / 1440)} j`),
    smsStatus: { '': '—', queued: 'en attente', sent: 'envoyé', delivered: 'reçu', undelivered: 'non distribué', failed: 'échec', blocked: 'bloqué (désinscrit)' } as Record<string, string>,
    speedTitle: 'Rapidité de contact',
    median: (minutes: number | null) => (minutes === null ? "Délai médian formulaire → appel : aucun lead contacté aujourd'hui." : `Délai médian formulaire → appel : ${minutes} min.`),
    delivered: (n: number, sent: number) => `SMS reçus par les leads : ${n} sur ${plural(sent, 'envoyé')}.`,
    costTitle: 'Coût des SMS',
    monthCost: (month: string, amount: string, count: number) => `${month} : ${amount} pour ${plural(count, 'SMS facturé', 'SMS facturés')} (prix Twilio des messages terminés).`,
    noCost: (month: string) => `${month} : aucun SMS facturé pour l'instant.`,
    decideCallInstead: (n: number) =>
      n > 1 ? `Appeler ces ${n} leads dont le SMS n'est pas arrivé (fixe ou numéro inconnu)` : "Appeler ce lead dont le SMS n'est pas arrivé (fixe ou numéro inconnu)",
  },
});
