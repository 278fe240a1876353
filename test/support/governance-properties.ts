/**
 * Raw-client changes for property-based tests of the governance rules, and the rules GraphQL
 * enforces written as invariants on a plan's content. Used on the plan model alone (many runs) and
 * against the server over a real collab socket (fewer runs).
 */
import {
  CHECKPOINT_STATUSES,
  type CollectionName,
  isCleared,
  MILESTONE_STATUSES,
  PLAN_SCHEMA_VERSION,
  type PlanContent,
  RISK_STATUSES,
} from '@bascule/plan-model';
import fc from 'fast-check';
import * as Y from 'yjs';

export const APPROVER_NAME = 'Paul Durand';
export const SERVER_MARKER = 'eligibility:SOVEREIGNTY';

/** The ids of the plan every run starts from (see `seedGovernedPlan`). */
export const IDS = {
  milestones: ['m-done', 'm-gated', 'm-closed-gate', 'm-plain'],
  checkpoints: ['c-passed', 'c-open', 'c-gate-of-done'],
  risks: ['r-automatic', 'r-plain'],
} as const;

/**
 * What a run starts from, written as the server would have (stamps and markers included): a done
 * milestone, one gated by a passed and an open checkpoint, a done one behind a passed gate, a plain
 * one; a risk the server raised and one a user did.
 */
export function seedGovernedPlan(doc: Y.Doc, approvedAt: string): void {
  doc.transact(() => {
    const header = doc.getMap<unknown>('plan');
    header.set('schemaVersion', PLAN_SCHEMA_VERSION);
    header.set('title', 'Portail patient vers Kubernetes');
    header.set('startDate', '2027-01-01');
    header.set('targetDate', '2027-06-30');
    const put = (collection: CollectionName, id: string, values: Record<string, unknown>) => {
      const entry = new Y.Map<unknown>();
      doc.getMap<Y.Map<unknown>>(collection).set(id, entry);
      entry.set('id', id);
      entry.set('position', doc.getMap(collection).size);
      for (const [key, value] of Object.entries(values)) entry.set(key, value);
    };
    const [done, gated, closedGate, plain] = IDS.milestones;
    put('milestones', done, { title: 'Cadrage', status: 'DONE', completedOn: '2026-11-02' });
    put('milestones', gated, {
      title: 'Bascule',
      status: 'IN_PROGRESS',
      startDate: '2027-03-01',
      dueDate: '2027-04-01',
    });
    put('milestones', closedGate, { title: 'Pilote', status: 'DONE', completedOn: '2026-11-20' });
    put('milestones', plain, { title: 'Décommissionnement', status: 'NOT_STARTED' });
    const stamp = { approvedBy: APPROVER_NAME, approvedAt };
    put('checkpoints', 'c-passed', { title: 'Contrat HDS', framework: 'HDS', status: 'PASSED', ...stamp });
    put('checkpoints', 'c-open', { title: 'AIPD', framework: 'GDPR', status: 'TODO' });
    put('checkpoints', 'c-gate-of-done', { title: 'Test d’intrusion', framework: 'NIS2', status: 'PASSED', ...stamp });
    doc
      .getMap<Y.Map<unknown>>('checkpoints')
      .get('c-passed')!
      .set('milestoneIds', Y.Array.from([gated]));
    doc
      .getMap<Y.Map<unknown>>('checkpoints')
      .get('c-open')!
      .set('milestoneIds', Y.Array.from([gated]));
    doc
      .getMap<Y.Map<unknown>>('checkpoints')
      .get('c-gate-of-done')!
      .set('milestoneIds', Y.Array.from([closedGate]));
    put('risks', 'r-automatic', { title: 'Offre non qualifiée', status: 'OPEN', automatic: SERVER_MARKER });
    put('risks', 'r-plain', { title: 'Compétences', status: 'OPEN' });
  });
}

/** One write of a raw client: a key set or removed on an entry (made if missing), or an entry removed. */
export type RawOp =
  | {
      readonly kind: 'set';
      readonly collection: CollectionName | 'plan';
      readonly id: string;
      readonly key: string;
      readonly value: unknown;
    }
  | { readonly kind: 'unset'; readonly collection: CollectionName | 'plan'; readonly id: string; readonly key: string }
  | { readonly kind: 'delete'; readonly collection: CollectionName; readonly id: string };

/** A transaction of a raw client, with the role of whoever sends it. */
export interface RawTransaction {
  readonly role: 'EDITOR' | 'APPROVER';
  readonly ops: readonly RawOp[];
}

const dates = fc.constantFrom('2026-11-01', '2027-01-15', '2027-03-01', '2027-05-01', '2027-08-01', 'demain');
const milestoneIds = [...IDS.milestones, 'm-new'];
const checkpointIds = [...IDS.checkpoints, 'c-new'];
const riskIds = [...IDS.risks, 'r-new'];
/** A list as a raw client may write it: a Y.Array (as documented) or a plain array. */
const idList = fc.tuple(fc.subarray(milestoneIds), fc.boolean()).map(([ids, plain]) => (plain ? ids : { yArray: ids }));
const text = fc.constantFrom('', '  ', 'Couvert par l’audit 2025', 'Risque accepté par la direction');

const valueFor: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  milestones: {
    status: fc.constantFrom(...MILESTONE_STATUSES, 'FINI'),
    startDate: dates,
    dueDate: dates,
    completedOn: dates,
  },
  checkpoints: {
    status: fc.constantFrom(...CHECKPOINT_STATUSES, 'OK'),
    approvedBy: fc.constantFrom(APPROVER_NAME, 'Quelqu’un d’autre'),
    approvedAt: fc.constantFrom('2026-12-01T09:00:00.000Z', '2020-01-01T00:00:00.000Z'),
    justification: fc.tuple(text, fc.boolean()).map(([value, asText]) => (asText ? { yText: value } : value)),
    milestoneIds: idList,
  },
  risks: {
    automatic: fc.constantFrom(SERVER_MARKER, 'eligibility:HEALTH_DATA', 'manual'),
    status: fc.constantFrom(...RISK_STATUSES),
  },
  plan: { startDate: dates, targetDate: dates },
};

const idsOf: Record<string, readonly string[]> = {
  milestones: milestoneIds,
  checkpoints: checkpointIds,
  risks: riskIds,
  plan: [''],
};

/** A whole new entry in one go, with any of its governed fields. */
const creation: fc.Arbitrary<RawOp[]> = fc.constantFrom('milestones', 'checkpoints', 'risks').chain((collection) =>
  fc.record(valueFor[collection]!, { requiredKeys: [] }).map((values) =>
    Object.entries(values).map(([key, value]): RawOp => ({
      kind: 'set',
      collection: collection as CollectionName,
      id: idsOf[collection]!.at(-1)!,
      key,
      value,
    })),
  ),
);

const rawOp: fc.Arbitrary<RawOp> = fc.oneof(
  fc.constantFrom('milestones', 'checkpoints', 'risks', 'plan').chain((collection) =>
    fc.oneof(
      fc
        .tuple(fc.constantFrom(...idsOf[collection]!), fc.constantFrom(...Object.keys(valueFor[collection]!)))
        .chain(([id, key]) =>
          valueFor[collection]![key]!.map((value): RawOp => ({
            kind: 'set',
            collection: collection as never,
            id,
            key,
            value,
          })),
        ),
      fc
        .tuple(fc.constantFrom(...idsOf[collection]!), fc.constantFrom(...Object.keys(valueFor[collection]!)))
        .map(([id, key]): RawOp => ({ kind: 'unset', collection: collection as never, id, key })),
    ),
  ),
  fc.constantFrom('milestones', 'checkpoints', 'risks').chain((collection) =>
    fc
      // The server's own risk stays: a deleted one made again would rightly lose its marker.
      .constantFrom(...idsOf[collection]!.filter((id) => id !== 'r-automatic'))
      .map((id): RawOp => ({ kind: 'delete', collection: collection as CollectionName, id })),
  ),
);

/** A sequence of raw-client transactions by editors and approvers. */
export const rawTransactions = (maxTransactions: number): fc.Arbitrary<RawTransaction[]> =>
  fc.array(
    fc.record({
      role: fc.constantFrom('EDITOR' as const, 'APPROVER' as const),
      ops: fc
        .tuple(fc.array(rawOp, { minLength: 0, maxLength: 5 }), fc.option(creation, { freq: 2 }))
        .map(([ops, created]) => [...(created ?? []), ...ops])
        .filter((ops) => ops.length > 0),
    }),
    { minLength: 1, maxLength: maxTransactions },
  );

const REQUIRED: Record<string, Record<string, string>> = {
  milestones: { title: 'Nouveau jalon' },
  checkpoints: { title: 'Nouveau point de contrôle', framework: 'SECNUMCLOUD_3_2' },
  risks: { title: 'Nouveau risque' },
};

/** Writes one raw transaction on `doc`, as a stock Yjs client would, in one Yjs transaction. */
export function applyRaw(doc: Y.Doc, transaction: RawTransaction, origin?: unknown): void {
  doc.transact(() => {
    for (const op of transaction.ops) {
      if (op.kind === 'delete') {
        doc.getMap(op.collection).delete(op.id);
        continue;
      }
      let target: Y.Map<unknown>;
      if (op.collection === 'plan') target = doc.getMap<unknown>('plan');
      else {
        const entries = doc.getMap<unknown>(op.collection);
        const existing = entries.get(op.id);
        if (existing instanceof Y.Map) target = existing as Y.Map<unknown>;
        else {
          target = new Y.Map<unknown>();
          entries.set(op.id, target);
          target.set('id', op.id);
          target.set('position', 50);
          for (const [key, value] of Object.entries(REQUIRED[op.collection] ?? {})) target.set(key, value);
        }
      }
      if (op.kind === 'unset') target.delete(op.key);
      else target.set(op.key, toYjs(op.value));
    }
  }, origin);
}

function toYjs(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'yArray' in value)
    return Y.Array.from((value as { yArray: string[] }).yArray);
  if (typeof value === 'object' && value !== null && 'yText' in value)
    return new Y.Text((value as { yText: string }).yText);
  return value;
}

/**
 * The rules GraphQL enforces, as they must hold on the stored plan whatever raw clients wrote.
 * `approvers` are the names a stamp may carry; `before` is the plan before an editor's transaction,
 * for the rules that say what editors may not do. Returns what is broken, in words (empty when all
 * hold).
 */
export function brokenRules(
  plan: PlanContent,
  options: { readonly approvers: ReadonlySet<string>; readonly before?: PlanContent },
): string[] {
  const { approvers, before } = options;
  const broken: string[] = [];
  for (const checkpoint of plan.checkpoints) {
    if (isCleared(checkpoint.status) && (!approvers.has(checkpoint.approvedBy ?? '') || checkpoint.approvedAt === null))
      broken.push(
        `checkpoint ${checkpoint.id} is ${checkpoint.status} with the stamp ${checkpoint.approvedBy}/${checkpoint.approvedAt}`,
      );
    if (!isCleared(checkpoint.status) && (checkpoint.approvedBy !== null || checkpoint.approvedAt !== null))
      broken.push(`checkpoint ${checkpoint.id} is ${checkpoint.status} but stamped`);
    if (checkpoint.status === 'WAIVED' && checkpoint.justification.trim() === '')
      broken.push(`checkpoint ${checkpoint.id} is waived without justification`);
  }
  for (const milestone of plan.milestones) {
    if (milestone.status === 'DONE') {
      const open = plan.checkpoints.filter(
        (checkpoint) => checkpoint.milestoneIds.includes(milestone.id) && !isCleared(checkpoint.status),
      );
      if (open.length > 0) broken.push(`milestone ${milestone.id} is done behind ${open.map((c) => c.id).join(', ')}`);
      if (milestone.completedOn === null) broken.push(`milestone ${milestone.id} is done without a completion day`);
    }
    if (milestone.startDate !== null && milestone.dueDate !== null && milestone.startDate > milestone.dueDate)
      broken.push(`milestone ${milestone.id} is due ${milestone.dueDate}, before its start ${milestone.startDate}`);
  }
  const { startDate, targetDate } = plan.meta;
  if (startDate !== null && targetDate !== null && startDate > targetDate)
    broken.push(`the plan targets ${targetDate}, before its start ${startDate}`);
  // The server's marker stays on its risk, and no client puts one on another (the server may raise
  // risks of its own, with ids of its own).
  for (const risk of plan.risks) {
    const expected = risk.id === 'r-automatic' ? SERVER_MARKER : idsOf.risks!.includes(risk.id) ? null : risk.automatic;
    if (risk.automatic !== expected) broken.push(`risk ${risk.id} is marked ${risk.automatic}`);
  }
  if (before !== undefined) {
    // What an editor may not do: approve, rewrite a waiver, or loosen an open gate.
    const after = new Map(plan.checkpoints.map((checkpoint) => [checkpoint.id, checkpoint]));
    const milestones = new Set(plan.milestones.map((milestone) => milestone.id));
    for (const earlier of before.checkpoints) {
      const now = after.get(earlier.id);
      if (isCleared(earlier.status)) {
        if (now?.status === 'WAIVED' && earlier.status === 'WAIVED' && now.justification !== earlier.justification)
          broken.push(`an editor rewrote the waiver of ${earlier.id}`);
        continue;
      }
      for (const gated of earlier.milestoneIds)
        if (milestones.has(gated) && !(now?.milestoneIds.includes(gated) ?? false))
          broken.push(`an editor took ${gated} out of the open gate ${earlier.id}`);
    }
    const clearedBefore = new Map(before.checkpoints.map((checkpoint) => [checkpoint.id, checkpoint.status]));
    for (const checkpoint of plan.checkpoints)
      if (isCleared(checkpoint.status) && clearedBefore.get(checkpoint.id) !== checkpoint.status)
        broken.push(`an editor set ${checkpoint.id} to ${checkpoint.status}`);
  }
  return broken;
}
