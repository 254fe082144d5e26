import type { GraphQLResolveInfo } from 'graphql';
import { requireRole } from '../../../lib/auth.js';
import type { SearchContext } from '../context.js';
import { findPassages } from '../find-passages.js';
import type { ScoredChunk } from '../store/chunk-store.js';
import { limits, maxQueryChars, validateCount } from '../validation.js';
import { guardSearchField } from './guard-field.js';

interface MessageRepresentation {
  id: string;
  content?: string;
}

/** Analysts see no message content, so nor what it is nearest to. */
const readersOfMessages = ['patient', 'clinician', 'service', 'admin'] as const;

export const messageResolvers = {
  Message: {
    supportingPassages(message: MessageRepresentation, args: { k: number }, context: SearchContext, info: GraphQLResolveInfo): Promise<ScoredChunk[]> {
      requireRole(context.viewer, readersOfMessages);
      const k = validateCount(args.k, limits.supportingPassagesK, 'k');
      // A message longer than a query is cut: its opening carries most of what it is about.
      const text = (message.content ?? '').trim().slice(0, maxQueryChars);
      if (text === '') return Promise.resolve([]);
      return guardSearchField(context, info, [], () => findPassages(context, text, k));
    },
  },
};
