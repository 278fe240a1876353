import { isCleared, riskScore } from '@bascule/plan-model';
import type { PlanMessage } from '../webhooks/webhooks.service.js';
import type { PlanChanged } from './plan-changed.js';

/** A risk is critical from this score (likelihood x impact) up: the top band of the 5x5 heat map. */
export const CRITICAL_RISK_SCORE = 15;

/**
 * The webhook events one change to a plan gives rise to: milestone.slipped (a due date moved
 * later), risk.critical (a risk's score reached the top band) and checkpoint.approved (passed or
 * waived), runbook.task.failed (a runbook task marked failed) and runbook.decision (a go / no-go
 * point decided by its votes). Changes the governance rules refused give none; runbook.task.late
 * comes from the clock, not from a change (RunbookLateness). plan.changed, one per plan and write of
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
  messages.push(...runbookMessagesOf(event, refused));
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

/** A runbook task's status that became FAILED, and a go / no-go point's decision that was written. */
function runbookMessagesOf(event: PlanChanged, refused: ReadonlySet<string | null>): PlanMessage[] {
  const messages: PlanMessage[] = [];
  for (const change of event.changes) {
    if (change.collection !== 'runbookTasks' || change.entryId === null || refused.has(change.entryId)) continue;
    const task = event.tracker.entry('runbookTasks', change.entryId);
    if (task === undefined) continue;
    const common = {
      runbookId: task.runbookId,
      runbookTitle:
        task.runbookId === null ? null : (event.tracker.entry('runbooks', String(task.runbookId))?.title ?? null),
      taskId: change.entryId,
      title: task.title,
      stage: task.stage,
    };
    if (change.field === 'status' && change.after === 'FAILED' && task.kind !== 'DECISION')
      messages.push({
        event: 'runbook.task.failed',
        planId: event.planId,
        data: { ...common, reason: task.reason, by: event.author.name },
      });
    if (change.field === 'decision' && (change.after === 'GO' || change.after === 'NO_GO')) {
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
