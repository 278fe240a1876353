import type { Localized, QualificationStatus } from '@bascule/plan-model';

/**
 * The built-in catalog, as public sources reported it (each entry dated, with its source). Statuses
 * change: organizations keep their own edited copy, and a new `version` here updates the built-in row.
 * ANSSI's list (cyber.gouv.fr) is the authority.
 */
export interface OfferSeed {
  readonly id: string;
  readonly version: number;
  readonly provider: string;
  readonly name: string;
  readonly secNumCloudStatus: QualificationStatus;
  readonly secNumCloudMilestone: string | null;
  readonly expectedQualification: string | null;
  readonly hds: boolean;
  readonly asOf: string;
  readonly sourceUrl: string | null;
  readonly notes: Localized;
}

/** A requirement of a framework, its texts in each language (the catalog stores one of them). */
export interface FrameworkRequirementSeed {
  readonly code: string;
  readonly title: Localized;
  readonly description: Localized;
}

export interface FrameworkSeed {
  readonly id: string;
  readonly version: number;
  readonly name: Localized;
  readonly asOf: string;
  readonly sourceUrl: string | null;
  readonly requirements: readonly FrameworkRequirementSeed[];
}

export const OFFER_SEEDS: readonly OfferSeed[] = [
  {
    id: 'outscale-iaas',
    version: 1,
    provider: '3DS Outscale',
    name: 'Outscale IaaS',
    secNumCloudStatus: 'QUALIFIED',
    secNumCloudMilestone: 'SecNumCloud 3.2',
    expectedQualification: null,
    hds: true,
    asOf: '2022',
    sourceUrl: 'https://new.sfeir.com/pages/guide-secnumcloud.html',
    notes: {
      fr: 'Première offre d’infrastructure qualifiée selon la version 3.2 du référentiel.',
      en: 'First infrastructure offer qualified under version 3.2 of the framework.',
    },
  },
  {
    id: 'ovhcloud-hpc-snc',
    version: 1,
    provider: 'OVHcloud',
    name: 'Hosted Private Cloud (VMware) SecNumCloud',
    secNumCloudStatus: 'QUALIFIED',
    secNumCloudMilestone: 'SecNumCloud',
    expectedQualification: null,
    hds: true,
    asOf: '2022-01',
    sourceUrl:
      'https://docs.ovhcloud.com/en/guides/account-and-service-management/reversibility/05-snc-vmware-reversibility-policy',
    notes: {
      fr: 'Plateforme VMware dédiée, exploitée par OVHcloud en France.',
      en: 'Dedicated VMware platform operated by OVHcloud in France.',
    },
  },
  {
    id: 'ovhcloud-bare-metal-pod',
    version: 1,
    provider: 'OVHcloud',
    name: 'Bare Metal Pod',
    secNumCloudStatus: 'QUALIFIED',
    secNumCloudMilestone: 'SecNumCloud',
    expectedQualification: null,
    hds: false,
    asOf: '2025',
    sourceUrl:
      'https://docs.ovhcloud.com/de/guides/account-and-service-management/reversibility/24-bm-pod-snc-reversbility',
    notes: {
      fr: 'Baies de serveurs bare metal dédiées. Certification HDS à confirmer auprès du fournisseur.',
      en: 'Dedicated bare-metal racks. HDS certification to confirm with the provider.',
    },
  },
  {
    id: 'cloud-temple-iaas',
    version: 1,
    provider: 'Cloud Temple',
    name: 'Cloud Temple IaaS',
    secNumCloudStatus: 'QUALIFIED',
    secNumCloudMilestone: 'SecNumCloud',
    expectedQualification: null,
    hds: false,
    asOf: '2022',
    sourceUrl: null,
    notes: {
      fr: 'Information rapportée par la presse spécialisée. Certification HDS à confirmer auprès du fournisseur.',
      en: 'Reported by the trade press. HDS certification to confirm with the provider.',
    },
  },
  {
    id: 's3ns-premi3ns',
    version: 2,
    provider: 'S3NS (Thales, Google)',
    name: 'PREMI3NS',
    secNumCloudStatus: 'QUALIFIED',
    secNumCloudMilestone: 'SecNumCloud 3.2',
    expectedQualification: null,
    hds: false,
    asOf: '2025-12-17',
    sourceUrl: 'https://www.generation-nt.com/actualites/s3ns-thales-google-secnumcloud-certification-anssi-2068299',
    notes: {
      fr: 'Technologie Google Cloud exploitée par une société française contrôlée par Thales.',
      en: 'Google Cloud technology operated by a French company under Thales control.',
    },
  },
  {
    id: 'bleu',
    version: 2,
    provider: 'Bleu (Orange, Capgemini)',
    name: 'Bleu (Azure, Microsoft 365)',
    secNumCloudStatus: 'IN_PROGRESS',
    secNumCloudMilestone: 'J0 reached',
    expectedQualification: '2026-06-30',
    hds: false,
    asOf: '2025-04-17',
    sourceUrl:
      'https://clubic.com/actualite-562404-bleu-le-cloud-francais-est-en-route-vers-la-certification-secnumcloud-3-2-plus-haute-qualification-de-securite.html',
    notes: {
      fr: 'Technologie Microsoft exploitée en France ; qualification visée au premier semestre 2026.',
      en: 'Microsoft technology operated in France; qualification targeted for the first half of 2026.',
    },
  },
  {
    id: 'anthos-ovhcloud',
    version: 2,
    provider: 'OVHcloud, Google Cloud',
    name: 'Google Anthos on OVHcloud',
    secNumCloudStatus: 'DISCONTINUED',
    secNumCloudMilestone: null,
    expectedQualification: null,
    hds: false,
    asOf: '2022-11',
    sourceUrl: 'https://www.silicon.fr/cloud-souverain-ovhcloud-et-google-cloud-se-separent-452042.html',
    notes: {
      fr: 'Offre annoncée en 2021 ; le partenariat a pris fin en novembre 2022. Les plans qui la visent doivent changer de cible.',
      en: 'Announced in 2021; the partnership ended in November 2022. Plans targeting it must be re-targeted.',
    },
  },
];

export const FRAMEWORK_SEEDS: readonly FrameworkSeed[] = [
  {
    id: 'SECNUMCLOUD_3_2',
    version: 1,
    name: { fr: 'SecNumCloud 3.2 (chapitre 19, souveraineté)', en: 'SecNumCloud 3.2 (chapter 19, sovereignty)' },
    asOf: '2022-03-08',
    sourceUrl: 'https://cyber.gouv.fr/',
    requirements: [
      {
        code: '19.2',
        title: { fr: 'Localisation des données', en: 'Data location' },
        description: {
          fr: 'Les données du commanditaire sont stockées et traitées dans l’UE ; l’administration et la supervision sont assurées depuis l’UE ; les identités, les journaux et les certificats restent dans l’UE.',
          en: 'Customer data is stored and processed in the EU; administration and supervision are done from the EU; identities, logs and certificates stay in the EU.',
        },
      },
      {
        code: '19.3',
        title: { fr: 'Service en français', en: 'French-language service' },
        description: {
          fr: 'Les interfaces et le support de premier niveau sont disponibles en français.',
          en: 'Interfaces and first-level support are available in French.',
        },
      },
      {
        code: '19.4',
        title: { fr: 'Effacement sécurisé', en: 'Secure erasure' },
        description: {
          fr: 'Les données du commanditaire sont effacées de manière sécurisée à la fin du contrat.',
          en: "The customer's data is securely erased when the contract ends.",
        },
      },
      {
        code: '19.6',
        title: { fr: 'Protection vis-à-vis du droit extra-européen', en: 'Protection from non-EU law' },
        description: {
          fr: 'Siège statutaire et principal établissement dans l’UE ; chaque actionnaire extra-européen sous 24 % et l’ensemble sous 39 %, sans droit de veto ; aucun tiers extra-européen, sous-traitants compris, ne peut techniquement accéder aux données ; les clients sont informés de tout changement dans un délai d’un mois.',
          en: 'Registered office and main establishment in the EU; each non-EU shareholder below 24 % and all together below 39 %, with no veto; no non-EU third party, subcontractors included, can technically reach the data; customers are told of any change within a month.',
        },
      },
    ],
  },
  {
    id: 'HDS',
    version: 1,
    name: { fr: 'Hébergement de données de santé (HDS)', en: 'Health data hosting (HDS)' },
    asOf: '2024',
    sourceUrl: 'https://esante.gouv.fr/',
    requirements: [
      {
        code: 'HOSTING',
        title: { fr: 'Hébergeur certifié', en: 'Certified host' },
        description: {
          fr: 'L’hébergeur détient un certificat HDS couvrant les activités d’hébergement concernées.',
          en: 'The host holds an HDS certificate covering the activities used.',
        },
      },
      {
        code: 'CONTRACT',
        title: { fr: 'Contrat d’hébergement', en: 'Hosting contract' },
        description: {
          fr: 'Le contrat comporte les clauses exigées par le code de la santé publique.',
          en: 'The contract carries the clauses the public health code requires.',
        },
      },
    ],
  },
  {
    id: 'GDPR',
    version: 1,
    name: { fr: 'Règlement général sur la protection des données (RGPD)', en: 'General Data Protection Regulation' },
    asOf: '2018-05-25',
    sourceUrl: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
    requirements: [
      {
        code: 'DPIA',
        title: { fr: 'Analyse d’impact (AIPD)', en: 'Impact assessment' },
        description: {
          fr: 'Une analyse d’impact relative à la protection des données couvre les nouvelles conditions de traitement.',
          en: 'A data protection impact assessment covers the new processing conditions.',
        },
      },
      {
        code: 'RECORDS',
        title: { fr: 'Registre des activités de traitement', en: 'Records of processing' },
        description: {
          fr: 'Le registre des activités de traitement mentionne le nouveau sous-traitant et les lieux de traitement.',
          en: 'The records of processing name the new processor and locations.',
        },
      },
      {
        code: 'TRANSFERS',
        title: { fr: 'Transferts', en: 'Transfers' },
        description: {
          fr: 'Aucun transfert hors de l’UE sans garanties appropriées.',
          en: 'No transfer outside the EU without an adequate safeguard.',
        },
      },
      {
        code: 'PROCESSOR',
        title: { fr: 'Contrat de sous-traitance', en: 'Processor contract' },
        description: {
          fr: 'Le contrat de sous-traitance est conforme à l’article 28.',
          en: 'The processor contract meets article 28.',
        },
      },
    ],
  },
  {
    id: 'NIS2',
    version: 1,
    name: { fr: 'Directive NIS 2', en: 'NIS 2 directive' },
    asOf: '2024-10-17',
    sourceUrl: 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj',
    requirements: [
      {
        code: 'RISK',
        title: { fr: 'Mesures de gestion des risques', en: 'Risk management measures' },
        description: {
          fr: 'Des mesures de sécurité proportionnées aux risques sont en place.',
          en: 'Security measures proportionate to the risks are in place.',
        },
      },
      {
        code: 'INCIDENT',
        title: { fr: 'Notification des incidents', en: 'Incident notification' },
        description: {
          fr: 'Les incidents importants sont notifiés dans les délais, avec le prestataire.',
          en: 'Significant incidents are notified within the deadlines, with the provider.',
        },
      },
      {
        code: 'SUPPLY_CHAIN',
        title: { fr: 'Sécurité de la chaîne d’approvisionnement', en: 'Supply chain security' },
        description: {
          fr: 'La sécurité des fournisseurs et des prestataires est évaluée.',
          en: 'The security of suppliers and providers is assessed.',
        },
      },
    ],
  },
  {
    id: 'REVERSIBILITY',
    version: 1,
    name: { fr: 'Réversibilité et sortie', en: 'Reversibility and exit' },
    asOf: '2026',
    sourceUrl: null,
    requirements: [
      {
        code: 'EXIT_PLAN',
        title: { fr: 'Plan de réversibilité', en: 'Exit plan' },
        description: {
          fr: 'Un plan de réversibilité existe et un export des données a été testé.',
          en: 'An exit plan exists and a data export has been tested.',
        },
      },
      {
        code: 'FORMATS',
        title: { fr: 'Formats ouverts', en: 'Open formats' },
        description: {
          fr: 'Les données et la configuration peuvent être exportées dans des formats documentés.',
          en: 'Data and configuration can be exported in documented formats.',
        },
      },
    ],
  },
];
