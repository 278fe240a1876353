/**
 * A background round run every `intervalMs`, never two at once (a round still running when the next
 * is due is not doubled). A failed round is reported and the next one runs as planned.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(intervalMs: number, options: { immediately?: boolean } = {}): void {
    const tick = () => {
      this.running ??= this.round()
        .then(() => undefined, this.onError)
        .finally(() => (this.running = undefined));
    };
    if (options.immediately === true) setImmediate(tick);
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** Stops the rounds and waits for the one running, if any. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
