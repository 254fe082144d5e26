import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { GraphQLError } from 'graphql';
import { AppError, httpStatusOf } from '../../../lib/errors.js';
import { sendGraphQLError } from '../../../lib/http-server.js';
import type { Logger } from '../../../lib/logger.js';
import { authorize } from '../../../lib/policy.js';
import type { Admit } from '../../../lib/subgraph/start-subgraph.js';
import { exportFormats, formatPair, isExportFormat } from './formats.js';
import { streamPreferencePairs } from '../store/index.js';
import { checkMinRatingGap } from '../rules/validation.js';

/** Path of the export endpoint: GET /export/preference-pairs?format=dpo&minRatingGap=2 */
export const exportPath = '/export/preference-pairs';

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

const statusOfCode: Record<string, number> = { FORBIDDEN: 403, BAD_USER_INPUT: 400 };

/** A refusal of the export as JSON, with the status its code means for a plain HTTP route. */
function sendError(res: ServerResponse, error: GraphQLError): void {
  if (httpStatusOf(error) === undefined) Object.assign(error.extensions, { http: { status: statusOfCode[String(error.extensions.code)] ?? 400 } });
  sendGraphQLError(res, error);
}

/**
 * Streams preference pairs as JSON Lines to those lib/policy lets read them (they are message
 * content: services and admins). The request passes the same door as GraphQL requests. Rows come
 * from a server-side cursor and each batch waits for the socket to drain, so memory stays flat.
 */
export function createExportRoute(pool: pg.Pool, admit: Admit, logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let format: (typeof exportFormats)[number];
    let minRatingGap: number;
    try {
      const { viewer } = await admit(req);
      if (req.method !== 'GET') throw new AppError('BAD_USER_INPUT', 'Use GET');
      authorize(viewer, 'preferencePairs.read');
      const requested = url.searchParams.get('format') ?? 'dpo';
      if (!isExportFormat(requested)) throw new AppError('BAD_USER_INPUT', `format must be one of ${exportFormats.join(', ')}`);
      format = requested;
      minRatingGap = checkMinRatingGap(Number(url.searchParams.get('minRatingGap') ?? 2));
    } catch (error) {
      if (error instanceof GraphQLError) return sendError(res, error);
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
