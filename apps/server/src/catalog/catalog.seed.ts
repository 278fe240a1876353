import type { QualificationStatus } from '@bascule/plan-model';
import type { FrameworkRequirement } from './entities.js';

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
  readonly notes: string;
}

export interface FrameworkSeed {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly asOf: string;
  readonly sourceUrl: string | null;
  readonly requirements: readonly FrameworkRequirement[];
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
    notes: 'First infrastructure offer qualified under version 3.2 of the framework.',
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
    notes: 'Dedicated VMware platform operated by OVHcloud in France.',
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
    notes: 'Dedicated bare-metal racks. HDS certification to confirm with the provider.',
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
    notes: 'Reported by the trade press. HDS certification to confirm with the provider.',
  },
  {
    id: 's3ns-premi3ns',
    version: 1,
    provider: 'S3NS (Thales and Google)',
    name: 'PREMI3NS',
    secNumCloudStatus: 'QUALIFIED',
    secNumCloudMilestone: 'SecNumCloud 3.2',
    expectedQualification: null,
    hds: false,
    asOf: '2025-12-17',
    sourceUrl: 'https://www.generation-nt.com/actualites/s3ns-thales-google-secnumcloud-certification-anssi-2068299',
    notes: 'Google Cloud technology operated by a French company under Thales control.',
  },
  {
    id: 'bleu',
    version: 1,
    provider: 'Bleu (Orange and Capgemini)',
    name: 'Bleu (Azure, Microsoft 365)',
    secNumCloudStatus: 'IN_PROGRESS',
    secNumCloudMilestone: 'J0 reached',
    expectedQualification: '2026-06-30',
    hds: false,
    asOf: '2025-04-17',
    sourceUrl:
      'https://clubic.com/actualite-562404-bleu-le-cloud-francais-est-en-route-vers-la-certification-secnumcloud-3-2-plus-haute-qualification-de-securite.html',
    notes: 'Microsoft technology operated in France; qualification targeted for the first half of 2026.',
  },
  {
    id: 'anthos-ovhcloud',
    version: 1,
    provider: 'OVHcloud and Google Cloud',
    name: 'Google Anthos on OVHcloud',
    secNumCloudStatus: 'DISCONTINUED',
    secNumCloudMilestone: null,
    expectedQualification: null,
    hds: false,
    asOf: '2022-11',
    sourceUrl: 'https://www.silicon.fr/cloud-souverain-ovhcloud-et-google-cloud-se-separent-452042.html',
    notes: 'Announced in 2021; the partnership ended in November 2022. Plans targeting it must be re-targeted.',
  },
];

export const FRAMEWORK_SEEDS: readonly FrameworkSeed[] = [
  {
    id: 'SECNUMCLOUD_3_2',
    version: 1,
    name: 'SecNumCloud 3.2 (chapter 19, sovereignty)',
    asOf: '2022-03-08',
    sourceUrl: 'https://cyber.gouv.fr/',
    requirements: [
      {
        code: '19.2',
        title: 'Data location',
        description:
          'Customer data is stored and processed in the EU; administration and supervision are done from the EU; identities, logs and certificates stay in the EU.',
      },
      {
        code: '19.3',
        title: 'French-language service',
        description: 'Interfaces and first-level support are available in French.',
      },
      {
        code: '19.4',
        title: 'Secure erasure',
        description: "The customer's data is securely erased when the contract ends.",
      },
      {
        code: '19.6',
        title: 'Protection from non-EU law',
        description:
          'Registered office and main establishment in the EU; each non-EU shareholder below 24 % and all together below 39 %, with no veto; no non-EU third party, subcontractors included, can technically reach the data; customers are told of any change within a month.',
      },
    ],
  },
  {
    id: 'HDS',
    version: 1,
    name: 'Health data hosting (HDS)',
    asOf: '2024',
    sourceUrl: 'https://esante.gouv.fr/',
    requirements: [
      {
        code: 'HOSTING',
        title: 'Certified host',
        description: 'The host holds an HDS certificate covering the activities used.',
      },
      {
        code: 'CONTRACT',
        title: 'Hosting contract',
        description: 'The contract carries the clauses the public health code requires.',
      },
    ],
  },
  {
    id: 'GDPR',
    version: 1,
    name: 'General Data Protection Regulation',
    asOf: '2018-05-25',
    sourceUrl: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
    requirements: [
      {
        code: 'DPIA',
        title: 'Impact assessment',
        description: 'A data protection impact assessment covers the new processing conditions.',
      },
      {
        code: 'RECORDS',
        title: 'Records of processing',
        description: 'The records of processing name the new processor and locations.',
      },
      {
        code: 'TRANSFERS',
        title: 'Transfers',
        description: 'No transfer outside the EU without an adequate safeguard.',
      },
      { code: 'PROCESSOR', title: 'Processor contract', description: 'The processor contract meets article 28.' },
    ],
  },
  {
    id: 'NIS2',
    version: 1,
    name: 'NIS 2 directive',
    asOf: '2024-10-17',
    sourceUrl: 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj',
    requirements: [
      {
        code: 'RISK',
        title: 'Risk management measures',
        description: 'Security measures proportionate to the risks are in place.',
      },
      {
        code: 'INCIDENT',
        title: 'Incident notification',
        description: 'Significant incidents are notified within the deadlines, with the provider.',
      },
      {
        code: 'SUPPLY_CHAIN',
        title: 'Supply chain security',
        description: 'The security of suppliers and providers is assessed.',
      },
    ],
  },
  {
    id: 'REVERSIBILITY',
    version: 1,
    name: 'Reversibility and exit',
    asOf: '2026',
    sourceUrl: null,
    requirements: [
      { code: 'EXIT_PLAN', title: 'Exit plan', description: 'An exit plan exists and a data export has been tested.' },
      {
        code: 'FORMATS',
        title: 'Open formats',
        description: 'Data and configuration can be exported in documented formats.',
      },
    ],
  },
];
