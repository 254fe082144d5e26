import { createHash } from 'node:crypto';

/**
 * Qdrant point ids must be UUIDs or integers, and ours must be stable: re-ingesting a
 * document overwrites its chunks instead of adding copies. So ids are UUIDv5 (RFC 9562,
 * SHA-1 name-based) of a name such as `<documentId>:<index>` in a namespace of our own.
 */
const namespace = Buffer.from('6f1c3a52-9d4e-5b7a-8c21-3e5f0a9b7d14'.replace(/-/g, ''), 'hex');

export function createStableUuid(name: string): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const chunkPointId = (documentId: string, index: number): string => createStableUuid(`chunk:${documentId}:${index}`);
export const entityPointId = (entityId: string): string => createStableUuid(`entity:${entityId}`);
export const queryPointId = (model: string, text: string): string => createStableUuid(`query:${model}:${text}`);
