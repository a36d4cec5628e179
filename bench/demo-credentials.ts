import { randomBytes } from 'node:crypto';

/** A reply from the demo, parsed. */
interface Reply {
  status: number;
  body: Record<string, unknown>;
  setCookies: string[];
}

/** An endpoint that is not there (yet) or refused the bench: the row is skipped with this note. */
export class Unavailable extends Error {
  override readonly name = 'Unavailable';
}

async function call(base: string, method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: json === undefined ? undefined : JSON.stringify(json),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text: text.slice(0, 200) };
  }
  return { status: response.status, body, setCookies: response.headers.getSetCookie() };
}

/** Throws `Unavailable` unless the reply has the expected status. */
function expectStatus(reply: Reply, expected: number[], what: string): void {
  if (expected.includes(reply.status)) return;
  const why = reply.status === 404 ? 'endpoint not found' : `answered ${reply.status}${typeof reply.body.code === 'string' ? ` ${reply.body.code}` : ''}`;
  throw new Unavailable(`${what}: ${why}`);
}

function stringField(reply: Reply, field: string, what: string): string {
  const value = reply.body[field];
  if (typeof value !== 'string' || value.length === 0) throw new Unavailable(`${what}: no "${field}" in the response`);
  return value;
}

export interface BenchUser {
  email: string;
  password: string;
}

/** Registers a fresh user (public endpoint, part of the foundation). */
export async function registerUser(base: string): Promise<BenchUser> {
  const user = { email: `bench-${randomBytes(4).toString('hex')}@example.com`, password: randomBytes(18).toString('base64url') };
  const reply = await call(base, 'POST', '/auth/register', user);
  if (reply.status !== 201) throw new Error(`POST /auth/register answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return user;
}

/** `POST /auth/token` {email, password} → an access token (and the refresh token, if any). */
export async function issueTokens(base: string, user: BenchUser): Promise<{ accessToken: string; refreshToken?: string }> {
  const reply = await call(base, 'POST', '/auth/token', user);
  expectStatus(reply, [200, 201], 'POST /auth/token');
  const accessToken = stringField(reply, 'access_token', 'POST /auth/token');
  const refreshToken = typeof reply.body.refresh_token === 'string' ? reply.body.refresh_token : undefined;
  return { accessToken, ...(refreshToken ? { refreshToken } : {}) };
}

/** `POST /auth/login` → the session cookie as a `Cookie` header value, and the CSRF token. */
export async function openSession(base: string, user: BenchUser): Promise<{ cookie: string; csrfToken?: string }> {
  const reply = await call(base, 'POST', '/auth/login', user);
  expectStatus(reply, [200, 201], 'POST /auth/login');
  const cookies = reply.setCookies.map((line) => line.split(';', 1)[0]).filter((pair) => pair.includes('='));
  const session = cookies.find((pair) => pair.startsWith('__Host-session=')) ?? cookies.find((pair) => /session/i.test(pair.split('=', 1)[0]));
  if (!session) throw new Unavailable('POST /auth/login: no session cookie in the response');
  const csrfToken = typeof reply.body.csrfToken === 'string' ? reply.body.csrfToken : undefined;
  return { cookie: session, ...(csrfToken ? { csrfToken } : {}) };
}

/** `POST /api-keys` as the signed-in user → the new key's plaintext (shown once). */
export async function createApiKey(base: string, auth: Record<string, string>): Promise<string> {
  const reply = await call(base, 'POST', '/api-keys', { name: 'bench', scopes: ['orders:read'] }, auth);
  expectStatus(reply, [200, 201], 'POST /api-keys');
  return stringField(reply, 'key', 'POST /api-keys');
}

/** The credential works on `GET /me` (or `path`), or the row is skipped with the status it got. */
export async function checkCredential(base: string, headers: Record<string, string>, what: string, path = '/me'): Promise<void> {
  const reply = await call(base, 'GET', path, undefined, headers);
  expectStatus(reply, [200], `${what} on GET ${path}`);
}

/** `GET /me` refuses the credential with a 401 (never a 500), or the row is skipped with the status it got. */
export async function checkRefused(base: string, headers: Record<string, string>, what: string): Promise<void> {
  const reply = await call(base, 'GET', '/me', undefined, headers);
  expectStatus(reply, [401], `${what} on GET /me`);
}

/** An access token of the bench server's NestJS recipe routes (bench/nest-recipe.ts). */
export async function recipeToken(base: string, path: string): Promise<string> {
  const reply = await call(base, 'GET', path);
  expectStatus(reply, [200], `GET ${path}`);
  return stringField(reply, 'access_token', `GET ${path}`);
}

/**
 * Distinct access tokens like `accessToken` (same claims but `jti`), minted by the bench server's
 * `GET /bench/access-tokens` in batches: the fast way to many cache misses.
 */
export async function mintLikeTokens(base: string, accessToken: string, count: number, path: string): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < count) {
    const reply = await call(base, 'GET', `${path}?count=${Math.min(5_000, count - tokens.length)}`, undefined, { authorization: `Bearer ${accessToken}` });
    expectStatus(reply, [200], `GET ${path}`);
    const batch = reply.body.tokens;
    if (!Array.isArray(batch) || batch.length === 0) throw new Unavailable(`GET ${path}: no tokens in the response`);
    tokens.push(...(batch as string[]));
  }
  return tokens;
}

/** A GraphQL query answers data without errors with these headers, or the row is skipped with what it got. */
export async function checkGraphql(base: string, path: string, query: string, headers: Record<string, string>): Promise<void> {
  const reply = await call(base, 'POST', path, { query }, headers);
  expectStatus(reply, [200], `POST ${path}`);
  if (reply.body.errors !== undefined || typeof reply.body.data !== 'object') throw new Unavailable(`POST ${path}: ${JSON.stringify(reply.body).slice(0, 200)}`);
}
