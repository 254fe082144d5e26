import type DataLoader from 'dataloader';
import { notFound } from '../../../lib/errors.js';
import { authorize } from '../../../lib/policy.js';
import type { OperationsContext } from '../context.js';

/** A row of a patient's conversation by id, when the caller may read it: NOT_FOUND or FORBIDDEN otherwise. */
export async function loadReadable<T extends { patientId: string }>(ctx: OperationsContext, loader: DataLoader<string, T | null>, what: string, id: string): Promise<T> {
  const row = await loader.load(id);
  if (!row) throw notFound(what, id);
  authorize(ctx.viewer, 'conversation.read', row.patientId);
  return row;
}
