import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { PLAN_TEMPLATES, RUNBOOK_STAGES, RUNBOOK_TEMPLATES } from '@bascule/plan-model';

/** Items of a paged list when `first` is omitted and the schema gives no default (PageArgs). */
export const DEFAULT_FIRST = 100;

/** Paged lists whose resolver takes fewer items when `first` is omitted. */
export const OMITTED_FIRST: Readonly<Record<string, number>> = {
  'Query.auditEvents': 50,
  'Query.mailDeliveries': 50,
  'Query.webhookDeliveries': 50,
};

/** A plan's entries in a list computed from them (critical path, waves...): as many as a default page. */
const PLAN_ENTRIES = 100;

/** Loading a plan's live document reads its snapshot and updates and decodes them whole. */
export const DOCUMENT_WEIGHT = 1_000;

/**
 * Work a field does besides its rows, counted once where it appears (per parent in a list): a
 * plan's live document loaded, every plan read for the portfolio (counted as a full page), or the
 * organization's members read to find who may read a plan (one statement per plan, not batched).
 */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  'Plan.runbooks': DOCUMENT_WEIGHT,
  'Plan.commentThreads': DOCUMENT_WEIGHT,
  'Plan.mentionable': DOCUMENT_WEIGHT,
  'Query.runbook': DOCUMENT_WEIGHT,
  'Query.compareBaselines': DOCUMENT_WEIGHT,
  'Query.portfolio': 500,
  'Subscription.portfolioChanged': 500,
};

/**
 * The most items of each list that takes no `first`: the server's own cap where it has one (first
 * group), otherwise a size assumed for a large plan or organization (second group). A list missing
 * here counts as UNDECLARED_LIST_SIZE; query-cost.spec.ts requires every list of the schema here.
 */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  // Capped by the server, or one per value of an enumeration.
  'ComplianceFramework.requirements': 200,
  'EntryDifference.fields': 12,
  'InventoryImportPreview.rows': 10_000,
  'NotificationSettings.preferences': 8,
  'Plan.baselines': 500,
  'Plan.eligibility': 6,
  'PlanDifference.meta': 9,
  'Portfolio.byRag': 3,
  'Portfolio.byStatus': 5,
  'Portfolio.overdueMilestones': 20,
  'Portfolio.topRisks': 10,
  'Query.apiTokens': 200,
  'Query.assignedToMe': 600,
  'Query.runbookTemplates': RUNBOOK_TEMPLATES.length,
  'Query.templates': PLAN_TEMPLATES.length,
  'Query.webhookEndpoints': 50,
  'RehearsalComparison.stages': RUNBOOK_STAGES.length,
  'Runbook.stages': RUNBOOK_STAGES.length,
  'RunbookTask.blockers': 5,
  // Assumed: a plan's entries in a computed list, as many as a default page.
  'CollectionDifference.added': PLAN_ENTRIES,
  'CollectionDifference.changed': PLAN_ENTRIES,
  'CollectionDifference.removed': PLAN_ENTRIES,
  'CriticalPath.conflicts': PLAN_ENTRIES,
  'CriticalPath.milestones': PLAN_ENTRIES,
  'DependencyCycle.workloads': 20,
  'Plan.inventoryEligibility': PLAN_ENTRIES,
  'Plan.slipPreview': PLAN_ENTRIES,
  'Plan.validationIssues': PLAN_ENTRIES,
  'Wave.workloads': PLAN_ENTRIES,
  'WavePlan.cycles': 10,
  'WavePlan.waves': 20,
  // Assumed: runbooks, conversations, people and the catalog of a large organization.
  'Catalog.frameworks': 20,
  'Catalog.offers': 100,
  'CommentThread.replies': 50,
  'Plan.members': 20,
  'Plan.mentionable': 100,
  'Plan.readinessByFramework': 20,
  'Plan.runbooks': 10,
  'Portfolio.milestonesByMonth': 60,
  'Portfolio.readinessByFramework': 20,
  'Query.sessions': 50,
  'RehearsalComparison.tasks': 100,
  'Runbook.tasks': 100,
  'Runbook.votes': 100,
  'RunbookTask.gates': 20,
  'Viewer.organizations': 20,
};

/** A list of objects that takes no `first` and is not in LIST_SIZES: counted as the largest page. */
export const UNDECLARED_LIST_SIZE = 500;

export interface CostedRequest {
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>> | null;
}

/** Where a selection is: a connection's (its edges hold `rows` items), an edge's, or any other. */
type Place = { readonly rows: number } | 'edge' | undefined;

/**
 * How many rows (objects) a valid operation may read and answer, as docs/api.md counts them: an
 * object counts 1; a list counts its items times (1 + what each item selects), its items being its
 * `first` (or default), or its LIST_SIZES bound; a connection's edges hold its `first` items and an
 * edge and its node are one row; scalars count nothing; FIELD_WEIGHTS adds the heavier reads.
 * Fields are merged by response key and each fragment is counted once per selection, as GraphQL
 * executes them; @skip and @include and `first: $variable` are read with the request's variables.
 * Introspection is free.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, request: CostedRequest = {}): number {
  const operation = operationOf(document, request.operationName ?? null);
  const root = operation === undefined ? undefined : schema.getRootType(operation.operation);
  if (operation === undefined || root === undefined || root === null) return 0;
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  // Variables that do not coerce fail the operation before anything is read: count without them.
  const variables =
    getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}).coerced ?? {};
  const cost = new CostWalk(schema, fragments, variables).selection(root, [operation.selectionSet], undefined);
  return Math.min(cost, Number.MAX_SAFE_INTEGER);
}

function operationOf(document: DocumentNode, name: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (name === null) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((operation) => operation.name?.value === name);
}

class CostWalk {
  /** Costs of merged selections already walked: a fragment spread in many places is walked once. */
  private readonly known = new Map<string, number>();
  private readonly ids = new Map<SelectionSetNode, number>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: Readonly<Record<string, unknown>>,
  ) {}

  selection(type: GraphQLObjectType, sets: readonly SelectionSetNode[], place: Place): number {
    const key = `${type.name}:${place === undefined ? '' : place === 'edge' ? 'edge' : place.rows}:${sets.map((set) => this.idOf(set)).join(',')}`;
    const known = this.known.get(key);
    if (known !== undefined) return known;
    let cost = 0;
    for (const nodes of this.collect(type, sets).values()) cost += this.field(type, nodes, place);
    this.known.set(key, cost);
    return cost;
  }

  private field(parent: GraphQLObjectType, nodes: readonly FieldNode[], place: Place): number {
    const [node] = nodes;
    // Introspection fields (__typename, __schema, __type) are not among the type's fields: free.
    const field = node === undefined ? undefined : parent.getFields()[node.name.value];
    if (node === undefined || field === undefined) return 0;
    const coordinate = `${parent.name}.${field.name}`;
    const weight = FIELD_WEIGHTS[coordinate] ?? 0;
    const item = getNamedType(field.type);
    if (isLeafType(item)) return weight;
    const sets = nodes.flatMap((found) => (found.selectionSet === undefined ? [] : [found.selectionSet]));
    const rows = this.firstOf(field, node, coordinate);
    if (isListType(getNullableType(field.type))) {
      // A connection's edges hold the items its `first` asked for, each an edge and its node.
      const connection = rows === undefined && place !== undefined && place !== 'edge' ? place : undefined;
      const items = rows ?? connection?.rows ?? LIST_SIZES[coordinate] ?? UNDECLARED_LIST_SIZE;
      return weight + items * (1 + this.of(item, sets, connection === undefined ? undefined : 'edge'));
    }
    if (rows !== undefined) return weight + 1 + this.of(item, sets, { rows });
    return weight + (place === 'edge' ? 0 : 1) + this.of(item, sets, undefined);
  }

  /** The cost of what is selected on an object, or on the costliest type an abstract one may be. */
  private of(type: GraphQLNamedType, sets: readonly SelectionSetNode[], place: Place): number {
    if (isObjectType(type)) return this.selection(type, sets, place);
    if (!isAbstractType(type)) return 0;
    return Math.max(0, ...this.schema.getPossibleTypes(type).map((possible) => this.selection(possible, sets, place)));
  }

  /** The `first` a field is given, its default when omitted; undefined for a field without one. */
  private firstOf(field: GraphQLField<unknown, unknown>, node: FieldNode, coordinate: string): number | undefined {
    if (!field.args.some((argument) => argument.name === 'first')) return undefined;
    let first: unknown;
    try {
      first = getArgumentValues(field, node, this.variables).first;
    } catch {
      // An argument that does not coerce fails the operation before anything is read.
      first = undefined;
    }
    return typeof first === 'number' ? Math.max(0, first) : (OMITTED_FIRST[coordinate] ?? DEFAULT_FIRST);
  }

  /** The fields of merged selections by response key, each fragment visited once, as GraphQL executes them. */
  private collect(type: GraphQLObjectType, sets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
    const fields = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    const visit = (set: SelectionSetNode): void => {
      for (const selection of set.selections) {
        if (!this.included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          fields.set(key, [...(fields.get(key) ?? []), selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition?.name.value, type)) visit(selection.selectionSet);
        } else if (!visited.has(selection.name.value)) {
          visited.add(selection.name.value);
          const fragment = this.fragments.get(selection.name.value);
          if (fragment !== undefined && this.applies(fragment.typeCondition.name.value, type))
            visit(fragment.selectionSet);
        }
      }
    };
    for (const set of sets) visit(set);
    return fields;
  }

  private included(selection: SelectionNode): boolean {
    try {
      if (getDirectiveValues(GraphQLSkipDirective, selection, this.variables)?.if === true) return false;
      return getDirectiveValues(GraphQLIncludeDirective, selection, this.variables)?.if !== false;
    } catch {
      // A condition whose variable does not coerce fails the operation: counted as included.
      return true;
    }
  }

  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (condition === undefined || condition === type.name) return true;
    const conditional = this.schema.getType(condition);
    return conditional !== undefined && isAbstractType(conditional) && this.schema.isSubType(conditional, type);
  }

  private idOf(set: SelectionSetNode): number {
    let id = this.ids.get(set);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(set, id);
    }
    return id;
  }
}
