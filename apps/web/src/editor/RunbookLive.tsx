import {
  createEntry,
  decisionGates,
  mayActOn,
  mayVoteOn,
  RUNBOOK_STAGES,
  type RunbookStage,
  type RunbookTiming,
  type TaskKind,
  type TaskStatus,
  updateEntry,
  type Vote,
} from '@bascule/plan-model';
import { type FormEvent, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type Translate, useI18n } from '../i18n/i18n';
import { useProgressiveCount } from '../ui/progressive';
import { sameProps } from '../ui/same-props';
import { type Person, useEditor } from './context';
import {
  describeBlockersIn,
  formatClock,
  formatMinutes,
  formatOffset,
  instantFormatter,
  liveSummary,
  type RunbookModel,
  tasksByStage,
} from './runbook-view';

type Act = (taskId: string, status: TaskStatus) => void;
type CastVote = (taskId: string, vote: Vote, comment: string) => boolean;

interface VoteView {
  readonly id: string;
  readonly vote: Vote;
  readonly voter: string | null;
  readonly comment: string | null;
  readonly at: string | null;
}

interface Gate {
  readonly id: string;
  readonly title: string;
  readonly open: boolean;
}

/**
 * The runbook as it runs: what is running, what is late and by how much, the forecast end, the
 * critical path, the go / no-go points and their votes, the way back after a no-go. Every change
 * goes through the governance rules first, as the server will judge it (it stamps who and when).
 */
export function RunbookLive({
  model,
  timing,
  now,
  people,
}: {
  readonly model: RunbookModel;
  readonly timing: RunbookTiming;
  readonly now: number;
  readonly people: readonly Person[];
}) {
  const { t } = useI18n();
  const { content, readOnly, actor, governed } = useEditor();
  const { runbook, graph } = model;
  const [asking, setAsking] = useState<{ taskId: string; status: 'FAILED' | 'SKIPPED' } | null>(null);
  const running = runbook.state === 'RUNNING';
  const mayEdit = !readOnly && actor.canEdit;

  const act = useCallback<Act>(
    (taskId, status) => {
      if (status === 'FAILED' || status === 'SKIPPED') setAsking({ taskId, status });
      else governed((target) => updateEntry(target, 'runbookTasks', taskId, { status }));
    },
    [governed],
  );
  const castVote = useCallback<CastVote>(
    (taskId, vote, comment) =>
      governed((target) =>
        createEntry(target, 'runbookVotes', { taskId, vote, comment: comment.trim() === '' ? null : comment.trim() }),
      ),
    [governed],
  );
  const setState = (state: 'RUNNING' | 'ABORTED') =>
    governed((target) => updateEntry(target, 'runbooks', runbook.id, { state }));

  // What depends on the document only, computed once per change of it rather than once per second.
  const titleOf = useCallback((id: string) => graph.byId.get(id)?.title ?? id, [graph]);
  const names = useMemo(() => new Map(people.map((person) => [person.id, person.name])), [people]);
  const decided = useMemo(() => {
    const views = new Map<string, { votes: VoteView[]; gates: Gate[]; voted: boolean }>();
    for (const task of model.tasks) {
      if (task.kind !== 'DECISION') continue;
      const votes = (model.votes.get(task.id) ?? []).map((vote) => ({
        id: vote.id,
        vote: vote.vote,
        voter: vote.voterName,
        comment: vote.comment,
        at: vote.at,
      }));
      const voted =
        actor.userId !== null && (model.votes.get(task.id) ?? []).some((vote) => vote.voterId === actor.userId);
      views.set(task.id, { votes, gates: decisionGates(task, runbook, content.checkpoints), voted });
    }
    return views;
  }, [model, runbook, content.checkpoints, actor.userId]);
  const blockerTexts = useMemo(
    () =>
      new Map(
        model.tasks.map((task) => {
          const blockers = model.blockers.get(task.id) ?? [];
          // Once a no-go stops a task, that is what matters: what else it waits for can wait.
          const refused = blockers.filter((blocker) => blocker.code === 'NO_GO');
          return [task.id, describeBlockersIn(t, refused.length > 0 ? refused : blockers, titleOf)];
        }),
      ),
    [model, t, titleOf],
  );

  const summary = liveSummary(model, timing);
  const shown = useProgressiveCount(model.tasks.length);
  let budget = shown;
  const rowOf = (id: string) => {
    const task = graph.byId.get(id);
    const timed = timing.tasks.get(id);
    if (task === undefined || timed === undefined) return null;
    const decision = decided.get(id);
    return (
      <LiveTaskRow
        key={id}
        id={id}
        title={task.title}
        kind={task.kind}
        stage={task.stage}
        status={task.status}
        decision={task.decision}
        owner={task.ownerId === null ? null : (names.get(task.ownerId) ?? t('runbook.unknownMember'))}
        team={task.team}
        approvers={task.approverIds.map((approver) => names.get(approver) ?? t('runbook.unknownMember')).join(', ')}
        t0={timing.t0}
        plannedStart={timed.plannedStart}
        plannedEnd={timed.plannedEnd}
        actualStart={timed.actualStart}
        actualEnd={timed.actualEnd}
        startedBy={task.startedBy}
        endedBy={task.endedBy}
        reason={task.reason}
        late={timed.late}
        lateMinutes={timed.lateMinutes}
        critical={timed.critical}
        stopped={timed.stopped}
        blockers={blockerTexts.get(id) ?? ''}
        running={running}
        canAct={!readOnly && mayActOn(actor, task)}
        canVote={!readOnly && mayVoteOn(actor, task) && decision?.voted !== true}
        votes={decision?.votes ?? null}
        gates={decision?.gates ?? null}
        instructions={task.instructions}
        verification={task.verification}
        onAct={act}
        onVote={castVote}
      />
    );
  };

  return (
    <div className="runbook-live" data-testid="runbook-live">
      <LiveHeader
        model={model}
        timing={timing}
        now={now}
        delay={summary.delay}
        running={summary.running.length}
        late={summary.late.length}
        critical={timing.criticalPath.map(titleOf)}
      />
      {mayEdit && (runbook.state === 'PLANNING' || running) && (
        <div className="actions runbook-actions">
          {runbook.state === 'PLANNING' && (
            <button type="button" onClick={() => setState('RUNNING')}>
              {t('runbook.start')}
            </button>
          )}
          {running && (
            <button
              type="button"
              className="secondary danger"
              onClick={() => {
                if (window.confirm(t('runbook.abortConfirm', { title: runbook.title }))) setState('ABORTED');
              }}
            >
              {t('runbook.abort')}
            </button>
          )}
        </div>
      )}
      {timing.rollbackOpen && (
        <section className="rollback-offer warning" aria-labelledby="rollback-heading" data-testid="rollback-offer">
          <h3 id="rollback-heading">{t('runbook.rollbackOpen')}</h3>
          {summary.rollbacks.length === 0 ? (
            <p>{t('runbook.rollbackNothing')}</p>
          ) : (
            <>
              <p>{t('runbook.rollbackHint')}</p>
              <ol>
                {summary.rollbacks.map((task) => (
                  <li key={task.id}>
                    {task.title} <span className="tag">{t(`taskStatus.${task.status}`)}</span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </section>
      )}
      <div className="table-scroll">
        <table className="grid live-tasks" data-testid="live-tasks">
          <thead>
            <tr>
              <th scope="col">{t('runbook.column.task')}</th>
              <th scope="col">{t('runbook.column.plan')}</th>
              <th scope="col">{t('runbook.column.actual')}</th>
              <th scope="col">{t('editor.field.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('editor.actions')}</span>
              </th>
            </tr>
          </thead>
          {tasksByStage(RUNBOOK_STAGES, model.tasks).map(({ stage, tasks }) => {
            if (tasks.length === 0) return null;
            const rows = tasks.slice(0, Math.max(0, budget));
            budget -= tasks.length;
            const stageTiming = timing.stages.find((entry) => entry.stage === stage);
            return (
              <tbody key={stage} data-stage={stage}>
                <tr className="stage-row">
                  <th scope="rowgroup" colSpan={5}>
                    {t(`runbookStage.${stage}`)}{' '}
                    <span className="muted">
                      {t('runbook.stageProgress', { done: stageTiming?.done ?? 0, total: tasks.length })}
                    </span>
                  </th>
                </tr>
                {rows.map((task) => rowOf(task.id))}
              </tbody>
            );
          })}
        </table>
      </div>
      {asking !== null && (
        <ReasonDialog
          title={titleOf(asking.taskId)}
          status={asking.status}
          onCancel={() => setAsking(null)}
          onConfirm={(reason) => {
            if (
              governed((target) =>
                updateEntry(target, 'runbookTasks', asking.taskId, { status: asking.status, reason }),
              )
            )
              setAsking(null);
          }}
        />
      )}
    </div>
  );
}

/** T0, the clock since (or until) it, and the forecast end against the plan. */
function LiveHeader({
  model,
  timing,
  now,
  delay,
  running,
  late,
  critical,
}: {
  readonly model: RunbookModel;
  readonly timing: RunbookTiming;
  readonly now: number;
  readonly delay: number;
  readonly running: number;
  readonly late: number;
  readonly critical: readonly string[];
}) {
  const { t, language } = useI18n();
  const at = instantFormatter(language);
  const t0 = timing.t0;
  const days = t('runbook.dayUnit');
  const startedAt = model.runbook.state === 'PLANNING' ? null : model.runbook.startedAt;
  return (
    <dl className="kpis runbook-kpis" data-testid="runbook-summary">
      <div>
        <dt>{t('runbook.t0')}</dt>
        <dd>
          {t0 === null ? '—' : at(t0, 0)}
          {t0 !== null && (
            <span className="kpi-detail" data-testid="runbook-clock">
              {now < t0
                ? t('runbook.countdown', { clock: formatClock((t0 - now) / 1000, days) })
                : t('runbook.elapsed', { clock: formatClock((now - t0) / 1000, days) })}
            </span>
          )}
          {startedAt !== null && (
            <span className="kpi-detail" data-testid="runbook-started">
              {t('runbook.startedAt', { when: at(Date.parse(startedAt), 0) })}
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>{t('runbook.running')}</dt>
        <dd data-testid="running-count">{running}</dd>
      </div>
      <div>
        <dt>{t('runbook.late')}</dt>
        <dd data-testid="late-count" className={late > 0 ? 'warn' : undefined}>
          {late}
        </dd>
      </div>
      <div>
        <dt>{t('runbook.forecastEnd')}</dt>
        <dd data-testid="forecast-end">
          {t0 === null ? formatOffset(timing.forecastEnd) : at(t0, timing.forecastEnd)}
          <span
            className={`kpi-detail ${delay > 0 || timing.rollbackOpen ? 'warn' : 'ok'}`}
            data-testid="forecast-delay"
          >
            {timing.rollbackOpen ? t('runbook.rollbackOpen') : delayText(t, delay)}
          </span>
        </dd>
      </div>
      <div className="wide">
        <dt>{t('runbook.criticalPath')}</dt>
        <dd className="critical-path" data-testid="critical-path">
          {critical.length === 0 ? '—' : critical.join(' → ')}
        </dd>
      </div>
    </dl>
  );
}

/** The forecast end against the plan, in words. */
export function delayText(t: Translate, delay: number): string {
  if (delay > 0) return t('runbook.delayLate', { duration: formatMinutes(delay) });
  if (delay < 0) return t('runbook.delayAhead', { duration: formatMinutes(-delay) });
  return t('runbook.delayNone');
}

/**
 * One task as it runs. Its props are plain values computed by the view (and lists that change only
 * with the document): a tick of the clock re-renders only the rows whose figures moved.
 */
const LiveTaskRow = memo(function LiveTaskRow(props: {
  readonly id: string;
  readonly title: string;
  readonly kind: TaskKind;
  readonly stage: RunbookStage;
  readonly status: TaskStatus;
  readonly decision: 'PENDING' | Vote;
  readonly owner: string | null;
  readonly team: string | null;
  readonly approvers: string;
  readonly t0: number | null;
  readonly plannedStart: number;
  readonly plannedEnd: number;
  readonly actualStart: number | null;
  readonly actualEnd: number | null;
  readonly startedBy: string | null;
  readonly endedBy: string | null;
  readonly reason: string | null;
  readonly late: boolean;
  readonly lateMinutes: number;
  readonly critical: boolean;
  readonly stopped: boolean;
  readonly blockers: string;
  readonly running: boolean;
  readonly canAct: boolean;
  readonly canVote: boolean;
  readonly votes: readonly VoteView[] | null;
  readonly gates: readonly Gate[] | null;
  readonly instructions: string;
  readonly verification: string;
  readonly onAct: Act;
  readonly onVote: CastVote;
}) {
  const { t, language } = useI18n();
  const { id, status, t0 } = props;
  const at = instantFormatter(language);
  const moment = (minutes: number) => (t0 === null ? formatOffset(minutes) : at(t0, minutes));
  const decisionPoint = props.kind === 'DECISION';
  const open = status === 'PENDING' || status === 'FAILED';
  const titleId = `task-${id}-title`;
  // A rollback task is held until the way back opens: not stopped by a no-go, only not due.
  const halted = props.stopped && props.stage !== 'ROLLBACK';
  const classes = [
    `status-${status.toLowerCase()}`,
    props.late ? 'late' : '',
    props.critical ? 'critical' : '',
    halted ? 'stopped' : '',
    props.stopped && !halted ? 'held' : '',
  ]
    .filter((name) => name !== '')
    .join(' ');
  return (
    <tr
      className={classes}
      data-testid="live-task"
      data-task-id={id}
      data-status={status}
      data-late={props.late}
      data-stopped={halted}
      data-critical={props.critical}
    >
      <td className="task-cell">
        <span id={titleId} className="task-title">
          {props.title}
        </span>
        {decisionPoint && <span className="tag decision-tag">{t('taskKind.DECISION')}</span>}
        {props.critical && <span className="tag critical-tag">{t('runbook.critical')}</span>}
        <span className="muted task-people">
          {[props.owner ?? t('runbook.noOwner'), props.team].filter((part) => part !== null).join(' · ')}
        </span>
        {decisionPoint && (
          <DecisionFacts
            approvers={props.approvers}
            decision={props.decision}
            votes={props.votes}
            gates={props.gates}
          />
        )}
        {(props.instructions !== '' || props.verification !== '') && (
          <details className="task-more">
            <summary>{t('runbook.field.instructions')}</summary>
            {props.instructions !== '' && <p className="pre-line">{props.instructions}</p>}
            {props.verification !== '' && (
              <p className="pre-line">{t('runbook.verificationLine', { text: props.verification })}</p>
            )}
          </details>
        )}
      </td>
      <td className="when">
        {moment(props.plannedStart)} → {moment(props.plannedEnd)}
        <span className="muted"> ({formatMinutes(props.plannedEnd - props.plannedStart)})</span>
      </td>
      <td className="when">
        {props.actualStart !== null && (
          <span>
            {moment(props.actualStart)}
            {props.startedBy !== null && <span className="muted"> · {props.startedBy}</span>}
          </span>
        )}
        {props.actualEnd !== null && (
          <span className="block">
            → {moment(props.actualEnd)}
            {props.endedBy !== null && <span className="muted"> · {props.endedBy}</span>}
          </span>
        )}
      </td>
      <td>
        <span className={`tag status-tag status-${status.toLowerCase()}`} data-testid="task-status">
          {t(`taskStatus.${status}`)}
        </span>
        {props.late && (
          <span className="late-badge" data-testid="task-late" data-minutes={props.lateMinutes}>
            {t('runbook.lateBy', { duration: formatMinutes(props.lateMinutes) })}
          </span>
        )}
        {!props.late && (status === 'DONE' || status === 'RUNNING') && props.lateMinutes > 0 && (
          <span className="muted block">{t('runbook.overran', { duration: formatMinutes(props.lateMinutes) })}</span>
        )}
        {halted && (
          <span className="stopped-badge" data-testid="task-stopped">
            {t('runbook.stopped')}
          </span>
        )}
        {props.reason !== null && (status === 'FAILED' || status === 'SKIPPED') && (
          <span className="block reason">{props.reason}</span>
        )}
        {open && props.running && props.blockers !== '' && (
          <span className="muted block blockers" id={`task-${id}-blockers`}>
            {props.blockers}
          </span>
        )}
      </td>
      <td className="task-actions">
        {decisionPoint
          ? props.canVote &&
            props.running &&
            props.decision === 'PENDING' && (
              <VoteForm taskId={id} titleId={titleId} blocked={props.blockers !== ''} onVote={props.onVote} />
            )
          : props.canAct &&
            props.running && (
              <span className="entry-actions">
                {open && (
                  <button
                    type="button"
                    disabled={props.blockers !== ''}
                    aria-describedby={props.blockers === '' ? titleId : `task-${id}-blockers`}
                    onClick={() => props.onAct(id, 'RUNNING')}
                  >
                    {status === 'FAILED' ? t('runbook.action.retry') : t('runbook.action.start')}
                  </button>
                )}
                {status === 'RUNNING' && (
                  <>
                    <button type="button" aria-describedby={titleId} onClick={() => props.onAct(id, 'DONE')}>
                      {t('runbook.action.done')}
                    </button>
                    <button
                      type="button"
                      className="secondary danger"
                      aria-describedby={titleId}
                      onClick={() => props.onAct(id, 'FAILED')}
                    >
                      {t('runbook.action.fail')}
                    </button>
                  </>
                )}
                {open && (
                  <button
                    type="button"
                    className="secondary"
                    aria-describedby={titleId}
                    onClick={() => props.onAct(id, 'SKIPPED')}
                  >
                    {t('runbook.action.skip')}
                  </button>
                )}
              </span>
            )}
      </td>
    </tr>
  );
}, sameProps);

function DecisionFacts({
  approvers,
  decision,
  votes,
  gates,
}: {
  readonly approvers: string;
  readonly decision: 'PENDING' | Vote;
  readonly votes: readonly VoteView[] | null;
  readonly gates: readonly Gate[] | null;
}) {
  const { t, language } = useI18n();
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
  return (
    <div className="decision" data-testid="decision">
      <p>
        <span className={`tag decision-${decision.toLowerCase()}`} data-testid="decision-outcome">
          {t(`decision.${decision}`)}
        </span>{' '}
        <span className="muted">
          {approvers === '' ? t('runbook.anyApprover') : t('runbook.approvers', { names: approvers })}
        </span>
      </p>
      {gates !== null && gates.length > 0 && (
        <ul className="gates" aria-label={t('runbook.gates')}>
          {gates.map((gate) => (
            <li key={gate.id} className={gate.open ? 'warn' : 'ok'}>
              {gate.open
                ? t('runbook.gateOpen', { title: gate.title })
                : t('runbook.gateCleared', { title: gate.title })}
            </li>
          ))}
        </ul>
      )}
      {votes !== null && votes.length > 0 && (
        <ul className="votes" aria-label={t('runbook.votes')} data-testid="votes">
          {votes.map((vote) => (
            <li key={vote.id}>
              <strong>{vote.voter ?? '…'}</strong>{' '}
              <span className={`vote-${vote.vote.toLowerCase()}`}>{t(`vote.${vote.vote}`)}</span>
              {vote.at !== null && <span className="muted"> · {time.format(new Date(vote.at))}</span>}
              {vote.comment !== null && <span className="vote-comment"> — {vote.comment}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function VoteForm({
  taskId,
  titleId,
  blocked,
  onVote,
}: {
  readonly taskId: string;
  readonly titleId: string;
  readonly blocked: boolean;
  readonly onVote: CastVote;
}) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const cast = (vote: Vote) => {
    if (onVote(taskId, vote, comment)) setComment('');
  };
  return (
    <form className="vote-form" onSubmit={(event: FormEvent) => event.preventDefault()}>
      <input
        aria-label={t('runbook.voteComment')}
        placeholder={t('runbook.voteComment')}
        value={comment}
        maxLength={1_000}
        onChange={(event) => setComment(event.target.value)}
      />
      <button type="button" disabled={blocked} aria-describedby={titleId} onClick={() => cast('GO')}>
        {t('vote.GO')}
      </button>
      <button
        type="button"
        className="danger-fill"
        disabled={blocked}
        aria-describedby={titleId}
        onClick={() => cast('NO_GO')}
      >
        {t('vote.NO_GO')}
      </button>
    </form>
  );
}

/** Why a task failed or is skipped: the rules ask for it, and the report shows it. */
function ReasonDialog({
  title,
  status,
  onCancel,
  onConfirm,
}: {
  readonly title: string;
  readonly status: 'FAILED' | 'SKIPPED';
  readonly onCancel: () => void;
  readonly onConfirm: (reason: string) => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (dialog.current?.open === false) dialog.current.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="reason-heading" onCancel={onCancel} data-testid="reason-dialog">
      <form
        className="stack"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          if (reason.trim() !== '') onConfirm(reason.trim());
        }}
      >
        <h2 id="reason-heading">
          {status === 'FAILED' ? t('runbook.failTitle', { title }) : t('runbook.skipTitle', { title })}
        </h2>
        <label>
          {t('runbook.reason')}
          <textarea
            value={reason}
            maxLength={1_000}
            required
            rows={3}
            autoFocus
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
        <div className="actions">
          <button type="button" className="secondary" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" disabled={reason.trim() === ''}>
            {status === 'FAILED' ? t('runbook.action.confirmFail') : t('runbook.action.confirmSkip')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
