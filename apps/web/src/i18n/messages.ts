import { admin } from './messages-admin';
import { core } from './messages-core';
import { dashboard } from './messages-dashboard';
import { editor } from './messages-editor';
import { enums } from './messages-enums';
import { runbooks } from './messages-runbooks';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const areas = [core, enums, dashboard, editor, runbooks, admin] as const;
type Keys<A> = A extends { readonly en: Readonly<Record<infer K, string>> } ? K : never;
export type MessageKey = Keys<(typeof areas)[number]>;

export const messages: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = {
  en: Object.assign({}, ...areas.map((entry) => entry.en)) as Record<MessageKey, string>,
  fr: Object.assign({}, ...areas.map((entry) => entry.fr)) as Record<MessageKey, string>,
};
