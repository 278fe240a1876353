import { Inject, Injectable } from '@nestjs/common';
import {
  ENTITY_FIELDS,
  applyInventory,
  applyTemplate,
  type BaselineContent,
  type CollectionName,
  createEntry,
  dayOf,
  deleteEntry,
  findTemplate,
  GovernanceError,
  governedChange,
  initializePlan,
  isIsoDate,
  moveEntry,
  NewerSchemaError,
  type InventoryPreview,
  type Language,
  PlanInputError,
  previewInventory,
  readPlan,
  type RefusalCode,
  restoreBaseline,
  UnknownEntryError,
  updateEntry,
  updateMeta,
} from '@bascule/plan-model';
import type { ChangeAuthor } from '@bascule/collab';
import * as Y from 'yjs';
import type { AuthContext } from '../access/auth-context.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { AppError, assertNever, type ErrorCode } from '../common/errors.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { ChangeLog } from '../changes/change-log.js';
import { actorOf, auditEventsOf } from '../changes/change-record.js';
import { AccountsService } from '../identity/accounts.service.js';
import { ProjectionService } from '../projection/projection.service.js';
import type { PlanEntity, PlanRole } from '../plans/entities.js';
import { inventoryRecords } from './inventory-import.js';
import { canWrite, PlansService } from '../plans/plans.service.js';

type Values = Record<string, unknown>;

/** Input fields that name members of the organization (user ids): a runbook task's owner and approvers. */
const MEMBER_FIELDS = ['ownerId', 'approverIds'] as const;

/** Only the fields a caller gave: GraphQL leaves the others undefined, which means "unchanged". */
const given = (input: object): Values =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));

/** How the API refuses a change that breaks a governance rule. */
function codeOfRule(rule: RefusalCode): ErrorCode {
  switch (rule) {
    case 'APPROVAL_REQUIRED':
    case 'APPROVAL_FORGED':
    case 'SERVER_FIELD':
    case 'TASK_ACTOR':
    case 'VOTE_REFUSED':
    case 'COMMENT_REFUSED':
      return 'FORBIDDEN';
    case 'GATE_BLOCKED':
    case 'TASK_ORDER':
      return 'CONFLICT';
    case 'JUSTIFICATION_REQUIRED':
    case 'REASON_REQUIRED':
    case 'DATE_ORDER':
      return 'BAD_USER_INPUT';
    default:
      return assertNever(rule);
  }
}

/** The document's own errors, as the client sees them. */
function asAppError(error: unknown): unknown {
  if (error instanceof PlanInputError)
    return new AppError('BAD_USER_INPUT', `${error.field} ${error.reason}.`, { field: error.field });
  if (error instanceof UnknownEntryError) return new AppError('NOT_FOUND', `There is ${error.message}.`);
  if (error instanceof NewerSchemaError)
    return new AppError('CONFLICT', `${error.message}; upgrade Bascule to edit it.`);
  if (error instanceof GovernanceError) {
    const [first] = error.refusals;
    return new AppError(first === undefined ? 'FORBIDDEN' : codeOfRule(first.code), `${error.message}.`, {
      rule: first?.code,
      entryId: first?.entryId,
      related: first?.related ?? [],
    });
  }
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
    private readonly accounts: AccountsService,
    private readonly changes: ChangeLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Who the caller is in the plan's history: the user (or API token) as authenticated, with its plan role. */
  async authorOf(auth: AuthContext, role: PlanRole | null): Promise<ChangeAuthor> {
    const name = (await this.accounts.callerName(auth)) ?? auth.userId;
    return auth.principal === 'apiToken'
      ? { kind: 'apiToken', userId: auth.userId, apiTokenId: auth.apiTokenId, name, role }
      : { kind: 'user', userId: auth.userId, apiTokenId: null, name, role };
  }

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
    await this.documents.change(plan.id, await this.authorOf(auth, 'OWNER'), (doc) => initializePlan(doc, meta));
    await this.projection.projectNow(plan.id);
    return plan;
  }

  async createFromTemplate(
    auth: AuthContext,
    organizationId: string,
    input: {
      templateId: string;
      title: string;
      startDate: string;
      defaultMemberRole: PlanRole | null;
      language: Language;
    },
  ): Promise<PlanEntity> {
    const template = findTemplate(input.templateId);
    if (template === undefined)
      throw new AppError('NOT_FOUND', `There is no template ${input.templateId}.`, { field: 'templateId' });
    if (!isIsoDate(input.startDate))
      throw new AppError('BAD_USER_INPUT', 'startDate must be a date written YYYY-MM-DD.', { field: 'startDate' });
    const plan = await this.plans.create(auth, organizationId, input);
    await this.documents.change(plan.id, await this.authorOf(auth, 'OWNER'), (doc) =>
      applyTemplate(doc, template, { title: input.title, startDate: input.startDate, language: input.language }),
    );
    await this.projection.projectNow(plan.id);
    return plan;
  }

  async updatePlan(auth: AuthContext, planId: string, patch: object): Promise<void> {
    const values = given(patch);
    await this.edit(auth, planId, values, (doc) => updateMeta(doc, values));
  }

  async createEntry(auth: AuthContext, planId: string, collection: CollectionName, input: object): Promise<string> {
    const values = await this.withOwnerName(collection, given(input));
    return this.edit(auth, planId, values, (doc) => createEntry(doc, collection, values, { today: this.today() }));
  }

  async updateEntry(
    auth: AuthContext,
    planId: string,
    collection: CollectionName,
    id: string,
    patch: object,
  ): Promise<void> {
    const values = await this.withOwnerName(collection, given(patch));
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

  /**
   * Brings the plan back to a baseline's content, as one change by the caller on top (plan OWNER):
   * under the governance rules like any other change, so a restore cannot close a gated milestone
   * or approve for someone who may not.
   */
  async restore(auth: AuthContext, planId: string, content: BaselineContent): Promise<void> {
    await this.plans.require(auth, planId, 'OWNER');
    await this.edit(auth, planId, {}, (doc) => restoreBaseline(doc, content));
  }

  /** What importing this inventory would do, row by row; nothing is written. */
  async previewInventory(auth: AuthContext, planId: string, csv: string): Promise<InventoryPreview> {
    const { records, isKnownOffer } = await this.inventoryOf(auth, planId, csv);
    return this.documents.inspect(planId, (doc) => previewInventory(records, readPlan(doc).workloads, isKnownOffer));
  }

  /** An inventory file's records, and the catalog its targets are checked against. */
  private async inventoryOf(auth: AuthContext, planId: string, csv: string) {
    const { plan } = await this.plans.require(auth, planId, 'VIEWER');
    const records = inventoryRecords(csv);
    const offers = new Set((await this.catalog.offers(plan.organizationId)).map((offer) => offer.id));
    return { records, isKnownOffer: (id: string) => offers.has(id) };
  }

  /**
   * Imports an inventory's valid rows as one change by the caller (rows with errors are left out),
   * checked again on the document as it is when the change is made.
   */
  async importInventory(auth: AuthContext, planId: string, csv: string) {
    const { records, isKnownOffer } = await this.inventoryOf(auth, planId, csv);
    return this.edit(auth, planId, {}, (doc) => {
      const existing = readPlan(doc).workloads;
      const preview = previewInventory(records, existing, isKnownOffer);
      if (preview.fileErrors.length > 0)
        throw new AppError('BAD_USER_INPUT', preview.fileErrors.join('; '), { field: 'csv' });
      return applyInventory(doc, preview, existing);
    });
  }

  /**
   * An owner given as a member is shown by name (reports, exports), and taken away with their name,
   * unless the caller names the owner otherwise.
   */
  private async withOwnerName(collection: CollectionName, values: Values): Promise<Values> {
    if (!('ownerId' in values) || 'owner' in values || !('owner' in ENTITY_FIELDS[collection])) return values;
    if (values.ownerId === null) return { ...values, owner: null };
    const member = typeof values.ownerId === 'string' ? await this.accounts.findUser(values.ownerId) : null;
    return member === null ? values : { ...values, owner: member.displayName };
  }

  private today(): string {
    return dayOf(this.clock.now());
  }

  /**
   * Runs `change` on the plan's live document as the caller (a writing role on the plan), under the
   * governance rules: a change that breaks one is refused whole, recorded in the audit trail, and
   * thrown as an AppError with its rule. `values` are the caller's input, whose references (catalog
   * entries, members) are checked first. Resolves once the change is stored and projected. With
   * `readersMay` (the conversation), a reader of the plan may make it too, through a token that may write.
   */
  async edit<T>(
    auth: AuthContext,
    planId: string,
    values: Values,
    change: (doc: Y.Doc) => T,
    options: { readonly readersMay?: true } = {},
  ): Promise<T> {
    const { plan, role } = await this.plans.require(auth, planId, 'VIEWER');
    const may = options.readersMay === true ? auth.scopes.includes('write') : canWrite(role);
    if (!may) throw new AppError('FORBIDDEN', 'You may read this plan but not change it.');
    await this.checkReferences(plan.organizationId, values);
    const author = await this.authorOf(auth, role);
    let result: T;
    try {
      result = await this.documents.change(planId, author, (doc) =>
        governedChange(doc, actorOf(author), this.clock.now().toISOString(), change),
      );
    } catch (error) {
      if (error instanceof GovernanceError)
        await this.changes.recordPromptly({
          planId,
          updateId: null,
          events: auditEventsOf(planId, author, [], error.refusals, this.clock.now()),
          messages: [],
        });
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

  /** Offers and frameworks named in an input must be in the organization's catalog, members in the organization. */
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
    for (const field of MEMBER_FIELDS) {
      const value = values[field];
      for (const userId of typeof value === 'string' ? [value] : Array.isArray(value) ? value : [])
        if (typeof userId !== 'string' || (await this.accounts.membership(organizationId, userId)) === null)
          throw new AppError('BAD_USER_INPUT', `${field}: ${String(userId)} is not a member of your organization.`, {
            field,
          });
    }
  }
}
