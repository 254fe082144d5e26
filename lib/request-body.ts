import type { IncomingMessage } from 'node:http';

/** A request's body, read within its size and time limits (lib/http-server). */

export const tooLarge = Symbol('too large');
export const tooSlow = Symbol('too slow');

/** Parsed JSON body (or the raw string when not JSON, for Apollo to reject), or `tooLarge`, or `tooSlow`. */
export async function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  const received = (async () => {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return tooLarge;
      chunks.push(chunk);
    }
    return undefined;
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof tooSlow>((resolve) => (timer = setTimeout(() => resolve(tooSlow), timeoutMs)));
  const outcome = await Promise.race([received, late]).finally(() => clearTimeout(timer));
  if (outcome !== undefined) return outcome;
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
