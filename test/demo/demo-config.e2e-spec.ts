import request from 'supertest';
import { startDemo } from '../support/demo.js';
import { provisionDatabase } from '../support/database.js';

const PASSWORD = 'correct horse battery staple';

describe('demo token configuration', () => {
  it('refuses to start with an access-token lifetime outside 5–15 minutes, saying why, before opening any connection', async () => {
    const database = await provisionDatabase();
    try {
      await expect(startDemo('express', { database, env: { ACCESS_TOKEN_TTL_SECONDS: '3600' } })).rejects.toThrow(
        /ACCESS_TOKEN_TTL_SECONDS must be between 300 and 900 \(5 to 15 minutes\)/,
      );
    } finally {
      await database.drop();
    }
  });

  it('signs with ES256 when TOKEN_ALGORITHM=ES256, with a 5-minute lifetime', async () => {
    const demo = await startDemo('fastify', { env: { TOKEN_ALGORITHM: 'ES256', ACCESS_TOKEN_TTL_SECONDS: '300' } });
    try {
      const jwks = await request(demo.http).get('/.well-known/jwks.json').expect(200);
      expect(jwks.body.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256' })]);
      const email = 'es256@example.com';
      await request(demo.http).post('/auth/register').send({ email, password: PASSWORD }).expect(201);
      const tokens = await request(demo.http).post('/auth/token').send({ email, password: PASSWORD }).expect(200);
      expect(tokens.body.expires_in).toBe(300);
      const header = JSON.parse(Buffer.from(tokens.body.access_token.split('.')[0], 'base64url').toString('utf8'));
      expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      await request(demo.http).get('/me').set('Authorization', `Bearer ${tokens.body.access_token}`).expect(200);
    } finally {
      await demo.close();
    }
  });
});
