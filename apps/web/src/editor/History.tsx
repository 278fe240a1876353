import { type FormEvent, useEffect, useRef, useState } from 'react';
import { languageHeaders } from '../api/client';
import { useQuery, useSubscription } from '../api/hooks';
import { useSession } from '../api/session-context';
import { useAction } from '../api/use-action';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useEditor } from './context';

const HISTORY_QUERY = /* GraphQL */ `
  query PlanHistory($id: ID!) {
    plan(id: $id) {
      id
      viewerRole
      baselines {
        id
        name
        reason
        createdAt
        createdBy {
          name
        }
      }
    }
  }
`;

const TRAIL_QUERY = /* GraphQL */ `
  query PlanTrail($filter: AuditEventFilter!, $after: String) {
    auditEvents(filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          seq
          occurredAt
          action
          entity
          entityId
          field
          before
          after
          details
          actor {
            kind
            name
          }
        }
      }
    }
  }
`;

const COMPARE_QUERY = /* GraphQL */ `
  query CompareBaseline($planId: ID!, $fromId: ID!, $toId: ID) {
    compareBaselines(planId: $planId, fromId: $fromId, toId: $toId) {
      meta {
        field
        before
        after
      }
      milestones {
        ...Entries
      }
      risks {
        ...Entries
      }
      checkpoints {
        ...Entries
      }
      workloads {
        ...Entries
      }
    }
  }
  fragment Entries on CollectionDifference {
    added {
      id
      title
    }
    removed {
      id
      title
    }
    changed {
      id
      title
      slipDays
      fields {
        field
        before
        after
      }
    }
  }
`;

interface Baseline {
  readonly id: string;
  readonly name: string;
  readonly reason: 'MANUAL' | 'MILESTONE_COMPLETED' | 'BEFORE_RESTORE';
  readonly createdAt: string;
  readonly createdBy: { readonly name: string };
}

interface AuditEvent {
  readonly seq: number;
  readonly occurredAt: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly field: string | null;
  readonly before: string | null;
  readonly after: string | null;
  readonly details: string | null;
  readonly actor: { readonly kind: string; readonly name: string };
}

interface EntryDifference {
  readonly id: string;
  readonly title: string;
  readonly slipDays?: number | null;
  readonly fields?: readonly {
    readonly field: string;
    readonly before: string | null;
    readonly after: string | null;
  }[];
}
type Entries = {
  readonly added: EntryDifference[];
  readonly removed: EntryDifference[];
  readonly changed: EntryDifference[];
};
interface Difference {
  readonly meta: readonly { readonly field: string; readonly before: string | null; readonly after: string | null }[];
  readonly milestones: Entries;
  readonly risks: Entries;
  readonly checkpoints: Entries;
  readonly workloads: Entries;
}

const COLLECTIONS = ['milestones', 'risks', 'checkpoints', 'workloads'] as const;
const COLLECTION_LABELS: Record<(typeof COLLECTIONS)[number], MessageKey> = {
  milestones: 'editor.tab.milestones',
  risks: 'editor.tab.risks',
  checkpoints: 'editor.tab.compliance',
  workloads: 'editor.tab.workloads',
};

const ACTION_LABELS: Readonly<Record<string, MessageKey>> = {
  created: 'history.created',
  updated: 'history.updated',
  deleted: 'history.deleted',
};
const ENTITY_LABELS: Readonly<Record<string, MessageKey>> = {
  ...COLLECTION_LABELS,
  plan: 'editor.header',
  notes: 'editor.tab.notes',
};

/** A JSON value from the trail or a comparison, shown short. */
function shown(json: string | null): string {
  if (json === null) return '—';
  const value: unknown = JSON.parse(json);
  if (value === null || value === '') return '—';
  const named = value as { title?: unknown; name?: unknown };
  const text =
    typeof value === 'string'
      ? value
      : Array.isArray(value)
        ? `${value.length}`
        : typeof named.title === 'string'
          ? named.title
          : typeof named.name === 'string'
            ? named.name
            : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** The plan's history: its baselines (save, compare with now, restore) and its audit trail. */
export function History({ planId }: { readonly planId: string }) {
  const { t } = useI18n();
  const session = useSession();
  const { readOnly } = useEditor();
  const history = useQuery<{ plan: { viewerRole: string; baselines: Baseline[] } }>(HISTORY_QUERY, { id: planId });
  const [comparing, setComparing] = useState<{
    baseline: Baseline;
    against: Baseline | null;
    difference: Difference | null;
  } | null>(null);
  /** The baseline comparisons are made against; null for the plan as it is now. */
  const [againstId, setAgainstId] = useState('');
  const owner = history.data?.plan.viewerRole === 'OWNER';
  // The trail is written within a second of a change (and the change announced up to a second after
  // it is stored): read it again a little after each one, and once more later.
  const { reload } = history;
  const [changes, setChanges] = useState(0);
  const later = useRef<number[]>([]);
  const stopTimers = () => {
    for (const timer of later.current) window.clearTimeout(timer);
    later.current = [];
  };
  useSubscription('subscription ($id: ID!) { planChanged(id: $id) { id } }', { id: planId }, () => {
    stopTimers();
    later.current = [1200, 3000].map((delay) =>
      window.setTimeout(() => {
        reload();
        setChanges((count) => count + 1);
      }, delay),
    );
  });
  useEffect(() => stopTimers, []);

  const [problem, run, setProblem] = useAction(reload);
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name')).trim();
    void run(async () => {
      await session.request('mutation ($p: ID!, $n: String!) { createBaseline(planId: $p, name: $n) { id } }', {
        p: planId,
        n: name,
      });
      form.reset();
    });
  };
  const compare = (baseline: Baseline) => {
    const against = history.data?.plan.baselines.find((other) => other.id === againstId) ?? null;
    setComparing({ baseline, against, difference: null });
    void run(async () => {
      const result = await session.request<{ compareBaselines: Difference }>(COMPARE_QUERY, {
        planId,
        fromId: baseline.id,
        toId: against?.id ?? null,
      });
      setComparing({ baseline, against, difference: result.compareBaselines });
    });
  };
  const restore = (baseline: Baseline) => {
    if (!window.confirm(t('history.restoreConfirm', { name: baseline.name }))) return;
    void run(() =>
      session.request('mutation ($p: ID!, $b: ID!) { restoreBaseline(planId: $p, baselineId: $b) { id } }', {
        p: planId,
        b: baseline.id,
      }),
    );
  };

  if (history.data === null) return <p role="status">{history.error?.message ?? t('loading')}</p>;
  const { baselines } = history.data.plan;
  return (
    <div className="history">
      <section className="card" aria-labelledby="baselines-title">
        <h3 id="baselines-title">{t('history.baselines')}</h3>
        {!readOnly && (
          <form className="inline-form" onSubmit={save}>
            <label>
              {t('history.name')}
              <input name="name" required maxLength={200} />
            </label>
            <button type="submit">{t('history.save')}</button>
          </form>
        )}
        {problem !== null && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        {baselines.length > 1 && (
          <label className="compare-with">
            {t('history.against')}
            <select value={againstId} onChange={(event) => setAgainstId(event.target.value)}>
              <option value="">{t('history.now')}</option>
              {baselines.map((baseline) => (
                <option key={baseline.id} value={baseline.id}>
                  {baseline.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {baselines.length === 0 ? (
          <p className="muted">{t('history.noBaselines')}</p>
        ) : (
          <ul className="baselines" data-testid="baselines">
            {baselines.map((baseline) => (
              <li key={baseline.id} data-testid="baseline">
                <strong>{baseline.name}</strong>{' '}
                <span className="muted">
                  {t(`history.reason.${baseline.reason}`)} · {baseline.createdBy.name} ·{' '}
                  {new Date(baseline.createdAt).toLocaleString()}
                </span>{' '}
                <button type="button" onClick={() => compare(baseline)} disabled={baseline.id === againstId}>
                  {t('history.compare')}
                </button>
                {owner && !readOnly && (
                  <button type="button" onClick={() => restore(baseline)}>
                    {t('history.restore')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {comparing !== null && (
          <div className="comparison" data-testid="comparison" aria-live="polite">
            <h4>
              {comparing.against === null
                ? t('history.since', { name: comparing.baseline.name })
                : t('history.between', { from: comparing.baseline.name, to: comparing.against.name })}
            </h4>
            {comparing.difference === null ? (
              <p role="status">{t('loading')}</p>
            ) : (
              <DifferenceView difference={comparing.difference} />
            )}
          </div>
        )}
      </section>
      <Reports planId={planId} onProblem={setProblem} />
      <AuditTrail planId={planId} refresh={changes} onProblem={setProblem} />
    </div>
  );
}

function DifferenceView({ difference }: { readonly difference: Difference }) {
  const { t } = useI18n();
  const empty =
    difference.meta.length === 0 &&
    COLLECTIONS.every((name) => Object.values(difference[name]).every((list) => list.length === 0));
  if (empty) return <p className="muted">{t('history.noChange')}</p>;
  return (
    <ul>
      {difference.meta.map((field) => (
        <li key={field.field}>
          {t('editor.header')} · {field.field}: {shown(field.before)} → {shown(field.after)}
        </li>
      ))}
      {COLLECTIONS.flatMap((name) => [
        ...difference[name].added.map((entry) => (
          <li key={`${name}+${entry.id}`}>
            {t(COLLECTION_LABELS[name])} · {t('history.added')}: {entry.title}
          </li>
        )),
        ...difference[name].removed.map((entry) => (
          <li key={`${name}-${entry.id}`}>
            {t(COLLECTION_LABELS[name])} · {t('history.removed')}: {entry.title}
          </li>
        )),
        ...difference[name].changed.map((entry) => (
          <li key={`${name}~${entry.id}`}>
            {t(COLLECTION_LABELS[name])} · {entry.title}
            {entry.slipDays !== null && entry.slipDays !== undefined && (
              <strong className={entry.slipDays > 0 ? 'slip' : undefined}>
                {' '}
                {t('history.slip', { days: entry.slipDays > 0 ? `+${entry.slipDays}` : String(entry.slipDays) })}
              </strong>
            )}
            :{' '}
            {(entry.fields ?? [])
              .map((field) => `${field.field} ${shown(field.before)} → ${shown(field.after)}`)
              .join('; ')}
          </li>
        )),
      ])}
    </ul>
  );
}

/** Fetches `path` with the session's token and saves it as `filename`. */
async function downloadAs(session: ReturnType<typeof useSession>, path: string, filename: string): Promise<void> {
  const token = await session.accessToken();
  const response = await fetch(path, {
    headers: { ...languageHeaders(), ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
  });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

const TRAIL_ENTITIES = ['plan', 'milestones', 'risks', 'checkpoints', 'workloads', 'notes'] as const;
const TRAIL_ACTIONS = ['created', 'updated', 'deleted', 'refused'] as const;

interface TrailPage {
  readonly totalCount: number;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly edges: readonly { readonly node: AuditEvent }[];
}

/**
 * The plan's audit trail, newest first: filtered by part and action, fifty at a time with more on
 * demand, read again after changes; the whole plan's trail exports as CSV.
 */
function AuditTrail({
  planId,
  refresh,
  onProblem,
}: {
  readonly planId: string;
  /** Changes seen so far: each one reads the first page again. */
  readonly refresh: number;
  readonly onProblem: (text: string) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [entity, setEntity] = useState('');
  const [action, setAction] = useState('');
  const [trail, setTrail] = useState<{ events: AuditEvent[]; page: TrailPage } | null>(null);
  const filter = { planId, ...(entity === '' ? {} : { entity }), ...(action === '' ? {} : { action }) };
  const filterKey = JSON.stringify(filter);

  /** Only the latest request's answer is shown (a slower one for older filters is dropped). */
  const latest = useRef(0);
  const load = async (after: string | null, previous: AuditEvent[]) => {
    const request = ++latest.current;
    try {
      const result = await session.request<{ auditEvents: TrailPage }>(TRAIL_QUERY, {
        filter: JSON.parse(filterKey) as Record<string, string>,
        after,
      });
      if (request !== latest.current) return;
      setTrail({
        events: [...previous, ...result.auditEvents.edges.map((edge) => edge.node)],
        page: result.auditEvents,
      });
    } catch (error) {
      onProblem(error instanceof Error ? error.message : String(error));
    }
  };
  // Read again from the first page when the filters change, or the plan did.
  useEffect(() => {
    void load(null, []);
  }, [filterKey, refresh]);

  const exportCsv = () => {
    const query = new URLSearchParams({ planId });
    downloadAs(session, `/audit/events.csv?${query.toString()}`, `bascule-audit-${planId}.csv`).catch(
      (error: unknown) => onProblem(error instanceof Error ? error.message : String(error)),
    );
  };

  return (
    <section className="card" aria-labelledby="trail-title">
      <h3 id="trail-title">
        {t('history.trail')} {trail !== null && <span className="muted">({trail.page.totalCount})</span>}
      </h3>
      <div className="inline-form trail-filters">
        <label>
          {t('history.filterEntity')}
          <select value={entity} onChange={(event) => setEntity(event.target.value)} data-testid="trail-entity">
            <option value="">{t('history.all')}</option>
            {TRAIL_ENTITIES.map((name) => (
              <option key={name} value={name}>
                {t(ENTITY_LABELS[name] ?? 'editor.header')}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('history.filterAction')}
          <select value={action} onChange={(event) => setAction(event.target.value)} data-testid="trail-action">
            <option value="">{t('history.all')}</option>
            {TRAIL_ACTIONS.map((name) => (
              <option key={name} value={name}>
                {name === 'refused' ? t('history.refused') : t(ACTION_LABELS[name] ?? 'history.updated')}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={exportCsv}>
          {t('history.exportCsv')}
        </button>
      </div>
      {trail === null ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <>
          <table className="grid trail" data-testid="audit-trail">
            <thead>
              <tr>
                <th scope="col">{t('history.when')}</th>
                <th scope="col">{t('history.who')}</th>
                <th scope="col">{t('history.what')}</th>
                <th scope="col">{t('history.before')}</th>
                <th scope="col">{t('history.after')}</th>
              </tr>
            </thead>
            <tbody>
              {trail.events.map((node) => (
                <tr key={node.seq} className={node.action === 'refused' ? 'refused' : undefined}>
                  <td>{new Date(node.occurredAt).toLocaleString()}</td>
                  <td>{node.actor.kind === 'system' ? t('history.system') : node.actor.name}</td>
                  <td>
                    {node.action === 'refused'
                      ? `${t('history.refused')}: ${(JSON.parse(node.details ?? '{}') as { message?: string }).message ?? ''}`
                      : `${t(ACTION_LABELS[node.action] ?? 'history.updated')} · ${t(
                          ENTITY_LABELS[node.entity] ?? 'editor.header',
                        )}${node.field === null ? '' : ` · ${node.field}`}`}
                  </td>
                  <td>{shown(node.before)}</td>
                  <td>{shown(node.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {trail.page.pageInfo.hasNextPage && (
            <button
              type="button"
              className="secondary"
              onClick={() => void load(trail.page.pageInfo.endCursor, trail.events)}
            >
              {t('history.more', { shown: trail.events.length, total: trail.page.totalCount })}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The plan's status report to download, and the address of its calendar feed. */
function Reports({ planId, onProblem }: { readonly planId: string; readonly onProblem: (text: string) => void }) {
  const { t } = useI18n();
  const session = useSession();
  const download = (format: 'md' | 'csv') =>
    downloadAs(session, `/reports/plans/${planId}.${format}`, `bascule-plan-${planId}.${format}`).catch(
      (error: unknown) => onProblem(error instanceof Error ? error.message : String(error)),
    );
  return (
    <section className="card" aria-labelledby="reports-title">
      <h3 id="reports-title">{t('history.reports')}</h3>
      <button type="button" className="secondary" onClick={() => void download('md')}>
        {t('history.reportMarkdown')}
      </button>{' '}
      <button type="button" className="secondary" onClick={() => void download('csv')}>
        {t('history.reportCsv')}
      </button>
      <p className="muted">
        {t('history.calendar')} <code>{`${window.location.origin}/calendar/plans/${planId}.ics?token=bsc_…`}</code>
      </p>
    </section>
  );
}
