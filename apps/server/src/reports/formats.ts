import { addDays } from '@bascule/plan-model';
import { csvCell } from '../audit/audit.controller.js';
import type { RowOf } from '../plans/plan-read.service.js';
import type { PlanSummaryEntity } from '../projection/entities.js';

/** What a report says of one plan: its projected summary and entries. */
export interface PlanFacts {
  readonly summary: PlanSummaryEntity;
  readonly milestones: readonly RowOf['milestones'][];
  readonly risks: readonly RowOf['risks'][];
  readonly checkpoints: readonly RowOf['checkpoints'][];
}

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

/** A plan's status report in Markdown: figures, milestones with their slips, open risks, readiness. */
export function planMarkdown(facts: PlanFacts, today: string): string {
  const { summary } = facts;
  const openRisks = facts.risks.filter((risk) => risk.status !== 'CLOSED').sort((a, b) => b.score - a.score);
  const lines = [
    `# ${summary.title}`,
    '',
    `Status report of ${today}. Status ${summary.status}, RAG **${summary.rag}**${summary.ragReasons.length > 0 ? ` (${summary.ragReasons.join('; ')})` : ''}.`,
    '',
    table(
      ['progress', 'slippage (days)', 'overdue milestones', 'risk exposure', 'compliance readiness', 'planned cutover'],
      [
        [
          percent(summary.progress),
          summary.slippageDays,
          summary.overdueCount,
          summary.riskExposure,
          percent(summary.readiness),
          summary.targetDate,
        ],
      ],
    ),
    '',
    '## Milestones',
    '',
    facts.milestones.length === 0
      ? 'None yet.'
      : table(
          ['milestone', 'status', 'due', 'slip (days)', 'owner'],
          facts.milestones.map((m) => [
            m.overdue ? `${m.title} (overdue)` : m.title,
            m.status,
            m.dueDate,
            m.slipDays === 0 ? null : m.slipDays,
            m.owner,
          ]),
        ),
    '',
    '## Open risks',
    '',
    openRisks.length === 0
      ? 'None.'
      : table(
          ['risk', 'score', 'likelihood x impact', 'status', 'owner'],
          openRisks.map((r) => [r.title, r.score, `${r.likelihood} x ${r.impact}`, r.status, r.owner]),
        ),
    '',
    '## Compliance',
    '',
    summary.readinessByFramework.length === 0
      ? 'No checkpoint yet.'
      : table(
          ['framework', 'passed', 'waived', 'in review', 'failed', 'to do', 'readiness'],
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
  ];
  return lines.join('\n');
}

/** The portfolio in Markdown: one line per plan, the most exposed first. */
export function portfolioMarkdown(summaries: readonly PlanSummaryEntity[], today: string): string {
  const sorted = [...summaries].sort((a, b) => b.riskExposure - a.riskExposure || a.title.localeCompare(b.title));
  const count = (rag: string) => summaries.filter((summary) => summary.rag === rag).length;
  return [
    '# Portfolio',
    '',
    `Status report of ${today}: ${summaries.length} plans, ${count('RED')} red, ${count('AMBER')} amber, ${count('GREEN')} green.`,
    '',
    summaries.length === 0
      ? 'No plan.'
      : table(
          ['plan', 'RAG', 'progress', 'slippage (days)', 'overdue', 'risk exposure', 'readiness', 'cutover'],
          sorted.map((s) => [
            s.title,
            s.rag,
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

const csv = (head: readonly string[], rows: readonly (readonly (string | number | null)[])[]) =>
  [head.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n';

/** A plan's entries as CSV, one line per milestone, risk and checkpoint. */
export function planCsv(facts: PlanFacts): string {
  return csv(
    ['kind', 'id', 'title', 'status', 'due_date', 'slip_days', 'score', 'framework', 'owner'],
    [
      ...facts.milestones.map((m) => [
        'milestone',
        m.id,
        m.title,
        m.status,
        m.dueDate,
        m.slipDays,
        null,
        null,
        m.owner,
      ]),
      ...facts.risks.map((r) => ['risk', r.id, r.title, r.status, null, null, r.score, null, r.owner]),
      ...facts.checkpoints.map((c) => ['checkpoint', c.id, c.title, c.status, null, null, null, c.framework, null]),
    ],
  );
}

/** The portfolio as CSV, one line per plan. */
export function portfolioCsv(summaries: readonly PlanSummaryEntity[]): string {
  return csv(
    [
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
    summaries.map((s) => [
      s.planId,
      s.title,
      s.status,
      s.rag,
      s.progress,
      s.slippageDays,
      s.overdueCount,
      s.riskExposure,
      s.readiness,
      s.targetDate,
    ]),
  );
}

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

/**
 * Milestones as an iCalendar feed: one all-day event on each milestone's due date, stable ids, so a
 * calendar that subscribes (Outlook, Thunderbird) follows moves and renames.
 */
export function milestonesIcs(
  name: string,
  plans: readonly { summary: PlanSummaryEntity; milestones: readonly RowOf['milestones'][] }[],
  options: { now: Date; publicUrl: string },
): string {
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
        `Status: ${milestone.status}`,
        milestone.owner === null ? null : `Owner: ${milestone.owner}`,
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
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
