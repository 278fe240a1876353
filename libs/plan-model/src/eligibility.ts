import type { DataSensitivity, IsoDate, PlanContent, RiskCategory } from './schema.js';

/** SecNumCloud status of an offer, as the catalog records it (dated, with a source). */
export type QualificationStatus = 'QUALIFIED' | 'IN_PROGRESS' | 'NOT_QUALIFIED' | 'DISCONTINUED';

/** What eligibility needs to know about a target offer. */
export interface OfferFacts {
  readonly id: string;
  readonly name: string;
  readonly secNumCloud: QualificationStatus;
  /** When the qualification is expected (IN_PROGRESS only), if known. */
  readonly expectedQualification: IsoDate | null;
  /** Certified to host health data (HDS). */
  readonly hds: boolean;
}

export type EligibilityCode =
  | 'UNKNOWN_TARGET'
  | 'TARGET_DISCONTINUED'
  | 'NOT_QUALIFIED'
  | 'NOT_QUALIFIED_BY_CUTOVER'
  | 'QUALIFICATION_PENDING'
  | 'HDS_MISSING';

export interface EligibilityWarning {
  readonly code: EligibilityCode;
  readonly message: string;
  /** The risk the server keeps in the plan while the warning holds (marked `automatic: eligibility:<code>`). */
  readonly risk: {
    readonly title: string;
    readonly category: RiskCategory;
    readonly likelihood: number;
    readonly impact: number;
    readonly mitigation: string;
  } | null;
}

const RANK: Record<DataSensitivity, number> = { PUBLIC: 0, INTERNAL: 1, SENSITIVE: 2, HEALTH: 3 };

/** The plan's data sensitivity: its own, raised by the most sensitive workload it moves. */
export function effectiveSensitivity(plan: PlanContent): DataSensitivity {
  return plan.workloads.reduce<DataSensitivity>(
    (highest, workload) => (RANK[workload.dataClassification] > RANK[highest] ? workload.dataClassification : highest),
    plan.meta.dataSensitivity,
  );
}

/**
 * The plan's data against its target offer. Under the French cloud doctrine, sensitive data (and
 * health data, which also needs HDS) must go to a SecNumCloud-qualified offer; a target that is only
 * on its way to qualification is a risk when the cutover may come first.
 */
export function eligibility(plan: PlanContent, offer: OfferFacts | null): EligibilityWarning[] {
  if (plan.meta.targetOfferId === null) return [];
  if (offer === null)
    return [
      { code: 'UNKNOWN_TARGET', message: `target offer ${plan.meta.targetOfferId} is not in the catalog`, risk: null },
    ];
  return offerWarnings(effectiveSensitivity(plan), offer, plan.meta.targetDate);
}

/** A workload of the inventory that its target offer may not host as it is. */
export interface WorkloadEligibilityWarning {
  readonly workloadId: string;
  readonly code: EligibilityCode;
  readonly message: string;
}

/**
 * Eligibility across the inventory: each workload's data classification against its own target offer
 * (the plan's when it has none): sensitive data needs a SecNumCloud-qualified offer, health data an
 * HDS-certified one; a discontinued or unknown target is flagged too.
 */
export function inventoryEligibility(
  plan: {
    readonly meta: Pick<PlanContent['meta'], 'targetOfferId' | 'targetDate'>;
    readonly workloads: readonly Pick<
      PlanContent['workloads'][number],
      'id' | 'name' | 'dataClassification' | 'targetOfferId'
    >[];
  },
  offerOf: (offerId: string) => OfferFacts | null,
): WorkloadEligibilityWarning[] {
  return plan.workloads.flatMap((workload) => {
    const targetId = workload.targetOfferId ?? plan.meta.targetOfferId;
    if (targetId === null) return [];
    const offer = offerOf(targetId);
    const warnings =
      offer === null
        ? [{ code: 'UNKNOWN_TARGET' as const, message: `target offer ${targetId} is not in the catalog` }]
        : offerWarnings(workload.dataClassification, offer, plan.meta.targetDate);
    return warnings.map((warning) => ({
      workloadId: workload.id,
      code: warning.code,
      message: `${workload.name}: ${warning.message}`,
    }));
  });
}

/** What an offer lacks for data of this sensitivity, moved by this cutover. */
function offerWarnings(sensitivity: DataSensitivity, offer: OfferFacts, cutover: IsoDate | null): EligibilityWarning[] {
  const warnings: EligibilityWarning[] = [];
  if (offer.secNumCloud === 'DISCONTINUED')
    warnings.push({
      code: 'TARGET_DISCONTINUED',
      message: `${offer.name} is no longer offered`,
      risk: {
        title: `Target offer ${offer.name} is discontinued`,
        category: 'QUALIFICATION',
        likelihood: 5,
        impact: 5,
        mitigation: 'Choose another qualified target and re-plan the waves that depended on this one.',
      },
    });
  const needsQualification = RANK[sensitivity] >= RANK.SENSITIVE;
  if (needsQualification && offer.secNumCloud === 'NOT_QUALIFIED')
    warnings.push({
      code: 'NOT_QUALIFIED',
      message: `${sensitivity.toLowerCase()} data needs a SecNumCloud-qualified offer; ${offer.name} is not`,
      risk: {
        title: `${offer.name} is not SecNumCloud-qualified for ${sensitivity.toLowerCase()} data`,
        category: 'QUALIFICATION',
        likelihood: 5,
        impact: 5,
        mitigation: 'Move the sensitive workloads to a qualified offer, or lower their classification with the DPO.',
      },
    });
  if (needsQualification && offer.secNumCloud === 'IN_PROGRESS') {
    const expected = offer.expectedQualification;
    const inTime = cutover !== null && expected !== null && expected <= cutover;
    warnings.push(
      inTime
        ? {
            code: 'QUALIFICATION_PENDING',
            message: `${offer.name} expects its SecNumCloud qualification by ${expected}, before the cutover, but does not hold it yet`,
            risk: {
              title: `${offer.name} qualification still pending`,
              category: 'QUALIFICATION',
              likelihood: 3,
              impact: 4,
              mitigation: 'Follow the qualification milestones (J0 to J3) with the provider; keep a fallback date.',
            },
          }
        : {
            code: 'NOT_QUALIFIED_BY_CUTOVER',
            message: `${offer.name} is not expected to be SecNumCloud-qualified by the planned cutover${cutover === null ? ' (no cutover date)' : ` (${cutover})`}`,
            risk: {
              title: `Target not qualified by the planned cutover`,
              category: 'QUALIFICATION',
              likelihood: 4,
              impact: 5,
              mitigation: 'Move the cutover after the expected qualification, or migrate sensitive workloads last.',
            },
          },
    );
  }
  if (sensitivity === 'HEALTH' && !offer.hds)
    warnings.push({
      code: 'HDS_MISSING',
      message: `health data needs an HDS-certified host; ${offer.name} is not`,
      risk: {
        title: `${offer.name} is not HDS-certified for health data`,
        category: 'QUALIFICATION',
        likelihood: 5,
        impact: 5,
        mitigation: 'Choose an HDS-certified offer for the workloads holding health data.',
      },
    });
  return warnings;
}
