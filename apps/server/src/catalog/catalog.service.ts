import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Language, type OfferFacts, pick, type QualificationStatus } from '@bascule/plan-model';
import { DataSource, type EntityTarget, IsNull } from 'typeorm';
import { AppError } from '../common/errors.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { CatalogFrameworkEntity, CatalogOfferEntity, type FrameworkRequirement } from './entities.js';
import { FRAMEWORK_SEEDS, type FrameworkSeed, OFFER_SEEDS } from './catalog.seed.js';

export type OfferInput = Omit<CatalogOfferEntity, 'rowId' | 'organizationId' | 'version' | 'updatedBy' | 'updatedAt'>;
export type FrameworkInput = Omit<
  CatalogFrameworkEntity,
  'rowId' | 'organizationId' | 'version' | 'updatedBy' | 'updatedAt'
>;

type CatalogEntity = CatalogOfferEntity | CatalogFrameworkEntity;

/** An organization's row replaces the built-in one with the same id. */
function merge<T extends CatalogEntity>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) if (row.organizationId === null) byId.set(row.id, row);
  for (const row of rows) if (row.organizationId !== null) byId.set(row.id, row);
  return [...byId.values()];
}

/** Built-in rows are stored in English; readers get them in their own language. */
const STORED_LANGUAGE: Language = 'en';

const offerSeeds = new Map(OFFER_SEEDS.map((seed) => [seed.id, seed]));
const frameworkSeeds = new Map(FRAMEWORK_SEEDS.map((seed) => [seed.id, seed]));

/**
 * A built-in offer in `language`: its texts from the seed it was stored from (same version). An
 * organization's own row is its admins' text, shown as they wrote it.
 */
export function localizeOffer(row: CatalogOfferEntity, language: Language): CatalogOfferEntity {
  const seed = offerSeeds.get(row.id);
  if (row.organizationId !== null || seed === undefined || seed.version !== row.version) return row;
  return { ...row, notes: pick(seed.notes, language) };
}

/** A built-in framework in `language` (see localizeOffer). */
export function localizeFramework(row: CatalogFrameworkEntity, language: Language): CatalogFrameworkEntity {
  const seed = frameworkSeeds.get(row.id);
  if (row.organizationId !== null || seed === undefined || seed.version !== row.version) return row;
  return { ...row, name: pick(seed.name, language), requirements: requirementsOf(seed, language) };
}

const requirementsOf = (seed: FrameworkSeed, language: Language): FrameworkRequirement[] =>
  seed.requirements.map((requirement) => ({
    code: requirement.code,
    title: pick(requirement.title, language),
    description: pick(requirement.description, language),
  }));

export function offerFacts(offer: CatalogOfferEntity): OfferFacts {
  return {
    id: offer.id,
    name: offer.name,
    secNumCloud: offer.secNumCloudStatus as QualificationStatus,
    expectedQualification: offer.expectedQualification,
    hds: offer.hds,
  };
}

/**
 * Target offers and compliance frameworks. Built-in rows come from catalog.seed.ts; an organization
 * admin's edit makes the organization its own copy (version counted up from the built-in one), so
 * one tenant's edits never reach another.
 */
@Injectable()
export class CatalogService implements OnApplicationBootstrap {
  private readonly offerListeners = new Set<(organizationId: string) => Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureBuiltins();
  }

  /** Inserts missing built-in rows and updates those whose seed has a newer version. Safe on several instances. */
  async ensureBuiltins(): Promise<void> {
    const now = this.clock.now();
    const common = { organizationId: null, updatedBy: null, updatedAt: now };
    await this.upsertBuiltins(
      CatalogOfferEntity,
      OFFER_SEEDS.map((seed) => ({ ...seed, notes: pick(seed.notes, STORED_LANGUAGE), ...common })),
    );
    await this.upsertBuiltins(
      CatalogFrameworkEntity,
      FRAMEWORK_SEEDS.map((seed) => ({
        ...seed,
        name: pick(seed.name, STORED_LANGUAGE),
        requirements: requirementsOf(seed, STORED_LANGUAGE),
        ...common,
      })),
    );
  }

  private async upsertBuiltins<T extends CatalogEntity>(
    target: EntityTarget<T>,
    seeds: readonly Omit<T, 'rowId'>[],
  ): Promise<void> {
    const repository = this.dataSource.getRepository(target);
    const existing = new Map(
      (await repository.find({ where: { organizationId: IsNull() } as never })).map((row) => [row.id, row]),
    );
    for (const seed of seeds) {
      const current = existing.get(seed.id);
      if (current === undefined)
        await repository
          .createQueryBuilder()
          .insert()
          .values({ ...seed, rowId: randomUUID() } as never)
          .orIgnore()
          .execute();
      else if (current.version < seed.version)
        await repository.update({ rowId: current.rowId } as never, seed as never);
    }
  }

  async offers(organizationId: string): Promise<CatalogOfferEntity[]> {
    const rows = await this.rowsFor(CatalogOfferEntity, organizationId);
    return rows.sort((a, b) => a.provider.localeCompare(b.provider) || a.name.localeCompare(b.name));
  }

  async offer(organizationId: string, id: string): Promise<CatalogOfferEntity | null> {
    return (await this.rowsFor(CatalogOfferEntity, organizationId, id))[0] ?? null;
  }

  async frameworks(organizationId: string): Promise<CatalogFrameworkEntity[]> {
    const rows = await this.rowsFor(CatalogFrameworkEntity, organizationId);
    return rows.sort((a, b) => a.id.localeCompare(b.id));
  }

  private async rowsFor<T extends CatalogEntity>(
    target: EntityTarget<T>,
    organizationId: string,
    id?: string,
  ): Promise<T[]> {
    const rows = await this.dataSource.getRepository(target).find({
      where: [
        { organizationId: IsNull(), ...(id === undefined ? {} : { id }) },
        { organizationId, ...(id === undefined ? {} : { id }) },
      ] as never,
    });
    return merge(rows);
  }

  saveOffer(organizationId: string, userId: string | null, input: OfferInput): Promise<CatalogOfferEntity> {
    return this.save(CatalogOfferEntity, organizationId, userId, input);
  }

  /**
   * Calls `listener` whenever an organization's offers changed (the read model re-assesses its
   * plans); returns an unsubscribe.
   */
  onOffersChanged(listener: (organizationId: string) => Promise<void>): () => void {
    this.offerListeners.add(listener);
    return () => this.offerListeners.delete(listener);
  }

  /** Tells those following the catalog that an organization's offers changed; resolves once they are done. */
  async offersChanged(organizationId: string): Promise<void> {
    await Promise.all([...this.offerListeners].map((listener) => listener(organizationId)));
  }

  saveFramework(organizationId: string, userId: string | null, input: FrameworkInput): Promise<CatalogFrameworkEntity> {
    return this.save(CatalogFrameworkEntity, organizationId, userId, input);
  }

  /** Creates or replaces the organization's version of an entry; its version goes up by one. */
  private async save<T extends CatalogEntity>(
    target: EntityTarget<T>,
    organizationId: string,
    userId: string | null,
    input: Omit<T, 'rowId' | 'organizationId' | 'version' | 'updatedBy' | 'updatedAt'>,
  ): Promise<T> {
    const repository = this.dataSource.getRepository(target);
    const [current] = await this.rowsFor(target, organizationId, input.id);
    const row = {
      ...input,
      organizationId,
      version: (current?.version ?? 0) + 1,
      updatedBy: userId,
      updatedAt: this.clock.now(),
    };
    if (current?.organizationId === organizationId) {
      await repository.update({ rowId: current.rowId } as never, row as never);
      return { ...current, ...row } as T;
    }
    const created = { ...row, rowId: randomUUID() } as unknown as T;
    try {
      await repository.insert(created as never);
    } catch {
      throw new AppError('CONFLICT', `${input.id} was changed at the same time; try again.`, { field: 'id' });
    }
    return created;
  }
}

export type { FrameworkRequirement };
