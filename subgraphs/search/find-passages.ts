import { badInput } from '../../lib/errors.js';
import type { SearchContext } from './context.js';
import type { ChunkSearchFilter, ScoredChunk } from './store/chunk-store.js';

/**
 * The k best chunks for the (validated) text that pass the filter, by meaning, words and the
 * entities named (searches made together, such as those of the messages of one `_entities` call,
 * share one embedding call and one Qdrant request; searches made before come from the passage
 * memo). The entities are `entityIds` (a message's mentions) or else those the text names.
 * `keepText` puts the text and its vector in the search query log (lib/policy decides whose).
 */
export async function findPassages(
  context: SearchContext,
  text: string,
  k: number,
  filter: ChunkSearchFilter = {},
  options: { keepText?: boolean; entityIds?: readonly string[] } = {},
): Promise<ScoredChunk[]> {
  const { services, loaders } = context;
  const [known, entityIds, vector] = await Promise.all([
    filter.documentId === undefined ? true : services.chunks.hasDocument(filter.documentId),
    options.entityIds ?? services.queryEntities.link(text),
    options.keepText ? loaders.queryVector.load(text) : undefined,
  ]);
  if (!known) {
    throw badInput(
      `Unknown document ${filter.documentId}: no chunks of it are in the search index (it does not exist, or its ingestion has not completed)`,
      'filter.documentId',
    );
  }
  if (vector) services.queryLog.add(text, vector);
  return loaders.passages.load({ text, k, filter, entityIds });
}
