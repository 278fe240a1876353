import { Inject, Injectable } from '@nestjs/common';
import {
  applyTemplate,
  type CollectionName,
  createEntry,
  dayOf,
  deleteEntry,
  findTemplate,
  initializePlan,
  isIsoDate,
  moveEntry,
  NewerSchemaError,
  PlanInputError,
  UnknownEntryError,
  updateEntry,
  updateMeta,
} from '@bascule/plan-model';
import * as Y from 'yjs';
import type { AuthContext } from '../access/auth-context.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { AppError } from '../common/errors.js';
import { CLOCK, type Clock } from '../core.module.js';
import { ProjectionService } from '../projection/projection.service.js';
import type { PlanEntity, PlanRole } from './entities.js';
import { canWrite, PlansService } from './plans.service.js';

type Values = Record<string, unknown>;

/** Only the fields a caller gave: GraphQL leaves the others undefined, which means "unchanged". */
const given = (input: object): Values =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));

/** The document's own errors, as the client sees them. */
function asAppError(error: unknown): unknown {
  if (error instanceof PlanInputError)
    return new AppError('BAD_USER_INPUT', `${error.field} ${error.reason}.`, { field: error.field });
  if (error instanceof UnknownEntryError) return new AppError('NOT_FOUND', `There is ${error.message}.`);
  if (error instanceof NewerSchemaError)
    return new AppError('CONFLICT', `${error.message}; upgrade Bascule to edit it.`);
  return error;
}

/**
 * Every change to plan content made through the API: as a Yjs transaction by the caller on the live
 * document (so open browsers see it at once, and it is stored, fanned out and projected like an
 * editor's), then projected before returning (read-your-writes).
 */
@Injectable()
export class PlanEditService {
  constructor(
    private readonly plans: PlansService,
    private readonly documents: PlanDocumentService,
    private readonly projection: ProjectionService,
    private readonly catalog: CatalogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createPlan(
    auth: AuthContext,
    organizationId: string,
    input: { title: string; defaultMemberRole: PlanRole | null; fields: object },
  ): Promise<PlanEntity> {
    const meta = { ...given(input.fields), title: input.title };
    await this.checkReferences(organizationId, meta);
    // Validate on a scratch document first: a plan with bad content is never registered.
    this.withDocumentErrors(() => initializePlan(new Y.Doc(), meta));
    const plan = await this.plans.create(auth, organizationId, input);
    await this.documents.change(plan.id, auth.userId, (doc) => initializePlan(doc, meta));
    await this.projection.projectNow(plan.id);
    return plan;
  }

  async createFromTemplate(
    auth: AuthContext,
    organizationId: string,
    input: { templateId: string; title: string; startDate: string; defaultMemberRole: PlanRole | null },
  ): Promise<PlanEntity> {
    const template = findTemplate(input.templateId);
    if (template === undefined)
      throw new AppError('NOT_FOUND', `There is no template ${input.templateId}.`, { field: 'templateId' });
    if (!isIsoDate(input.startDate))
      throw new AppError('BAD_USER_INPUT', 'startDate must be a date written YYYY-MM-DD.', { field: 'startDate' });
    const plan = await this.plans.create(auth, organizationId, input);
    await this.documents.change(plan.id, auth.userId, (doc) =>
      applyTemplate(doc, template, { title: input.title, startDate: input.startDate }),
    );
    await this.projection.projectNow(plan.id);
    return plan;
  }

  async updatePlan(auth: AuthContext, planId: string, patch: object): Promise<void> {
    const values = given(patch);
    await this.edit(auth, planId, values, (doc) => updateMeta(doc, values));
  }

  async createEntry(auth: AuthContext, planId: string, collection: CollectionName, input: object): Promise<string> {
    const values = given(input);
    return this.edit(auth, planId, values, (doc) => createEntry(doc, collection, values, { today: this.today() }));
  }

  async updateEntry(
    auth: AuthContext,
    planId: string,
    collection: CollectionName,
    id: string,
    patch: object,
  ): Promise<void> {
    const values = given(patch);
    await this.edit(auth, planId, values, (doc) => updateEntry(doc, collection, id, values, { today: this.today() }));
  }

  async deleteEntry(auth: AuthContext, planId: string, collection: CollectionName, id: string): Promise<void> {
    await this.edit(auth, planId, {}, (doc) => deleteEntry(doc, collection, id));
  }

  async moveEntry(
    auth: AuthContext,
    planId: string,
    collection: CollectionName,
    id: string,
    index: number,
  ): Promise<void> {
    await this.edit(auth, planId, {}, (doc) => moveEntry(doc, collection, id, index));
  }

  private today(): string {
    return dayOf(this.clock.now());
  }

  private async edit<T>(auth: AuthContext, planId: string, values: Values, change: (doc: Y.Doc) => T): Promise<T> {
    const { plan, role } = await this.plans.require(auth, planId, 'VIEWER');
    if (!canWrite(role)) throw new AppError('FORBIDDEN', 'You may read this plan but not change it.');
    await this.checkReferences(plan.organizationId, values);
    let result: T;
    try {
      result = await this.documents.change(planId, auth.userId, change);
    } catch (error) {
      throw asAppError(error);
    }
    await this.projection.projectNow(planId);
    return result;
  }

  private withDocumentErrors(work: () => void): void {
    try {
      work();
    } catch (error) {
      throw asAppError(error);
    }
  }

  /** Offers and frameworks named in an input must be in the organization's catalog. */
  private async checkReferences(organizationId: string, values: Values): Promise<void> {
    const offer = values.targetOfferId;
    if (typeof offer === 'string' && (await this.catalog.offer(organizationId, offer)) === null)
      throw new AppError('BAD_USER_INPUT', `targetOfferId ${offer} is not in your catalog.`, {
        field: 'targetOfferId',
      });
    const framework = values.framework;
    if (
      typeof framework === 'string' &&
      !(await this.catalog.frameworks(organizationId)).some((entry) => entry.id === framework)
    )
      throw new AppError('BAD_USER_INPUT', `framework ${framework} is not in your catalog.`, { field: 'framework' });
  }
}
