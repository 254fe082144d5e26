import { describe, expect, it } from 'vitest';
import { formatPair } from './formats.js';

describe('export formats', () => {
  const pair = {
    id: 'p1',
    prompt: 'Q',
    chosen: 'good',
    rejected: 'bad',
    rating_gap: 3,
    source: 'correction',
    chosen_feedback_id: 'f1',
    rejected_feedback_id: 'f1',
    created_at: new Date('2026-01-01T00:00:00Z'),
  };

  it('shapes one record per format', () => {
    expect(formatPair('dpo', pair)).toEqual({ prompt: 'Q', chosen: 'good', rejected: 'bad' });
    expect(formatPair('sft', pair)).toEqual({ prompt: 'Q', completion: 'good' });
    expect(formatPair('alpaca', pair)).toEqual({ instruction: 'Q', input: '', output: 'good' });
    expect(formatPair('raw', pair)).toMatchObject({ id: 'p1', ratingGap: 3, createdAt: '2026-01-01T00:00:00.000Z' });
  });
});
