import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@gatehouse/core';
import { ensureKeyFile, readKeyFile, rotateKeyFile } from './key-file.js';
import { KeyRing } from './key-ring.js';
import { resolveTokensOptions } from './resolve-tokens-options.js';

describe('rotateKeyFile', () => {
  let dir: string;
  let path: string;
  const now = Date.parse('2026-06-01T12:00:00Z');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
    path = await ensureKeyFile(join(dir, 'signing-keys.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a new key active and keeps the old one verifying until retireAt', async () => {
    const before = readKeyFile(path);
    const result = await rotateKeyFile(path, { now, retireAt: now + 20 * 60_000 });
    const after = readKeyFile(path);
    expect(result.retired).toBe(before.active);
    expect(after.active).toBe(result.active);
    expect(after.active).not.toBe(before.active);
    expect(after.retiring).toEqual({ [before.active as string]: now + 20 * 60_000 });
    expect(after.keys.map((key) => key.kid).sort()).toEqual([before.active, result.active].sort());
    expect(after.keys.find((key) => key.kid === result.active)).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('loads into a key ring that signs with the new key and verifies with both until retirement', async () => {
    const before = readKeyFile(path).active as string;
    const { active } = await rotateKeyFile(path, { now, retireAt: now + 20 * 60_000 });
    const options = resolveTokensOptions({ issuer: 'urn:test', audience: 'urn:test:api', keysFile: path });
    const ring = await KeyRing.create(options, new ManualClock(now + 60_000));
    expect(ring.active().kid).toBe(active);
    expect(ring.jwks().keys.map((key) => key.kid).sort()).toEqual([active, before].sort());
    const later = await KeyRing.create(options, new ManualClock(now + 21 * 60_000));
    expect(later.jwks().keys.map((key) => key.kid)).toEqual([active]);
  });

  it('drops keys whose retirement has passed and keeps the algorithm unless told', async () => {
    const first = await rotateKeyFile(path, { now, retireAt: now + 60_000 });
    const second = await rotateKeyFile(path, { now: now + 120_000, retireAt: now + 600_000, algorithm: 'ES256' });
    expect(second.dropped).toHaveLength(1);
    expect(second.retired).toBe(first.active);
    const file = readKeyFile(path);
    expect(file.keys).toHaveLength(2);
    expect(file.keys.find((key) => key.kid === second.active)).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });

  it('refuses a retirement time that is not in the future', async () => {
    await expect(rotateKeyFile(path, { now, retireAt: now })).rejects.toThrow(TypeError);
  });
});
