import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SERVER_MAIN = fileURLToPath(new URL('../../apps/server/dist/main.js', import.meta.url));
export const SERVER_CLI = fileURLToPath(new URL('../../apps/server/dist/cli.js', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ServerProcess {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  stdout(): string;
  /** The JSON log lines printed so far. */
  logLines(): Record<string, unknown>[];
  /** Sends the signal and resolves when the process has exited, with how long that took. */
  stop(signal?: NodeJS.Signals): Promise<Exit & { readonly elapsedMs: number }>;
}

function assertBuilt(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first (npm test does it)`);
}

/** A clean environment: what the server needs from ours (PATH, HOME) plus the test's variables. */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env };
}

function collect(child: ChildProcess) {
  const out: string[] = [];
  const err: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      // 'exit' may come before the pipes are drained; 'close' comes after.
      child.on('close', () => resolve({ code, signal, stdout: out.join(''), stderr: err.join('') }));
    });
  });
  return { stdout: () => out.join(''), stderr: () => err.join(''), exited };
}

/** The JSON log lines of a text (development's readable lines are skipped). */
function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Runs the built server (or CLI) to completion, for start-ups that must fail. */
export async function runToExit(
  env: NodeJS.ProcessEnv,
  script = SERVER_MAIN,
  args: string[] = [],
  timeoutMs = 30_000,
): Promise<Exit> {
  assertBuilt(script);
  const child = spawn(process.execPath, [script, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited } = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** How a server process is launched: the built server itself, or a command that ends up running it. */
export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  /**
   * In a process group of its own, signalled as a whole, as a terminal's Ctrl+C or a process
   * manager does (`npm start` is npm, a shell and node: each gets the signal).
   */
  readonly group: boolean;
}

const BUILT_SERVER: Launch = { command: process.execPath, args: [SERVER_MAIN], group: false };

/** `npm start` from the repository's root, as the README says. */
export const NPM_START: Launch = {
  command: 'npm',
  args: ['start', '--silent', '--prefix', fileURLToPath(new URL('../..', import.meta.url))],
  group: true,
};

/**
 * Starts the built server (or `launch`) as a child process on a free port (PORT=0; the port is read
 * from its start-up log line) and waits until it listens.
 */
export async function startServer(
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
  launch: Launch = BUILT_SERVER,
): Promise<ServerProcess> {
  assertBuilt(SERVER_MAIN);
  const child = spawn(launch.command, [...launch.args], {
    env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: launch.group,
  });
  const output = collect(child);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (launch.group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs} ms:\n${output.stdout()}${output.stderr()}`));
    }, timeoutMs);
    const onData = () => {
      // JSON logs carry the port as a field; development's readable lines say it in the message.
      const port = /is listening on http:\/\/[^\s:]+:(\d+)/.exec(output.stdout())?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(`http://127.0.0.1:${port}`);
    };
    child.stdout?.on('data', onData);
    void output.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the server exited during start-up (code ${exit.code}):\n${exit.stdout}${exit.stderr}`));
    });
  });

  return {
    baseUrl,
    child,
    stdout: output.stdout,
    logLines: () => parseLines(output.stdout()),
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode === null && child.signalCode === null) {
        if (launch.group) process.kill(-child.pid!, signal);
        else child.kill(signal);
      }
      const exit = await output.exited;
      return { ...exit, elapsedMs: Date.now() - started };
    },
  };
}
