import { describe, expect, it } from 'vitest';
import { createOperationLabeler } from './operation-label.js';

describe('createOperationLabeler', () => {
  it('keeps the first distinct names and folds the rest into "other"', () => {
    const label = createOperationLabeler(2);
    expect([label('A'), label('B'), label('C'), label('A'), label(null), label('x'.repeat(100)), label('bad name')]).toEqual(['A', 'B', 'other', 'A', 'anonymous', 'other', 'other']);
  });
});
