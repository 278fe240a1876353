import {
  addDays,
  ENUM_WORDS,
  type CheckpointStatus,
  commentPlainText,
  type CommentThread,
  type Language,
  type MilestoneKind,
  type MilestoneStatus,
  type PlanStatus,
  ragStatus,
  type RiskCategory,
  type RiskStatus,
} from '@bascule/plan-model';
import { csvCell } from '../audit-api/audit.controller.js';
import { escapeHtml } from '../common/text.js';
import type { RowOf } from '../plan-api/plan-read.service.js';
import type { PlanSummaryEntity } from '../projection/entities.js';

/** What a report says of one plan: its projected summary and entries. */
export interface PlanFacts {
  readonly summary: PlanSummaryEntity;
  readonly milestones: readonly RowOf['milestones'][];
  readonly risks: readonly RowOf['risks'][];
  readonly checkpoints: readonly RowOf['checkpoints'][];
  /** The plan's open comment threads, most recently active first (the Markdown report lists them). */
  readonly openThreads?: readonly CommentThread[];
}

type EnumName = 'planStatus' | 'rag' | 'milestoneStatus' | 'riskStatus' | 'checkpointStatus' | 'runbookState';

/** An enumerated value in words; the value itself if it has none (a newer one). */
const word = (name: EnumName, value: string, language: Language) =>
  (ENUM_WORDS[language] as Readonly<Record<string, string>>)[`${name}.${value}`] ?? value;

/** Everything else the reports and feeds write, in each language. */
const TEXT = {
  en: {
    statusLine: (day: string, status: string, rag: string, reasons: string) =>
      `Status report of ${day}. Status ${status}, RAG **${rag}**${reasons}.`,
    reasonSeparator: '; ',
    planFigures: [
      'progress',
      'slippage (days)',
      'overdue milestones',
      'risk exposure',
      'compliance readiness',
      'planned cutover',
    ],
    milestones: 'Milestones',
    noMilestone: 'None yet.',
    milestoneHead: ['milestone', 'status', 'due', 'slip (days)', 'owner'],
    overdue: (title: string) => `${title} (overdue)`,
    openRisks: 'Open risks',
    noOpenRisk: 'None.',
    openThreads: 'Open discussions',
    onPlan: 'the plan',
    thread: (about: string, author: string, replies: number, text: string) =>
      `- **${about}**, ${author}${replies > 0 ? ` (${replies} ${replies === 1 ? 'reply' : 'replies'})` : ''}: ${text}`,
    deletedComment: '(comment deleted)',
    riskHead: ['risk', 'score', 'likelihood x impact', 'status', 'owner'],
    compliance: 'Compliance',
    noCheckpoint: 'No checkpoint yet.',
    frameworkHead: ['framework', 'passed', 'waived', 'in review', 'failed', 'to do', 'readiness'],
    portfolio: 'Portfolio',
    portfolioLine: (day: string, plans: number, red: number, amber: number, green: number) =>
      `Status report of ${day}: ${plans} ${plans === 1 ? 'plan' : 'plans'}, ${red} red, ${amber} amber, ${green} green.`,
    noPlan: 'No plan.',
    portfolioHead: ['plan', 'RAG', 'progress', 'slippage (days)', 'overdue', 'risk exposure', 'readiness', 'cutover'],
    kinds: { milestone: 'milestone', risk: 'risk', checkpoint: 'checkpoint' },
    planCsvHead: ['kind', 'id', 'title', 'status', 'due_date', 'slip_days', 'score', 'framework', 'owner'],
    portfolioCsvHead: [
      'plan_id',
      'title',
      'status',
      'rag',
      'progress',
      'slippage_days',
      'overdue_count',
      'risk_exposure',
      'readiness',
      'target_date',
    ],
    portfolioCalendar: 'Bascule — portfolio',
    eventStatus: (status: string) => `Status: ${status}`,
    eventOwner: (owner: string) => `Owner: ${owner}`,
    t0Event: (runbook: string, plan: string) => `T0 ${runbook} — ${plan}`,
    t0Description: (tasks: number, state: string) => `Cutover runbook of ${tasks} tasks. State: ${state}`,
  },
  fr: {
    statusLine: (day: string, status: string, rag: string, reasons: string) =>
      `Point d’avancement au ${day}. Statut : ${status} ; météo : **${rag}**${reasons}.`,
    reasonSeparator: ' ; ',
    planFigures: [
      'avancement',
      'glissement (jours)',
      'jalons en retard',
      'exposition aux risques',
      'conformité',
      'bascule prévue',
    ],
    milestones: 'Jalons',
    noMilestone: 'Aucun jalon pour l’instant.',
    milestoneHead: ['jalon', 'statut', 'échéance', 'glissement (jours)', 'responsable'],
    overdue: (title: string) => `${title} (en retard)`,
    openRisks: 'Risques non clos',
    noOpenRisk: 'Aucun.',
    openThreads: 'Discussions ouvertes',
    onPlan: 'le plan',
    thread: (about: string, author: string, replies: number, text: string) =>
      `- **${about}**, ${author}${replies > 0 ? ` (${replies} réponse${replies > 1 ? 's' : ''})` : ''} : ${text}`,
    deletedComment: '(commentaire supprimé)',
    riskHead: ['risque', 'score', 'probabilité x impact', 'statut', 'responsable'],
    compliance: 'Conformité',
    noCheckpoint: 'Aucun point de contrôle pour l’instant.',
    frameworkHead: ['référentiel', 'validés', 'dérogations', 'en revue', 'non conformes', 'à faire', 'conformité'],
    portfolio: 'Portefeuille',
    portfolioLine: (day: string, plans: number, red: number, amber: number, green: number) =>
      `Point d’avancement au ${day} : ${plans} plan${plans > 1 ? 's' : ''}, ${red} en rouge, ${amber} en orange, ${green} en vert.`,
    noPlan: 'Aucun plan.',
    portfolioHead: [
      'plan',
      'météo',
      'avancement',
      'glissement (jours)',
      'jalons en retard',
      'exposition aux risques',
      'conformité',
      'bascule prévue',
    ],
    kinds: { milestone: 'jalon', risk: 'risque', checkpoint: 'point de contrôle' },
    planCsvHead: [
      'type',
      'id',
      'titre',
      'statut',
      'échéance',
      'glissement_jours',
      'score',
      'référentiel',
      'responsable',
    ],
    portfolioCsvHead: [
      'id_plan',
      'titre',
      'statut',
      'météo',
      'avancement',
      'glissement_jours',
      'jalons_en_retard',
      'exposition_risques',
      'conformité',
      'bascule_prévue',
    ],
    portfolioCalendar: 'Bascule — portefeuille',
    eventStatus: (status: string) => `Statut : ${status}`,
    eventOwner: (owner: string) => `Responsable : ${owner}`,
    t0Event: (runbook: string, plan: string) => `T0 ${runbook} — ${plan}`,
    t0Description: (tasks: number, state: string) => `Runbook de bascule de ${tasks} tâches. État : ${state}`,
  },
} as const satisfies Record<Language, unknown>;

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);
/** A Markdown table cell: pipes and line breaks would break the table. */
const cell = (value: string | number | null) =>
  value === null
    ? '—'
    : String(value)
        .replace(/\|/g, '\\|')
        .replace(/\s*\n\s*/g, ' ');
const table = (head: readonly string[], rows: readonly (readonly (string | number | null)[])[]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');

/**
 * People's text in Markdown, as text: what HTML would read as markup is escaped to entities, what
 * Markdown would read is backslashed, line breaks become spaces. A comment cannot add a heading, a
 * link or a script to a report.
 */
export const markdownText = (value: string) =>
  escapeHtml(value)
    .replace(/[\\`*_[\]{}()#+!|~]/g, (character) => `\\${character}`)
    .replace(/\s*\n\s*/g, ' ');

/** The open discussions of the Markdown report: what each is about, who started it, its first words. */
function threadsMarkdown(facts: PlanFacts, language: Language): string[] {
  const threads = facts.openThreads ?? [];
  if (threads.length === 0) return [];
  const text = TEXT[language];
  const titles = new Map<string, string>([
    ...facts.milestones.map((row): [string, string] => [`milestones/${row.id}`, row.title]),
    ...facts.risks.map((row): [string, string] => [`risks/${row.id}`, row.title]),
    ...facts.checkpoints.map((row): [string, string] => [`checkpoints/${row.id}`, row.title]),
  ]);
  return [
    `## ${text.openThreads}`,
    '',
    ...threads.map((thread) => {
      const about =
        thread.subject === 'plan' ? text.onPlan : (titles.get(`${thread.subject}/${thread.entryId}`) ?? thread.subject);
      const first = thread.first ?? thread.replies[0];
      const words = thread.first === null ? text.deletedComment : commentPlainText(first?.body ?? '').slice(0, 300);
      return text.thread(
        markdownText(about),
        markdownText(first?.authorName ?? '—'),
        thread.replies.length,
        markdownText(words),
      );
    }),
    '',
  ];
}

/**
 * Why the plan has its colour, in `language`: the projection wrote its reasons in the plan's
 * language, so they are worked out again from the same rows, as of the day they were projected.
 */
function ragReasons(facts: PlanFacts, today: string, language: Language): readonly string[] {
  const { summary } = facts;
  return ragStatus(
    {
      meta: { status: summary.status as PlanStatus },
      milestones: facts.milestones.map((m) => ({
        ...m,
        kind: m.kind as MilestoneKind,
        status: m.status as MilestoneStatus,
      })),
      risks: facts.risks.map((r) => ({ ...r, category: r.category as RiskCategory, status: r.status as RiskStatus })),
      checkpoints: facts.checkpoints.map((c) => ({ ...c, status: c.status as CheckpointStatus })),
    },
    summary.computedOn ?? today,
    language,
  ).reasons;
}

/** A plan's status report in Markdown: figures, milestones with their slips, open risks, readiness. */
export function planMarkdown(facts: PlanFacts, today: string, language: Language): string {
  const { summary } = facts;
  const text = TEXT[language];
  const openRisks = facts.risks.filter((risk) => risk.status !== 'CLOSED').sort((a, b) => b.score - a.score);
  const reasons = ragReasons(facts, today, language);
  const lines = [
    `# ${summary.title}`,
    '',
    text.statusLine(
      today,
      word('planStatus', summary.status, language),
      word('rag', summary.rag, language),
      reasons.length > 0 ? ` (${reasons.join(text.reasonSeparator)})` : '',
    ),
    '',
    table(text.planFigures, [
      [
        percent(summary.progress),
        summary.slippageDays,
        summary.overdueCount,
        summary.riskExposure,
        percent(summary.readiness),
        summary.targetDate,
      ],
    ]),
    '',
    `## ${text.milestones}`,
    '',
    facts.milestones.length === 0
      ? text.noMilestone
      : table(
          text.milestoneHead,
          facts.milestones.map((m) => [
            m.overdue ? text.overdue(m.title) : m.title,
            word('milestoneStatus', m.status, language),
            m.dueDate,
            m.slipDays === 0 ? null : m.slipDays,
            m.owner,
          ]),
        ),
    '',
    `## ${text.openRisks}`,
    '',
    openRisks.length === 0
      ? text.noOpenRisk
      : table(
          text.riskHead,
          openRisks.map((r) => [
            r.title,
            r.score,
            `${r.likelihood} x ${r.impact}`,
            word('riskStatus', r.status, language),
            r.owner,
          ]),
        ),
    '',
    `## ${text.compliance}`,
    '',
    summary.readinessByFramework.length === 0
      ? text.noCheckpoint
      : table(
          text.frameworkHead,
          summary.readinessByFramework.map((f) => [
            f.framework,
            f.passed,
            f.waived,
            f.inReview,
            f.failed,
            f.todo,
            percent(f.readiness),
          ]),
        ),
    '',
    ...threadsMarkdown(facts, language),
  ];
  return lines.join('\n');
}

/** The portfolio in Markdown: one line per plan, the most exposed first. */
export function portfolioMarkdown(summaries: readonly PlanSummaryEntity[], today: string, language: Language): string {
  const text = TEXT[language];
  const sorted = [...summaries].sort((a, b) => b.riskExposure - a.riskExposure || a.title.localeCompare(b.title));
  const count = (rag: string) => summaries.filter((summary) => summary.rag === rag).length;
  return [
    `# ${text.portfolio}`,
    '',
    text.portfolioLine(today, summaries.length, count('RED'), count('AMBER'), count('GREEN')),
    '',
    summaries.length === 0
      ? text.noPlan
      : table(
          text.portfolioHead,
          sorted.map((s) => [
            s.title,
            word('rag', s.rag, language),
            percent(s.progress),
            s.slippageDays,
            s.overdueCount,
            s.riskExposure,
            percent(s.readiness),
            s.targetDate,
          ]),
        ),
    '',
  ].join('\n');
}

/** CSV for spreadsheets: headers and enumerated values in words, dates and numbers as they are. */
const csv = (head: readonly string[], rows: readonly (readonly (string | number | null)[])[]) =>
  [head.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n';

/** A plan's entries as CSV, one line per milestone, risk and checkpoint. */
export function planCsv(facts: PlanFacts, language: Language): string {
  const { kinds, planCsvHead } = TEXT[language];
  return csv(planCsvHead, [
    ...facts.milestones.map((m) => [
      kinds.milestone,
      m.id,
      m.title,
      word('milestoneStatus', m.status, language),
      m.dueDate,
      m.slipDays,
      null,
      null,
      m.owner,
    ]),
    ...facts.risks.map((r) => [
      kinds.risk,
      r.id,
      r.title,
      word('riskStatus', r.status, language),
      null,
      null,
      r.score,
      null,
      r.owner,
    ]),
    ...facts.checkpoints.map((c) => [
      kinds.checkpoint,
      c.id,
      c.title,
      word('checkpointStatus', c.status, language),
      null,
      null,
      null,
      c.framework,
      null,
    ]),
  ]);
}

/** The portfolio as CSV, one line per plan. */
export function portfolioCsv(summaries: readonly PlanSummaryEntity[], language: Language): string {
  return csv(
    TEXT[language].portfolioCsvHead,
    summaries.map((s) => [
      s.planId,
      s.title,
      word('planStatus', s.status, language),
      word('rag', s.rag, language),
      s.progress,
      s.slippageDays,
      s.overdueCount,
      s.riskExposure,
      s.readiness,
      s.targetDate,
    ]),
  );
}

/** The name a calendar application shows for a plan's feed. */
export const planCalendarName = (title: string, _language: Language): string => `${title} — Bascule`;

/** The name a calendar application shows for the portfolio's feed. */
export const portfolioCalendarName = (language: Language): string => TEXT[language].portfolioCalendar;

/** Text in an iCalendar property: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11). */
const icsText = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Lines folded at 75 octets (RFC 5545 3.1), ended by CRLF. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    if (Buffer.byteLength(current + char, 'utf8') > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const icsDate = (day: string) => day.replace(/-/g, '');
/** An instant in UTC, as iCalendar writes it (20270313T200000Z). */
const icsInstant = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * Milestones as an iCalendar feed: one all-day event on each milestone's due date, stable ids, so a
 * calendar that subscribes (Outlook, Thunderbird) follows moves and renames. Descriptions in
 * `options.language`.
 */
export function milestonesIcs(
  name: string,
  plans: readonly {
    summary: PlanSummaryEntity;
    milestones: readonly RowOf['milestones'][];
    runbooks?: readonly RowOf['runbooks'][];
  }[],
  options: { now: Date; publicUrl: string; language: Language },
): string {
  const text = TEXT[options.language];
  const stamp = options.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Bascule//Migration plans//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(name)}`,
  ];
  for (const { summary, milestones } of plans)
    for (const milestone of milestones) {
      if (milestone.dueDate === null) continue;
      const description = [
        `${summary.title}`,
        text.eventStatus(word('milestoneStatus', milestone.status, options.language)),
        milestone.owner === null ? null : text.eventOwner(milestone.owner),
      ]
        .filter((line) => line !== null)
        .join('\n');
      lines.push(
        'BEGIN:VEVENT',
        `UID:${milestone.id}.${summary.planId}@bascule`,
        `DTSTAMP:${stamp}`,
        `DTSTART;VALUE=DATE:${icsDate(milestone.dueDate)}`,
        `DTEND;VALUE=DATE:${icsDate(addDays(milestone.dueDate, 1))}`,
        `SUMMARY:${icsText(`${milestone.title} — ${summary.title}`)}`,
        `DESCRIPTION:${icsText(description)}`,
        `URL:${options.publicUrl}/plans/${summary.planId}`,
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
      );
    }
  // Each runbook's T0, at its hour, until its planned end (an hour when it has none).
  for (const { summary, runbooks = [] } of plans)
    for (const runbook of runbooks) {
      if (runbook.t0 === null || runbook.state === 'ABORTED') continue;
      const start = Date.parse(runbook.t0);
      const end =
        runbook.plannedEnd === null ? start + 3_600_000 : Math.max(Date.parse(runbook.plannedEnd), start + 60_000);
      lines.push(
        'BEGIN:VEVENT',
        `UID:${runbook.id}.${summary.planId}@bascule`,
        `DTSTAMP:${stamp}`,
        `DTSTART:${icsInstant(start)}`,
        `DTEND:${icsInstant(end)}`,
        `SUMMARY:${icsText(text.t0Event(runbook.title, summary.title))}`,
        `DESCRIPTION:${icsText(text.t0Description(runbook.taskCount, word('runbookState', runbook.state, options.language)))}`,
        `URL:${options.publicUrl}/plans/${summary.planId}`,
        'END:VEVENT',
      );
    }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
