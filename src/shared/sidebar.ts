/**
 * The JSON-safe data the sidebars read (STYLE habit 9): what the server functions behind the
 * lists answer through google.script.run. Dates travel as ISO strings; French texts that need a
 * number (an age, a count) arrive already written by the server, so the pages hold no French logic.
 */

/** The pages shown in the 300 px sidebar; each is src/ui/<id>.html. */
export const SIDEBAR_PAGES = [
  'manual-lead',
  'opt-out',
  'convert',
  'replay',
  'capacity',
  'payments',
  'incidents',
  'follow-up',
  'run-now',
  'config',
  'resources',
] as const;
export type SidebarPage = (typeof SIDEBAR_PAGES)[number];

/** A campaign of Ads_Control. */
export interface CampaignView {
  id: string;
  name: string;
  paused: boolean;
  /** Meta's effective_status, in French. */
  effectiveStatus: string;
  pausedReason: string;
  lastSync: string | null;
  lastError: string;
}

/** Today's capacity and the campaigns (KO #2 sidebar). */
export interface CapacityOverview {
  date: string;
  /** e.g. "12 leads sur 20 (60 %) : ouvert", or "no lead yet". */
  summary: string;
  current: number;
  max: number;
  usagePct: number;
  status: string;
  campaigns: CampaignView[];
}

/** A client with failed payments (KO #3 sidebar). */
export interface FailedPaymentView {
  id: string;
  name: string;
  email: string;
  phone: string;
  customerId: string;
  failures: number;
  failuresText: string;
  status: string;
  /** The customer's page in the Stripe Dashboard, '' without a customer id. */
  stripeUrl: string;
}

/** A lead of the 15h call list. */
export interface CallView {
  id: string;
  name: string;
  phone: string;
  ageText: string;
  fresh: boolean;
  notes: string;
  smsSent: boolean;
}

/** A lead found by findLeads (OK #2 and OK #3 sidebars): the operator picks one. */
export interface LeadMatch {
  id: string;
  name: string;
  /** As a person reads it (06 12 34 56 78). */
  phone: string;
  email: string;
  /** In French. */
  status: string;
  /** dd/MM/yyyy. */
  created: string;
}

/** A Script Property as the Configuration sidebar shows it: a secret only as set or not set. */
export interface PropertyView {
  key: string;
  set: boolean;
  /** The value of a non-secret; always '' for a secret (not even its last characters). */
  shown: string;
  secret: boolean;
  /** What is wrong with it, in French (a WEBHOOK_TOKEN too short to be safe), or ''. */
  problem: string;
  /** Unset is a choice, not a gap (RELAY_TOKEN: no relay-only mode; FB_API_VERSION: the default). */
  optional: boolean;
}

/** A webhook URL to register at a provider, with the token left as a placeholder. */
export interface WebhookView {
  provider: 'stripe' | 'facebook' | 'sms';
  label: string;
  url: string;
}

/** The Configuration sidebar's data. */
export interface ConfigView {
  properties: PropertyView[];
  webhooks: WebhookView[];
  webAppDeployed: boolean;
  /** Set when capacity cannot pause any campaign (no FB_AD_ACCOUNT_ID and Ads_Control empty): the French sentence. */
  adsWarning?: string;
  /** The web app URL the links use, and where it comes from: the WEBAPP_URL property, or Apps Script's getUrl() (unset). */
  webAppUrl: string;
  webAppUrlSource: WebAppUrlSource;
  /** What the operator should fix, in French: Config values out of range (their default is used), Meta forms missing from FB_FORM_IDS. */
  warnings: string[];
}

/** `property`: WEBAPP_URL (SPEC §2); `service`: ScriptApp.getService().getUrl(), WEBAPP_URL unset; `none`: neither. */
export type WebAppUrlSource = 'property' | 'service' | 'none';

/** The answer of one cheap GET to a provider. */
export interface ConnectionView {
  provider: 'stripe' | 'graph' | 'twilio';
  label: string;
  ok: boolean;
  detail: string;
}

/** The functions "Lancer maintenant" may start. */
export const RUNNABLE = ['routineMorning', 'routineNoon', 'routineAfternoon', 'routineEvening', 'reconcile'] as const;
export type Runnable = (typeof RUNNABLE)[number];
