import { Injectable } from '@nestjs/common';

/**
 * Governance corrections under way, per plan. Whatever reads a plan to change it by itself (upkeep)
 * waits for them first: it would otherwise act on what a correction is about to put right (an
 * `automatic` marker forged by a raw client, taken for one of Bascule's own risks).
 */
@Injectable()
export class PendingCorrections {
  private readonly byPlan = new Map<string, Set<Promise<unknown>>>();

  /** Keeps `work` until it settles; errors are the caller's to handle (catch before tracking). */
  track(planId: string, work: Promise<unknown>): void {
    const pending = this.byPlan.get(planId) ?? new Set<Promise<unknown>>();
    this.byPlan.set(planId, pending);
    pending.add(work);
    void work.finally(() => {
      pending.delete(work);
      if (pending.size === 0 && this.byPlan.get(planId) === pending) this.byPlan.delete(planId);
    });
  }

  /** Resolves once the corrections of the plan (of every plan, without one) tracked so far have settled. */
  async settled(planId?: string): Promise<void> {
    const sets = planId === undefined ? [...this.byPlan.values()] : [this.byPlan.get(planId) ?? new Set()];
    await Promise.allSettled(sets.flatMap((pending) => [...pending]));
  }
}
