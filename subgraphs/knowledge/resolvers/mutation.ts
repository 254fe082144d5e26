import { badInput } from '../../../lib/errors.js';
import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import { checkText } from '../../../lib/text-input.js';
import type { KnowledgeContext } from '../context.js';
import { assertConfidence, assertRelationTypes, type EntityType, type Layer, type RelationType } from '../rules.js';
import { saveEntity, saveRelation } from '../store/entity-writes.js';
import { moveEntityLayer, promoteEligibleEntities } from '../store/layer-writes.js';

interface MoveArgs {
  id: string;
  reason: string;
  toLayer?: Layer | null;
}

async function moveOne(direction: 'up' | 'down', args: MoveArgs, context: KnowledgeContext) {
  const viewer = authorize(context.viewer, 'graph.write');
  const reason = checkText(args.reason, 'reason', 500);
  const change = await moveEntityLayer(context.driver, { id: args.id, direction, requested: args.toLayer, reason, actor: viewer.sub });
  await context.publishEntities([change.entity]);
  return change.transition;
}

interface EntityArgs {
  input: { id: string; name: string; type: EntityType; description?: string | null; confidence: number; layer?: Layer | null; synonyms?: string[] | null };
}

function checkSynonyms(synonyms: readonly string[]): string[] {
  if (synonyms.length > 30) throw badInput('synonyms: at most 30', 'synonyms');
  return [...new Set(synonyms.map((synonym) => checkText(synonym, 'synonyms', 100)))];
}

interface RelateArgs {
  fromId: string;
  toId: string;
  type: string;
  confidence: number;
  layer: Layer;
}

export const mutationResolvers = {
  Mutation: {
    upsertMedicalEntity: async (_root: unknown, { input }: EntityArgs, context: KnowledgeContext) => {
      authorize(context.viewer, 'graph.write');
      assertConfidence(input.confidence);
      const entity = await saveEntity(context.driver, {
        id: checkText(input.id, 'id', 200),
        name: checkText(input.name, 'name', 300),
        type: input.type,
        description: input.description ?? null,
        confidence: input.confidence,
        layer: input.layer ?? 'PERCEPTION',
        ...(input.synonyms ? { synonyms: checkSynonyms(input.synonyms) } : {}),
      });
      await context.publishEntities([entity]);
      return entity;
    },
    relateEntities: async (_root: unknown, args: RelateArgs, context: KnowledgeContext) => {
      authorize(context.viewer, 'graph.write');
      assertRelationTypes([args.type]);
      assertConfidence(args.confidence);
      return saveRelation(context.driver, { ...args, type: args.type as RelationType });
    },
    promoteEntity: (_root: unknown, args: MoveArgs, context: KnowledgeContext) => moveOne('up', args, context),
    demoteEntity: (_root: unknown, args: MoveArgs, context: KnowledgeContext) => moveOne('down', args, context),
    promoteEligibleEntities: async (_root: unknown, args: { batchSize?: number | null }, context: KnowledgeContext) => {
      authorize(context.viewer, 'graph.promoteEligible');
      const batchSize = args.batchSize ?? 500;
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw badInput('batchSize must be within [1, 10000]', 'batchSize');
      return promoteEligibleEntities(context.driver, batchSize, (changes) => context.publishEntities(changes.map((change) => change.entity)));
    },
  },
} satisfies Resolvers<KnowledgeContext>;
