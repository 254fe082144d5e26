import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { requireRole, type VerifyToken } from '../../lib/auth.js';
import { AppError } from '../../lib/errors.js';
import { sendJson } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';
import { pairReaders } from './access.js';
import { exportFormats, formatPair, isExportFormat } from './export-formats.js';
import { streamPreferencePairs } from './store/index.js';
import { checkMinRatingGap } from './validation.js';

/** Path of the export endpoint: GET /export/preference-pairs?format=dpo&minRatingGap=2 */
export const exportPath = '/export/preference-pairs';

const statusOf: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 };

/** Resolves when the socket can take more; rejects when the client went away (ends the cursor). */
function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the client closed the export connection'));
    };
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

function sendError(res: ServerResponse, error: AppError): void {
  const code = String(error.extensions.code);
  sendJson(res, statusOf[code] ?? 400, { errors: [{ message: error.message, extensions: { code } }] });
}

/**
 * Streams preference pairs as JSON Lines (analyst or admin). Rows come from a server-side
 * cursor and each batch waits for the socket to drain, so memory stays flat for any size.
 */
export function createExportRoute(pool: pg.Pool, verifyToken: VerifyToken, logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let format: (typeof exportFormats)[number];
    let minRatingGap: number;
    try {
      if (req.method !== 'GET') throw new AppError('BAD_USER_INPUT', 'Use GET');
      requireRole(await verifyToken(req.headers.authorization), pairReaders);
      const requested = url.searchParams.get('format') ?? 'dpo';
      if (!isExportFormat(requested)) throw new AppError('BAD_USER_INPUT', `format must be one of ${exportFormats.join(', ')}`);
      format = requested;
      minRatingGap = checkMinRatingGap(Number(url.searchParams.get('minRatingGap') ?? 2));
    } catch (error) {
      if (error instanceof AppError) return sendError(res, error);
      throw error;
    }
    res.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="preference-pairs-${format}.jsonl"`,
    });
    try {
      const total = await streamPreferencePairs(pool, minRatingGap, async (rows) => {
        const chunk = rows.map((row) => JSON.stringify(formatPair(format, row))).join('\n') + '\n';
        if (res.destroyed) throw new Error('the client closed the export connection');
        if (!res.write(chunk)) await waitForDrain(res);
      });
      logger.info({ format, minRatingGap, total }, 'preference pairs exported');
      res.end();
    } catch (error) {
      // the status line is gone: cutting the connection tells the client the file is incomplete
      logger.error({ err: error }, 'preference pair export failed');
      res.destroy(error as Error);
    }
  };
}
