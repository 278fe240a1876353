import { registerEnumType } from '@nestjs/graphql';
import { LANGUAGES } from '@bascule/plan-model';

/** A GraphQL enum whose values are the document's own (the document stores the same upper-case words). */
export function documentEnum<const V extends readonly string[]>(values: V, name: string, description: string) {
  const enumObject = Object.fromEntries(values.map((value) => [value, value])) as { [K in V[number]]: K };
  registerEnumType(enumObject, { name, description });
  return enumObject;
}

export const LanguageEnum = documentEnum(
  LANGUAGES,
  'Language',
  'A language Bascule writes in (fr, en): templates, automatic risks, catalog texts and reports.',
);
