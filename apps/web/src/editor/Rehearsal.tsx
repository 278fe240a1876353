import {
  applyRehearsalDurations,
  compareRehearsal,
  type RehearsalComparison as Comparison,
  type RunbookTiming,
} from '@bascule/plan-model';
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useEditor } from './context';
import { formatMinutes, type RunbookModel } from './runbook-view';

const PLANNED_COLOR = '#8c959f';
const ACTUAL_COLOR = 'var(--blue)';

/**
 * A rehearsal against its plan: planned and actual durations per stage (a chart) and per task (a
 * table), and the planned durations of the rehearsed runbook updated from it in one change.
 */
export function RehearsalComparison({
  model,
  timing,
}: {
  readonly model: RunbookModel;
  readonly timing: RunbookTiming;
}) {
  const { t } = useI18n();
  const { doc, content, readOnly, actor, edit } = useEditor();
  const [updated, setUpdated] = useState<number | null>(null);
  const comparison = useMemo(() => compareRehearsal(timing, model.graph), [timing, model.graph]);
  const source = content.runbooks.find((runbook) => runbook.id === model.runbook.rehearsalOf);
  const ran = comparison.tasks.filter((task) => task.actualMinutes !== null);
  return (
    <section className="rehearsal card" aria-labelledby="rehearsal-heading" data-testid="rehearsal-comparison">
      <h3 id="rehearsal-heading">{t('runbook.rehearsal.heading')}</h3>
      {ran.length === 0 ? (
        <p className="muted">{t('runbook.rehearsal.nothingYet')}</p>
      ) : (
        <>
          <StageChart comparison={comparison} />
          <div className="table-scroll">
            <table className="grid" data-testid="rehearsal-tasks">
              <thead>
                <tr>
                  <th scope="col">{t('runbook.field.stage')}</th>
                  <th scope="col">{t('runbook.column.task')}</th>
                  <th scope="col">{t('runbook.timeline.planned')}</th>
                  <th scope="col">{t('runbook.timeline.actual')}</th>
                  <th scope="col">{t('runbook.rehearsal.difference')}</th>
                </tr>
              </thead>
              <tbody>
                {comparison.tasks.map((task) => {
                  const difference = task.actualMinutes === null ? null : task.actualMinutes - task.plannedMinutes;
                  return (
                    <tr key={task.taskId} data-testid="rehearsal-task" data-status={task.status}>
                      <td>{t(`runbookStage.${task.stage}`)}</td>
                      <td>{task.title}</td>
                      <td>{formatMinutes(task.plannedMinutes)}</td>
                      <td data-testid="rehearsal-actual">
                        {task.actualMinutes === null
                          ? t(`taskStatus.${task.status}`)
                          : formatMinutes(task.actualMinutes)}
                      </td>
                      <td className={difference !== null && difference > 0 ? 'warn' : undefined}>
                        {difference === null ? '—' : `${difference > 0 ? '+' : ''}${formatMinutes(difference)}`}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {!readOnly && actor.canEdit && source !== undefined && (
            <p className="inline-form">
              <button
                type="button"
                // A runbook under way or run keeps the plan it runs (and that its report compares against).
                disabled={source.state !== 'PLANNING'}
                aria-describedby={source.state !== 'PLANNING' ? 'rehearsal-source-started' : undefined}
                onClick={() => {
                  let count = 0;
                  edit(() => {
                    count = applyRehearsalDurations(doc, model.runbook.id);
                  });
                  setUpdated(count);
                }}
              >
                {t('runbook.rehearsal.apply')}
              </button>
              <span role="status" data-testid="rehearsal-applied">
                {updated === null ? '' : t('runbook.rehearsal.applied', { count: updated, title: source.title })}
              </span>
              {source.state !== 'PLANNING' && (
                <span id="rehearsal-source-started" className="muted" data-testid="rehearsal-source-started">
                  {t('runbook.rehearsal.sourceStarted', { title: source.title })}
                </span>
              )}
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** Planned against actual minutes per stage: two bars a stage, on one scale. */
function StageChart({ comparison }: { readonly comparison: Comparison }) {
  const { t } = useI18n();
  const stages = comparison.stages;
  const max = Math.max(1, ...stages.flatMap((stage) => [stage.plannedMinutes, stage.actualMinutes ?? 0]));
  const label = 130;
  const width = 520;
  const bar = 10;
  const pitch = 30;
  const height = stages.length * pitch + 4;
  const length = (minutes: number) => ((width - label - 70) * minutes) / max;
  const description = `${t('runbook.rehearsal.chart')}: ${stages
    .map(
      (stage) =>
        `${t(`runbookStage.${stage.stage}`)} ${t('runbook.timeline.planned')} ${formatMinutes(stage.plannedMinutes)}, ${t(
          'runbook.timeline.actual',
        )} ${stage.actualMinutes === null ? '—' : formatMinutes(stage.actualMinutes)}`,
    )
    .join('; ')}`;
  return (
    <figure className="chart rehearsal-chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={description}>
        {stages.map((stage, index) => {
          const y = index * pitch + 2;
          return (
            <g key={stage.stage}>
              <text x={0} y={y + bar + 4} className="axis-label">
                {t(`runbookStage.${stage.stage}`)}
              </text>
              <rect
                x={label}
                y={y}
                width={Math.max(1, length(stage.plannedMinutes))}
                height={bar}
                fill={PLANNED_COLOR}
                rx={2}
              />
              <text x={label + length(stage.plannedMinutes) + 4} y={y + bar - 1} className="axis-label">
                {formatMinutes(stage.plannedMinutes)}
              </text>
              {stage.actualMinutes !== null && (
                <>
                  <rect
                    x={label}
                    y={y + bar + 2}
                    width={Math.max(1, length(stage.actualMinutes))}
                    height={bar}
                    fill={ACTUAL_COLOR}
                    rx={2}
                  />
                  <text x={label + length(stage.actualMinutes) + 4} y={y + 2 * bar + 1} className="axis-label">
                    {formatMinutes(stage.actualMinutes)}
                  </text>
                </>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="legend" aria-hidden="true">
        <li>
          <span className="swatch" style={{ background: PLANNED_COLOR }} />
          {t('runbook.timeline.planned')}
        </li>
        <li>
          <span className="swatch" style={{ background: ACTUAL_COLOR }} />
          {t('runbook.timeline.actual')}
        </li>
      </ul>
    </figure>
  );
}
