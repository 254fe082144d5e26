import { describe, expect, it } from 'vitest';
import { defineEvent, NewerEventVersionError, readEvent } from './typed-events.js';

const raw = (type: string, payload: unknown, version = 1) => ({ id: 'e-1', type, version, payload, publishedAt: '2026-01-01T00:00:00.000Z' });

describe('typed events', () => {
  it('defines an event on its stream, with the payload its contract allows', () => {
    expect(defineEvent('p', 'document.ingest.started', 'x', { documentId: 'd1' })).toEqual({ eventId: 'x', stream: 'p:documents:results', type: 'document.ingest.started', payload: { documentId: 'd1' } });
    expect(() => defineEvent('p', 'document.ingest.started', 'x', { documentId: '' })).toThrow();
  });

  it('reads only the types its stream carries, with payloads as their contract says', () => {
    expect(readEvent('documentsResults', raw('document.ingest.started', { documentId: 'd1' }))).toMatchObject({ type: 'document.ingest.started', payload: { documentId: 'd1' } });
    expect(readEvent('documentsResults', raw('entity.upserted', {}))).toEqual({ problem: 'no event entity.upserted is carried on documentsResults' });
    expect(readEvent('documentsResults', raw('document.ingest.started', { documentId: 7 }))).toHaveProperty('problem');
    expect(readEvent('analytics', raw('query.completed', { queryHash: 'h', durationMs: 1, cacheHit: false }))).toMatchObject({
      payload: { queryHash: 'h', operationName: null, subgraphs: [], patientId: null, hasErrors: false },
    });
  });

  it('leaves an event of a newer version than it knows to a newer consumer', () => {
    expect(() => readEvent('documentsResults', raw('document.ingest.started', { documentId: 'd1' }, 2))).toThrow(NewerEventVersionError);
  });
});
