import { describe, expect, it } from '@jest/globals';
import { type ChangeAuthor, SYSTEM_AUTHOR } from '@bascule/collab';
import { createEntry, type DomainChange, PlanTracker, type Refusal } from '@bascule/plan-model';
import * as Y from 'yjs';
import type { PlanChanged } from './plan-changed.js';
import { planMessagesOf } from './plan-messages.js';

const OWNER: ChangeAuthor = { kind: 'user', userId: 'u-owner', apiTokenId: null, name: 'Claire', role: 'OWNER' };
const AT = '2027-06-01T08:00:00.000Z';
const LATER = '2027-06-01T08:05:00.000Z';

/**
 * A plan document followed as the change watcher follows it: every transaction goes through the
 * tracker, and `change` answers with what one transaction made, as the webhook events see it.
 */
function followedPlan(kind: 'LIVE' | 'REHEARSAL' = 'LIVE') {
  const doc = new Y.Doc();
  const tracker = new PlanTracker(doc);
  let last: DomainChange[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    last = tracker.changesOf(transaction);
  });
  const runbookId = createEntry(doc, 'runbooks', { title: 'Nuit de bascule', kind, t0: AT });
  const set = (
    collection: 'runbooks' | 'runbookTasks' | 'runbookVotes',
    id: string,
    values: Record<string, unknown>,
  ) => {
    const entry = doc.getMap<Y.Map<unknown>>(collection).get(id)!;
    for (const [field, value] of Object.entries(values)) entry.set(field, value);
  };
  doc.transact(() => set('runbooks', runbookId, { state: 'RUNNING', startedAt: AT }));
  const point = createEntry(doc, 'runbookTasks', {
    runbookId,
    title: 'Go / no-go',
    kind: 'DECISION',
    stage: 'BACKUP',
    approverIds: ['u-owner', 'u-second'],
  });
  const copy = createEntry(doc, 'runbookTasks', { runbookId, title: 'Copier', stage: 'MIGRATE', duration: 30 });
  const vote = (voterId: string | null, value: 'GO' | 'NO_GO') => {
    const id = globalThis.crypto.randomUUID();
    doc.transact(() => {
      const entry = new Y.Map<unknown>();
      doc.getMap<Y.Map<unknown>>('runbookVotes').set(id, entry);
      for (const [field, fieldValue] of Object.entries({ id, position: 1, taskId: point, vote: value, voterId }))
        entry.set(field, fieldValue);
      if (voterId !== null) {
        entry.set('voterName', voterId);
        entry.set('at', AT);
      }
    });
    return id;
  };
  const change = (author: ChangeAuthor, edit: () => void, refusals: readonly Refusal[] = []): PlanChanged => {
    doc.transact(edit);
    return { planId: 'plan-1', author, changes: last, refusals, at: new Date(), doc, tracker };
  };
  const events = (event: PlanChanged, type: string) =>
    planMessagesOf(event).filter((message) => message.event === type);
  return { doc, runbookId, point, copy, set, vote, change, events };
}

const refusalOf = (entryId: string, code: Refusal['code']): Refusal => ({
  code,
  collection: 'runbookTasks',
  entryId,
  message: 'refused',
  related: [],
});

describe('runbook webhooks of a change', () => {
  it('tells of a decision in the change that stamps its deciding vote, from the API or the server’s correction', () => {
    const plan = followedPlan();
    // Through the API: the vote is stored with its stamps and the decision, as the voter.
    const byApi = plan.change(OWNER, () => {
      plan.vote('u-owner', 'NO_GO');
      plan.set('runbookTasks', plan.point, { decision: 'NO_GO', status: 'FAILED', endedAt: AT, endedBy: 'Claire' });
    });
    expect(plan.events(byApi, 'runbook.decision').map((message) => message.data)).toEqual([
      expect.objectContaining({ taskId: plan.point, decision: 'NO_GO', rehearsal: false, votes: [expect.anything()] }),
    ]);

    // Over a socket: the client's vote decides nothing; the server's correction stamps it and decides.
    const other = followedPlan();
    let voteId = '';
    const bySocket = other.change(OWNER, () => {
      voteId = other.vote(null, 'NO_GO');
    });
    expect(other.events(bySocket, 'runbook.decision')).toEqual([]);
    const stamped = other.change(SYSTEM_AUTHOR, () => {
      other.set('runbookVotes', voteId, { voterId: 'u-owner', voterName: 'Claire', at: AT });
      other.set('runbookTasks', other.point, { decision: 'NO_GO', status: 'FAILED', endedAt: AT, endedBy: 'Claire' });
    });
    expect(other.events(stamped, 'runbook.decision').map((message) => message.data.decision)).toEqual(['NO_GO']);
  });

  it('tells of a decision the server reconciles from votes judged apart', () => {
    const plan = followedPlan();
    // Two approvers said go at the same moment: each vote was stamped without the other, the point still pending.
    plan.vote('u-owner', 'GO');
    plan.vote('u-second', 'GO');
    plan.set('runbookTasks', plan.point, { status: 'RUNNING', startedAt: AT });
    // As reconcileDecisions writes it: the decision, and the end as at its deciding vote.
    const reconciled = plan.change(SYSTEM_AUTHOR, () =>
      plan.set('runbookTasks', plan.point, { decision: 'GO', status: 'DONE', endedAt: AT, endedBy: 'u-second' }),
    );
    expect(plan.events(reconciled, 'runbook.decision').map((message) => message.data)).toEqual([
      expect.objectContaining({ decision: 'GO', votes: [expect.anything(), expect.anything()] }),
    ]);
  });

  it('tells of no decision when the server puts back a decision a client wrote', () => {
    const plan = followedPlan();
    plan.change(OWNER, () => {
      plan.vote('u-owner', 'NO_GO');
      plan.set('runbookTasks', plan.point, { decision: 'NO_GO', status: 'FAILED', endedAt: AT, endedBy: 'Claire' });
    });
    for (const forged of ['GO', 'PENDING']) {
      const written = plan.change(OWNER, () => plan.set('runbookTasks', plan.point, { decision: forged }), [
        refusalOf(plan.point, 'SERVER_FIELD'),
      ]);
      expect(plan.events(written, 'runbook.decision')).toEqual([]);
      const putBack = plan.change(SYSTEM_AUTHOR, () => plan.set('runbookTasks', plan.point, { decision: 'NO_GO' }));
      expect(putBack.changes).toEqual([expect.objectContaining({ field: 'decision', before: forged, after: 'NO_GO' })]);
      expect(plan.events(putBack, 'runbook.decision')).toEqual([]);
    }
  });

  it('tells of a task failed by someone, not of the server putting back a refused retry', () => {
    const plan = followedPlan('REHEARSAL');
    plan.set('runbookTasks', plan.copy, { status: 'RUNNING', startedAt: AT });
    const failed = plan.change(OWNER, () =>
      plan.set('runbookTasks', plan.copy, { status: 'FAILED', reason: 'Disque plein' }),
    );
    expect(plan.events(failed, 'runbook.task.failed').map((message) => message.data)).toEqual([
      expect.objectContaining({ taskId: plan.copy, reason: 'Disque plein', by: 'Claire', rehearsal: true }),
    ]);
    plan.change(SYSTEM_AUTHOR, () => plan.set('runbookTasks', plan.copy, { endedAt: LATER, endedBy: 'Claire' }));

    const retried = plan.change(OWNER, () => plan.set('runbookTasks', plan.copy, { status: 'RUNNING' }), [
      refusalOf(plan.copy, 'TASK_ORDER'),
    ]);
    expect(planMessagesOf(retried).filter((message) => message.event.startsWith('runbook.'))).toEqual([]);
    const putBack = plan.change(SYSTEM_AUTHOR, () => plan.set('runbookTasks', plan.copy, { status: 'FAILED' }));
    expect(plan.events(putBack, 'runbook.task.failed')).toEqual([]);
  });
});
