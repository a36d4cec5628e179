import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@gatehouse/core';
import { ensureKeyFile, ensureSecretFile, readKeyFile, writeKeyFile } from './key-file.js';
import { KeyRing } from './key-ring.js';
import { resolveTokensOptions } from './resolve-tokens-options.js';
import { generateSigningKey, importSigningKey } from './signing-key.js';
import type { TokensModuleOptions } from './tokens-options.interface.js';

const RFC8037 = { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const T0 = Date.parse('2026-01-01T00:00:00Z');
const ring = (options: Partial<TokensModuleOptions>, clock = new ManualClock(T0)) =>
  KeyRing.create(resolveTokensOptions({ issuer: 'https://auth.test', audience: 'api', ...options }), clock);

describe('signing keys', () => {
  it('names a key without kid by its RFC 7638 thumbprint and pins its algorithm from kty/crv', async () => {
    const key = await importSigningKey(RFC8037);
    expect(key.kid).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
    expect(key.alg).toBe('EdDSA');
    expect(key.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: RFC8037.x, kid: key.kid, alg: 'EdDSA', use: 'sig' });
  });

  it.each([
    [{ ...RFC8037, alg: 'Ed25519' }, /declares alg Ed25519/],
    [{ ...RFC8037, use: 'enc' }, /use "enc"/],
    [{ kty: 'RSA', n: 'x', e: 'AQAB' }, /Unsupported signing key/],
    [{ kty: 'oct', k: 'c2VjcmV0' }, /Unsupported signing key/],
    [{ kty: 'EC', crv: 'P-384', x: 'x', y: 'y' }, /Unsupported signing key/],
    [{ ...RFC8037, x: 'PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw' }, /invalid key material|does not match/],
  ])('refuses %j', async (jwk, message) => {
    await expect(importSigningKey(jwk)).rejects.toThrow(message);
  });
});

describe('KeyRing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates an in-memory Ed25519 key when none is configured', async () => {
    const keys = await ring({});
    expect(keys.active()).toMatchObject({ alg: 'EdDSA' });
    expect(keys.jwks().keys).toHaveLength(1);
  });

  it('signs with activeKid and keeps other configured keys verify-only', async () => {
    const other = await generateSigningKey('ES256');
    const keys = await ring({ keys: [RFC8037, { ...other }], activeKid: other.kid });
    expect(keys.active().kid).toBe(other.kid);
    expect(keys.find('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k')?.alg).toBe('EdDSA');
    expect(keys.jwks().keys.map((key) => key.alg).sort()).toEqual(['ES256', 'EdDSA']);
    expect(JSON.stringify(keys.jwks())).not.toContain('"d"');
  });

  it('refuses a public-only active key, duplicate kids, and no private key at all', async () => {
    const { d: _d, ...publicOnly } = RFC8037;
    await expect(ring({ keys: [publicOnly] })).rejects.toThrow(/^TokensModule option keys: no private signing key/);
    await expect(ring({ keys: [RFC8037, publicOnly] })).rejects.toThrow(/share the kid/);
    await expect(ring({ keys: [RFC8037], activeKid: 'nope' })).rejects.toThrow(/"nope" is not configured/);
  });

  it('creates the key file once, owner-only, and reads the same key back after a restart', async () => {
    const path = join(dir, 'data', 'signing-keys.json');
    await ensureKeyFile(path);
    const first = readFileSync(path, 'utf8');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await ensureKeyFile(path);
    expect(readFileSync(path, 'utf8')).toBe(first);
    const a = await ring({ keysFile: path });
    const b = await ring({ keysFile: path });
    expect(a.active().kid).toBe(b.active().kid);
  });

  it('persists a rotation: the retired key keeps verifying after a restart until its retirement time', async () => {
    const path = join(dir, 'signing-keys.json');
    await ensureKeyFile(path);
    const clock = new ManualClock(T0);
    const before = await ring({ keysFile: path }, clock);
    const oldKid = before.active().kid;
    const newKid = await before.rotate();
    writeKeyFile(path, before.snapshot());
    expect(readKeyFile(path)).toMatchObject({ active: newKid, retiring: { [oldKid]: T0 + 600_000 + 30_000 } });
    const restarted = await ring({ keysFile: path }, clock);
    expect(restarted.active().kid).toBe(newKid);
    expect(restarted.find(oldKid)).toBeDefined();
    const later = await ring({ keysFile: path }, new ManualClock(T0 + 630_000));
    expect(later.find(oldKid)).toBeUndefined();
    expect(later.jwks().keys.map((key) => key.kid)).toEqual([newKid]);
  });

  it('refuses to remove the active key, and reports a removal to listeners', async () => {
    const keys = await ring({});
    const first = keys.active().kid;
    expect(() => keys.remove(first)).toThrow(TypeError);
    const removed: Array<string | undefined> = [];
    keys.onChange((kid) => removed.push(kid));
    await keys.rotate();
    expect(keys.remove(first)).toBe(true);
    expect(removed).toEqual([undefined, first]);
  });

  it('reads a plain JWK array file and rejects a file that is not one', () => {
    const path = join(dir, 'keys.json');
    writeFileSync(path, JSON.stringify([RFC8037]));
    expect(readKeyFile(path).keys).toHaveLength(1);
    writeFileSync(path, '{"nope":1}');
    expect(() => readKeyFile(path)).toThrow(/must hold a JWK array/);
  });

  it('creates a 256-bit secret file once and returns the same secret afterwards', () => {
    const path = join(dir, 'refresh-secret');
    const secret = ensureSecretFile(path);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(ensureSecretFile(path)).toBe(secret);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
