import { describe, expect, it } from '@jest/globals';
import { endsInTrail, type TrailEvent } from './runbook-report.js';

const at = (second: number) => new Date(Date.UTC(2027, 2, 13, 20, 0, second));
const event = (values: Partial<TrailEvent> & Pick<TrailEvent, 'occurredAt'>): TrailEvent => ({
  action: 'updated',
  actorKind: 'user',
  actorId: 'u-dba',
  actorName: 'Karim Benali',
  entityId: 't-copy',
  field: 'status',
  after: null,
  ...values,
});

describe('failures and skips read from the audit trail', () => {
  it('keeps the accepted ones with their reason, not refused attempts nor the server’s reverts', () => {
    const ends = endsInTrail([
      // Failed with a reason: kept.
      event({ occurredAt: at(1), after: '"FAILED"' }),
      event({ occurredAt: at(1), field: 'reason', after: '"Quota dépassé"' }),
      // Skipped by someone else, refused (no reason): the attempt and its refusal, then the revert.
      event({ occurredAt: at(2), actorId: 'u-rssi', actorName: 'Nadia Roussel', after: '"SKIPPED"' }),
      event({ occurredAt: at(2), actorId: 'u-rssi', action: 'refused', field: null }),
      event({ occurredAt: at(3), actorKind: 'system', actorId: null, actorName: 'Bascule', after: '"FAILED"' }),
      // Started again, then done: not ends to report.
      event({ occurredAt: at(4), after: '"RUNNING"' }),
      event({ occurredAt: at(5), after: '"DONE"' }),
    ]);
    expect(ends).toEqual([
      { taskId: 't-copy', status: 'FAILED', at: at(1).toISOString(), by: 'Karim Benali', reason: 'Quota dépassé' },
    ]);
  });
});
