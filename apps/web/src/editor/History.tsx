import { type FormEvent, useEffect, useRef, useState } from 'react';
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
    auditEvents(filter: { planId: $id }, first: 50) {
      totalCount
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
  query CompareBaseline($planId: ID!, $fromId: ID!) {
    compareBaselines(planId: $planId, fromId: $fromId) {
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
  const history = useQuery<{
    plan: { viewerRole: string; baselines: Baseline[] };
    auditEvents: { totalCount: number; edges: { node: AuditEvent }[] };
  }>(HISTORY_QUERY, { id: planId });
  const [comparing, setComparing] = useState<{ baseline: Baseline; difference: Difference | null } | null>(null);
  const owner = history.data?.plan.viewerRole === 'OWNER';
  // The trail is written within half a second of a change: read it again a little after each one.
  const { reload } = history;
  const later = useRef<number | undefined>(undefined);
  useSubscription('subscription ($id: ID!) { planChanged(id: $id) { id } }', { id: planId }, () => {
    window.clearTimeout(later.current);
    later.current = window.setTimeout(reload, 800);
  });
  useEffect(() => () => window.clearTimeout(later.current), []);

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
    setComparing({ baseline, difference: null });
    void run(async () => {
      const result = await session.request<{ compareBaselines: Difference }>(COMPARE_QUERY, {
        planId,
        fromId: baseline.id,
      });
      setComparing({ baseline, difference: result.compareBaselines });
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
                <button type="button" onClick={() => compare(baseline)}>
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
            <h4>{t('history.since', { name: comparing.baseline.name })}</h4>
            {comparing.difference === null ? (
              <p role="status">{t('loading')}</p>
            ) : (
              <DifferenceView difference={comparing.difference} />
            )}
          </div>
        )}
      </section>
      <Reports planId={planId} onProblem={setProblem} />
      <section className="card" aria-labelledby="trail-title">
        <h3 id="trail-title">
          {t('history.trail')} <span className="muted">({history.data.auditEvents.totalCount})</span>
        </h3>
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
            {history.data.auditEvents.edges.map(({ node }) => (
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
      </section>
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

/** The plan's status report to download, and the address of its calendar feed. */
function Reports({ planId, onProblem }: { readonly planId: string; readonly onProblem: (text: string) => void }) {
  const { t } = useI18n();
  const session = useSession();
  const download = async (format: 'md' | 'csv') => {
    try {
      const token = await session.accessToken();
      const response = await fetch(`/reports/plans/${planId}.${format}`, {
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `bascule-plan-${planId}.${format}`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      onProblem(error instanceof Error ? error.message : String(error));
    }
  };
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
