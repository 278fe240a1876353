import type { RunbookTiming } from '@bascule/plan-model';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import type { PlanConnection } from './plan-connection';
import { Presence } from './Presence';
import { delayText } from './RunbookLive';
import { formatClock, formatMinutes, instantFormatter, liveSummary, type RunbookModel } from './runbook-view';

/** How many running and late tasks a shared screen shows; the rest are counted. */
const SHOWN = 6;

/**
 * The run on a shared screen, in large type: the clock from T0, the stage under way, what runs,
 * what is late, the next go / no-go and the forecast end. Escape (or Close) leaves it.
 */
export function WarRoom({
  model,
  timing,
  now,
  connection,
  onClose,
}: {
  readonly model: RunbookModel;
  readonly timing: RunbookTiming;
  readonly now: number;
  readonly connection: PlanConnection;
  readonly onClose: () => void;
}) {
  const { t, language } = useI18n();
  const room = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    // A modal dialog: the page behind is out of reach until it closes (Escape closes it too).
    const previous = document.activeElement as HTMLElement | null;
    if (room.current?.open === false) room.current.showModal();
    return () => {
      if (document.fullscreenElement !== null) void document.exitFullscreen().catch(() => undefined);
      previous?.focus();
    };
  }, []);
  const { runbook } = model;
  const summary = liveSummary(model, timing);
  const at = instantFormatter(language);
  const t0 = timing.t0;
  const days = t('runbook.dayUnit');
  const clock =
    t0 === null
      ? '—'
      : now < t0
        ? t('runbook.countdown', { clock: formatClock((t0 - now) / 1000, days) })
        : t('runbook.elapsed', { clock: formatClock((now - t0) / 1000, days) });
  const next = summary.nextDecision;
  const nextTiming = next === null ? undefined : timing.tasks.get(next.id);
  return (
    <dialog
      ref={room}
      className="war-room"
      aria-labelledby="war-room-title"
      data-testid="war-room"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="war-room-head">
        <h2 id="war-room-title">
          {runbook.title}{' '}
          <span className={`tag state-${runbook.state.toLowerCase()}`}>{t(`runbookState.${runbook.state}`)}</span>
        </h2>
        <div className="war-room-tools">
          <Presence connection={connection} />
          <button
            type="button"
            className="secondary"
            onClick={() => void room.current?.requestFullscreen?.().catch(() => undefined)}
          >
            {t('runbook.fullScreen')}
          </button>
          <button type="button" onClick={onClose}>
            {t('close')}
          </button>
        </div>
      </header>
      <div className="war-room-grid">
        <section className="war-tile clock-tile">
          <h3>{t('runbook.t0')}</h3>
          <p className="huge" data-testid="war-clock">
            {clock}
          </p>
          <p>{t0 === null ? '' : at(t0, 0)}</p>
        </section>
        <section className="war-tile">
          <h3>{t('runbook.currentStage')}</h3>
          <p className="huge" data-testid="war-stage">
            {summary.stage === null ? '—' : t(`runbookStage.${summary.stage}`)}
          </p>
        </section>
        <section className={`war-tile ${summary.delay > 0 || timing.rollbackOpen ? 'alert' : ''}`}>
          <h3>{t('runbook.forecastEnd')}</h3>
          <p className="huge" data-testid="war-forecast">
            {t0 === null ? '—' : at(t0, timing.forecastEnd)}
          </p>
          <p>{timing.rollbackOpen ? t('runbook.rollbackOpen') : delayText(t, summary.delay)}</p>
        </section>
        <section className="war-tile wide">
          <h3>{t('runbook.runningNow', { count: summary.running.length })}</h3>
          <ul data-testid="war-running">
            {summary.running.slice(0, SHOWN).map((task) => {
              const timed = timing.tasks.get(task.id);
              const left = (timed?.forecastEnd ?? 0) - (now - (t0 ?? now)) / 60_000;
              return (
                <li key={task.id} className={timed?.late === true ? 'late' : undefined}>
                  <span>{task.title}</span>
                  <span className="war-detail">
                    {timed?.late === true
                      ? t('runbook.lateBy', { duration: formatMinutes(timed.lateMinutes) })
                      : t('runbook.timeLeft', { duration: formatMinutes(Math.max(0, left)) })}
                  </span>
                </li>
              );
            })}
            {summary.running.length === 0 && <li className="muted">—</li>}
          </ul>
          {summary.running.length > SHOWN && <p>{t('runbook.andMore', { count: summary.running.length - SHOWN })}</p>}
        </section>
        <section className={`war-tile wide ${summary.late.length > 0 ? 'alert' : ''}`}>
          <h3>{t('runbook.lateNow', { count: summary.late.length })}</h3>
          <ul data-testid="war-late">
            {summary.late.slice(0, SHOWN).map(({ task, minutes }) => (
              <li key={task.id}>
                <span>{task.title}</span>
                <span className="war-detail">{t('runbook.lateBy', { duration: formatMinutes(minutes) })}</span>
              </li>
            ))}
            {summary.late.length === 0 && <li className="muted">—</li>}
          </ul>
          {summary.late.length > SHOWN && <p>{t('runbook.andMore', { count: summary.late.length - SHOWN })}</p>}
        </section>
        <section className="war-tile wide">
          <h3>{t('runbook.nextDecision')}</h3>
          {next === null ? (
            <p className="huge">—</p>
          ) : (
            <p className="big" data-testid="war-decision">
              {next.title}
              <span className="war-detail">
                {t0 === null || nextTiming === undefined
                  ? ''
                  : at(t0, nextTiming.forecastStart ?? nextTiming.plannedStart)}
                {' · '}
                {t('runbook.votesCast', { count: model.votes.get(next.id)?.length ?? 0 })}
              </span>
            </p>
          )}
          {timing.rollbackOpen && <p className="alert-text">{t('runbook.rollbackOpen')}</p>}
        </section>
      </div>
    </dialog>
  );
}
