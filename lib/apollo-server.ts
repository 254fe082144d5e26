import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { createApolloLogger } from './apollo-logger.js';
import { createCacheControlPlugin } from './cache-control-plugin.js';
import type { Config } from './config.js';
import { createFormatError } from './errors.js';
import type { Logger } from './logger.js';
import { createOperationGuard } from './operation-guard.js';

/**
 * @apollo/gateway reports usage to Apollo unless this is set, and probes cloud metadata
 * endpoints while doing so: a system holding medical data sends nothing anywhere it was not told
 * to. Set by every process that builds an Apollo server or gateway, before either is constructed.
 */
export function disableVendorTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

type ServerSettings<TContext extends BaseContext> = Pick<ApolloServerOptions<TContext>, 'persistedQueries' | 'stringifyResult' | 'formatError'>;

export interface ServiceApolloOptions<TContext extends BaseContext> extends ServerSettings<TContext> {
  config: Config;
  logger: Logger;
  plugins?: ApolloServerPlugin<TContext>[];
}

/**
 * The Apollo settings every service shares: no telemetry, usage or schema reporting, no landing
 * page or inline traces; the entry point owns the signals; the query limits run before GraphQL's
 * own validation; documents are bounded in tokens; production hides introspection and
 * "Did you mean" hints; unexpected errors are masked.
 */
function sharedOptions<TContext extends BaseContext>(options: ServiceApolloOptions<TContext>) {
  disableVendorTelemetry();
  const production = options.config.nodeEnv === 'production';
  return {
    logger: createApolloLogger(options.logger),
    formatError: options.formatError ?? createFormatError(options.logger),
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    parseOptions: { maxTokens: options.config.limits.maxTokens },
    stopOnTerminationSignals: false,
    ...(options.persistedQueries !== undefined ? { persistedQueries: options.persistedQueries } : {}),
    ...(options.stringifyResult ? { stringifyResult: options.stringifyResult } : {}),
    plugins: [
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      createOperationGuard<TContext>(options.config.limits),
      ...(options.plugins ?? []),
    ] as ApolloServerPlugin<TContext>[],
  };
}

/**
 * An Apollo server over an executable schema (a subgraph), with the shared settings. It answers
 * batches (a JSON array of operations, sharing one request context), which the gateway sends when
 * one query fetches from it more than once at the same time; lib/http-server holds a batch to the
 * size its request declared, and the preflight checks each operation. Its Cache-Control header
 * comes from lib/cache-control-plugin.
 */
export function createSchemaServer<TContext extends BaseContext>(
  schema: NonNullable<ApolloServerOptions<TContext>['schema']>,
  options: ServiceApolloOptions<TContext>,
): ApolloServer<TContext> {
  const shared = sharedOptions(options);
  // the same Cache-Control header as Apollo's plugin, without its wrapper around every resolver
  const plugins = [ApolloServerPluginCacheControlDisabled(), createCacheControlPlugin<TContext>(), ...shared.plugins] as ApolloServerPlugin<TContext>[];
  return new ApolloServer<TContext>({ schema, allowBatchedHttpRequests: true, ...shared, plugins });
}

/** An Apollo server over a gateway, with the shared settings. */
export function createGatewayServer<TContext extends BaseContext>(
  gateway: NonNullable<ApolloServerOptions<TContext>['gateway']>,
  options: ServiceApolloOptions<TContext>,
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({ gateway, ...sharedOptions(options) });
}
