import { AppError, badInput } from '../../lib/errors.js';
import type { SearchContext } from './context.js';
import type { ChunkSearchFilter, ScoredChunk } from './store/chunk-store.js';

/**
 * Embeds the (validated) query text through the per-request loader (cache first, one model
 * call for all texts of the request) and returns the k best chunks that pass the filter, by
 * meaning, words and the entities named (searches made together, such as those of the messages
 * of one `_entities` call, share one Qdrant request). The entities are `entityIds` (a message's
 * mentions) or else those the text names. `keepText` puts the text in the search query log
 * (lib/policy decides whose).
 */
export async function findPassages(
  context: SearchContext,
  text: string,
  k: number,
  filter: ChunkSearchFilter = {},
  options: { keepText?: boolean; entityIds?: readonly string[] } = {},
): Promise<ScoredChunk[]> {
  const { services, loaders } = context;
  const [vector, known, entityIds] = await Promise.all([
    loaders.queryVector.load(text).catch((error: unknown) => {
      throw Object.assign(new AppError('UNAVAILABLE', 'Semantic search is unavailable: the embedding model did not answer. Try again shortly.'), { cause: error });
    }),
    filter.documentId === undefined ? true : services.chunks.hasDocument(filter.documentId),
    options.entityIds ?? services.queryEntities.link(text),
  ]);
  if (!known) {
    throw badInput(
      `Unknown document ${filter.documentId}: no chunks of it are in the search index (it does not exist, or its ingestion has not completed)`,
      'filter.documentId',
    );
  }
  if (options.keepText) services.queryLog.add(text, vector);
  return loaders.passages.load({ text, k, filter, vector, entityIds });
}
