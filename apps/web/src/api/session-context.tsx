import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { Session, TokenPair } from './client';

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { readonly session: Session; readonly children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The current token pair, re-rendering when it changes (sign-in, refresh, sign-out). */
export function useTokens(): TokenPair | null {
  const session = useSession();
  return useSyncExternalStore(
    (onChange) => session.onChange(onChange),
    () => session.current,
  );
}
