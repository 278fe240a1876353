import {
  createEntry,
  isOverdue,
  MILESTONE_KINDS,
  MILESTONE_STATUSES,
  type Milestone,
  type MilestoneKind,
  type MilestoneStatus,
  slipDays,
  updateEntry,
} from '@bascule/plan-model';
import { memo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { DataTable } from '../ui/DataTable';
import { useProgressiveCount, useStable } from '../ui/progressive';
import { sameProps } from '../ui/same-props';
import { useEditor, useEditorTools } from './context';
import { DiscussButton } from './discussion/DiscussButton';
import { EntryActions } from './EntryActions';
import { DateField, MultiSelect, SelectField, TextField } from './fields';
import { Gantt } from './Gantt';
import { MineFilter, OwnerField } from './owners';

export function Milestones() {
  const { t } = useI18n();
  const { doc, content, readOnly, today, edit, actor } = useEditor();
  const [view, setView] = useState<'table' | 'timeline'>('table');
  const [mine, setMine] = useState(false);
  const milestones = content.milestones;
  const listed = mine ? milestones.filter((milestone) => milestone.ownerId === actor.userId) : milestones;
  const options = useStable(
    milestones.map((milestone) => ({ id: milestone.id, label: milestone.title })),
    JSON.stringify(milestones.map((milestone) => [milestone.id, milestone.title])),
  );
  const shown = useProgressiveCount(listed.length);

  return (
    <div className="milestones">
      <div className="section-heading">
        <div className="segmented" role="group" aria-label={t('editor.view')}>
          <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
            {t('editor.view.table')}
          </button>
          <button type="button" aria-pressed={view === 'timeline'} onClick={() => setView('timeline')}>
            {t('editor.view.timeline')}
          </button>
        </div>
        {view === 'table' && <MineFilter mine={mine} onChange={setMine} />}
        {!readOnly && (
          <button
            type="button"
            onClick={() => edit(() => createEntry(doc, 'milestones', { title: t('editor.newMilestone') }, { today }))}
          >
            {t('editor.addMilestone')}
          </button>
        )}
      </div>
      {view === 'timeline' ? (
        <Gantt />
      ) : listed.length === 0 ? (
        <p className="muted">{t(mine ? 'mine.empty' : 'editor.noMilestones')}</p>
      ) : (
        <DataTable
          testId="milestones-table"
          columns={[
            t('editor.field.title'),
            t('editor.field.kind'),
            t('editor.field.status'),
            t('editor.field.owner'),
            t('editor.field.start'),
            t('editor.field.due'),
            t('editor.field.dependsOn'),
          ]}
        >
          {listed.slice(0, shown).map((milestone, index) => (
            <MilestoneRow
              key={milestone.id}
              milestone={milestone}
              // Its place among all the plan's milestones, where moving it up or down takes effect.
              index={mine ? milestones.indexOf(milestone) : index}
              count={milestones.length}
              others={options}
            />
          ))}
        </DataTable>
      )}
    </div>
  );
}

/** One milestone's row: re-rendered when that milestone (or the list of titles) changes, not at every edit. */
const MilestoneRow = memo(function MilestoneRow({
  milestone,
  index,
  count,
  others,
}: {
  readonly milestone: Milestone;
  readonly index: number;
  readonly count: number;
  readonly others: readonly { readonly id: string; readonly label: string }[];
}) {
  const { t } = useI18n();
  const { doc, readOnly, today, edit, governed, setEditing } = useEditorTools();
  const late = slipDays(milestone, today);
  const overdue = isOverdue(milestone, today);
  const patch = (values: Record<string, unknown>) =>
    edit(() => updateEntry(doc, 'milestones', milestone.id, values, { today }));
  return (
    <tr
      data-testid="milestone-row"
      data-milestone-id={milestone.id}
      className={overdue || late > 0 ? 'slipped' : undefined}
    >
      <td>
        <TextField
          label={t('editor.field.title')}
          value={milestone.title}
          maxLength={200}
          required
          readOnly={readOnly}
          onFocusChange={(focused) => setEditing(focused ? `milestones/${milestone.id}` : null)}
          onCommit={(title) => patch({ title })}
        />
        {(overdue || late > 0) && (
          <span className="slip" data-testid="slip">
            {overdue ? t('editor.overdueBy', { days: late }) : t('editor.slippedBy', { days: late })}
          </span>
        )}
      </td>
      <td>
        <SelectField<MilestoneKind>
          label={t('editor.field.kind')}
          value={milestone.kind}
          options={MILESTONE_KINDS}
          readOnly={readOnly}
          labelOf={(value) => t(`milestoneKind.${value}`)}
          onCommit={(kind) => patch({ kind })}
        />
      </td>
      <td>
        <SelectField<MilestoneStatus>
          label={t('editor.field.status')}
          value={milestone.status}
          options={MILESTONE_STATUSES}
          readOnly={readOnly}
          labelOf={(value) => t(`milestoneStatus.${value}`)}
          // Closing a milestone is judged by its compliance gates, as the server will.
          onCommit={(status) =>
            governed((target) => updateEntry(target, 'milestones', milestone.id, { status }, { today }))
          }
        />
      </td>
      <td>
        <OwnerField
          ownerId={milestone.ownerId}
          ownerName={milestone.owner}
          onCommit={(ownerId, owner) => patch({ ownerId, owner })}
        />
      </td>
      <td>
        <DateField
          label={t('editor.field.start')}
          value={milestone.startDate}
          readOnly={readOnly}
          onCommit={(startDate) => patch({ startDate })}
        />
      </td>
      <td>
        <DateField
          label={t('editor.field.due')}
          value={milestone.dueDate}
          readOnly={readOnly}
          onCommit={(dueDate) => patch({ dueDate })}
        />
      </td>
      <td>
        <MultiSelect
          label={t('editor.field.dependsOn')}
          selected={milestone.dependsOn}
          readOnly={readOnly}
          options={others.filter((other) => other.id !== milestone.id)}
          onCommit={(dependsOn) => patch({ dependsOn })}
        />
      </td>
      <td>
        <span className="row-tools">
          <DiscussButton subject="milestones" entryId={milestone.id} title={milestone.title} />
          <EntryActions collection="milestones" id={milestone.id} index={index} count={count} name={milestone.title} />
        </span>
      </td>
    </tr>
  );
}, sameProps);
