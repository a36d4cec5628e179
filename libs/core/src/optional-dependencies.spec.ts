import { readdirSync, readFileSync } from 'node:fs';

// ioredis is an optional peer of @gatehouse/core: nothing may load it at import time, only
// RedisBus.create() when a redisUrl is configured.
describe('optional dependencies', () => {
  const dir = new URL('./', import.meta.url);
  const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'));

  it('no core source imports ioredis at load time (type imports and import() only)', () => {
    const offenders = sources.filter((file) => /^\s*import\s+(?!type\b)[^;]*from\s+['"]ioredis['"]/m.test(readFileSync(new URL(file, dir), 'utf8')));
    expect(sources.length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });

  it('RedisBus loads it with a dynamic import', () => {
    expect(readFileSync(new URL('redis.bus.ts', dir), 'utf8')).toMatch(/await import\('ioredis'\)/);
  });
});
