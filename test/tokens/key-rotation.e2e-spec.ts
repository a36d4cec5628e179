import { join } from 'node:path';
import request from 'supertest';
import { readKeyFile, rotateKeyFile } from '@gatehouse/tokens';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, startSibling } from '../support/demo.js';
import { LOGIN_LIMITS, me, signIn } from './token-helpers.js';

const kidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).kid;

describe.each(ADAPTERS)('signing-key rotation through the key file (%s)', (adapter) => {
  it('signs with the new key after a restart while tokens of the old key keep working until they expire', async () => {
    const first = await startDemo(adapter, { env: LOGIN_LIMITS });
    const old = await signIn(first);
    await first.close({ keepDatabase: true });

    const path = join(first.database.dataDir, 'signing-keys.json');
    const previous = readKeyFile(path).active;
    const now = first.clock.now();
    const rotation = await rotateKeyFile(path, { now, retireAt: now + 20 * 60_000 });
    expect(rotation.retired).toBe(previous);

    const second = await startSibling(first, LOGIN_LIMITS);
    try {
      await me(second, old.access_token).expect(200);
      const fresh = await signIn(second);
      expect(kidOf(old.access_token)).toBe(previous);
      expect(kidOf(fresh.access_token)).toBe(rotation.active);
      const jwks = await request(second.http).get('/.well-known/jwks.json').expect(200);
      expect(jwks.body.keys.map((key: { kid: string }) => key.kid).sort()).toEqual([previous, rotation.active].sort());
      // The old token expires on its own schedule (10 minutes); the retired key outlives it.
      second.clock.advance(11 * 60_000);
      const expired = await me(second, old.access_token).expect(401);
      expect(expired.body.code).toBe('token_expired');
    } finally {
      await second.close();
    }
  }, 60_000);
});
