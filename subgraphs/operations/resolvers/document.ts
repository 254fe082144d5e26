import { randomUUID } from 'node:crypto';
import { authorize } from '../../../lib/policy.js';
import { defineEvent } from '../../../lib/typed-events.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import { actorOf } from './actor.js';
import { toConnection } from '../paging/connection.js';
import type { OperationsContext } from '../context.js';
import { decodeCursor } from '../paging/cursor.js';
import { maxDocumentLength, type DocumentRow, type DocumentStatus } from '../store/index.js';
import { checkPageSize } from '../rules/validation.js';
import { checkOptionalText, checkText } from '../../../lib/text-input.js';

interface IngestInput {
  filename: string;
  title?: string | null;
  content: string;
  source?: string | null;
}

/** The `document.ingest.requested` event (lib/event-contracts). */
function toIngestEvent(streamPrefix: string, content: string) {
  return (row: DocumentRow) =>
    defineEvent(streamPrefix, 'document.ingest.requested', `ingest:${row.id}:${row.ingestAttempt}`, { documentId: row.id, filename: row.filename, title: row.title, source: row.source, content });
}

export const documentResolvers = {
  Query: {
    document: (_: unknown, args: { id: string }, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'document.read');
      return ctx.loaders.documentById.load(args.id);
    },
    documents: async (_: unknown, args: { status?: DocumentStatus | null; first?: number | null; after?: string | null }, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'document.read');
      const first = checkPageSize(args.first ?? 20);
      const after = decodeCursor(args.after);
      const rows = first === 0 ? [] : await ctx.stores.documents.listDocuments(args.status, first + 1, after);
      return {
        ...toConnection(rows, first, (row) => ({ at: row.createdAt, id: row.id })),
        totalCount: () => ctx.stores.documents.countDocuments(args.status),
      };
    },
  },
  Mutation: {
    ingestDocument: async (_: unknown, { input }: { input: IngestInput }, ctx: OperationsContext) => {
      const actor = actorOf(authorize(ctx.viewer, 'document.ingest'));
      const content = checkText(input.content, 'content', maxDocumentLength);
      const row = {
        id: randomUUID(),
        filename: checkText(input.filename, 'filename', 300),
        title: checkOptionalText(input.title, 'title', 500),
        source: checkOptionalText(input.source, 'source', 1000),
      };
      // the store of the stage publishes the ingest request once it is committed
      return ctx.stores.documents.createDocument(actor, row, toIngestEvent(ctx.services.streamPrefix, content));
    },
  },
  Document: {
    __resolveReference: (ref: { id: string }, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'document.read');
      return ctx.loaders.documentById.load(ref.id);
    },
    quality: (document: DocumentRow, _: unknown, ctx: OperationsContext) => ctx.loaders.qualityByDocumentId.load(document.id),
  },
} satisfies Resolvers<OperationsContext>;
