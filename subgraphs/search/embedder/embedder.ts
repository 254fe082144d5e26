/** Turns texts into vectors of a fixed dimension; `model` names the vector space (cache keys, guards). */
export interface Embedder {
  readonly model: string;
  readonly dimension: number;
  /** One vector per text, in order. Implementations batch internally. */
  embed(texts: readonly string[]): Promise<number[][]>;
  /** Loads whatever is slow to load, so the first request does not pay for it. */
  warm(): Promise<void>;
}

/** Splits work into batches and runs them one after another (bounded memory, fair CPU). */
export async function embedInBatches(texts: readonly string[], size: number, embedBatch: (batch: string[]) => Promise<number[][]>): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += size) vectors.push(...(await embedBatch(texts.slice(start, start + size))));
  return vectors;
}
