/**
 * The context of one execution: the spreadsheet's tables (opened lazily, each header read once),
 * the settings, the clock, the provider clients and Config. Built by src/entry.ts for each
 * web request, trigger or menu click; everything in app/ receives it.
 */
import { CONFIG, type TabSpec } from '../domain/schema';
import { parseConfig, type Config } from '../domain/config';
import type { Clock } from '../adapters/ports';
import { systemClock } from '../adapters/clock';
import { Settings, DEFAULT_FB_API_VERSION } from '../adapters/settings';
import { Table, primeTables, quoteSheetName, sheetsApiBatchRead, sheetsApiRawWrite, textMode, type RowGuard, type TailStore, type TextMode } from '../adapters/sheets';
import { gasHttp, type Http } from '../adapters/http';
import { GraphApi, StripeApi, TwilioApi } from '../adapters/providers';
import { base64, hmacSha256, scriptCache, sendMail, serviceUrl, type Mail } from '../adapters/gas-services';
import type { WebAppUrlSource } from '../shared/sidebar';

/**
 * Config is cached, so that a webhook does not read the Config tab each time. An edit of the tab
 * clears the cache (onEdit), so does setup(); the expiry is only a safety net.
 */
const CONFIG_CACHE_KEY = 'config:v1';
const CONFIG_CACHE_SECONDS = 3600;

/** Script Property: setup()'s apostrophe probe answer ('strip' or 'keep', see TextMode). */
export const TEXT_APOSTROPHE = 'TEXT_APOSTROPHE';

export class Ctx {
  private readonly tables = new Map<string, Table<TabSpec>>();
  private configValue: Config | null = null;
  private spreadsheetValue: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  /** Emails sent in this execution (to, subject): lets a caller avoid sending one twice. */
  readonly mailed: Mail[] = [];

  /** Outbound calls made so far (provider calls, emails): rows read before one may have moved (RowGuard). */
  private outbound = 0;
  /** Every outbound HTTP call goes through here, counted. */
  readonly http: Http;

  constructor(
    readonly settings: Settings = new Settings(),
    readonly clock: Clock = systemClock,
    http: Http = gasHttp,
  ) {
    this.http = (req) => {
      this.outbound++;
      return http(req);
    };
  }

  /**
   * Keeps writes on their row across outbound calls: a row read before one is checked before it
   * is written, the rows of every table in one Sheets API read (else one read per row), and found
   * again by its key if an operator sorted the tab meanwhile.
   */
  private readonly guard: RowGuard = {
    epoch: () => this.outbound,
    check: () => {
      const tables = [...this.tables.values()];
      const wanted = tables.map((t) => t.unchecked());
      const ranges = wanted.flatMap((rows, i) => rows.map((r) => `${quoteSheetName(tables[i].spec.name)}!${r.range}`));
      let answers: unknown[][][] | null = null;
      if (ranges.length > 1) {
        try {
          const read = sheetsApiBatchRead(this.spreadsheet.getId());
          if (read) {
            SpreadsheetApp.flush();
            answers = read(ranges);
          }
        } catch (e) {
          console.warn(`row check: ${this.redact(e instanceof Error ? e.message : String(e))}`);
        }
      }
      let n = 0;
      tables.forEach((table, i) => {
        const cells = answers ? new Map(wanted[i].map((r) => [r.handle, answers?.[n++]?.[0] ?? []] as [number, unknown[]])) : null;
        table.settle(cells);
      });
    },
  };

  /** Builds the context of the current Apps Script execution. */
  static gas(): Ctx {
    return new Ctx();
  }

  /** The bound spreadsheet (opened on first use: a refused webhook never opens it). */
  get spreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet {
    if (!this.spreadsheetValue) this.spreadsheetValue = SpreadsheetApp.getActiveSpreadsheet();
    return this.spreadsheetValue;
  }

  /** A tab through the table layer, opened once per execution. */
  table<T extends TabSpec>(spec: T): Table<T> {
    let t = this.tables.get(spec.name);
    if (!t) {
      const mode = this.textMode();
      t = Table.open(this.spreadsheet, spec, this.tails, mode, mode === 'keep' ? sheetsApiRawWrite(this.spreadsheet.getId()) : null, this.guard);
      this.tables.set(spec.name, t);
    }
    return t as unknown as Table<T>;
  }

  /**
   * Reads the headers of these tabs and checks where they append, in one Sheets call (the Sheets
   * API's batchGet) instead of up to two per tab: a Meta lead touches five tabs. Call it under the
   * lock, before the tables are used. Without the advanced service, or if the call
   * fails (quota, a tab missing), the tables read lazily as they always do: only slower.
   */
  prime(specs: readonly TabSpec[]): void {
    try {
      const read = sheetsApiBatchRead(this.spreadsheet.getId());
      if (!read) return;
      // The Sheets API does not see SpreadsheetApp's pending writes: none must be left.
      SpreadsheetApp.flush();
      primeTables(read, specs.map((spec) => this.table(spec)), this.tails);
    } catch (e) {
      console.warn(`prime: ${this.redact(e instanceof Error ? e.message : String(e))}`);
    }
  }

  /** What this Sheet's plain-text cells do with a leading apostrophe, as setup()'s probe recorded it. */
  textMode(): TextMode {
    return textMode(this.settings.state(TEXT_APOSTROPHE));
  }

  /** Tail hints kept in memory by withTailsSavedOnce, saved together when it ends. */
  private tailsToSave: Record<string, string> | null = null;

  /** The last row written in each tab, in Script Properties (`TAIL_<tab>`): a hint primeTables checks. */
  private readonly tails: TailStore = {
    get: (tab) => {
      const n = Number(this.tailsToSave?.[`TAIL_${tab}`] ?? this.settings.state(`TAIL_${tab}`));
      return Number.isInteger(n) && n >= 1 ? n : null;
    },
    set: (tab, lastRow) => {
      if (this.tailsToSave) this.tailsToSave[`TAIL_${tab}`] = String(lastRow);
      else this.saveTails({ [`TAIL_${tab}`]: String(lastRow) });
    },
  };

  private saveTails(values: Record<string, string>): void {
    try {
      this.settings.setStates(values);
    } catch (e) {
      // Only hints: a refused write (Properties quota) must not fail the appends they follow.
      console.warn(`${Object.keys(values).join(', ')}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Runs `fn` (under the lock) with the tail hints of its appends saved in one Script Properties
   * write when it ends, instead of one per append: a Meta lead appends to three tabs. An execution
   * cut off before the end loses only hints, which primeTables checks anyway (getLastRow then).
   */
  withTailsSavedOnce<T>(fn: () => T): T {
    if (this.tailsToSave) return fn();
    this.tailsToSave = {};
    try {
      return fn();
    } finally {
      const values = this.tailsToSave;
      this.tailsToSave = null;
      if (Object.keys(values).length) this.saveTails(values);
    }
  }

  /** Config from the tab (cached in CacheService for five minutes), defaults for missing keys. */
  config(): Config {
    if (this.configValue) return this.configValue;
    const cache = scriptCache();
    const cached = cache.get(CONFIG_CACHE_KEY);
    if (cached) {
      try {
        this.configValue = parseConfig(JSON.parse(cached));
        return this.configValue;
      } catch {
        // fall through to the tab
      }
    }
    const pairs = this.table(CONFIG)
      .readAll()
      .map((r) => ({ key: r.key.trim(), value: r.value }));
    cache.put(CONFIG_CACHE_KEY, JSON.stringify(pairs), CONFIG_CACHE_SECONDS);
    this.configValue = parseConfig(pairs);
    return this.configValue;
  }

  /** Forgets the cached Config (after setup() or an operator's change from a sidebar). */
  static forgetConfig(): void {
    scriptCache().remove(CONFIG_CACHE_KEY);
  }

  now(): Date {
    return this.clock.now();
  }

  /**
   * A new id `<prefix>_<epoch ms>`, one more than the last one issued (kept in Script Property
   * `stateKey`) when two share a millisecond: unique across executions under the lock, with no
   * Sheets call.
   */
  stampedId(prefix: string, stateKey: string): string {
    const last = Number(this.settings.state(stateKey)) || 0;
    const ms = Math.max(this.now().getTime(), last + 1);
    this.settings.setState(stateKey, String(ms));
    return `${prefix}_${ms}`;
  }

  stripe(): StripeApi {
    return new StripeApi(this.http, this.settings.get('STRIPE_SECRET_KEY'));
  }

  graph(): GraphApi {
    return new GraphApi(this.http, this.settings.get('FB_ACCESS_TOKEN'), this.settings.get('FB_API_VERSION') || DEFAULT_FB_API_VERSION);
  }

  twilio(): TwilioApi {
    return new TwilioApi(this.http, this.settings.get('TWILIO_ACCOUNT_SID'), this.settings.get('TWILIO_AUTH_TOKEN'), base64);
  }

  hmac(message: string, key: string): string {
    return hmacSha256(message, key);
  }

  /** The web app's /exec URL for every link the project sends: WEBAPP_URL, else Apps Script's getUrl(). */
  webAppUrl(): string {
    return this.webApp().url;
  }

  /** The web app URL and where it comes from (the Configuration sidebar and the Diagnostic say which). */
  webApp(): { url: string; source: WebAppUrlSource } {
    const set = this.settings.get('WEBAPP_URL').trim();
    if (set) return { url: set, source: 'property' };
    const url = serviceUrl();
    return { url, source: url ? 'service' : 'none' };
  }

  /** Sends an email; the error text (redacted) when it fails. */
  mail(mail: Mail): string | null {
    this.outbound++;
    const error = sendMail(mail);
    if (!error) this.mailed.push(mail);
    return error ? this.settings.redact(error) : null;
  }

  /** Text safe to store or show: secrets removed. */
  redact(text: string): string {
    return this.settings.redact(text);
  }
}
