import { describe, expect, it } from 'vitest';
import { readEvent, type ReceivedEvent } from '../../../lib/typed-events.js';
import { toIngestOutcome as outcomeOf } from './ingest-results.js';

describe('ingest result events', () => {
  const event = (type: string, payload: unknown) => {
    const read = readEvent('documentsResults', { id: 'e1', type, version: 1, payload, publishedAt: '' });
    return 'problem' in read ? undefined : (read as ReceivedEvent<'documentsResults'>);
  };
  const toIngestOutcome = (received: ReceivedEvent<'documentsResults'> | undefined) => (received ? outcomeOf(received) : undefined);

  it('reads the contract payloads and ignores unknown or malformed ones', () => {
    expect(toIngestOutcome(event('document.ingest.started', { documentId: 'd1' }))).toEqual({ documentId: 'd1', outcome: { kind: 'started' } });
    expect(toIngestOutcome(event('document.ingest.completed', { documentId: 'd1', chunkCount: 2, quality: { compositeScore: 0.5 } }))).toEqual({
      documentId: 'd1',
      outcome: {
        kind: 'completed',
        chunkCount: 2,
        quality: { informationDensity: null, structuralClarity: null, entityCoherence: null, contextSufficiency: null, contextualRelevancy: null, compositeScore: 0.5 },
      },
    });
    expect(toIngestOutcome(event('document.ingest.failed', { documentId: 'd1', reason: 'x' }))).toEqual({ documentId: 'd1', outcome: { kind: 'failed', reason: 'x' } });
    expect(toIngestOutcome(event('document.ingest.completed', { chunkCount: 2 }))).toBeUndefined();
    expect(toIngestOutcome(event('document.other', { documentId: 'd1' }))).toBeUndefined();
  });
});
