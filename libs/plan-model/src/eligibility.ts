import { type Language, type Localized, pick } from './language.js';
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

/** Sensitive data, as the warnings name it. */
const DATA: Record<DataSensitivity, Localized> = {
  PUBLIC: { fr: 'données publiques', en: 'public data' },
  INTERNAL: { fr: 'données internes', en: 'internal data' },
  SENSITIVE: { fr: 'données sensibles', en: 'sensitive data' },
  HEALTH: { fr: 'données de santé', en: 'health data' },
};

const unknownTarget = (offerId: string): Localized => ({
  fr: `l’offre cible ${offerId} n’est pas au catalogue`,
  en: `target offer ${offerId} is not in the catalog`,
});

/**
 * The plan's data against its target offer. Under the French cloud doctrine, sensitive data (and
 * health data, which also needs HDS) must go to a SecNumCloud-qualified offer; a target that is only
 * on its way to qualification is a risk when the cutover may come first. Written in `language`.
 */
export function eligibility(plan: PlanContent, offer: OfferFacts | null, language: Language): EligibilityWarning[] {
  if (plan.meta.targetOfferId === null) return [];
  if (offer === null)
    return [{ code: 'UNKNOWN_TARGET', message: pick(unknownTarget(plan.meta.targetOfferId), language), risk: null }];
  return offerWarnings(effectiveSensitivity(plan), offer, plan.meta.targetDate, language);
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
 * HDS-certified one; a discontinued or unknown target is flagged too. Written in `language`.
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
  language: Language,
): WorkloadEligibilityWarning[] {
  return plan.workloads.flatMap((workload) => {
    const targetId = workload.targetOfferId ?? plan.meta.targetOfferId;
    if (targetId === null) return [];
    const offer = offerOf(targetId);
    const warnings =
      offer === null
        ? [{ code: 'UNKNOWN_TARGET' as const, message: pick(unknownTarget(targetId), language) }]
        : offerWarnings(workload.dataClassification, offer, plan.meta.targetDate, language);
    return warnings.map((warning) => ({
      workloadId: workload.id,
      code: warning.code,
      message: pick(
        { fr: `${workload.name} : ${warning.message}`, en: `${workload.name}: ${warning.message}` },
        language,
      ),
    }));
  });
}

/** What an offer lacks for data of this sensitivity, moved by this cutover, written in `language`. */
function offerWarnings(
  sensitivity: DataSensitivity,
  offer: OfferFacts,
  cutover: IsoDate | null,
  language: Language,
): EligibilityWarning[] {
  const warning = (
    code: EligibilityCode,
    message: Localized,
    risk: {
      title: Localized;
      category: RiskCategory;
      likelihood: number;
      impact: number;
      mitigation: Localized;
    },
  ): EligibilityWarning => ({
    code,
    message: pick(message, language),
    risk: { ...risk, title: pick(risk.title, language), mitigation: pick(risk.mitigation, language) },
  });
  const name = offer.name;
  const data = DATA[sensitivity];
  const warnings: EligibilityWarning[] = [];
  if (offer.secNumCloud === 'DISCONTINUED')
    warnings.push(
      warning(
        'TARGET_DISCONTINUED',
        { fr: `l’offre ${name} n’est plus commercialisée`, en: `${name} is no longer offered` },
        {
          title: { fr: `L’offre cible ${name} est arrêtée`, en: `Target offer ${name} is discontinued` },
          category: 'QUALIFICATION',
          likelihood: 5,
          impact: 5,
          mitigation: {
            fr: 'Choisir une autre cible qualifiée et replanifier les vagues qui dépendaient de celle-ci.',
            en: 'Choose another qualified target and re-plan the waves that depended on this one.',
          },
        },
      ),
    );
  const needsQualification = RANK[sensitivity] >= RANK.SENSITIVE;
  if (needsQualification && offer.secNumCloud === 'NOT_QUALIFIED')
    warnings.push(
      warning(
        'NOT_QUALIFIED',
        {
          fr: `les ${data.fr} exigent une offre qualifiée SecNumCloud ; l’offre ${name} ne l’est pas`,
          en: `${data.en} needs a SecNumCloud-qualified offer; ${name} is not`,
        },
        {
          title: {
            fr: `L’offre ${name} n’est pas qualifiée SecNumCloud pour des ${data.fr}`,
            en: `${name} is not SecNumCloud-qualified for ${data.en}`,
          },
          category: 'QUALIFICATION',
          likelihood: 5,
          impact: 5,
          mitigation: {
            fr: 'Déplacer les applications sensibles vers une offre qualifiée, ou abaisser leur classification avec le délégué à la protection des données (DPO).',
            en: 'Move the sensitive workloads to a qualified offer, or lower their classification with the DPO.',
          },
        },
      ),
    );
  if (needsQualification && offer.secNumCloud === 'IN_PROGRESS') {
    const expected = offer.expectedQualification;
    const inTime = cutover !== null && expected !== null && expected <= cutover;
    warnings.push(
      inTime
        ? warning(
            'QUALIFICATION_PENDING',
            {
              fr: `l’offre ${name} attend sa qualification SecNumCloud d’ici le ${expected}, avant la bascule, mais ne l’a pas encore obtenue`,
              en: `${name} expects its SecNumCloud qualification by ${expected}, before the cutover, but does not hold it yet`,
            },
            {
              title: {
                fr: `Qualification de l’offre ${name} toujours en attente`,
                en: `${name} qualification still pending`,
              },
              category: 'QUALIFICATION',
              likelihood: 3,
              impact: 4,
              mitigation: {
                fr: 'Suivre les jalons de qualification (J0 à J3) avec le prestataire ; prévoir une date de repli.',
                en: 'Follow the qualification milestones (J0 to J3) with the provider; keep a fallback date.',
              },
            },
          )
        : warning(
            'NOT_QUALIFIED_BY_CUTOVER',
            {
              fr: `l’offre ${name} ne devrait pas être qualifiée SecNumCloud à la date de bascule prévue${cutover === null ? ' (aucune date de bascule)' : ` (${cutover})`}`,
              en: `${name} is not expected to be SecNumCloud-qualified by the planned cutover${cutover === null ? ' (no cutover date)' : ` (${cutover})`}`,
            },
            {
              title: {
                fr: 'Cible non qualifiée à la date de bascule prévue',
                en: 'Target not qualified by the planned cutover',
              },
              category: 'QUALIFICATION',
              likelihood: 4,
              impact: 5,
              mitigation: {
                fr: 'Repousser la bascule après la qualification attendue, ou migrer les applications sensibles en dernier.',
                en: 'Move the cutover after the expected qualification, or migrate sensitive workloads last.',
              },
            },
          ),
    );
  }
  if (sensitivity === 'HEALTH' && !offer.hds)
    warnings.push(
      warning(
        'HDS_MISSING',
        {
          fr: `les données de santé exigent un hébergeur certifié HDS ; l’offre ${name} ne l’est pas`,
          en: `health data needs an HDS-certified host; ${name} is not`,
        },
        {
          title: {
            fr: `L’offre ${name} n’est pas certifiée HDS pour les données de santé`,
            en: `${name} is not HDS-certified for health data`,
          },
          category: 'QUALIFICATION',
          likelihood: 5,
          impact: 5,
          mitigation: {
            fr: 'Choisir une offre certifiée HDS pour les applications qui hébergent des données de santé.',
            en: 'Choose an HDS-certified offer for the workloads holding health data.',
          },
        },
      ),
    );
  return warnings;
}
