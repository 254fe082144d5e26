import type { Logger as ApolloLogger } from '@apollo/utils.logger';
import type { Logger } from './logger.js';

/** Apollo's logger interface on pino, so gateway and server messages are structured JSON too. */
export function createApolloLogger(logger: Logger): ApolloLogger {
  const child = logger.child({ component: 'apollo' });
  return {
    debug: (message: unknown) => child.debug(String(message)),
    info: (message: unknown) => child.info(String(message)),
    warn: (message: unknown) => child.warn(String(message)),
    error: (message: unknown) => child.error(String(message)),
  };
}
