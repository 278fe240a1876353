import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

/**
 * The import rules, read from the code by dependency-cruiser (.dependency-cruiser.cjs):
 * - the forbidden imports it lists (libraries never import applications, and so on) do not occur;
 * - the server's folders import each other one way: an import that closes a circle between
 *   folders fails, named with one file import of each step;
 * - the folder picture in docs/architecture.md is the one the code draws
 *   (`npm run architecture:write` redraws it).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOC = `${ROOT}docs/architecture.md`;
const BEGIN = '<!-- folders:begin (drawn by npm run architecture:write) -->';
const END = '<!-- folders:end -->';
const SERVER = 'apps/server/src/';

interface Cruised {
  readonly modules: readonly {
    readonly source: string;
    readonly dependencies: readonly { readonly resolved: string; readonly coreModule?: boolean }[];
  }[];
  readonly summary: {
    readonly violations: readonly { readonly from: string; readonly to: string; readonly rule: { name: string } }[];
  };
}

async function cruise(): Promise<Cruised> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      `${ROOT}node_modules/dependency-cruiser/bin/dependency-cruise.mjs`,
      'apps/server/src',
      'apps/web/src',
      'libs',
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'json',
    ],
    { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Cruised;
}

/** A server file's folder; files at the top of src (main, cli, app.module, entities) compose the rest. */
const folderOf = (path: string): string | null => {
  if (!path.startsWith(SERVER)) return null;
  const rest = path.slice(SERVER.length);
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : '(composition)';
};

/** Folder → folders it imports, with one example import for each edge. */
function folderGraph(cruised: Cruised): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const module of cruised.modules) {
    const from = folderOf(module.source);
    if (from === null) continue;
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (to === null || to === from || edges.has(to)) continue;
      edges.set(to, `${module.source.slice(SERVER.length)} → ${dependency.resolved.slice(SERVER.length)}`);
      if (!graph.has(to)) graph.set(to, new Map());
    }
  }
  return graph;
}

/** Strongly connected components (Tarjan), each sorted; the list sorted too. */
function components(graph: ReadonlyMap<string, ReadonlyMap<string, string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lows = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    lows.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lows.set(node, Math.min(lows.get(node)!, lows.get(next)!));
      } else if (onStack.has(next)) lows.set(node, Math.min(lows.get(node)!, indices.get(next)!));
    }
    if (lows.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * The folder graph in Mermaid, legible: folders in one circle are drawn as one box, and an arrow is
 * left out when a longer path already says it (transitive reduction of the acyclic graph of boxes).
 */
function picture(graph: ReadonlyMap<string, ReadonlyMap<string, string>>): string {
  const boxes = components(graph);
  const boxOf = new Map<string, number>();
  boxes.forEach((box, position) => box.forEach((folder) => boxOf.set(folder, position)));
  const arrows = boxes.map(() => new Set<number>());
  for (const [from, edges] of graph)
    for (const to of edges.keys()) if (boxOf.get(from) !== boxOf.get(to)) arrows[boxOf.get(from)!]!.add(boxOf.get(to)!);
  const reaches = (from: number, to: number, skip: number): boolean => {
    const seen = new Set<number>();
    const walk = (at: number): boolean => {
      for (const next of arrows[at]!) {
        if (at === from && next === skip) continue;
        if (next === to) return true;
        if (!seen.has(next)) {
          seen.add(next);
          if (walk(next)) return true;
        }
      }
      return false;
    };
    return walk(from);
  };
  const name = (box: readonly string[]) => (box.length === 1 ? box[0]! : `circle: ${box.join(', ')}`);
  const id = (position: number) => `f${position}`;
  const lines = ['```mermaid', 'flowchart TD'];
  boxes.forEach((box, position) => lines.push(`  ${id(position)}["${name(box)}"]`));
  arrows.forEach((targets, from) => {
    for (const to of [...targets].sort((a, b) => a - b))
      if (!reaches(from, to, to)) lines.push(`  ${id(from)} --> ${id(to)}`);
  });
  lines.push('```');
  return lines.join('\n');
}

describe('the import rules', () => {
  let cruised: Cruised;
  const cruisedOnce = async () => (cruised ??= await cruise());

  it('has none of the forbidden imports', async () => {
    const { summary } = await cruisedOnce();
    expect(
      summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`),
    ).toEqual([]);
  });

  it('has no circle between server folders', async () => {
    const graph = folderGraph(await cruisedOnce());
    const circleOf = new Map<string, number>();
    components(graph).forEach((component, position) => component.forEach((folder) => circleOf.set(folder, position)));
    // An import between two folders of one component closes a circle (each reaches the other).
    const circular = new Map<string, string>();
    for (const [from, edges] of graph)
      for (const [to, example] of edges)
        if (circleOf.get(from) === circleOf.get(to)) circular.set(`${from} → ${to}`, example);
    expect([...circular].map(([edge, example]) => `${edge} (${example})`)).toEqual([]);
  });

  it('draws the folder picture of docs/architecture.md', async () => {
    const drawn = picture(folderGraph(await cruisedOnce()));
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const current = doc.slice(start + BEGIN.length, end).trim();
    if (process.env.BASCULE_WRITE_ARCHITECTURE === '1' && current !== drawn)
      writeFileSync(DOC, `${doc.slice(0, start + BEGIN.length)}\n${drawn}\n${doc.slice(end)}`);
    else expect(current).toBe(drawn);
  });
});
