import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { apiDocumentFactory } from '../../src/openapi/api-docs.js';

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  'x-gatehouse'?: { mechanisms: string[]; scopes: string[] };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }> };
}

/** What the guard says about one credential: read by the route's mechanism, refused as not accepted, or not looked at. */
const GUARD_CODES = new Set(['credentials_missing', 'mechanism_not_allowed', 'invalid_token', 'invalid_api_key', 'invalid_session']);

describe.each(ADAPTERS)('the demo OpenAPI document (%s)', (adapter) => {
  let demo: RunningDemo;
  let document: Document;

  // Swagger UI on Fastify needs @fastify/static, whose ESM-only dependency jest cannot load on
  // Node 20: the Fastify run builds the same document without serving it.
  const env: Record<string, string> = adapter === 'express' ? { NODE_ENV: 'development' } : {};

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: { ...env, GATEHOUSE_RATE_LIMITS: 'off' } });
    document = JSON.parse(JSON.stringify((await apiDocumentFactory(demo.app))())) as Document;
  }, 30_000);
  afterAll(async () => {
    await demo.close();
  });

  it('declares the bearer, API-key and session-cookie schemes', () => {
    expect(document.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      session: { type: 'apiKey', in: 'cookie', name: expect.stringMatching(/^__Host-/) },
    });
  });

  (adapter === 'express' ? it : it.skip)('serves that document at /docs-json in development', async () => {
    expect((await request(demo.http).get('/docs-json').expect(200)).body).toEqual(document);
    await request(demo.http).get('/docs').expect(200);
  });

  it('is not served in production', async () => {
    const production = await startDemo(adapter, { env: { NODE_ENV: 'production' } });
    try {
      await request(production.http).get('/docs-json').expect(404);
    } finally {
      await production.close();
    }
  }, 30_000);

  it("gives every operation the security the guard enforces", async () => {
    const cookieName = document.components.securitySchemes.session.name as string;
    const probes: [scheme: string, header: Record<string, string>, code: string][] = [
      ['bearer', { Authorization: 'Bearer not-a-token' }, 'invalid_token'],
      ['apiKey', { 'X-API-Key': 'gh_live_notakey' }, 'invalid_api_key'],
      ['session', { Cookie: `${cookieName}=not-a-session` }, 'invalid_session'],
    ];
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
    expect(operations.length).toBeGreaterThan(15);
    const checked: string[] = [];
    for (const { path, method, operation } of operations) {
      const url = path.replace(/\{[^}]+\}/g, 'x');
      const send = (headers: Record<string, string>) => {
        const call = (request(demo.http) as unknown as Record<string, (url: string) => request.Test>)[method](url);
        return call.set({ 'Sec-Fetch-Site': 'same-origin', ...headers });
      };
      const label = `${method.toUpperCase()} ${path}`;
      expect({ label, security: operation.security }).toEqual({ label, security: expect.any(Array) });
      const security = operation.security as Record<string, string[]>[];
      const isPublic = security.length === 0;
      const optional = security.some((requirement) => Object.keys(requirement).length === 0);
      const bare = await send({});
      if (isPublic || optional) expect({ label, code: bare.body.code }).not.toEqual({ label, code: 'credentials_missing' });
      else expect({ label, code: bare.body.code }).toEqual({ label, code: 'credentials_missing' });
      for (const [scheme, header, code] of probes) {
        const response = await send(header);
        const got = GUARD_CODES.has(response.body.code) ? response.body.code : 'passed the guard';
        const accepted = security.some((requirement) => scheme in requirement);
        if (isPublic) {
          // The guard reads nothing here; an endpoint that authenticates its client itself (RFC 7662
          // introspection) may refuse the credential with its own code, never with the guard's.
          expect({ label, scheme, got }).not.toEqual({ label, scheme, got: 'mechanism_not_allowed' });
          continue;
        }
        expect({ label, scheme, got }).toEqual({ label, scheme, got: accepted ? code : 'mechanism_not_allowed' });
      }
      checked.push(label);
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /me', 'GET /orders', 'POST /api-keys', 'POST /auth/logout', 'GET /health']));
  }, 30_000);

  it('lists scopes beside the requirements', () => {
    const createOrder = document.paths['/orders'].post;
    expect(createOrder['x-gatehouse']).toMatchObject({ mechanisms: ['jwt', 'session', 'api-key'], scopes: ['orders:write'] });
    expect(createOrder.security).toEqual([{ bearer: [] }, { session: [] }, { apiKey: [] }]);
  });
});
