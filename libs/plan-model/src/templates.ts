import type * as Y from 'yjs';
import { addDays } from './dates.js';
import { createEntry, initializePlan } from './edit.js';
import type { Criticality, DataSensitivity, IsoDate, MilestoneKind, RiskCategory, Strategy } from './schema.js';

interface TemplateMilestone {
  readonly key: string;
  readonly title: string;
  readonly kind: MilestoneKind;
  /** Days from the plan's start to this milestone's start, and its length in days. */
  readonly start: number;
  readonly days: number;
  readonly after?: readonly string[];
}

interface TemplateRisk {
  /** Marks the risk as the one eligibility raises (`eligibility:<code>`), so it is not raised twice. */
  readonly automatic?: string;
  readonly title: string;
  readonly category: RiskCategory;
  readonly likelihood: number;
  readonly impact: number;
  readonly mitigation: string;
}

interface TemplateCheckpoint {
  readonly framework: string;
  readonly requirement: string;
  readonly title: string;
  /** Keys of the milestones this checkpoint gates. */
  readonly gates: readonly string[];
}

interface TemplateWorkload {
  readonly name: string;
  readonly criticality: Criticality;
  readonly dataClassification: DataSensitivity;
  readonly strategy: Strategy;
  readonly wave: number;
}

export interface PlanTemplate {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly sourcePlatform: string;
  /** A catalog offer id. */
  readonly targetOfferId: string;
  readonly dataSensitivity: DataSensitivity;
  /** Shown when the template is picked, and seeded as a risk. */
  readonly warning: string | null;
  readonly milestones: readonly TemplateMilestone[];
  readonly risks: readonly TemplateRisk[];
  readonly checkpoints: readonly TemplateCheckpoint[];
  readonly workloads: readonly TemplateWorkload[];
}

const SNC = 'SECNUMCLOUD_3_2';

/** The sovereignty requirements (SecNumCloud 3.2 chapter 19) every trusted-cloud plan checks before its cutover. */
const sovereigntyCheckpoints = (cutover: string): TemplateCheckpoint[] => [
  {
    framework: SNC,
    requirement: '19.2',
    title: 'Customer, technical and support data stay in the EU',
    gates: [cutover],
  },
  {
    framework: SNC,
    requirement: '19.3',
    title: 'Interfaces and first-level support available in French',
    gates: [cutover],
  },
  { framework: SNC, requirement: '19.4', title: 'Secure erasure of our data at the end of the contract', gates: [] },
  {
    framework: SNC,
    requirement: '19.6',
    title: 'Provider protected from non-EU law (ownership, subcontractors)',
    gates: [cutover],
  },
  {
    framework: 'GDPR',
    requirement: 'DPIA',
    title: 'Data protection impact assessment updated for the new host',
    gates: [cutover],
  },
  { framework: 'GDPR', requirement: 'RECORDS', title: 'Records of processing name the new processor', gates: [] },
  { framework: 'REVERSIBILITY', requirement: 'EXIT_PLAN', title: 'Exit plan and data export tested', gates: [] },
];

const transitionRisks: TemplateRisk[] = [
  {
    title: 'Extraterritorial law exposure while data sits on both platforms',
    category: 'EXTRATERRITORIAL_LAW',
    likelihood: 3,
    impact: 4,
    mitigation: 'Keep the transition short; migrate the most sensitive data last and erase it from the source at once.',
  },
  {
    title: 'Team lacks skills on the target platform',
    category: 'SKILLS',
    likelihood: 3,
    impact: 3,
    mitigation: 'Train the operations team before the pilot; keep the provider on call during the waves.',
  },
];

export const PLAN_TEMPLATES: readonly PlanTemplate[] = [
  {
    id: 'm365-to-bleu',
    name: 'Microsoft 365 to Bleu',
    description:
      'Mail, Teams and SharePoint from the global Microsoft 365 to Bleu, operated in France by Orange and Capgemini.',
    sourcePlatform: 'Microsoft 365 (global)',
    targetOfferId: 'bleu',
    dataSensitivity: 'SENSITIVE',
    warning: null,
    milestones: [
      { key: 'discovery', title: 'Inventory of tenants, mailboxes and sites', kind: 'DISCOVERY', start: 0, days: 30 },
      {
        key: 'gaps',
        title: 'Feature gap assessment against the global service',
        kind: 'ASSESSMENT',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'landing',
        title: 'Bleu tenant, identity federation and network',
        kind: 'LANDING_ZONE',
        start: 60,
        days: 45,
        after: ['gaps'],
      },
      { key: 'pilot', title: 'Pilot with the IT department', kind: 'PILOT', start: 105, days: 30, after: ['landing'] },
      { key: 'wave1', title: 'Wave 1: mailboxes', kind: 'WAVE', start: 135, days: 45, after: ['pilot'] },
      { key: 'wave2', title: 'Wave 2: Teams and SharePoint', kind: 'WAVE', start: 180, days: 60, after: ['wave1'] },
      {
        key: 'cutover',
        title: 'Cutover of the remaining users',
        kind: 'CUTOVER',
        start: 240,
        days: 7,
        after: ['wave2'],
      },
      {
        key: 'decommission',
        title: 'Source tenant decommissioned and erased',
        kind: 'DECOMMISSION',
        start: 247,
        days: 60,
        after: ['cutover'],
      },
    ],
    risks: [
      {
        title: 'Features of the global service missing on Bleu (Copilot, some connectors)',
        category: 'FEATURE_GAP',
        likelihood: 4,
        impact: 3,
        mitigation:
          'List the features in use during discovery; agree on replacements with the business before the pilot.',
      },
      {
        title: 'Bleu SecNumCloud qualification not granted by the cutover',
        category: 'QUALIFICATION',
        likelihood: 3,
        impact: 5,
        mitigation:
          'Follow the qualification milestones with the provider; keep the sensitive mailboxes for the last wave.',
      },
      {
        title: 'Mailbox migration downtime during office hours',
        category: 'DOWNTIME',
        likelihood: 2,
        impact: 4,
        mitigation: 'Pre-stage mailboxes; switch at night and over weekends.',
      },
      ...transitionRisks,
    ],
    checkpoints: [
      ...sovereigntyCheckpoints('cutover'),
      {
        framework: 'NIS2',
        requirement: 'INCIDENT',
        title: 'Incident notification process agreed with Bleu',
        gates: ['cutover'],
      },
    ],
    workloads: [
      {
        name: 'Exchange Online mailboxes',
        criticality: 'HIGH',
        dataClassification: 'SENSITIVE',
        strategy: 'REPURCHASE',
        wave: 1,
      },
      { name: 'Teams', criticality: 'HIGH', dataClassification: 'INTERNAL', strategy: 'REPURCHASE', wave: 2 },
      {
        name: 'SharePoint intranet',
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REPURCHASE',
        wave: 2,
      },
    ],
  },
  {
    id: 'azure-paas-to-kubernetes',
    name: 'Azure PaaS containers to Kubernetes on a SecNumCloud provider',
    description:
      'Azure PaaS services shipped as containers, moved to a Kubernetes cluster run on a SecNumCloud-qualified IaaS.',
    sourcePlatform: 'Azure PaaS',
    targetOfferId: 'outscale-iaas',
    dataSensitivity: 'SENSITIVE',
    warning: null,
    milestones: [
      {
        key: 'discovery',
        title: 'Inventory of PaaS services and their dependencies',
        kind: 'DISCOVERY',
        start: 0,
        days: 30,
      },
      {
        key: 'assessment',
        title: 'Container images and managed-service replacements assessed',
        kind: 'ASSESSMENT',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'landing',
        title: 'Kubernetes cluster, registry and CI on the qualified IaaS',
        kind: 'LANDING_ZONE',
        start: 60,
        days: 45,
        after: ['assessment'],
      },
      {
        key: 'pilot',
        title: 'Pilot application in production',
        kind: 'PILOT',
        start: 105,
        days: 30,
        after: ['landing'],
      },
      { key: 'wave1', title: 'Wave 1: stateless services', kind: 'WAVE', start: 135, days: 45, after: ['pilot'] },
      { key: 'wave2', title: 'Wave 2: services with data', kind: 'WAVE', start: 180, days: 45, after: ['wave1'] },
      { key: 'cutover', title: 'DNS and traffic cutover', kind: 'CUTOVER', start: 225, days: 7, after: ['wave2'] },
      {
        key: 'decommission',
        title: 'Azure resources deleted',
        kind: 'DECOMMISSION',
        start: 232,
        days: 30,
        after: ['cutover'],
      },
    ],
    risks: [
      {
        title: 'Managed Azure services (queues, identity) without an equivalent on the target',
        category: 'FEATURE_GAP',
        likelihood: 4,
        impact: 4,
        mitigation: 'Replace them with open-source components run in the cluster; budget their operation.',
      },
      {
        title: 'Data migration downtime for stateful services',
        category: 'DOWNTIME',
        likelihood: 3,
        impact: 4,
        mitigation: 'Replicate databases ahead of the switch; rehearse the cutover.',
      },
      ...transitionRisks,
    ],
    checkpoints: sovereigntyCheckpoints('cutover'),
    workloads: [
      {
        name: 'Citizen portal API',
        criticality: 'CRITICAL',
        dataClassification: 'SENSITIVE',
        strategy: 'REPLATFORM',
        wave: 2,
      },
      {
        name: 'Document rendering service',
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REPLATFORM',
        wave: 1,
      },
      {
        name: 'Notification worker',
        criticality: 'LOW',
        dataClassification: 'INTERNAL',
        strategy: 'REPLATFORM',
        wave: 1,
      },
    ],
  },
  {
    id: 'apps-to-anthos-ovhcloud',
    name: 'Applications to Anthos on OVHcloud',
    description: 'Applications moved to Google Anthos run on OVHcloud infrastructure.',
    sourcePlatform: 'On-premises virtual machines',
    targetOfferId: 'anthos-ovhcloud',
    dataSensitivity: 'INTERNAL',
    warning:
      'The Google Cloud and OVHcloud partnership behind this offer ended in November 2022: choose another target before planning further.',
    milestones: [
      { key: 'discovery', title: 'Application inventory', kind: 'DISCOVERY', start: 0, days: 30 },
      {
        key: 'target',
        title: 'Choose a replacement target',
        kind: 'ASSESSMENT',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'landing',
        title: 'Landing zone on the chosen target',
        kind: 'LANDING_ZONE',
        start: 60,
        days: 45,
        after: ['target'],
      },
      { key: 'cutover', title: 'Cutover', kind: 'CUTOVER', start: 105, days: 7, after: ['landing'] },
    ],
    risks: [
      {
        automatic: 'eligibility:TARGET_DISCONTINUED',
        title: 'Target offer Anthos on OVHcloud ended in 2022',
        category: 'QUALIFICATION',
        likelihood: 5,
        impact: 5,
        mitigation: 'Re-target the plan (Kubernetes on a SecNumCloud-qualified provider) before any further work.',
      },
    ],
    checkpoints: sovereigntyCheckpoints('cutover'),
    workloads: [
      {
        name: 'Intranet applications',
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REPLATFORM',
        wave: 1,
      },
    ],
  },
  {
    id: 'gcp-to-s3ns',
    name: 'Google Cloud to S3NS',
    description: 'Google Cloud workloads to S3NS PREMI3NS, the offer Thales operates with Google technology.',
    sourcePlatform: 'Google Cloud',
    targetOfferId: 's3ns-premi3ns',
    dataSensitivity: 'SENSITIVE',
    warning: null,
    milestones: [
      { key: 'discovery', title: 'Inventory of projects and services in use', kind: 'DISCOVERY', start: 0, days: 30 },
      {
        key: 'gaps',
        title: 'Services available on PREMI3NS checked',
        kind: 'ASSESSMENT',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      {
        key: 'landing',
        title: 'Organisation, projects and network on S3NS',
        kind: 'LANDING_ZONE',
        start: 60,
        days: 45,
        after: ['gaps'],
      },
      { key: 'pilot', title: 'Pilot project', kind: 'PILOT', start: 105, days: 30, after: ['landing'] },
      { key: 'wave1', title: 'Wave 1: data platform', kind: 'WAVE', start: 135, days: 60, after: ['pilot'] },
      { key: 'cutover', title: 'Cutover', kind: 'CUTOVER', start: 195, days: 7, after: ['wave1'] },
      {
        key: 'decommission',
        title: 'Google Cloud projects closed',
        kind: 'DECOMMISSION',
        start: 202,
        days: 30,
        after: ['cutover'],
      },
    ],
    risks: [
      {
        title: 'Services used on Google Cloud not yet on PREMI3NS',
        category: 'FEATURE_GAP',
        likelihood: 3,
        impact: 4,
        mitigation: 'Check the service list during assessment; plan substitutes for the missing ones.',
      },
      ...transitionRisks,
    ],
    checkpoints: sovereigntyCheckpoints('cutover'),
    workloads: [
      { name: 'BigQuery reporting', criticality: 'HIGH', dataClassification: 'SENSITIVE', strategy: 'REHOST', wave: 1 },
      {
        name: 'Cloud Run services',
        criticality: 'MEDIUM',
        dataClassification: 'INTERNAL',
        strategy: 'REHOST',
        wave: 1,
      },
    ],
  },
  {
    id: 'iaas-lift-and-shift',
    name: 'IaaS lift-and-shift to a qualified IaaS',
    description: 'Virtual machines moved as they are to a SecNumCloud-qualified IaaS.',
    sourcePlatform: 'On-premises VMware',
    targetOfferId: 'ovhcloud-hpc-snc',
    dataSensitivity: 'SENSITIVE',
    warning: null,
    milestones: [
      {
        key: 'discovery',
        title: 'Virtual machine inventory and dependency mapping',
        kind: 'DISCOVERY',
        start: 0,
        days: 30,
      },
      {
        key: 'landing',
        title: 'Qualified IaaS tenant, network and backups',
        kind: 'LANDING_ZONE',
        start: 30,
        days: 30,
        after: ['discovery'],
      },
      { key: 'wave1', title: 'Wave 1: test and pre-production', kind: 'WAVE', start: 60, days: 30, after: ['landing'] },
      { key: 'wave2', title: 'Wave 2: production', kind: 'WAVE', start: 90, days: 45, after: ['wave1'] },
      { key: 'cutover', title: 'Cutover', kind: 'CUTOVER', start: 135, days: 3, after: ['wave2'] },
      {
        key: 'decommission',
        title: 'Source hosts wiped and returned',
        kind: 'DECOMMISSION',
        start: 138,
        days: 30,
        after: ['cutover'],
      },
    ],
    risks: [
      {
        title: 'Lock-in and exit cost of the target IaaS',
        category: 'LOCK_IN',
        likelihood: 2,
        impact: 3,
        mitigation: 'Keep images and configuration portable; test the exit plan once a year.',
      },
      {
        title: 'Production downtime during the switch',
        category: 'DOWNTIME',
        likelihood: 3,
        impact: 4,
        mitigation: 'Replicate disks ahead; switch during an agreed maintenance window.',
      },
      ...transitionRisks,
    ],
    checkpoints: [
      ...sovereigntyCheckpoints('cutover'),
      {
        framework: 'HDS',
        requirement: 'HOSTING',
        title: 'Host holds the HDS certificate if health data moves',
        gates: ['cutover'],
      },
    ],
    workloads: [
      { name: 'Finance ERP', criticality: 'CRITICAL', dataClassification: 'SENSITIVE', strategy: 'REHOST', wave: 2 },
      { name: 'File servers', criticality: 'MEDIUM', dataClassification: 'INTERNAL', strategy: 'REHOST', wave: 1 },
      { name: 'Legacy reporting', criticality: 'LOW', dataClassification: 'INTERNAL', strategy: 'RETIRE', wave: 1 },
    ],
  },
];

export function findTemplate(id: string): PlanTemplate | undefined {
  return PLAN_TEMPLATES.find((template) => template.id === id);
}

/** Fills an empty document from a template, dates counted from `startDate`. */
export function applyTemplate(doc: Y.Doc, template: PlanTemplate, plan: { title: string; startDate: IsoDate }): void {
  doc.transact(() => {
    const last = Math.max(...template.milestones.map((milestone) => milestone.start + milestone.days));
    const cutover = template.milestones.find((milestone) => milestone.kind === 'CUTOVER');
    initializePlan(doc, {
      title: plan.title,
      status: 'ACTIVE',
      sourcePlatform: template.sourcePlatform,
      targetOfferId: template.targetOfferId,
      dataSensitivity: template.dataSensitivity,
      startDate: plan.startDate,
      targetDate: addDays(plan.startDate, cutover === undefined ? last : cutover.start + cutover.days),
      description: [template.description, template.warning].filter((line) => line !== null).join('\n\n'),
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
          title: milestone.title,
          kind: milestone.kind,
          startDate: addDays(plan.startDate, milestone.start),
          dueDate: addDays(plan.startDate, milestone.start + milestone.days),
          dependsOn: idsOf(milestone.after ?? []),
        }),
      );
    }
    for (const risk of template.risks) createEntry(doc, 'risks', { ...risk }, { trusted: true });
    for (const { gates, ...checkpoint } of template.checkpoints)
      createEntry(doc, 'checkpoints', { ...checkpoint, milestoneIds: idsOf(gates) });
    for (const workload of template.workloads) createEntry(doc, 'workloads', { ...workload });
  });
}
