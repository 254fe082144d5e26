import { describe, expect, it } from 'vitest';
import { chunkPointId, createStableUuid, entityPointId } from './point-id.js';

describe('stable point ids', () => {
  it('are RFC 9562 version 5 UUIDs', () => {
    expect(createStableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('are the same for the same document and index, and differ otherwise', () => {
    expect(chunkPointId('doc-1', 0)).toBe(chunkPointId('doc-1', 0));
    expect(chunkPointId('doc-1', 0)).not.toBe(chunkPointId('doc-1', 1));
    expect(chunkPointId('doc-1', 0)).not.toBe(chunkPointId('doc-2', 0));
    expect(entityPointId('doc-1')).not.toBe(chunkPointId('doc-1', 0));
  });
});
