import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type SMTPPoolOptions, type Transporter } from 'nodemailer';
import { type AppConfig, SMTP_URL_OPTIONS } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';

/** One message as it leaves. */
export interface SmtpMessage {
  /** Unique per message and the same on every attempt: it makes the Message-ID. */
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Short beside the minute an outbox row stays claimed (database/outbox.ts), so that an attempt
 * usually ends before another worker may take the same row; the socket timeout is an idle timeout,
 * so a very slow server can still outlast the claim, and the e-mail is then sent twice (delivery is
 * at least once; its Message-ID tells the copies apart).
 */
const TIMEOUTS = { dnsTimeout: 10_000, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** nodemailer's options for BASCULE_SMTP_URL, already validated by the configuration. */
function smtpOptionsOf(smtpUrl: string): SMTPPoolOptions {
  const url = new URL(smtpUrl);
  const options: SMTPPoolOptions = {
    pool: true,
    host: url.hostname,
    secure: url.protocol === 'smtps:',
    ...TIMEOUTS,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    ...(url.username === ''
      ? {}
      : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
  };
  for (const name of SMTP_URL_OPTIONS) {
    const value = url.searchParams.get(name);
    if (value === null) continue;
    if (name === 'rejectUnauthorized') options.tls = { rejectUnauthorized: value === 'true' };
    else options[name] = value === 'true';
  }
  return options;
}

/** The password of an SMTP URL as given, decoded, and as AUTH LOGIN and AUTH PLAIN send it. */
function passwordForms(url: URL): string[] {
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return [
    url.password,
    password,
    Buffer.from(password).toString('base64'),
    Buffer.from(`\0${user}\0${password}`).toString('base64'),
  ];
}

/**
 * Where e-mail leaves this process: one pooled SMTP transport, opened at the first message (only
 * the worker role sends) and closed on shutdown.
 */
@Injectable()
export class SmtpTransport implements OnApplicationShutdown {
  private transport: Transporter | undefined;
  /** What an error must never show. */
  private readonly secrets: readonly string[];
  private readonly messageIdDomain: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const url = config.mail.smtpUrl === null ? undefined : new URL(config.mail.smtpUrl);
    // Longest first: one form may contain another (AUTH PLAIN's ends with AUTH LOGIN's).
    this.secrets =
      url === undefined || url.password === '' ? [] : passwordForms(url).sort((a, b) => b.length - a.length);
    this.messageIdDomain = /@([^\s<>@]+)>?$/.exec(config.mail.from)?.[1] ?? 'localhost';
  }

  async send(message: SmtpMessage): Promise<void> {
    if (this.config.mail.smtpUrl === null) throw new Error('e-mail is off (BASCULE_SMTP_URL is not set)');
    this.transport ??= createTransport(smtpOptionsOf(this.config.mail.smtpUrl));
    await this.transport.sendMail({
      from: this.config.mail.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: `<${message.id}@${this.messageIdDomain}>`,
      // RFC 3834: no out-of-office replies to messages a machine sent.
      headers: { 'Auto-Submitted': 'auto-generated', ...message.headers },
    });
  }

  /** A failure as the delivery log keeps it: one line, at most 500 characters, without the password. */
  describe(failure: unknown): string {
    let text = failure instanceof Error ? failure.message : String(failure);
    for (const secret of this.secrets) text = text.split(secret).join('***');
    return text.replace(/\s+/g, ' ').trim().slice(0, 500);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
