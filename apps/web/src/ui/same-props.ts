/**
 * Props equality for rows memoised by content: values compare as they are, plain objects and arrays
 * (an entry read again from the document, a list of options) by what they hold.
 */
export function sameProps<P extends object>(previous: Readonly<P>, next: Readonly<P>): boolean {
  const keys = Object.keys(next) as (keyof P)[];
  if (keys.length !== Object.keys(previous).length) return false;
  return keys.every((key) => {
    const a = previous[key];
    const b = next[key];
    if (Object.is(a, b)) return true;
    return (
      typeof a === 'object' &&
      typeof b === 'object' &&
      a !== null &&
      b !== null &&
      JSON.stringify(a) === JSON.stringify(b)
    );
  });
}
