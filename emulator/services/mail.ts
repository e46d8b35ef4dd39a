/** MailApp fake: mails go to an outbox; the daily recipient quota (100) is enforced on the fake clock's day. */
import type { Execution } from '../core';
import { scriptError, strict } from '../core';
import { requireAuth, toHost } from './common';

/** One mail the script sent. */
export interface SentMail {
  to: string;
  subject: string;
  body: string;
  htmlBody?: string;
  /** Every advanced option given (cc, bcc, name, replyTo, noReply, attachments, htmlBody...). */
  options: Record<string, unknown>;
  /** Epoch ms on the fake clock. */
  at: number;
}

/** The persistent outbox and quota counter. */
export class MailStore {
  readonly outbox: SentMail[] = [];
  /** Recipients allowed per day. */
  dailyQuota = 100;
  private day = '';
  private used = 0;
  /** Recipients left today (the day is the fake clock's UTC date). */
  remaining(now: number): number {
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    return Math.max(0, this.dailyQuota - this.used);
  }
  /** Counts recipients against today's quota. */
  consume(now: number, n: number): void {
    this.remaining(now);
    this.used += n;
  }
}

const EMAIL = /^[^\s@,]+@[^\s@,]+$/;
const SCOPE = 'https://www.googleapis.com/auth/script.send_mail';

function addresses(v: unknown): string[] {
  return v === undefined || v === null || v === '' ? [] : String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

/** The `MailApp` global of one execution. */
export function makeMailApp(store: MailStore, exec: Execution): GoogleAppsScript.Mail.MailApp {
  const send = (to: unknown, subject: unknown, body: unknown, options: Record<string, unknown>) => {
    const recipients = [...addresses(to), ...addresses(options.cc), ...addresses(options.bcc)];
    if (recipients.length === 0) throw scriptError(exec, 'Failed to send email: no recipient');
    for (const r of recipients) if (!EMAIL.test(r)) throw scriptError(exec, `Invalid email: ${r}`);
    if (store.remaining(exec.clock.now()) < recipients.length) throw scriptError(exec, 'Service invoked too many times for one day: email.');
    store.consume(exec.clock.now(), recipients.length);
    const opts = toHost(options) as Record<string, unknown>;
    store.outbox.push({
      to: String(to),
      subject: subject === undefined || subject === null ? '' : String(subject),
      body: body === undefined || body === null ? '' : String(body),
      ...(opts.htmlBody !== undefined ? { htmlBody: String(opts.htmlBody) } : {}),
      options: opts,
      at: exec.clock.now(),
    });
  };
  return strict(exec, 'Mail', 'MailApp', {
    sendEmail: (...args: unknown[]) => {
      requireAuth(exec, 'MailApp.sendEmail', SCOPE);
      if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) {
        const { to, subject, body, ...rest } = args[0] as Record<string, unknown>;
        send(to, subject, body, rest);
      } else {
        const [to, subject, body, options] = args;
        send(to, subject, body, (options ?? {}) as Record<string, unknown>);
      }
    },
    getRemainingDailyQuota: () => {
      requireAuth(exec, 'MailApp.getRemainingDailyQuota', SCOPE);
      return store.remaining(exec.clock.now());
    },
  }) as unknown as GoogleAppsScript.Mail.MailApp;
}
