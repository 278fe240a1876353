import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  APPROVER_NAME,
  applyRaw,
  brokenRules,
  rawTransactions,
  seedGovernedPlan,
} from '../../../test/support/governance-properties.js';
import { readPlan } from './document.js';
import { applyCorrections, type DomainChange, PlanTracker, reviewChanges } from './governance.js';

const RUNS = Number(process.env.BASCULE_GOVERNANCE_RUNS ?? 500);

describe('governance rules under generated raw-client changes', () => {
  it('leave the plan, after the server corrections, within the rules GraphQL enforces', () => {
    fc.assert(
      fc.property(rawTransactions(6), (transactions) => {
        const doc = new Y.Doc();
        seedGovernedPlan(doc, '2026-11-15T10:00:00.000Z');
        expect(brokenRules(readPlan(doc), { approvers: new Set([APPROVER_NAME]) })).toEqual([]);
        const tracker = new PlanTracker(doc);
        let last: DomainChange[] = [];
        doc.on('afterTransaction', (transaction: Y.Transaction) => {
          last = tracker.changesOf(transaction);
        });
        for (const [index, transaction] of transactions.entries()) {
          const before = readPlan(doc);
          applyRaw(doc, transaction);
          // As the server does: review what the socket's transaction changed, write the corrections.
          const actor = {
            canApprove: transaction.role === 'APPROVER',
            canEdit: transaction.role !== 'APPROVER',
            userId: transaction.role,
            name: APPROVER_NAME,
          };
          const review = reviewChanges(tracker, last, actor, `2026-12-0${index + 1}T10:00:00.000Z`);
          expect(applyCorrections(doc, review.corrections)).toEqual([]);
          const broken = brokenRules(readPlan(doc), {
            approvers: new Set([APPROVER_NAME]),
            before: transaction.role === 'EDITOR' ? before : undefined,
          });
          expect({ transaction: index, broken }).toEqual({ transaction: index, broken: [] });
        }
      }),
      { numRuns: RUNS, seed: 20261206 },
    );
  });
});
