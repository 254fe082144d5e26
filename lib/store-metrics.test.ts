import { trace } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createStoreMetrics } from './store-metrics.js';

describe('store metrics', () => {
  it('times every call and counts the failed ones, handing the outcome on unchanged', async () => {
    const registry = new Registry();
    const metrics = createStoreMetrics(registry, 'svc', trace.getTracer('svc'));
    expect(await metrics.observe('postgres', 'select', Promise.resolve(42))).toBe(42);
    await expect(metrics.observe('postgres', 'select', Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    await new Promise((resolve) => setImmediate(resolve));
    const text = await registry.metrics();
    expect(text).toContain('svc_store_request_duration_seconds_count{store="postgres",operation="select"} 2');
    expect(text).toContain('svc_store_errors_total{store="postgres",operation="select"} 1');
  });
});
