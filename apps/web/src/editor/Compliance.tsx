import {
  type Checkpoint,
  type CheckpointStatus,
  createEntry,
  isLink,
  overallReadiness,
  readinessByFramework,
  updateEntry,
} from '@bascule/plan-model';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Gauge } from '../ui/charts';
import { useEditor } from './context';
import { DiscussButton } from './discussion/DiscussButton';
import { EntryActions } from './EntryActions';
import { MultiSelect, SelectField, TextField } from './fields';
import { MineFilter, OwnerField } from './owners';

/** What anyone who may edit can set; PASSED and WAIVED are decisions for approvers. */
const WORK_STATUSES: readonly CheckpointStatus[] = ['TODO', 'IN_REVIEW', 'FAILED'];

export function Compliance() {
  const { t, formatPercent } = useI18n();
  const { doc, content, readOnly, frameworks, edit, actor } = useEditor();
  const [mine, setMine] = useState(false);
  const names = new Map(frameworks.map((framework) => [framework.id, framework.name]));
  const listed = mine
    ? content.checkpoints.filter((checkpoint) => checkpoint.ownerId === actor.userId)
    : content.checkpoints;
  const readiness = overallReadiness(content.checkpoints);
  const groups = readinessByFramework(content.checkpoints);
  const [framework, setFramework] = useState(frameworks[0]?.id ?? '');

  return (
    <div className="compliance">
      <div className="compliance-overview">
        <div className="card readiness-card">
          <h3>{t('editor.readiness')}</h3>
          <Gauge
            share={readiness}
            label={t('editor.readiness')}
            text={readiness === null ? '—' : formatPercent(readiness)}
          />
        </div>
        {!readOnly && (
          <form
            className="inline-form"
            onSubmit={(event: FormEvent<HTMLFormElement>) => {
              event.preventDefault();
              edit(() => createEntry(doc, 'checkpoints', { title: t('editor.newCheckpoint'), framework }));
            }}
          >
            <label>
              {t('editor.field.framework')}
              <select value={framework} onChange={(event) => setFramework(event.target.value)}>
                {frameworks.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={framework === ''}>
              {t('editor.addCheckpoint')}
            </button>
          </form>
        )}
      </div>
      <MineFilter mine={mine} onChange={setMine} />
      {listed.length === 0 && <p className="muted">{t(mine ? 'mine.empty' : 'editor.noCheckpoints')}</p>}
      {groups
        .filter((group) => listed.some((checkpoint) => checkpoint.framework === group.framework))
        .map((group) => (
          <section key={group.framework} className="framework" aria-labelledby={`framework-${group.framework}`}>
            <h3 id={`framework-${group.framework}`}>
              {names.get(group.framework) ?? group.framework}{' '}
              <span className="muted">
                {formatPercent(group.readiness)} ·{' '}
                {t('editor.passedOf', { done: group.passed + group.waived, total: group.total })}
              </span>
            </h3>
            <ul className="checkpoint-list">
              {listed
                .filter((checkpoint) => checkpoint.framework === group.framework)
                .map((checkpoint) => (
                  <CheckpointItem key={checkpoint.id} checkpoint={checkpoint} />
                ))}
            </ul>
          </section>
        ))}
    </div>
  );
}

function CheckpointItem({ checkpoint }: { readonly checkpoint: Checkpoint }) {
  const { t, formatDay } = useI18n();
  const { doc, content, readOnly, canApprove, edit, governed, setEditing } = useEditor();
  const [waiving, setWaiving] = useState(false);
  const [link, setLink] = useState('');
  const patch = (values: Record<string, unknown>) => edit(() => updateEntry(doc, 'checkpoints', checkpoint.id, values));
  const decided = checkpoint.status === 'PASSED' || checkpoint.status === 'WAIVED';
  const statusOptions =
    canApprove || decided ? ([...WORK_STATUSES, 'PASSED', 'WAIVED'] as CheckpointStatus[]) : WORK_STATUSES;
  // Statuses, waivers and gated milestones are the governance rules' business; the stamp is the server's.
  const decide = (values: Record<string, unknown>) =>
    governed((target) => updateEntry(target, 'checkpoints', checkpoint.id, values));
  const approve = (status: 'PASSED' | 'WAIVED', justification?: string) =>
    decide({ status, ...(justification === undefined ? {} : { justification }) });

  return (
    <li
      className={`checkpoint status-${checkpoint.status.toLowerCase()}`}
      data-testid="checkpoint-row"
      data-checkpoint-id={checkpoint.id}
    >
      <div className="checkpoint-head">
        <TextField
          className="checkpoint-title"
          label={t('editor.field.title')}
          value={checkpoint.title}
          maxLength={300}
          required
          readOnly={readOnly}
          onFocusChange={(focused) => setEditing(focused ? `checkpoints/${checkpoint.id}` : null)}
          onCommit={(title) => patch({ title })}
        />
        <TextField
          className="requirement"
          label={t('editor.field.requirement')}
          value={checkpoint.requirement ?? ''}
          maxLength={64}
          readOnly={readOnly}
          onCommit={(requirement) => patch({ requirement: requirement === '' ? null : requirement })}
        />
        <SelectField<CheckpointStatus>
          label={t('editor.field.status')}
          value={checkpoint.status}
          options={statusOptions}
          readOnly={readOnly || (decided && !canApprove)}
          labelOf={(value) => t(`checkpointStatus.${value}`)}
          onCommit={(status) => {
            if (status === 'WAIVED') setWaiving(true);
            else if (status === 'PASSED') approve('PASSED');
            else if (status !== null) decide({ status });
          }}
        />
        {canApprove && !readOnly && !decided && (
          <span className="approval-actions">
            <button type="button" onClick={() => approve('PASSED')}>
              {t('editor.approve')}
            </button>
            <button type="button" className="secondary" onClick={() => setWaiving(true)}>
              {t('editor.waive')}
            </button>
          </span>
        )}
        <OwnerField ownerId={checkpoint.ownerId} ownerName={null} onCommit={(ownerId) => patch({ ownerId })} />
        <DiscussButton subject="checkpoints" entryId={checkpoint.id} title={checkpoint.title} />
        <EntryActions
          collection="checkpoints"
          id={checkpoint.id}
          index={content.checkpoints.indexOf(checkpoint)}
          count={content.checkpoints.length}
          name={checkpoint.title}
        />
      </div>
      {decided && checkpoint.approvedBy !== null && (
        <p className="approval muted">
          {t(checkpoint.status === 'PASSED' ? 'editor.approvedBy' : 'editor.waivedBy', {
            name: checkpoint.approvedBy,
            day: formatDay(checkpoint.approvedAt?.slice(0, 10)),
          })}
          {checkpoint.status === 'WAIVED' && checkpoint.justification !== '' && ` — ${checkpoint.justification}`}
        </p>
      )}
      {waiving && (
        <form
          className="inline-form"
          onSubmit={(event: FormEvent<HTMLFormElement>) => {
            event.preventDefault();
            const justification = String(new FormData(event.currentTarget).get('justification')).trim();
            approve('WAIVED', justification);
            setWaiving(false);
          }}
        >
          <label>
            {t('editor.justification')}
            <input name="justification" required minLength={10} maxLength={5000} autoFocus />
          </label>
          <button type="submit">{t('editor.waive')}</button>
          <button type="button" className="secondary" onClick={() => setWaiving(false)}>
            {t('cancel')}
          </button>
        </form>
      )}
      <div className="checkpoint-details">
        <div className="evidence">
          <span className="label">{t('editor.evidence')}</span>
          <ul>
            {checkpoint.evidence.map((url) => (
              <li key={url}>
                <a href={url} target="_blank" rel="noreferrer noopener">
                  {url.replace(/^https?:\/\//, '')}
                </a>
                {!readOnly && (
                  <button
                    type="button"
                    className="icon"
                    aria-label={t('editor.removeLink', { url })}
                    onClick={() => patch({ evidence: checkpoint.evidence.filter((entry) => entry !== url) })}
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
          {!readOnly && (
            <form
              className="inline-form"
              onSubmit={(event: FormEvent<HTMLFormElement>) => {
                event.preventDefault();
                const url = link.trim();
                if (!isLink(url) || checkpoint.evidence.includes(url)) return;
                patch({ evidence: [...checkpoint.evidence, url] });
                setLink('');
              }}
            >
              <input
                type="url"
                aria-label={t('editor.addLink')}
                placeholder="https://"
                value={link}
                onChange={(event) => setLink(event.target.value)}
              />
              <button type="submit" className="secondary">
                {t('add')}
              </button>
            </form>
          )}
        </div>
        <div>
          <span className="label">{t('editor.gates')}</span>
          <MultiSelect
            label={t('editor.gates')}
            selected={checkpoint.milestoneIds}
            readOnly={readOnly}
            options={content.milestones.map((milestone) => ({ id: milestone.id, label: milestone.title }))}
            onCommit={(milestoneIds) => decide({ milestoneIds })}
          />
        </div>
      </div>
    </li>
  );
}
