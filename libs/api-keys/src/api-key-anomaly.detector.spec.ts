import { ManualClock, MemoryRateLimitStorage, type RateLimitStorage, type SecurityEvents, type ThrottlerStorageRecord } from '@gatehouse/core';
import { ApiKeyAnomalyDetector } from './api-key-anomaly.detector.js';
import { resolveApiKeysOptions } from './api-keys-options.interface.js';

/** A shared storage (Redis, say) that records its calls: each one is a round trip in production. */
class SharedCounters implements RateLimitStorage {
  readonly keys: string[] = [];
  private readonly counts = new MemoryRateLimitStorage(new ManualClock(0));

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    this.keys.push(key);
    return this.counts.increment(key, ttl, limit, blockDuration, throttlerName);
  }
}

describe('ApiKeyAnomalyDetector', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
  const options = resolveApiKeysOptions({ failureBurstThreshold: 3, failureBurstWindowMs: 60_000 });

  function detector(counters: RateLimitStorage): { detector: ApiKeyAnomalyDetector; events: { type: string; fields: Record<string, unknown> }[] } {
    const events: { type: string; fields: Record<string, unknown> }[] = [];
    const securityEvents = { emit: (type: string, fields: Record<string, unknown>) => events.push({ type, fields }) } as unknown as SecurityEvents;
    return { detector: new ApiKeyAnomalyDetector(options, counters, securityEvents, clock), events };
  }

  it('counts malformed keys synchronously in memory, never in the shared counters, and still reports a burst', () => {
    const shared = new SharedCounters();
    const { detector: anomalies, events } = detector(shared);
    for (let i = 0; i < 4; i++) anomalies.failedMalformed('203.0.113.5');
    expect(events).toEqual([{ type: 'api_key.failure_burst', fields: { ip: '203.0.113.5', failures: 3, windowMs: 60_000, reason: 'malformed' } }]);
    expect(shared.keys).toEqual([]);
  });

  it('counts malformed keys per address when addresses alternate, an unknown address as its own', () => {
    const { detector: anomalies, events } = detector(new MemoryRateLimitStorage(clock));
    for (const ip of ['203.0.113.5', '203.0.113.5', '198.51.100.7', undefined, '198.51.100.7', undefined, '2001:db8::1', '198.51.100.7', '2001:db8::2', '203.0.113.5', '2001:db8::3', undefined]) {
      anomalies.failedMalformed(ip);
    }
    expect(events.map((event) => event.fields.ip)).toEqual(['198.51.100.7', '203.0.113.5', '2001:db8::3', undefined]);
  });

  it('counts other refusals in the shared counters; with in-memory counters both kinds make one burst', async () => {
    const shared = new SharedCounters();
    await detector(shared).detector.failed('198.51.100.2', 'unknown');
    expect(shared.keys).toEqual(['rl:api-key-failures:198.51.100.2']);

    const { detector: anomalies, events } = detector(new MemoryRateLimitStorage(clock));
    await anomalies.failed('192.0.2.8', 'unknown');
    anomalies.failedMalformed('192.0.2.8');
    expect(events).toHaveLength(0);
    await anomalies.failed('192.0.2.8', 'unknown');
    expect(events.map((event) => event.fields.failures)).toEqual([3]);
  });
});
