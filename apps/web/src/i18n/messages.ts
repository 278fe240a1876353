import { admin } from './messages-admin';
import { conversations } from './messages-conversations';
import { core } from './messages-core';
import { dashboard } from './messages-dashboard';
import { editor } from './messages-editor';
import { enums } from './messages-enums';
import { notifications } from './messages-notifications';
import { runbooks } from './messages-runbooks';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const areas = [core, enums, dashboard, editor, runbooks, conversations, notifications, admin] as const;
type Keys<A> = A extends { readonly en: Readonly<Record<infer K, string>> } ? K : never;
export type MessageKey = Keys<(typeof areas)[number]>;

export const messages: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = {
  en: Object.assign({}, ...areas.map((entry) => entry.en)) as Record<MessageKey, string>,
  fr: Object.assign({}, ...areas.map((entry) => entry.fr)) as Record<MessageKey, string>,
};
