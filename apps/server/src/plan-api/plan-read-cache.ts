import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../access/auth-context.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';
import { PlanEvents } from '../events/plan-events.js';

/** Reads kept at most (a page of 100 plans weighs a few hundred KiB); the least recently used go first. */
const MAX_ENTRIES = 200;

interface Entry {
  readonly generation: string;
  readonly value: Promise<unknown>;
}

/**
 * What dashboards read again and again (plan lists, the portfolio, next milestones), kept in memory
 * until a plan of the organization changes. An entry remembers the organization's generation
 * (PlanEvents) it was read under and serves only while that generation holds. A change moves the
 * generation before the write that made it returns, on every instance (through Redis when several
 * run), so nobody reads a state older than their own last write; entries are keyed by organization,
 * and reads that depend on the caller by user, role and scopes too, so nobody reads another's.
 * When the generation cannot be known (Redis away) every read goes to the database.
 *
 * A value is shared by the requests that read it: callers never change it.
 */
@Injectable()
export class PlanReadCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly planEvents: PlanEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A read whose answer depends on who asks (what they may see, their role on each plan). */
  forCaller<T>(auth: AuthContext, what: string, args: unknown, compute: () => Promise<T>): Promise<T> {
    if (auth.organizationId === null) return compute();
    return this.read(auth.organizationId, [auth.userId, auth.orgRole, auth.scopes, what, args], compute);
  }

  /** A read that is the same for everyone in the organization who may ask it. */
  forOrganization<T>(organizationId: string, what: string, args: unknown, compute: () => Promise<T>): Promise<T> {
    return this.read(organizationId, [what, args], compute);
  }

  private async read<T>(organizationId: string, key: unknown[], compute: () => Promise<T>): Promise<T> {
    if (!this.config.readCache) return compute();
    const generation = await this.planEvents.generation(organizationId);
    if (generation === null) return compute();
    const id = JSON.stringify([organizationId, ...key]);
    const known = this.entries.get(id);
    if (known !== undefined && known.generation === generation) {
      // Most recently used last: the first entry is the one to drop.
      this.entries.delete(id);
      this.entries.set(id, known);
      return known.value as Promise<T>;
    }
    const value = compute();
    this.entries.set(id, { generation, value });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    // A failed read is not kept: the next caller tries again.
    value.catch(() => {
      if (this.entries.get(id)?.value === value) this.entries.delete(id);
    });
    return value;
  }
}
