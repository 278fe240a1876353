import { describe, expect, it } from '@jest/globals';
import { type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, Kind, parse } from 'graphql';
import { selectsField } from './selection.js';

/** What a resolver of the query's first root field would be given, as far as selectsField reads it. */
function infoOf(query: string): GraphQLResolveInfo {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let root: FieldNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION) root = definition.selectionSet.selections[0] as FieldNode;
  }
  return { fieldNodes: [root!], fragments } as unknown as GraphQLResolveInfo;
}

describe('selectsField', () => {
  it('finds a field at any depth below the root field, through inline fragments and named ones', () => {
    expect(selectsField(infoOf('{ plans { edges { node { nextMilestone { title } } } } }'), 'nextMilestone')).toBe(
      true,
    );
    expect(
      selectsField(infoOf('{ plans { edges { node { ... on Plan { targetOffer { name } } } } } }'), 'targetOffer'),
    ).toBe(true);
    const named = `
      query { plans { edges { node { ...Row } } } }
      fragment Row on Plan { title ...Next }
      fragment Next on Plan { nextMilestone { title } }`;
    expect(selectsField(infoOf(named), 'nextMilestone')).toBe(true);
  });

  it('says no when the field is not asked, and stops on fragments it already read', () => {
    expect(selectsField(infoOf('{ plans { edges { node { title targetOffer { name } } } } }'), 'nextMilestone')).toBe(
      false,
    );
    const twice = `
      query { plans { edges { node { ...Row ...Row } } } }
      fragment Row on Plan { title }`;
    expect(selectsField(infoOf(twice), 'nextMilestone')).toBe(false);
  });
});
