import {
  type ChangeActor,
  type CommentSubject,
  dayOf,
  GovernanceError,
  governedChange,
  NewerSchemaError,
  assertEditable,
  type PlanContent,
  PlanInputError,
  readPlan,
  type Refusal,
} from '@bascule/plan-model';
import {
  type KeyboardEvent,
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import * as Y from 'yjs';
import { useQuery } from '../api/hooks';
import { useSession } from '../api/session-context';
import { type Translate, useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useStable } from '../ui/progressive';
import { useViewer } from '../viewer';
import { Compliance } from './Compliance';
import {
  EditorContext,
  type EditorContextValue,
  type EditorTools,
  EditorToolsContext,
  type Offer,
  type Person,
} from './context';
import { type About, aboutKey, aboutOfLink, titleOf as titleAbout } from './discussion/about';
import {
  type Discussion as DiscussionValue,
  DiscussionContext,
  openThreadCounts,
} from './discussion/discussion-context';
import { History } from './History';
import { Milestones } from './Milestones';
import { PlanHeader } from './PlanHeader';
import { type ConnectionStatus, PlanConnection } from './plan-connection';
import { Presence } from './Presence';
import { Risks } from './Risks';
import { Workloads } from './Workloads';

// TipTap is the largest part of the editor: it loads when the notes are opened.
const Notes = lazy(() => import('./Notes'));
// Runbooks (writing, the live run, the war room, the timeline) load when their tab is opened.
const Runbooks = lazy(() => import('./Runbooks'));
// Threads and their composer load when a discussion is first opened (the counts are the editor's).
const Discussion = lazy(() => import('./discussion/Discussion'));
const EntryDiscussion = lazy(() => import('./discussion/EntryDiscussion'));

const PLAN_QUERY = /* GraphQL */ `
  query PlanForEditor($id: ID!) {
    plan(id: $id) {
      id
      title
      viewerRole
      mentionable {
        id
        displayName
      }
    }
    catalog {
      offers {
        id
        name
        provider
        secNumCloudStatus
        expectedQualification
        hds
      }
      frameworks {
        id
        name
      }
    }
  }
`;

interface PlanForEditor {
  readonly plan: {
    readonly id: string;
    readonly title: string;
    readonly viewerRole: 'OWNER' | 'EDITOR' | 'APPROVER' | 'VIEWER';
    readonly mentionable: readonly { readonly id: string; readonly displayName: string }[];
  };
  readonly catalog: { readonly offers: readonly Offer[]; readonly frameworks: readonly { id: string; name: string }[] };
}

const TABS = ['milestones', 'risks', 'compliance', 'workloads', 'runbooks', 'notes', 'discussion', 'history'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, MessageKey> = {
  milestones: 'editor.tab.milestones',
  risks: 'editor.tab.risks',
  compliance: 'editor.tab.compliance',
  workloads: 'editor.tab.workloads',
  runbooks: 'editor.tab.runbooks',
  notes: 'editor.tab.notes',
  discussion: 'editor.tab.discussion',
  history: 'editor.tab.history',
};
/** Where an entry of each collection is edited; the plan's own threads are in its Discussion. */
const SUBJECT_TABS: Record<CommentSubject, Tab> = {
  plan: 'discussion',
  milestones: 'milestones',
  risks: 'risks',
  checkpoints: 'compliance',
  workloads: 'workloads',
  runbookTasks: 'runbooks',
};

/** The live document's content, read again at most once per frame however many updates arrive. */
function useLiveContent(connection: PlanConnection): PlanContent | null {
  const [content, setContent] = useState<PlanContent | null>(null);
  useEffect(() => {
    let frame = 0;
    // Document updates seen, and how many the content on screen reflects: the server's "synced"
    // often follows the update that carried everything, and reading again would render it all twice.
    let changes = 0;
    let shown = -1;
    const read = () => {
      frame = 0;
      if (shown === changes) return;
      shown = changes;
      setContent(readPlan(connection.doc));
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(read);
    };
    let loaded = false;
    const onUpdate = () => {
      changes += 1;
      if (loaded) schedule();
    };
    connection.doc.on('update', onUpdate);
    // Show what this device kept, or wait for the server when it kept nothing.
    void connection.whenLocalLoaded().then(() => {
      loaded = true;
      if (connection.doc.getMap('plan').size > 0) schedule();
    });
    const onSync = (synced: boolean) => {
      if (synced) {
        loaded = true;
        schedule();
      }
    };
    connection.provider.on('sync', onSync);
    // It may have synced before this effect ran.
    onSync(connection.provider.synced);
    return () => {
      connection.provider.off('sync', onSync);
      connection.doc.off('update', onUpdate);
      cancelAnimationFrame(frame);
    };
  }, [connection]);
  return content;
}

function useConnectionStatus(connection: PlanConnection): ConnectionStatus {
  return useSyncExternalStore(
    (onChange) => connection.onStatus(onChange),
    () => connection.current,
  );
}

/**
 * The plan's live connection is made in an effect, never during render: a render React discards
 * (a lazy chunk suspending, a concurrent update) would otherwise leave a connection open that
 * nothing shows, and show one that was closed.
 */
export default function PlanEditor({ planId }: { readonly planId: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [connection, setConnection] = useState<PlanConnection | null>(null);
  useEffect(() => {
    const created = new PlanConnection(planId, session);
    setConnection(created);
    return () => created.destroy();
  }, [planId, session]);
  if (connection === null || connection.planId !== planId) return <p role="status">{t('loading')}</p>;
  return <LivePlanEditor key={planId} planId={planId} connection={connection} />;
}

function LivePlanEditor({ planId, connection }: { readonly planId: string; readonly connection: PlanConnection }) {
  const { t } = useI18n();
  const viewer = useViewer();
  const meta = useQuery<PlanForEditor>(PLAN_QUERY, { id: planId });
  const content = useLiveContent(connection);
  const status = useConnectionStatus(connection);
  const [tab, setTab] = useState<Tab>('milestones');
  const [problem, setProblem] = useState<string | null>(null);
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const discussion = useDiscussionState(planId, content, setTab);

  const role = meta.data?.plan.viewerRole;
  let newerSchema = false;
  if (content !== null) {
    try {
      assertEditable(connection.doc);
    } catch (error) {
      if (error instanceof NewerSchemaError) newerSchema = true;
    }
  }
  const readOnly = role === undefined || role === 'VIEWER' || status.connection === 'denied' || newerSchema;
  const edit = useCallback((change: () => void) => {
    try {
      change();
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof PlanInputError ? error.message : String(error));
    }
  }, []);
  const setEditing = useCallback(
    (what: string | null) => connection.provider.awareness.setLocalStateField('editing', what),
    [connection],
  );
  const canApprove = role === 'OWNER' || role === 'APPROVER';
  const canEdit = role === 'OWNER' || role === 'EDITOR';
  const viewerName = viewer?.user.displayName ?? '';
  const people = useMemo<readonly Person[]>(
    () => (meta.data?.plan.mentionable ?? []).map((user) => ({ id: user.id, name: user.displayName })),
    [meta.data],
  );
  const viewerId = viewer?.user.id ?? null;
  const actor = useMemo<ChangeActor>(
    () => ({ canApprove, canEdit, userId: viewerId, name: viewerName }),
    [canApprove, canEdit, viewerId, viewerName],
  );
  const governed = useCallback(
    (change: (doc: Y.Doc) => void): boolean => {
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(connection.doc));
      try {
        governedChange(scratch, actor, new Date().toISOString(), change);
      } catch (error) {
        if (error instanceof GovernanceError && error.refusals[0] !== undefined) {
          setProblem(refusalMessage(error.refusals[0], readPlan(scratch), t));
          return false;
        }
        setProblem(error instanceof PlanInputError ? error.message : String(error));
        return false;
      } finally {
        scratch.destroy();
      }
      try {
        change(connection.doc);
        setProblem(null);
        return true;
      } catch (error) {
        setProblem(error instanceof PlanInputError ? error.message : String(error));
        return false;
      }
    },
    [connection, actor, t],
  );
  const tools = useMemo<EditorTools>(
    () => ({
      planId,
      doc: connection.doc,
      readOnly,
      canApprove,
      actor,
      today: dayOf(new Date()),
      offers: meta.data?.catalog.offers ?? [],
      frameworks: meta.data?.catalog.frameworks ?? [],
      viewerName,
      people,
      edit,
      governed,
      setEditing,
    }),
    [planId, connection, readOnly, canApprove, actor, meta.data, viewerName, people, edit, governed, setEditing],
  );
  const value = useMemo<EditorContextValue | null>(
    () => (content === null ? null : { ...tools, content }),
    [tools, content],
  );

  if (meta.error !== null)
    return (
      <p role="alert" className="error">
        {meta.error.message}
      </p>
    );
  if (status.connection === 'missing')
    return (
      <p role="alert" className="error">
        {t('error.notFound')}
      </p>
    );

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    const index = TABS.indexOf(tab);
    const next =
      event.key === 'ArrowRight'
        ? TABS[(index + 1) % TABS.length]
        : event.key === 'ArrowLeft'
          ? TABS[(index + TABS.length - 1) % TABS.length]
          : event.key === 'Home'
            ? TABS[0]
            : event.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setTab(next);
    tabRefs.current[next]?.focus();
  }

  return (
    <div className="editor" data-testid="plan-editor" data-read-only={readOnly}>
      <div className="editor-bar">
        <Link href="/" className="back">
          ← {t('nav.portfolio')}
        </Link>
        <Presence connection={connection} />
        <SaveIndicator status={status} />
      </div>
      {newerSchema && (
        <p role="alert" className="warning">
          {t('editor.newerSchema')}
        </p>
      )}
      {role === 'VIEWER' && <p className="notice">{t('editor.viewerNotice')}</p>}
      {status.connection === 'denied' && (
        <p role="alert" className="error">
          {t('editor.denied')}
        </p>
      )}
      {problem !== null && (
        <p role="alert" className="error" data-testid="edit-problem">
          {problem}
        </p>
      )}
      {value === null ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <EditorToolsContext.Provider value={tools}>
          <EditorContext.Provider value={value}>
            <DiscussionContext.Provider value={discussion.value}>
              <PlanHeader />
              <div role="tablist" aria-label={t('editor.sections')} className="tabs">
                {TABS.map((name) => (
                  <button
                    key={name}
                    ref={(element) => {
                      tabRefs.current[name] = element;
                    }}
                    type="button"
                    role="tab"
                    id={`tab-${name}`}
                    aria-selected={tab === name}
                    aria-controls={`panel-${name}`}
                    tabIndex={tab === name ? 0 : -1}
                    onClick={() => setTab(name)}
                    onKeyDown={onTabKey}
                  >
                    {t(TAB_LABELS[name])}
                    <span className="tab-count">{tabCount(value.content, name, discussion.value.openCounts)}</span>
                  </button>
                ))}
              </div>
              <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
                {tab === 'milestones' && <Milestones />}
                {tab === 'risks' && <Risks />}
                {tab === 'compliance' && <Compliance />}
                {tab === 'workloads' && <Workloads planId={planId} />}
                {tab === 'history' && <History planId={planId} />}
                {tab === 'runbooks' && (
                  <Suspense fallback={<p role="status">{t('loading')}</p>}>
                    <Runbooks planId={planId} connection={connection} />
                  </Suspense>
                )}
                {tab === 'notes' && (
                  <Suspense fallback={<p role="status">{t('loading')}</p>}>
                    <Notes connection={connection} />
                  </Suspense>
                )}
                {tab === 'discussion' && (
                  <Suspense fallback={<p role="status">{t('loading')}</p>}>
                    <Discussion />
                  </Suspense>
                )}
              </div>
              {discussion.about !== null && (
                <Suspense fallback={null}>
                  <EntryDiscussion
                    key={aboutKey(discussion.about)}
                    about={discussion.about}
                    onClose={discussion.close}
                  />
                </Suspense>
              )}
            </DiscussionContext.Provider>
          </EditorContext.Provider>
        </EditorToolsContext.Provider>
      )}
    </div>
  );
}

/**
 * Which entry's discussion is open beside the editor, and which comment a link pointed at. A link
 * (`?focus=risks/<id>&comment=<id>`, from a notification or an e-mail) opens the entry's tab and
 * its discussion, then leaves the address: followed again, it opens them again.
 */
function useDiscussionState(planId: string, content: PlanContent | null, setTab: (tab: Tab) => void) {
  const [about, setAbout] = useState<About | null>(null);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const search = useSearch();
  const [, navigate] = useLocation();
  const show = useCallback(
    (next: About, comment: string | null) => {
      setTab(SUBJECT_TABS[next.subject]);
      setAbout(next.subject === 'plan' ? null : next);
      setHighlighted(comment);
    },
    [setTab],
  );
  useEffect(() => {
    const link = new URLSearchParams(search);
    if (!link.has('focus') && !link.has('comment')) return;
    show(aboutOfLink(link.get('focus')), link.get('comment'));
    navigate(`/plans/${planId}`, { replace: true });
  }, [search, planId, navigate, show]);
  const open = useCallback(
    (next: About) => {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      show(next, null);
    },
    [show],
  );
  const close = useCallback(() => {
    setAbout(null);
    setHighlighted(null);
    opener.current?.focus();
  }, []);
  const comments = content?.comments;
  const counts = useMemo(() => openThreadCounts(comments ?? []), [comments]);
  // The same map while the counts hold: every entry's button re-renders only when they change.
  const openCounts = useStable(counts, JSON.stringify([...counts]));
  const value = useMemo<DiscussionValue>(() => ({ openCounts, open, highlighted }), [openCounts, open, highlighted]);
  return { about, close, value };
}

function tabCount(content: PlanContent, tab: Tab, openThreads: ReadonlyMap<string, number>): string {
  if (tab === 'notes' || tab === 'history') return '';
  if (tab === 'discussion') return String([...openThreads.values()].reduce((sum, count) => sum + count, 0));
  if (tab === 'runbooks') return String(content.runbooks.filter((runbook) => runbook.kind === 'LIVE').length);
  return String(content[tab === 'compliance' ? 'checkpoints' : tab].length);
}

/** A refusal of the governance rules in the reader's words, naming the entries by their titles. */
function refusalMessage(refusal: Refusal, content: PlanContent, t: Translate): string {
  const titled = [
    ...content.milestones,
    ...content.checkpoints,
    ...content.risks,
    ...content.runbooks,
    ...content.runbookTasks,
  ];
  const titleOf = (id: string | null): string => {
    if (id === null) return content.meta.title;
    // A comment is named by what it is about.
    const comment = refusal.collection === 'comments' ? content.comments.find((found) => found.id === id) : undefined;
    if (comment !== undefined) return titleAbout(content, comment) ?? content.meta.title;
    const vote = refusal.collection === 'runbookVotes' ? content.runbookVotes.find((found) => found.id === id) : null;
    // A vote is named by the go / no-go point it was cast on.
    const entryId = vote?.taskId ?? id;
    return titled.find((entry) => entry.id === entryId)?.title ?? entryId;
  };
  const held = refusal.code === 'GATE_BLOCKED' && refusal.collection === 'checkpoints';
  const key =
    refusal.code === 'TASK_ORDER' && refusal.related.length === 0
      ? 'governance.TASK_ORDER_NOW'
      : held
        ? 'governance.GATE_HELD'
        : (`governance.${refusal.code}` as const);
  return t(key, {
    title: titleOf(refusal.entryId),
    related: refusal.related.map((id) => titleOf(id)).join(', '),
  });
}

function SaveIndicator({ status }: { readonly status: ConnectionStatus }) {
  const { t } = useI18n();
  const [key, tone]: [MessageKey, string] =
    status.connection === 'offline'
      ? [status.save === 'saved' ? 'editor.status.offline' : 'editor.status.offlineUnsaved', 'warn']
      : status.connection === 'connecting'
        ? [status.save === 'saved' ? 'editor.status.connecting' : 'editor.status.offlineUnsaved', 'muted']
        : status.connection === 'online'
          ? [
              status.save === 'saved' ? 'editor.status.saved' : 'editor.status.saving',
              status.save === 'saved' ? 'ok' : 'muted',
            ]
          : ['editor.status.denied', 'warn'];
  return (
    <span
      className={`save-indicator ${tone}`}
      role="status"
      data-testid="save-indicator"
      data-state={`${status.connection}:${status.save}`}
    >
      {t(key)}
    </span>
  );
}
