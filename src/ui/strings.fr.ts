/**
 * Every French text the operator or a client reads: menu labels, Config descriptions, reports.
 * Nothing in French is written inline elsewhere.
 */
import type { ConfigKey } from '../domain/config';

/** An amount in euros, French style: `49,90 €`. */
export function euros(amount: number): string {
  return `${amount.toFixed(2).replace('.', ',')} €`;
}

export const FR = Object.freeze({
  menu: {
    title: 'Sirrius',
    setup: 'Installer / mettre à jour',
  },

  config: {
    max_leads_per_day: 'Nombre maximum de leads acceptés par jour (capacité).',
    capacity_alert_pct: "Seuil d'alerte de capacité, en % (SMS et email à l'opérateur).",
    capacity_pause_pct: 'Seuil de pause automatique des campagnes Facebook, en %.',
    capacity_resume_next_day: 'Relancer le lendemain les campagnes mises en pause pour capacité (TRUE/FALSE).',
    payment_max_failures: 'Nombre de paiements échoués avant de suspendre le service et passer le lead en "rejected".',
    payment_suspension:
      'Suspension dans Stripe après trop d\'échecs : "cancel_subscription" (résilier), "pause_collection" (suspendre la facturation) ou "none".',
    objective_leads_per_day: 'Objectif de leads reçus par jour.',
    objective_conversions_per_day: 'Objectif de conversions par jour.',
    objective_mrr_per_day: 'Objectif de MRR ajouté par jour, en euros.',
    sms_hours_start: 'Heure (Paris) à partir de laquelle les SMS aux leads peuvent partir.',
    sms_hours_end: 'Heure (Paris) à partir de laquelle les SMS attendent le lendemain.',
    sms_days: 'Jours où les SMS partent (lun,mar,mer,jeu,ven,sam,dim).',
    sms_optout_mode: 'Mention de désinscription des SMS : "lien" (lien signé) ou "stop" ("Répondez STOP", si l\'expéditeur reçoit les réponses).',
    sms_template: 'Texte du SMS envoyé à chaque nouveau lead ({prenom} est remplacé ; la mention de désinscription est ajoutée).',
    sms_max_attempts: "Nombre d'essais d'envoi d'un SMS avant d'ouvrir un incident.",
    events_retention_days: "Durée de conservation du journal Events, en jours (plus longue que les relances de Stripe et Meta).",
    backup_keep: 'Nombre de sauvegardes quotidiennes du classeur à garder.',
    archive_after_days: 'Âge, en jours, après lequel un lead clos est archivé.',
  } satisfies Record<ConfigKey, string>,

  sms: {
    optOutLink: (url: string) => `STOP SMS : ${url}`,
    replyStop: 'Répondez STOP pour ne plus recevoir de SMS.',
    unconfirmed: "Envoi non confirmé : l'exécution s'est arrêtée pendant l'envoi. Vérifiez dans Twilio avant de renvoyer.",
  },

  notes: {
    manual: (detail: string) => `Lead manuel - source: ${detail}`,
    optOut: (date: string, reason: string) => `STOP SMS - date: ${date} - raison: ${reason}`,
    phoneUnparsed: (raw: string) => `Téléphone non reconnu, gardé tel quel : "${raw}"`,
    smsReceived: (date: string, body: string) => `SMS reçu le ${date} : "${body}"`,
    optedOutNoSms: 'Numéro désinscrit (Opt_Outs) : aucun SMS envoyé.',
  },

  reasons: {
    stopReply: 'réponse STOP',
    optOutLink: 'lien de désinscription',
  },

  incidents: {
    webhookFailure: (type: string, id: string) => `Webhook Stripe non reçu : ${type} (${id}) rattrapé par la synchronisation`,
    smsFailure: (leadId: string, error: string) => `SMS non envoyé au lead ${leadId} après plusieurs essais : ${error}`,
    eventFailure: (source: string, id: string, error: string) => `Événement ${source} ${id} en échec après plusieurs essais : ${error}`,
    alertSubject: (title: string) => `[Sirrius] Incident : ${title}`,
    alertBody: (title: string, type: string, ref: string) =>
      `Un incident de gravité haute vient d'être ouvert.\n\n${title}\nType : ${type}\nRéférence : ${ref}\n\nOuvrez l'onglet Incidents pour le traiter.`,
  },

  inbound: {
    subject: (from: string) => `[Sirrius] SMS reçu de ${from}`,
    body: (from: string, text: string, leads: string[]) =>
      `Un SMS est arrivé de ${from} :\n\n"${text}"\n\n${leads.length ? `Lead(s) : ${leads.join(', ')}` : 'Aucun lead connu avec ce numéro.'}`,
  },

  optOutPage: {
    title: 'Désinscription des SMS Sirrius',
    confirmQuestion: 'Vous ne souhaitez plus recevoir de SMS de Sirrius ?',
    confirmButton: 'Oui, ne plus recevoir de SMS',
    done: 'C\'est fait : vous ne recevrez plus de SMS de Sirrius.',
    invalid: 'Ce lien de désinscription n\'est pas valide. Vous pouvez aussi nous écrire pour ne plus recevoir de SMS.',
    unknown: 'Nous ne retrouvons pas ce contact : aucun SMS ne lui sera envoyé.',
    busy: 'Le service est momentanément occupé : merci de réessayer dans une minute.',
  },

  emails: {
    welcome: {
      subject: 'Bienvenue chez Sirrius !',
      body: (name: string) =>
        `Bonjour ${name},\n\nMerci pour votre confiance : votre abonnement Sirrius est actif.\n\nUn conseiller vous contacte très vite pour démarrer. Pour toute question, répondez simplement à cet email.\n\nÀ très bientôt,\nL'équipe Sirrius`,
    },
    paymentFailed: {
      subject: 'Sirrius : votre paiement n\'a pas abouti',
      body: (name: string, link: string) =>
        `Bonjour ${name},\n\nLe dernier paiement de votre abonnement Sirrius n'a pas pu être effectué.${link ? `\n\nVous pouvez régler votre facture ou mettre à jour votre moyen de paiement ici :\n${link}` : '\n\nMerci de vérifier votre moyen de paiement, ou de répondre à cet email si vous avez besoin d\'aide.'}\n\nMerci,\nL'équipe Sirrius`,
    },
    cardExpiring: {
      subject: 'Sirrius : votre carte arrive à expiration',
      body: (name: string, expiry: string, link: string) =>
        `Bonjour ${name},\n\nLa carte associée à votre abonnement Sirrius expire fin ${expiry}. Pour éviter toute interruption, vous pouvez la mettre à jour ici :\n${link}\n\nMerci,\nL'équipe Sirrius`,
    },
  },

  stripeNotes: {
    converted: (mrr: string) => `Converti (Stripe) - MRR ${mrr}`,
    paymentFailed: (attempt: number, invoice: string) => `Paiement échoué (tentative ${attempt}) - facture ${invoice} - relance envoyée`,
    suspended: (how: string) => `Service suspendu après plusieurs paiements échoués (${how})`,
    recovered: (invoice: string) => `Paiement reçu (facture ${invoice}) : compteur d'échecs remis à zéro`,
    pastDue: 'Abonnement en retard de paiement (past_due)',
    cancelled: (date: string) => `Abonnement résilié le ${date} : MRR remis à 0`,
    cardExpiring: (expiry: string) => `Carte expirant fin ${expiry} : email de mise à jour envoyé`,
    replayed: (id: string) => `Événement Stripe ${id} rejoué à la main`,
  },

  stripeIncidents: {
    paymentFailed: (name: string, customer: string) => `Paiements échoués répétés : ${name} (${customer}), service suspendu`,
    replayed: (type: string, id: string) => `Webhook Stripe non reçu : ${type} (${id}) rejoué à la main`,
  },

  stripeActions: {
    badEventId: 'Indiquez un identifiant d\'événement Stripe (evt_…).',
    alreadyDone: (status: string) => `Cet événement a déjà été traité (${status}) : rien n'a été appliqué une seconde fois.`,
    applied: (type: string) => `Événement ${type} appliqué.`,
    notApplied: (reason: string) => `Événement non appliqué : ${reason}`,
    badLeadId: 'Indiquez l\'identifiant du lead (lead_…).',
    unknownLead: 'Aucun lead avec cet identifiant.',
    badCustomerId: 'Indiquez l\'identifiant du client Stripe (cus_…).',
    noSubscription: 'Ce client Stripe n\'a aucun abonnement actif.',
    converted: (name: string, mrr: string) => `${name} est converti : MRR ${mrr}, email de bienvenue envoyé.`,
    alreadyConverted: (name: string) => `${name} est déjà converti avec cet abonnement : rien n'a changé.`,
    stripeError: (detail: string) => `Stripe n'a pas répondu correctement : ${detail}`,
    emailFailed: (detail: string) => `Attention : l'email de bienvenue n'est pas parti (${detail}).`,
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
    triggersCreated: (names: string[]) => `Déclencheurs installés : ${names.join(', ')}.`,
    triggersUnavailable: (names: string[]) => `Pas encore disponibles dans cette version : ${names.join(', ')}.`,
    nothingToDo: 'Tout est déjà en place : rien à changer.',
  },
});
