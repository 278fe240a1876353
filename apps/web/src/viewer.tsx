import { createContext, type ReactNode, useContext } from 'react';
import { useQuery } from './api/hooks';

export interface Viewer {
  readonly user: { readonly id: string; readonly email: string; readonly displayName: string };
  readonly organization: { readonly id: string; readonly name: string } | null;
  readonly role: 'OWNER' | 'ADMIN' | 'MEMBER' | null;
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
    }
  }
`;

const ViewerContext = createContext<Viewer | null>(null);

/** Who is signed in, in which organization, with which role (loaded once per session). */
export function ViewerProvider({ children }: { readonly children: ReactNode }) {
  const { data } = useQuery<{ me: Viewer }>(ME_QUERY);
  return <ViewerContext.Provider value={data?.me ?? null}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer | null {
  return useContext(ViewerContext);
}
