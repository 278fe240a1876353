import { useState } from 'react';

/**
 * Runs actions that may fail and keeps the last failure's message to show (cleared by a success);
 * `then` runs after each success (reloading what the action changed).
 */
export function useAction(
  then?: () => void,
): [string | null, (action: () => Promise<unknown>) => Promise<boolean>, (text: string | null) => void] {
  const [problem, setProblem] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setProblem(null);
      then?.();
      return true;
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      return false;
    }
  };
  return [problem, act, setProblem];
}
