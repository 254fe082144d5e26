import type { PassageQuery } from './loaders.js';
import { maxQueryChars } from './validation.js';

/** `Message.supportingPassages`' k when the caller gives none (the schema's default): the one computed when a message is written. */
export const defaultSupportingPassages = 3;

/** What a message's passage search reads of it: its text and the entities it mentions. */
export interface MessageText {
  content?: string | null;
  mentions?: readonly { id: string }[] | null;
}

/**
 * The search for a message's k supporting passages, the same whether a read asks for them or
 * the message was just written (so both find one remembered result); undefined for an empty message.
 */
export function supportingPassagesQuery(message: MessageText, k: number): PassageQuery | undefined {
  // A message longer than a query is cut: its opening carries most of what it is about.
  const text = (message.content ?? '').trim().slice(0, maxQueryChars);
  return text === '' ? undefined : { text, k, filter: {}, entityIds: (message.mentions ?? []).map((entity) => entity.id) };
}
