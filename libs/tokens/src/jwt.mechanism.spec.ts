import { GatehouseError, ManualClock, MemoryRevocationStore, MechanismRegistry, type GatehouseRequest } from '@gatehouse/core';
import { resolveGatehouseOptions } from '@gatehouse/core/testing';
import { AccessTokenIssuer } from './access-token.issuer.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { JwtMechanism } from './jwt.mechanism.js';
import { KeyRing } from './key-ring.js';
import { resolveTokensOptions } from './resolve-tokens-options.js';

async function mechanism(): Promise<{ jwt: JwtMechanism; registry: MechanismRegistry; issue: () => Promise<string> }> {
  const clock = new ManualClock();
  const options = resolveTokensOptions({ issuer: 'https://auth.test', audience: 'api' });
  const ring = await KeyRing.create(options, clock);
  const revocations = new MemoryRevocationStore();
  const verifier = new AccessTokenVerifier(options, ring, clock, revocations);
  const issuer = new AccessTokenIssuer(options, ring, clock, revocations);
  const registry = new MechanismRegistry();
  const issue = async () => (await issuer.issue({ subject: 'ada', scopes: [] })).accessToken;
  return { jwt: new JwtMechanism(verifier, registry, resolveGatehouseOptions({ realm: 'orders' }), options), registry, issue };
}

const withAuthorization = (value?: string | string[]): GatehouseRequest => ({ method: 'GET', url: '/', headers: { authorization: value } });

describe('JwtMechanism', () => {
  it('registers itself with the guard as the non-ambient "jwt" mechanism', async () => {
    const { jwt, registry } = await mechanism();
    jwt.onModuleInit();
    expect(registry.get('jwt')).toBe(jwt);
    expect(jwt.ambient).toBe(false);
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc', 'abc'],
    ['Bearer', ''],
    ['Bearer ', ''],
  ])('extracts %j as %j', async (header, expected) => {
    expect((await mechanism()).jwt.extract(withAuthorization(header))).toBe(expected);
  });

  it.each([undefined, 'Basic dXNlcjpwYXNz', 'Bearerabc', 'ApiKey x', 'Bear abc', ['Bearer a', 'Bearer b']])('leaves %j to other mechanisms', async (header) => {
    expect((await mechanism()).jwt.extract(withAuthorization(header))).toBeUndefined();
  });

  it('challenges per RFC 6750 §3: bare without a token, invalid_token with a fixed description after a refusal', async () => {
    const { jwt } = await mechanism();
    expect(jwt.challenge()).toBe('Bearer realm="orders"');
    expect(jwt.challenge(new GatehouseError('token_expired'))).toBe('Bearer realm="orders", error="invalid_token", error_description="The access token has expired."');
    expect(jwt.challenge(new GatehouseError('token_revoked'))).toBe('Bearer realm="orders", error="invalid_token", error_description="The access token has been revoked."');
  });

  it('gives every refusal its own details object (the guard writes the challenge into it)', async () => {
    const { jwt } = await mechanism();
    const refusals = await Promise.all(['a', 'b.c.d'].map((token) => Promise.resolve().then(() => jwt.authenticate(token)).catch((error: GatehouseError) => error)));
    expect(refusals[0]).toBeInstanceOf(GatehouseError);
    expect((refusals[0] as GatehouseError).details).not.toBe((refusals[1] as GatehouseError).details);
  });

  it('marks a token refused by its structure as malformed, and one with a bad signature not', async () => {
    const { jwt, issue } = await mechanism();
    expect(jwt.authenticate('not-a-token')).toMatchObject({ code: 'invalid_token', malformed: true });
    const token = await issue();
    const forged = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    const refused = await Promise.resolve().then(() => jwt.authenticate(forged)).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'invalid_token', malformed: false });
  });
});
