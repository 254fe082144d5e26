import type { GraphQLFormattedError } from 'graphql';
import { createFormatError, type ErrorCode } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

const stableCodes = new Set<ErrorCode>(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'RATE_LIMITED', 'CONFLICT', 'UNAVAILABLE']);

/**
 * The gateway's `formatError`. Errors a subgraph returned carry `serviceName`: those with a stable
 * code pass through (the subgraph already chose what to say), anything else is masked but still
 * names the subgraph. The gateway's own errors follow lib/errors' rules.
 */
export function createGatewayFormatError(logger: Logger) {
  const formatOwn = createFormatError(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const subgraph = formatted.extensions?.serviceName;
    if (typeof subgraph !== 'string') return formatOwn(formatted, error);
    const code = formatted.extensions?.code;
    const { serviceName: _serviceName, stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
    if (typeof code === 'string' && stableCodes.has(code as ErrorCode)) {
      return { ...formatted, extensions: { ...extensions, subgraph } };
    }
    logger.error({ subgraph, error: formatted }, 'subgraph returned an unexpected error');
    return { message: `Internal error in subgraph "${subgraph}"`, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', subgraph } };
  };
}
