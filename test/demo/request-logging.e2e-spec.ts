import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';

interface RequestLine {
  msg?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
}

// One "request completed" line per request, on every route and both adapters: public, guarded,
// refused, unknown, with a query string. (The request logger is Nest middleware; a route pattern
// that an adapter reads differently would silently leave routes unlogged.)
describe.each(ADAPTERS)('request logging (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter);
  });
  afterAll(async () => {
    await demo.close();
  });

  const completed = (): RequestLine[] =>
    demo.logs.map((line) => JSON.parse(line) as RequestLine).filter((line) => line.msg === 'request completed' || line.msg === 'request errored');

  it.each([
    ['GET', '/', 200],
    ['GET', '/health', 200],
    ['GET', '/me', 401],
    ['GET', '/orders?page=2', 401],
    ['POST', '/orders', 401],
    ['GET', '/no/such/route', 404],
    ['GET', '/.well-known/jwks.json', 200],
  ] as const)('%s %s → one line with its status', async (method, url, status) => {
    const before = completed().length;
    const response = method === 'GET' ? await request(demo.http).get(url) : await request(demo.http).post(url).send({});
    expect(response.status).toBe(status);
    // The line is written when the response finishes, which can be just after the client has it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = completed().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ req: { method, url }, res: { statusCode: status } });
  });
});
