import { Inject, Injectable } from '@nestjs/common';
import type { Language } from '@bascule/plan-model';
import type { AppConfig } from '../config/config.js';
import { escapeHtml } from '../common/text.js';
import { APP_CONFIG } from '../core/core.module.js';

/** A line of a list: a plan, a risk, a comment; linked when it has a URL. */
export interface MailItem {
  readonly label: string;
  readonly detail?: string;
  readonly url?: string;
}

/** What an e-mail says, in plain text; the renderer lays it out. */
export interface MailContent {
  readonly language: Language;
  readonly subject: string;
  readonly greeting?: string;
  /** Plain text; a line break stays one. */
  readonly paragraphs: readonly string[];
  readonly items?: readonly MailItem[];
  /** The one thing to do, shown as a button and as an address to copy. */
  readonly action?: { readonly label: string; readonly url: string };
  /** Why the person gets this e-mail and, for the kinds they may turn off, where to. */
  readonly footer?: { readonly reason: string; readonly unsubscribeUrl?: string };
}

/** An e-mail ready for the outbox: spread it into an OutgoingMail. */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** List-Unsubscribe and List-Unsubscribe-Post when the content has an unsubscribe address. */
  readonly headers: Readonly<Record<string, string>>;
}

const WORDS = {
  en: {
    copyLink: 'If the button does not work, copy this address into your browser:',
    unsubscribe: 'Unsubscribe',
    sentBy: 'Sent by Bascule',
  },
  fr: {
    copyLink: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
    unsubscribe: 'Se désabonner',
    sentBy: 'Envoyé par Bascule',
  },
} as const satisfies Record<Language, Record<string, string>>;

/** Only web addresses become links: anything else in a URL field is a bug, refused before it is sent. */
function webUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) throw new Error(`an e-mail link must be an http(s) address: ${url.slice(0, 40)}`);
  return url;
}

const STYLE = {
  body: "margin:0;padding:24px 12px;background:#f4f5f7;color:#1f2933;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5",
  card: 'max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d9dde3;border-radius:6px;padding:24px',
  brand: 'margin:0 0 20px;font-size:13px;font-weight:700;letter-spacing:0.04em;color:#3b4a5a',
  paragraph: 'margin:0 0 14px',
  list: 'margin:0 0 14px;padding-left:20px',
  button:
    'display:inline-block;background:#1d4ed8;color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;font-weight:600',
  small: 'margin:0 0 14px;font-size:13px;color:#52606d;word-break:break-all',
  footer: 'max-width:560px;margin:16px auto 0;font-size:12px;color:#52606d',
  link: 'color:#1d4ed8',
} as const;

/**
 * One layout for every e-mail Bascule sends: the same text as plain text and as simple HTML (inline
 * styles, no image, nothing fetched from elsewhere, so that it reads the same in every mail client and
 * tells the reader nothing about when it is opened). Every piece of text is escaped into the HTML.
 */
@Injectable()
export class MailRenderer {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  render(content: MailContent): RenderedMail {
    const words = WORDS[content.language];
    const subject = content.subject.replace(/\s+/g, ' ').trim();
    const unsubscribeUrl =
      content.footer?.unsubscribeUrl === undefined ? undefined : webUrl(content.footer.unsubscribeUrl);
    return {
      subject,
      text: this.text(content, words, unsubscribeUrl),
      html: this.html(content, subject, words, unsubscribeUrl),
      // Bascule's unsubscribe links also take a POST: one click in the mail client (RFC 8058).
      headers:
        unsubscribeUrl === undefined
          ? {}
          : { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }

  private text(content: MailContent, words: (typeof WORDS)[Language], unsubscribeUrl: string | undefined): string {
    const blocks = [
      ...(content.greeting === undefined ? [] : [content.greeting]),
      ...content.paragraphs,
      ...(content.items === undefined || content.items.length === 0
        ? []
        : [
            content.items
              .map((item) =>
                [
                  `- ${item.label}${item.detail === undefined ? '' : `: ${item.detail}`}`,
                  ...(item.url === undefined ? [] : [`  ${webUrl(item.url)}`]),
                ].join('\n'),
              )
              .join('\n'),
          ]),
      ...(content.action === undefined ? [] : [`${content.action.label}:\n${webUrl(content.action.url)}`]),
    ];
    const footer = [
      ...(content.footer === undefined ? [] : [content.footer.reason]),
      ...(unsubscribeUrl === undefined ? [] : [`${words.unsubscribe}: ${unsubscribeUrl}`]),
      `${words.sentBy}, ${this.config.publicUrl}`,
    ];
    // "-- " is the signature separator mail clients recognise.
    return `${blocks.join('\n\n')}\n\n-- \n${footer.join('\n')}\n`;
  }

  private html(
    content: MailContent,
    subject: string,
    words: (typeof WORDS)[Language],
    unsubscribeUrl: string | undefined,
  ): string {
    const paragraph = (text: string) =>
      `<p style="${STYLE.paragraph}">${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p>`;
    const link = (url: string, label: string, style: string = STYLE.link) =>
      `<a href="${escapeHtml(webUrl(url))}" style="${style}">${escapeHtml(label)}</a>`;
    const items =
      content.items === undefined || content.items.length === 0
        ? ''
        : `<ul style="${STYLE.list}">${content.items
            .map(
              (item) =>
                `<li>${item.url === undefined ? escapeHtml(item.label) : link(item.url, item.label)}${
                  item.detail === undefined ? '' : ` — ${escapeHtml(item.detail)}`
                }</li>`,
            )
            .join('')}</ul>`;
    const action =
      content.action === undefined
        ? ''
        : `<p style="${STYLE.paragraph}">${link(content.action.url, content.action.label, STYLE.button)}</p>` +
          `<p style="${STYLE.small}">${escapeHtml(words.copyLink)}<br>${link(content.action.url, content.action.url)}</p>`;
    const footer = [
      ...(content.footer === undefined ? [] : [escapeHtml(content.footer.reason)]),
      ...(unsubscribeUrl === undefined ? [] : [link(unsubscribeUrl, words.unsubscribe)]),
      `${escapeHtml(words.sentBy)}, ${link(this.config.publicUrl, this.config.publicUrl)}`,
    ];
    return [
      '<!DOCTYPE html>',
      `<html lang="${content.language}">`,
      `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>`,
      `<body style="${STYLE.body}">`,
      `<div style="${STYLE.card}">`,
      `<p style="${STYLE.brand}">BASCULE</p>`,
      content.greeting === undefined ? '' : paragraph(content.greeting),
      ...content.paragraphs.map(paragraph),
      items,
      action,
      '</div>',
      `<p style="${STYLE.footer}">${footer.join('<br>')}</p>`,
      '</body>',
      '</html>',
    ]
      .filter((line) => line !== '')
      .join('\n');
  }
}
