import { FreshBearer, TOKEN_MARGIN_SECONDS } from './fresh-bearer.js';

/** An unsigned JWT with `exp` (the bench only reads it). */
const tokenExpiringAt = (expSeconds: number, jti: string) =>
  `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp: expSeconds, jti })).toString('base64url')}.c2ln`;

describe('FreshBearer', () => {
  it('keeps a token while enough of its lifetime is left, and renews it before a round that would outlive it', async () => {
    let now = 1_000_000_000_000;
    const issued: string[] = [];
    const issue = async () => {
      const token = tokenExpiringAt(now / 1000 + 600, `t${issued.length}`);
      issued.push(token);
      return token;
    };
    const bearer = await FreshBearer.start(issue, () => now);
    expect(issued).toHaveLength(1);
    expect(await bearer.current()).toBe(issued[0]);
    now += (600 - TOKEN_MARGIN_SECONDS - 1) * 1000;
    expect(await bearer.current()).toBe(issued[0]);
    now += 2_000;
    expect(await bearer.headers()).toEqual({ authorization: `Bearer ${issued[1]}` });
    expect(issued).toHaveLength(2);
    // The first token stays available for what was derived from it once.
    expect(bearer.first).toBe(issued[0]);
    expect(await bearer.current()).toBe(issued[1]);
  });

  it('refuses a token without exp', async () => {
    const noExp = `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`;
    await expect(FreshBearer.start(async () => noExp)).rejects.toThrow('without exp');
  });
});
