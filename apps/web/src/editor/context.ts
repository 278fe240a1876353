import type { ChangeActor, OfferFacts, PlanContent } from '@bascule/plan-model';
import { createContext, useContext } from 'react';
import type * as Y from 'yjs';

export interface Offer {
  readonly id: string;
  readonly name: string;
  readonly provider: string;
  readonly secNumCloudStatus: 'QUALIFIED' | 'IN_PROGRESS' | 'NOT_QUALIFIED' | 'DISCONTINUED';
  readonly expectedQualification: string | null;
  readonly hds: boolean;
}

/** A person of the plan: a member who may own an entry, be mentioned, approve a go / no-go point. */
export interface Person {
  readonly id: string;
  readonly name: string;
}

/** What plan-model's eligibility needs of a catalog offer. */
export function offerFactsOf(offer: Offer): OfferFacts {
  return {
    id: offer.id,
    name: offer.name,
    secNumCloud: offer.secNumCloudStatus,
    expectedQualification: offer.expectedQualification,
    hds: offer.hds,
  };
}

export interface EditorContextValue {
  readonly planId: string;
  readonly doc: Y.Doc;
  readonly content: PlanContent;
  /** No editing controls: a viewer, a document from a newer Bascule, or access lost. */
  readonly readOnly: boolean;
  /** May set a checkpoint to passed or waived (APPROVER and OWNER). */
  readonly canApprove: boolean;
  /** This person as the governance rules see them: who may act on runbook tasks and vote on go / no-go points. */
  readonly actor: ChangeActor;
  readonly today: string;
  readonly offers: readonly Offer[];
  readonly frameworks: readonly { readonly id: string; readonly name: string }[];
  readonly viewerName: string;
  /** Everyone who may read the plan, by name: whom a comment or the notes mention, who may own an entry. */
  readonly people: readonly Person[];
  /** Runs a change to the document; a refused one (bad input) is reported, nothing is written. */
  readonly edit: (change: () => void) => void;
  /**
   * Runs a change the governance rules apply to (statuses, approvals, gates) on a copy first, as
   * the server will judge it; a refused one is explained and never written. Says whether it was written.
   */
  readonly governed: (change: (doc: Y.Doc) => void) => boolean;
  /** Tells the others what this person is editing (shown in presence), or null. */
  readonly setEditing: (what: string | null) => void;
}

/** Everything but the content: the same object while the document changes. */
export type EditorTools = Omit<EditorContextValue, 'content'>;

export const EditorContext = createContext<EditorContextValue | null>(null);
export const EditorToolsContext = createContext<EditorTools | null>(null);

/** The editor with the plan's content: re-renders at every change of the document. */
export function useEditor(): EditorContextValue {
  const value = useContext(EditorContext);
  if (value === null) throw new Error('useEditor outside the plan editor');
  return value;
}

/**
 * The editor without the content, for rows: a row that reads only its own entry (a prop) and these
 * re-renders only when its entry changes, not whenever someone types anywhere in the plan.
 */
export function useEditorTools(): EditorTools {
  const value = useContext(EditorToolsContext);
  if (value === null) throw new Error('useEditorTools outside the plan editor');
  return value;
}
