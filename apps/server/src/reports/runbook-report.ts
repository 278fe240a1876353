import {
  ENUM_WORDS,
  type Language,
  type PlanContent,
  type RunbookTask,
  RunbookGraph,
  type RunbookTiming,
  runbookTiming,
} from '@bascule/plan-model';
import { csvCell } from '../audit-api/audit.controller.js';

/** A runbook and what its report reads: its tasks and votes, its timing at the report's instant. */
export interface RunbookFacts {
  readonly planTitle: string;
  readonly runbook: PlanContent['runbooks'][number];
  readonly tasks: readonly RunbookTask[];
  readonly votes: PlanContent['runbookVotes'];
  readonly timing: RunbookTiming;
  /**
   * Ends a task had before it was run again (a failure, then a retry): the document keeps a task's
   * last run only, the audit trail every one. Oldest first.
   */
  readonly earlierEnds: readonly EarlierEnd[];
}

/** A task ended (failed or skipped) before its last run, as the audit trail recorded it. */
export interface EarlierEnd {
  readonly taskId: string;
  readonly status: 'FAILED' | 'SKIPPED';
  readonly at: string;
  readonly by: string;
  readonly reason: string | null;
}

/** The facts of one runbook of a plan's content, timed at `now`; null when the plan has no such runbook. */
export function runbookFacts(
  planTitle: string,
  content: PlanContent,
  runbookId: string,
  now: Date,
  trail: readonly EarlierEnd[] = [],
): RunbookFacts | null {
  const runbook = content.runbooks.find((found) => found.id === runbookId);
  if (runbook === undefined) return null;
  const tasks = content.runbookTasks.filter((task) => task.runbookId === runbookId);
  const graph = new RunbookGraph(tasks);
  const ids = new Set(tasks.map((task) => task.id));
  return {
    planTitle,
    runbook,
    tasks: graph.ordered,
    votes: content.runbookVotes.filter((vote) => vote.taskId !== null && ids.has(vote.taskId)),
    timing: runbookTiming(runbook, graph, now.getTime()),
    // Those the task no longer shows (its current end, stamped at the same instant, is in the document).
    earlierEnds: trail.filter((end) => {
      const current = graph.byId.get(end.taskId);
      if (current === undefined) return false;
      return current.endedAt === null || Date.parse(current.endedAt) !== Date.parse(end.at);
    }),
  };
}

/** Times are shown where the people it is for work: Paris. */
const ZONE = 'Europe/Paris';

const TEXT = {
  en: {
    title: (title: string) => `Cutover report — ${title}`,
    plan: 'Plan',
    colon: ': ',
    kind: { LIVE: 'cutover', REHEARSAL: 'rehearsal' },
    summaryHead: ['', 'planned', 'actual or forecast'],
    t0: 'T0 (start)',
    end: 'end',
    delay: (minutes: number) => (minutes <= 0 ? 'on time' : `${minutes} min late`),
    state: 'state',
    stages: 'Stages',
    stageHead: ['stage', 'tasks', 'done', 'planned', 'actual', 'longer than planned (min)'],
    decisions: 'Go / no-go decisions',
    noDecision: 'No go / no-go point.',
    voteLine: (voter: string, vote: string, at: string, comment: string) =>
      `${voter}: ${vote} at ${at}${comment === '' ? '' : ` — “${comment}”`}`,
    failures: 'Failures and skipped tasks',
    noFailure: 'None.',
    runAgain: '(then run again)',
    late: 'Late tasks',
    noLate: 'None.',
    lateHead: ['task', 'stage', 'planned end', 'actual end', 'late (min)'],
    log: 'Who did what',
    noLog: 'Nothing was run yet.',
    started: (task: string, by: string) => `${by} started “${task}”`,
    ended: (task: string, status: string, by: string) => `${by} ended “${task}” (${status})`,
    decided: (task: string, decision: string, by: string) => `${by}: ${decision} on “${task}”`,
    pending: 'pending',
    times: '(times in Paris time)',
    csvHead: [
      'id',
      'stage',
      'kind',
      'title',
      'team',
      'status',
      'planned_start',
      'planned_end',
      'actual_start',
      'actual_end',
      'planned_minutes',
      'actual_minutes',
      'late_minutes',
      'started_by',
      'ended_by',
      'reason',
      'decision',
    ],
  },
  fr: {
    title: (title: string) => `Rapport de bascule — ${title}`,
    plan: 'Plan',
    colon: ' : ',
    kind: { LIVE: 'bascule', REHEARSAL: 'répétition' },
    summaryHead: ['', 'prévu', 'réel ou prévision'],
    t0: 'T0 (début)',
    end: 'fin',
    delay: (minutes: number) => (minutes <= 0 ? 'à l’heure' : `${minutes} min de retard`),
    state: 'état',
    stages: 'Étapes',
    stageHead: ['étape', 'tâches', 'faites', 'prévu', 'réel', 'dépassement de durée (min)'],
    decisions: 'Décisions go / no-go',
    noDecision: 'Aucun point go / no-go.',
    voteLine: (voter: string, vote: string, at: string, comment: string) =>
      `${voter} : ${vote} à ${at}${comment === '' ? '' : ` — « ${comment} »`}`,
    failures: 'Échecs et tâches ignorées',
    noFailure: 'Aucun.',
    runAgain: '(puis relancée)',
    late: 'Tâches en retard',
    noLate: 'Aucune.',
    lateHead: ['tâche', 'étape', 'fin prévue', 'fin réelle', 'retard (min)'],
    log: 'Qui a fait quoi',
    noLog: 'Rien n’a encore été exécuté.',
    started: (task: string, by: string) => `${by} a démarré « ${task} »`,
    ended: (task: string, status: string, by: string) => `${by} a terminé « ${task} » (${status})`,
    decided: (task: string, decision: string, by: string) => `${by} : ${decision} pour « ${task} »`,
    pending: 'en attente',
    times: '(heures de Paris)',
    csvHead: [
      'id',
      'étape',
      'type',
      'titre',
      'équipe',
      'statut',
      'début_prévu',
      'fin_prévue',
      'début_réel',
      'fin_réelle',
      'durée_prévue_min',
      'durée_réelle_min',
      'retard_min',
      'démarrée_par',
      'terminée_par',
      'motif',
      'décision',
    ],
  },
} as const;

/** An enumeration value in words (the value itself when it has none). */
const word = (name: string, value: string, language: Language) =>
  (ENUM_WORDS[language] as Readonly<Record<string, string>>)[`${name}.${value}`] ?? value;

function clock(language: Language) {
  const format = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: ZONE,
    dateStyle: 'short',
    timeStyle: 'short',
  });
  return (instant: string | number | null) => (instant === null ? '—' : format.format(new Date(instant)));
}

/** A planned or forecast time (minutes from T0) as an instant, when T0 is known. */
const instantOf = (timing: RunbookTiming, minutes: number | null): number | null =>
  timing.t0 === null || minutes === null ? null : timing.t0 + minutes * 60_000;

const row = (cells: readonly (string | number)[]) =>
  `| ${cells.map((cell) => String(cell).replace(/\|/g, '\\|')).join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) => [
  row(head),
  row(head.map(() => '---')),
  ...rows.map(row),
];

/** The cutover report in Markdown: the run against its plan, stage by stage, its decisions, failures, delays and who did what. */
export function runbookMarkdown(facts: RunbookFacts, language: Language): string {
  const text = TEXT[language];
  const at = clock(language);
  const { runbook, timing, tasks } = facts;
  const forecastEnd = runbook.endedAt ?? instantOf(timing, timing.forecastEnd);
  const delay = Math.max(0, Math.round(timing.forecastEnd - timing.plannedEnd));
  const lines = [
    `# ${text.title(runbook.title)}`,
    '',
    `${text.plan}${text.colon}${facts.planTitle} — ${text.kind[runbook.kind]}, ${text.state} ${word('runbookState', runbook.state, language)}. ${text.times}`,
    '',
    ...table(text.summaryHead, [
      [text.t0, at(runbook.t0), at(runbook.startedAt)],
      [text.end, at(instantOf(timing, timing.plannedEnd)), `${at(forecastEnd)} (${text.delay(delay)})`],
    ]),
    '',
    `## ${text.stages}`,
    '',
    ...table(
      text.stageHead,
      // The rollback stage only when it ran.
      timing.stages
        .filter((stage) => stage.stage !== 'ROLLBACK' || stage.actualStart !== null)
        .map((stage) => {
          const planned = (stage.plannedEnd ?? 0) - (stage.plannedStart ?? 0);
          const actual =
            stage.actualStart === null || stage.actualEnd === null ? null : stage.actualEnd - stage.actualStart;
          return [
            word('runbookStage', stage.stage, language),
            stage.tasks,
            stage.done,
            `${at(instantOf(timing, stage.plannedStart))} → ${at(instantOf(timing, stage.plannedEnd))}`,
            `${at(instantOf(timing, stage.actualStart))} → ${at(instantOf(timing, stage.actualEnd))}`,
            actual === null ? '—' : Math.round(actual - planned),
          ];
        }),
    ),
    '',
    `## ${text.decisions}`,
    '',
  ];
  const decisions = tasks.filter((task) => task.kind === 'DECISION');
  if (decisions.length === 0) lines.push(text.noDecision);
  for (const decision of decisions) {
    lines.push(`- **${decision.title}** — ${word('decision', decision.decision, language)}`);
    for (const vote of facts.votes.filter((found) => found.taskId === decision.id))
      lines.push(
        `  - ${text.voteLine(vote.voterName ?? '?', word('decision', vote.vote, language), at(vote.at), vote.comment ?? '')}`,
      );
  }
  lines.push('', `## ${text.failures}`, '');
  const troubled = tasks.filter(
    (task) => task.kind === 'TASK' && (task.status === 'FAILED' || task.status === 'SKIPPED'),
  );
  const failures = [
    ...troubled.map((task) => ({
      title: task.title,
      status: task.status,
      reason: task.reason,
      by: task.endedBy,
      at: task.endedAt,
      again: false,
    })),
    ...facts.earlierEnds.map((end) => ({
      title: facts.tasks.find((task) => task.id === end.taskId)?.title ?? end.taskId,
      status: end.status,
      reason: end.reason,
      by: end.by,
      at: end.at,
      again: true,
    })),
  ].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  if (failures.length === 0) lines.push(text.noFailure);
  for (const failure of failures)
    lines.push(
      `- **${failure.title}** — ${word('taskStatus', failure.status, language)}${failure.reason === null ? '' : `${text.colon}${failure.reason}`} (${failure.by ?? '?'}, ${at(failure.at)})${failure.again ? ` ${text.runAgain}` : ''}`,
    );
  lines.push('', `## ${text.late}`, '');
  const late = tasks.filter((task) => (timing.tasks.get(task.id)?.lateMinutes ?? 0) > 0 && task.status !== 'PENDING');
  if (late.length === 0) lines.push(text.noLate);
  else
    lines.push(
      ...table(
        text.lateHead,
        late.map((task) => {
          const found = timing.tasks.get(task.id);
          return [
            task.title,
            word('runbookStage', task.stage, language),
            at(instantOf(timing, found?.plannedEnd ?? null)),
            at(task.endedAt),
            found?.lateMinutes ?? 0,
          ];
        }),
      ),
    );
  lines.push('', `## ${text.log}`, '');
  const by = (name: string | null) => name ?? '?';
  const log = tasks
    .flatMap((task) => {
      if (task.kind === 'DECISION')
        return task.endedAt === null
          ? []
          : [
              {
                at: task.endedAt,
                line: text.decided(task.title, word('decision', task.decision, language), by(task.endedBy)),
              },
            ];
      return [
        ...(task.startedAt === null
          ? []
          : [{ at: task.startedAt, line: text.started(task.title, by(task.startedBy)) }]),
        ...(task.endedAt === null
          ? []
          : [
              {
                at: task.endedAt,
                line: text.ended(task.title, word('taskStatus', task.status, language).toLowerCase(), by(task.endedBy)),
              },
            ]),
      ];
    })
    .concat(
      facts.earlierEnds.map((end) => ({
        at: end.at,
        line: text.ended(
          facts.tasks.find((task) => task.id === end.taskId)?.title ?? end.taskId,
          word('taskStatus', end.status, language).toLowerCase(),
          end.by,
        ),
      })),
    )
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  if (log.length === 0) lines.push(text.noLog);
  for (const entry of log) lines.push(`- ${at(entry.at)} — ${entry.line}`);
  return `${lines.join('\n')}\n`;
}

/** The cutover report in CSV: one line per task, planned against actual. */
export function runbookCsv(facts: RunbookFacts, language: Language): string {
  const text = TEXT[language];
  const { timing } = facts;
  const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());
  const lines = [text.csvHead.join(',')];
  for (const task of facts.tasks) {
    const found = timing.tasks.get(task.id);
    const actual =
      task.startedAt === null || task.endedAt === null
        ? null
        : Math.round((Date.parse(task.endedAt) - Date.parse(task.startedAt)) / 60_000);
    lines.push(
      [
        task.id,
        task.stage,
        task.kind,
        task.title,
        task.team,
        task.status,
        iso(instantOf(timing, found?.plannedStart ?? null)),
        iso(instantOf(timing, found?.plannedEnd ?? null)),
        task.startedAt,
        task.endedAt,
        task.duration ?? 0,
        actual,
        found?.lateMinutes ?? 0,
        task.startedBy,
        task.endedBy,
        task.reason,
        task.kind === 'DECISION' ? task.decision : null,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** What the report needs of an audit event (AuditEventEntity). */
export interface TrailEvent {
  readonly action: string;
  readonly actorKind: string;
  readonly actorId: string | null;
  readonly actorName: string;
  readonly entityId: string | null;
  readonly field: string | null;
  readonly after: string | null;
  readonly occurredAt: Date;
}

/**
 * The failures and skips of runbook tasks as the audit trail recorded them, oldest first: status
 * changes to FAILED or SKIPPED made by people (not the server's reverts), whose change the rules did
 * not refuse (a refused change is recorded with its refusal: same task, author and instant), each
 * with the reason written in the same change.
 */
export function endsInTrail(events: readonly TrailEvent[]): EarlierEnd[] {
  const changeOf = (event: TrailEvent) =>
    `${event.entityId ?? ''}|${event.actorId ?? ''}|${event.occurredAt.getTime()}`;
  const refused = new Set(events.filter((event) => event.action === 'refused').map(changeOf));
  const reasons = new Map(
    events
      .filter((event) => event.action === 'updated' && event.field === 'reason')
      .map((event) => [changeOf(event), JSON.parse(event.after ?? 'null') as string | null]),
  );
  const ends: EarlierEnd[] = [];
  for (const event of events) {
    if (event.action !== 'updated' || event.field !== 'status' || event.actorKind === 'system') continue;
    const status = JSON.parse(event.after ?? 'null') as unknown;
    if ((status !== 'FAILED' && status !== 'SKIPPED') || event.entityId === null || refused.has(changeOf(event)))
      continue;
    ends.push({
      taskId: event.entityId,
      status,
      at: event.occurredAt.toISOString(),
      by: event.actorName,
      reason: reasons.get(changeOf(event)) ?? null,
    });
  }
  return ends;
}
