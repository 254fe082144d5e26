import type { ExportPairRow } from '../store/index.js';

export const exportFormats = ['dpo', 'sft', 'alpaca', 'sharegpt', 'openai', 'raw'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}

/** One JSON Lines record per pair, in the shape each fine-tuning tool expects. */
export function formatPair(format: ExportFormat, pair: ExportPairRow): unknown {
  switch (format) {
    case 'dpo':
      return { prompt: pair.prompt, chosen: pair.chosen, rejected: pair.rejected };
    case 'sft':
      return { prompt: pair.prompt, completion: pair.chosen };
    case 'alpaca':
      return { instruction: pair.prompt, input: '', output: pair.chosen };
    case 'sharegpt':
      return { conversations: [{ from: 'human', value: pair.prompt }, { from: 'gpt', value: pair.chosen }] };
    case 'openai':
      return { messages: [{ role: 'user', content: pair.prompt }, { role: 'assistant', content: pair.chosen }] };
    case 'raw':
      return {
        id: pair.id,
        prompt: pair.prompt,
        chosen: pair.chosen,
        rejected: pair.rejected,
        ratingGap: pair.rating_gap,
        source: pair.source,
        chosenFeedbackId: pair.chosen_feedback_id,
        rejectedFeedbackId: pair.rejected_feedback_id,
        createdAt: pair.created_at.toISOString(),
      };
  }
}
