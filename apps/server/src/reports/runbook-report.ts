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
}

/** The facts of one runbook of a plan's content, timed at `now`; null when the plan has no such runbook. */
export function runbookFacts(
  planTitle: string,
  content: PlanContent,
  runbookId: string,
  now: Date,
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
  if (troubled.length === 0) lines.push(text.noFailure);
  for (const task of troubled)
    lines.push(
      `- **${task.title}** — ${word('taskStatus', task.status, language)}${task.reason === null ? '' : `${text.colon}${task.reason}`} (${task.endedBy ?? '?'}, ${at(task.endedAt)})`,
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
