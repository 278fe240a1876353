import { isCleared, mentionsIn, riskScore } from '@bascule/plan-model';
import type { PlanMessage } from '../webhooks/webhooks.service.js';
import type { PlanChanged } from './plan-changed.js';
import { commentPlace } from './plan-notices.js';

/** A risk is critical from this score (likelihood x impact) up: the top band of the 5x5 heat map. */
export const CRITICAL_RISK_SCORE = 15;

/**
 * The webhook events one change to a plan gives rise to: milestone.slipped (a due date moved
 * later), risk.critical (a risk's score reached the top band) and checkpoint.approved (passed or
 * waived), runbook.task.failed (a runbook task marked failed by someone) and runbook.decision (a
 * go / no-go point decided by its votes). Changes the governance rules refused give none; runbook.task.late
 * comes from the clock, not from a change (RunbookLateness); comment.created (a comment written
 * by someone, the rules having accepted it). plan.changed, one per plan and write of
 * the trail, is added where the trail is written.
 */
export function planMessagesOf(event: PlanChanged): PlanMessage[] {
  const refused = new Set(event.refusals.map((refusal) => refusal.entryId));
  const messages: PlanMessage[] = [];
  const touchedRisks = new Set<string>();
  for (const change of event.changes) {
    if (change.entryId === null || refused.has(change.entryId)) continue;
    const entry =
      change.collection === 'plan' || change.collection === 'notes'
        ? undefined
        : event.tracker.entry(change.collection, change.entryId);
    if (change.collection === 'milestones' && change.field === 'dueDate') {
      const from = change.before;
      const to = change.after;
      if (typeof from === 'string' && typeof to === 'string' && to > from)
        messages.push({
          event: 'milestone.slipped',
          planId: event.planId,
          data: { milestoneId: change.entryId, title: entry?.title ?? null, from, to, by: event.author.name },
        });
    }
    if (
      change.collection === 'risks' &&
      (change.field === 'likelihood' || change.field === 'impact' || change.action === 'created')
    )
      touchedRisks.add(change.entryId);
    const approved =
      change.collection === 'checkpoints' && change.action === 'created'
        ? isCleared((change.after as { status?: unknown }).status)
        : change.field === 'status' && isCleared(change.after) && !isCleared(change.before);
    if (change.collection === 'checkpoints' && approved)
      messages.push({
        event: 'checkpoint.approved',
        planId: event.planId,
        data: {
          checkpointId: change.entryId,
          title: entry?.title ?? null,
          status: entry?.status ?? null,
          by: event.author.name,
        },
      });
  }
  messages.push(...runbookMessagesOf(event, refused), ...commentMessagesOf(event, refused));
  for (const riskId of touchedRisks) {
    const risk = event.tracker.entry('risks', riskId);
    if (risk === undefined) continue;
    const score = riskScore({ likelihood: risk.likelihood as number, impact: risk.impact as number });
    const before = event.changes.filter((change) => change.entryId === riskId);
    const created = before.some((change) => change.action === 'created');
    const old = (field: 'likelihood' | 'impact') =>
      (before.find((change) => change.field === field)?.before as number | undefined) ?? (risk[field] as number);
    const was = created ? 0 : riskScore({ likelihood: old('likelihood'), impact: old('impact') });
    if (score >= CRITICAL_RISK_SCORE && was < CRITICAL_RISK_SCORE)
      messages.push({
        event: 'risk.critical',
        planId: event.planId,
        data: {
          riskId,
          title: risk.title,
          score,
          likelihood: risk.likelihood,
          impact: risk.impact,
          by: event.author.name,
        },
      });
  }
  return messages;
}

/**
 * A runbook task's status that became FAILED, and a go / no-go point's decision that was written.
 * The server's own changes (author `system`) fail no task: they put a refused move of a failed task
 * back to FAILED, which is no new failure. A point is decided where the server decides it: in the
 * change that stamps its deciding vote (an API vote is stored with its stamps and the decision; a
 * socket's vote is stamped, and the point decided, by the server's correction that follows it), or
 * by the server's reconciliation of votes judged apart (reconcileDecisions: a system change that
 * takes the point from PENDING to its decision and ends it, as at its deciding vote). The server
 * putting back a decision a client wrote on a decided point is neither: it stamps no vote and, the
 * point having ended already, writes no end (unless the client also cleared the end: that forgery
 * reads as a reconciliation and is told of again).
 */
function runbookMessagesOf(event: PlanChanged, refused: ReadonlySet<string | null>): PlanMessage[] {
  const messages: PlanMessage[] = [];
  const byServer = event.author.kind === 'system';
  // The points on which this change stamped a vote: a vote that got its voter here (from a socket's
  // vote, by the server's correction) or came with one from the API (judged before it was stored).
  const stampedOn = new Set<string>();
  for (const change of event.changes) {
    if (change.collection !== 'runbookVotes' || change.entryId === null || refused.has(change.entryId)) continue;
    const stamped =
      change.action === 'created'
        ? !byServer && typeof (change.after as { voterId?: unknown } | null)?.voterId === 'string'
        : change.field === 'voterId' && typeof change.after === 'string' && change.before !== change.after;
    const vote =
      event.tracker.entry('runbookVotes', change.entryId) ??
      (change.action === 'created' ? (change.after as { taskId?: unknown } | null) : null);
    const taskId = vote?.taskId;
    if (stamped && typeof taskId === 'string') stampedOn.add(taskId);
  }
  // The tasks this change ended: their end stamp written where there was none.
  const ended = new Set(
    event.changes
      .filter(
        (change) =>
          change.collection === 'runbookTasks' &&
          change.field === 'endedAt' &&
          typeof change.before !== 'string' &&
          typeof change.after === 'string',
      )
      .map((change) => change.entryId),
  );
  for (const change of event.changes) {
    if (change.collection !== 'runbookTasks' || change.entryId === null || refused.has(change.entryId)) continue;
    const task = event.tracker.entry('runbookTasks', change.entryId);
    if (task === undefined) continue;
    const runbook = task.runbookId === null ? undefined : event.tracker.entry('runbooks', String(task.runbookId));
    const common = {
      runbookId: task.runbookId,
      runbookTitle: runbook?.title ?? null,
      rehearsal: runbook?.kind === 'REHEARSAL',
      taskId: change.entryId,
      title: task.title,
      stage: task.stage,
    };
    if (change.field === 'status' && change.after === 'FAILED' && task.kind !== 'DECISION' && !byServer)
      messages.push({
        event: 'runbook.task.failed',
        planId: event.planId,
        data: { ...common, reason: task.reason, by: event.author.name },
      });
    if (
      change.field === 'decision' &&
      (change.after === 'GO' || change.after === 'NO_GO') &&
      (stampedOn.has(change.entryId) || (byServer && change.before === 'PENDING' && ended.has(change.entryId)))
    ) {
      const votes = [...event.tracker.all('runbookVotes')]
        .filter((vote) => vote.taskId === change.entryId && typeof vote.voterId === 'string')
        .map((vote) => ({ voter: vote.voterName, vote: vote.vote, comment: vote.comment, at: vote.at }));
      messages.push({
        event: 'runbook.decision',
        planId: event.planId,
        data: { ...common, decision: change.after, votes },
      });
    }
  }
  return messages;
}

/** The comments people wrote (the server's own writes are not conversation). */
function commentMessagesOf(event: PlanChanged, refused: ReadonlySet<string | null>): PlanMessage[] {
  if (event.author.kind === 'system') return [];
  return event.changes
    .filter((change) => change.collection === 'comments' && change.action === 'created' && !refused.has(change.entryId))
    .flatMap((change) => {
      const comment = event.tracker.entry('comments', change.entryId as string);
      if (comment === undefined) return [];
      const place = commentPlace(event, change.entryId as string, comment);
      return [
        {
          event: 'comment.created',
          planId: event.planId,
          data: {
            commentId: change.entryId,
            threadId: place.threadId,
            subject: place.subject,
            entryId: place.entryId,
            body: comment.body,
            mentions: mentionsIn(String(comment.body)),
            by: event.author.name,
          },
        },
      ];
    });
}
