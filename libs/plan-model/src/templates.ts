import type * as Y from 'yjs';
import { addDays } from './dates.js';
import { createEntry, initializePlan } from './edit.js';
import { type Language, type Localized, pick } from './language.js';
import type { Criticality, DataSensitivity, IsoDate, MilestoneKind, RiskCategory, Strategy } from './schema.js';

interface TemplateMilestone {
  readonly key: string;
  readonly title: Localized;
  readonly kind: MilestoneKind;
  /** Days from the plan's start to this milestone's start, and its length in days. */
  readonly start: number;
  readonly days: number;
  readonly after?: readonly string[];
}

interface TemplateRisk {
  /** Marks the risk as the one eligibility raises (`eligibility:<code>`), so it is not raised twice. */
  readonly automatic?: string;
  readonly title: Localized;
  readonly category: RiskCategory;
  readonly likelihood: number;
  readonly impact: number;
  readonly mitigation: Localized;
}

interface TemplateCheckpoint {
  readonly framework: string;
  readonly requirement: string;
  readonly title: Localized;
  /** Keys of the milestones this checkpoint gates. */
  readonly gates: readonly string[];
}

interface TemplateWorkload {
  readonly name: Localized;
  readonly criticality: Criticality;
  readonly dataClassification: DataSensitivity;
  readonly strategy: Strategy;
  readonly wave: number;
}

/** A plan template, every text of it in each language. */
export interface PlanTemplate {
  readonly id: string;
  readonly name: Localized;
  readonly description: Localized;
  readonly sourcePlatform: Localized;
  /** A catalog offer id. */
  readonly targetOfferId: string;
  readonly dataSensitivity: DataSensitivity;
  /** Shown when the template is picked, and seeded as a risk. */
  readonly warning: Localized | null;
  readonly milestones: readonly TemplateMilestone[];
  readonly risks: readonly TemplateRisk[];
  readonly checkpoints: readonly TemplateCheckpoint[];
  readonly workloads: readonly TemplateWorkload[];
}

/** A template as a list shows it: its texts in one language, and how much it seeds. */
export interface LocalizedTemplate {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly sourcePlatform: string;
  readonly targetOfferId: string;
  readonly dataSensitivity: DataSensitivity;
  readonly warning: string | null;
  /** How many milestones, risks, checkpoints and workloads applying it creates. */
  readonly milestones: number;
  readonly risks: number;
  readonly checkpoints: number;
  readonly workloads: number;
}

const SNC = 'SECNUMCLOUD_3_2';

/** The sovereignty requirements (SecNumCloud 3.2 chapter 19) every trusted-cloud plan checks before its cutover. */
const sovereigntyCheckpoints = (cutover: string): TemplateCheckpoint[] => [
  {
    framework: SNC,
    requirement: '19.2',
    title: {
      fr: 'Les données client, techniques et de support restent dans l’UE',
      en: 'Customer, technical and support data stay in the EU',
    },
    gates: [cutover],
  },
  {
    framework: SNC,
    requirement: '19.3',
    title: {
      fr: 'Interfaces et support de premier niveau disponibles en français',
      en: 'Interfaces and first-level support available in French',
    },
    gates: [cutover],
  },
  {
    framework: SNC,
    requirement: '19.4',
    title: {
      fr: 'Effacement sécurisé de nos données en fin de contrat',
      en: 'Secure erasure of our data at the end of the contract',
    },
    gates: [],
  },
  {
    framework: SNC,
    requirement: '19.6',
    title: {
      fr: 'Prestataire protégé du droit extra-européen (actionnariat, sous-traitants)',
      en: 'Provider protected from non-EU law (ownership, subcontractors)',
    },
    gates: [cutover],
  },
  {
    framework: 'GDPR',
    requirement: 'DPIA',
    title: {
      fr: 'Analyse d’impact relative à la protection des données (AIPD) mise à jour pour le nouvel hébergeur',
      en: 'Data protection impact assessment updated for the new host',
    },
    gates: [cutover],
  },
  {
    framework: 'GDPR',
    requirement: 'RECORDS',
    title: {
      fr: 'Le registre des activités de traitement mentionne le nouveau sous-traitant',
      en: 'Records of processing name the new processor',
    },
    gates: [],
  },
  {
    framework: 'REVERSIBILITY',
    requirement: 'EXIT_PLAN',
    title: { fr: 'Plan de réversibilité et export des données testés', en: 'Exit plan and data export tested' },
    gates: [],
  },
];

const transitionRisks: TemplateRisk[] = [
  {
    title: {
      fr: 'Exposition aux lois extraterritoriales tant que les données sont présentes sur les deux plateformes',
      en: 'Extraterritorial law exposure while data sits on both platforms',
    },
    category: 'EXTRATERRITORIAL_LAW',
    likelihood: 3,
    impact: 4,
    mitigation: {
      fr: 'Limiter la durée de la transition ; migrer les données les plus sensibles en dernier et les effacer aussitôt de la source.',
      en: 'Keep the transition short; migrate the most sensitive data last and erase it from the source at once.',
    },
  },
  {
    title: {
      fr: 'Compétences insuffisantes de l’équipe sur la plateforme cible',
      en: 'Team lacks skills on the target platform',
    },
    category: 'SKILLS',
    likelihood: 3,
    impact: 3,
    mitigation: {
      fr: 'Former l’équipe d’exploitation avant le pilote ; garder le prestataire en astreinte pendant les vagues.',
      en: 'Train the operations team before the pilot; keep the provider on call during the waves.',
    },
  },
];

export const PLAN_TEMPLATES: readonly PlanTemplate[] = [
  {
    id: 'm365-to-bleu',
    name: { fr: 'Microsoft 365 vers Bleu', en: 'Microsoft 365 to Bleu' },
    description: {
      fr: 'Messagerie, Teams et SharePoint, du Microsoft 365 international vers Bleu, exploité en France par Orange et Capgemini.',
      en: 'Mail, Teams and SharePoint from the global Microsoft 365 to Bleu, operated in France by Orange and Capgemini.',
    },
    sourcePlatform: { fr: 'Microsoft 365 (international)', en: 'Microsoft 365 (global)' },
    targetOfferId: 'bleu',
    dataSensitivity: 'SENSITIVE',
    warning: null,
    milestones: [
      {
        key: 'discovery',
        title: {
          fr: 'Inventaire des tenants, des boîtes aux lettres et des sites',
          en: 'Inventory of tenants, mailboxes and sites',
        },
        kind: 'DISCOVERY',
        start: 0,
        days: 30,
      },
      {
        key: 'gaps',
        title: {
          fr: 'Analyse des écarts fonctionnels avec le service international',
          en: 'Feature gap assessment against the global service',
        },
        kind: 'ASSESSMENT',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'landing',
        title: {
          fr: 'Tenant Bleu, fédération d’identité et réseau',
          en: 'Bleu tenant, identity federation and network',
        },
        kind: 'LANDING_ZONE',
        start: 60,
        days: 45,
        after: ['gaps'],
      },
      {
        key: 'pilot',
        title: { fr: 'Pilote avec la DSI', en: 'Pilot with the IT department' },
        kind: 'PILOT',
        start: 105,
        days: 30,
        after: ['landing'],
      },
      {
        key: 'wave1',
        title: { fr: 'Vague 1 : boîtes aux lettres', en: 'Wave 1: mailboxes' },
        kind: 'WAVE',
        start: 135,
        days: 45,
        after: ['pilot'],
      },
      {
        key: 'wave2',
        title: { fr: 'Vague 2 : Teams et SharePoint', en: 'Wave 2: Teams and SharePoint' },
        kind: 'WAVE',
        start: 180,
        days: 60,
        after: ['wave1'],
      },
      {
        key: 'cutover',
        title: { fr: 'Bascule des utilisateurs restants', en: 'Cutover of the remaining users' },
        kind: 'CUTOVER',
        start: 240,
        days: 7,
        after: ['wave2'],
      },
      {
        key: 'decommission',
        title: { fr: 'Tenant d’origine décommissionné et effacé', en: 'Source tenant decommissioned and erased' },
        kind: 'DECOMMISSION',
        start: 247,
        days: 60,
        after: ['cutover'],
      },
    ],
    risks: [
      {
        title: {
          fr: 'Fonctionnalités du service international absentes de Bleu (Copilot, certains connecteurs)',
          en: 'Features of the global service missing on Bleu (Copilot, some connectors)',
        },
        category: 'FEATURE_GAP',
        likelihood: 4,
        impact: 3,
        mitigation: {
          fr: 'Recenser les fonctionnalités utilisées dès la phase de découverte ; convenir des solutions de remplacement avec les métiers avant le pilote.',
          en: 'List the features in use during discovery; agree on replacements with the business before the pilot.',
        },
      },
      {
        title: {
          fr: 'Qualification SecNumCloud de Bleu non obtenue à la date de bascule',
          en: 'Bleu SecNumCloud qualification not granted by the cutover',
        },
        category: 'QUALIFICATION',
        likelihood: 3,
        impact: 5,
        mitigation: {
          fr: 'Suivre les jalons de qualification avec le prestataire ; réserver les boîtes aux lettres sensibles à la dernière vague.',
          en: 'Follow the qualification milestones with the provider; keep the sensitive mailboxes for the last wave.',
        },
      },
      {
        title: {
          fr: 'Interruption de service en heures ouvrées pendant la migration des boîtes aux lettres',
          en: 'Mailbox migration downtime during office hours',
        },
        category: 'DOWNTIME',
        likelihood: 2,
        impact: 4,
        mitigation: {
          fr: 'Présynchroniser les boîtes aux lettres ; basculer la nuit et le week-end.',
          en: 'Pre-stage mailboxes; switch at night and over weekends.',
        },
      },
      ...transitionRisks,
    ],
    checkpoints: [
      ...sovereigntyCheckpoints('cutover'),
      {
        framework: 'NIS2',
        requirement: 'INCIDENT',
        title: {
          fr: 'Procédure de notification des incidents convenue avec Bleu',
          en: 'Incident notification process agreed with Bleu',
        },
        gates: ['cutover'],
      },
    ],
    workloads: [
      {
        name: { fr: 'Boîtes aux lettres Exchange Online', en: 'Exchange Online mailboxes' },
        criticality: 'HIGH',
        dataClassification: 'SENSITIVE',
        strategy: 'REPURCHASE',
        wave: 1,
      },
      {
        name: { fr: 'Teams', en: 'Teams' },
        criticality: 'HIGH',
        dataClassification: 'INTERNAL',
        strategy: 'REPURCHASE',
        wave: 2,
      },
      {
        name: { fr: 'Intranet SharePoint', en: 'SharePoint intranet' },
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REPURCHASE',
        wave: 2,
      },
    ],
  },
  {
    id: 'azure-paas-to-kubernetes',
    name: {
      fr: 'Conteneurs Azure PaaS vers Kubernetes chez un prestataire SecNumCloud',
      en: 'Azure PaaS containers to Kubernetes on a SecNumCloud provider',
    },
    description: {
      fr: 'Services Azure PaaS livrés sous forme de conteneurs, migrés vers un cluster Kubernetes exploité sur un IaaS qualifié SecNumCloud.',
      en: 'Azure PaaS services shipped as containers, moved to a Kubernetes cluster run on a SecNumCloud-qualified IaaS.',
    },
    sourcePlatform: { fr: 'Azure PaaS', en: 'Azure PaaS' },
    targetOfferId: 'outscale-iaas',
    dataSensitivity: 'SENSITIVE',
    warning: null,
    milestones: [
      {
        key: 'discovery',
        title: {
          fr: 'Inventaire des services PaaS et de leurs dépendances',
          en: 'Inventory of PaaS services and their dependencies',
        },
        kind: 'DISCOVERY',
        start: 0,
        days: 30,
      },
      {
        key: 'assessment',
        title: {
          fr: 'Images de conteneurs et remplacement des services managés évalués',
          en: 'Container images and managed-service replacements assessed',
        },
        kind: 'ASSESSMENT',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'landing',
        title: {
          fr: 'Cluster Kubernetes, registre d’images et intégration continue sur l’IaaS qualifié',
          en: 'Kubernetes cluster, registry and CI on the qualified IaaS',
        },
        kind: 'LANDING_ZONE',
        start: 60,
        days: 45,
        after: ['assessment'],
      },
      {
        key: 'pilot',
        title: { fr: 'Application pilote en production', en: 'Pilot application in production' },
        kind: 'PILOT',
        start: 105,
        days: 30,
        after: ['landing'],
      },
      {
        key: 'wave1',
        title: { fr: 'Vague 1 : services sans état', en: 'Wave 1: stateless services' },
        kind: 'WAVE',
        start: 135,
        days: 45,
        after: ['pilot'],
      },
      {
        key: 'wave2',
        title: { fr: 'Vague 2 : services avec données', en: 'Wave 2: services with data' },
        kind: 'WAVE',
        start: 180,
        days: 45,
        after: ['wave1'],
      },
      {
        key: 'cutover',
        title: { fr: 'Bascule du DNS et du trafic', en: 'DNS and traffic cutover' },
        kind: 'CUTOVER',
        start: 225,
        days: 7,
        after: ['wave2'],
      },
      {
        key: 'decommission',
        title: { fr: 'Ressources Azure supprimées', en: 'Azure resources deleted' },
        kind: 'DECOMMISSION',
        start: 232,
        days: 30,
        after: ['cutover'],
      },
    ],
    risks: [
      {
        title: {
          fr: 'Services managés Azure (files de messages, identité) sans équivalent sur la cible',
          en: 'Managed Azure services (queues, identity) without an equivalent on the target',
        },
        category: 'FEATURE_GAP',
        likelihood: 4,
        impact: 4,
        mitigation: {
          fr: 'Les remplacer par des composants open source exploités dans le cluster ; budgéter leur exploitation.',
          en: 'Replace them with open-source components run in the cluster; budget their operation.',
        },
      },
      {
        title: {
          fr: 'Interruption de service pendant la migration des données des services avec état',
          en: 'Data migration downtime for stateful services',
        },
        category: 'DOWNTIME',
        likelihood: 3,
        impact: 4,
        mitigation: {
          fr: 'Répliquer les bases de données avant la bascule ; faire une répétition de la bascule.',
          en: 'Replicate databases ahead of the switch; rehearse the cutover.',
        },
      },
      ...transitionRisks,
    ],
    checkpoints: sovereigntyCheckpoints('cutover'),
    workloads: [
      {
        name: { fr: 'API du portail usagers', en: 'Citizen portal API' },
        criticality: 'CRITICAL',
        dataClassification: 'SENSITIVE',
        strategy: 'REPLATFORM',
        wave: 2,
      },
      {
        name: { fr: 'Service de génération de documents', en: 'Document rendering service' },
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REPLATFORM',
        wave: 1,
      },
      {
        name: { fr: 'Service d’envoi des notifications', en: 'Notification worker' },
        criticality: 'LOW',
        dataClassification: 'INTERNAL',
        strategy: 'REPLATFORM',
        wave: 1,
      },
    ],
  },
  {
    id: 'apps-to-anthos-ovhcloud',
    name: { fr: 'Applications vers Anthos sur OVHcloud', en: 'Applications to Anthos on OVHcloud' },
    description: {
      fr: 'Applications migrées vers Google Anthos, exploité sur l’infrastructure d’OVHcloud.',
      en: 'Applications moved to Google Anthos run on OVHcloud infrastructure.',
    },
    sourcePlatform: { fr: 'Machines virtuelles sur site', en: 'On-premises virtual machines' },
    targetOfferId: 'anthos-ovhcloud',
    dataSensitivity: 'INTERNAL',
    warning: {
      fr: 'Le partenariat entre Google Cloud et OVHcloud sur lequel reposait cette offre a pris fin en novembre 2022 : choisissez une autre cible avant d’aller plus loin.',
      en: 'The Google Cloud and OVHcloud partnership behind this offer ended in November 2022: choose another target before planning further.',
    },
    milestones: [
      {
        key: 'discovery',
        title: { fr: 'Inventaire des applications', en: 'Application inventory' },
        kind: 'DISCOVERY',
        start: 0,
        days: 30,
      },
      {
        key: 'target',
        title: { fr: 'Choix d’une cible de remplacement', en: 'Choose a replacement target' },
        kind: 'ASSESSMENT',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'landing',
        title: { fr: 'Zone d’atterrissage sur la cible retenue', en: 'Landing zone on the chosen target' },
        kind: 'LANDING_ZONE',
        start: 60,
        days: 45,
        after: ['target'],
      },
      {
        key: 'cutover',
        title: { fr: 'Bascule', en: 'Cutover' },
        kind: 'CUTOVER',
        start: 105,
        days: 7,
        after: ['landing'],
      },
    ],
    risks: [
      {
        automatic: 'eligibility:TARGET_DISCONTINUED',
        title: {
          fr: 'L’offre cible Anthos sur OVHcloud a pris fin en 2022',
          en: 'Target offer Anthos on OVHcloud ended in 2022',
        },
        category: 'QUALIFICATION',
        likelihood: 5,
        impact: 5,
        mitigation: {
          fr: 'Changer la cible du plan (Kubernetes chez un prestataire qualifié SecNumCloud) avant tout autre travail.',
          en: 'Re-target the plan (Kubernetes on a SecNumCloud-qualified provider) before any further work.',
        },
      },
    ],
    checkpoints: sovereigntyCheckpoints('cutover'),
    workloads: [
      {
        name: { fr: 'Applications intranet', en: 'Intranet applications' },
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REPLATFORM',
        wave: 1,
      },
    ],
  },
  {
    id: 'gcp-to-s3ns',
    name: { fr: 'Google Cloud vers S3NS', en: 'Google Cloud to S3NS' },
    description: {
      fr: 'Applications et services Google Cloud vers S3NS PREMI3NS, l’offre que Thales exploite avec la technologie de Google.',
      en: 'Google Cloud workloads to S3NS PREMI3NS, the offer Thales operates with Google technology.',
    },
    sourcePlatform: { fr: 'Google Cloud', en: 'Google Cloud' },
    targetOfferId: 's3ns-premi3ns',
    dataSensitivity: 'SENSITIVE',
    warning: null,
    milestones: [
      {
        key: 'discovery',
        title: {
          fr: 'Inventaire des projets et des services utilisés',
          en: 'Inventory of projects and services in use',
        },
        kind: 'DISCOVERY',
        start: 0,
        days: 30,
      },
      {
        key: 'gaps',
        title: { fr: 'Disponibilité des services sur PREMI3NS vérifiée', en: 'Services available on PREMI3NS checked' },
        kind: 'ASSESSMENT',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'landing',
        title: { fr: 'Organisation, projets et réseau sur S3NS', en: 'Organisation, projects and network on S3NS' },
        kind: 'LANDING_ZONE',
        start: 60,
        days: 45,
        after: ['gaps'],
      },
      {
        key: 'pilot',
        title: { fr: 'Projet pilote', en: 'Pilot project' },
        kind: 'PILOT',
        start: 105,
        days: 30,
        after: ['landing'],
      },
      {
        key: 'wave1',
        title: { fr: 'Vague 1 : plateforme de données', en: 'Wave 1: data platform' },
        kind: 'WAVE',
        start: 135,
        days: 60,
        after: ['pilot'],
      },
      {
        key: 'cutover',
        title: { fr: 'Bascule', en: 'Cutover' },
        kind: 'CUTOVER',
        start: 195,
        days: 7,
        after: ['wave1'],
      },
      {
        key: 'decommission',
        title: { fr: 'Projets Google Cloud fermés', en: 'Google Cloud projects closed' },
        kind: 'DECOMMISSION',
        start: 202,
        days: 30,
        after: ['cutover'],
      },
    ],
    risks: [
      {
        title: {
          fr: 'Services utilisés sur Google Cloud pas encore disponibles sur PREMI3NS',
          en: 'Services used on Google Cloud not yet on PREMI3NS',
        },
        category: 'FEATURE_GAP',
        likelihood: 3,
        impact: 4,
        mitigation: {
          fr: 'Vérifier la liste des services pendant l’évaluation ; prévoir des solutions de remplacement pour ceux qui manquent.',
          en: 'Check the service list during assessment; plan substitutes for the missing ones.',
        },
      },
      ...transitionRisks,
    ],
    checkpoints: sovereigntyCheckpoints('cutover'),
    workloads: [
      {
        name: { fr: 'Reporting BigQuery', en: 'BigQuery reporting' },
        criticality: 'HIGH',
        dataClassification: 'SENSITIVE',
        strategy: 'REHOST',
        wave: 1,
      },
      {
        name: { fr: 'Services Cloud Run', en: 'Cloud Run services' },
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REHOST',
        wave: 1,
      },
    ],
  },
  {
    id: 'iaas-lift-and-shift',
    name: { fr: 'Migration à l’identique vers un IaaS qualifié', en: 'IaaS lift-and-shift to a qualified IaaS' },
    description: {
      fr: 'Machines virtuelles migrées telles quelles vers un IaaS qualifié SecNumCloud.',
      en: 'Virtual machines moved as they are to a SecNumCloud-qualified IaaS.',
    },
    sourcePlatform: { fr: 'VMware sur site', en: 'On-premises VMware' },
    targetOfferId: 'ovhcloud-hpc-snc',
    dataSensitivity: 'SENSITIVE',
    warning: null,
    milestones: [
      {
        key: 'discovery',
        title: {
          fr: 'Inventaire des machines virtuelles et cartographie des dépendances',
          en: 'Virtual machine inventory and dependency mapping',
        },
        kind: 'DISCOVERY',
        start: 0,
        days: 30,
      },
      {
        key: 'landing',
        title: {
          fr: 'Environnement IaaS qualifié, réseau et sauvegardes',
          en: 'Qualified IaaS tenant, network and backups',
        },
        kind: 'LANDING_ZONE',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'wave1',
        title: { fr: 'Vague 1 : recette et préproduction', en: 'Wave 1: test and pre-production' },
        kind: 'WAVE',
        start: 60,
        days: 30,
        after: ['landing'],
      },
      {
        key: 'wave2',
        title: { fr: 'Vague 2 : production', en: 'Wave 2: production' },
        kind: 'WAVE',
        start: 90,
        days: 45,
        after: ['wave1'],
      },
      {
        key: 'cutover',
        title: { fr: 'Bascule', en: 'Cutover' },
        kind: 'CUTOVER',
        start: 135,
        days: 3,
        after: ['wave2'],
      },
      {
        key: 'decommission',
        title: { fr: 'Serveurs d’origine effacés et restitués', en: 'Source hosts wiped and returned' },
        kind: 'DECOMMISSION',
        start: 138,
        days: 30,
        after: ['cutover'],
      },
    ],
    risks: [
      {
        title: {
          fr: 'Dépendance à l’IaaS cible et coût de sortie',
          en: 'Lock-in and exit cost of the target IaaS',
        },
        category: 'LOCK_IN',
        likelihood: 2,
        impact: 3,
        mitigation: {
          fr: 'Garder des images et une configuration portables ; tester le plan de réversibilité une fois par an.',
          en: 'Keep images and configuration portable; test the exit plan once a year.',
        },
      },
      {
        title: {
          fr: 'Interruption de la production pendant la bascule',
          en: 'Production downtime during the switch',
        },
        category: 'DOWNTIME',
        likelihood: 3,
        impact: 4,
        mitigation: {
          fr: 'Répliquer les disques en amont ; basculer pendant une fenêtre de maintenance convenue.',
          en: 'Replicate disks ahead; switch during an agreed maintenance window.',
        },
      },
      ...transitionRisks,
    ],
    checkpoints: [
      ...sovereigntyCheckpoints('cutover'),
      {
        framework: 'HDS',
        requirement: 'HOSTING',
        title: {
          fr: 'Hébergeur certifié HDS si des données de santé sont migrées',
          en: 'Host holds the HDS certificate if health data moves',
        },
        gates: ['cutover'],
      },
    ],
    workloads: [
      {
        name: { fr: 'ERP financier', en: 'Finance ERP' },
        criticality: 'CRITICAL',
        dataClassification: 'SENSITIVE',
        strategy: 'REHOST',
        wave: 2,
      },
      {
        name: { fr: 'Serveurs de fichiers', en: 'File servers' },
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REHOST',
        wave: 1,
      },
      {
        name: { fr: 'Ancien outil de reporting', en: 'Legacy reporting' },
        criticality: 'LOW',
        dataClassification: 'INTERNAL',
        strategy: 'RETIRE',
        wave: 1,
      },
    ],
  },
];

export function findTemplate(id: string): PlanTemplate | undefined {
  return PLAN_TEMPLATES.find((template) => template.id === id);
}

/** The template as a list shows it: its texts in `language`, and how many entries of each kind it seeds. */
export function localizeTemplate(template: PlanTemplate, language: Language): LocalizedTemplate {
  return {
    id: template.id,
    name: pick(template.name, language),
    description: pick(template.description, language),
    sourcePlatform: pick(template.sourcePlatform, language),
    targetOfferId: template.targetOfferId,
    dataSensitivity: template.dataSensitivity,
    warning: template.warning === null ? null : pick(template.warning, language),
    milestones: template.milestones.length,
    risks: template.risks.length,
    checkpoints: template.checkpoints.length,
    workloads: template.workloads.length,
  };
}

/** Fills an empty document from a template, dates counted from `startDate`, every text in `language`. */
export function applyTemplate(
  doc: Y.Doc,
  template: PlanTemplate,
  plan: { title: string; startDate: IsoDate; language: Language },
): void {
  const text = (localized: Localized) => pick(localized, plan.language);
  doc.transact(() => {
    const last = Math.max(...template.milestones.map((milestone) => milestone.start + milestone.days));
    const cutover = template.milestones.find((milestone) => milestone.kind === 'CUTOVER');
    initializePlan(doc, {
      title: plan.title,
      status: 'ACTIVE',
      sourcePlatform: text(template.sourcePlatform),
      targetOfferId: template.targetOfferId,
      dataSensitivity: template.dataSensitivity,
      startDate: plan.startDate,
      targetDate: addDays(plan.startDate, cutover === undefined ? last : cutover.start + cutover.days),
      language: plan.language,
      description: [template.description, template.warning]
        .filter((line) => line !== null)
        .map(text)
        .join('\n\n'),
    });
    const ids = new Map<string, string>();
    const idsOf = (keys: readonly string[]) =>
      keys.map((key) => {
        const id = ids.get(key);
        if (id === undefined) throw new Error(`template ${template.id}: ${key} is not an earlier milestone`);
        return id;
      });
    for (const milestone of template.milestones) {
      ids.set(
        milestone.key,
        createEntry(doc, 'milestones', {
          title: text(milestone.title),
          kind: milestone.kind,
          startDate: addDays(plan.startDate, milestone.start),
          dueDate: addDays(plan.startDate, milestone.start + milestone.days),
          dependsOn: idsOf(milestone.after ?? []),
        }),
      );
    }
    for (const risk of template.risks)
      createEntry(
        doc,
        'risks',
        { ...risk, title: text(risk.title), mitigation: text(risk.mitigation) },
        { trusted: true },
      );
    for (const { gates, ...checkpoint } of template.checkpoints)
      createEntry(doc, 'checkpoints', { ...checkpoint, title: text(checkpoint.title), milestoneIds: idsOf(gates) });
    for (const workload of template.workloads)
      createEntry(doc, 'workloads', { ...workload, name: text(workload.name) });
  });
}
