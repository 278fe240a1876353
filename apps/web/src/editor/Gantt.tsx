import {
  addDays,
  criticalPath,
  daysBetween,
  isOverdue,
  type Milestone,
  previewSlip,
  slipDays,
  updateEntry,
} from '@bascule/plan-model';
import { type KeyboardEvent, type PointerEvent, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useEditor } from './context';

const ROW = 30;
const TOP = 26;
const LABEL_WIDTH = 180;

interface Bar {
  readonly milestone: Milestone;
  readonly start: string;
  readonly end: string;
  readonly row: number;
}

/**
 * The milestones on a time line: a bar from start to due date (a diamond without a start), the
 * dependencies as arrows, slipped milestones marked, today as a line. Dragging a bar, or the arrow
 * keys on a focused bar, moves its dates by whole days (Shift: the due date only).
 */
export function Gantt() {
  const { t, formatDay, language } = useI18n();
  const { doc, content, readOnly, today, edit } = useEditor();
  const [drag, setDrag] = useState<{ id: string; fromX: number; days: number; resize: boolean } | null>(null);
  const svg = useRef<SVGSVGElement>(null);

  const bars: Bar[] = content.milestones
    .filter((milestone) => milestone.dueDate !== null || milestone.startDate !== null)
    .map((milestone, row) => {
      const end = (milestone.dueDate ?? milestone.startDate) as string;
      const start = milestone.startDate !== null && milestone.startDate <= end ? milestone.startDate : end;
      return { milestone, start, end, row };
    });
  if (bars.length === 0) return <p className="muted">{t('editor.gantt.empty')}</p>;

  const days = [today, ...bars.flatMap((bar) => [bar.start, bar.end])].sort();
  const first = addDays(days[0] ?? today, -3);
  const last = addDays(days.at(-1) ?? today, 4);
  const span = Math.max(daysBetween(first, last), 7);
  const dayWidth = Math.min(28, Math.max(3, 900 / span));
  const width = LABEL_WIDTH + span * dayWidth;
  const height = TOP + bars.length * ROW + 6;
  const x = (day: string) => LABEL_WIDTH + daysBetween(first, day) * dayWidth;
  const byId = new Map(bars.map((bar) => [bar.milestone.id, bar]));
  const critical = new Set(criticalPath(content.milestones).milestoneIds);
  // While a bar is dragged: what else the new date would move.
  const dragged = drag === null ? undefined : content.milestones.find((milestone) => milestone.id === drag.id);
  const slips =
    drag === null || drag.days === 0 || dragged === undefined || dragged.dueDate === null
      ? null
      : previewSlip(content.milestones, dragged.id, addDays(dragged.dueDate, drag.days)).filter(
          (impact) => impact.milestoneId !== dragged.id,
        );
  const titleOf = (id: string) => byId.get(id)?.milestone.title ?? id;
  const monthFormat = new Intl.DateTimeFormat(language, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  const months: string[] = [];
  for (let day = `${first.slice(0, 7)}-01`; day <= last; day = addDays(`${day.slice(0, 7)}-28`, 5).slice(0, 7) + '-01')
    if (day >= first) months.push(day);

  function shift(milestone: Milestone, days: number, resize: boolean) {
    if (days === 0) return;
    edit(() =>
      updateEntry(
        doc,
        'milestones',
        milestone.id,
        resize
          ? { dueDate: milestone.dueDate === null ? null : addDays(milestone.dueDate, days) }
          : {
              startDate: milestone.startDate === null ? null : addDays(milestone.startDate, days),
              dueDate: milestone.dueDate === null ? null : addDays(milestone.dueDate, days),
            },
      ),
    );
  }

  function onKey(event: KeyboardEvent<SVGGElement>, milestone: Milestone) {
    if (readOnly || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return;
    event.preventDefault();
    shift(milestone, event.key === 'ArrowRight' ? 1 : -1, event.shiftKey);
  }

  function onPointerDown(event: PointerEvent<SVGGElement>, milestone: Milestone) {
    if (readOnly) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    setDrag({ id: milestone.id, fromX: event.clientX, days: 0, resize: event.shiftKey });
  }

  function onPointerMove(event: PointerEvent<SVGGElement>) {
    if (drag === null) return;
    const scale = (svg.current?.getBoundingClientRect().width ?? width) / width;
    setDrag({ ...drag, days: Math.round((event.clientX - drag.fromX) / (dayWidth * scale)) });
  }

  function onPointerUp(milestone: Milestone) {
    if (drag === null) return;
    shift(milestone, drag.days, drag.resize);
    setDrag(null);
  }

  return (
    <div className="gantt-scroll">
      <p className="gantt-legend muted">
        <span className="critical-swatch" aria-hidden="true" /> {t('editor.gantt.critical')}
      </p>
      <p role="status" className="gantt-slips" data-testid="slip-preview">
        {slips === null
          ? ''
          : slips.length === 0
            ? t('editor.gantt.slipNone')
            : t('editor.gantt.slip', {
                list: slips.map((impact) => `${titleOf(impact.milestoneId)} +${impact.days}`).join(', '),
              })}
      </p>
      <svg
        ref={svg}
        className="gantt"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        aria-label={t('editor.gantt.label')}
        role="group"
        data-day-width={dayWidth}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M0,0 L8,4 L0,8 z" fill="var(--muted)" />
          </marker>
        </defs>
        {months.map((month) => (
          <g key={month} aria-hidden="true">
            <line x1={x(month)} x2={x(month)} y1={TOP - 6} y2={height} className="gantt-grid" />
            <text x={x(month) + 3} y={14} className="axis-label">
              {monthFormat.format(new Date(`${month}T00:00:00Z`))}
            </text>
          </g>
        ))}
        <line x1={x(today)} x2={x(today)} y1={TOP - 8} y2={height} className="gantt-today" aria-hidden="true" />
        {bars.flatMap((bar) =>
          bar.milestone.dependsOn.map((dependencyId) => {
            const from = byId.get(dependencyId);
            if (from === undefined) return null;
            const x1 = x(from.end) + dayWidth;
            const y1 = TOP + from.row * ROW + ROW / 2;
            const x2 = x(bar.start);
            const y2 = TOP + bar.row * ROW + ROW / 2;
            return (
              <path
                key={`${dependencyId}-${bar.milestone.id}`}
                d={`M${x1},${y1} C${x1 + 12},${y1} ${x2 - 12},${y2} ${x2 - 1},${y2}`}
                className="gantt-dependency"
                markerEnd="url(#arrow)"
                aria-hidden="true"
              />
            );
          }),
        )}
        {bars.map((bar) => {
          const { milestone } = bar;
          const moved = drag?.id === milestone.id ? drag.days : 0;
          const resizing = drag?.id === milestone.id && drag.resize;
          const start = resizing ? bar.start : addDays(bar.start, moved);
          const end = addDays(bar.end, moved);
          const y = TOP + bar.row * ROW;
          const slipped = isOverdue(milestone, today) || slipDays(milestone, today) > 0;
          const point = milestone.startDate === null;
          const className = `gantt-bar status-${milestone.status.toLowerCase()}${slipped ? ' slipped' : ''}${
            critical.has(milestone.id) ? ' critical' : ''
          }`;
          const description = t('editor.gantt.bar', {
            title: milestone.title,
            start: formatDay(milestone.startDate),
            due: formatDay(milestone.dueDate),
          });
          return (
            <g key={milestone.id} data-testid="gantt-row">
              <text x={6} y={y + ROW / 2 + 4} className="gantt-label" aria-hidden="true">
                {milestone.title.length > 24 ? `${milestone.title.slice(0, 23)}…` : milestone.title}
              </text>
              <g
                className={className}
                tabIndex={readOnly ? -1 : 0}
                role={readOnly ? 'img' : 'slider'}
                aria-label={`${description}${slipped ? `, ${t('editor.slipped')}` : ''}${
                  critical.has(milestone.id) ? `, ${t('editor.gantt.critical')}` : ''
                }`}
                aria-valuetext={`${formatDay(start)} – ${formatDay(end)}`}
                data-milestone-id={milestone.id}
                onKeyDown={(event) => onKey(event, milestone)}
                onPointerDown={(event) => onPointerDown(event, milestone)}
                onPointerMove={onPointerMove}
                onPointerUp={() => onPointerUp(milestone)}
                onPointerCancel={() => setDrag(null)}
              >
                <title>{description}</title>
                {point ? (
                  <path d={`M${x(end) + dayWidth / 2},${y + 5} l9,10 l-9,10 l-9,-10 z`} className="gantt-shape" />
                ) : (
                  <rect
                    x={x(start)}
                    y={y + 6}
                    width={Math.max(dayWidth, (daysBetween(start, end) + 1) * dayWidth)}
                    height={ROW - 12}
                    rx={4}
                    className="gantt-shape"
                  />
                )}
              </g>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
