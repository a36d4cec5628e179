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

/** A signed-in browser: its `Cookie` header value and CSRF token. */
export interface Browser {
  cookie: string;
  csrfToken: string;
  /** The raw cookie secret (what an attacker would need). */
  secret: string;
}

/** The `__Host-session` pair from a response's Set-Cookie headers, or undefined. */
export function sessionCookieOf(response: request.Response): string | undefined {
  const lines = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return lines.find((line) => line.startsWith('__Host-session='))?.split(';', 1)[0];
}

export async function registerUser(demo: RunningDemo, prefix = 'user'): Promise<{ email: string; id: string }> {
  const email = `${prefix}-${randomBytes(5).toString('hex')}@example.com`;
  const response = await request(demo.http).post('/auth/register').send({ email, password: PASSWORD }).expect(201);
  return { email, id: response.body.id };
}

export async function login(demo: RunningDemo, email: string, password = PASSWORD, cookie?: string): Promise<Browser> {
  const call = request(demo.http).post('/auth/login');
  if (cookie) call.set('Cookie', cookie);
  const response = await call.send({ email, password }).expect(200);
  const pair = sessionCookieOf(response);
  if (!pair) throw new Error('login set no session cookie');
  return { cookie: pair, csrfToken: response.body.csrfToken, secret: pair.slice('__Host-session='.length) };
}

/** `POST /auth/token`: a bearer access token and a refresh token (a refresh family). */
export async function issueTokens(demo: RunningDemo, email: string): Promise<{ accessToken: string; refreshToken: string }> {
  const response = await request(demo.http).post('/auth/token').send({ email, password: PASSWORD }).expect(200);
  return { accessToken: response.body.access_token, refreshToken: response.body.refresh_token };
}

/** Headers of a same-origin JSON request from the signed-in browser. */
export function asBrowser(browser: Browser): Record<string, string> {
  return { Cookie: browser.cookie, 'X-CSRF-Token': browser.csrfToken };
}

/** Waits (polling, bounded) for an asynchronous cross-instance effect; not for time-based expiry. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
