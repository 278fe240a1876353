import {
  createEntry,
  deleteEntry,
  moveEntry,
  RUNBOOK_STAGES,
  type RunbookStage,
  type RunbookTask,
  type RunbookTiming,
  TASK_KINDS,
  type TaskKind,
  updateEntry,
} from '@bascule/plan-model';
import { lazy, memo, Suspense, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useProgressiveCount, useStable } from '../ui/progressive';
import { sameProps } from '../ui/same-props';
import { type Person, useEditor, useEditorTools } from './context';
import { DiscussButton } from './discussion/DiscussButton';
import { InstantField, MinutesField, MultiSelect, SelectField, TextArea, TextField } from './fields';
import { formatMinutes, formatOffset, type RunbookModel, tasksByStage } from './runbook-view';

// The rich-text editor (TipTap) loads when someone opens a task's instructions.
const TaskInstructions = lazy(() => import('./TaskInstructions'));

/** Offsets and durations: at most a year, as the document allows. */
const YEAR = 525_600;

interface Option {
  readonly id: string;
  readonly label: string;
}

/** Writing a runbook: its tasks by stage, each with its owner, timing, links and instructions. */
export function RunbookPlan({
  model,
  timing,
  people,
}: {
  readonly model: RunbookModel;
  readonly timing: RunbookTiming;
  readonly people: readonly Person[];
}) {
  const { t } = useI18n();
  const { doc, content, readOnly, edit } = useEditor();
  const { runbook, tasks } = model;
  const taskKey = JSON.stringify(tasks.map((task) => [task.id, task.title, task.stage]));
  const taskOptions = useStable<Option[]>(
    tasks.map((task) => ({ id: task.id, label: task.title })),
    taskKey,
  );
  const rollbackOptions = useStable<Option[]>(
    tasks.filter((task) => task.stage === 'ROLLBACK').map((task) => ({ id: task.id, label: task.title })),
    taskKey,
  );
  const workloadOptions = useStable<Option[]>(
    content.workloads.map((workload) => ({ id: workload.id, label: workload.name })),
    JSON.stringify(content.workloads.map((workload) => [workload.id, workload.name])),
  );
  const checkpointOptions = useStable<Option[]>(
    content.checkpoints.map((checkpoint) => ({ id: checkpoint.id, label: checkpoint.title })),
    JSON.stringify(content.checkpoints.map((checkpoint) => [checkpoint.id, checkpoint.title])),
  );
  // Moving within a stage moves among all the plan's tasks: the neighbour's place in the collection.
  const places = new Map(content.runbookTasks.map((task, index) => [task.id, index]));
  const shown = useProgressiveCount(tasks.length);
  const firstStart = Math.min(0, ...tasks.map((task) => timing.tasks.get(task.id)?.plannedStart ?? 0));
  let budget = shown;
  const add = (stage: RunbookStage) =>
    edit(() =>
      createEntry(doc, 'runbookTasks', {
        runbookId: runbook.id,
        title: t('runbook.newTask'),
        stage,
        duration: 15,
      }),
    );
  return (
    <div className="runbook-plan" data-testid="runbook-plan">
      <p className="muted">
        {t('runbook.plannedSpan', {
          start: formatOffset(firstStart),
          end: formatOffset(timing.plannedEnd),
          duration: formatMinutes(timing.plannedEnd - firstStart),
        })}
      </p>
      {tasksByStage(RUNBOOK_STAGES, tasks).map(({ stage, tasks: staged }) => {
        const rows = staged.slice(0, Math.max(0, budget));
        budget -= staged.length;
        return (
          <section key={stage} className="runbook-stage" aria-labelledby={`stage-${stage}`}>
            <div className="section-heading">
              <h3 id={`stage-${stage}`}>
                {t(`runbookStage.${stage}`)} <span className="muted">({staged.length})</span>
              </h3>
              {!readOnly && (
                <button type="button" className="secondary" onClick={() => add(stage)}>
                  {t('runbook.addTask', { stage: t(`runbookStage.${stage}`) })}
                </button>
              )}
            </div>
            {staged.length > 0 && (
              <div className="table-scroll">
                <table className="grid runbook-tasks" data-testid="runbook-tasks">
                  <thead>
                    <tr>
                      <th scope="col">{t('editor.field.title')}</th>
                      <th scope="col">{t('editor.field.kind')}</th>
                      <th scope="col">{t('editor.field.owner')}</th>
                      <th scope="col">{t('runbook.field.offset')}</th>
                      <th scope="col">{t('runbook.field.duration')}</th>
                      <th scope="col">{t('editor.field.dependsOn')}</th>
                      <th scope="col">{t('runbook.field.planned')}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t('editor.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((task, index) => {
                      const timed = timing.tasks.get(task.id);
                      return (
                        <TaskEditRow
                          key={task.id}
                          task={task}
                          plannedStart={timed?.plannedStart ?? 0}
                          upIndex={index === 0 ? null : (places.get(staged[index - 1]?.id ?? '') ?? null)}
                          downIndex={
                            index === staged.length - 1 ? null : (places.get(staged[index + 1]?.id ?? '') ?? null)
                          }
                          people={people}
                          tasks={taskOptions}
                          rollbacks={rollbackOptions}
                          workloads={workloadOptions}
                          checkpoints={checkpointOptions}
                          started={model.runbook.state !== 'PLANNING'}
                        />
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}

/** One task's row: re-rendered when the task (or a list of choices) changes, not at every edit of the plan. */
const TaskEditRow = memo(function TaskEditRow({
  task,
  plannedStart,
  upIndex,
  downIndex,
  people,
  tasks,
  rollbacks,
  workloads,
  checkpoints,
  started,
}: {
  readonly task: RunbookTask;
  readonly plannedStart: number;
  readonly upIndex: number | null;
  readonly downIndex: number | null;
  readonly people: readonly Person[];
  readonly tasks: readonly Option[];
  readonly rollbacks: readonly Option[];
  readonly workloads: readonly Option[];
  readonly checkpoints: readonly Option[];
  /** Its runbook has started: its order, kind, approvers and gates hold (the server keeps them). */
  readonly started: boolean;
}) {
  const { t } = useI18n();
  const { doc, readOnly, edit, governed, setEditing, actor } = useEditorTools();
  const structure = readOnly || started;
  const [open, setOpen] = useState(false);
  const patch = (values: Record<string, unknown>) => edit(() => updateEntry(doc, 'runbookTasks', task.id, values));
  const decision = task.kind === 'DECISION';
  const ownerIds = people.map((person) => person.id);
  // An owner who is no longer among the plan's members stays visible until someone changes it.
  const ownerOptions =
    task.ownerId === null || ownerIds.includes(task.ownerId) ? ownerIds : [...ownerIds, task.ownerId];
  const nameOf = (id: string) => people.find((person) => person.id === id)?.name ?? t('runbook.unknownMember');
  const focus = (focused: boolean) => setEditing(focused ? `runbookTasks/${task.id}` : null);
  return (
    <tr data-testid="plan-task" data-task-id={task.id} data-kind={task.kind}>
      <td className="task-title-cell">
        <TextField
          label={t('editor.field.title')}
          value={task.title}
          maxLength={200}
          required
          readOnly={readOnly}
          onFocusChange={focus}
          onCommit={(title) => patch({ title })}
        />
        <details className="task-more" onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>{t('runbook.details')}</summary>
          {open && (
            <div className="task-details">
              <label>
                {t('runbook.field.stage')}
                <SelectField<RunbookStage>
                  label={t('runbook.field.stage')}
                  value={task.stage}
                  options={RUNBOOK_STAGES}
                  readOnly={structure}
                  labelOf={(stage) => t(`runbookStage.${stage}`)}
                  onCommit={(stage) => patch({ stage })}
                />
              </label>
              <label>
                {t('runbook.field.team')}
                <TextField
                  label={t('runbook.field.team')}
                  value={task.team ?? ''}
                  maxLength={100}
                  readOnly={readOnly}
                  onFocusChange={focus}
                  onCommit={(team) => patch({ team: team === '' ? null : team })}
                />
              </label>
              <label>
                {t('runbook.field.fixedStart')}
                <InstantField
                  label={t('runbook.field.fixedStart')}
                  value={task.startAt}
                  readOnly={readOnly}
                  onCommit={(startAt) => patch({ startAt })}
                />
              </label>
              <div className="field">
                <span className="field-label">{t('runbook.field.workloads')}</span>
                <MultiSelect
                  label={t('runbook.field.workloads')}
                  selected={task.workloadIds}
                  options={workloads}
                  readOnly={readOnly}
                  onCommit={(workloadIds) => patch({ workloadIds })}
                />
              </div>
              {task.stage !== 'ROLLBACK' && (
                <label>
                  {t('runbook.field.rollback')}
                  <SelectField<string>
                    label={t('runbook.field.rollback')}
                    value={task.rollbackTaskId}
                    options={rollbacks.map((option) => option.id)}
                    readOnly={readOnly}
                    allowEmpty={t('none')}
                    labelOf={(id) => rollbacks.find((option) => option.id === id)?.label ?? id}
                    onCommit={(rollbackTaskId) => patch({ rollbackTaskId })}
                  />
                </label>
              )}
              {decision && (
                <>
                  <div className="field">
                    <span className="field-label">{t('runbook.field.approvers')}</span>
                    <MultiSelect
                      label={t('runbook.field.approvers')}
                      selected={task.approverIds}
                      options={people.map((person) => ({ id: person.id, label: person.name }))}
                      readOnly={structure}
                      onCommit={(approverIds) => patch({ approverIds })}
                    />
                    <span className="muted hint">{t('runbook.approversHint')}</span>
                  </div>
                  <div className="field">
                    <span className="field-label">{t('runbook.field.checkpoints')}</span>
                    <MultiSelect
                      label={t('runbook.field.checkpoints')}
                      selected={task.checkpointIds}
                      options={checkpoints}
                      readOnly={structure}
                      onCommit={(checkpointIds) => patch({ checkpointIds })}
                    />
                  </div>
                </>
              )}
              <label className="wide">
                {t('runbook.field.verification')}
                <TextArea
                  label={t('runbook.field.verification')}
                  value={task.verification}
                  maxLength={5_000}
                  rows={2}
                  readOnly={readOnly}
                  onFocusChange={focus}
                  onCommit={(verification) => patch({ verification })}
                />
              </label>
              <div className="field wide">
                <span className="field-label">{t('runbook.field.instructions')}</span>
                <Suspense fallback={<p role="status">{t('loading')}</p>}>
                  <TaskInstructions taskId={task.id} text={task.instructions} />
                </Suspense>
              </div>
            </div>
          )}
        </details>
      </td>
      <td>
        <SelectField<TaskKind>
          label={t('editor.field.kind')}
          value={task.kind}
          options={TASK_KINDS}
          readOnly={structure}
          labelOf={(kind) => t(`taskKind.${kind}`)}
          onCommit={(kind) => patch({ kind })}
        />
      </td>
      <td>
        <SelectField<string>
          label={t('editor.field.owner')}
          value={task.ownerId}
          options={ownerOptions}
          readOnly={readOnly || !actor.canEdit}
          allowEmpty={t('runbook.noOwner')}
          labelOf={nameOf}
          onCommit={(ownerId) => patch({ ownerId })}
        />
        {task.team !== null && <span className="muted task-team">{task.team}</span>}
      </td>
      <td>
        <MinutesField
          label={t('runbook.field.offset')}
          value={task.startOffset}
          min={-YEAR}
          max={YEAR}
          readOnly={readOnly}
          onCommit={(startOffset) => patch({ startOffset })}
        />
      </td>
      <td>
        <MinutesField
          label={t('runbook.field.duration')}
          value={task.duration}
          min={0}
          max={YEAR}
          readOnly={readOnly}
          onCommit={(duration) => patch({ duration })}
        />
      </td>
      <td>
        <MultiSelect
          label={t('editor.field.dependsOn')}
          selected={task.dependsOn}
          readOnly={structure}
          options={tasks.filter((other) => other.id !== task.id)}
          onCommit={(dependsOn) => patch({ dependsOn })}
        />
      </td>
      <td className="planned">
        {formatOffset(plannedStart)}
        {task.startAt !== null && <span className="muted"> · {t('runbook.fixed')}</span>}
      </td>
      <td>
        <span className="row-tools">
          <DiscussButton subject="runbookTasks" entryId={task.id} title={task.title} />
          {!readOnly && (
            <span className="entry-actions">
              <button
                type="button"
                className="icon"
                aria-label={t('editor.moveUp', { name: task.title })}
                disabled={upIndex === null}
                onClick={() => upIndex !== null && edit(() => moveEntry(doc, 'runbookTasks', task.id, upIndex))}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon"
                aria-label={t('editor.moveDown', { name: task.title })}
                disabled={downIndex === null}
                onClick={() => downIndex !== null && edit(() => moveEntry(doc, 'runbookTasks', task.id, downIndex))}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon danger"
                aria-label={t('editor.deleteEntry', { name: task.title })}
                onClick={() => {
                  // Judged first: a go / no-go point that has votes stays (a vote is never taken back).
                  if (window.confirm(t('editor.confirmDelete', { name: task.title })))
                    governed((target) => deleteEntry(target, 'runbookTasks', task.id));
                }}
              >
                ×
              </button>
            </span>
          )}
        </span>
      </td>
    </tr>
  );
}, sameProps);
