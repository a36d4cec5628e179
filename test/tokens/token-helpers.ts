import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { RunningDemo } from '../support/demo.js';

export const PASSWORD = 'correct horse battery staple';

/** Generous login limits: these suites sign in far more often than a person would. */
export const LOGIN_LIMITS = {
  LOGIN_RATE_LIMIT_IP: '10000/60',
  LOGIN_RATE_LIMIT_ACCOUNT: '10000/60',
  LOGIN_RATE_LIMIT_ACCOUNT_IP: '10000/60',
  USER_RATE_LIMIT: '10000/60',
  AUTH_FAILURE_LIMIT: '10000/60',
};

/** The OAuth token response of `/auth/token` and `/auth/refresh`. */
export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

/** Registers a fresh user; returns their email and id. */
export async function registerUser(demo: RunningDemo): Promise<{ email: string; id: string }> {
  const email = `tokens-${randomBytes(5).toString('hex')}@example.com`;
  const response = await request(demo.http).post('/auth/register').send({ email, password: PASSWORD }).expect(201);
  return { email, id: response.body.id as string };
}

/** `POST /auth/token` for a fresh user. */
export async function signIn(demo: RunningDemo, email?: string): Promise<TokenBody & { refresh_token: string }> {
  const user = email ?? (await registerUser(demo)).email;
  const response = await request(demo.http).post('/auth/token').send({ email: user, password: PASSWORD }).expect(200);
  return response.body as TokenBody & { refresh_token: string };
}

/** `POST /auth/refresh` with the token in a JSON body; returns the raw response. */
export function refresh(demo: RunningDemo, refreshToken: string): request.Test {
  return request(demo.http).post('/auth/refresh').send({ refresh_token: refreshToken });
}

/** `GET /me` with a bearer token. */
export function me(demo: RunningDemo, accessToken: string): request.Test {
  return request(demo.http).get('/me').set('Authorization', `Bearer ${accessToken}`);
}

/** The `name=value` pair of a cookie set by a response, or undefined. */
export function setCookie(response: request.Response, name: string): string | undefined {
  const lines = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return lines.find((line) => line.startsWith(`${name}=`));
}

/** Waits (polling, bounded) for an asynchronous cross-instance effect; never for time-based expiry. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 1_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}
