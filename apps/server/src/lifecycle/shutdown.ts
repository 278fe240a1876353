/**
 * The first part of a graceful stop, run before Nest closes anything: the instance says it is not
 * ready (load balancers stop sending it traffic), then each step registered here runs in turn, by
 * phase (collab sockets told to reconnect elsewhere and their updates stored, then pending
 * projections written). Nest's own shutdown comes after: it closes HTTP, GraphQL (whose
 * drain ends every idle socket, upgraded WebSockets included, so sockets must be closed before it)
 * and the database.
 */
export enum DrainPhase {
  /** What clients send stops arriving, and what was accepted is stored. */
  Intake = 1,
  /** What was stored is carried on (projections). */
  Followers = 2,
}

export class Shutdown {
  private readonly steps: { phase: DrainPhase; name: string; run: () => Promise<void> }[] = [];
  private draining: Promise<void> | null = null;

  /** Whether the drain has begun: readiness answers 503 from then on. */
  get started(): boolean {
    return this.draining !== null;
  }

  /** Adds a step; steps run once, phase by phase. */
  onDrain(phase: DrainPhase, name: string, run: () => Promise<void>): void {
    this.steps.push({ phase, name, run });
  }

  /** Runs every step once (a second call waits for the first); a failed step does not stop the rest. */
  drain(onError: (step: string, error: unknown) => void = () => undefined): Promise<void> {
    this.draining ??= (async () => {
      for (const step of [...this.steps].sort((a, b) => a.phase - b.phase)) {
        try {
          await step.run();
        } catch (error) {
          onError(step.name, error);
        }
      }
    })();
    return this.draining;
  }
}
