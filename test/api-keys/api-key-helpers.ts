import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { RunningDemo } from '../support/demo.js';

export const PASSWORD = 'correct horse battery staple';

/** Generous limits for suites that sign in and call often; rate-limit suites set their own. */
export const ROOMY_LIMITS = {
  LOGIN_RATE_LIMIT_IP: '10000/60',
  LOGIN_RATE_LIMIT_ACCOUNT: '10000/60',
  LOGIN_RATE_LIMIT_ACCOUNT_IP: '10000/60',
  USER_RATE_LIMIT: '10000/60',
  AUTH_FAILURE_LIMIT: '10000/60',
  ANONYMOUS_RATE_LIMIT: '10000/60',
  API_KEY_RATE_LIMIT: '10000/60',
};

/** A registered, signed-in user: headers for same-origin JSON calls with the session cookie. */
export interface SignedInUser {
  id: string;
  email: string;
  headers: Record<string, string>;
}

export async function signUp(demo: RunningDemo, prefix = 'owner'): Promise<SignedInUser> {
  const email = `${prefix}-${randomBytes(5).toString('hex')}@example.com`;
  const registered = await request(demo.http).post('/auth/register').send({ email, password: PASSWORD }).expect(201);
  const login = await request(demo.http).post('/auth/login').send({ email, password: PASSWORD }).expect(200);
  const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((line) => line.startsWith('__Host-session='));
  if (!cookie) throw new Error('login set no session cookie');
  return { id: registered.body.id, email, headers: { Cookie: cookie.split(';', 1)[0], 'X-CSRF-Token': login.body.csrfToken } };
}

/** An API key created through `POST /api-keys` by `owner`: the response body (with `key`). */
export async function createKey(
  demo: RunningDemo,
  owner: SignedInUser,
  body: { name?: string; scopes?: string[]; expiresInDays?: number } = {},
): Promise<{ id: string; key: string; [field: string]: unknown }> {
  const response = await request(demo.http)
    .post('/api-keys')
    .set(owner.headers)
    .send({ name: body.name ?? 'test key', scopes: body.scopes ?? ['orders:read'], ...(body.expiresInDays ? { expiresInDays: body.expiresInDays } : {}) })
    .expect(201);
  return response.body;
}

/** The parts of a response an attacker compares: status, body and headers that are not per-response noise. */
export function observable(response: request.Response): { status: number; body: unknown; headers: Record<string, unknown> } {
  const { date: _date, etag: _etag, connection: _connection, 'keep-alive': _keepAlive, ...headers } = response.headers;
  return { status: response.status, body: response.body, headers };
}

/** Counts the SQL statements a DataSource runs from now on (TypeORM calls its logger for every query). */
export function countQueries(dataSource: DataSource): { readonly queries: string[]; reset(): void } {
  const queries: string[] = [];
  const original = dataSource.logger;
  const counting = Object.create(original) as typeof original;
  counting.logQuery = (query, parameters, runner) => {
    queries.push(query);
    original.logQuery(query, parameters, runner);
  };
  (dataSource as { logger: typeof original }).logger = counting;
  return { queries, reset: () => void queries.splice(0) };
}
