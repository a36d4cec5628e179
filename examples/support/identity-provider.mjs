// A stand-in for a third-party identity provider (an Auth0 tenant) in the examples' tests: an
// RS256 key pair made for the run, its JWKS served over http on a free loopback port (the app
// allows it with `allowInsecureLoopback`), and access tokens shaped like Auth0's.
//
//   const idp = await startIdentityProvider();
//   env: { NODE_ENV: 'test', ISSUER: idp.issuer, ISSUER_JWKS_URL: idp.jwksUrl, ISSUER_AUDIENCE: idp.audience }
//   const token = idp.mint({ permissions: ['reports:read'] });
//   await idp.stop();
import { createHmac, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export async function startIdentityProvider({ issuer = 'https://gatehouse-example.eu.auth0.com/', audience = 'https://api.example.com' } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  /**
   * An access token as the tenant issues it for the API: `typ: JWT`, RS256, `permissions` and
   * `scope`. `claims` override or add claims; `alg: 'HS256'` signs with the public key as an HMAC
   * secret (the algorithm-confusion forgery), `key` signs with another private key.
   */
  function mint(claims = {}, { alg = 'RS256', key = privateKey, typ = 'JWT' } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg, typ, kid };
    const payload = {
      iss: issuer,
      sub: 'auth0|grace',
      aud: [audience, `${issuer}userinfo`],
      iat: now,
      exp: now + 600,
      azp: 'example-spa-client',
      scope: 'openid profile',
      permissions: [],
      ...claims,
    };
    const input = `${base64url(header)}.${base64url(payload)}`;
    const signature =
      alg === 'HS256'
        ? createHmac('sha256', publicKey.export({ format: 'pem', type: 'spki' })).update(input).digest()
        : createSign('sha256').update(input).sign(key);
    return `${input}.${signature.toString('base64url')}`;
  }

  return {
    issuer,
    audience,
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    /** The app's environment for this provider. */
    env: { NODE_ENV: 'test', ISSUER: issuer, ISSUER_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, ISSUER_AUDIENCE: audience },
    mint,
    /** Another key pair's private key, which the JWKS does not list. */
    strangerKey: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    stop: () => new Promise((resolve) => (server.close(resolve), server.closeAllConnections())),
  };
}
