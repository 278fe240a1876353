/** Background work started and not yet finished, to wait for at shutdown. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Keeps `work` until it settles; errors are the caller's to handle (catch before tracking). */
  track(work: Promise<unknown>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Resolves once everything tracked so far has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
