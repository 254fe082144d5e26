import type { Registry } from 'prom-client';
import type { RouteHandler } from './http-server.js';
import { sendJson } from './http-server.js';
import { canScrapeMetrics } from './policy.js';

/** `/metrics` in Prometheus' text format, for the callers lib/policy allows. */
export function createMetricsRoute(registry: Registry, settings: { token: string | undefined; production: boolean }): RouteHandler {
  return async (req, res) => {
    if (!canScrapeMetrics({ authorization: req.headers.authorization, remoteAddress: req.socket.remoteAddress }, settings)) {
      return sendJson(res, 401, { error: settings.token ? 'metrics need the bearer METRICS_TOKEN' : 'metrics are open to loopback callers only; set METRICS_TOKEN to scrape from elsewhere' });
    }
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  };
}
