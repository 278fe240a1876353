import { RUNBOOK_STAGES, type RunbookTiming, type TaskStatus } from '@bascule/plan-model';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatMinutes, formatOffset, type RunbookModel, tasksByStage } from './runbook-view';

const LABEL_WIDTH = 220;
const ROW = 18;
const STAGE_ROW = 22;
const TOP = 24;
/** Tick steps in minutes, the first that leaves room between labels is used. */
const STEPS = [5, 10, 15, 30, 60, 120, 240, 360, 720, 1_440, 2_880, 10_080, 43_200];

type Zoom = 'fit' | 'detail';

/**
 * The runbook on a time line, by stage: each task's planned bar above its actual bar (running
 * ones grow with the clock), the forecast of what has not started dashed, the critical path
 * outlined, T0 and now as lines.
 */
export function RunbookTimeline({
  model,
  timing,
  now,
}: {
  readonly model: RunbookModel;
  readonly timing: RunbookTiming;
  readonly now: number;
}) {
  const { t } = useI18n();
  const [zoom, setZoom] = useState<Zoom>('fit');
  const scroller = useRef<HTMLDivElement>(null);
  const nowAt = timing.t0 === null ? null : (now - timing.t0) / 60_000;
  const live = model.runbook.state === 'RUNNING';
  const timings = [...timing.tasks.values()];
  const first = Math.min(
    0,
    ...timings.flatMap((timed) => [timed.plannedStart, timed.actualStart ?? 0, timed.forecastStart ?? 0]),
  );
  const last = Math.max(
    timing.plannedEnd,
    timing.forecastEnd,
    ...timings.flatMap((timed) => [timed.plannedEnd, timed.actualEnd ?? 0]),
    live && nowAt !== null ? nowAt : 0,
  );
  const span = Math.max(60, last - first);
  const scale = zoom === 'fit' ? Math.min(8, Math.max(0.02, 900 / span)) : 2;
  const x = (minutes: number) => LABEL_WIDTH + (minutes - first) * scale;
  const step = STEPS.find((candidate) => candidate * scale >= 70) ?? STEPS[STEPS.length - 1] ?? 1_440;
  const ticks: number[] = [];
  for (let tick = Math.ceil(first / step) * step; tick <= last; tick += step) ticks.push(tick);

  // Minute by minute, a long runbook is wider than the screen: it opens at T0, not days before.
  const t0X = x(0);
  useLayoutEffect(() => {
    if (zoom === 'detail' && scroller.current !== null)
      scroller.current.scrollLeft = Math.max(0, t0X - LABEL_WIDTH - 60);
  }, [zoom, t0X]);

  let y = TOP;
  const groups = tasksByStage(RUNBOOK_STAGES, model.tasks)
    .filter((group) => group.tasks.length > 0)
    .map((group) => {
      const top = y;
      y += STAGE_ROW;
      const rows = group.tasks.map((task) => {
        const timed = timing.tasks.get(task.id);
        const row = { task, timed, y };
        y += ROW;
        return row;
      });
      return { stage: group.stage, top, rows };
    });
  const height = y + 6;
  const width = x(last) + 40;
  const description = t('runbook.timeline.description', {
    title: model.runbook.title,
    tasks: model.tasks.length,
    planned: formatOffset(timing.plannedEnd),
    forecast: formatOffset(timing.forecastEnd),
  });
  return (
    <figure className="runbook-timeline" data-testid="runbook-timeline">
      <div className="section-heading">
        <ul className="legend" aria-hidden="true">
          <li>
            <span className="swatch tl-swatch-planned" /> {t('runbook.timeline.planned')}
          </li>
          <li>
            <span className="swatch tl-swatch-actual" /> {t('runbook.timeline.actual')}
          </li>
          <li>
            <span className="swatch tl-swatch-late" /> {t('runbook.late')}
          </li>
          <li>
            <span className="critical-swatch" /> {t('runbook.criticalPath')}
          </li>
        </ul>
        <div className="segmented" role="group" aria-label={t('runbook.timeline.zoom')}>
          <button type="button" aria-pressed={zoom === 'fit'} onClick={() => setZoom('fit')}>
            {t('runbook.timeline.fit')}
          </button>
          <button type="button" aria-pressed={zoom === 'detail'} onClick={() => setZoom('detail')}>
            {t('runbook.timeline.detail')}
          </button>
        </div>
      </div>
      <div className="gantt-scroll" ref={scroller}>
        <svg
          className="timeline"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={description}
        >
          {ticks.map((tick) => (
            <g key={tick} aria-hidden="true">
              <line x1={x(tick)} x2={x(tick)} y1={TOP - 6} y2={height} className="gantt-grid" />
              <text x={x(tick) + 3} y={14} className="axis-label">
                {formatOffset(tick)}
              </text>
            </g>
          ))}
          {groups.map((group) => (
            <g key={group.stage}>
              <text x={4} y={group.top + 15} className="timeline-stage">
                {t(`runbookStage.${group.stage}`)}
              </text>
              {group.rows.map(({ task, timed, y: rowY }) =>
                timed === undefined ? null : (
                  <TimelineRow
                    key={task.id}
                    y={rowY}
                    title={task.title}
                    status={task.status}
                    plannedX={x(timed.plannedStart)}
                    plannedWidth={(timed.plannedEnd - timed.plannedStart) * scale}
                    actualX={timed.actualStart === null ? null : x(timed.actualStart)}
                    actualWidth={
                      timed.actualStart === null
                        ? 0
                        : ((timed.actualEnd ??
                            (task.status === 'RUNNING' && nowAt !== null ? nowAt : timed.actualStart)) -
                            timed.actualStart) *
                          scale
                    }
                    forecastX={
                      timed.actualStart === null &&
                      timed.forecastStart !== null &&
                      timed.forecastStart > timed.plannedStart
                        ? x(timed.forecastStart)
                        : null
                    }
                    forecastWidth={((timed.forecastEnd ?? 0) - (timed.forecastStart ?? 0)) * scale}
                    late={timed.late || (timed.actualEnd !== null && timed.lateMinutes > 0)}
                    critical={timed.critical}
                    stopped={timed.stopped}
                    tooltip={`${task.title}: ${formatOffset(timed.plannedStart)} → ${formatOffset(timed.plannedEnd)}${
                      timed.actualStart === null
                        ? ''
                        : ` · ${t('runbook.timeline.actual')} ${formatOffset(timed.actualStart)}${
                            timed.actualEnd === null ? '' : ` → ${formatOffset(timed.actualEnd)}`
                          }`
                    }${timed.lateMinutes > 0 ? ` · ${t('runbook.lateBy', { duration: formatMinutes(timed.lateMinutes) })}` : ''}`}
                  />
                ),
              )}
            </g>
          ))}
          <line x1={x(0)} x2={x(0)} y1={TOP - 8} y2={height} className="timeline-t0" aria-hidden="true" />
          <text x={x(0) + 3} y={TOP - 10} className="axis-label timeline-t0-label" aria-hidden="true">
            T0
          </text>
          {nowAt !== null && nowAt >= first && nowAt <= last + 60 && (
            <line
              x1={x(nowAt)}
              x2={x(nowAt)}
              y1={TOP - 8}
              y2={height}
              className="gantt-today"
              data-testid="timeline-now"
              aria-hidden="true"
            />
          )}
        </svg>
      </div>
    </figure>
  );
}

/** One task's bars; plain values as props, so a tick redraws only the bars that grew. */
const TimelineRow = memo(function TimelineRow(props: {
  readonly y: number;
  readonly title: string;
  readonly status: TaskStatus;
  readonly plannedX: number;
  readonly plannedWidth: number;
  readonly actualX: number | null;
  readonly actualWidth: number;
  readonly forecastX: number | null;
  readonly forecastWidth: number;
  readonly late: boolean;
  readonly critical: boolean;
  readonly stopped: boolean;
  readonly tooltip: string;
}) {
  const { y } = props;
  const label = props.title.length > 30 ? `${props.title.slice(0, 29)}…` : props.title;
  return (
    <g
      className={`timeline-row status-${props.status.toLowerCase()}${props.stopped ? ' stopped' : ''}`}
      data-testid="timeline-row"
    >
      <title>{props.tooltip}</title>
      <text x={14} y={y + 13} className="gantt-label">
        {label}
      </text>
      <rect
        x={props.plannedX}
        y={y + 2}
        width={Math.max(2, props.plannedWidth)}
        height={6}
        rx={2}
        className={`tl-planned${props.critical ? ' critical' : ''}`}
        data-testid="timeline-planned"
      />
      {props.forecastX !== null && (
        <rect
          x={props.forecastX}
          y={y + 9}
          width={Math.max(2, props.forecastWidth)}
          height={6}
          rx={2}
          className="tl-forecast"
        />
      )}
      {props.actualX !== null && (
        <rect
          x={props.actualX}
          y={y + 9}
          width={Math.max(2, props.actualWidth)}
          height={6}
          rx={2}
          className={`tl-actual${props.late ? ' late' : ''}`}
          data-testid="timeline-actual"
        />
      )}
    </g>
  );
});
