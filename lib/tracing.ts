import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, createContextKey, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Config } from './config.js';

/**
 * Tracing. W3C trace context (`traceparent`, `tracestate`) is always read from callers and sent on
 * to subgraphs, so a trace begun upstream continues through the gateway even when nothing is
 * exported here; with OTEL_EXPORTER_OTLP_ENDPOINT each service records its spans (requests,
 * subgraph fetches, store calls) and sends them over OTLP/HTTP. Spans carry names, kinds, ids and
 * status: never variables, statements' parameters or record contents.
 */

export interface Tracing {
  tracer: Tracer;
  /** Sends the spans not yet exported; the service calls it as it stops. */
  shutdown(): Promise<void>;
}

let contextInstalled = false;

/** Once per process: context follows async work, and W3C trace context is the wire format. */
function installTraceContext(): void {
  if (contextInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  contextInstalled = true;
}

/** The tracer of one service: recording and exporting when an endpoint is configured, else propagating only. */
export function createTracing(config: Pick<Config, 'tracing'>, service: string): Tracing {
  installTraceContext();
  const { otlpEndpoint, sampleRatio, exportDelayMs } = config.tracing;
  // without a provider the API's tracer records nothing, yet hands the caller's trace context on
  if (!otlpEndpoint) return { tracer: trace.getTracer(service), shutdown: async () => undefined };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.namespace': 'synapseflow' }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: new URL('v1/traces', withTrailingSlash(otlpEndpoint)).href }), scheduledDelayMillis: exportDelayMs })],
  });
  return { tracer: provider.getTracer(service), shutdown: () => provider.shutdown() };
}

const withTrailingSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

const requestIdKey = createContextKey('synapseflow request id');

/**
 * Serves one request as a server span that continues the caller's trace, with the request id in
 * the active context (every log line written meanwhile carries both, lib/logger). The span ends
 * when the response is finished or the connection closes.
 */
export function serveInTrace(tracer: Tracer, req: IncomingMessage, res: ServerResponse, requestId: string, route: string, serve: () => Promise<void>): Promise<void> {
  const callerContext = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route } }, callerContext);
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(callerContext, span).setValue(requestIdKey, requestId), serve);
}

/** The request id and trace of the work running now, for log lines; empty outside a request. */
export function activeRequestFields(): { requestId?: string; traceId?: string; spanId?: string } {
  const active = context.active();
  const requestId = active.getValue(requestIdKey) as string | undefined;
  const spanContext = trace.getSpanContext(active);
  return {
    ...(requestId ? { requestId } : {}),
    ...(spanContext && trace.isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {}),
  };
}

/** Adds the active trace context to outgoing headers (a copy: the caller's object is not changed). */
export function withTraceHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const carrier = { ...headers };
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs `call` as a client span of the active trace (its children are the span's). */
export function inClientSpan<T>(tracer: Tracer, name: string, attributes: Record<string, string>, call: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, (span) =>
    call().then(
      (result) => {
        endSpan(span);
        return result;
      },
      (error: unknown) => {
        endSpan(span, error);
        throw error;
      },
    ),
  );
}

/**
 * A client span for a call already under way, when it belongs to a traced request (background
 * work, like a relay's polling, starts no trace of its own); undefined otherwise.
 */
export function startRequestClientSpan(tracer: Tracer, name: string, attributes: Record<string, string>): Span | undefined {
  if (!trace.getSpanContext(context.active())) return undefined;
  return tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
}

/** Ends a span; a failure is recorded by its error type only (messages may quote record contents). */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error | undefined)?.name ?? 'Error' });
  span.end();
}
