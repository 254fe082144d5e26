import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossStoreQuery } from '../../bench/gateway/cross-store.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { postGraphQL } from '../gateway/support.js';
import { startCrohnSession, startRealWorld, type RealWorld } from '../gateway/real-world.js';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';

const serverKind = 2;
const clientKind = 3;
const traceparentOf = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
const newIds = () => ({ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') });

/**
 * W3C trace context from a caller through the gateway, every subgraph and their store calls,
 * exported over OTLP/HTTP to a receiver; and handed on unchanged by a gateway that exports nothing.
 */
describe('tracing across the supergraph', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let world: RealWorld;
  let gateway: ServiceHandle;
  let sessionId = '';

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    world = await startRealWorld({ settings: { tracing: { otlpEndpoint: receiver.url, sampleRatio: 1, exportDelayMs: 50 } } });
    gateway = await world.startGateway({ settings: { responseCache: false } });
    sessionId = await startCrohnSession(world, gateway.url);
  });
  afterAll(async () => {
    await world?.stop();
    await receiver?.stop();
  });

  /** Every span of a trace, once `done` holds for them (exports arrive in batches). */
  const spansOf = async (traceId: string, done: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const spans = receiver.spans.filter((span) => span.traceId === traceId);
      if (done(spans)) return spans;
      if (Date.now() > deadline) throw new Error(`trace ${traceId} incomplete: ${JSON.stringify(spans.map((span) => `${span.service} ${span.name}`))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const servedBy = (spans: ReceivedSpan[], service: string) => spans.find((span) => span.service === service && span.kind === serverKind);

  it("continues the caller's trace: gateway, each subgraph fetch, each subgraph, each store call", async () => {
    const caller = newIds();
    const reply = await postGraphQL(gateway.url, { query: crossStoreQuery, variables: { id: sessionId } }, world.tokens.a, { traceparent: traceparentOf(caller.traceId, caller.spanId), 'x-request-id': 'trace-test-1' });
    expect(reply.body.errors).toBeUndefined();
    expect(reply.headers.get('x-request-id')).toBe('trace-test-1');

    const subgraphs = ['knowledge', 'operations', 'search'];
    const expectedStores = ['knowledge → neo4j', 'operations → postgres', 'search → qdrant', 'operations → redis'];
    const storesOf = (found: ReceivedSpan[]) => new Set(found.filter((span) => span.kind === clientKind && span.service !== 'gateway').map((span) => `${span.service} → ${String(span.attributes['db.system.name'])}`));
    const spans = await spansOf(caller.traceId, (found) => ['gateway', ...subgraphs].every((service) => servedBy(found, service)) && expectedStores.every((store) => storesOf(found).has(store)));
    const gatewaySpan = servedBy(spans, 'gateway');
    expect(gatewaySpan).toMatchObject({
      name: 'query CrossStore',
      parentSpanId: caller.spanId,
      attributes: { 'http.route': '/graphql', 'http.response.status_code': 200, 'graphql.operation.type': 'query', 'graphql.operation.name': 'CrossStore' },
    });
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    // each subgraph request is a child of the gateway's fetch of it, itself a child of the gateway's request
    for (const served of spans.filter((span) => span.kind === serverKind && span.service !== 'gateway')) {
      const fetch = byId.get(served.parentSpanId);
      expect(fetch, served.service).toMatchObject({ service: 'gateway', kind: clientKind, name: `POST ${served.service}`, attributes: { 'graphql.subgraph.name': served.service } });
      expect(ancestors(fetch, byId)).toContain(gatewaySpan?.spanId);
    }
    const storeCalls = spans.filter((span) => span.kind === clientKind && span.service !== 'gateway');
    // every store call happened inside one of its service's requests (knowledge serves two in this query)
    for (const call of storeCalls) expect(ancestors(call, byId).some((id) => byId.get(id)?.service === call.service && byId.get(id)?.kind === serverKind), call.name).toBe(true);
  });

  it('exports no record contents, identities or tokens', async () => {
    const caller = newIds();
    await postGraphQL(gateway.url, { query: crossStoreQuery, variables: { id: sessionId } }, world.tokens.a, { traceparent: traceparentOf(caller.traceId, caller.spanId) });
    await spansOf(caller.traceId, (found) => found.some((span) => span.service === 'operations' && span.kind === serverKind));
    const exported = receiver.bodies.join('\n');
    for (const secret of [world.patientA, sessionId, 'Is infliximab still right', 'Crohn follow-up', world.tokens.a, 'Bearer']) expect(exported).not.toContain(secret);
  });

  it('starts a trace of its own for a caller without one', async () => {
    const reply = await postGraphQL(gateway.url, { query: '{ layerStats { layer entities } }' }, world.tokens.clinician, { 'x-request-id': 'no-trace-given' });
    expect(reply.body.errors).toBeUndefined();
    const root = await new Promise<ReceivedSpan>((resolve, reject) => {
      const deadline = Date.now() + 15_000;
      const look = () => {
        const found = receiver.spans.find((span) => span.service === 'gateway' && span.kind === serverKind && span.parentSpanId === '' && receiver.spans.some((child) => child.traceId === span.traceId && child.service === 'knowledge'));
        if (found) resolve(found);
        else if (Date.now() > deadline) reject(new Error('no trace started by the gateway'));
        else setTimeout(look, 100);
      };
      look();
    });
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('hands the trace context on unchanged when the gateway exports nothing', async () => {
    const quiet = await startRealWorldGatewayWithoutTracing(world);
    const caller = newIds();
    const reply = await postGraphQL(quiet.url, { query: crossStoreQuery, variables: { id: sessionId } }, world.tokens.a, { traceparent: traceparentOf(caller.traceId, caller.spanId) });
    expect(reply.body.errors).toBeUndefined();
    const spans = await spansOf(caller.traceId, (found) => ['knowledge', 'operations', 'search'].every((service) => servedBy(found, service)));
    // the subgraphs (which export) are children of the caller's span itself: the quiet gateway recorded nothing
    for (const service of ['knowledge', 'operations', 'search']) expect(servedBy(spans, service)?.parentSpanId, service).toBe(caller.spanId);
    expect(spans.filter((span) => span.service === 'gateway')).toEqual([]);
  });
});

/** A gateway of the same world with tracing off (the default). */
function startRealWorldGatewayWithoutTracing(world: RealWorld): Promise<ServiceHandle> {
  return world.startGateway({ settings: { responseCache: false }, tracing: { otlpEndpoint: undefined, sampleRatio: 1, exportDelayMs: 5000 } });
}

/** The span ids above a span, nearest first. */
function ancestors(span: ReceivedSpan | undefined, byId: Map<string, ReceivedSpan>): string[] {
  const found: string[] = [];
  for (let parent = span && byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) found.push(parent.spanId);
  return found;
}
