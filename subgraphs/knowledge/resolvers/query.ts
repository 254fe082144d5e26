import { badInput } from '../../../lib/errors.js';
import { authorize, can, grantOf } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { KnowledgeContext } from '../context.js';
import type { EntityType, Layer } from '../rules.js';
import { readLayerStats, searchEntities } from '../store/entity-search.js';
import { listPatients } from '../store/patient-reads.js';
import type { PatientRecord } from '../store/records.js';

function checkFirst(value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`first must be within [${min}, ${max}]`, 'first');
  return value;
}

/** A patient the caller may see: its records, empty lists when it has no node; null for anyone else's. */
export async function loadVisiblePatient(context: KnowledgeContext, id: string): Promise<PatientRecord | null> {
  if (!can(context.viewer, 'patient.read', id)) return null;
  return (await context.loaders.patients.load(id)) ?? { id, diagnoses: [], medications: [], allergies: [] };
}

interface SearchArgs {
  text: string;
  types?: EntityType[] | null;
  layer?: Layer | null;
  first: number;
}

export const queryResolvers = {
  Query: {
    patient: async (_: unknown, args: { id: string }, context: KnowledgeContext) => {
      authorize(context.viewer, 'patient.read');
      if (!can(context.viewer, 'patient.read', args.id)) return null;
      return (await context.loaders.patients.load(args.id)) ?? null;
    },
    patients: (_: unknown, args: { first: number }, context: KnowledgeContext) => {
      const viewer = authorize(context.viewer, 'patient.read');
      const first = checkFirst(args.first, 1, 500);
      return listPatients(context.driver, first, grantOf(viewer.role, 'patient.read') === 'own' ? viewer.patientId : undefined);
    },
    medicalEntity: async (_: unknown, args: { id: string }, context: KnowledgeContext) => {
      authorize(context.viewer, 'graph.read');
      return (await context.loaders.entities.load(args.id)) ?? null;
    },
    searchEntities: (_: unknown, args: SearchArgs, context: KnowledgeContext) => {
      authorize(context.viewer, 'graph.read');
      const text = args.text.trim();
      if (text === '' || text.length > 200) throw badInput('text must have 1 to 200 characters', 'text');
      return searchEntities(context.driver, { text, types: args.types ?? null, layer: args.layer ?? null, first: checkFirst(args.first, 1, 100) });
    },
    layerStats: (_: unknown, __: unknown, context: KnowledgeContext) => {
      authorize(context.viewer, 'graph.read');
      return readLayerStats(context.driver);
    },
  },
} satisfies Resolvers<KnowledgeContext>;
