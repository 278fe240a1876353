import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import { useQuery } from './api/hooks';
import { useSession } from './api/session-context';
import { useI18n } from './i18n/i18n';
import type { Language } from './i18n/messages';

export interface Viewer {
  readonly user: { readonly id: string; readonly email: string; readonly displayName: string };
  readonly organization: { readonly id: string; readonly name: string } | null;
  readonly role: 'OWNER' | 'ADMIN' | 'MEMBER' | null;
  /** The language Bascule writes to this person in (e-mails); null until one is chosen. */
  readonly language: Language | null;
}

const ME_QUERY = /* GraphQL */ `
  query Me {
    me {
      user {
        id
        email
        displayName
      }
      organization {
        id
        name
      }
      role
      language
    }
  }
`;

const SET_LANGUAGE = /* GraphQL */ `
  mutation SetLanguage($language: Language!) {
    setLanguage(language: $language) {
      language
    }
  }
`;

const ViewerContext = createContext<Viewer | null>(null);

/** Who is signed in, in which organization, with which role (loaded once per session). */
export function ViewerProvider({ children }: { readonly children: ReactNode }) {
  const { data } = useQuery<{ me: Viewer }>(ME_QUERY);
  useEmailLanguage(data?.me.language);
  return <ViewerContext.Provider value={data?.me ?? null}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer | null {
  return useContext(ViewerContext);
}

/**
 * E-mails come in the interface's language: the server is told once signed in when it holds
 * another, and again whenever the language is switched.
 */
function useEmailLanguage(held: Language | null | undefined): void {
  const { language } = useI18n();
  const session = useSession();
  const told = useRef<Language | null | undefined>(undefined);
  useEffect(() => {
    if (held === undefined) return;
    const known = told.current ?? held;
    if (known === language) return;
    told.current = language;
    session.request(SET_LANGUAGE, { language }).catch(() => {
      // Not recorded (offline, a read-only token): asked again at the next switch.
      told.current = known;
    });
  }, [held, language, session]);
}
