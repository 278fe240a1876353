import { startTransition, useEffect, useMemo, useState } from 'react';

/**
 * How many rows of a long list to build now: the first screenful at once, the rest in one later,
 * interruptible render (a transition), so a large plan is on screen and takes input before its last
 * rows exist. Rows must be memoised so that the later render only adds rows, never rebuilds them.
 */
export function useProgressiveCount(total: number, first = 30): number {
  const [all, setAll] = useState(false);
  useEffect(() => {
    if (all || total <= first) return;
    const handle = setTimeout(() => startTransition(() => setAll(true)), 0);
    return () => clearTimeout(handle);
  }, [all, total, first]);
  return all ? total : Math.min(total, first);
}

/**
 * The same array while what it holds is the same: memoised rows given it compare it by identity
 * instead of by content. `key` must change whenever the items would.
 */
export function useStable<T>(items: T, key: string): T {
  return useMemo(() => items, [key]);
}
