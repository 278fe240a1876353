import { addDays, daysBetween } from './dates.js';
import type { IsoDate, ValidationIssue } from './schema.js';

/** What the scheduling functions need of an entry: its id and what must come before it. */
interface Node {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

export interface WaveNode extends Node {
  readonly name: string;
}

export interface Wave {
  /** 1 for the first wave. */
  readonly number: number;
  readonly workloadIds: readonly string[];
}

export interface DependencyCycle {
  /** The entries on the cycle, in dependency order (each depends on the next, the last on the first). */
  readonly members: readonly string[];
}

export interface WavePlan {
  readonly waves: readonly Wave[];
  /** Most workloads a wave may hold; null for no limit. */
  readonly capacity: number | null;
  readonly cycles: readonly DependencyCycle[];
}

/**
 * Migration waves from workload dependencies: a workload moves in a wave after every workload it
 * depends on (topological layers), earliest first; with a capacity, a full wave pushes the rest to
 * the next one. Ties keep the inventory's order. Dependency cycles (which concurrent edits can make,
 * and which the reader breaks) are reported with their members from the reader's issues.
 */
export function planWaves(
  workloads: readonly WaveNode[],
  options: { readonly capacity?: number | null; readonly issues?: readonly ValidationIssue[] } = {},
): WavePlan {
  const capacity = options.capacity ?? null;
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1))
    throw new RangeError('capacity must be a whole number, 1 or more');
  const order = topologicalOrder(workloads);
  const waveOf = new Map<string, number>();
  const sizes: number[] = [];
  for (const workload of order) {
    let wave = Math.max(0, ...workload.dependsOn.map((id) => (waveOf.get(id) ?? -1) + 1));
    while (capacity !== null && (sizes[wave] ?? 0) >= capacity) wave += 1;
    waveOf.set(workload.id, wave);
    sizes[wave] = (sizes[wave] ?? 0) + 1;
  }
  const waves: Wave[] = sizes.map((_, index) => ({
    number: index + 1,
    workloadIds: workloads.filter((workload) => waveOf.get(workload.id) === index).map((workload) => workload.id),
  }));
  return { waves, capacity, cycles: cyclesFromIssues('workloads', workloads, options.issues ?? []) };
}

export interface CriticalPath {
  /** The chain of milestones that decides when the plan ends, first to last. */
  readonly milestoneIds: readonly string[];
  /** When the last of them is due. */
  readonly finish: IsoDate | null;
  /** Dependencies whose dates disagree: a milestone starting before one it depends on is due. */
  readonly conflicts: readonly { readonly milestoneId: string; readonly dependsOnId: string; readonly days: number }[];
}

export interface ScheduleNode extends Node {
  readonly startDate: IsoDate | null;
  readonly dueDate: IsoDate | null;
}

/** When a milestone can start and end by its dates and those of what it depends on. */
function schedule(milestones: readonly ScheduleNode[]) {
  const byId = new Map(milestones.map((milestone) => [milestone.id, milestone]));
  const finish = new Map<string, IsoDate | null>();
  for (const milestone of topologicalOrder(milestones)) {
    const ready = latest(milestone.dependsOn.map((id) => finish.get(id) ?? null));
    finish.set(milestone.id, milestone.dueDate ?? milestone.startDate ?? ready);
  }
  return { byId, finish };
}

/**
 * The critical path: from the milestone that finishes last, back through the dependency that
 * finishes last at each step (the one that holds the next milestone back), to a milestone that
 * depends on nothing. Dates missing on a milestone are taken from its dependencies.
 */
export function criticalPath(milestones: readonly ScheduleNode[]): CriticalPath {
  const { byId, finish } = schedule(milestones);
  const conflicts: { milestoneId: string; dependsOnId: string; days: number }[] = [];
  for (const milestone of milestones) {
    if (milestone.startDate === null) continue;
    for (const id of milestone.dependsOn) {
      const due = finish.get(id) ?? null;
      if (due !== null && milestone.startDate < due)
        conflicts.push({ milestoneId: milestone.id, dependsOnId: id, days: daysBetween(milestone.startDate, due) });
    }
  }
  let last: ScheduleNode | undefined;
  for (const milestone of milestones) {
    const end = finish.get(milestone.id) ?? null;
    if (end !== null && (last === undefined || end > (finish.get(last.id) ?? ''))) last = milestone;
  }
  const path: string[] = [];
  for (let node = last; node !== undefined;) {
    path.unshift(node.id);
    let driver: ScheduleNode | undefined;
    for (const id of node.dependsOn) {
      const candidate = byId.get(id);
      const end = finish.get(id) ?? null;
      if (candidate !== undefined && end !== null && (driver === undefined || end > (finish.get(driver.id) ?? '')))
        driver = candidate;
    }
    node = driver;
  }
  return { milestoneIds: path, finish: last === undefined ? null : (finish.get(last.id) ?? null), conflicts };
}

export interface SlipImpact {
  readonly milestoneId: string;
  readonly days: number;
  readonly startDate: IsoDate | null;
  readonly dueDate: IsoDate | null;
}

/**
 * What slips if a milestone becomes due on `dueDate`: every milestone that depends on it, directly
 * or not, and would then start before what it depends on is due, moves later by as many days as
 * needed, keeping its duration. Moving a date earlier moves nothing else. The milestone itself is
 * the first impact listed (unless its date does not change).
 */
export function previewSlip(milestones: readonly ScheduleNode[], milestoneId: string, dueDate: IsoDate): SlipImpact[] {
  const moved = new Map<string, { startDate: IsoDate | null; dueDate: IsoDate | null }>();
  const current = (milestone: ScheduleNode) => moved.get(milestone.id) ?? milestone;
  const target = milestones.find((milestone) => milestone.id === milestoneId);
  if (target === undefined) return [];
  moved.set(milestoneId, { startDate: target.startDate, dueDate });
  const order = topologicalOrder(milestones);
  for (const milestone of order) {
    if (milestone.id === milestoneId) continue;
    const { startDate, dueDate: due } = current(milestone);
    const ready = latest(milestone.dependsOn.map((id) => ends(current, milestones, id)));
    const begins = startDate ?? due;
    if (ready === null || begins === null || begins >= ready) continue;
    const days = daysBetween(begins, ready);
    moved.set(milestone.id, {
      startDate: startDate === null ? null : addDays(startDate, days),
      dueDate: due === null ? null : addDays(due, days),
    });
  }
  const impacts: SlipImpact[] = [];
  for (const milestone of order) {
    const after = moved.get(milestone.id);
    if (after === undefined) continue;
    const days =
      milestone.dueDate !== null && after.dueDate !== null
        ? daysBetween(milestone.dueDate, after.dueDate)
        : milestone.startDate !== null && after.startDate !== null
          ? daysBetween(milestone.startDate, after.startDate)
          : 0;
    if (days !== 0) impacts.push({ milestoneId: milestone.id, days, ...after });
  }
  return impacts;
}

function ends(
  current: (milestone: ScheduleNode) => { startDate: IsoDate | null; dueDate: IsoDate | null },
  milestones: readonly ScheduleNode[],
  id: string,
): IsoDate | null {
  const milestone = milestones.find((entry) => entry.id === id);
  if (milestone === undefined) return null;
  const { startDate, dueDate } = current(milestone);
  return dueDate ?? startDate;
}

function latest(dates: readonly (IsoDate | null)[]): IsoDate | null {
  let best: IsoDate | null = null;
  for (const date of dates) if (date !== null && (best === null || date > best)) best = date;
  return best;
}

/**
 * Entries in dependency order (each after what it depends on), ties in the given order. References
 * to unknown entries are ignored; entries on a cycle (never in what the reader returns) come last.
 */
function topologicalOrder<T extends Node>(entries: readonly T[]): T[] {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: T[] = [];
  const visit = (entry: T) => {
    state.set(entry.id, 'visiting');
    for (const id of entry.dependsOn) {
      const next = byId.get(id);
      if (next !== undefined && !state.has(id)) visit(next);
    }
    state.set(entry.id, 'done');
    order.push(entry);
  };
  for (const entry of entries) if (!state.has(entry.id)) visit(entry);
  return order;
}

/**
 * The cycles the reader broke in a collection, with their members: each issue names the entry and
 * the dependency that closed the cycle; the rest of it is the path back through kept dependencies.
 */
export function cyclesFromIssues(
  collection: 'workloads' | 'milestones',
  entries: readonly Node[],
  issues: readonly ValidationIssue[],
): DependencyCycle[] {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const cycles: DependencyCycle[] = [];
  for (const issue of issues) {
    const path = /^([a-z]+)\/(.+)\/dependsOn$/.exec(issue.path);
    const closing = /^dependency on (.+) closes a cycle/.exec(issue.message);
    if (path?.[1] !== collection || path[2] === undefined || closing?.[1] === undefined) continue;
    const from = path[2];
    const route = pathBetween(byId, closing[1], from);
    cycles.push({ members: route === null ? [from, closing[1]] : [from, ...route.slice(0, -1)] });
  }
  return cycles;
}

/** The dependency path from `start` to `goal` (both included), or null. */
function pathBetween(byId: ReadonlyMap<string, Node>, start: string, goal: string): string[] | null {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (id === goal) {
      const path: string[] = [];
      for (let at: string | null = id; at !== null; at = previous.get(at) ?? null) path.unshift(at);
      return path;
    }
    for (const next of byId.get(id)?.dependsOn ?? [])
      if (!previous.has(next)) {
        previous.set(next, id);
        queue.push(next);
      }
  }
  return null;
}
