/** One area's messages: French must have exactly the English keys (the compiler checks it). */
export function area<const K extends string>(
  en: Readonly<Record<K, string>>,
  fr: Readonly<Record<NoInfer<K>, string>>,
): { readonly en: Readonly<Record<K, string>>; readonly fr: Readonly<Record<K, string>> } {
  return { en, fr };
}
