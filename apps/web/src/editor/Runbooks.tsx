import {
  applyRunbookTemplate,
  copyForRehearsal,
  createEntry,
  deleteEntry,
  findRunbookTemplate,
  type Runbook,
  runbookTemplatesFor,
  updateEntry,
} from '@bascule/plan-model';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { useQuery } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { messages } from '../i18n/messages';
import { type Person, useEditor } from './context';
import { InstantField, instantOfLocalInput, SelectField, TextField } from './fields';
import type { PlanConnection } from './plan-connection';
import { RehearsalComparison } from './Rehearsal';
import { RunbookLive } from './RunbookLive';
import { RunbookPlan } from './RunbookPlan';
import { RunbookTimeline } from './RunbookTimeline';
import { useNow, useRunbookModel, useRunbookTiming } from './runbook-view';
import { WarRoom } from './WarRoom';

const PLAN_PEOPLE = /* GraphQL */ `
  query RunbookPeople($id: ID!) {
    plan(id: $id) {
      defaultMemberRole
      members {
        role
        user {
          id
          displayName
        }
      }
    }
  }
`;

const ORGANIZATION_PEOPLE = /* GraphQL */ `
  query RunbookOrganizationPeople {
    members(first: 500) {
      user {
        id
        displayName
      }
    }
  }
`;

type PlanRole = 'OWNER' | 'EDITOR' | 'APPROVER' | 'VIEWER';

/**
 * Who may own a task or approve a go / no-go point: the plan's members who may write to it (named
 * with a role, or every member of the organization when the plan gives them one by default).
 */
function usePeople(planId: string): readonly Person[] {
  const { actor } = useEditor();
  const plan = useQuery<{
    plan: {
      defaultMemberRole: PlanRole | null;
      members: readonly { role: PlanRole | null; user: { id: string; displayName: string } }[];
    };
  }>(PLAN_PEOPLE, { id: planId });
  const organization = useQuery<{ members: readonly { user: { id: string; displayName: string } }[] }>(
    ORGANIZATION_PEOPLE,
  );
  return useMemo(() => {
    const people = new Map<string, Person>();
    const writes = (role: PlanRole | null) => role !== null && role !== 'VIEWER';
    const named = plan.data?.plan.members ?? [];
    if (writes(plan.data?.plan.defaultMemberRole ?? null))
      for (const member of organization.data?.members ?? [])
        people.set(member.user.id, { id: member.user.id, name: member.user.displayName });
    for (const member of named)
      if (writes(member.role)) people.set(member.user.id, { id: member.user.id, name: member.user.displayName });
      else people.delete(member.user.id);
    if (actor.userId !== null && (actor.canEdit || actor.canApprove))
      people.set(actor.userId, { id: actor.userId, name: actor.name });
    return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [plan.data, organization.data, actor]);
}

type View = 'plan' | 'live' | 'timeline';

/** The plan's cutover runbooks: written, run live, rehearsed and compared, drawn on a timeline. */
export default function Runbooks({
  planId,
  connection,
}: {
  readonly planId: string;
  readonly connection: PlanConnection;
}) {
  const { t } = useI18n();
  const { content } = useEditor();
  const people = usePeople(planId);
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<View>('plan');
  // Rehearsals are listed under the runbook they copy (one whose runbook is gone stands alone).
  const roots = content.runbooks.filter((runbook) => runbook.kind === 'LIVE' || runbook.rehearsalOf === null);
  const open = (runbook: Runbook) => {
    setSelected(runbook.id);
    setView(runbook.state === 'PLANNING' ? 'plan' : 'live');
  };
  return (
    <div className="runbooks">
      <section className="card runbook-index" aria-labelledby="runbooks-heading">
        <h2 id="runbooks-heading">{t('runbook.list')}</h2>
        {roots.length === 0 ? (
          <p className="muted">{t('runbook.none')}</p>
        ) : (
          <ul className="runbook-list">
            {roots.map((runbook) => (
              <li key={runbook.id}>
                <RunbookItem runbook={runbook} selected={selected === runbook.id} onOpen={open} />
                <ul className="rehearsal-list">
                  {content.runbooks
                    .filter((rehearsal) => rehearsal.kind === 'REHEARSAL' && rehearsal.rehearsalOf === runbook.id)
                    .map((rehearsal) => (
                      <li key={rehearsal.id}>
                        <RunbookItem runbook={rehearsal} selected={selected === rehearsal.id} onOpen={open} />
                      </li>
                    ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
        <NewRunbook
          onCreated={(id) => {
            setSelected(id);
            setView('plan');
          }}
        />
      </section>
      {selected !== null && (
        <RunbookDetail
          key={selected}
          runbookId={selected}
          view={view}
          setView={setView}
          people={people}
          connection={connection}
          onOpen={(id) => {
            setSelected(id);
            setView('live');
          }}
          onClosed={() => setSelected(null)}
        />
      )}
    </div>
  );
}

function RunbookItem({
  runbook,
  selected,
  onOpen,
}: {
  readonly runbook: Runbook;
  readonly selected: boolean;
  readonly onOpen: (runbook: Runbook) => void;
}) {
  const { t } = useI18n();
  const { content } = useEditor();
  const count = content.runbookTasks.filter((task) => task.runbookId === runbook.id).length;
  return (
    <button
      type="button"
      className="runbook-item secondary"
      aria-pressed={selected}
      data-testid="runbook-item"
      data-kind={runbook.kind}
      onClick={() => onOpen(runbook)}
    >
      <span className="runbook-item-title">{runbook.title}</span>{' '}
      <span className={`tag state-${runbook.state.toLowerCase()}`}>{t(`runbookState.${runbook.state}`)}</span>{' '}
      <span className="muted">{t('runbook.taskCount', { count })}</span>
    </button>
  );
}

/** A new runbook, blank or from a template (its texts in the plan's language). */
function NewRunbook({ onCreated }: { readonly onCreated: (id: string) => void }) {
  const { t, language } = useI18n();
  const { doc, content, readOnly, edit } = useEditor();
  const [template, setTemplate] = useState('');
  const [title, setTitle] = useState('');
  const [t0, setT0] = useState('');
  const [milestoneId, setMilestoneId] = useState('');
  const formId = useId();
  const templates = useMemo(() => runbookTemplatesFor(null), []);
  if (readOnly) return null;
  const chosen = template === '' ? undefined : findRunbookTemplate(template);
  const planLanguage = content.meta.language;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = {
      title: (title.trim() || (chosen === undefined ? t('runbook.newTitle') : chosen.title[planLanguage])).slice(
        0,
        200,
      ),
      t0: instantOfLocalInput(t0),
      milestoneId: milestoneId === '' ? null : milestoneId,
    };
    let id: string | null = null;
    edit(() => {
      id =
        chosen === undefined
          ? createEntry(doc, 'runbooks', values)
          : applyRunbookTemplate(doc, chosen, { ...values, language: planLanguage });
    });
    if (id === null) return;
    onCreated(id);
    setTitle('');
    setTemplate('');
  }
  return (
    <details className="new-runbook" data-testid="new-runbook">
      <summary>{t('runbook.new')}</summary>
      <form className="inline-form" onSubmit={submit} aria-labelledby={`${formId}-legend`}>
        <span id={`${formId}-legend`} className="visually-hidden">
          {t('runbook.new')}
        </span>
        <label>
          {t('runbook.template')}
          <select value={template} onChange={(event) => setTemplate(event.target.value)}>
            <option value="">{t('runbook.blank')}</option>
            {templates.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.title[language]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('editor.field.title')}
          <input
            value={title}
            maxLength={200}
            placeholder={chosen?.title[planLanguage] ?? t('runbook.newTitle')}
            onChange={(event) => setTitle(event.target.value)}
          />
        </label>
        <label>
          {t('runbook.t0')}
          <input type="datetime-local" step={60} value={t0} onChange={(event) => setT0(event.target.value)} />
        </label>
        <label>
          {t('runbook.milestone')}
          <select value={milestoneId} onChange={(event) => setMilestoneId(event.target.value)}>
            <option value="">{t('runbook.noMilestone')}</option>
            {content.milestones.map((milestone) => (
              <option key={milestone.id} value={milestone.id}>
                {milestone.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('runbook.create')}</button>
        {chosen !== undefined && <p className="muted template-description">{chosen.description[language]}</p>}
      </form>
    </details>
  );
}

function RunbookDetail({
  runbookId,
  view,
  setView,
  people,
  connection,
  onOpen,
  onClosed,
}: {
  readonly runbookId: string;
  readonly view: View;
  readonly setView: (view: View) => void;
  readonly people: readonly Person[];
  readonly connection: PlanConnection;
  readonly onOpen: (id: string) => void;
  readonly onClosed: () => void;
}) {
  const { t } = useI18n();
  const { doc, content, readOnly, actor, edit, governed, setEditing } = useEditor();
  const model = useRunbookModel(content, runbookId);
  const [warRoom, setWarRoom] = useState(false);
  const running = model?.runbook.state === 'RUNNING';
  // The clock ticks while the runbook runs, and before it starts (the countdown to T0, the
  // timeline's "now"); an ended runbook's views stand still.
  const now = useNow(running || warRoom || model?.runbook.state === 'PLANNING');
  const timing = useRunbookTiming(model, now);
  if (model === null || timing === null) return <p className="muted">{t('runbook.gone')}</p>;
  const { runbook } = model;
  const rehearsal = runbook.kind === 'REHEARSAL';
  const planning = runbook.state === 'PLANNING';
  const rehearse = () => {
    // The copy is part of the plan: its title is in the plan's language.
    const words = messages[content.meta.language];
    let id: string | null = null;
    edit(() => {
      id = copyForRehearsal(doc, runbook.id, {
        title: words['runbook.rehearsalTitle'].replace('{title}', runbook.title).slice(0, 200),
        // Its T0 so that its first task is planned now, announcements days ahead included.
        startsAt: new Date(),
      });
    });
    if (id !== null) onOpen(id);
  };
  return (
    <section
      className="card runbook-detail"
      aria-labelledby="runbook-title"
      data-testid="runbook-detail"
      data-state={runbook.state}
    >
      <div className="runbook-head">
        <h2 id="runbook-title">
          {rehearsal ? t('runbook.rehearsalOf') : t('runbook.runbook')}{' '}
          <span className={`tag state-${runbook.state.toLowerCase()}`} data-testid="runbook-state">
            {t(`runbookState.${runbook.state}`)}
          </span>
        </h2>
        <div className="runbook-tools">
          {!readOnly && !rehearsal && actor.canEdit && (
            <button type="button" className="secondary" onClick={rehearse}>
              {t('runbook.rehearse')}
            </button>
          )}
          <button type="button" className="secondary" onClick={() => setWarRoom(true)}>
            {t('runbook.warRoom')}
          </button>
          {!readOnly && actor.canEdit && (
            <button
              type="button"
              className="secondary danger"
              onClick={() => {
                if (!window.confirm(t('editor.confirmDelete', { name: runbook.title }))) return;
                if (governed((target) => deleteEntry(target, 'runbooks', runbook.id))) onClosed();
              }}
            >
              {t('runbook.delete')}
            </button>
          )}
        </div>
      </div>
      <div className="runbook-fields">
        <label>
          {t('editor.field.title')}
          <TextField
            label={t('editor.field.title')}
            value={runbook.title}
            maxLength={200}
            required
            readOnly={readOnly}
            onFocusChange={(focused) => setEditing(focused ? `runbooks/${runbook.id}` : null)}
            onCommit={(title) => edit(() => updateEntry(doc, 'runbooks', runbook.id, { title }))}
          />
        </label>
        <label>
          {t('runbook.t0')}
          <InstantField
            label={t('runbook.t0')}
            value={runbook.t0}
            readOnly={readOnly || !planning}
            onCommit={(t0) => edit(() => updateEntry(doc, 'runbooks', runbook.id, { t0 }))}
          />
        </label>
        <label>
          {t('runbook.milestone')}
          <SelectField<string>
            label={t('runbook.milestone')}
            value={runbook.milestoneId}
            options={content.milestones.map((milestone) => milestone.id)}
            readOnly={readOnly}
            allowEmpty={t('runbook.noMilestone')}
            labelOf={(id) => content.milestones.find((milestone) => milestone.id === id)?.title ?? id}
            onCommit={(milestoneId) => edit(() => updateEntry(doc, 'runbooks', runbook.id, { milestoneId }))}
          />
        </label>
      </div>
      <div className="segmented" role="group" aria-label={t('editor.view')}>
        {(['plan', 'live', 'timeline'] as const).map((name) => (
          <button key={name} type="button" aria-pressed={view === name} onClick={() => setView(name)}>
            {t(`runbook.view.${name}`)}
          </button>
        ))}
      </div>
      {view === 'plan' && <RunbookPlan model={model} timing={timing} people={people} />}
      {view === 'live' && <RunbookLive model={model} timing={timing} now={now} people={people} />}
      {view === 'timeline' && <RunbookTimeline model={model} timing={timing} now={now} />}
      {rehearsal && view !== 'plan' && <RehearsalComparison model={model} timing={timing} />}
      {warRoom && (
        <WarRoom model={model} timing={timing} now={now} connection={connection} onClose={() => setWarRoom(false)} />
      )}
    </section>
  );
}
