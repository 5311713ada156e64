import { CATALYST_ERROR_CODES } from '@internal/plugin-catalyst-common';
import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  InlineFragmentNode,
  Kind,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';

/** The deepest selection a query may make (Query → Organization → Environment → Application → … ). */
export const MAX_DEPTH = 6;
/**
 * The most a query may cost: one point per field, list fields counted as if they returned 20
 * items. A query over the limit is refused before anything runs.
 */
export const MAX_COST = 20_000;
const LIST_FACTOR = 20;

/** How deep a selection set goes, fragments followed (a cycle counts as too deep). */
function depthOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, seen) : 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf((selection as InlineFragmentNode).selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      if (seen.has(name)) return Infinity;
      const fragment = fragments[name];
      if (fragment) deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return deepest;
}

/** The cost of a selection set (see {@link MAX_COST}). */
function costOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  isList: (field: FieldNode, parent: string) => { list: boolean; type?: string },
  parent: string,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const { list, type } = isList(selection, parent);
      const inner = type ? costOf(selection.selectionSet, fragments, isList, type, seen) : 0;
      total += 1 + (list ? LIST_FACTOR : 1) * inner;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += costOf(selection.selectionSet, fragments, isList, parent, seen);
    } else {
      const name = selection.name.value;
      if (seen.has(name)) return Infinity;
      const fragment = fragments[name];
      if (fragment) total += costOf(fragment.selectionSet, fragments, isList, parent, new Set([...seen, name]));
    }
  }
  return total;
}

/**
 * A validation rule refusing queries deeper than {@link MAX_DEPTH} or costlier than
 * {@link MAX_COST} — before any resolver runs, so an abusive query costs only its parse.
 */
export function limitsRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of context.getDocument().definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  }
  const isList = (field: FieldNode, parent: string) => {
    const type = schema.getType(parent);
    const def =
      type && 'getFields' in type
        ? (type.getFields() as Record<string, { type: unknown }>)[field.name.value]
        : undefined;
    const text = def ? String(def.type) : '';
    const named = text.replace(/[[\]!]/g, '');
    return {
      list: text.startsWith('['),
      ...(schema.getType(named) && 'getFields' in schema.getType(named)! ? { type: named } : {}),
    };
  };
  return {
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, fragments, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(
          new GraphQLError(
            `The query is ${
              Number.isFinite(depth) ? depth : 'infinitely'
            } levels deep; at most ${MAX_DEPTH} are allowed`,
            {
              nodes: [node],
              extensions: { code: CATALYST_ERROR_CODES.invalidRequest, limit: 'depth' },
            },
          ),
        );
        return;
      }
      const root = node.operation === 'mutation' ? 'Mutation' : 'Query';
      const cost = costOf(node.selectionSet, fragments, isList, root, new Set());
      if (cost > MAX_COST) {
        context.reportError(
          new GraphQLError(
            `The query would cost ${cost} points; at most ${MAX_COST} are allowed (list fields count ${LIST_FACTOR} items)`,
            {
              nodes: [node],
              extensions: { code: CATALYST_ERROR_CODES.invalidRequest, limit: 'cost' },
            },
          ),
        );
      }
    },
  };
}
